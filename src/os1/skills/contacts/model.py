"""The Contact record shared by the vCard importer, the mail deriver, merging, ranking and the store."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

TIERS = ("close", "friend", "acquaintance", "unknown")


@dataclass
class Contact:
    """One person (or group, organization, place) OS1 knows about.

    ``messages_from`` counts mail they sent the user, ``messages_to`` mail the user sent them;
    the ``personal_*`` counts are the subset addressed to few people (not group mail).
    """

    id: int | None = None
    name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    org: str = ""                   # ORG components joined with "; " (name; unit; sub-unit)
    notes: str = ""
    sources: list[str] = field(default_factory=list)   # "vcard:<file>", "mail", ...
    closeness: float = 0.0
    last_contact: float | None = None
    messages_from: int = 0
    messages_to: int = 0
    # beyond the contract: kept so nothing from a vCard or the mail headers is lost
    first_contact: float | None = None
    personal_from: int = 0
    personal_to: int = 0
    tier: str = "unknown"
    why: str = ""
    kind: str = "individual"        # individual | group | org | location
    nicknames: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)     # CATEGORIES
    members: list[str] = field(default_factory=list)    # MEMBER of a group card (uids or mailto:)
    title: str = ""
    birthday: str = ""
    addresses: list[str] = field(default_factory=list)  # ADR: 7 components joined by ";"
    urls: list[str] = field(default_factory=list)
    uid: str = ""

    @property
    def display_name(self) -> str:
        return self.name or (self.emails[0] if self.emails else "") or (self.phones[0] if self.phones else "")

    @property
    def messages(self) -> int:
        return self.messages_from + self.messages_to

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contact:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def normalize_email(email: str) -> str:
    """The mailbox an address delivers to: lower-case, no ``+tag``; Gmail ignores dots."""
    email = email.strip().strip("<>").lower()
    if email.startswith("mailto:"):
        email = email[7:]
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    local = local.split("+", 1)[0] or local
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def phone_digits(phone: str) -> str:
    """Digits of a phone number, a leading ``+`` kept; ``00`` country prefix read as ``+``."""
    phone = phone.strip()
    if phone.lower().startswith("tel:"):
        phone = phone[4:]
    phone = re.split(r"(?i)\s*(?:ext\.?|x|;ext=)\s*\d+$", phone)[0]
    digits = re.sub(r"\D", "", phone)
    if phone.lstrip().startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def phone_key(phone: str) -> str:
    """What two numbers must share to be the same line: the last 9 digits (drops country and trunk
    prefixes, so ``+49 30 1234567`` and ``030 1234567`` agree); short numbers must match whole."""
    digits = phone_digits(phone).lstrip("+")
    return digits[-9:] if len(digits) >= 9 else digits


def fold(text: str) -> str:
    """Case- and accent-free form of a name: ``"Zoë Ångström"`` -> ``"zoe angstrom"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l").replace("Ł", "l")
    return re.sub(r"\s+", " ", plain).strip().casefold()
