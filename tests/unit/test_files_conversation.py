"""The files skill in conversation: consent before looking, a proposal before moving, undo after."""

from __future__ import annotations

import asyncio
from pathlib import Path

from os1.core.conversation import Conversation
from os1.skills.files.store import FileStore
from tests.fixtures.files.make import home_tree
from tests.unit.helpers import make_runtime, reply_text, run_turn


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_asks_before_looking_then_organizes_and_undoes(tmp_path: Path) -> None:
    runtime = make_runtime()
    conversation = Conversation.resume_or_start(runtime)
    root = home_tree(tmp_path / "me")
    before = _tree(root)
    store = FileStore(runtime.store)

    async def say(text: str) -> str:
        return reply_text(await run_turn(conversation, text))

    async def talk() -> None:
        asked = await say(f"look through my files in {root}")
        assert "You mind if I look through your hard drive?" in asked
        assert store.count() == 0  # nothing looked at before the yes
        done = await say("yes")
        assert "Looked at 8 files" in done and "Read 8" in done
        found = await say("find the lease")
        assert "lease_agreement.txt" in found and "lease_2019.txt" in found

        proposal = await say("organize my photos")
        assert "These 2 photos from 2019 could go into Photos/2019" in proposal
        assert "Shall I move them" in proposal
        assert _tree(root) == before  # only a proposal so far
        await say("no")
        assert _tree(root) == before

        await say("organize my photos")
        moved = await say("yes")  # the yes also allows files.organize, which was never granted
        assert "Moved 2 files" in moved, moved  # the photos; the song stays (it wasn't asked about)
        assert (root / "Downloads" / "sinnerman.flac").exists()
        assert (root / "Photos" / "2019" / "IMG_0001.jpg").exists()
        assert not (root / "IMG_0001.jpg").exists()
        grant = runtime.store.consent.get("files.organize")
        assert grant is not None and grant.granted
        assert runtime.store.journal.last_undoable() is not None

        undone = await say("undo that")
        assert "back where they were" in undone, undone
        assert _tree(root) == before

        again = await say("go ahead and move them")  # no proposal waiting any more
        assert "haven't suggested anything" in again
        assert _tree(root) == before

    asyncio.run(talk())


def test_saying_no_to_looking_leaves_everything_alone(tmp_path: Path) -> None:
    runtime = make_runtime()
    conversation = Conversation.resume_or_start(runtime)
    root = home_tree(tmp_path / "me")

    async def talk() -> None:
        await run_turn(conversation, f"scan {root}")
        reply = reply_text(await run_turn(conversation, "no"))
        assert "won't" in reply
        assert FileStore(runtime.store).count() == 0
        asked = reply_text(await run_turn(conversation, "what are my biggest files"))
        assert "You mind if I look through your hard drive?" in asked  # asked again, not assumed

    asyncio.run(talk())
