"""``os1 growth mood``: how you have seemed to feel, day by day, from the affect of each turn.

Every message you send gets one affect estimate (:mod:`os1.perception.affect`), stored in
the ``affect`` table. This groups them by local day: how many turns, which states, and a
small bar of good (joy, excitement), hard (fear, nervousness, sadness, loneliness, anger)
and neutral turns.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import click

from os1.core.config import load_settings

GOOD = frozenset({"joy", "excitement"})
HARD = frozenset({"fear", "nervousness", "sadness", "loneliness", "anger"})
BAR_WIDTH = 20
BLOCKS = {"good": "█", "hard": "▓", "neutral": "░"}


@dataclass(frozen=True)
class DayMood:
    date: str  # YYYY-MM-DD, local time
    weekday: str
    counts: dict[str, int]  # state -> turns, most frequent first

    @property
    def turns(self) -> int:
        return sum(self.counts.values())

    @property
    def dominant(self) -> str:
        """The most frequent state (a feeling wins a tie with neutral)."""
        return max(self.counts, key=lambda s: (self.counts[s], s != "neutral"))

    @property
    def tone(self) -> dict[str, int]:
        good = sum(n for s, n in self.counts.items() if s in GOOD)
        hard = sum(n for s, n in self.counts.items() if s in HARD)
        return {"good": good, "hard": hard, "neutral": self.turns - good - hard}

    def bar(self, width: int = BAR_WIDTH) -> str:
        tone = self.tone
        cells = {k: round(width * n / self.turns) for k, n in tone.items()} if self.turns else {}
        while cells and sum(cells.values()) > width:  # rounding: trim the largest
            cells[max(cells, key=cells.__getitem__)] -= 1
        while cells and sum(cells.values()) < width:
            cells[max(tone, key=tone.__getitem__)] += 1
        return "".join(BLOCKS[k] * cells.get(k, 0) for k in ("good", "hard", "neutral"))

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "weekday": self.weekday, "turns": self.turns, "states": self.counts,
                "dominant": self.dominant, "tone": self.tone}


def timeline(records: Iterable[Any]) -> list[DayMood]:
    """Affect records (``state``, ``occurred_at``) grouped by local day, oldest first."""
    by_day: dict[str, Counter[str]] = {}
    weekdays: dict[str, str] = {}
    for record in records:
        local = time.localtime(record.occurred_at)
        day = time.strftime("%Y-%m-%d", local)
        by_day.setdefault(day, Counter())[record.state] += 1
        weekdays[day] = time.strftime("%a", local)
    return [DayMood(day, weekdays[day], dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
            for day, counts in sorted(by_day.items())]


def window_start(days: int, now: float | None = None) -> float:
    """Local midnight ``days - 1`` days before today (so ``--days 1`` is today)."""
    local = time.localtime(now if now is not None else time.time())
    midnight = time.mktime((local.tm_year, local.tm_mon, local.tm_mday - (days - 1), 0, 0, 0, 0, 0, -1))
    return float(midnight)


def _listing(counts: dict[str, int], limit: int = 4) -> str:
    shown = [f"{state} {n}" for state, n in list(counts.items())[:limit]]
    rest = sum(list(counts.values())[limit:])
    return ", ".join(shown) + (f", {rest} more" if rest else "")


@click.command("mood")
@click.option("--days", default=14, show_default=True, type=click.IntRange(min=1, max=3650),
              help="How many days back, today included.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def mood_command(days: int, as_json: bool) -> None:
    """Your mood over the last days: the feelings OS1 heard in each turn, per day."""
    from os1.storage.sqlite import open_store

    store = open_store(load_settings().db_path)
    try:
        start = window_start(days)
        records = store.affect.between(start)
        latest = store.affect.latest()
    finally:
        store.close()
    moods = timeline(records)
    if as_json:
        click.echo(json.dumps({"days": days, "since": start, "turns": len(records),
                               "timeline": [m.to_dict() for m in moods]}, ensure_ascii=False, indent=2))
        return
    if latest is None:
        click.echo("No mood recorded yet: each time you talk with OS1 it notes how you seem to feel. "
                   "Talk with it (`os1`) and come back.")
        return
    if not moods:
        when = time.strftime("%Y-%m-%d", time.localtime(latest.occurred_at))
        click.echo(f"Nothing heard in the last {days} day{'s' if days != 1 else ''} "
                   f"(the last time was {when}); try --days {days * 4}.")
        return
    click.echo(f"Your mood over the last {days} day{'s' if days != 1 else ''} ({len(records)} turn"
               f"{'s' if len(records) != 1 else ''}; {BLOCKS['good']} good, {BLOCKS['hard']} hard, "
               f"{BLOCKS['neutral']} neutral):")
    for mood in moods:
        turns = f"{mood.turns:3d} turn{'s' if mood.turns != 1 else ' '}"
        click.echo(f"  {mood.date} {mood.weekday}  {mood.bar()}  {turns}  mostly {mood.dominant}: "
                   f"{_listing(mood.counts)}")
