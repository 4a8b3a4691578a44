"""Sending mail over a real local SMTP server (aiosmtpd): only the confirmed message goes out."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from os1.skills.mail.account import AccountError, MailAccount, load_account
from os1.skills.mail.compose import SendError, build, preview, recipients, send


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.envelopes: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _account(port: int) -> MailAccount:
    return MailAccount(address="theodore@example.com", smtp_host="127.0.0.1", smtp_port=port,
                       smtp_starttls=False)


def test_a_message_goes_out_exactly_as_previewed(smtp_server) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    message = build(_account(port), recipients("Paul <paul@example.org>"), "Saturday",
                    "Hi Paul,\n\nSee you at the party on Saturday.\n\nTheodore")
    shown = preview(message)
    assert "paul@example.org" in shown and "Saturday" in shown and "See you at the party" in shown
    asyncio.run(send(_account(port), message))
    assert inbox.envelopes == [["paul@example.org"]]
    got = inbox.messages[0]
    assert got["Subject"] == "Saturday" and got["From"] == "theodore@example.com"
    assert "See you at the party on Saturday." in got.get_payload()


def test_a_dead_server_is_a_clear_error_and_nothing_is_lost() -> None:
    message = build(_account(_free_port()), ["amy@example.org"], "Hi", "Hello")
    with pytest.raises(SendError, match="couldn't take it"):
        asyncio.run(send(_account(_free_port()), message, timeout=5))
    with pytest.raises(AccountError, match="smtp_host"):
        asyncio.run(send(MailAccount(), message))


def test_bad_addresses_are_refused_before_anything_is_sent() -> None:
    with pytest.raises(ValueError, match="not an email address"):
        recipients("paul at example")
    assert recipients("Paul <paul@example.org>, amy@example.org") == [
        "Paul <paul@example.org>", "amy@example.org"]


def test_the_password_comes_only_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config.toml").write_text(
        '[mail]\naddress = "t@example.com"\nsmtp_host = "smtp.example.com"\n'
        'password = "in-a-file"\nsmtp_port = 2525\n')
    account = load_account(tmp_path, env={"OS1_MAIL_PASSWORD": "from-env"})
    assert account.password == "from-env" and account.smtp_port == 2525
    assert "from-env" not in repr(account)
    assert load_account(tmp_path, env={}).password == ""
