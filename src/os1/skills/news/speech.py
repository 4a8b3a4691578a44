"""How OS1 says the news: briefly, like a person would over breakfast, ready to be spoken.

"Three things this morning. NASA's probe reached Mars. Closer to home, the council approved the tram
line. And in sport, Arsenal beat Chelsea." Each story is one short clause (its cleaned title, plus the
summary's first sentence only when the title alone says too little); the ones in between are joined
the way a newsreader would ("In science, …", "Meanwhile, …", "Closer to home, …"), the last with
"And". What could not be fetched is said first ("I couldn't reach BBC News, so these are from this
morning."), what was left out last ("I skipped two celebrity stories.").
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from os1.skills.news.rank import Ranked
from os1.skills.news.store import Item
from os1.skills.news.text import as_sentence, content_words, first_sentence, sentences

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve")
_LOWER_FIRST_TEXT = """the a an this these those some many most more scientists researchers police
officials experts doctors people students workers voters fans residents shoppers drivers"""
_LOWER_FIRST = frozenset(_LOWER_FIRST_TEXT.split())
_FILLERS = ("Meanwhile, ", "Also, ")
_WHY_LEFT_OUT = {"tabloid": ("celebrity story", "celebrity stories"),
                 "not interested": ("story like one you turned down", "stories like ones you turned down")}
MORE_SENTENCES = 4
SHORT_TITLE_WORDS = 6


def number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else f"{n:,}"


def part_of_day(now: datetime) -> str:
    hour = now.hour
    if 5 <= hour < 12:
        return "this morning"
    if 12 <= hour < 17:
        return "this afternoon"
    if 17 <= hour < 22:
        return "this evening"
    return "tonight"


def when(ts: float, now: float | None = None) -> str:
    """When something happened, as said: "a few minutes ago", "this morning", "last night",
    "yesterday afternoon", "on Tuesday", "on 3 March"."""
    now_dt = datetime.fromtimestamp(now if now is not None else time.time())
    then = datetime.fromtimestamp(ts)
    age = now_dt - then
    if age < timedelta(minutes=20):
        return "a few minutes ago"
    if age < timedelta(minutes=90):
        return "an hour ago"
    if age < timedelta(hours=3):
        return "a couple of hours ago"
    if then.date() == now_dt.date():
        if then.hour < 5:
            return "overnight"
        return "earlier tonight" if then.hour >= 22 else part_of_day(then)
    if then.date() == (now_dt - timedelta(days=1)).date():
        if then.hour >= 20 or (then.hour < 5):
            return "last night"
        return "yesterday " + part_of_day(then).split()[-1] if then.hour >= 12 else "yesterday morning"
    if age < timedelta(days=6):
        return f"on {then.strftime('%A')}"
    return f"on {then.day} {then.strftime('%B')}" + (f" {then.year}" if then.year != now_dt.year else "")


def _lower_first(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.lower() in _LOWER_FIRST and first[:1].isupper() and not first.isupper():
        return first.lower() + (" " + rest if rest else "")
    return text


def clause(item: Item) -> str:
    """One story in a sentence or two: its title, and the summary's first sentence when the title is
    short and the sentence adds something."""
    title = as_sentence(item.title)
    if len(item.title.split()) >= SHORT_TITLE_WORDS:
        return title
    extra = first_sentence(item.summary, max_words=28)
    if not extra:
        return title
    title_words = set(content_words(item.title))
    extra_words = set(content_words(extra))
    if not extra_words or len(extra_words - title_words) < 3 or extra.rstrip(".") in item.title:
        return title
    return f"{title} {as_sentence(extra)}"


def _lead(ranked: Ranked, previous_label: str, fillers_used: int) -> str:
    if ranked.local:
        return "Closer to home, "
    if ranked.label and ranked.label != previous_label:
        return f"In {ranked.label}, "
    return _FILLERS[fillers_used % len(_FILLERS)]


def headlines(picked: list[Ranked], *, now: float | None = None, topic: str = "",
              before: list[str] | None = None, after: list[str] | None = None) -> str:
    """The whole spoken answer."""
    now_dt = datetime.fromtimestamp(now if now is not None else time.time())
    parts = list(before or [])
    n = len(picked)
    if topic:
        opening = (f"Just one thing about {topic}." if n == 1
                   else f"{number(n).capitalize()} things about {topic}.")
    else:
        opening = (f"Just one thing {part_of_day(now_dt)}." if n == 1
                   else f"{number(n).capitalize()} things {part_of_day(now_dt)}.")
    parts.append(opening)
    previous = ""
    fillers = 0
    for index, ranked in enumerate(picked):
        text = clause(ranked.item)
        if index == 0:
            parts.append(text)
        elif index == n - 1:
            lead = _lead(ranked, previous, fillers)
            lead = "" if lead in _FILLERS else lead[0].lower() + lead[1:]
            parts.append("And " + lead + _lower_first(text))
        else:
            lead = _lead(ranked, previous, fillers)
            fillers += lead in _FILLERS
            parts.append(lead + _lower_first(text))
        previous = ranked.label or previous
    parts.extend(after or [])
    return " ".join(p for p in parts if p)


def left_out(hidden: dict[str, int]) -> str:
    """"I skipped two celebrity stories." (or "" when nothing was)."""
    bits = []
    for why, count in hidden.items():
        if count <= 0:
            continue
        one, many = _WHY_LEFT_OUT.get(why, ("story", "stories"))
        bits.append(f"{number(count)} {one if count == 1 else many}")
    if not bits:
        return ""
    return "I skipped " + " and ".join(bits) + "."


def more(item: Item, now: float | None = None) -> str:
    """A few sentences from one story: where and when it's from, its summary, and its link."""
    said = sentences(item.summary)
    title = as_sentence(item.title)
    body: list[str] = []
    for sentence in said:
        if sentence.rstrip(".") == item.title.rstrip("."):
            continue
        body.append(sentence)
        if len(body) >= MORE_SENTENCES:
            break
    head = f"From {item.source}, {when(item.published_at, now)}: {title}"
    if not body:
        head += " That's all the feed says about it."
    text = " ".join([head, *body])
    if item.link:
        text += f"\nThe whole story: {item.link}"
    return text
