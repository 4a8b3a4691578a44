"""Repeats: "every Monday", "every weekday", "on the 1st of every month" ↔ RFC 5545 rules, said back in words.

:class:`Repeat` is what the time grammar found; :meth:`Repeat.rule` is the rule the outbox and iCalendar
use (``FREQ=WEEKLY;BYDAY=MO``), and :meth:`Repeat.first` the first occurrence (python-dateutil's rrule does
the counting). :func:`repair` reads rules found in calendar files: some are fine, some are escaped by
mistake (``FREQ=DAILY\\;COUNT=10``), some are beyond saving (then the event keeps its first occurrence).
:func:`describe` says a rule the way a person would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from os1.skills.calendar.speech import ordinal
from os1.skills.calendar.words import MONTHS, WEEKDAYS

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
_UNIT_FREQ = {"minute": "MINUTELY", "hour": "HOURLY", "day": "DAILY", "week": "WEEKLY", "month": "MONTHLY",
              "year": "YEARLY", "fortnight": "WEEKLY"}
_WORD_FREQ = {"daily": ("DAILY", 1), "nightly": ("DAILY", 1), "weekly": ("WEEKLY", 1),
              "monthly": ("MONTHLY", 1), "yearly": ("YEARLY", 1), "annually": ("YEARLY", 1),
              "hourly": ("HOURLY", 1), "fortnightly": ("WEEKLY", 2)}


@dataclass
class Repeat:
    freq: str
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: int | None = None
    bymonth: int | None = None
    short_month_note: str = field(default="", compare=False)

    def rule(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.bymonth:
            parts.append(f"BYMONTH={self.bymonth}")
        if self.bymonthday:
            if self.bymonthday > 28 and self.freq == "MONTHLY":
                # the 31st in a 30-day month: its last day (RFC 5545 alone would skip the month)
                days = ",".join(str(d) for d in range(28, self.bymonthday + 1))
                parts.append(f"BYMONTHDAY={days};BYSETPOS=-1")
            else:
                parts.append(f"BYMONTHDAY={self.bymonthday}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(self.byday))
        return ";".join(parts)

    def first(self, begin: date, at: time, zone: ZoneInfo, after: datetime) -> datetime:
        """The first occurrence at ``at`` o'clock on or after ``begin`` that is later than ``after``."""
        start = datetime.combine(begin, at)
        # every other Tuesday starts on the coming Tuesday: find the first with a step of one, and the
        # rule counts its steps from there (the first occurrence is the rule's start)
        single = Repeat(self.freq, 1, self.byday, self.bymonthday, self.bymonth)
        rules = rrulestr(single.rule(), dtstart=start, forceset=True)
        wall_after = after.astimezone(zone).replace(tzinfo=None)
        moment = rules.after(max(wall_after, start - _TINY), inc=False)
        if moment is None:
            raise ValueError("that repeat never happens")
        wall = moment.replace(tzinfo=zone)
        return wall.astimezone(ZoneInfo("UTC")).astimezone(zone)


_TINY = __import__("datetime").timedelta(seconds=1)


def from_words(kind: str, groups: dict[str, Any]) -> Repeat:
    """The repeat the grammar found (``kind`` names the pattern, ``groups`` its named groups)."""
    if kind == "unit":
        unit = groups["unit"]
        step = int(groups["n"]) if groups.get("n") else 1
        if groups.get("other"):
            step *= 2
        if unit == "fortnight":
            step *= 2
        return Repeat(_UNIT_FREQ[unit], step)
    if kind == "weekdays":
        names = re.findall("|".join(WEEKDAYS), groups["wds"])
        codes = tuple(sorted({CODES[WEEKDAYS.index(n)] for n in names}, key=CODES.index))
        return Repeat("WEEKLY", 2 if groups.get("other") else 1, byday=codes)
    if kind == "workdays":
        return Repeat("WEEKLY", byday=WORKDAYS)
    if kind == "weekend":
        return Repeat("WEEKLY", byday=("SA", "SU"))
    if kind == "part":
        return Repeat("DAILY")
    if kind == "word":
        freq, step = _WORD_FREQ[groups["word"]]
        return Repeat(freq, step)
    if kind == "nthday":
        code = CODES[WEEKDAYS.index(groups["wd"])]
        position = "-1" if groups["nth"] == "last" else groups["nth"][0]
        return Repeat("MONTHLY", byday=(f"{position}{code}",))
    if kind == "monthday":
        day = int(re.match(r"\d+", groups["d"]).group(0))  # type: ignore[union-attr]
        note = "in shorter months, on the last day" if day > 28 else ""
        return Repeat("MONTHLY", bymonthday=day, short_month_note=note)
    if kind == "yearday":
        month = next(groups[k] for k in ("m1", "m2", "m3", "m4") if groups.get(k))
        day_text = next(groups[k] for k in ("d1", "d2", "d3", "d4") if groups.get(k))
        day = int(re.match(r"\d+", day_text).group(0))  # type: ignore[union-attr]
        return Repeat("YEARLY", bymonth=MONTHS.index(month) + 1, bymonthday=day)
    raise ValueError(f"unknown repeat {kind}")


# -- rules from calendar files ----------------------------------------------------------------------------
def valid(rule: str, start: datetime | None = None) -> bool:
    """Whether dateutil can read ``rule`` (an UNTIL in UTC beside a floating start is fine: the calendar
    libraries line them up)."""
    begin = start or datetime(2000, 1, 1)
    other = begin.replace(tzinfo=None) if begin.tzinfo else begin.replace(tzinfo=ZoneInfo("UTC"))
    for moment in (begin, other):
        try:
            rrulestr(rule, dtstart=moment, forceset=True)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            continue
        return True
    return False


def repair(rule: str, start: datetime | None = None) -> tuple[str | None, str]:
    """(a rule dateutil can read, or None; a note saying what was done). ``start``: the event's start."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if valid(text, start):
        return text, ""
    fixed = text.replace("\\;", ";").replace("\\,", ",").replace(" ", "").rstrip(";").upper()
    fixed = re.sub(r";{2,}", ";", fixed)
    if fixed and valid(fixed, start):
        return fixed, f"repaired the repeat rule {rule!r}"
    if start is not None and start.tzinfo is not None and "UNTIL=" in fixed:
        # an UNTIL without Z beside an aware start (or the other way round): read UNTIL in UTC
        until = re.search(r"UNTIL=(\d{8})(T\d{6})?Z?", fixed)
        if until:
            moment = until.group(1) + (until.group(2) or "T235959") + "Z"
            candidate = fixed.replace(until.group(0), f"UNTIL={moment}")
            if valid(candidate, start):
                return candidate, f"repaired the end date of the repeat rule {rule!r}"
    return None, f"the repeat rule {rule!r} is broken"


# -- saying a rule ----------------------------------------------------------------------------------------
def describe(rule: str) -> str:
    """"FREQ=WEEKLY;BYDAY=MO" → "every Monday"; unknown shapes → "repeating"."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    step = int(parts.get("INTERVAL", "1") or 1)
    days = [d[-2:] for d in parts.get("BYDAY", "").split(",") if d]
    other = "other " if step == 2 else (f"{step} " if step > 2 else "")
    if freq == "WEEKLY" and days:
        if sorted(days, key=CODES.index) == list(WORKDAYS):
            return "every weekday"
        if sorted(days, key=CODES.index) == ["SA", "SU"]:
            return "every weekend day"
        names = [WEEKDAYS[CODES.index(d)].capitalize() for d in days if d in CODES]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"every {other}{listed}"
    if freq == "MONTHLY" and re.fullmatch(r"-?\d[A-Z]{2}", parts.get("BYDAY", "")):
        position, code = parts["BYDAY"][:-2], parts["BYDAY"][-2:]
        which = "last" if position == "-1" else ordinal(int(position))
        return f"every month on the {which} {WEEKDAYS[CODES.index(code)].capitalize()}"
    if freq == "MONTHLY" and parts.get("BYMONTHDAY"):
        days_of_month = [int(d) for d in parts["BYMONTHDAY"].split(",") if d.lstrip("-").isdigit()]
        if parts.get("BYSETPOS") == "-1" and days_of_month:
            return f"every month on the {ordinal(max(days_of_month))} (or its last day)"
        if days_of_month:
            return f"every {other}month on the {ordinal(days_of_month[0])}"
    if freq == "YEARLY" and parts.get("BYMONTH") and parts.get("BYMONTHDAY"):
        month = MONTHS[int(parts["BYMONTH"]) - 1].capitalize()
        return f"every year on {month} {ordinal(int(parts['BYMONTHDAY']))}"
    unit = {"MINUTELY": "minute", "HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month",
            "YEARLY": "year"}.get(freq)
    if unit is None:
        return "repeating"
    if step > 2:
        return f"every {step} {unit}s"
    return f"every {other}{unit}"
