"""Tools of the mail skill: what OS1 can do with the user's email, each behind its permission scope.

Reading (``mail.read``) imports, syncs, triages, finds and reads; organizing (``mail.organize``)
moves mail to Archive or Trash and back, journaled so "undo that" works; sending (``mail.send``)
drafts in the user's own greeting and sign-off, and sends only after the exact message was shown
and confirmed. Everything read out of an email is marked untrusted: its words are data, never orders.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.mail import cleanup, compose, importers, search, triage
from os1.skills.mail.account import AccountError, MailAccount, load_account
from os1.skills.mail.store import MailStore, StoredMail

PROPOSAL = "mail.proposal"  # profile key: the last triage's suggestion (group, keep ids, let-go ids)
DRAFT = "mail.draft"  # profile key: the draft waiting to be sent
READ_CHARS = 1500
_MOTHER = re.compile(r"^(my )?(mom|mum|mother|mama|mommy)$", re.I)
_FATHER = re.compile(r"^(my )?(dad|father|papa|daddy)$", re.I)


def _store(ctx: ToolContext) -> MailStore:
    return MailStore(ctx.runtime.store)


def _account(ctx: ToolContext) -> MailAccount:
    try:
        return load_account(ctx.runtime.settings.home)
    except AccountError as exc:
        raise ToolError(str(exc)) from exc


def _imap(account: MailAccount) -> importers.ImapAccount | None:
    if not account.can_fetch:
        return None
    return importers.ImapAccount(host=account.imap_host, username=account.username,
                                 password=account.password, port=account.imap_port, ssl=account.imap_ssl)


def _accounts(account: MailAccount) -> dict[str, importers.ImapAccount]:
    imap = _imap(account)
    return {imap.key: imap} if imap is not None else {}


def _line(mail: StoredMail) -> str:
    when = time.strftime("%b %d, %Y", time.localtime(mail.date)) if mail.date else "undated"
    who = mail.sender.name or mail.sender.email or "someone"
    return f"{when} — {who}: {mail.subject or '(no subject)'}"


def _skipped(report: importers.ImportReport) -> str:
    if not report.skipped:
        return ""
    reasons = Counter(reason for _where, reason in report.skipped)
    top = "; ".join(f"{n}× {reason}" for reason, n in reasons.most_common(3))
    return f" I skipped {len(report.skipped)} I couldn't read ({top}); nothing was changed in your files."


# -- bringing mail in ---------------------------------------------------------------
@tool("read")
async def import_mail(ctx: ToolContext, path: str) -> ToolResult:
    """Import mail from an mbox file, a Maildir, or a folder of .eml files."""
    where = Path(path).expanduser()
    if not where.exists():
        raise ToolError(f"I can't find {where}.")
    try:
        report = await asyncio.to_thread(importers.import_path, _store(ctx), where)
    except importers.MailImportError as exc:
        raise ToolError(str(exc)) from exc
    return ToolResult(text=f"Done: {report.describe()} from {where}.{_skipped(report)}",
                      data={"imported": report.imported, "skipped": len(report.skipped)})


@tool("read")
async def sync_mail(ctx: ToolContext) -> ToolResult:
    """Fetch new mail from your IMAP account."""
    imap = _imap(_account(ctx))
    if imap is None:
        raise ToolError("I don't know your mail account yet: set [mail] imap_host and username in "
                        "config.toml, and OS1_MAIL_PASSWORD in the environment.")
    try:
        report = await asyncio.to_thread(importers.sync_imap, _store(ctx), imap)
    except importers.MailImportError as exc:
        raise ToolError(f"I couldn't get your mail: {exc}") from exc
    new = "no new mail" if not report.imported else f"{report.imported} new"
    return ToolResult(text=f"Checked your mail: {new}.{_skipped(report)}")


# -- sorting it out ---------------------------------------------------------------------
def _triage_now(ctx: ToolContext) -> tuple[list[triage.Group], str]:
    store = _store(ctx)
    mails = store.list(status="inbox", limit=200_000)
    if not mails:
        return [], ""
    account = load_account(ctx.runtime.settings.home)
    users = {account.address.lower()} - {""}
    names = {p.name for p in ctx.runtime.store.people.list()}
    scored = triage.score_mails(mails, user_addresses=users, remembered_names=names)
    store.set_scores({s.id: (s.junk, s.keep) for s in scored})
    groups = triage.triage(mails, user_addresses=users, remembered_names=names, scored=scored)
    return groups, triage.summarize(groups)


@tool("read")
async def triage_mail(ctx: ToolContext) -> ToolResult:
    """Look through your email and suggest what to keep and what to let go."""
    groups, summary = await asyncio.to_thread(_triage_now, ctx)
    if not groups:
        return ToolResult(text="Your inbox is empty here. Import some mail first "
                               "(\"import my mail from ~/mail.mbox\") or set up your account.")
    stale = next((g for g in groups if g.stale), None)
    if stale is not None:
        keep = sorted(set(stale.keep_ids))
        ctx.runtime.store.profile.set(PROPOSAL, {
            "label": stale.label, "keep": keep, "let_go": sorted(set(stale.ids) - set(keep))})
    return ToolResult(text=summary, data={"groups": len(groups)})


def _proposal(ctx: ToolContext) -> dict[str, Any]:
    proposal = ctx.runtime.store.profile.get(PROPOSAL)
    if not proposal:
        raise ToolError("I haven't suggested anything yet. Ask me to look through your email first.")
    return dict(proposal)


@tool("read")
def show_keepers(ctx: ToolContext) -> ToolResult:
    """Show the emails I'd keep from the group I suggested tidying."""
    proposal = _proposal(ctx)
    kept = _store(ctx).get_many(proposal["keep"][:10])
    if not kept:
        return ToolResult(text=f"I wouldn't keep any of the {proposal['label']} emails.")
    more = len(proposal["keep"]) - len(kept)
    lines = "\n".join(f"- {_line(m)}" for m in kept)
    tail = f"\n…and {more} more." if more > 0 else ""
    return ToolResult(text=f"The {proposal['label']} emails I'd keep:\n{lines}{tail}",
                      untrusted=f"emails from {proposal['label']}")


def _preview_cleanup(ctx: ToolContext, action: str = "trash") -> str:
    proposal = ctx.runtime.store.profile.get(PROPOSAL) or {}
    where = "the archive" if action == "archive" else "the trash"
    return (f"move {len(proposal.get('let_go', []))} emails from {proposal.get('label', '?')} to {where}, "
            f"keeping {len(proposal.get('keep', []))} (you can undo this)")


@tool("reversible", scopes=("mail.organize",), preview=_preview_cleanup)
async def clean_up(ctx: ToolContext, action: str = "trash") -> ToolResult:
    """Move the emails I suggested letting go to the trash (or the archive), keeping the good ones."""
    proposal = _proposal(ctx)
    status = "archived" if action.lower().startswith("arch") else "trashed"
    result = await asyncio.to_thread(cleanup.move, _store(ctx), proposal["let_go"], status,
                                     accounts=_accounts(_account(ctx)))
    ctx.runtime.store.profile.set(PROPOSAL, None)
    kept = len(proposal["keep"])
    return ToolResult(
        text=f"{result.describe()} I kept {kept} from {proposal['label']}. "
             "Say \"undo that\" to put them back.",
        undo=result.undo, summary=f"{result.describe()} ({proposal['label']})")


@tool("reversible", journaled=False, scopes=("mail.organize",))
async def restore(ctx: ToolContext, ids: list[int], status: str = "inbox") -> ToolResult:
    """Put moved emails back where they were."""
    result = await asyncio.to_thread(cleanup.restore, _store(ctx), ids, status,
                                     accounts=_accounts(_account(ctx)))
    return ToolResult(text=result.describe())


# -- finding and reading ---------------------------------------------------------------------
def _sender_words(ctx: ToolContext, sender: str) -> str:
    """'my mom' → the name the user gave their mother, when OS1 knows it; else the words."""
    sender = sender.strip().rstrip("?.!").strip()
    relation = "mother" if _MOTHER.match(sender) else "father" if _FATHER.match(sender) else ""
    if relation:
        for person in ctx.runtime.store.people.list():
            if relation in (getattr(person, "relation", "") or "").lower():
                return person.name
        return relation if relation != "mother" else "mom"
    return re.sub(r"^my ", "", sender, flags=re.I)


@tool("read")
async def find_mail(ctx: ToolContext, query: str = "", sender: str = "") -> ToolResult:
    """Find emails by what they're about and/or who sent them."""
    who = _sender_words(ctx, sender) if sender else None
    if not query.strip() and not who:
        raise ToolError("What should I look for?")
    store = _store(ctx)
    hits = await asyncio.to_thread(search.search_hits, store, query, who, 5)
    mails = store.get_many([h.id for h in hits])
    if not mails:
        about = f" about {query}" if query.strip() else ""
        return ToolResult(text=f"I couldn't find any email{' from ' + who if who else ''}{about}.")
    lines = "\n".join(f"- {_line(m)}" for m in mails)
    return ToolResult(text=f"Here's what I found:\n{lines}", data={"ids": [m.id for m in mails]},
                      untrusted="emails in your mailbox")


@tool("read")
async def read_mail(ctx: ToolContext, sender: str = "") -> ToolResult:
    """Read the latest email (from someone) out loud."""
    who = _sender_words(ctx, sender) if sender else None
    store = _store(ctx)
    hits = await asyncio.to_thread(search.search_hits, store, "", who, 1) if who else []
    mails = store.get_many([h.id for h in hits]) if who else store.list(status="inbox", limit=1)
    if not mails:
        return ToolResult(text=f"I don't see any email{' from ' + who if who else ''}.")
    mail = mails[0]
    body = re.sub(r"\n{3,}", "\n\n", mail.text.strip())
    cut = body[:READ_CHARS] + ("…" if len(body) > READ_CHARS else "")
    return ToolResult(text=f"{_line(mail)}\n\n{cut}", data={"id": mail.id},
                      untrusted=f"an email from {mail.sender.email or 'someone'}")


# -- writing ---------------------------------------------------------------------------------------
def _tone(store: MailStore, address: str) -> tuple[str, str]:
    """The user's usual greeting word and sign-off, from mail they sent (defaults when none)."""
    greetings: Counter[str] = Counter()
    signoffs: Counter[str] = Counter()
    if address:
        for mail in store.list(status=None, sender=address, limit=200):
            lines = [line.strip() for line in mail.text.splitlines() if line.strip()
                     and not line.startswith(">")]
            if len(lines) >= 2:
                first = lines[0].split()[0].rstrip(",") if lines[0].split() else ""
                if first.lower() in ("hi", "hey", "hello", "dear", "hiya"):
                    greetings[first] += 1
                signoffs["\n".join(lines[-2:]) if len(lines[-1]) < 30 and len(lines[-2]) < 30
                         else lines[-1]] += 1
    greeting = greetings.most_common(1)[0][0] if greetings else "Hi"
    signoff = signoffs.most_common(1)[0][0] if signoffs else ""
    return greeting, signoff


def _drafts(ctx: ToolContext) -> Path:
    folder = ctx.runtime.settings.home / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@tool("reversible", scopes=("mail.send",))
def draft_email(ctx: ToolContext, to: str, about: str, subject: str = "") -> ToolResult:
    """Write a draft email for you to check before anything is sent."""
    account = _account(ctx)
    try:
        to_list = compose.recipients(to)
    except ValueError as exc:
        raise ToolError(f"I can't write to that: {exc}.") from exc
    name = to_list[0].split("<")[0].strip() if "<" in to_list[0] else ""
    greeting, signoff = _tone(_store(ctx), account.address)
    user = ctx.runtime.profile.user_name or ""
    text = about.strip()
    text = text[0].upper() + text[1:] if text else ""
    if text and text[-1] not in ".!?":
        text += "."
    body = f"{greeting}{' ' + name if name else ''},\n\n{text}\n\n{signoff or user}".strip()
    message = compose.build(account, to_list, subject or _subject_from(about), body)
    path = _drafts(ctx) / f"draft-{int(time.time() * 1000)}.eml"
    path.write_bytes(bytes(message))
    ctx.runtime.store.profile.set(DRAFT, str(path))
    return ToolResult(text=f"Here's a draft:\n\nTo: {message['To']}\nSubject: {message['Subject']}\n\n"
                           f"{body}\n\nShall I send it?",
                      undo={"tool": "discard_draft", "arguments": {"path": str(path)}},
                      summary=f"drafted an email to {message['To']}")


def _subject_from(about: str) -> str:
    words = about.strip().split()
    return " ".join(words[:6]).rstrip(".,!?").capitalize() if words else "Hello"


@tool("reversible", journaled=False, scopes=("mail.send",))
def discard_draft(ctx: ToolContext, path: str) -> ToolResult:
    """Throw a draft away."""
    draft = Path(path)
    if draft.parent == _drafts(ctx) and draft.exists():
        draft.unlink()
    if ctx.runtime.store.profile.get(DRAFT) == path:
        ctx.runtime.store.profile.set(DRAFT, None)
    return ToolResult(text="I've thrown that draft away.")


def _load_draft(ctx: ToolContext) -> tuple[Path, EmailMessage]:
    path = ctx.runtime.store.profile.get(DRAFT)
    if not path or not Path(path).exists():
        raise ToolError("There's no draft waiting to be sent.")
    message = email.message_from_bytes(Path(path).read_bytes(), policy=email.policy.default)
    return Path(path), message  # type: ignore[return-value]


def _preview_send(ctx: ToolContext) -> str:
    try:
        return compose.preview(_load_draft(ctx)[1])
    except ToolError:
        return "send the draft email (there is none right now)"


@tool("outbound", scopes=("mail.send",), preview=_preview_send)
async def send_draft(ctx: ToolContext) -> ToolResult:
    """Send the draft email."""
    path, message = _load_draft(ctx)
    try:
        await compose.send(_account(ctx), message)
    except (compose.SendError, AccountError) as exc:
        raise ToolError(f"I couldn't send it: {exc}. The draft is still here.") from exc
    sent = path.parent.parent / "sent"
    sent.mkdir(exist_ok=True)
    path.rename(sent / path.name)
    ctx.runtime.store.profile.set(DRAFT, None)
    return ToolResult(text=f"Sent to {message['To']}.")


# -- for good ------------------------------------------------------------------------------------------
def _trashed_ids(ctx: ToolContext) -> list[int]:
    return [m.id for m in _store(ctx).list(status="trashed", limit=1_000_000)]


def _preview_empty(ctx: ToolContext) -> str:
    return f"delete the {len(_trashed_ids(ctx))} emails in the trash for good — they can't be brought back"


@tool("outbound", scopes=("mail.organize",), preview=_preview_empty)
async def empty_trash(ctx: ToolContext) -> ToolResult:
    """Delete the emails in the trash for good (asks first, every time)."""
    ids = _trashed_ids(ctx)
    if not ids:
        return ToolResult(text="The trash is already empty.")
    result = await asyncio.to_thread(cleanup.purge, _store(ctx), ids, True, accounts=_accounts(_account(ctx)))
    extra = " " + " ".join(result.problems[:2]) if result.problems else ""
    return ToolResult(text=f"Deleted {len(result.deleted)} emails for good.{extra}")


# -- threads ---------------------------------------------------------------------------------------------
_QUOTE = re.compile(r"^\s*(>|on .{5,80} wrote:$)", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def gist(text: str, limit: int = 140) -> str:
    """The first real sentence of a message: no greeting, no quoted text, no signature."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not _QUOTE.match(line)]
    if lines and len(lines[0].split()) <= 3 and lines[0].endswith(","):
        lines = lines[1:]  # "Hi Paul,"
    body = " ".join(lines)
    first = _SENTENCE.split(body, maxsplit=1)[0] if body else ""
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


@tool("read")
async def summarize_thread(ctx: ToolContext, query: str) -> ToolResult:
    """Sum up an email conversation: who said what, in order."""
    store = _store(ctx)
    hits = await asyncio.to_thread(search.search_hits, store, query, None, 1)
    if not hits:
        return ToolResult(text=f"I couldn't find an email conversation about {query}.")
    first = store.get(hits[0].id)
    assert first is not None
    topic = triage.normalized_subject(first.subject)
    thread = [m for m in store.list(status=None, limit=5000)
              if triage.normalized_subject(m.subject) == topic] if topic else [first]
    thread.sort(key=lambda m: m.date or 0)
    lines = []
    for mail in thread[-12:]:
        when = time.strftime("%b %d", time.localtime(mail.date)) if mail.date else "undated"
        lines.append(f"- {mail.sender.name or mail.sender.email} ({when}): {gist(mail.text)}")
    people = sorted({m.sender.name or m.sender.email for m in thread})
    head = (f"“{first.subject}”: {len(thread)} email{'s' if len(thread) != 1 else ''} between "
            f"{', '.join(people[:5])}.")
    return ToolResult(text=head + "\n" + "\n".join(lines), untrusted=f"the emails about {first.subject}")
