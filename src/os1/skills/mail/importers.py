"""Bring mail into the :class:`~os1.skills.mail.store.MailStore`: mbox, Maildir, a folder of raw
messages, and IMAP.

Every importer returns an :class:`ImportReport` (imported, duplicates, and what was skipped
with where and why) and calls ``progress(done, total)`` as it goes. Nothing stops an import
but a missing source or a refused login: an unreadable file or message is skipped with a
reason. The raw bytes of every imported message are stored too.

IMAP sync is incremental: per folder, the UIDVALIDITY and the last UID imported are saved
after every batch, so the next sync (or a sync resumed after the server dropped the
connection) fetches only what is new. Messages are fetched with ``BODY.PEEK[]`` from a
folder selected read-only, so syncing never marks mail as read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import imaplib
import mailbox
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from os1.skills.mail.message import parse_message
from os1.skills.mail.store import MailStore, NewMail

Progress = Callable[[int, int], None]
BATCH = 500  # messages per store transaction for local imports
IMAP_BATCH = 200  # messages per IMAP FETCH
MAX_FILE_BYTES = 200 * 1024 * 1024  # a "message" file bigger than this is not read
_HEADER_LINE = (b"from:", b"to:", b"subject:", b"date:", b"message-id:", b"received:", b"return-path:",
                b"mime-version:", b"delivered-to:", b"reply-to:", b"sender:", b"content-type:", b"x-")


class MailImportError(Exception):
    """The import could not start or go on (no such source, login refused, server unreachable)."""


class ServerUnreachable(MailImportError):
    """The IMAP server could not be reached (worth retrying, unlike a refused login)."""


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    seconds: float = 0.0

    @property
    def seen(self) -> int:
        return self.imported + self.duplicates + len(self.skipped)

    def merge(self, other: ImportReport) -> ImportReport:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.skipped.extend(other.skipped)
        return self

    def describe(self) -> str:
        parts = [f"{self.imported} imported"]
        if self.duplicates:
            parts.append(f"{self.duplicates} already there")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


class _Batcher:
    """Collects parsed messages and writes them in batches, counting duplicates."""

    def __init__(self, store: MailStore, source: str, report: ImportReport) -> None:
        self.store, self.source, self.report = store, source, report
        self.pending: dict[str, list[NewMail]] = {}
        self.count = 0

    def add(self, raw: bytes, folder: str, uid: str | None = None, flags: str | None = None,
            note: str = "") -> None:
        msg = parse_message(raw)
        if note:
            msg = dataclasses.replace(msg, notes=(*msg.notes, note))
        self.pending.setdefault(folder, []).append(NewMail(msg, raw, uid, flags=flags))
        self.count += 1
        if self.count >= BATCH:
            self.flush()

    def flush(self) -> None:
        for folder, items in self.pending.items():
            ids = self.store.add_many(items, source=self.source, folder=folder)
            self.report.imported += len(ids)
            self.report.duplicates += len(items) - len(ids)
        self.pending, self.count = {}, 0


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# -- mbox --------------------------------------------------------------------------------------
def _mbox_tail_problem(raw: bytes, at_end: bool, file_ends_cleanly: bool) -> str | None:
    """Why the last message of a truncated mbox cannot be kept (None: it is whole enough)."""
    if not at_end or file_ends_cleanly:
        return None
    if b"\n\n" not in raw.replace(b"\r\n", b"\n"):
        return "truncated inside its headers (the mbox ends mid-message)"
    return None


def import_mbox(store: MailStore, path: Path | str, *, folder: str | None = None,
                progress: Progress | None = None, source: str | None = None) -> ImportReport:
    """Import an mbox file. A truncated file keeps every whole message; a last message cut in its
    body is kept with a note, one cut inside its headers is skipped with the reason."""
    path = Path(path)
    if not path.is_file():
        raise MailImportError(f"There is no mbox file at {path}.")
    started = time.monotonic()
    report = ImportReport()
    batcher = _Batcher(store, source or f"mbox:{path.resolve()}", report)
    folder = folder or path.stem or "INBOX"
    try:
        box = mailbox.mbox(str(path), create=False)
        keys = box.keys()
    except (OSError, mailbox.Error) as exc:
        raise MailImportError(f"Cannot read the mbox {path}: {exc}") from exc
    if not keys and path.stat().st_size > 0:
        report.skipped.append((str(path), "not an mbox file (no 'From ' separator lines)"))
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 2))
        ends_cleanly = handle.read().endswith(b"\n")
    for index, key in enumerate(keys):
        where = f"{path}#{index + 1}"
        try:
            raw = box.get_bytes(key)
        except Exception as exc:
            report.skipped.append((where, f"unreadable ({exc})"))
            continue
        problem = _mbox_tail_problem(raw, index == len(keys) - 1, ends_cleanly)
        if problem:
            report.skipped.append((where, problem))
            continue
        if not raw.strip():
            report.skipped.append((where, "empty message"))
            continue
        cut = index == len(keys) - 1 and not ends_cleanly
        note = "truncated: the mbox ends inside this message" if cut else ""
        batcher.add(raw, folder, str(index + 1), note=note)
        if index % 200 == 199:
            batcher.flush()
            _tick(progress, index + 1, len(keys))
    batcher.flush()
    box.close()
    _tick(progress, len(keys), len(keys))
    report.seconds = time.monotonic() - started
    return report


# -- Maildir -----------------------------------------------------------------------------------
def import_maildir(store: MailStore, path: Path | str, *, progress: Progress | None = None,
                   source: str | None = None) -> ImportReport:
    """Import a Maildir (``cur``/``new``) and its Maildir++ subfolders (``.Sent``, ``.Archive`` …)."""
    path = Path(path)
    if not (path / "cur").is_dir() and not (path / "new").is_dir():
        raise MailImportError(f"{path} is not a Maildir (it has no cur/ or new/ folder).")
    started = time.monotonic()
    report = ImportReport()
    batcher = _Batcher(store, source or f"maildir:{path.resolve()}", report)
    box = mailbox.Maildir(str(path), factory=None, create=False)
    boxes: list[tuple[str, mailbox.Maildir]] = [("INBOX", box)]
    try:
        boxes += [(name, box.get_folder(name)) for name in box.list_folders()]
    except OSError as exc:
        report.skipped.append((str(path), f"subfolders unreadable ({exc})"))
    keyed = [(name, sub, key) for name, sub in boxes for key in sub.iterkeys()]
    for index, (name, sub, key) in enumerate(keyed):
        try:
            raw = sub.get_bytes(key)
        except Exception as exc:
            report.skipped.append((f"{path}:{name}/{key}", f"unreadable ({exc})"))
            continue
        if not raw.strip():
            report.skipped.append((f"{path}:{name}/{key}", "empty file"))
            continue
        batcher.add(raw, name, key, _maildir_flags(sub, key))
        if index % 200 == 199:
            batcher.flush()
            _tick(progress, index + 1, len(keyed))
    batcher.flush()
    _tick(progress, len(keyed), len(keyed))
    report.seconds = time.monotonic() - started
    return report


_MAILDIR_FLAGS = {"S": "\\Seen", "R": "\\Answered", "F": "\\Flagged", "D": "\\Draft", "T": "\\Deleted"}


def _maildir_flags(box: mailbox.Maildir, key: str) -> str | None:
    """IMAP-style flags from a Maildir file name ("…:2,RS"), or None if they cannot be read."""
    try:
        name = box._lookup(key)  # the file's path inside the Maildir (no public way to get it cheaply)
    except Exception:
        return None
    info = name.rsplit(":2,", 1)[1] if ":2," in name else ""
    return " ".join(_MAILDIR_FLAGS[c] for c in info if c in _MAILDIR_FLAGS)


# -- a folder of files -------------------------------------------------------------------------
def looks_like_mail(head: bytes) -> bool:
    """True when the first bytes look like RFC 822 headers (a leading mbox 'From ' line allowed)."""
    data = head.lstrip()
    if data.startswith(b"From "):
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    if b"\x00" in data[:4096]:
        return False
    lines = data.replace(b"\r\n", b"\n").split(b"\n")[:40]
    known = sum(1 for line in lines if line.lower().startswith(_HEADER_LINE))
    return known >= 2 or (known >= 1 and lines[0].lower().startswith(_HEADER_LINE))


def _walk_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def import_files(store: MailStore, path: Path | str, *, progress: Progress | None = None,
                 source: str | None = None) -> ImportReport:
    """Import every ``.eml`` or raw RFC 822 file under a folder (recursively). A file in a
    subfolder is filed under that subfolder's path; files that are not mail are skipped."""
    root = Path(path)
    if not root.is_dir():
        raise MailImportError(f"There is no folder at {root}.")
    started = time.monotonic()
    report = ImportReport()
    batcher = _Batcher(store, source or f"files:{root.resolve()}", report)
    files = list(_walk_files(root))
    for index, file in enumerate(files):
        rel = file.relative_to(root)
        try:
            size = file.stat().st_size
            if size == 0:
                report.skipped.append((str(file), "empty file"))
                continue
            if size > MAX_FILE_BYTES:
                report.skipped.append((str(file), f"too large to be one message ({size // 2**20} MB)"))
                continue
            raw = file.read_bytes()
        except OSError as exc:
            report.skipped.append((str(file), f"unreadable ({exc.strerror or exc})"))
            continue
        if not looks_like_mail(raw[:16384]):
            report.skipped.append((str(file), "not an email (no mail headers at the start)"))
            continue
        folder = rel.parent.as_posix() if rel.parent != Path(".") else "INBOX"
        batcher.add(raw, folder, rel.as_posix())
        if index % 200 == 199:
            batcher.flush()
            _tick(progress, index + 1, len(files))
    batcher.flush()
    _tick(progress, len(files), len(files))
    report.seconds = time.monotonic() - started
    return report


def import_path(store: MailStore, path: Path | str, *, progress: Progress | None = None) -> ImportReport:
    """Pick the importer for a path: a Maildir, a folder of files, or an mbox file."""
    path = Path(path).expanduser()
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            return import_maildir(store, path, progress=progress)
        return import_files(store, path, progress=progress)
    if path.is_file():
        with path.open("rb") as handle:
            head = handle.read(16384)
        if head.startswith(b"From "):
            return import_mbox(store, path, progress=progress)
        report = ImportReport()
        if looks_like_mail(head):
            raw = path.read_bytes()
            mail_id = store.add(parse_message(raw), source=f"files:{path.parent.resolve()}",
                                uid=path.name, raw=raw)
            report.imported, report.duplicates = (1, 0) if mail_id else (0, 1)
        else:
            report.skipped.append((str(path), "neither an mbox nor an email"))
        return report
    raise MailImportError(f"There is nothing at {path}.")


# -- IMAP --------------------------------------------------------------------------------------
@dataclass
class ImapAccount:
    host: str
    username: str
    password: str  # the password or an app password; never stored by this module
    port: int = 993
    ssl: bool = True
    starttls: bool = False
    timeout: float = 60.0

    @property
    def key(self) -> str:
        """How the account is named in ``mail.source`` ("imap:<key>") and in the sync state."""
        return f"{self.username}@{self.host}"


# What a dropped or broken connection raises (imaplib.abort covers "socket error: EOF").
DROPPED = (imaplib.IMAP4.abort, OSError, socket.timeout, ssl.SSLError, EOFError)


def connect_imap(account: ImapAccount) -> Any:
    """A logged-in IMAPClient. Raises MailImportError for a refused login or unreachable server."""
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    try:
        client = IMAPClient(account.host, port=account.port, ssl=account.ssl, timeout=account.timeout)
        if account.starttls and not account.ssl:
            client.starttls(ssl.create_default_context())
    except DROPPED as exc:
        raise ServerUnreachable(
            f"Cannot reach the mail server {account.host}:{account.port} ({exc}).") from exc
    try:
        client.login(account.username, account.password)
    except LoginError as exc:
        _quiet_logout(client)
        raise MailImportError(
            f"The mail server {account.host} refused the login for {account.username}. Check the password; "
            "for Gmail, iCloud, Outlook or Yahoo use an app password.") from exc
    return client


def _quiet_logout(client: Any) -> None:
    try:
        client.logout()
    except Exception:
        with contextlib.suppress(Exception):
            client.shutdown()


def list_folders(client: Any) -> list[str]:
    """Selectable folder names on the server."""
    return [name for flags, _sep, name in client.list_folders() if b"\\Noselect" not in flags
            and b"\\NonExistent" not in flags]


def _folder_plan(client: Any, store: MailStore, account: str, folder: str) -> tuple[int, list[int]]:
    """(uidvalidity, uids to fetch) for one folder, from the stored state."""
    info = client.select_folder(folder, readonly=True)
    uidvalidity = int(info.get(b"UIDVALIDITY", 0))
    state = store.sync_state(account, folder)
    last = 0
    if state and int(state["uidvalidity"]) == uidvalidity:
        last = int(state["last_uid"])
    uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
    return uidvalidity, uids


def sync_imap(store: MailStore, account: ImapAccount, folders: list[str] | None = None, *,
              progress: Progress | None = None, batch: int = IMAP_BATCH, max_retries: int = 5,
              connect: Callable[[ImapAccount], Any] = connect_imap, retry_delay: float = 0.5) -> ImportReport:
    """Fetch what is new in ``folders`` (default: INBOX) into the store.

    A dropped connection is reconnected and the sync goes on from the last UID stored; it gives up
    (raising MailImportError, with everything fetched so far kept) after ``max_retries`` drops in a
    row without progress."""
    started = time.monotonic()
    report = ImportReport()
    source = f"imap:{account.key}"
    wanted = list(folders or ["INBOX"])
    failures = 0
    done = 0
    total: int | None = None
    client: Any = None
    remaining = list(wanted)
    while remaining:
        try:
            if client is None:
                client = connect(account)
            if total is None:  # count what is to fetch, once, for progress
                counted = 0
                for name in remaining:
                    with contextlib.suppress(imaplib.IMAP4.error):
                        counted += len(_folder_plan(client, store, account.key, name)[1])
                total = counted
                _tick(progress, 0, total)
            name = remaining[0]
            try:
                uidvalidity, uids = _folder_plan(client, store, account.key, name)
            except imaplib.IMAP4.error as exc:
                if isinstance(exc, imaplib.IMAP4.abort):
                    raise
                report.skipped.append((f"{account.key}/{name}", f"folder cannot be opened ({exc})"))
                remaining.pop(0)
                continue
            for start in range(0, len(uids), batch):
                chunk = uids[start:start + batch]
                fetched = _fetch(client, chunk)
                items: list[NewMail] = []
                for uid in chunk:
                    data = fetched.get(uid, {})
                    raw = data.get(b"BODY[]")
                    if not isinstance(raw, bytes):
                        reason = (f"the server refused to send it ({data[b'OS1-ERROR']})"
                                  if b"OS1-ERROR" in data else "gone from the server")
                        report.skipped.append((f"{account.key}/{name}/{uid}", reason))
                        continue
                    flags = " ".join(f.decode("ascii", "replace") if isinstance(f, bytes) else str(f)
                                     for f in data.get(b"FLAGS", ()))
                    items.append(NewMail(parse_message(raw), raw, str(uid), uidvalidity, flags))
                ids = store.add_many(items, source=source, folder=name)
                report.imported += len(ids)
                report.duplicates += len(items) - len(ids)
                store.save_sync_state(account.key, name, uidvalidity, chunk[-1])
                done += len(chunk)
                failures = 0
                _tick(progress, done, max(total, done))
            if not uids:
                state = store.sync_state(account.key, name)
                last = int(state["last_uid"]) if state and int(state["uidvalidity"]) == uidvalidity else 0
                store.save_sync_state(account.key, name, uidvalidity, last)
            remaining.pop(0)
        except (*DROPPED, ServerUnreachable) as exc:
            failures += 1
            _quiet_close(client)
            client = None
            if failures > max_retries:
                raise MailImportError(
                    f"The mail server {account.host} kept dropping the connection ({exc}); "
                    f"{report.imported} messages were saved and the next sync goes on from there.") from exc
            time.sleep(retry_delay * failures)
    if client is not None:
        _quiet_logout(client)
    report.seconds = time.monotonic() - started
    return report


def _fetch(client: Any, uids: list[int]) -> dict[int, Any]:
    """FETCH a batch; if the server refuses the batch (NO/BAD), fetch one by one and skip the refused."""
    try:
        return client.fetch(uids, ["BODY.PEEK[]", "FLAGS"])
    except imaplib.IMAP4.error as exc:
        if isinstance(exc, imaplib.IMAP4.abort):
            raise
    out: dict[int, Any] = {}
    for uid in uids:
        try:
            out.update(client.fetch([uid], ["BODY.PEEK[]", "FLAGS"]))
        except imaplib.IMAP4.error as exc:
            if isinstance(exc, imaplib.IMAP4.abort):
                raise
            out[uid] = {b"OS1-ERROR": str(exc)}
    return out


def _quiet_close(client: Any) -> None:
    if client is None:
        return
    with contextlib.suppress(Exception):
        client.shutdown()
