"""``os1 calendar`` end to end: the real command, a temporary OS1 home, the small fixture calendars."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.cli_helpers import describe, export, flat, run

FIXTURES = Path(__file__).parents[1] / "fixtures" / "calendar"


def _cal(home: Path, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    return run(home, "calendar", *args, input=input, timeout=60)


def test_help_import_agenda_remind_export_undo(tmp_path: Path) -> None:
    home = tmp_path / "os1"
    helped = _cal(home, "--help")
    assert helped.returncode == 0 and "import FILE.ics" in helped.stdout, describe(helped)
    assert "Europe/Paris" in _cal(home, "timezone", "Europe/Paris").stdout

    refused = _cal(home, "import", str(FIXTURES / "weekly_paris.ics"), input="n\n")
    assert refused.returncode != 0 and "speak up on my own" in refused.stdout, describe(refused)
    imported = _cal(home, "import", str(FIXTURES / "weekly_paris.ics"), str(FIXTURES / "not_a_calendar.ics"),
                    input="y\n")
    assert imported.returncode == 1, describe(imported)
    assert "Read 3 events (2 repeating) from weekly_paris.ics: 3 new." in imported.stdout
    assert "not_a_calendar.ics is a binary file" in imported.stderr

    week = _cal(home, "agenda", "--date", "2030-01-07", "--days", "7")
    assert week.returncode == 0, describe(week)
    lines = flat(week.stdout)
    assert "19:30–21:00 Choir practice @ Town hall" in lines
    assert "all day Mum's birthday" in lines and "15:00–16:00 Dentist" in lines

    reminded = _cal(home, "remind", "in 20 minutes to check the oven")
    assert reminded.returncode == 0, describe(reminded)
    assert "I'll remind you to check the oven" in reminded.stdout
    listed = _cal(home, "reminders")
    assert "check the oven" in listed.stdout, describe(listed)

    out = tmp_path / "calendar.ics"
    written = _cal(home, "export", str(out))
    assert written.returncode == 0 and "Wrote 3 events" in written.stdout and out.exists(), describe(written)
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")

    data = export(home)
    assert {"calendar_events", "calendar_reminders"} <= set(data.tables)
    assert len(data.tables["calendar_events"]) == 3

    journal = run(home, "journal")
    assert "calendar.remind: reminder in 20 minutes" in journal.stdout, describe(journal)
    undone = run(home, "undo")
    assert undone.returncode == 0, describe(undone)
    assert "I won't remind you to check the oven" in undone.stdout
    assert "No reminders or alarms set." in _cal(home, "reminders").stdout
