"""Merge duplicate contacts: the same person under another address, number or spelling.

Conservative on purpose — a wrong merge (two people fused) is worse than a missed one:

* same vCard UID, same mailbox (case, ``+tags`` and Gmail dots ignored) or same phone line merge,
  unless the two names clearly belong to different people ("Jane Doe" and "John Doe" sharing the family
  landline or address stay apart, and the reason is reported);
* the same full name (case, accents, order "Smith, John" / "John Smith", titles ignored) merges when
  it has at least two words;
* a looser spelling — an initial ("J. Smith"), a nickname ("Bob" / "Robert"), a short form, a first
  name alone — merges only when an email local part or a non-webmail domain also agrees.

Groups and places are never merged by name or phone. Merging keeps every email, phone and source.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from os1.skills.contacts.model import Contact, fold, normalize_email, phone_key

_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "jr", "sr", "ii", "iii", "iv", "phd",
           "md", "esq"}
_NICKNAMES = {
    "robert": {"bob", "rob", "bobby", "robbie", "bert"}, "william": {"bill", "will", "billy", "liam"},
    "richard": {"rick", "dick", "rich", "ricky"}, "james": {"jim", "jimmy", "jamie"},
    "john": {"jack", "johnny", "jon"}, "margaret": {"maggie", "peggy", "meg", "marge"},
    "elizabeth": {"liz", "beth", "betty", "lisa", "eliza", "libby"}, "katherine": {"kate", "kathy", "katie"},
    "catherine": {"cathy", "kate", "cat"}, "michael": {"mike", "mick", "mickey"},
    "thomas": {"tom", "tommy"}, "joseph": {"joe", "joey"}, "charles": {"charlie", "chuck"},
    "edward": {"ed", "eddie", "ted", "ned"}, "theodore": {"ted", "teddy", "theo"},
    "anthony": {"tony"}, "daniel": {"dan", "danny"}, "david": {"dave", "davey"},
    "steven": {"steve"}, "stephen": {"steve"}, "matthew": {"matt"}, "andrew": {"andy", "drew"},
    "christopher": {"chris", "kit"}, "christine": {"chris", "chrissy", "tina"},
    "nicholas": {"nick", "nicky"}, "alexander": {"alex", "sandy", "sasha"}, "alexandra": {"alex", "sandra"},
    "jennifer": {"jen", "jenny"}, "patricia": {"pat", "patty", "trish"}, "patrick": {"pat", "paddy"},
    "susan": {"sue", "suzy"}, "deborah": {"deb", "debbie"}, "rebecca": {"becky", "becca"},
    "samuel": {"sam", "sammy"}, "samantha": {"sam", "sammy"}, "benjamin": {"ben", "benny"},
    "jonathan": {"jon", "jonny"}, "timothy": {"tim", "timmy"}, "peter": {"pete"},
    "gregory": {"greg"}, "kenneth": {"ken", "kenny"}, "lawrence": {"larry"}, "ronald": {"ron", "ronnie"},
    "donald": {"don", "donnie"}, "francis": {"frank", "fran"}, "frances": {"fran", "frankie"},
    "victoria": {"vicky", "tori"}, "josephine": {"jo", "josie"}, "dorothy": {"dot", "dottie"},
    "johannes": {"hans", "jo"}, "giuseppe": {"beppe", "pino"}, "francesco": {"franco", "cesco"},
    "aleksandr": {"sasha", "sascha"}, "ekaterina": {"katya"}, "dmitri": {"dima"}, "jose": {"pepe"},
}
_NICK_PAIRS = {(full, nick) for full, nicks in _NICKNAMES.items() for nick in nicks}
_FREEMAIL = {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com",
             "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net",
             "web.de", "mail.ru", "yandex.ru", "protonmail.com", "proton.me", "fastmail.com", "qq.com",
             "163.com", "orange.fr", "free.fr", "libero.it", "t-online.de", "comcast.net", "att.net",
             "verizon.net", "hey.com", "zoho.com", "mail.com", "laposte.net", "btinternet.com"}
_ISOLATED = {"group", "location"}


def name_tokens(name: str) -> list[str]:
    """Folded words of a name in given … family order, without titles: "Smith, Dr. John" -> [john, smith]."""
    text = fold(name)
    if text.count(",") == 1:
        family, given = (p.strip() for p in text.split(","))
        if given and family and not set(re.findall(r"[\w']+", given)) <= _TITLES:
            text = f"{given} {family}"
    words = [w for w in re.split(r"[\s,]+", text.replace(".", ". ")) if w]
    return [w.strip(".") for w in words if w.strip(".") and w.strip(".") not in _TITLES]


def given_compatible(a: str, b: str) -> bool:
    """Could ``a`` and ``b`` be the same first name? equal, an initial, a nickname, a short form."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if (a, b) in _NICK_PAIRS or (b, a) in _NICK_PAIRS:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and long_.startswith(short)


def clearly_different(a: list[str], b: list[str]) -> bool:
    """Two full names (two words or more each) that cannot be one person: their first names disagree."""
    if len(a) < 2 or len(b) < 2 or sorted(a) == sorted(b):
        return False
    return not given_compatible(a[0], b[0])


class _Info:
    def __init__(self, index: int, contact: Contact) -> None:
        self.index = index
        self.contact = contact
        self.tokens = name_tokens(contact.name) if contact.kind not in ("org",) else [fold(contact.name)]
        self.emails = {normalize_email(e) for e in contact.emails if "@" in e}
        self.locals = {e.split("@", 1)[0] for e in self.emails}
        self.domains = {e.split("@", 1)[1] for e in self.emails} - _FREEMAIL
        self.phones = {k for k in (phone_key(p) for p in contact.phones) if len(k) >= 7}
        self.isolated = contact.kind in _ISOLATED


def _label(contact: Contact) -> str:
    name = f"“{contact.name}”" if contact.name else ""
    detail = f"<{contact.emails[0]}>" if contact.emails else (contact.phones[0] if contact.phones else "")
    return " ".join(p for p in (name, detail) if p) or "(unnamed)"


class _Clusters:
    def __init__(self, infos: list[_Info]) -> None:
        self.parent = list(range(len(infos)))
        self.members = {i: [info] for i, info in enumerate(infos)}
        self.names = {i: ({tuple(info.tokens): info} if len(info.tokens) >= 2 else {})
                      for i, info in enumerate(infos)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, a: int, b: int) -> tuple[_Info, _Info] | None:
        for x in self.names[self.find(a)].values():
            for y in self.names[self.find(b)].values():
                if clearly_different(x.tokens, y.tokens):
                    return x, y
        return None

    def union(self, a: int, b: int) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra != rb:
            self.parent[rb] = ra
            self.members[ra] += self.members.pop(rb)
            for key, info in self.names.pop(rb).items():
                self.names[ra].setdefault(key, info)


def _loose_match(x: _Info, y: _Info) -> str | None:
    """Why two differently spelled names are one person, or None."""
    a, b = x.tokens, y.tokens
    if not a or not b or x.isolated or y.isolated or x.contact.kind != y.contact.kind:
        return None
    if len(a) >= 2 and len(b) >= 2:
        if a[-1] != b[-1] or not given_compatible(a[0], b[0]):
            return None
        how = f"“{a[0]}” and “{b[0]}” can be the same first name"
    elif len(a) == 1 and len(b) == 1:
        return None
    else:
        one, full = (a, b) if len(a) == 1 else (b, a)
        if one[0] not in (full[0], full[-1]):
            return None
        how = f"“{one[0]}” is part of “{' '.join(full)}”"
    local = x.locals & y.locals
    domain = x.domains & y.domains
    if local:
        return f"{how} and both use the address name “{sorted(local)[0]}”"
    if domain:
        return f"{how} and both write from {sorted(domain)[0]}"
    return None


def merge_duplicates(contacts: Iterable[Contact]) -> tuple[list[Contact], list[str]]:
    """Merged contacts (first-seen order) and one sentence per merge, or per pair kept apart."""
    infos = [_Info(i, c) for i, c in enumerate(contacts)]
    clusters = _Clusters(infos)
    notes: list[str] = []
    kept_apart: set[tuple[int, int]] = set()

    def join(x: _Info, y: _Info, why: str, *, check_names: bool = True) -> None:
        if clusters.find(x.index) == clusters.find(y.index):
            return
        clash = clusters.conflict(x.index, y.index) if check_names else None
        if clash is not None:
            key = (min(x.index, y.index), max(x.index, y.index))
            if key not in kept_apart:
                kept_apart.add(key)
                notes.append(f"Kept {_label(clash[0].contact)} and {_label(clash[1].contact)} apart "
                             f"although {why}: the names are different people.")
            return
        clusters.union(x.index, y.index)
        notes.append(f"Merged {_label(y.contact)} into {_label(x.contact)}: {why}.")

    by: dict[str, list[_Info]] = defaultdict(list)
    for info in infos:
        if info.contact.uid:
            by[f"uid:{info.contact.uid}"].append(info)
    for info in infos:
        for email in info.emails:
            by[f"email:{email}"].append(info)
    for info in infos:
        if not info.isolated:
            for phone in info.phones:
                by[f"phone:{phone}"].append(info)
    for info in infos:
        if len(info.tokens) >= 2 and not info.isolated:
            by[f"name:{info.contact.kind}:{' '.join(sorted(info.tokens))}"].append(info)
    for key, group in by.items():
        kind, _, value = key.partition(":")
        first = group[0]
        for other in group[1:]:
            if kind == "uid":
                join(first, other, "the same vCard UID", check_names=False)
            elif kind == "email":
                join(first, other, f"the same address {value}")
            elif kind == "phone":
                if first.contact.kind != other.contact.kind:
                    continue
                join(first, other, f"the same phone number (…{value[-4:]})")
            else:
                join(first, other, "the same name")

    # loose spellings: full names compared within a surname; a lone first name with the full names
    # that start or end with it
    by_surname: dict[str, list[_Info]] = defaultdict(list)
    by_word: dict[str, list[_Info]] = defaultdict(list)
    singles: list[_Info] = []
    for info in infos:
        if info.isolated or not info.tokens:
            continue
        if len(info.tokens) >= 2:
            by_surname[info.tokens[-1]].append(info)
            by_word[info.tokens[0]].append(info)
            by_word[info.tokens[-1]].append(info)
        else:
            singles.append(info)
    pairs = [(x, y) for group in by_surname.values() for i, x in enumerate(group) for y in group[i + 1:]]
    pairs += [(x, y) for x in singles for y in by_word.get(x.tokens[0], [])]
    for x, y in pairs:
        if clusters.find(x.index) != clusters.find(y.index):
            why = _loose_match(x, y)
            if why:
                join(x, y, why)

    merged: list[Contact] = []
    seen: set[int] = set()
    for info in infos:
        root = clusters.find(info.index)
        if root in seen:
            continue
        seen.add(root)
        merged.append(combine([m.contact for m in sorted(clusters.members[root], key=lambda m: m.index)]))
    return merged, notes


def _name_quality(contact: Contact) -> tuple[int, ...]:
    """Prefer whole words, then accents and proper case ("José Núñez" over "jose nunez"), then
    "Given Family" order without titles, then a name from the address book."""
    name = contact.name
    tokens = name_tokens(name)
    whole = sum(len(t) > 1 for t in tokens)
    accents = fold(name) != name.casefold()
    cased = all(w[:1].isupper() and (len(w) < 3 or not w.isupper()) for w in name.split() if w[:1].isalpha())
    plain = "," not in name and len(tokens) == len(name.split())
    from_card = any(s.startswith("vcard") for s in contact.sources)
    return (min(whole, 3), accents, cased, plain, from_card, -abs(len(tokens) - 2))


def combine(group: list[Contact]) -> Contact:
    """One contact from several records of the same person; nothing is dropped."""
    if len(group) == 1:
        return group[0]
    best = max(group, key=_name_quality)
    out = Contact(id=next((c.id for c in group if c.id is not None), None), name=best.name, kind=best.kind)

    def extend(target: list[str], values: Iterable[str], key=lambda v: v) -> None:
        have = {key(v) for v in target}
        for value in values:
            if key(value) not in have:
                have.add(key(value))
                target.append(value)

    for c in sorted(group, key=lambda c: c is not best):
        extend(out.emails, c.emails, normalize_email)
        extend(out.phones, c.phones, phone_key)
        extend(out.sources, c.sources)
        extend(out.nicknames, c.nicknames, fold)
        extend(out.groups, c.groups, fold)
        extend(out.members, c.members)
        extend(out.addresses, c.addresses, fold)
        extend(out.urls, c.urls)
        if c.name and sorted(name_tokens(c.name)) != sorted(name_tokens(out.name)):
            extend(out.nicknames, [c.name], fold)
        for attr in ("org", "title", "birthday", "uid"):
            if not getattr(out, attr) and getattr(c, attr):
                setattr(out, attr, getattr(c, attr))
        if c.notes and c.notes not in out.notes:
            out.notes = f"{out.notes}\n{c.notes}".strip()
        out.messages_from += c.messages_from
        out.messages_to += c.messages_to
        out.personal_from += c.personal_from
        out.personal_to += c.personal_to
        out.closeness = max(out.closeness, c.closeness)
    lasts = [c.last_contact for c in group if c.last_contact is not None]
    firsts = [c.first_contact for c in group if c.first_contact is not None]
    out.last_contact = max(lasts) if lasts else None
    out.first_contact = min(firsts) if firsts else None
    return out
