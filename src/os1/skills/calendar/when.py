"""When, in plain words: "tomorrow at nine", "in an hour and a half", "every weekday at 7", "next Tuesday
3pm for an hour", "on the 3rd of December", "at 9 Paris time" → a moment (or a repeat rule) in a zone.

A small grammar of its own over :mod:`words` tokens (the time words reminders use are a narrow, regular
language; general date libraries guess where a reminder must not): relative spans, dates, clock times,
parts of the day, repeats, durations and named zones are found and taken out one after another; what is
left is the task ("to call Amy"). Arithmetic and repeat rules come from python-dateutil.

Where a phrase could mean two moments far apart, :func:`parse` does not guess: it returns a
:class:`Question` with the options, soonest first ("9 tonight or 9 tomorrow morning?"):

- "at 9" when 9 am has passed but 9 pm has not;
- "next Friday" said earlier in the week (this Friday, or the one after);
- "on the 31st" when this month has no 31st (its last day, or the next 31st);
- "3/4" (March 4th or April 3rd);
- "tomorrow" said after midnight (later today, or the day after).

Conventions (said back to the user every time): morning 9 am, afternoon 3 pm, evening 6 pm, tonight
8 pm; a reminder with a day but no time is at 9 am; "at 1" … "at 6" are pm, "at 7" … "at 11" am
(for an alarm, always am); "on Friday" said on a Friday is today if the time is still ahead; "next
month" is the 1st; a time that does not exist (clocks going forward) moves forward by the gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from os1.skills.calendar import speech
from os1.skills.calendar.grammar import Found, find

PARTS = {"morning": 9, "afternoon": 15, "evening": 18, "night": 20, "tonight": 20}
PART_ENDS = {"morning": 12, "afternoon": 18, "evening": 22, "night": 24, "tonight": 24}
DEFAULT_HOUR = 9
EVENT_LENGTH = timedelta(hours=1)
_PM_WORDS = re.compile(r"\b(dinner|supper|drinks?|party|movie|film|show|concert|theat(er|re)|date night|"
                       r"bar|pub|gig|game night|happy hour)\b", re.I)
_AM_WORDS = re.compile(r"\b(breakfast|brunch)\b", re.I)
_LUNCH = re.compile(r"\blunch\b", re.I)

# -- results ------------------------------------------------------------------------------------------
@dataclass
class When:
    """A resolved moment: ``start`` is aware, in ``zone``; for all-day things it is that day's midnight."""

    start: datetime
    zone: str
    all_day: bool = False
    end: datetime | None = None
    rrule: str = ""
    after: timedelta | None = None  # said as a span from now ("in 20 minutes")
    time_said: bool = True  # False: the time of day is a default ("tomorrow" → 9 am)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "zone": self.zone, "all_day": self.all_day,
                "end": self.end.isoformat() if self.end else None, "rrule": self.rrule,
                "after": self.after.total_seconds() if self.after is not None else None,
                "time_said": self.time_said, "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> When:
        zone = ZoneInfo(data["zone"])
        return cls(start=datetime.fromisoformat(data["start"]).astimezone(zone), zone=data["zone"],
                   all_day=bool(data.get("all_day")),
                   end=datetime.fromisoformat(data["end"]).astimezone(zone) if data.get("end") else None,
                   rrule=data.get("rrule", ""),
                   after=timedelta(seconds=data["after"]) if data.get("after") is not None else None,
                   time_said=bool(data.get("time_said", True)), notes=list(data.get("notes", [])))


@dataclass
class Option:
    label: str  # "tonight at 9 pm"
    when: When
    answers: tuple[str, ...] = ()  # words that pick it ("tonight", "pm")


@dataclass
class Question:
    text: str
    options: list[Option]


@dataclass
class Parsed:
    when: When | None = None
    question: Question | None = None
    rest: str = ""  # the words that were not about time, as said
    error: str = ""  # the time words make no sense ("February 30th")
    phrase: str = ""  # the time words found, normalised

    @property
    def found(self) -> bool:
        return self.when is not None or self.question is not None or bool(self.error)


# -- putting it together --------------------------------------------------------------------------------
def _hour_options(found: Found, kind: str, context: str) -> list[tuple[int, int]]:
    """The clock times the words could mean, the likelier first (two when am and pm are both likely)."""
    assert found.clock is not None
    hour, minute = found.clock
    if found.meridiem:
        base = hour % 12
        return [(base + (12 if found.meridiem == "pm" else 0), minute)]
    if found.twenty_four or hour > 12:
        return [(hour, minute)]
    part = found.part
    if part in ("afternoon", "evening", "tonight") or (part == "night" and hour >= 5):
        return [(hour % 12 + 12, minute)]
    if part == "morning" or (part == "night" and hour < 5):
        return [(hour % 12, minute)]
    if kind == "alarm" or _AM_WORDS.search(context):
        return [(hour % 12, minute)]
    if _PM_WORDS.search(context):
        return [(hour % 12 + 12, minute)]
    if _LUNCH.search(context):
        return [(hour, minute)] if hour >= 11 else [(hour + 12, minute)]
    if hour == 12:
        return [(12, minute)]
    if 1 <= hour <= 6:
        return [(hour + 12, minute)]
    return [(hour, minute), (hour + 12, minute)]


def _at(day_: date, hour: int, minute: int, zone: ZoneInfo, notes: list[str]) -> datetime:
    """``day_`` at hour:minute in ``zone``; a time skipped by the clocks going forward moves forward."""
    extra = timedelta(days=1) if hour >= 24 else timedelta()
    wall = datetime.combine(day_ + extra, time(hour % 24, minute), tzinfo=zone)
    real = wall.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if real.replace(tzinfo=None) != wall.replace(tzinfo=None):
        notes.append(f"the clocks go forward that night, so {speech.clock(wall)} doesn't exist: "
                     f"I made it {speech.clock(real)}")
    return real


def _default_hour(found: Found, kind: str, day_: date, now: datetime) -> tuple[int, int] | None:
    """The time of day when none was said: the part of the day, else 9 am (reminders) / all day (events)."""
    if found.part:
        hour = PARTS[found.part]
        # "this evening" said at 7 pm: the next full hour
        if day_ == now.date() and now.hour >= hour and now.hour + 1 < PART_ENDS[found.part]:
            return now.hour + 1, 0
        return hour, 0
    if kind == "event":
        return None
    if found.day_word == "today":
        return (18, 0) if now.hour < 17 else (min(now.hour + 1, 23), 0)
    return DEFAULT_HOUR, 0


def _option_label(when: When, now: datetime) -> str:
    return speech.moment(when.start, now, all_day=when.all_day)


def parse(text: str, now: datetime, zone: str, kind: str = "reminder") -> Parsed:
    """Find the time words in ``text`` (said at ``now``, in the user's ``zone``).

    ``kind``: "reminder", "alarm" or "event" (an alarm's bare hour is am; an event with a day but no
    time lasts all day). Returns the moment, or a question when the words could mean two moments,
    and the rest of the words.
    """
    found, left, where = find(text, now, zone, kind)
    local_now = now.astimezone(where)
    rest = _tidy(left)
    phrase = " ".join(found.words)
    if found.error:
        return Parsed(error=found.error, rest=rest, phrase=phrase)
    if not found.words:
        return Parsed(rest=rest)
    try:
        return _resolve(found, local_now, where, found.zone or zone, kind, text, rest, phrase)
    except (ValueError, OverflowError) as exc:
        return Parsed(error=f"I couldn't work out that time ({exc}).", rest=rest, phrase=phrase)


def _resolve(found: Found, now: datetime, where: ZoneInfo, zone: str, kind: str, text: str, rest: str,
             phrase: str) -> Parsed:
    notes = list(found.notes)
    if found.zone:
        notes.append(f"in {zone} time")
    if found.repeat is not None:
        return Parsed(when=_repeating(found, now, where, zone, kind, text, notes), rest=rest, phrase=phrase)
    if found.after is not None and found.shift is None:
        start = (now.astimezone(ZoneInfo("UTC")) + found.after).astimezone(where)
        when = When(start=start, zone=zone, after=found.after, notes=notes)
        _add_end(when, found, where, notes)
        return Parsed(when=when, rest=rest, phrase=phrase)
    if found.shift is not None:
        shifted = now + found.shift
        found.day = shifted.date()
        if found.clock is None and not found.part:
            start = _at(found.day, shifted.hour, shifted.minute, where, notes)
            if found.after:
                start = (start.astimezone(ZoneInfo("UTC")) + found.after).astimezone(where)
            when = When(start=start, zone=zone, notes=notes, after=None)
            _add_end(when, found, where, notes)
            return Parsed(when=when, rest=rest, phrase=phrase)
    day_options = [d for d, _ in found.days] if found.days else ([found.day] if found.day else [])
    if (found.day_word == "tomorrow" and now.hour < 4 and found.day is not None):
        today = now.date()  # "tomorrow" said at 1 am: the day that is starting, or the next one?
        found.days = [(today, ("today", "later today", "this morning", today.strftime("%A").lower())),
                      (found.day, ("tomorrow", "the day after", found.day.strftime("%A").lower()))]
        found.day_question = "It's after midnight — do you mean {0} or {1}?"
        day_options = [today, found.day]
    if found.clock is not None:
        hours = _hour_options(found, kind, text)
        if day_options:
            options = []
            for index, day_ in enumerate(day_options):
                chosen = _pick_hour(hours, day_, now, found, where, notes)
                if chosen is None:
                    return Parsed(error=f"{speech.clock(_at(day_, *hours[0], where, []))} "
                                        f"{speech.day(day_, now.date())} has already passed.",
                                  rest=rest, phrase=phrase)
                options.append((chosen, found.days[index][1] if found.days else ()))
            return _answer(options, found, zone, rest, phrase, now, notes, where)
        # a time with no day: the next time it comes round
        candidates = []
        for hour, minute in hours:
            start = _at(now.date(), hour, minute, where, [])
            if start <= now:
                continue
            candidates.append(start)
        if len(hours) == 2 and len(candidates) == 1:  # 9 am has passed, 9 pm has not: ask
            tomorrow = _at(now.date() + timedelta(days=1), *hours[0], where, notes)
            tonight = candidates[0]
            found.days = [
                (tonight.date(), ("tonight", "pm", "this evening", "today", "evening", "later today",
                                  speech.clock(tonight).replace(" ", ""), speech.clock(tonight))),
                (tomorrow.date(), ("tomorrow", "am", "morning", "tomorrow morning",
                                   speech.clock(tomorrow).replace(" ", ""), speech.clock(tomorrow)))]
            found.day_question = "{0} or {1}?"
            return _answer([(tonight, found.days[0][1]), (tomorrow, found.days[1][1])], found, zone, rest,
                           phrase, now, notes, where)
        start = candidates[0] if candidates else _at(now.date() + timedelta(days=1), *hours[0], where, notes)
        return _answer([(start, ())], found, zone, rest, phrase, now, notes, where)
    if day_options:
        options = []
        for day_ in day_options:
            default = _default_hour(found, kind, day_, now)
            if default is None:
                options.append((datetime.combine(day_, time(0), tzinfo=where), None))
                continue
            start = _at(day_, default[0], default[1], where, notes)
            if start <= now and found.part and day_ == now.date():
                notes.append(f"this {found.part} has passed, so tomorrow {found.part}")
                start = _at(day_ + timedelta(days=1), default[0], default[1], where, notes)
            options.append((start, ()))
        labelled = [(s, found.days[i][1] if found.days else ()) for i, (s, _) in enumerate(options)]
        all_day = options[0][1] is None and options[0][0].hour == 0 and kind == "event"
        return _answer(labelled, found, zone, rest, phrase, now, notes, where, all_day=all_day,
                       time_said=False)
    if found.part:  # "in the evening", no day: today if still ahead
        hour = PARTS[found.part]
        start = _at(now.date(), hour, 0, where, notes)
        if start <= now:
            start = _at(now.date() + timedelta(days=1), hour, 0, where, notes)
        return _answer([(start, ())], found, zone, rest, phrase, now, notes, where, time_said=False)
    if found.duration is not None or found.all_day:
        return Parsed(rest=rest, phrase=phrase)  # "for an hour" alone says nothing about when
    return Parsed(rest=rest, phrase=phrase)


def _pick_hour(hours: list[tuple[int, int]], day_: date, now: datetime, found: Found, where: ZoneInfo,
               notes: list[str]) -> datetime | None:
    """On a given day: the likelier reading, unless that day is today and only the other is still ahead."""
    readings = [_at(day_, h, m, where, notes if i == 0 else []) for i, (h, m) in enumerate(hours)]
    if day_ != now.date():
        return readings[0]
    ahead = [r for r in readings if r > now]
    if ahead:
        return ahead[0]
    if found.weekday_bare:  # "on Friday at 9" said on Friday after 9: next Friday
        return _at(day_ + timedelta(days=7), *hours[0], where, notes)
    return None


def _answer(options: list[tuple[datetime, tuple[str, ...]]], found: Found, zone: str, rest: str, phrase: str,
            now: datetime, notes: list[str], where: ZoneInfo, *, all_day: bool = False,
            time_said: bool = True) -> Parsed:
    whens = []
    for start, _answers in options:
        when = When(start=start, zone=zone, all_day=all_day or (found.all_day and found.clock is None),
                    time_said=time_said, notes=list(notes))
        _add_end(when, found, where, when.notes)
        whens.append(when)
    if len(whens) == 1:
        return Parsed(when=whens[0], rest=rest, phrase=phrase)
    same_clock = len({(w.start.hour, w.start.minute) for w in whens}) == 1
    dates_differ = len({w.start.date() for w in whens}) == len(whens)
    if same_clock and dates_differ:  # "next Friday": which day, the time is the same either way
        labels = [speech.day_label(w.start.date(), now.date()) for w in whens]
    else:
        labels = [_option_label(w, now) for w in whens]
    labelled = [Option(label, w, tuple(a)) for label, w, (_s, a) in zip(labels, whens, options, strict=True)]
    text = (found.day_question or "Do you mean {0} or {1}?").format(*(o.label for o in labelled))
    return Parsed(question=Question(text[0].upper() + text[1:], labelled), rest=rest, phrase=phrase)


def _add_end(when: When, found: Found, where: ZoneInfo, notes: list[str]) -> None:
    if when.all_day:
        return
    if found.end_clock is not None:
        hour, minute, meridiem = found.end_clock
        if meridiem:
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        end = _at(when.start.date(), hour, minute, where, notes)
        while end <= when.start:
            end += timedelta(hours=12 if hour < 12 and not meridiem else 24)
        when.end = end
    elif found.duration is not None:
        when.end = when.start + found.duration


def _repeating(found: Found, now: datetime, where: ZoneInfo, zone: str, kind: str, text: str,
               notes: list[str]) -> When:
    repeat = found.repeat
    assert repeat is not None
    if repeat.freq in ("HOURLY", "MINUTELY"):
        unit = "hours" if repeat.freq == "HOURLY" else "minutes"
        step = timedelta(**{unit: repeat.interval})
        first = (now.astimezone(ZoneInfo("UTC")) + step).astimezone(where).replace(second=0, microsecond=0)
        if found.clock is not None:
            hours = _hour_options(found, kind, text)
            first = _at(now.date(), *hours[0], where, notes)
            while first <= now:
                first += step
        return When(start=first, zone=zone, rrule=repeat.rule(), notes=notes)
    if found.clock is not None:
        hours = _hour_options(found, kind, text)
        hour, minute = hours[0]
    elif found.part:
        hour, minute = PARTS[found.part], 0
    else:
        hour, minute = DEFAULT_HOUR, 0
    begin = found.day or now.date()
    start = repeat.first(begin, time(hour, minute), where, after=now)
    if repeat.short_month_note:
        notes.append(repeat.short_month_note)
    return When(start=start, zone=zone, rrule=repeat.rule(), time_said=found.clock is not None, notes=notes)


_EDGE = re.compile(r"^(?:(?:at|on|for|by|around|about|in|from|starting|this|and|then|,|-|–|:)\s+)+|"
                   r"(?:\s+(?:at|on|for|by|around|about|in|from|starting|this|and|then|,|-|–|:))+$", re.I)


def _tidy(rest: str) -> str:
    text = " ".join(rest.split()).strip(" ,;:-–")
    previous = None
    while previous != text:
        previous = text
        text = _EDGE.sub("", text).strip(" ,;:-–")
    return text
