"""iCalendar files in and out (icalendar + recurring-ical-events + x-wr-timezone).

Import reads every VEVENT and VTODO of a file on its own (wrapped with the file's time zones), so one
broken event never costs the others, and says what it repaired or skipped and why:

- not iCalendar at all, binary, or empty → a clear error, nothing changes;
- not UTF-8 → read as Windows-1252 (said so); the file cut off mid-event → the complete ones are kept;
- an unknown time zone → the user's own zone, with a note naming both (X-WR-TIMEZONE is honoured for
  floating times; Windows zone names and VTIMEZONE definitions are understood by icalendar);
- a broken repeat rule → repaired when the mistake is obvious (``FREQ=DAILY\\;COUNT=10``), else the
  event keeps only its first occurrence, said so; DTEND beside DURATION, or before DTSTART, is fixed;
- no start date → kept (exported again) but not in the agenda, said so; no UID → a stable one is made.

The same UID imported again updates the event instead of adding a copy. Alarms (VALARM) become
reminders that OS1 says out loud (see :mod:`alarms`). Tasks OS1 exported for its own reminders
(``X-OS1-KIND``) come back as reminders. Export writes one valid file that re-imports to the same events.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from os1.skills.calendar import recurrence, zones
from os1.skills.calendar.store import CalendarStore
from os1.skills.calendar.zones import known

PRODID = "-//OS1//Calendar//EN"
MAX_BYTES = 50 * 1024 * 1024
_ITEMS = ("VEVENT", "VTODO")
_BLOCK = re.compile(r"^BEGIN:(VEVENT|VTODO|VTIMEZONE)\s*$(.*?)^END:\1\s*$", re.M | re.S | re.I)
_DATE_PROPS = ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID")
_SPACED = re.compile(r"^(DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE|DTSTAMP|CREATED|LAST-MODIFIED|UNTIL)"
                     r"((?:;[^:\r\n]*)?):[ \t]+", re.M | re.I)


class CalendarFileError(Exception):
    """The file cannot be read as a calendar at all; the message says why."""


@dataclass
class ImportReport:
    path: str
    events: int = 0
    tasks: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    repeating: int = 0
    undated: int = 0
    reminders: int = 0
    alerts: int = 0
    time_zones: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    notes: list[str] = field(default_factory=list)
    added_uids: list[str] = field(default_factory=list)
    previous: list[dict[str, Any]] = field(default_factory=list)  # snapshots of updated events (undo)

    def describe(self) -> str:
        name = Path(self.path).name or self.path
        if not self.events and not self.tasks and not self.reminders:
            head = f"{name} has no events or tasks"
            head += f" (only {_count(self.time_zones, 'time zone definition')})" if self.time_zones else ""
        else:
            things = []
            if self.events:
                repeating = f" ({self.repeating} repeating)" if self.repeating else ""
                things.append(_count(self.events, "event") + repeating)
            if self.tasks:
                things.append(_count(self.tasks, "task"))
            if self.reminders:
                things.append(_count(self.reminders, "reminder"))
            head = f"Read {' and '.join(things)} from {name}"
            changes = [f"{n} {w}" for n, w in ((self.added, "new"), (self.updated, "updated"),
                                                (self.unchanged, "already here")) if n]
            if changes:
                head += f": {', '.join(changes)}"
        text = head + "."
        if self.alerts:
            text += f" I'll speak up for {_count(self.alerts, 'alert')} coming up."
        if self.undated:
            text += f" {_count(self.undated, 'event')} had no date: kept, but not in the agenda."
        if self.skipped:
            shown = "; ".join(f"{what}: {why}" for what, why in self.skipped[:5])
            more = f" (and {len(self.skipped) - 5} more)" if len(self.skipped) > 5 else ""
            text += f" Skipped {len(self.skipped)}: {shown}{more}."
        if self.notes:
            shown = "; ".join(dict.fromkeys(self.notes[:6]))
            more = f" (and {len(self.notes) - 6} more)" if len(self.notes) > 6 else ""
            text += f" Notes: {shown}{more}."
        return text


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


# -- reading the file ---------------------------------------------------------------------------------------
def read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text (and notes on how it was read); raises CalendarFileError when it is no calendar."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise CalendarFileError(f"I can't find {path}.") from exc
    except OSError as exc:
        raise CalendarFileError(f"I can't open {path}: {exc.strerror or exc}.") from exc
    if path.is_dir():
        raise CalendarFileError(f"{path} is a folder, not a calendar file.")
    if size == 0:
        raise CalendarFileError(f"{path.name} is empty.")
    if size > MAX_BYTES:
        raise CalendarFileError(f"{path.name} is {size / 1e6:.0f} MB — too big for a calendar file "
                                f"(the limit is {MAX_BYTES // 1_000_000} MB).")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CalendarFileError(f"I can't read {path}: {exc.strerror or exc}.") from exc
    return decode(raw, path.name)


def decode(raw: bytes, name: str = "the file") -> tuple[str, list[str]]:
    notes: list[str] = []
    if b"\x00" in raw[:4096]:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
            notes.append("the file is UTF-16: read it as such")
        else:
            raise CalendarFileError(f"{name} is a binary file, not an iCalendar (.ics) file.")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            notes.append("the file is not UTF-8: read it as Windows-1252 (accents may be off)")
    upper = text.upper()
    if not re.search(r"^BEGIN:(VCALENDAR|VEVENT|VTODO|VTIMEZONE)\s*$", upper, re.M):
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")[:40]
        raise CalendarFileError(f"{name} is not an iCalendar file (it starts with {first!r}, "
                                "not BEGIN:VCALENDAR).")
    return text, notes


def _unfold(text: str) -> str:
    return re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n").replace("\r", "\n"))


def _header(text: str) -> dict[str, str]:
    """Calendar-level properties before the first component (X-WR-TIMEZONE, X-WR-CALNAME)."""
    head = re.split(r"^BEGIN:(?:VEVENT|VTODO|VTIMEZONE|VJOURNAL|VFREEBUSY)\s*$", text, maxsplit=1,
                    flags=re.M | re.I)[0]
    out = {}
    for name in ("X-WR-TIMEZONE", "X-WR-CALNAME"):
        match = re.search(rf"^{name}(?:;[^:\n]*)?:(.*)$", head, re.M | re.I)
        if match:
            out[name] = match.group(1).strip()
    return out


def _cut_off(text: str) -> list[str]:
    """Components that begin but never end (a truncated file)."""
    opened: list[str] = []
    for line in text.split("\n"):
        match = re.match(r"^(BEGIN|END):(VEVENT|VTODO)\s*$", line.strip(), re.I)
        if not match:
            continue
        if match.group(1).upper() == "BEGIN":
            opened.append(match.group(2).upper())
        elif opened:
            opened.pop()
    return opened


# -- one component ------------------------------------------------------------------------------------------
def _label(block: str) -> str:
    match = re.search(r"^SUMMARY(?:;[^:\n]*)?:(.*)$", block, re.M | re.I)
    title = match.group(1).strip() if match else ""
    return f"“{title[:60]}”" if title else "an untitled event"


def _wrap(header: dict[str, str], zone_texts: list[str], block: str) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}"]
    if header.get("X-WR-TIMEZONE"):
        lines.append(f"X-WR-TIMEZONE:{header['X-WR-TIMEZONE']}")
    return "\n".join([*lines, *zone_texts, block, "END:VCALENDAR", ""])


def _zone_of(value: Any) -> str:
    tzinfo = getattr(value, "tzinfo", None)
    if tzinfo is None:
        return ""
    key = getattr(tzinfo, "key", None)
    if key:
        return str(key)
    from icalendar.timezone import tzid_from_tzinfo

    try:
        return tzid_from_tzinfo(tzinfo) or ""
    except Exception:  # an odd tzinfo: the event still has its times
        return ""


def _fix_unknown_zones(component: Any, fallback: str, notes: list[str]) -> None:
    """A TZID nobody knows leaves a naive time: put it in the user's zone, and say so."""
    zone = ZoneInfo(fallback)
    unknown: set[str] = set()
    for prop in _DATE_PROPS:
        value = component.get(prop)
        tzid = value.params.get("TZID") if hasattr(value, "params") else None
        if tzid and isinstance(getattr(value, "dt", None), datetime) and value.dt.tzinfo is None:
            unknown.add(str(tzid))
            moment = value.dt.replace(tzinfo=zone)
            component.pop(prop)
            component.add(prop, moment)
    for prop in ("EXDATE", "RDATE"):
        values = component.get(prop)
        if values is None:
            continue
        lists = values if isinstance(values, list) else [values]
        naive = [v for v in lists if v.params.get("TZID")
                 and any(isinstance(i.dt, datetime) and i.dt.tzinfo is None for i in v.dts)]
        if not naive:
            continue
        component.pop(prop)
        for value in lists:
            moments = [i.dt.replace(tzinfo=zone) if isinstance(i.dt, datetime) and i.dt.tzinfo is None
                       and value.params.get("TZID") else i.dt for i in value.dts]
            if value in naive:
                unknown.add(str(value.params.get("TZID")))
            component.add(prop, moments)
    for tzid in sorted(unknown):
        notes.append(f"unknown time zone {tzid!r}: used your zone ({fallback}) instead")


def _fix_rule(component: Any, block: str, start: Any, notes: list[str]) -> None:
    if "RRULE" not in component:
        return
    raw = re.search(r"^RRULE(?:;[^:\n]*)?:(.*)$", block, re.M | re.I)
    text = raw.group(1).strip() if raw else component["RRULE"].to_ical().decode()
    naive_start = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
    if isinstance(naive_start, datetime) and naive_start.tzinfo is not None:
        naive_start = naive_start.replace(tzinfo=None)
    broken = any(prop == "RRULE" for prop, _msg in getattr(component, "errors", []))
    fixed, note = recurrence.repair(text, naive_start)
    if fixed is None:
        del component["RRULE"]
        when = naive_start.strftime("%b %d, %Y") if isinstance(naive_start, datetime) else str(start)
        notes.append(f"{_label(block)}: {note} — kept only its first time ({when})")
        return
    if note or broken:
        component.pop("RRULE")
        component.add("RRULE", icalendar.vRecur.from_ical(fixed))
        notes.append(f"{_label(block)}: {note or 'repaired its repeat rule'}")


def _fix_times(component: Any, block: str, notes: list[str]) -> None:
    errors = dict(getattr(component, "errors", []))
    for prop in ("DTEND", "DUE", "DURATION", "RECURRENCE-ID", "EXDATE", "RDATE"):
        if prop in errors:
            component.pop(prop, None)
            notes.append(f"{_label(block)}: dropped its unreadable {prop} ({errors[prop]})")
    if "DTEND" in component and "DURATION" in component:
        component.pop("DURATION")
        notes.append(f"{_label(block)}: had both an end and a duration — kept the end")
    start = component.get("DTSTART")
    end = component.get("DTEND")
    if start is not None and end is not None:
        try:
            if _as_datetime(end.dt) < _as_datetime(start.dt):
                component.pop("DTEND")
                notes.append(f"{_label(block)}: ended before it started — dropped the end")
        except TypeError:  # a date beside a datetime: leave it to the agenda to cope
            component.pop("DTEND")
            notes.append(f"{_label(block)}: its start and end were of different kinds — dropped the end")


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
    return datetime.combine(value, datetime.min.time(), tzinfo=ZoneInfo("UTC"))


def _stable_uid(block: str) -> str:
    cleaned = re.sub(r"^(DTSTAMP|CREATED|LAST-MODIFIED)[^\n]*\n", "", block, flags=re.M)
    return "os1-" + hashlib.sha1(cleaned.encode("utf-8", "replace")).hexdigest()[:20] + "@import"


@dataclass
class _Item:
    uid: str
    component: Any
    block: str
    is_override: bool
    sequence: int
    modified: str


def _parse_item(block: str, header: dict[str, str], zone_texts: list[str], user_zone: str,
                notes: list[str]) -> _Item:
    block = _SPACED.sub(lambda m: f"{m.group(1)}{m.group(2)}:", block)
    calendar = icalendar.Calendar.from_ical(_wrap(header, zone_texts, block))
    items = [c for c in calendar.subcomponents if c.name in _ITEMS]
    if len(items) != 1:
        raise ValueError("not a single event")
    component = items[0]
    if "DTSTART" in dict(getattr(component, "errors", [])):
        raise ValueError(f"its start date is unreadable ({dict(component.errors)['DTSTART']})")
    _fix_times(component, block, notes)
    _fix_unknown_zones(component, user_zone, notes)
    if header.get("X-WR-TIMEZONE") and known(header["X-WR-TIMEZONE"]):
        import x_wr_timezone

        calendar = x_wr_timezone.to_standard(calendar)
        component = next(c for c in calendar.subcomponents if c.name in _ITEMS)
    start = component.get("DTSTART") or component.get("DUE")
    if start is not None:
        _fix_rule(component, block, start.dt, notes)
    elif "RRULE" in component:
        component.pop("RRULE")
    uid = str(component.get("UID") or "").strip()
    if not uid:
        uid = _stable_uid(block)
        component["UID"] = uid
    sequence = component.get("SEQUENCE")
    try:
        seq = int(sequence) if sequence is not None else 0
    except (TypeError, ValueError):
        seq = 0
    modified = component.get("LAST-MODIFIED")
    return _Item(uid, component, block, "RECURRENCE-ID" in component, seq,
                 str(modified.to_ical().decode() if hasattr(modified, "to_ical") else modified or ""))


# -- from components to a stored row -------------------------------------------------------------------------
def _timestamp(value: Any, zone: str) -> float:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=ZoneInfo(zone))
        return moment.timestamp()
    return datetime.combine(value, datetime.min.time(), tzinfo=ZoneInfo(zone)).timestamp()


def span_of_component(master: Any, zone: str) -> tuple[float | None, float | None, bool]:
    """(first start, end of the last occurrence or None when it repeats forever, all day?)."""
    start_prop = master.get("DTSTART") or master.get("DUE")
    if start_prop is None:
        return None, None, False
    start = start_prop.dt
    all_day = isinstance(start, date) and not isinstance(start, datetime)
    begin = _timestamp(start, zone)
    length = 86400.0 if all_day else 0.0
    end_prop = master.get("DTEND")
    if end_prop is not None:
        length = max(length, _timestamp(end_prop.dt, zone) - begin)
    elif master.get("DURATION") is not None:
        duration = master["DURATION"].dt
        if isinstance(duration, timedelta):
            length = max(length, duration.total_seconds())
    last = begin
    rule = master.get("RRULE")
    if rule is not None:
        rule_text = rule.to_ical().decode()
        if "UNTIL" not in rule_text.upper() and "COUNT" not in rule_text.upper():
            return begin, None, all_day
        try:
            from dateutil.rrule import rrulestr

            naive = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
            naive = naive.replace(tzinfo=None)
            cleaned = re.sub(r"UNTIL=(\d{8})(T\d{6})?Z?",
                             lambda m: f"UNTIL={m.group(1)}{m.group(2) or 'T235959'}", rule_text)
            occurrences = list(itertools.islice(rrulestr(cleaned, dtstart=naive), 100_000))
            if occurrences:
                last = max(last, _timestamp(occurrences[-1], zone) + 86400)  # a day's slack for zones
        except (ValueError, TypeError, OverflowError):
            return begin, None, all_day
    for prop in ("RDATE",):
        values = master.get(prop)
        for value in values if isinstance(values, list) else [values] if values is not None else []:
            for item in getattr(value, "dts", []):
                moment = item.dt[0] if isinstance(item.dt, tuple) else item.dt
                last = max(last, _timestamp(moment, zone) + 86400)
    return begin, last + length, all_day


def _needed_zones(components: list[Any], zone_blocks: dict[str, str]) -> list[str]:
    text = "\n".join(c.to_ical().decode("utf-8", "replace") for c in components)
    wanted = set(re.findall(r'TZID=("[^"]*"|[^:;\n]*)', text))
    return [block for tzid, block in zone_blocks.items() if tzid in wanted or f'"{tzid}"' in wanted]


def _row_values(uid: str, items: list[_Item], zone_blocks: dict[str, str], origin: str, user_zone: str,
                notes: list[str]) -> dict[str, Any]:
    masters = [i for i in items if not i.is_override]
    master = masters[0].component if masters else items[0].component
    components = [i.component for i in items]
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    for block in _needed_zones(components, zone_blocks):
        calendar.add_component(icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\n{block}\nEND:VCALENDAR\n")
                               .subcomponents[0])
    for component in components:
        calendar.add_component(component)
    _check_expands(calendar, master, notes)
    start_prop = master.get("DTSTART") or master.get("DUE")
    starts_at, ends_at, all_day = span_of_component(master, user_zone)
    return {
        "uid": uid,
        "kind": "task" if master.name == "VTODO" else "event",
        "summary": str(master.get("SUMMARY") or "").strip() or "(no title)",
        "location": str(master.get("LOCATION") or "").strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": int(all_day),
        "tz": _zone_of(start_prop.dt) if start_prop is not None else "",
        "rrule": master["RRULE"].to_ical().decode() if "RRULE" in master else "",
        "has_alarms": int(any(c.walk("VALARM") for c in components)),
        "ical": calendar.to_ical().decode("utf-8"),
        "origin": origin,
        "notes": "; ".join(notes),
    }


def _check_expands(calendar: Any, master: Any, notes: list[str]) -> None:
    """Make sure recurring-ical-events can expand it; a rule it cannot use is dropped (first time kept)."""
    start = master.get("DTSTART") or master.get("DUE")
    if start is None or "RRULE" not in master:
        return
    begin = start.dt if isinstance(start.dt, datetime) else datetime.combine(start.dt, datetime.min.time())
    try:
        recurring_ical_events.of(calendar, components=_ITEMS).between(begin - timedelta(days=1),
                                                                      begin + timedelta(days=400))
    except Exception as exc:  # the library raises several kinds of error for rules it cannot use
        rule = master["RRULE"].to_ical().decode()
        master.pop("RRULE")
        notes.append(f"“{master.get('SUMMARY', '')}”: the repeat rule {rule!r} can't be used ({exc}) — "
                     "kept only its first time")


# -- importing -----------------------------------------------------------------------------------------------
def _zones_used(block: str, zone_blocks: dict[str, str]) -> list[str]:
    """The file's VTIMEZONE blocks this component refers to (parsing all of them for every event is slow)."""
    wanted = {t.strip('"') for t in re.findall(r';TZID=("[^"]*"|[^:;\n]*)', block, re.I)}
    return [text for tzid, text in zone_blocks.items() if tzid in wanted]


def import_text(store: CalendarStore, text: str, *, origin: str, user_zone: str,
                now: datetime | None = None, read_notes: list[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import an iCalendar text (see the module docstring for what is repaired and skipped)."""
    from os1.skills.calendar import alarms, reminders

    report = ImportReport(path=origin, notes=list(read_notes or []))
    text = _unfold(text)
    header = _header(text)
    if header.get("X-WR-TIMEZONE") and not known(header["X-WR-TIMEZONE"]):
        report.notes.append(f"the calendar's time zone {header['X-WR-TIMEZONE']!r} is unknown: used yours "
                            f"({user_zone}) for times without a zone")
    zone_blocks: dict[str, str] = {}
    items_by_uid: dict[str, list[_Item]] = {}
    for match in _BLOCK.finditer(text):
        if match.group(1).upper() != "VTIMEZONE":
            continue
        block = match.group(0)
        tzid = re.search(r"^TZID(?:;[^:\n]*)?:(.*)$", block, re.M | re.I)
        if tzid:
            zone_blocks[tzid.group(1).strip()] = block
    report.time_zones = len(zone_blocks)
    for match in _BLOCK.finditer(text):
        if match.group(1).upper() == "VTIMEZONE":
            continue
        block = match.group(0)
        notes: list[str] = []
        try:
            item = _parse_item(block, header, _zones_used(block, zone_blocks), user_zone, notes)
        except Exception as exc:  # icalendar raises many kinds of error on a bad component
            report.skipped.append((_label(block), f"unreadable ({_short(exc)})"))
            continue
        report.notes.extend(notes)
        items_by_uid.setdefault(item.uid, []).append(item)
    for kind in _cut_off(text):
        report.skipped.append(("the last " + ("event" if kind == "VEVENT" else "task"),
                               "the file is cut off in the middle of it"))
    now = now or zones.now_in(user_zone)
    for done, (uid, items) in enumerate(items_by_uid.items(), 1):
        if progress is not None:
            progress(done, len(items_by_uid))
        items = _one_version(uid, items, report)
        master = next((i.component for i in items if not i.is_override), items[0].component)
        kind_mark = str(master.get("X-OS1-KIND") or "")
        if master.name == "VTODO" and kind_mark in ("reminder", "alarm"):
            if reminders.import_reminder(store, master, kind_mark, user_zone, now):
                report.reminders += 1
            continue
        notes: list[str] = []
        try:
            values = _row_values(uid, items, zone_blocks, origin, user_zone, notes)
        except Exception as exc:  # a component that looked fine alone but cannot be stored
            report.skipped.append((_label(items[0].block), f"unreadable ({_short(exc)})"))
            continue
        report.notes.extend(notes)
        before = store.snapshot(uid)
        row, status = store.save_event(values)
        if status == "added":
            report.added += 1
            report.added_uids.append(uid)
        elif status == "unchanged":
            report.unchanged += 1
        else:
            report.updated += 1
            if before is not None:
                report.previous.append(before)
        if row.kind == "task":
            report.tasks += 1
        else:
            report.events += 1
        report.repeating += bool(row.rrule)
        if row.starts_at is None:
            report.undated += 1
        if row.has_alarms or status != "added":
            report.alerts += alarms.refresh_event(store, row, now, user_zone)
    return report


def _one_version(uid: str, items: list[_Item], report: ImportReport) -> list[_Item]:
    """One series per UID: the newest of several masters (SEQUENCE, then LAST-MODIFIED, then last in file)."""
    masters = [i for i in items if not i.is_override]
    if len(masters) <= 1:
        return items
    newest = max(enumerate(masters), key=lambda p: (p[1].sequence, p[1].modified, p[0]))[1]
    report.notes.append(f"{_label(newest.block)} was in the file {len(masters)} times: kept the newest")
    return [newest] + [i for i in items if i.is_override]


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def import_file(store: CalendarStore, path: Path, *, user_zone: str, now: datetime | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import one .ics file; raises CalendarFileError when it is not a calendar at all."""
    text, notes = read_text(path)
    return import_text(store, text, origin=str(path), user_zone=user_zone, now=now, read_notes=notes,
                       progress=progress)


# -- exporting -----------------------------------------------------------------------------------------------
@dataclass
class ExportReport:
    path: str
    events: int = 0
    tasks: int = 0
    reminders: int = 0


def export_calendar(store: CalendarStore, *, include_reminders: bool = True) -> tuple[str, ExportReport]:
    """Everything in one iCalendar text (events and tasks as imported or said, reminders as VTODOs)."""
    from os1.skills.calendar import reminders

    report = ExportReport(path="")
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("X-WR-CALNAME", "OS1")
    seen_zones: set[str] = set()
    for row in store.events():
        try:
            stored = icalendar.Calendar.from_ical(row.ical)
        except Exception:  # a row that cannot be read back is left out, never half-written
            continue
        for component in stored.subcomponents:
            if component.name == "VTIMEZONE":
                tzid = str(component.get("TZID"))
                if tzid in seen_zones:
                    continue
                seen_zones.add(tzid)
            calendar.add_component(component)
        if row.kind == "task":
            report.tasks += 1
        else:
            report.events += 1
    if include_reminders:
        for todo in reminders.as_todos(store):
            calendar.add_component(todo)
            report.reminders += 1
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8"), report


def export_file(store: CalendarStore, path: Path, *, include_reminders: bool = True) -> ExportReport:
    """Write the calendar to ``path`` (whole or not at all: a temporary file renamed into place)."""
    text, report = export_calendar(store, include_reminders=include_reminders)
    report.path = str(path)
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".os1-export-", suffix=".ics", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return report
