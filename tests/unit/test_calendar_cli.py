"""``os1 calendar`` through click's CliRunner (the real command: tests/e2e/test_calendar_cli.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from os1.cli.calendar import QUESTION, calendar_group
from os1.core.config import load_settings
from os1.initiative.outbox import Outbox
from os1.skills.calendar import zones
from os1.skills.calendar.store import SOURCE
from os1.storage.sqlite import open_store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "calendar"
PARIS = "Europe/Paris"
NOW = datetime(2030, 1, 9, 14, 20, tzinfo=ZoneInfo(PARIS))


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "now_in", lambda zone: NOW.astimezone(ZoneInfo(zone)))


def cal(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(calendar_group, list(args), input=input)


def test_help_says_what_each_command_does() -> None:
    result = cal("--help")
    assert result.exit_code == 0
    for command in ("remind", "add", "agenda", "reminders", "cancel", "import", "export", "timezone"):
        assert command in result.output
    assert "re-import updates" in result.output
    assert "every weekday at 7" in cal("remind", "--help").output


def test_remind_asks_first_lists_and_cancels_with_a_journal_entry() -> None:
    assert "Europe/Paris" in cal("timezone", "Europe/Paris").output
    refused = cal("remind", "tomorrow at nine to call Amy", input="n\n")
    assert refused.exit_code != 0 and QUESTION in refused.output and "won't" in refused.output
    done = cal("remind", "tomorrow at nine to call Amy", input="y\n")
    assert done.exit_code == 0 and "tomorrow at 9 am, I'll remind you to call Amy" in done.output
    alarm = cal("remind", "wake me at 6:30")
    assert "Alarm set for 6:30 am tomorrow." in alarm.output
    listed = cal("reminders")
    lines = listed.output.splitlines()
    assert lines[0].startswith("#2") and "2030-01-10 06:30 alarm" in lines[0]
    assert lines[1].startswith("#1") and "2030-01-10 09:00 reminder call Amy" in lines[1]
    cancelled = cal("cancel", "1")
    assert cancelled.exit_code == 0 and "Cancelled #1: call Amy" in cancelled.output
    missing = cal("cancel", "1")
    assert missing.exit_code != 0 and "There's no reminder #1 set" in missing.output
    db = open_store(load_settings().db_path)
    try:
        journal = db.journal.list()
        assert journal[0].tool == "cancel_reminder" and journal[0].undo is not None
        assert [n.kind for n in Outbox(db).upcoming(source=SOURCE)] == ["alarm"]
    finally:
        db.close()


def test_an_ambiguous_time_is_asked_here_too() -> None:
    cal("timezone", "Europe/Paris")
    result = cal("remind", "--yes", "at 9 to call mom", input="2\n")
    assert "Tonight at 9 pm or tomorrow at 9 am?" in result.output
    assert "1. tonight at 9 pm" in result.output and "2. tomorrow at 9 am" in result.output
    assert "Okay — tomorrow at 9 am, I'll remind you to call mom." in result.output


def test_import_reports_bad_files_and_keeps_the_good_ones(tmp_path: Path) -> None:
    cal("timezone", "Europe/Paris")
    bad = tmp_path / "letter.ics"
    bad.write_text("Dear Amy,\n")
    missing = tmp_path / "missing.ics"
    result = cal("import", "--yes", str(FIXTURES / "weekly_paris.ics"), str(bad), str(missing))
    assert result.exit_code == 1
    assert "Read 3 events (2 repeating) from weekly_paris.ics: 3 new." in result.output
    assert "letter.ics is not an iCalendar file" in result.output and "Nothing was changed" in result.output
    assert "I can't find" in result.output
    agenda = cal("agenda", "--date", "2030-01-28", "--days", "7")
    assert agenda.exit_code == 0, agenda.output
    assert "Tue 2030-01-29" in agenda.output
    assert "20:00–21:30 Choir practice (moved)  @ Church" in agenda.output
    assert "Mon 2030-01-28" not in agenda.output  # that occurrence moved to the 29th
    said = cal("agenda", "--date", "2030-01-10", "--say")
    assert said.output.strip() == "Tomorrow: all day: Mum's birthday."


def test_export_imports_back_the_same_and_never_overwrites(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cal("timezone", "Europe/Paris")
    cal("import", "--yes", str(FIXTURES / "weekly_paris.ics"), str(FIXTURES / "tasks.ics"))
    cal("add", "lunch with Amy on Friday at 1")
    out = tmp_path / "mine.ics"
    exported = cal("export", str(out))
    assert exported.exit_code == 0 and "Wrote 4 events, 1 task and 0 reminders" in exported.output
    again = cal("export", str(out))
    assert again.exit_code != 0 and "exists" in again.output
    before = cal("agenda", "--date", "2030-01-07", "--days", "14").output
    monkeypatch.setenv("OS1_HOME", str(tmp_path / "other-home"))
    cal("timezone", "Europe/Paris")
    back = cal("import", "--yes", str(out))
    assert "Read 4 events (2 repeating) and 1 task from mine.ics: 5 new." in back.output
    assert cal("agenda", "--date", "2030-01-07", "--days", "14").output == before


def test_unknown_time_zones_are_refused_clearly() -> None:
    result = cal("timezone", "Narnia/Castle")
    assert result.exit_code != 0 and "I don't know the time zone 'Narnia/Castle'" in result.output
    assert "New_York" in cal("timezone", "new york").output
