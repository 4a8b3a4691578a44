"""Contacts learned from mail headers: who the user writes to and who writes to them.

Automated and bulk mail (mailing lists, ``Precedence: bulk``, newsletters with ``List-Unsubscribe``,
``noreply@``-style senders) is ignored. Mail the user sent counts towards ``messages_to`` of each
recipient; mail they received counts towards ``messages_from`` of its sender. A message is
*personal* when it went to at most ``personal_max`` people besides the user.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from os1.skills.contacts.model import Contact

_AUTOMATED_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?|"
    r"notifications?|notify|alerts?|newsletters?|news|info|marketing|promo(?:tions)?|updates?|"
    r"support|billing|receipts?|orders?|digest|automated|auto[-_.]?confirm|system|daemon|root|"
    r"listserv|majordomo|owner-.*|.*-(?:bounces?|owner|request|noreply|no-reply))(?:[+.-].*)?$"
)
_BULK_PRECEDENCE = {"bulk", "list", "junk"}
_LIST_HEADERS = ("list-id", "list-unsubscribe", "x-mailing-list", "mailing-list")


class _Address(Protocol):
    name: str
    email: str


class MailLike(Protocol):
    """What :func:`from_mail` reads: the MailMessage contract of skills/mail/message.py."""

    sender: Any
    to: Any
    cc: Any
    date: float | None
    headers: dict[str, str]


@dataclass
class MailContactsReport:
    """The contacts plus what was left out and why."""

    contacts: list[Contact] = field(default_factory=list)
    messages: int = 0
    sent: int = 0
    received: int = 0
    ignored_bulk: int = 0
    ignored_automated: int = 0
    ignored_other: int = 0       # neither from nor to the user (e.g. a list copy), or no sender
    user_addresses: set[str] = field(default_factory=set)


def is_automated_address(email: str) -> bool:
    """``noreply@…``, ``mailer-daemon@…``, ``newsletter@…`` and similar robot senders."""
    local = email.lower().split("@", 1)[0]
    return bool(_AUTOMATED_LOCAL.match(local))


def is_bulk(headers: dict[str, str]) -> bool:
    """Mailing-list or bulk mail, judged from its headers (keys compared case-insensitively)."""
    lower = {k.lower(): (v or "") for k, v in (headers or {}).items()}
    if any(lower.get(k, "").strip() for k in _LIST_HEADERS):
        return True
    if lower.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return True
    return lower.get("auto-submitted", "no").strip().lower() not in ("", "no")


def list_addresses(mails: Iterable[MailLike]) -> set[str]:
    """Posting addresses of the mailing lists seen (``List-Post: <mailto:…>``): not people."""
    out: set[str] = set()
    for mail in mails:
        headers = {k.lower(): v for k, v in (getattr(mail, "headers", None) or {}).items()}
        for match in re.finditer(r"mailto:([^>?,\s]+@[^>?,\s]+)", headers.get("list-post", "") or ""):
            out.add(match.group(1).lower())
    return out


def guess_user_addresses(mails: Iterable[MailLike], top: int = 1) -> set[str]:
    """When the user's own addresses are not known: the address(es) most mail was sent to."""
    counts: Counter[str] = Counter()
    for mail in mails:
        for address in (*(getattr(mail, "to", ()) or ()), *(getattr(mail, "cc", ()) or ())):
            email = (getattr(address, "email", "") or "").lower()
            if email:
                counts[email] += 1
    return {email for email, _ in counts.most_common(top)}


def _clean_name(name: str, email: str) -> str:
    name = re.sub(r"\s+", " ", (name or "").strip().strip("'\"").strip())
    if not name or "@" in name:
        return ""
    if "," in name and name.count(",") == 1:  # "Smith, John" -> "John Smith"
        family, given = (p.strip() for p in name.split(","))
        if family and given and " " not in family:
            name = f"{given} {family}"
    return name


class _Tally:
    def __init__(self, email: str) -> None:
        self.email = email
        self.names: Counter[str] = Counter()
        self.sent_to = self.got_from = self.personal_to = self.personal_from = 0
        self.first: float | None = None
        self.last: float | None = None

    def seen(self, name: str, date: float | None) -> None:
        if name:
            self.names[name] += 1
        if date is not None:
            self.first = date if self.first is None else min(self.first, date)
            self.last = date if self.last is None else max(self.last, date)

    def contact(self) -> Contact:
        name = self.names.most_common(1)[0][0] if self.names else ""
        return Contact(name=name, emails=[self.email], sources=["mail"], last_contact=self.last,
                       first_contact=self.first, messages_from=self.got_from, messages_to=self.sent_to,
                       personal_from=self.personal_from, personal_to=self.personal_to)


def _addresses(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [a for a in value if getattr(a, "email", "")]
    return [value] if getattr(value, "email", "") else []


def from_mail_report(mails: Iterable[MailLike], user_addresses: Iterable[str] = (), *,
                     personal_max: int = 3) -> MailContactsReport:
    """Contacts from mail headers, with counts of what was ignored."""
    mails = list(mails)
    report = MailContactsReport(messages=len(mails))
    users = {a.strip().lower() for a in user_addresses if a.strip()} or guess_user_addresses(mails)
    report.user_addresses = users
    tallies: dict[str, _Tally] = {}
    lists = list_addresses(mails)

    def tally(email: str) -> _Tally:
        return tallies.setdefault(email, _Tally(email))

    for mail in mails:
        senders = _addresses(getattr(mail, "sender", None))
        if not senders:
            report.ignored_other += 1
            continue
        sender = senders[0]
        sender_email = sender.email.strip().lower()
        recipients = _addresses(getattr(mail, "to", ())) + _addresses(getattr(mail, "cc", ()))
        others = {a.email.strip().lower() for a in recipients} - users - {sender_email}
        personal = len(others) <= personal_max
        date = getattr(mail, "date", None)
        if sender_email in users:
            report.sent += 1
            for address in recipients:
                email = address.email.strip().lower()
                if email in users or email in lists or is_automated_address(email):
                    continue
                t = tally(email)
                t.sent_to += 1
                t.personal_to += personal
                t.seen(_clean_name(address.name, email), date)
            continue
        if is_bulk(getattr(mail, "headers", {}) or {}):
            report.ignored_bulk += 1
            continue
        if is_automated_address(sender_email):
            report.ignored_automated += 1
            continue
        to_user = any(a.email.strip().lower() in users for a in recipients)
        if not to_user and users:
            report.ignored_other += 1  # a list copy or Bcc: it did not reach the user by name
            continue
        report.received += 1
        t = tally(sender_email)
        t.got_from += 1
        t.personal_from += personal
        t.seen(_clean_name(sender.name, sender_email), date)
    report.contacts = [t.contact() for t in tallies.values()]
    return report


def from_mail(mails: Iterable[MailLike], user_addresses: Iterable[str] = (), *,
              personal_max: int = 3) -> list[Contact]:
    """One contact per address the user corresponded with (not yet merged or ranked)."""
    return from_mail_report(mails, user_addresses, personal_max=personal_max).contacts
