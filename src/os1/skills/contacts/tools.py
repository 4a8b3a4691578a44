"""Tools of the contacts skill: import, derive from mail, merge and rank, apply (undoably), export.

Reading needs ``contacts.read``; anything that changes the saved list needs ``contacts.write`` and
is journaled with the whole previous list, so "undo that" restores it exactly.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.contacts.cleanup import propose
from os1.skills.contacts.from_mail import from_mail
from os1.skills.contacts.model import Contact, fold, normalize_email, phone_key
from os1.skills.contacts.store import ContactStore
from os1.skills.contacts.vcards import export_vcards, import_vcards

FRIEND_TIERS = ("close", "friend")


def _store(ctx: ToolContext) -> ContactStore:
    return ContactStore(ctx.runtime.store)


def _same(contact: Contact) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What makes two cards the very same card (a re-import), even with no email or phone to match."""
    return (fold(contact.name), tuple(sorted(normalize_email(e) for e in contact.emails)),
            tuple(sorted(phone_key(p) for p in contact.phones)))


def _save_merged(ctx: ToolContext, added: list[Contact]) -> tuple[dict, str, int]:
    store = _store(ctx)
    existing = store.list()
    known = {_same(c) for c in existing}
    fresh = [c for c in added if _same(c) not in known]
    proposal = propose([*existing, *fresh])
    undo = store.replace_all(proposal.contacts)
    return undo, proposal.summary, len(proposal.contacts)


@tool("reversible", scopes=("contacts.write",))
async def import_contacts(ctx: ToolContext, path: str) -> ToolResult:
    """Import contacts from a vCard file (or a folder of them)."""
    where = Path(path).expanduser()
    if not where.exists():
        raise ToolError(f"I can't find {where}.")
    contacts, skipped = await asyncio.to_thread(import_vcards, where)
    undo, _summary, total = await asyncio.to_thread(_save_merged, ctx, contacts)
    note = f" I skipped {len(skipped)} I couldn't read ({skipped[0]})." if skipped else ""
    return ToolResult(text=f"I read {len(contacts)} contacts from {where.name}; you have {total} now.{note}",
                      undo={"tool": "restore_contacts", "arguments": {"undo": undo}},
                      summary=f"imported {len(contacts)} contacts from {where.name}")


@tool("reversible", scopes=("contacts.write",))
async def contacts_from_mail(ctx: ToolContext) -> ToolResult:
    """Find the people you write with in your email and add them as contacts."""
    from os1.skills.mail.account import load_account
    from os1.skills.mail.store import MailStore

    mails = MailStore(ctx.runtime.store).list(status=None, limit=200_000)
    if not mails:
        raise ToolError("I don't have any of your email yet; import or sync it first.")
    address = load_account(ctx.runtime.settings.home).address
    found = await asyncio.to_thread(from_mail, mails, [address] if address else ())
    undo, summary, _total = await asyncio.to_thread(_save_merged, ctx, found)
    return ToolResult(text=f"From your mail I found {len(found)} people you write with. {summary}",
                      undo={"tool": "restore_contacts", "arguments": {"undo": undo}},
                      summary=f"added {len(found)} contacts from mail")


@tool("read")
async def sort_contacts(ctx: ToolContext) -> ToolResult:
    """Suggest a sorted, cleaned contact list (duplicates merged, closest people first)."""
    contacts = _store(ctx).list()
    if not contacts:
        return ToolResult(text="You don't have any contacts here yet. Import a vCard file, or ask me "
                               "to find your contacts in your email.")
    proposal = await asyncio.to_thread(propose, contacts)
    return ToolResult(text=proposal.summary + " Want me to use the cleaned list?",
                      data={"merges": proposal.merges})


@tool("reversible", scopes=("contacts.write",))
async def apply_contacts(ctx: ToolContext) -> ToolResult:
    """Replace your contact list with the cleaned one I suggested."""
    store = _store(ctx)
    before = store.count()
    proposal = await asyncio.to_thread(propose, store.list())
    undo = store.replace_all(proposal.contacts)
    return ToolResult(text=f"Done: {before} contacts became {len(proposal.contacts)}. "
                           "Say \"undo that\" to get the old list back.",
                      undo={"tool": "restore_contacts", "arguments": {"undo": undo}},
                      summary=f"cleaned the contact list ({before} → {len(proposal.contacts)})")


@tool("reversible", journaled=False, scopes=("contacts.write",))
def restore_contacts(ctx: ToolContext, undo: dict) -> ToolResult:
    """Bring back the contact list as it was."""
    count = _store(ctx).restore(undo)
    return ToolResult(text=f"Your contact list is back as it was ({count} contacts).")


@tool("read")
def my_friends(ctx: ToolContext) -> ToolResult:
    """Tell friends from acquaintances, from how you actually keep in touch."""
    store = _store(ctx)
    friends = [c for c in store.list() if c.tier in FRIEND_TIERS]
    if not friends:
        total = store.count()
        return ToolResult(text=f"From what I can see ({total} contacts) nobody stands out yet as a close "
                               "friend; that can simply mean your friends aren't in your email.")
    lines = "\n".join(f"- {c.display_name} ({c.tier}: {c.why})" for c in friends[:10])
    return ToolResult(text=f"Yes — you do. The people you're closest to:\n{lines}")


@tool("reversible", scopes=("contacts.read",))
def export_contacts(ctx: ToolContext, path: str, version: str = "3.0") -> ToolResult:
    """Save your contacts as a vCard file."""
    target = Path(path).expanduser()
    if target.exists():
        raise ToolError(f"{target} already exists; I won't overwrite it.")
    if not target.parent.is_dir():
        raise ToolError(f"The folder {target.parent} doesn't exist.")
    contacts = _store(ctx).list()
    try:
        target.write_text(export_vcards(contacts, version), encoding="utf-8", newline="")
    except ValueError as exc:
        raise ToolError(str(exc)) from exc
    return ToolResult(text=f"Saved {len(contacts)} contacts to {target}.",
                      undo={"tool": "remove_export", "arguments": {"path": str(target)}},
                      summary=f"exported contacts to {target}")


@tool("reversible", journaled=False, scopes=("contacts.read",))
def remove_export(ctx: ToolContext, path: str) -> ToolResult:
    """Remove an exported contacts file."""
    Path(path).unlink(missing_ok=True)
    return ToolResult(text=f"I removed {path}.")
