"""Time words in a question → the window of time it asks about.

"what did I tell you last Tuesday", "yesterday", "two weeks ago", "in May",
"in 2022", "last month": each gives a (start, end) window in local time,
relative to ``now``. Questions with no time words give ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "few": 3}
_AGO = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple of|few)\s+"
                  r"(day|week|month|year)s?\s+ago\b", re.I)
_MONTH = re.compile(r"\b(in|during|last|this|back in)\s+(" + "|".join(MONTHS) + r")(\s+(\d{4}))?\b", re.I)
_YEAR = re.compile(r"\b(in|during)\s+((19|20)\d{2})\b", re.I)
_WEEKDAY = re.compile(r"\b(last|on|this past)\s+(" + "|".join(WEEKDAYS) + r")\b", re.I)


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    phrase: str


def _day(dt: datetime) -> datetime:
    return dt.replace(hour=0, minute=0, second=0, microsecond=0)


def _month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1)


def _add_months(dt: datetime, months: int) -> datetime:
    index = dt.year * 12 + dt.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1)


def window(text: str, now: datetime | None = None) -> Window | None:
    now = now or datetime.now()
    low = text.lower()
    today = _day(now)

    def span(start: datetime, end: datetime, phrase: str) -> Window:
        return Window(start.timestamp(), end.timestamp(), phrase)

    if re.search(r"\byesterday\b", low):
        return span(today - timedelta(days=1), today, "yesterday")
    if re.search(r"\b(today|this morning|tonight|earlier today)\b", low):
        return span(today, today + timedelta(days=1), "today")
    if re.search(r"\blast night\b", low):
        return span(today - timedelta(hours=12), today + timedelta(hours=6), "last night")
    if match := _AGO.search(low):
        amount = match.group(1)
        n = int(amount) if amount.isdigit() else _NUMBERS[amount]
        unit = match.group(2)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        center = today - timedelta(days=days)
        slack = timedelta(days=max(1, days // 4))
        return span(center - slack, center + slack + timedelta(days=1), match.group(0))
    if match := _WEEKDAY.search(low):
        target = WEEKDAYS.index(match.group(2))
        back = (today.weekday() - target) % 7 or 7
        day = today - timedelta(days=back)
        return span(day, day + timedelta(days=1), match.group(0))
    if re.search(r"\blast week\b", low):
        start = today - timedelta(days=today.weekday() + 7)
        return span(start, start + timedelta(days=7), "last week")
    if re.search(r"\bthis week\b", low):
        start = today - timedelta(days=today.weekday())
        return span(start, today + timedelta(days=1), "this week")
    if re.search(r"\blast month\b", low):
        start = _add_months(today, -1)
        return span(start, _add_months(start, 1), "last month")
    if re.search(r"\bthis month\b", low):
        start = _month_start(today.year, today.month)
        return span(start, today + timedelta(days=1), "this month")
    if re.search(r"\blast year\b", low):
        return span(datetime(today.year - 1, 1, 1), datetime(today.year, 1, 1), "last year")
    if match := _MONTH.search(low):
        month = MONTHS.index(match.group(2)) + 1
        year = int(match.group(4)) if match.group(4) else (
            today.year if month <= today.month else today.year - 1)
        start = _month_start(year, month)
        return span(start, _add_months(start, 1), match.group(0))
    if match := _YEAR.search(low):
        year = int(match.group(2))
        return span(datetime(year, 1, 1), datetime(year + 1, 1, 1), match.group(0))
    return None
