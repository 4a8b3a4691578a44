"""Calendar benchmark: read every iCalendar file in a folder without crashing, and turn a fixed set of
natural-language reminder phrases into the moments a person would expect.

The phrases live in ``os1/bench/data/reminder_phrases.tsv``, written by hand with the expected moment
relative to a FIXED "now" (Wednesday 2026-03-25 14:20, Europe/Paris — four days before the clocks go
forward) and, for the truly ambiguous ones, ``ASK``: the right answer is a short question. A phrase counts
as right when its kind (reminder, alarm, event), its moment (to the minute, in the expected zone), its
repeat rule and its all-day-ness all match, or when OS1 asks exactly where the file says to ask.

ICS files are imported into a temporary OS1 database (never the user's); a file that raises counts as
failed, one that is read (even with parts skipped and said why) as parsed.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from os1.skills.calendar.phrases import understand

NOW = datetime(2026, 3, 25, 14, 20, tzinfo=ZoneInfo("Europe/Paris"))
ZONE = "Europe/Paris"


@dataclass
class Phrase:
    text: str
    kind: str
    expected: str
    rrule: str = ""
    zone: str = ""


def load_phrases(path: Path | None = None) -> list[Phrase]:
    """The phrase set (the packaged one unless ``path`` is given)."""
    if path is None:
        text = resources.files("os1.bench").joinpath("data/reminder_phrases.tsv").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0][:3] != ["phrase", "kind", "expected"]:
        raise ValueError("the phrase file needs a header: phrase, kind, expected, rrule, zone")
    phrases = []
    for row in rows[1:]:
        row = row + [""] * (5 - len(row))
        phrases.append(Phrase(row[0], row[1], row[2], row[3], row[4]))
    return phrases


def judge(phrase: Phrase, now: datetime = NOW, zone: str = ZONE) -> tuple[bool, str]:
    """(right?, what OS1 made of it)."""
    request = understand(phrase.text, now, zone)
    parsed = request.parsed
    if parsed.question is not None:
        got = f"ASK {parsed.question.text}"
        return phrase.expected == "ASK", got
    if parsed.when is None:
        return False, f"nothing ({parsed.error or 'no time found'})"
    when = parsed.when
    expected_zone = ZoneInfo(phrase.zone or zone)
    shown = when.start.astimezone(expected_zone)
    got = (f"{request.kind} {shown:%Y-%m-%d}" + ("" if when.all_day else f" {shown:%H:%M}")
           + (f" {when.rrule}" if when.rrule else ""))
    if phrase.expected == "ASK" or request.kind != phrase.kind or when.rrule != phrase.rrule:
        return False, got
    if len(phrase.expected) == 10:  # an all-day date
        return when.all_day and f"{shown:%Y-%m-%d}" == phrase.expected, got
    expected = datetime.strptime(phrase.expected, "%Y-%m-%d %H:%M").replace(tzinfo=expected_zone)
    return (not when.all_day and abs((when.start - expected).total_seconds()) < 60), got


def reminders(path: Path | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    phrases = load_phrases(path)
    right = 0
    wrong: list[str] = []
    started = time.perf_counter()
    for phrase in phrases:
        ok, got = judge(phrase)
        right += ok
        if not ok:
            wrong.append(f"{phrase.text!r}: expected {phrase.expected}"
                         + (f" {phrase.rrule}" if phrase.rrule else "") + f", got {got}")
    seconds = time.perf_counter() - started
    for line in wrong if progress else []:
        progress(f"wrong: {line}")  # type: ignore[misc]
    asks = sum(p.expected == "ASK" for p in phrases)
    return {
        "reminder_phrases": len(phrases),
        "reminder_ambiguous": asks,
        "reminder_correct": right,
        "reminder_accuracy": round(right / len(phrases), 4) if phrases else 0.0,
        "reminder_parse_ms": round(seconds * 1000 / max(len(phrases), 1), 2),
    }


def ics_files(folder: Path, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Import every .ics file in ``folder`` (recursively) into a throwaway database."""
    from os1.skills.calendar.ics import import_file
    from os1.skills.calendar.store import CalendarStore
    from os1.storage.sqlite import open_store

    suffixes = (".ics", ".ical", ".ifb")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    parsed = failed = events = tasks = skipped = 0
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="os1-bench-calendar-") as tmp:
        db = open_store(Path(tmp) / "bench.sqlite")
        try:
            store = CalendarStore(db)
            for path in files:
                try:
                    report = import_file(store, path, user_zone=ZONE, now=NOW)
                except Exception as exc:  # the benchmark counts crashes instead of stopping
                    failed += 1
                    notes.append(f"{path.name}: FAILED {type(exc).__name__}: {exc}")
                    continue
                parsed += 1
                events += report.events
                tasks += report.tasks
                skipped += len(report.skipped)
                notes.append(f"{path.name}: {report.describe()}")
        finally:
            db.close()
    for line in notes if progress else []:
        progress(line)  # type: ignore[misc]
    return {"ics_files": len(files), "ics_files_parsed": parsed, "ics_files_failed": failed,
            "ics_events": events, "ics_tasks": tasks, "ics_skipped": skipped,
            "ics_notes": " | ".join(notes)}


def run(folder: Path | None, phrases: Path | None = None,
        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Both parts; ``folder`` None skips the ICS part (its keys are then 0)."""
    result: dict[str, Any] = {"now": NOW.isoformat(), "zone": ZONE}
    if folder is not None:
        result.update(ics_files(folder, progress))
    else:
        result.update({"ics_files": 0, "ics_files_parsed": 0, "ics_files_failed": 0})
    result.update(reminders(phrases, progress))
    return result
