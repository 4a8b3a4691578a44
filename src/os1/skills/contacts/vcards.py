"""vCard import (2.1, 3.0, 4.0 via vobject) and export (3.0 or 4.0) for contacts.

Import never raises on bad data: a file is split into ``BEGIN:VCARD … END:VCARD`` blocks, lines that
are not vCard properties are dropped (counted, with the line number), each card is parsed on its own
and a card that still fails is skipped with a reason. Photos, logos, sounds and keys are ignored.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import vobject

from os1.skills.contacts.model import Contact

_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9_-]+)((?:;[^:]*)?):(.*)$", re.DOTALL)
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_MAX_DETAILED = 20  # garbage lines listed one by one per file; the rest are summed up


@dataclass
class VCardImport:
    """What one import found: the contacts, and everything that was skipped and why."""

    contacts: list[Contact] = field(default_factory=list)
    cards: int = 0               # BEGIN:VCARD blocks seen
    skipped_cards: int = 0
    garbage_lines: int = 0
    ignored_binary: int = 0      # photos, logos, sounds, keys (not kept)
    reasons: list[str] = field(default_factory=list)

    def extend(self, other: VCardImport) -> None:
        self.contacts += other.contacts
        self.cards += other.cards
        self.skipped_cards += other.skipped_cards
        self.garbage_lines += other.garbage_lines
        self.ignored_binary += other.ignored_binary
        self.reasons += other.reasons


def import_vcards(source: str | bytes | Path) -> tuple[list[Contact], list[str]]:
    """Contacts from a .vcf file, a folder of them, or vCard text; plus the reasons things were skipped."""
    result = read_vcards(source)
    return result.contacts, result.reasons


def read_vcards(source: str | bytes | Path) -> VCardImport:
    """Like :func:`import_vcards`, with counts."""
    if isinstance(source, bytes):
        return parse_vcard_text(_decode(source)[0], origin="text")
    if isinstance(source, str) and ("BEGIN:" in source.upper() or "\n" in source):
        return parse_vcard_text(source, origin="text")
    path = Path(source)
    result = VCardImport()
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in (".vcf", ".vcard")):
            result.extend(_read_file(file))
        return result
    return _read_file(path)


def _read_file(path: Path) -> VCardImport:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return VCardImport(reasons=[f"{path}: cannot be read ({exc.strerror or exc})"])
    text, note = _decode(raw)
    result = parse_vcard_text(text, origin=path.name)
    if note:
        result.reasons.insert(0, f"{path.name}: {note}")
    return result


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), ""
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "not UTF-8, decoded as Windows-1252"


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded lines with their first physical line number; quoted-printable soft breaks joined."""
    out: list[tuple[int, str]] = []
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(physical):
        number, line = i + 1, physical[i]
        i += 1
        if line[:1] in (" ", "\t") and out and out[-1][1]:
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
            continue
        head = line.split(":", 1)[0].upper()
        if "QUOTED-PRINTABLE" in head:
            while line.endswith("=") and i < len(physical):
                line = line[:-1] + physical[i]
                i += 1
        out.append((number, line))
    return out


def _decode_qp(line: str) -> str:
    """Rewrite a 2.1 quoted-printable property as plain escaped text vobject can read."""
    head, value = line.split(":", 1)
    params = [p for p in head.split(";")]
    charset = "utf-8"
    kept = []
    for p in params:
        key = p.split("=", 1)[0].upper()
        if p.upper() in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE"):
            continue
        if key == "CHARSET":
            charset = p.split("=", 1)[1] if "=" in p else charset
            continue
        kept.append(p)
    data = quopri.decodestring(value.encode("latin-1", errors="replace"))
    try:
        decoded = data.decode(charset, errors="replace")
    except LookupError:
        decoded = data.decode("latin-1")
    return ";".join(kept) + ":" + decoded.replace("\r\n", "\\n").replace("\n", "\\n")


def parse_vcard_text(text: str, origin: str = "text") -> VCardImport:
    """Split ``text`` into cards and parse each; never raises."""
    result = VCardImport()
    garbage: list[str] = []
    card: list[tuple[int, str]] | None = None
    start = 0
    for number, line in _logical_lines(text):
        stripped = line.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                result.reasons.append(
                    f"{origin} card at line {start}: no END:VCARD, read up to line {number - 1}")
                _finish(card, start, origin, result)
            card, start = [], number
            continue
        if card is None:
            if stripped:
                result.garbage_lines += 1
                garbage.append(f"line {number}: outside any card: {stripped[:60]!r}")
            continue
        if upper == "END:VCARD":
            _finish(card, start, origin, result)
            card = None
            continue
        if not stripped:
            continue
        match = _PROPERTY.match(line)
        if match is None:
            result.garbage_lines += 1
            garbage.append(f"line {number}: not a vCard property: {stripped[:60]!r}")
            continue
        name = match.group(1).upper()
        if name in _BINARY:
            result.ignored_binary += 1
            continue
        if "QUOTED-PRINTABLE" in match.group(2).upper():
            line = _decode_qp(line)
        card.append((number, line))
    if card is not None:
        result.reasons.append(f"{origin} card at line {start}: no END:VCARD before the end of the file")
        _finish(card, start, origin, result)
    for item in garbage[:_MAX_DETAILED]:
        result.reasons.append(f"{origin} {item}, skipped")
    if len(garbage) > _MAX_DETAILED:
        result.reasons.append(f"{origin}: {len(garbage) - _MAX_DETAILED} more garbage lines skipped")
    return result


def _finish(lines: list[tuple[int, str]], start: int, origin: str, result: VCardImport) -> None:
    result.cards += 1
    lines = list(lines)
    try:
        component = _parse_card(lines, origin, result)
        contact = _contact(component, [line for _, line in lines])
    except Exception as exc:  # vobject raises many kinds of error on bad cards
        result.skipped_cards += 1
        result.reasons.append(f"{origin} card at line {start}: cannot be parsed ({type(exc).__name__}: "
                              f"{str(exc)[:80]}), skipped")
        return
    if not (contact.name or contact.emails or contact.phones):
        result.skipped_cards += 1
        result.reasons.append(f"{origin} card at line {start}: has no name, email or phone, skipped")
        return
    contact.sources = [f"vcard:{origin}"]
    result.contacts.append(contact)


def _parse_card(lines: list[tuple[int, str]], origin: str, result: VCardImport) -> vobject.base.Component:
    """vobject's parse of one card; a line it cannot read is dropped (counted) and the card tried again."""
    for _ in range(_MAX_DETAILED):
        body = "\r\n".join(line for _, line in lines)
        try:
            return vobject.readOne(f"BEGIN:VCARD\r\n{body}\r\nEND:VCARD\r\n")
        except vobject.base.ParseError as exc:
            index = (getattr(exc, "lineNumber", None) or 0) - 2  # line 1 is BEGIN:VCARD
            if "Failed to parse line" not in str(exc) or not 0 <= index < len(lines):
                raise
            number, bad = lines.pop(index)
            result.garbage_lines += 1
            result.reasons.append(
                f"{origin} line {number}: unreadable property {bad.strip()[:60]!r}, skipped")
    raise ValueError("too many unreadable lines")


def _values(component: vobject.base.Component, name: str) -> list[vobject.base.ContentLine]:
    return list(component.contents.get(name, []))


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value if _text(v))
    return re.sub(r"[ \t]+", " ", str(value or "")).strip()


def _raw_list(lines: list[str], name: str) -> list[str]:
    """Comma-separated values of a property read from the raw lines (vobject keeps only the first)."""
    out: list[str] = []
    for line in lines:
        match = _PROPERTY.match(line)
        if match and match.group(1).upper() == name:
            for part in re.split(r"(?<!\\),", match.group(3)):
                part = _unescape(part).strip()
                if part and part not in out:
                    out.append(part)
    return out


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _contact(card: vobject.base.Component, lines: list[str]) -> Contact:
    contact = Contact()
    names = _values(card, "fn")
    plain = [n for n in names if "LANGUAGE" not in n.params] or names
    if plain:
        contact.name = _text(plain[0].value)
    if not contact.name and _values(card, "n"):
        n = _values(card, "n")[0].value
        if isinstance(n, vobject.vcard.Name):
            parts = [n.prefix, n.given, n.additional, n.family, n.suffix]
            contact.name = " ".join(_text(p) for p in parts if _text(p))
        else:
            contact.name = " ".join(p for p in _text(n).split(";") if p)
    for line in _values(card, "email"):
        email = _text(line.value).lower().removeprefix("mailto:")
        if "@" in email and email not in contact.emails:
            contact.emails.append(email)
    for line in _values(card, "tel"):
        phone = _text(line.value)
        phone = phone[4:] if phone.lower().startswith("tel:") else phone
        if re.search(r"\d", phone) and phone not in contact.phones:
            contact.phones.append(phone)
    orgs = _values(card, "org")
    if orgs:
        value = orgs[0].value
        parts = value if isinstance(value, list) else str(value).split(";")
        contact.org = "; ".join(_text(p) for p in parts if _text(p))
    if not contact.name:
        contact.name = contact.org.split("; ")[0] if contact.org else ""
    kind = _values(card, "kind") or _values(card, "x-addressbookserver-kind")
    if kind:
        contact.kind = _text(kind[0].value).lower() or "individual"
    members = _values(card, "member") + _values(card, "x-addressbookserver-member")
    contact.members = [_text(m.value) for m in members]
    contact.nicknames = _raw_list(lines, "NICKNAME")
    contact.groups = _raw_list(lines, "CATEGORIES")
    contact.notes = "\n".join(str(n.value).strip() for n in _values(card, "note") if str(n.value).strip())
    contact.title = next((_text(t.value) for t in _values(card, "title")), "")
    contact.birthday = next((_text(b.value) for b in _values(card, "bday")), "")
    contact.urls = [_text(u.value) for u in _values(card, "url") if _text(u.value)]
    contact.uid = next((_text(u.value) for u in _values(card, "uid")), "")
    for line in _values(card, "adr"):
        a = line.value
        if isinstance(a, vobject.vcard.Address):
            parts = [a.box, a.extended, a.street, a.city, a.region, a.code, a.country]
            joined = ";".join(_text(p).replace(";", ",") for p in parts)
        else:
            joined = _text(a)
        if joined.strip(";"):
            contact.addresses.append(joined)
    return contact


# -- export ------------------------------------------------------------------------------------------

def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) for the N property, from a display name."""
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip()
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return parts[-1], " ".join(parts[:-1])


def export_vcards(contacts: Iterable[Contact], version: str = "3.0") -> str:
    """The contacts as one vCard file (``version`` "3.0" or "4.0"), CRLF line endings."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version!r}")
    v4 = version == "4.0"
    out: list[str] = []
    for c in contacts:
        lines = ["BEGIN:VCARD", f"VERSION:{version}"]
        name = c.display_name or "(no name)"
        lines.append(f"FN:{_escape(name)}")
        if c.kind in ("org", "group", "location"):
            lines.append("N:;;;;")
        else:
            family, given = _split_name(c.name)
            lines.append(f"N:{_escape(family)};{_escape(given)};;;")
        if c.kind != "individual":
            lines.append(f"KIND:{c.kind}" if v4 else f"X-ADDRESSBOOKSERVER-KIND:{c.kind}")
        if c.nicknames:
            lines.append("NICKNAME:" + ",".join(_escape(n) for n in c.nicknames))
        for i, email in enumerate(c.emails):
            pref = ("PREF=1" if v4 else "TYPE=PREF") if i == 0 else ""
            params = ";".join(p for p in ([] if v4 else ["TYPE=INTERNET"]) + [pref] if p)
            lines.append(f"EMAIL{';' + params if params else ''}:{_escape(email)}")
        for phone in c.phones:
            if v4:
                uri = re.sub(r"[^\d+]+", "-", phone).strip("-")
                lines.append(f"TEL;VALUE=uri:tel:{uri}")
            else:
                lines.append(f"TEL:{_escape(phone)}")
        if c.org:
            lines.append("ORG:" + ";".join(_escape(p) for p in c.org.split("; ")))
        if c.title:
            lines.append(f"TITLE:{_escape(c.title)}")
        for adr in c.addresses:
            lines.append("ADR:" + ";".join(_escape(p) for p in (adr.split(";") + [""] * 7)[:7]))
        if c.birthday:
            lines.append(f"BDAY:{_escape(c.birthday)}")
        for url in c.urls:
            lines.append(f"URL:{url}")
        if c.groups:
            lines.append("CATEGORIES:" + ",".join(_escape(g) for g in c.groups))
        for member in c.members:
            lines.append(f"MEMBER:{member}" if v4 else f"X-ADDRESSBOOKSERVER-MEMBER:{member}")
        if c.notes:
            lines.append(f"NOTE:{_escape(c.notes)}")
        if c.uid:
            lines.append(f"UID:{c.uid}")
        lines.append("END:VCARD")
        out.extend(_fold(line) for line in lines)
    return "\r\n".join(out) + ("\r\n" if out else "")
