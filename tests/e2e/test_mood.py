"""`os1 growth mood`: chat through the real terminal, then see the feelings of those turns by day;
`os1 chat --feelings` shows the reading as it happens; export carries it, `forget --all` clears it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.e2e.cli_helpers import Session, answer_interview, describe, export, run

SCARED = "I'm so scared about the surgery tomorrow"
EXCITED = "I got the job!! I'm so excited, this is amazing"


def test_no_mood_yet_is_said_plainly(tmp_path: Path) -> None:
    proc = run(tmp_path, "growth", "mood")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.startswith("No mood recorded yet")
    data = json.loads(run(tmp_path, "growth", "mood", "--json").stdout)
    assert data["turns"] == 0 and data["timeline"] == []


def test_chat_then_mood_shows_the_days_feelings(tmp_path: Path) -> None:
    session = Session(tmp_path, "chat", "--feelings")
    try:
        answer_interview(session)
        session.ready()
        shown = session.say(SCARED)
        assert "(you sound " in shown, shown  # --feelings: one dim line before the reply
        assert "You said: " + SCARED in shown
        session.say(EXCITED)
        session.say("what time is it")
        assert session.quit() == 0
    finally:
        session.close()

    plain = Session(tmp_path)  # without --feelings the chat shows no reading
    try:
        plain.ready()
        shown = plain.say("the bus leaves at nine")
        assert "(you sound" not in shown and "You said: the bus leaves at nine" in shown
        assert plain.quit() == 0
    finally:
        plain.close()

    proc = run(tmp_path, "growth", "mood", "--json")
    assert proc.returncode == 0, describe(proc)
    data = json.loads(proc.stdout)
    assert data["turns"] == 4 and data["days"] == 14
    [today] = data["timeline"]
    assert today["date"] == time.strftime("%Y-%m-%d")
    assert today["turns"] == 4 and sum(today["states"].values()) == 4
    assert set(today["states"]) & {"fear", "nervousness"}, today
    assert set(today["states"]) & {"excitement", "joy"}, today
    assert today["tone"]["hard"] >= 1 and today["tone"]["good"] >= 1
    assert today["states"].get("neutral", 0) >= 1

    text = run(tmp_path, "growth", "mood", "--days", "3")
    assert text.returncode == 0, describe(text)
    lines = text.stdout.splitlines()
    assert lines[0].startswith("Your mood over the last 3 days (4 turns;")
    day = next(line for line in lines if today["date"] in line)
    assert "4 turns" in day and "mostly " in day
    assert "█" in day and "▓" in day  # good and hard turns in the bar
    assert "Traceback" not in text.stderr

    archive = export(tmp_path)
    assert len(archive.tables["affect"]) == 4
    assert {row["source"] for row in archive.tables["affect"]} == {"text"}

    assert run(tmp_path, "forget", "--all", "--yes").returncode == 0
    assert run(tmp_path, "growth", "mood").stdout.startswith("No mood recorded yet")


def test_bad_days_are_a_usage_error(tmp_path: Path) -> None:
    proc = run(tmp_path, "growth", "mood", "--days", "0")
    assert proc.returncode == 2
    assert "--days" in proc.stderr and "Traceback" not in proc.stderr
