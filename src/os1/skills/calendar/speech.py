"""How times, days and reminders are said: written for the ear, read the same on screen.

"9 am", "half past nine", "tomorrow", "Friday the 27th", "December 3rd": what OS1 writes in replies
("Okay — tomorrow at 9 am I'll remind you to call Amy.") and what it says when a reminder fires
("It's nine o'clock — time to call Amy."). Tasks are said back to the user with the pronouns turned
round ("call my mom" → "call your mom").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_HOURS = ("twelve", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
_SMALL = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}
_SWAPS = {"my": "your", "me": "you", "i": "you", "myself": "yourself", "mine": "yours", "i'm": "you're",
          "i've": "you've", "i'll": "you'll", "i'd": "you'd", "am": "are", "was": "were", "our": "your",
          "ours": "yours", "us": "you", "we": "you", "we're": "you're", "ourselves": "yourselves"}


def ordinal(n: int) -> str:
    """3 → "3rd"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def number_words(n: int) -> str:
    """0 ≤ n < 60 in words (for clock minutes)."""
    if n < 20:
        return _SMALL[n] or "zero"
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_SMALL[ones]}" if ones else "")


def clock(moment: datetime) -> str:
    """"9 am", "9:30 pm", "noon", "midnight"."""
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{f':{moment.minute:02d}' if moment.minute else ''} {suffix}"


def clock_words(moment: datetime) -> str:
    """The time as said aloud: "nine o'clock", "half past nine", "quarter to ten", "nine twenty"."""
    hour, minute = moment.hour, moment.minute
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "noon"
    name = _HOURS[hour % 12]
    following = _HOURS[(hour + 1) % 12]
    if minute == 0:
        return f"{name} o'clock"
    if minute == 15:
        return f"quarter past {name}"
    if minute == 30:
        return f"half past {name}"
    if minute == 45:
        return f"quarter to {following}"
    if minute < 10:
        return f"{name} oh {number_words(minute)}"
    return f"{name} {number_words(minute)}"


def day(when: date, today: date) -> str:
    """"today", "tomorrow", "Friday", "Friday the 3rd", "December 3rd", "December 3rd, 2027"."""
    delta = (when - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    weekday = when.strftime("%A")
    if 1 < delta < 7:
        return weekday
    if 7 <= delta < 14:
        return f"{weekday} the {ordinal(when.day)}"
    month = when.strftime("%B")
    text = f"{weekday}, {month} {ordinal(when.day)}" if 0 < delta < 60 else f"{month} {ordinal(when.day)}"
    if when.year != today.year and (delta > 300 or delta < 0):
        text += f", {when.year}"
    return text


def day_label(when: date, today: date) -> str:
    """A day told apart from another: "this Friday (the 27th)", "Friday, April 3rd", "tomorrow (Thursday)"."""
    delta = (when - today).days
    weekday = when.strftime("%A")
    if delta == 0:
        return f"today ({weekday})"
    if delta == 1:
        return f"tomorrow ({weekday})"
    if 1 < delta < 7 and when.isocalendar()[1] == today.isocalendar()[1]:
        return f"this {weekday} (the {ordinal(when.day)})"
    text = f"{weekday}, {when.strftime('%B')} {ordinal(when.day)}"
    if when.year != today.year:
        text += f", {when.year}"
    return text


def on_day(when: date, today: date) -> str:
    """Like :func:`day`, with "on" where English wants it: "tomorrow", "on Friday"."""
    said = day(when, today)
    return said if said in ("today", "tomorrow", "yesterday") else f"on {said}"


def moment(when: datetime, now: datetime, *, all_day: bool = False) -> str:
    """"tonight at 9 pm", "tomorrow at 9 am", "on Friday at 1 pm", "on December 3rd" (all day)."""
    today = now.date()
    local = when.astimezone(now.tzinfo) if now.tzinfo and when.tzinfo else when
    if all_day:
        return on_day(when.date() if isinstance(when, datetime) else when, today)
    said_day = on_day(local.date(), today)
    if said_day == "today" and local.hour >= 18:
        said_day = "tonight"
    elif said_day == "today" and local.hour < 12 and now.hour < 12:
        said_day = "this morning"
    return f"{said_day} at {clock(local)}"


def span(delta: timedelta) -> str:
    """"20 minutes", "an hour and a half", "2 hours", "3 days"."""
    minutes = round(delta.total_seconds() / 60)
    if minutes < 60:
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        if rest == 30:
            return "an hour and a half" if hours == 1 else f"{hours} and a half hours"
        head = "an hour" if hours == 1 else f"{hours} hours"
        return head + (f" and {rest} minutes" if rest else "")
    days = round(minutes / 1440)
    return "a week" if days == 7 else f"{days} days"


def your(text: str) -> str:
    """The user's words said back to them: "call my mom" → "call your mom"."""
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        replaced = _SWAPS.get(word.lower())
        if replaced is None:
            return word
        return replaced.capitalize() if word[0].isupper() and word.lower() != "i" else replaced
    return re.sub(r"\b[A-Za-z']+\b", swap, text)


def task_clause(task: str) -> str:
    """What a reminder is for, as the end of a sentence: "time to call Amy", "a reminder about the rent"."""
    text = your(task.strip().rstrip(".!"))
    low = text.lower()
    if not text:
        return "you asked me to remind you"
    if low.startswith("to "):
        return "time " + text
    if low.startswith(("about ", "of ")):
        return "a reminder " + ("about " + text[3:] if low.startswith("of ") else text)
    if low.startswith("that "):
        return "just a reminder: " + text[5:]
    if low.split()[0] in _NOUNISH:
        return "a reminder about " + text
    return "time to " + text


# first words that make a task a thing rather than something to do ("the rent", "my pills")
_NOUNISH = {"the", "a", "an", "your", "his", "her", "their", "its", "this", "that", "these", "those"}


def reminder_text(task: str, due: datetime, *, kind: str = "reminder", after: timedelta | None = None,
                  repeating: str = "") -> str:
    """What OS1 says when a reminder fires: "It's nine o'clock — time to call Amy."."""
    clause = task_clause(task)
    if repeating in ("HOURLY", "MINUTELY"):
        return clause[0].upper() + clause[1:] + "."
    if after is not None and after < timedelta(hours=12):
        head = f"It's been {span(after)}"
    else:
        head = f"It's {clock_words(due)}"
    if kind == "alarm":
        greeting = "Good morning! " if 4 <= due.hour < 12 else ""
        if not task.strip():
            return f"{greeting}{head} — time to get up." if greeting else f"{head} — your alarm."
        return f"{greeting}{head} — {clause}."
    return f"{head} — {clause}."


def late_text(task: str, due: datetime, kind: str = "reminder") -> str:
    """The same reminder said late (OS1 was not running when it was due)."""
    if kind == "alarm":
        return f"Sorry, I missed your {clock(due)} alarm — I wasn't running then."
    clause = task_clause(task)
    if clause.startswith("time to "):
        clause = clause[len("time "):]
    elif clause == "you asked me to remind you":
        clause = "then"
    return f"I was meant to remind you at {clock(due)}: {clause}."


def event_alert(title: str, start: datetime, before: timedelta, location: str = "") -> str:
    """What OS1 says before an event: "In 15 minutes: dentist, at Main Street."."""
    where = f", at {location}" if location else ""
    if before <= timedelta(0):
        return f"It's {clock_words(start)} — time for {title}{where}."
    return f"In {span(before)}: {title}{where} (at {clock(start)})."
