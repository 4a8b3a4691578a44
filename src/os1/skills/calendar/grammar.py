"""The time grammar: find the time expressions in a request and take them out, one kind at a time.

Over :mod:`words` tokens, in this order: a named zone ("Paris time", "EST"), a repeat ("every weekday",
"on the 1st of every month"), a span from now ("in an hour and a half"), for events a duration or a
range ("for an hour", "from 10 to 11:30"), a day ("tomorrow", "next Tuesday", "on the 3rd of
December", "3/4"), and a clock time or part of the day ("at half past nine", "in the evening"). Each
finding consumes its tokens so the next kind cannot misread them, and what is left is the task. Where
a day could be two days ("next Friday" midweek, "the 31st" in a 30-day month, "3/4"), both are kept
with the words that would pick each; :mod:`when` decides and asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from os1.skills.calendar import recurrence, speech
from os1.skills.calendar.words import MONTHS, WEEKDAYS, Token, joined, tokenize
from os1.skills.calendar.zones import zone_named

WD = "|".join(WEEKDAYS)
MON = "|".join(MONTHS)
DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
NUM = r"(?:\d+(?:\.\d+)?|an?|a couple of|a couple|couple of|a few|few|several)"
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?)"
PIECE = (rf"(?:{NUM}(?:\s+and\s+an?\s+half)?\s+{UNIT}(?:\s+and\s+an?\s+half)?"
         r"|half\s+(?:an?\s+)?(?:hour|minute|day)|an?\s+half\s+hour"
         r"|(?:an?\s+)?quarter\s+(?:of\s+)?(?:an?\s+)?hour)")
DUR = rf"{PIECE}(?:\s*(?:,|and)?\s+{PIECE})*"
CLOCK = r"(?:\d{1,2}(?::\d{2})?(?:\s*(?:am|pm))?|noon|midnight|midday)"
PART_WORD = r"(?:morning|afternoon|evening|night)"



@dataclass
class Found:
    after: timedelta | None = None  # clock span ("in 20 minutes")
    shift: relativedelta | None = None  # calendar span ("in 3 days", "in 2 weeks")
    day: date | None = None
    days: list[tuple[date, tuple[str, ...]]] = field(default_factory=list)  # ambiguous day options
    day_question: str = ""
    day_word: str = ""  # "today", "tomorrow", "weekday", "date", "relative"
    weekday_bare: bool = False  # "on Friday": today if still ahead
    clock: tuple[int, int] | None = None
    meridiem: str = ""
    twenty_four: bool = False
    part: str = ""
    repeat: recurrence.Repeat | None = None
    duration: timedelta | None = None
    end_clock: tuple[int, int, str] | None = None
    all_day: bool = False
    zone: str = ""
    first_thing: bool = False
    notes: list[str] = field(default_factory=list)
    error: str = ""
    words: list[str] = field(default_factory=list)


class Scan:
    """Tokens and which of them the grammar has used up."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.used = [False] * len(tokens)

    def text(self) -> tuple[str, list[tuple[int, int]]]:
        shown = [Token(t.text, "|" if self.used[i] and t.norm else t.norm) for i, t in enumerate(self.tokens)]
        return joined(shown)

    def take(self, pattern: str) -> list[re.Match[str]]:
        text, spans = self.text()
        found = []
        for match in re.finditer(pattern, text):
            if not match.group(0).strip():
                continue
            hit = [i for i, (a, b) in enumerate(spans) if a < match.end() and b > match.start()]
            if not hit or any(self.used[i] for i in hit):
                continue
            for i in hit:
                self.used[i] = True
            # a number word joined into the token before it ("twenty" "five") goes with it
            last = hit[-1] + 1
            while last < len(self.tokens) and not self.tokens[last].norm:
                self.used[last] = True
                last += 1
            found.append(match)
        return found

    def rest(self) -> str:
        words = [t.text for i, t in enumerate(self.tokens) if not self.used[i]]
        return " ".join(words)


def _amount(word: str) -> float:
    word = word.strip()
    if word in ("a", "an"):
        return 1
    if "couple" in word:
        return 2
    if "few" in word or word == "several":
        return 3
    return float(word)


def span_of(text: str) -> tuple[timedelta, relativedelta]:
    """"an hour and a half" → (1:30, 0); "2 weeks" → (0, 14 days); "a month and 3 days" → calendar."""
    clock_part = timedelta()
    calendar_part = relativedelta()
    for piece in re.finditer(PIECE, text):
        said = piece.group(0)
        if re.match(r"(an?\s+)?quarter", said):
            clock_part += timedelta(minutes=15)
            continue
        if said.startswith("half") or re.match(r"an?\s+half\s+hour", said):
            unit = re.search(r"(hour|minute|day)", said)
            amount = 0.5
        else:
            match = re.match(rf"({NUM})(\s+and\s+an?\s+half)?\s+({UNIT})(\s+and\s+an?\s+half)?", said)
            assert match is not None
            amount = _amount(match.group(1)) + (0.5 if match.group(2) or match.group(4) else 0)
            unit = re.match(r"\w+", match.group(3))
        name = unit.group(0).rstrip("s") if unit else "minute"
        if name == "second":
            clock_part += timedelta(seconds=amount)
        elif name == "minute":
            clock_part += timedelta(minutes=amount)
        elif name == "hour":
            clock_part += timedelta(hours=amount)
        elif name == "day":
            calendar_part += relativedelta(days=int(amount), hours=12 * (amount % 1 > 0))
        elif name == "week":
            calendar_part += relativedelta(days=round(amount * 7))
        elif name == "fortnight":
            calendar_part += relativedelta(days=round(amount * 14))
        elif name == "month":
            calendar_part += relativedelta(months=int(amount), days=15 * (amount % 1 > 0))
        elif name == "year":
            calendar_part += relativedelta(years=int(amount), months=6 * (amount % 1 > 0))
    return clock_part, calendar_part


def _clock_of(text: str) -> tuple[int, int, str, bool] | None:
    """"9:30 pm" → (9, 30, "pm", False); "15:00" → (15, 0, "", True); "noon" → (12, 0, "pm", True)."""
    text = text.strip()
    if text in ("noon", "midday"):
        return 12, 0, "pm", True
    if text == "midnight":
        return 0, 0, "am", True
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59 or (match.group(3) and not 1 <= hour <= 12):
        return None
    twenty_four = hour > 12 or hour == 0 or bool(match.group(2) and match.group(1).startswith("0"))
    return hour, minute, match.group(3) or "", twenty_four


# -- the grammar, one kind of expression at a time -------------------------------------------------------
def _zone(scan: Scan, found: Found) -> None:
    for match in list(re.finditer(r"((?:[a-z.]+ ){0,2}[a-z.]+) time\b", scan.text()[0])):
        words = match.group(1).split()
        for size in range(len(words), 0, -1):
            name = zone_named(" ".join(words[-size:]))
            if name:
                phrase = " ".join(words[-size:])
                if scan.take(rf"(?:\b(?:in|on)\s+)?\b{re.escape(phrase)} time\b"):
                    found.zone = name
                    found.words.append(f"{phrase} time")
                return
    for match in scan.take(r"(?<=\d|m|n) (?:\()?(utc|gmt|bst|cet|cest|est|edt|pst|pdt|cst|cdt|mst|mdt|jst|"
                           r"aest|aedt)\b(?:\))?"):
        found.zone = zone_named(match.group(1)) or ""
        found.words.append(match.group(1))


def _repeat(scan: Scan, found: Found) -> None:
    weekday_list = rf"(?P<wds>(?:{WD})s?(?:\s*(?:,|and|&|,\s*and)\s*(?:{WD})s?)*)"
    patterns = [
        (rf"\b(?:every|each)\s+year\s+on\s+(?:the\s+)?(?P<d1>{DAYNUM})(?:\s+of)?\s+(?P<m1>{MON})\b",
         "yearday"),
        (rf"\b(?:every|each)\s+year\s+on\s+(?P<m2>{MON})\s+(?:the\s+)?(?P<d2>{DAYNUM})\b", "yearday"),
        (rf"\b(?:every|each)\s+(?P<m3>{MON})\s+(?:the\s+)?(?P<d3>{DAYNUM})\b", "yearday"),
        (rf"\b(?:every|each)\s+(?P<d4>{DAYNUM})\s+of\s+(?P<m4>{MON})\b", "yearday"),
        (rf"\b(?:(?:every|each)\s+month\s+on\s+the\s+|monthly\s+on\s+the\s+|on\s+the\s+|the\s+|every\s+|"
         rf"each\s+)(?P<nth>1st|2nd|3rd|4th|last)\s+(?P<wd>{WD})"
         r"(?:\s+(?:of\s+)?(?:every|each|the)\s+month|\s+monthly)?\b", "nthday"),
        (r"\b(?:(?:every|each)\s+month\s+on\s+the\s+|monthly\s+on\s+the\s+|on\s+the\s+|the\s+|every\s+|"
         r"each\s+)(?P<d>\d{1,2}(?:st|nd|rd|th))"
         r"(?:\s+(?:of\s+)?(?:every|each)\s+month|\s+of\s+the\s+month)?\b",
         "monthday"),
        (rf"\b(?:every|each)\s+(?:(?P<other>other)\s+)?(?:single\s+)?{weekday_list}\b", "weekdays"),
        (r"\b(?:every|each)\s+(?:(?P<other>other|second)\s+)?(?P<n>\d+\s+)?(?P<unit>minute|hour|day|week|"
         r"month|year|fortnight)s?\b", "unit"),
        (r"\b(?:on\s+)?(?:every\s+|each\s+)?(?:week ?days|work ?days|weekday|workday|working days?)"
         r"(?:\s+only)?\b", "workdays"),
        (r"\b(?:on\s+weekends|(?:every|each)\s+weekend|weekends)\b", "weekend"),
        (rf"\b(?:every|each)\s+(?P<part>{PART_WORD})\b", "part"),
        (r"\b(?P<word>daily|nightly|weekly|monthly|yearly|annually|hourly|fortnightly)\b", "word"),
        (rf"\b(?:on\s+)?(?P<wds>(?:{WD})s(?:\s*(?:,|and|&)\s*(?:{WD})s)*)\b", "weekdays"),
    ]
    for pattern, kind in patterns:
        if kind in ("monthday", "nthday") and not re.search(r"\b(every|each|monthly)\b", scan.text()[0]):
            continue
        matches = scan.take(pattern)
        if not matches:
            continue
        match = matches[0]
        found.words.append(match.group(0))
        found.repeat = recurrence.from_words(kind, match.groupdict())
        if kind == "part":
            found.part = match.group("part")
        if found.repeat.freq == "WEEKLY" and not found.repeat.byday:  # "weekly on Fridays"
            for days in scan.take(rf"\b(?:on\s+)?{weekday_list}\b"):
                found.repeat.byday = recurrence.from_words("weekdays", days.groupdict()).byday
                found.words.append(days.group(0))
        return


def _relative(scan: Scan, found: Found) -> None:
    for pattern in (rf"\b(?:in|within|after)\s+(?:about\s+|around\s+|roughly\s+|another\s+|just\s+)?"
                    rf"(?P<d>{DUR})(?:\s+(?:from now|time|later))?\b",
                    rf"\b(?P<d>{DUR})\s+(?:from now|from today|later|hence)\b"):
        matches = scan.take(pattern)
        if matches:
            said = matches[0].group("d")
            clock_part, calendar_part = span_of(said)
            found.words.append(matches[0].group(0))
            if calendar_part:
                found.shift = calendar_part
                found.day_word = "relative"
                if clock_part:
                    found.after = clock_part
            else:
                found.after = clock_part
            return


def _durations(scan: Scan, found: Found) -> None:
    if scan.take(r"\b(?:all[ -]day|the whole day|for the (?:whole|entire) day)\b"):
        found.all_day = True
        found.words.append("all day")
    for match in scan.take(rf"(?<![\w/-])(?:from\s+|between\s+)?(?P<a>{CLOCK})\s*(?:to|till|until|-|–|and)\s*"
                           rf"(?P<b>{CLOCK})\b"):
        start, end = _clock_of(match.group("a")), _clock_of(match.group("b"))
        if start is None or end is None:
            continue
        meridiem = start[2] or end[2]
        found.clock, found.meridiem, found.twenty_four = (start[0], start[1]), meridiem, start[3]
        if not start[2] and end[2] == "pm" and start[0] > end[0] and start[0] < 12:
            found.meridiem = "am"  # "11 to 1pm"
        found.end_clock = (end[0], end[1], end[2] or meridiem)
        found.words.append(match.group(0))
        return
    for match in scan.take(rf"\bfor\s+(?:about\s+|around\s+)?(?P<d>{DUR})\b"):
        clock_part, calendar_part = span_of(match.group("d"))
        base = datetime(2000, 1, 1)
        found.duration = clock_part + ((base + calendar_part) - base)
        found.words.append(match.group(0))
        return
    for match in scan.take(rf"(?<!quarter )(?<!half )(?<!minutes )\b(?:until|till|til|to)\s+"
                           rf"(?P<b>{CLOCK})\b"):
        end = _clock_of(match.group("b"))
        if end is not None:
            found.end_clock = (end[0], end[1], end[2])
            found.words.append(match.group(0))
            return


def _month_index(name: str) -> int:
    return MONTHS.index(name) + 1


def _daynumber(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _dates(scan: Scan, found: Found, today: date) -> None:
    def set_day(value: date, word: str, phrase: str) -> None:
        if found.day is None and not found.days:
            found.day, found.day_word = value, word
            found.words.append(phrase)

    for match in scan.take(rf"\b(?:on\s+)?(?:the\s+)?(?P<nth>1st|2nd|3rd|4th|5th|last)\s+(?P<wd>{WD})\s+"
                           rf"(?:of|in)\s+(?:(?:the|this)\s+month|(?P<next>next)\s+month|(?P<m>{MON}))\b"):
        value = _nth_weekday(today, match)
        if value is None:
            found.error = f"There's no {match.group(0).strip()}."
            return
        set_day(value, "date", match.group(0))
    holidays = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
                "new year's eve": (12, 31), "new years eve": (12, 31), "new year's day": (1, 1),
                "new years day": (1, 1), "valentine's day": (2, 14), "valentines day": (2, 14),
                "halloween": (10, 31)}
    for match in scan.take(r"\b(?:on\s+)?(christmas eve|christmas day|christmas|new year'?s eve|"
                           r"new year'?s day|valentine'?s day|halloween)\b"):
        month, day_ = holidays[match.group(1)]
        value = date(today.year, month, day_)
        set_day(value if value >= today else value.replace(year=today.year + 1), "date", match.group(0))
    for match in scan.take(r"\b(?:on\s+)?(\d{4})-(\d{1,2})-(\d{1,2})\b"):
        try:
            day_ = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            set_day(day_, "date", match.group(0))
        except ValueError:
            found.error = f"{match.group(0).strip()} isn't a real date."
    for match in scan.take(r"\b(?:on\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b"):
        _numeric_date(found, today, match)
    day_month = rf"\b(?:on\s+)?(?:the\s+)?(?P<d>{DAYNUM})(?:\s+of)?\s+(?P<m>{MON})(?:,?\s+(?P<y>\d{{4}}))?\b"
    month_day = (rf"\b(?:on\s+)?(?P<m>{MON})\s+(?:the\s+)?(?P<d>{DAYNUM})(?:,?\s+(?P<y>\d{{4}}))?\b"
                 r"(?!\s*(?:am|pm|:))")
    for pattern in (day_month, month_day):
        for match in scan.take(pattern):
            _month_date(found, today, match)
    for match in scan.take(r"\b(?:on\s+|by\s+)?the\s+(?P<d>\d{1,2}(?:st|nd|rd|th))"
                           r"(?P<next>\s+(?:of\s+)?next month)?(?:\s+of\s+(?:this|the)\s+month)?\b"):
        _month_day_only(found, today, match)
    for match in scan.take(r"\b(?:on\s+)?(?:the\s+)?(?:day after tomorrow|overmorrow)\b"):
        set_day(today + timedelta(days=2), "date", match.group(0))
    for match in scan.take(rf"\b(?P<w>tomorrow|today|tonight)(?:\s+(?P<p>{PART_WORD}))?\b"):
        word = match.group("w")
        set_day(today + timedelta(days=1 if word == "tomorrow" else 0), word, match.group(0))
        if word == "tonight":
            found.part = found.part or "tonight"
        if match.group("p"):
            found.part = match.group("p")
    for match in scan.take(rf"\bthis\s+(?P<p>{PART_WORD})\b"):
        set_day(today, "today", match.group(0))
        found.part = match.group("p")
    _weekdays(scan, found, today, set_day)
    for match in scan.take(r"\b(?:by\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?"
                           r"(?P<what>week|month)\b"):
        if match.group("what") == "week":
            ahead = (4 - today.weekday()) % 7
            set_day(today + timedelta(days=ahead), "date", match.group(0))
        else:
            set_day(today + relativedelta(day=31), "date", match.group(0))
    for match in scan.take(r"\b(?:(?P<next>next|this|coming)\s+(?P<what>week|weekend|month|year)|"
                           r"(?:the\s+)?(?P<what2>weekend))(?P<after>\s+after\s+next)?\b(?!\s+(?:on|from))"):
        _named_span(found, today, match, set_day)
    for match in scan.take(rf"\b(?:in|during|for|early)\s+(?P<m>{MON})(?:\s+(?P<y>\d{{4}}))?\b"):
        month = _month_index(match.group("m"))
        year = int(match.group("y") or (today.year if month > today.month else today.year + 1))
        set_day(date(year, month, 1), "date", match.group(0))


def _nth_weekday(today: date, match: re.Match[str]) -> date | None:
    """"the last Friday of the month", "the 2nd Tuesday of next month", "the 1st Monday in June"."""
    from dateutil.relativedelta import weekday as dateutil_weekday

    nth = match.group("nth")
    which = dateutil_weekday(WEEKDAYS.index(match.group("wd")), -1 if nth == "last" else int(nth[0]))
    if match.group("m"):
        month = MONTHS.index(match.group("m")) + 1
        starts = [date(today.year, month, 1), date(today.year + 1, month, 1)]
    else:
        first = today.replace(day=1) + relativedelta(months=1 if match.group("next") else 0)
        starts = [first, first + relativedelta(months=1)]
    for start in starts:
        step = relativedelta(day=31, weekday=which) if nth == "last" else relativedelta(weekday=which)
        value = start + step
        if value.month != start.month:
            return None  # a fifth Monday the month does not have
        if value >= today:
            return value
    return None


def _numeric_date(found: Found, today: date, match: re.Match[str]) -> None:
    a, b = int(match.group(1)), int(match.group(2))
    year_text = match.group(3)
    options: list[date] = []
    for month, day_ in ((a, b), (b, a)):
        try:
            year = int(year_text) if year_text else today.year
            if year_text and year < 100:
                year += 2000
            value = date(year, month, day_)
            if not year_text and value < today:
                value = value.replace(year=today.year + 1)
            if value not in options:
                options.append(value)
        except ValueError:
            continue
    if not options:
        found.error = f"{match.group(0).strip()} isn't a date I can read."
    elif len(options) == 1:
        found.day, found.day_word = options[0], "date"
    else:
        options.sort()
        found.days = [(d, (d.strftime("%B").lower(), d.strftime("%b").lower(), speech.ordinal(d.day)))
                      for d in options]
        found.day_question = "Which date do you mean: {0} or {1}?"
    found.words.append(match.group(0))


def _month_date(found: Found, today: date, match: re.Match[str]) -> None:
    month, day_ = _month_index(match.group("m")), _daynumber(match.group("d"))
    year = int(match.group("y")) if match.group("y") else today.year
    try:
        value = date(year, month, day_)
    except ValueError:
        found.error = f"There's no {match.group('m').capitalize()} {speech.ordinal(day_)}."
        found.words.append(match.group(0))
        return
    if not match.group("y") and value < today:
        try:
            value = value.replace(year=year + 1)
        except ValueError:  # February 29th
            value = date(year + 4 - (year % 4), 2, 29)
    if found.day is None and not found.days:
        found.day, found.day_word = value, "date"
        found.words.append(match.group(0))


def _month_day_only(found: Found, today: date, match: re.Match[str]) -> None:
    """"on the 31st": this month if it's still ahead, else the next month that has that day — and ask
    when a short month was skipped (its last day, or the next month that has the day)."""
    wanted = _daynumber(match.group("d"))
    found.words.append(match.group(0))
    if not 1 <= wanted <= 31:
        found.error = f"There's no {speech.ordinal(wanted)} day in a month."
        return
    first = date(today.year, today.month, 1)
    if match.group("next"):
        first = first + relativedelta(months=1)
    skipped: date | None = None
    for step in range(0, 14):
        month_start = first + relativedelta(months=step)
        last_day = (month_start + relativedelta(day=31)).day
        if wanted > last_day:
            if skipped is None and (month_start > date(today.year, today.month, 1) or today.day <= last_day):
                skipped = month_start.replace(day=last_day)
            continue
        value = month_start.replace(day=wanted)
        if value < today:
            continue
        if skipped is not None and skipped >= today:
            last = skipped
            found.days = [(last, ("the last day", "last day", "end of the month", speech.ordinal(last.day),
                                  last.strftime("%B").lower(), "this month")),
                          (value, (speech.ordinal(wanted), value.strftime("%B").lower(), "next month"))]
            found.day_question = (f"{last.strftime('%B')} has no {speech.ordinal(wanted)}. "
                                  "Do you mean {0} or {1}?")
        else:
            found.day, found.day_word = value, "date"
        return


def _weekdays(scan: Scan, found: Found, today: date, set_day: Any) -> None:
    pattern = (r"\b(?P<pre>on\s+next\s+|on\s+this\s+|on\s+the\s+|this\s+coming\s+|this\s+|next\s+|"
               rf"coming\s+|on\s+|the\s+|a\s+week\s+(?:on|from)\s+)?(?P<wd>{WD})"
               r"(?P<post>\s+(?:of\s+|in\s+)?next\s+week|\s+after\s+next|\s+week|\s+this\s+week|\s+next)?"
               rf"(?:\s+(?P<p>{PART_WORD}))?\b")
    lead = re.search(rf"\bnext\s+week\s+(?:on\s+)?(?=(?:{WD})\b)", scan.text()[0])
    next_week_first = bool(lead) and bool(scan.take(r"\bnext\s+week\s+(?:on\s+)?(?=(?:" + WD + r")\b)"))
    for match in scan.take(pattern):
        target = WEEKDAYS.index(match.group("wd"))
        pre = (match.group("pre") or "").strip()
        post = (match.group("post") or "").strip()
        ahead = (target - today.weekday()) % 7
        if match.group("p"):
            found.part = match.group("p")
        if next_week_first or "next week" in post:
            monday = today + timedelta(days=7 - today.weekday())
            set_day(monday + timedelta(days=target), "weekday", match.group(0))
        elif post == "after next" or post == "week" or pre.startswith("a week"):
            set_day(today + timedelta(days=(ahead or 7) + 7), "weekday", match.group(0))
        elif pre.endswith("next") or post == "next":
            if ahead == 0:
                set_day(today + timedelta(days=7), "weekday", match.group(0))
            elif target > today.weekday():
                this_one, next_one = today + timedelta(days=ahead), today + timedelta(days=ahead + 7)
                found.days = [(this_one, (f"this {match.group('wd')}", "this one", "this week", "this coming",
                                          "coming", speech.ordinal(this_one.day))),
                              (next_one, ("next week", "the following", "the one after", "a week later",
                                          speech.ordinal(next_one.day), f"next {match.group('wd')}"))]
                found.day_question = "Do you mean {0} or {1}?"
                found.words.append(match.group(0))
            else:
                set_day(today + timedelta(days=ahead), "weekday", match.group(0))
        elif pre.startswith("this") or post == "this week":
            set_day(today + timedelta(days=ahead), "weekday", match.group(0))
        else:
            set_day(today + timedelta(days=ahead), "weekday", match.group(0))
            found.weekday_bare = ahead == 0
        return


def _named_span(found: Found, today: date, match: re.Match[str], set_day: Any) -> None:
    which, what = match.group("next") or "", match.group("what") or match.group("what2")
    after_next = bool(match.group("after"))
    if which == "the" and what != "weekend":
        return
    if what == "week":
        if which == "this":
            set_day(today, "today", match.group(0))
            return
        if not which:
            return
        monday = today + timedelta(days=7 - today.weekday() + (7 if after_next else 0))
        set_day(monday, "date", match.group(0))
    elif what == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today
        if which == "next" and today.weekday() < 5:
            saturday += timedelta(days=7)
        set_day(saturday + timedelta(days=7 if after_next else 0), "date", match.group(0))
    elif what == "month" and which == "next":
        set_day(today + relativedelta(months=1 + after_next, day=1), "date", match.group(0))
        found.notes.append("next month: the 1st")
    elif what == "year" and which == "next":
        set_day(date(today.year + 1, 1, 1), "date", match.group(0))


def _times(scan: Scan, found: Found) -> None:
    if scan.take(r"\bfirst thing(?:\s+in the morning)?\b"):
        found.clock, found.meridiem, found.first_thing = (8, 0), "am", True
        found.words.append("first thing")
        return
    if scan.take(r"\b(?:by\s+|at\s+)?(?:the\s+)?end of (?:the |my |the work ?)?day\b|\b(?:by\s+)?eod\b"):
        found.clock, found.meridiem = (17, 0), ""
        found.twenty_four = True
        found.words.append("end of the day")
        return
    lead = r"(?:(?:at|around|about|by|for|before|@|til|till|until)\s+)?"
    patterns = [
        (rf"\b{lead}(?:(?:a\s+)?(?P<q>quarter)|(?P<half>half)|(?P<mm>\d{{1,2}})(?:\s+minutes?)?)\s+"
         r"(?P<dir>past|after|to|before|till|of)\s+(?P<h>\d{1,2}|noon|midnight)(?:\s+oclock)?\b", "relative"),
        (r"\b(?:at|around|about|by)\s+half\s+(?P<h>\d{1,2})\b(?!\s*(?:hours?|minutes?|days?|an?\b|past))",
         "half"),
        # said in words: "at eight thirty", "nine fifteen am", "seven oh five"
        (r"\b(?:(?:at|around|about|by|@)\s+)(?P<h>\d{1,2})\s+(?:oh\s+|o\s+)?"
         r"(?P<mm>[0-5]\d|(?<=oh )\d|(?<=o )\d)\b"
         r"(?!\s*(?:minutes?|hours?|days?|weeks?|st|nd|rd|th|of|people|times)\b)", "spoken"),
        (r"\b(?P<h>\d{1,2})\s+(?:oh\s+|o\s+)?(?P<mm>[0-5]\d)\s*(?=am\b|pm\b|oclock\b|tonight\b|"
         r"in the (?:morning|afternoon|evening)\b)", "spoken"),
        (r"\b(?:at|@)\s+(?P<h>[01]\d|2[0-3])(?P<mm>[0-5]\d)(?:\s+hours)?\b", "spoken"),  # "at 1530"
        (rf"\b{lead}(?P<c>\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm)|noon|midnight|midday|lunchtime|lunch time)\b",
         "clock"),
        (rf"\b{lead}(?P<c>\d{{1,2}}[:.]\d{{2}})(?:\s*h)?\b(?!\s*(?:hours?|minutes?|%))", "clock"),
        (rf"\b{lead}(?P<c>\d{{1,2}})\s+oclock\b", "clock"),
        (r"\b(?:at|around|about|by|@|for)\s+(?P<c>\d{1,2})\b(?!\s*(?:st|nd|rd|th|minutes?|hours?|days?|"
         r"weeks?|months?|years?|people|of|percent|%|times|/)\b)", "clock"),
        (r"(?<=\| )(?P<c>\d{1,2})\b(?!\s*(?:st|nd|rd|th|minutes?|hours?|days?|weeks?|months?|years?|people|"
         r"of|percent|%|times|/)\b)", "clock"),
    ]
    for pattern, kind in patterns:
        matches = scan.take(pattern)
        if not matches:
            continue
        match = matches[0]
        found.words.append(match.group(0))
        if kind == "relative":
            hour_text = match.group("h")
            hour = 12 if hour_text == "noon" else 0 if hour_text == "midnight" else int(hour_text)
            minutes = 15 if match.group("q") else 30 if match.group("half") else int(match.group("mm"))
            before = match.group("dir") in ("to", "before", "till", "of")
            total = hour * 60 + (-minutes if before else minutes)
            found.clock = ((total // 60) % 24, total % 60)
            found.twenty_four = hour_text in ("noon", "midnight")
        elif kind == "half":
            found.clock = (int(match.group("h")) % 24, 30)
        elif kind == "spoken":
            hour, minute = int(match.group("h")), int(match.group("mm"))
            if hour > 23 or minute > 59:
                found.error = f"{hour}:{minute:02d} isn't a time of day."
                return
            found.clock = (hour, minute)
            found.twenty_four = hour > 12 or hour == 0 or match.group("h").startswith("0")
        else:
            said = match.group("c").replace("lunch time", "lunchtime")
            if said == "lunchtime":
                found.clock, found.twenty_four = (12, 0), True
            else:
                parsed = _clock_of(said.replace(".", ":"))
                if parsed is None:
                    found.error = f"{said} isn't a time of day."
                    return
                found.clock, found.meridiem, found.twenty_four = (parsed[0], parsed[1]), parsed[2], parsed[3]
        break
    for match in scan.take(rf"\b(?P<mer>am|pm)\b|\b(?:in\s+the\s+(?P<p>morning|afternoon|evening)|"
                           rf"at\s+(?P<n>night)|(?P<t>tonight)|(?:this\s+)?(?P<p2>{PART_WORD}))\b"):
        if match.group("mer") and found.clock and not found.meridiem:
            found.meridiem = match.group("mer")
        elif match.group("t"):
            found.part = "tonight"
            if found.day is None and not found.days:
                found.day_word = "today"
        elif not match.group("mer"):
            found.part = match.group("p") or match.group("n") or match.group("p2") or found.part
        found.words.append(match.group(0))



def find(text: str, now: datetime, zone: str, kind: str) -> tuple[Found, str, ZoneInfo]:
    """Every time expression in ``text``, taken out one kind after another; returns what was found, the
    words left over (as said), and the zone the times are in (the user's, or one the words named)."""
    scan = Scan(tokenize(text))
    found = Found()
    _zone(scan, found)
    where = ZoneInfo(found.zone or zone)
    today = now.astimezone(where).date()
    _repeat(scan, found)
    _relative(scan, found)
    if kind == "event":
        _durations(scan, found)
    _dates(scan, found, today)
    _times(scan, found)
    return found, scan.rest(), where
