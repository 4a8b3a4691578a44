"""The contacts skill as a conversation: import, derive from mail, friends, tidy, undo, export."""

from __future__ import annotations

import asyncio
from pathlib import Path

from os1.core.conversation import Conversation
from os1.skills.contacts.store import ContactStore
from os1.skills.contacts.vcards import import_vcards
from tests.e2e.test_mail_skill import _mbox
from tests.unit.helpers import make_runtime, reply_text, run_turn

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contacts"


async def _say(conversation: Conversation, text: str) -> str:
    return reply_text(await run_turn(conversation, text))


def test_import_tidy_undo_and_export(tmp_path: Path) -> None:
    runtime = make_runtime()
    conversation = Conversation.resume_or_start(runtime)
    store = ContactStore(runtime.store)
    card = next(FIXTURES.glob("*3*.vcf"))
    dup = tmp_path / "dup.vcf"
    dup.write_text(card.read_text(encoding="utf-8"), encoding="utf-8")  # the same people again

    async def talk() -> None:
        asked = await _say(conversation, f"import my contacts from {card}")
        assert "look at your contacts" in asked  # one question for what this needs
        done = await _say(conversation, "yes")
        assert "contacts from" in done
        assert {g.scope for g in runtime.store.consent.list() if g.granted} >= {
            "contacts.read", "contacts.write"}
        first = store.count()
        assert first >= 1
        await _say(conversation, f"import my contacts from {dup}")
        assert store.count() == first  # duplicates merged, not doubled
        summary = await _say(conversation, "sort out my contacts")
        assert "contacts" in summary
        applied = await _say(conversation, "use the cleaned list")
        assert "Done" in applied
        undone = await _say(conversation, "undo that")
        assert "back" in undone.lower() or "as it was" in undone.lower()
        out = tmp_path / "out.vcf"
        saved = await _say(conversation, f"export my contacts to {out}")
        assert "Saved" in saved
        contacts, skipped = import_vcards(out)
        assert len(contacts) == store.count() and not skipped

    asyncio.run(talk())


def test_friends_come_from_real_exchanges_in_mail(tmp_path: Path) -> None:
    runtime = make_runtime()
    (runtime.settings.home / "config.toml").write_text('[mail]\naddress = "theodore@example.com"\n')
    runtime.gate.grant(["mail.read", "contacts.read", "contacts.write"])
    conversation = Conversation.resume_or_start(runtime)
    box = _mbox(tmp_path / "m.mbox")

    async def talk() -> None:
        await _say(conversation, f"import my mail from {box}")
        found = await _say(conversation, "find my contacts in my email")
        assert "people you write with" in found
        friends = await _say(conversation, "does this mean I actually have friends?")
        assert "Peter" in friends or "nobody stands out" in friends
        emails = {e for c in ContactStore(runtime.store).list() for e in c.emails}
        assert "peter@initech.example" in emails
        assert "news@initech.example" not in emails  # a mailing list is not a person

    asyncio.run(talk())
