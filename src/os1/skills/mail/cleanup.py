"""Cleanup that can be undone: archive or trash mail, restore it, and — only with an explicit
confirmation — delete trashed mail for good.

Locally a move is a status change (``inbox`` → ``archived`` / ``trashed``): nothing is
deleted, so every move can be reversed. Mail synced from IMAP is also moved on the server,
into its Trash or Archive folder (found by the special-use flag or the usual names, created
when missing), with ``MOVE`` when the server has it, otherwise ``COPY`` and the ``\\Deleted``
flag without any EXPUNGE, so the user's copy stays recoverable. Every move returns the
journal's undo: ``{"tool": "restore", "arguments": {"ids": [...], "status": "inbox"}}``.

:func:`purge` is the only way anything is deleted: it needs ``confirmed=True`` and touches
only mail that is already in the trash; on the server it expunges only inside Trash.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from os1.skills.mail.importers import DROPPED, ImapAccount, MailImportError, connect_imap
from os1.skills.mail.store import MailStore, StoredMail

TARGETS = ("archived", "trashed")
SPECIAL = {"trashed": (b"\\Trash", "Trash"), "archived": (b"\\Archive", "Archive")}
_COPYUID = re.compile(rb"COPYUID\s+(\d+)\s+([\d:,]+)\s+([\d:,]+)", re.IGNORECASE)
Connect = Callable[[ImapAccount], Any]
Accounts = Mapping[str, ImapAccount] | None  # account key ("user@host") -> how to sign in


class CleanupError(Exception):
    """A cleanup request that cannot be done as asked (bad status, no confirmation)."""


@dataclass
class CleanupResult:
    ids: list[int]  # the mail whose status changed
    status: str  # the new status
    previous: str = "inbox"  # the status to restore on undo
    server_moved: int = 0  # messages moved on IMAP servers
    problems: list[str] = field(default_factory=list)

    @property
    def undo(self) -> dict[str, Any] | None:
        if not self.ids:
            return None
        return {"tool": "restore", "arguments": {"ids": list(self.ids), "status": self.previous}}

    def describe(self) -> str:
        verb = {"trashed": "Moved to the trash", "archived": "Archived", "inbox": "Put back in the inbox"}
        plural = "s" if len(self.ids) != 1 else ""
        text = f"{verb.get(self.status, self.status)}: {len(self.ids)} email{plural}."
        if self.problems:
            text += " " + " ".join(self.problems[:3])
        return text


@dataclass
class PurgeResult:
    deleted: list[int]
    refused: list[int]  # not in the trash (or not found): left alone
    problems: list[str] = field(default_factory=list)


def move(store: MailStore, ids: Sequence[int], status: str, *, accounts: Accounts = None,
         connect: Connect = connect_imap) -> CleanupResult:
    """Archive or trash mail (recoverable). IMAP mail moves on the server too when its account is given."""
    if status not in TARGETS:
        raise CleanupError(f"Mail can be moved to {' or '.join(TARGETS)}, not {status!r}.")
    return _apply(store, ids, status, accounts, connect)


def restore(store: MailStore, ids: Sequence[int], status: str = "inbox", *,
            accounts: Accounts = None, connect: Connect = connect_imap) -> CleanupResult:
    """Undo a move: put mail back (by default into the folder it came from)."""
    if status not in ("inbox", *TARGETS):
        raise CleanupError(f"Mail can be restored to inbox, archived or trashed, not {status!r}.")
    return _apply(store, ids, status, accounts, connect)


def _apply(store: MailStore, ids: Sequence[int], status: str, accounts: Accounts,
           connect: Connect) -> CleanupResult:
    mails = store.get_many(list(dict.fromkeys(ids)))
    gone = len(set(ids)) - len(mails)
    problems = [f"{gone} of them no longer exist."] if gone else []
    todo = [m for m in mails if m.status != status]
    before = [m.status for m in todo]
    previous = max(set(before), key=before.count) if before else "inbox"
    result = CleanupResult(ids=[m.id for m in todo], status=status, previous=previous, problems=problems)
    by_account: dict[str, list[StoredMail]] = defaultdict(list)
    for mail in todo:
        if mail.account:
            by_account[mail.account].append(mail)
    for account_key, group in by_account.items():
        account = (accounts or {}).get(account_key)
        if account is None:
            result.problems.append(f"{len(group)} stay where they are on {account_key} (not signed in); "
                                   "only OS1's copy changed.")
            continue
        try:
            result.server_moved += _move_on_server(store, account, group, status, connect, result.problems)
        except (*DROPPED, MailImportError, imaplib.IMAP4.error) as exc:
            result.problems.append(f"The server {account.host} could not move them ({exc}); "
                                   "only OS1's copy changed.")
    store.set_status(result.ids, status)
    return result


def purge(store: MailStore, ids: Sequence[int], confirmed: bool, *,
          accounts: Accounts = None, connect: Connect = connect_imap) -> PurgeResult:
    """Delete trashed mail for good — only with ``confirmed=True`` and only what is in the trash."""
    if not confirmed:
        raise CleanupError("Deleting mail for good needs the user's explicit confirmation.")
    mails = store.get_many(list(dict.fromkeys(ids)))
    trashed = [m for m in mails if m.status == "trashed"]
    found = {m.id for m in trashed}
    result = PurgeResult(deleted=[], refused=[i for i in dict.fromkeys(ids) if i not in found])
    local = [m.id for m in trashed if not m.account]
    by_account: dict[str, list[StoredMail]] = defaultdict(list)
    for mail in trashed:
        if mail.account:
            by_account[mail.account].append(mail)
    for account_key, group in by_account.items():
        account = (accounts or {}).get(account_key)
        if account is None:
            result.problems.append(f"{len(group)} kept: sign in to {account_key} to delete them there too.")
            result.refused += [m.id for m in group]
            continue
        try:
            done = _expunge_from_trash(account, group, connect)
            local += done
            kept = [m.id for m in group if m.id not in set(done)]
            if kept:
                result.refused += kept
                result.problems.append(f"{len(kept)} kept: they are not in the Trash on {account.host}.")
        except (*DROPPED, MailImportError, imaplib.IMAP4.error) as exc:
            result.problems.append(f"{len(group)} kept: the server {account.host} failed ({exc}).")
            result.refused += [m.id for m in group]
    store.delete(local)
    result.deleted = local
    return result


# -- IMAP ----------------------------------------------------------------------------------------
def special_folder(client: Any, status: str) -> str:
    """The server's Trash or Archive folder, created (and subscribed) if it does not exist."""
    flag, name = SPECIAL[status]
    found = client.find_special_folder(flag)
    if found:
        return str(found)
    prefix = ""
    with contextlib.suppress(Exception):
        if client.has_capability("NAMESPACE"):
            personal = client.namespace().personal
            if personal:
                prefix = personal[0][0] or ""
    folder = prefix + name
    if not client.folder_exists(folder):
        client.create_folder(folder)
        with contextlib.suppress(imaplib.IMAP4.error):
            client.subscribe_folder(folder)
    return folder


def _uid_set(text: bytes) -> list[int]:
    out: list[int] = []
    for piece in text.split(b","):
        if b":" in piece:
            low, high = (int(x) for x in piece.split(b":"))
            out.extend(range(min(low, high), max(low, high) + 1))
        elif piece:
            out.append(int(piece))
    return out


def _copyuid(*responses: Any) -> tuple[int | None, dict[int, int]]:
    """(destination UIDVALIDITY, old UID -> new UID) from a COPYUID response code, if the server sent one:
    untagged after MOVE (imaplib keeps it without the word COPYUID), in the tagged reply after COPY."""
    for response in responses:
        for item in response if isinstance(response, list | tuple) else [response]:
            data = item if isinstance(item, bytes) else str(item or "").encode()
            match = _COPYUID.search(data if not data[:1].isdigit() else b"COPYUID " + data)
            if match:
                src, dst = _uid_set(match.group(2)), _uid_set(match.group(3))
                if len(src) == len(dst):
                    return int(match.group(1)), dict(zip(src, dst, strict=True))
    return None, {}


def _locate(client: Any, mails: list[StoredMail], uidvalidity: int) -> dict[int, int]:
    """mail id -> UID in the selected folder: the stored UID when still valid, else by Message-ID."""
    out: dict[int, int] = {}
    for mail in mails:
        if mail.server_uid is not None and mail.server_uidvalidity == uidvalidity:
            out[mail.id] = int(mail.server_uid)
        elif not mail.message_id.startswith("<sha1:"):
            hits = client.search(["HEADER", "Message-ID", mail.message_id])
            if hits:
                out[mail.id] = int(max(hits))
    return out


def _move_on_server(store: MailStore, account: ImapAccount, mails: list[StoredMail], status: str,
                    connect: Connect, problems: list[str]) -> int:
    client = connect(account)
    moved = 0
    try:
        if status in TARGETS:
            target = special_folder(client, status)
            destination_of = {m.id: target for m in mails}
        else:  # back where it came from
            destination_of = {m.id: m.folder for m in mails}
        by_folder: dict[tuple[str, str], list[StoredMail]] = defaultdict(list)
        for mail in mails:
            here = mail.server_folder or mail.folder
            if here != destination_of[mail.id]:
                by_folder[(here, destination_of[mail.id])].append(mail)
        can_move = client.has_capability("MOVE")
        for (here, there), group in by_folder.items():
            if not client.folder_exists(there):
                client.create_folder(there)
            info = client.select_folder(here)
            uids = _locate(client, group, int(info.get(b"UIDVALIDITY", 0)))
            missing = len(group) - len(uids)
            if missing:
                problems.append(f"{missing} could not be found in {here} on {account.host}.")
            if not uids:
                continue
            uid_list = sorted(set(uids.values()))
            client._imap.untagged_responses.pop("COPYUID", None)
            if can_move:
                tagged = client.move(uid_list, there)
            else:  # COPY, then mark the original deleted; no EXPUNGE, so it stays recoverable
                tagged = client.copy(uid_list, there)
                client.add_flags(uid_list, [b"\\Deleted"], silent=True)
            new_validity, mapping = _copyuid(client._imap.untagged_responses.pop("COPYUID", None), tagged)
            for mail_id, uid in uids.items():
                store.set_location(mail_id, there, mapping.get(uid), new_validity if uid in mapping else None)
            moved += len(uids)
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    return moved


def _expunge_from_trash(account: ImapAccount, mails: list[StoredMail], connect: Connect) -> list[int]:
    """Delete the given trashed messages from the server's Trash; returns the ids dealt with."""
    client = connect(account)
    done: list[int] = []
    try:
        trash = special_folder(client, "trashed")
        by_folder: dict[str, list[StoredMail]] = defaultdict(list)
        for mail in mails:
            by_folder[mail.server_folder or mail.folder].append(mail)
        for folder, group in by_folder.items():
            if folder != trash:  # never expunge outside Trash: keep these for the user to look at
                continue
            info = client.select_folder(folder)
            uids = _locate(client, group, int(info.get(b"UIDVALIDITY", 0)))
            if uids:
                client.add_flags(sorted(uids.values()), [b"\\Deleted"], silent=True)
                if client.has_capability("UIDPLUS"):
                    client.uid_expunge(sorted(uids.values()))
            done += [m.id for m in group]  # found and deleted, or already gone from the server
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    return done
