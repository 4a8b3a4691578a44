"""A proposed "sorted, cleaned list" of contacts: tidied, duplicates merged, ranked by closeness.

Nothing is deleted: the proposal is shown to the user and, if accepted, applied with
:meth:`ContactStore.replace_all` (undoable).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from os1.skills.contacts.closeness import rank
from os1.skills.contacts.merge import merge_duplicates
from os1.skills.contacts.model import Contact, phone_digits


@dataclass
class Proposal:
    contacts: list[Contact]                              # closest first
    merges: list[str] = field(default_factory=list)      # "Merged … into …: why"
    kept_apart: list[str] = field(default_factory=list)  # near misses left alone, with why
    before: int = 0
    summary: str = ""


def tidy_name(name: str) -> str:
    """Collapse spaces, "Smith, John" -> "John Smith", ALL CAPS or all lower -> Title Case."""
    name = re.sub(r"\s+", " ", name.strip().strip("'\"").strip())
    if name.count(",") == 1:
        family, given = (p.strip() for p in name.split(","))
        if family and given and len(family.split()) <= 2 and not re.search(r"\b(jr|sr|iii?|phd|md)\b\.?",
                                                                         given, re.IGNORECASE):
            name = f"{given} {family}"
    if name and (name == name.lower() or name == name.upper()) and re.search(r"[a-zA-Z]", name):
        name = " ".join(w[:1].upper() + w[1:].lower() if "@" not in w else w for w in name.split())
    return name


def tidy(contact: Contact) -> Contact:
    """The same contact with tidy name, lower-case unique emails and unique phones (in place)."""
    if contact.kind == "individual":
        contact.name = tidy_name(contact.name)
    emails: list[str] = []
    for email in contact.emails:
        email = email.strip().lower()
        if email and email not in emails:
            emails.append(email)
    contact.emails = emails
    phones: list[str] = []
    seen: set[str] = set()
    for phone in contact.phones:
        phone = re.sub(r"\s+", " ", phone.strip())
        if phone and phone_digits(phone) not in seen:
            seen.add(phone_digits(phone))
            phones.append(phone)
    contact.phones = phones
    return contact


def _names(contacts: list[Contact]) -> str:
    names = [c.display_name for c in contacts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def summarize(proposal: Proposal) -> str:
    """One or two sentences for the conversation."""
    tiers = Counter(c.tier for c in proposal.contacts)
    merged = proposal.before - len(proposal.contacts)
    head = f"I went through your {proposal.before} contacts"
    head += (f": {merged} were duplicates of someone else, so {len(proposal.contacts)} remain."
             if merged else "; I found no duplicates.")
    parts = [f"{tiers[t]} {label}" for t, label in (("close", "close"), ("friend", "friends"),
                                                    ("acquaintance", "acquaintances")) if tiers[t]]
    body = ""
    if parts:
        body = f" From your mail, {', '.join(parts)}"
        if tiers["unknown"]:
            body += f"; {tiers['unknown']} I know only from the address book or barely at all"
        body += "."
    closest = [c for c in proposal.contacts if c.tier == "close"][:3]
    if closest:
        body += f" The closest: {_names(closest)}."
    return head + body


def propose(contacts: Iterable[Contact], *, now: float | None = None) -> Proposal:
    """Tidy, merge duplicates, rank: the list OS1 suggests, with every merge explained."""
    originals = [Contact.from_dict(c.to_dict()) for c in contacts]
    tidied = [tidy(c) for c in originals]
    merged, notes = merge_duplicates(tidied)
    ranked = rank(merged, now=now)
    proposal = Proposal(contacts=ranked, before=len(originals),
                        merges=[n for n in notes if n.startswith("Merged")],
                        kept_apart=[n for n in notes if not n.startswith("Merged")])
    proposal.summary = summarize(proposal)
    return proposal
