"""IMAP sync and cleanup against a real local IMAP server (Debian's dovecot), not a mock.

The fixture writes a minimal dovecot config (127.0.0.1 on a free port, no TLS, plaintext
login, one passwd-file user, Maildir storage) into a temporary folder and runs
``dovecot -F -c CONF`` as the current user — or, as root, with the login and mail
processes as ``nobody`` (dovecot refuses to run those as root). It skips when dovecot is
not installed, and always stops the server.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from os1.skills.mail.cleanup import move, purge, restore
from os1.skills.mail.importers import ImapAccount, MailImportError, connect_imap, sync_imap
from os1.skills.mail.store import MailStore
from os1.storage.sqlite import SQLiteStore

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "theo", "her-2013"
CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
  default_fields = uid={user} gid={group} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Dovecot:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.process: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:  # dovecot will not run login or mail processes as root
            user, group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
        else:
            user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
        for sub in ("run", "state", "mail", "home"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            for sub in ("mail", "home"):
                shutil.chown(root / sub, user, group)
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:::::\n")
        self.conf = root / "dovecot.conf"
        self.conf.write_text(CONFIG.format(root=root, user=user, group=group, port=port))

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.root / "dovecot.log").read_text(errors="replace")[-3000:]
        return ""

    def start(self) -> None:
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()} {self.log()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5) as s:
                if s.recv(64).startswith(b"* OK"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start listening on {self.port}: {self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        if process.stderr:
            process.stderr.close()
        with contextlib.suppress(ProcessLookupError):  # children of a killed master
            os.killpg(process.pid, signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def account(self) -> ImapAccount:
        return ImapAccount(host="127.0.0.1", port=self.port, username=USER, password=PASSWORD, ssl=False,
                           timeout=10)


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd): "
                    "the IMAP tests need a real server")
    root = Path(tempfile.mkdtemp(prefix="os1-dovecot-"))
    root.chmod(0o755)  # the unprivileged login process must reach its sockets
    server = Dovecot(root, free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def store(tmp_path) -> Iterator[MailStore]:
    db = SQLiteStore(tmp_path / "os1.db")
    yield MailStore(db)
    db.close()


def mail(n: int) -> bytes:
    return (f"From: Colleague {n} <c{n}@oldjob.example>\r\nTo: theo@example.com\r\nSubject: report {n}\r\n"
            f"Message-ID: <r{n}@oldjob.example>\r\nDate: Mon, 01 Jan 2018 10:00:00 +0000\r\n\r\n"
            f"The numbers for week {n}.\r\n").encode()


def seed(server: Dovecot, numbers: range, folder: str = "INBOX") -> None:
    client = connect_imap(server.account)
    try:
        client.multiappend(folder, [mail(n) for n in numbers])
    finally:
        client.logout()


def folder_count(server: Dovecot, folder: str) -> int:
    client = connect_imap(server.account)
    try:
        if not client.folder_exists(folder):
            return 0
        return int(client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"])
    finally:
        client.logout()


def test_full_then_incremental_sync(dovecot, store):
    seed(dovecot, range(250))
    calls: list[tuple[int, int]] = []
    report = sync_imap(store, dovecot.account, progress=lambda d, t: calls.append((d, t)))
    assert (report.imported, report.duplicates, report.skipped) == (250, 0, [])
    assert calls[0] == (0, 250) and calls[-1] == (250, 250) and len(calls) == 3  # batches of 200
    stored = store.list(limit=1)[0]
    assert store.raw(stored.id) == mail(int(stored.subject.split()[-1]))  # byte for byte
    assert stored.source == f"imap:{USER}@127.0.0.1" and stored.server_folder == "INBOX"
    assert stored.seen is False  # BODY.PEEK: syncing never marks mail read
    client = connect_imap(dovecot.account)
    client.select_folder("INBOX", readonly=True)
    assert not any(b"\\Seen" in f[b"FLAGS"] for f in client.fetch(client.search("ALL"), ["FLAGS"]).values())
    client.logout()

    seed(dovecot, range(250, 255))
    report = sync_imap(store, dovecot.account)
    assert (report.imported, report.duplicates) == (5, 0)  # only the new ones are fetched
    assert sync_imap(store, dovecot.account).imported == 0
    assert store.count() == 255
    assert store.sync_state(dovecot.account.key, "INBOX")["last_uid"] == 255


def test_dropped_connection_resumes_without_duplicates_or_losses(dovecot, store):
    seed(dovecot, range(450))
    restarted: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == 100 and not restarted:  # the server goes away in the middle of the sync
            restarted.append(done)
            dovecot.restart()

    connections: list[ImapAccount] = []

    def connect(account: ImapAccount):  # the real connect, counted
        connections.append(account)
        return connect_imap(account)

    report = sync_imap(store, dovecot.account, progress=progress, batch=100, retry_delay=0.1, connect=connect)
    assert restarted == [100] and len(connections) == 2  # the drop was noticed and the sync reconnected
    assert (report.imported, report.duplicates, report.skipped) == (450, 0, [])
    ids = {m.message_id for m in store.list(limit=1000)}
    assert ids == {f"<r{n}@oldjob.example>" for n in range(450)}


def test_server_that_stays_down_gives_a_clear_error_and_keeps_progress(dovecot, store):
    seed(dovecot, range(300))

    def progress(done: int, total: int) -> None:
        if done == 100:
            dovecot.stop()

    with pytest.raises(MailImportError, match="kept dropping"):
        sync_imap(store, dovecot.account, progress=progress, batch=100, max_retries=2, retry_delay=0.05)
    assert store.count() == 100
    dovecot.start()
    report = sync_imap(store, dovecot.account)
    assert (report.imported, report.duplicates) == (200, 0) and store.count() == 300


def test_wrong_password_is_a_clear_error(dovecot, store):
    account = dovecot.account
    account.password = "wrong"
    with pytest.raises(MailImportError, match="refused the login"):
        sync_imap(store, account)


def test_cleanup_moves_to_trash_on_the_server_and_undo_moves_back(dovecot, store):
    seed(dovecot, range(10))
    sync_imap(store, dovecot.account)
    accounts = {dovecot.account.key: dovecot.account}
    ids = [m.id for m in store.list(limit=4)]
    result = move(store, ids, "trashed", accounts=accounts)
    assert result.server_moved == 4 and not result.problems
    assert folder_count(dovecot, "INBOX") == 6 and folder_count(dovecot, "Trash") == 4  # Trash was created
    assert {store.get(i).server_folder for i in ids} == {"Trash"}
    assert all(store.get(i).server_uid for i in ids)  # COPYUID told where they went

    undo = result.undo
    assert undo == {"tool": "restore", "arguments": {"ids": ids, "status": "inbox"}}
    back = restore(store, **undo["arguments"], accounts=accounts)
    assert back.server_moved == 4 and not back.problems
    assert folder_count(dovecot, "INBOX") == 10 and folder_count(dovecot, "Trash") == 0
    assert store.count() == 10 and {store.get(i).server_folder for i in ids} == {"INBOX"}
    again = sync_imap(store, dovecot.account)  # they came back with new UIDs: recognised, not re-imported
    assert (again.imported, again.duplicates) == (0, 4)

    archived = move(store, ids[:2], "archived", accounts=accounts)
    assert archived.server_moved == 2 and folder_count(dovecot, "Archive") == 2
    trashed = move(store, ids[:2], "trashed", accounts=accounts)  # Archive -> Trash
    assert trashed.previous == "archived" and folder_count(dovecot, "Trash") == 2
    restore(store, **trashed.undo["arguments"], accounts=accounts)
    assert folder_count(dovecot, "Archive") == 2 and folder_count(dovecot, "Trash") == 0


def test_purge_expunges_only_from_trash(dovecot, store):
    seed(dovecot, range(5))
    sync_imap(store, dovecot.account)
    accounts = {dovecot.account.key: dovecot.account}
    ids = [m.id for m in store.list(limit=5)]
    move(store, ids[:2], "trashed", accounts=accounts)
    result = purge(store, ids, confirmed=True, accounts=accounts)  # three are not trashed: refused
    assert sorted(result.deleted) == sorted(ids[:2]) and sorted(result.refused) == sorted(ids[2:])
    assert folder_count(dovecot, "Trash") == 0 and folder_count(dovecot, "INBOX") == 3
    assert store.count() == 3
