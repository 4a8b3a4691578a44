"""Writing and sending mail: drafts in the user's own tone, sent over SMTP only once confirmed.

A draft is an ordinary RFC 822 message kept with the user's mail (status ``draft``), so it can be
read back, changed or thrown away; sending is a separate, outbound tool that the consent gate
confirms every time, showing the exact message (:func:`preview`).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid

from os1.skills.mail.account import AccountError, MailAccount

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class SendError(RuntimeError):
    """The message could not be sent; the text says why (the draft is kept)."""


def recipients(text: str) -> list[str]:
    """'Paul <paul@x.com>, amy@y.org' → ['Paul <paul@x.com>', 'amy@y.org']; rejects what is not an address."""
    found = []
    for name, address in getaddresses([text]):
        address = address.strip()
        if not _EMAIL.match(address):
            raise ValueError(f"{(name or address or text).strip()!r} is not an email address")
        found.append(f"{name} <{address}>" if name else address)
    if not found:
        raise ValueError("who should it go to?")
    return found


def build(account: MailAccount, to: list[str], subject: str, body: str, *,
          in_reply_to: str = "", references: str = "", when: float | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = account.address or "me@localhost"
    message["To"] = ", ".join(to)
    message["Subject"] = subject.strip() or "(no subject)"
    message["Date"] = format_datetime(datetime.fromtimestamp(when or time.time(), UTC))
    message["Message-ID"] = make_msgid(domain=(account.address.split("@")[-1] or "localhost"))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = (references + " " + in_reply_to).strip()
    message.set_content(body.strip() + "\n")
    return message


def preview(message: EmailMessage) -> str:
    """Exactly what will be sent, for the confirmation question."""
    return (f"send this email — To: {message['To']}; Subject: {message['Subject']}; "
            f"Text: “{message.get_content().strip()}”")


async def send(account: MailAccount, message: EmailMessage, timeout: float = 30.0) -> None:
    """Send over SMTP (aiosmtplib). Raises SendError with a plain reason; never logs the password."""
    import aiosmtplib

    if not account.can_send:
        raise AccountError("I don't know your mail server yet: set [mail] address and smtp_host in "
                           "config.toml (and OS1_MAIL_PASSWORD in the environment).")
    try:
        await aiosmtplib.send(
            message, hostname=account.smtp_host, port=account.smtp_port,
            username=account.username or None, password=account.password or None,
            use_tls=account.smtp_ssl,
            start_tls=None if account.smtp_starttls and not account.smtp_ssl else False,  # None: if offered
            timeout=timeout)
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise SendError("the mail server refused the username or password") from exc
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"the mail server refused the recipients ({exc})") from exc
    except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
        raise SendError(f"the mail server at {account.smtp_host}:{account.smtp_port} "
                        f"couldn't take it ({type(exc).__name__}: {exc})") from exc
