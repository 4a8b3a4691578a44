"""The user's mail account: where to fetch mail (IMAP) and how to send it (SMTP).

Set in ``config.toml``::

    [mail]
    address = "theodore@example.com"
    imap_host = "imap.example.com"     # imap_port = 993, imap_ssl = true
    smtp_host = "smtp.example.com"     # smtp_port = 587, smtp_starttls = true
    username = "theodore"

and the password in the environment (``OS1_MAIL_PASSWORD``), never in a file OS1 writes or a
log line. Environment variables ``OS1_MAIL_<KEY>`` override the file for any key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class AccountError(ValueError):
    """The mail account is not set up (or not set up well enough for what was asked)."""


@dataclass(frozen=True)
class MailAccount:
    address: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    imap_host: str = ""
    imap_port: int = 993
    imap_ssl: bool = True
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_ssl: bool = False

    @property
    def can_send(self) -> bool:
        return bool(self.smtp_host and self.address)

    @property
    def can_fetch(self) -> bool:
        return bool(self.imap_host and self.username)


_INTS = {"imap_port", "smtp_port"}
_BOOLS = {"imap_ssl", "smtp_starttls", "smtp_ssl"}


def load_account(home: Path, env: dict[str, str] | None = None) -> MailAccount:
    env = dict(os.environ if env is None else env)
    values: dict[str, object] = {}
    config = home / "config.toml"
    if config.exists():
        try:
            values.update(tomllib.loads(config.read_text(encoding="utf-8")).get("mail", {}))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise AccountError(f"{config} could not be read ({exc})") from exc
    values.pop("password", None)  # never from a file
    for key in MailAccount.__dataclass_fields__:
        if f"OS1_MAIL_{key.upper()}" in env:
            values[key] = env[f"OS1_MAIL_{key.upper()}"]
    kept: dict[str, object] = {}
    for key, value in values.items():
        if key not in MailAccount.__dataclass_fields__:
            continue
        try:
            if key in _INTS:
                kept[key] = int(value)  # type: ignore[call-overload]
            elif key in _BOOLS:
                kept[key] = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
            else:
                kept[key] = str(value)
        except ValueError as exc:
            raise AccountError(f"[mail] {key} must be a number, got {value!r}") from exc
    return MailAccount(**kept)  # type: ignore[arg-type]
