"""iCalendar in and out: repeats and exceptions, zones (known, Windows, unknown, X-WR), broken files, alarms
turned into outbox nudges, re-imports that update, and an export that round-trips."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from os1.initiative.outbox import Outbox
from os1.skills.calendar import agenda, reminders, zones
from os1.skills.calendar.ics import CalendarFileError, export_file, import_file, import_text
from os1.skills.calendar.store import SOURCE, CalendarStore
from os1.skills.calendar.when import When
from os1.storage.sqlite import open_store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "calendar"
PARIS = "Europe/Paris"
NOW = datetime(2030, 1, 6, 12, 0, tzinfo=ZoneInfo(PARIS))  # a Sunday, the day before the fixtures' week


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "now_in", lambda zone: NOW.astimezone(ZoneInfo(zone)))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CalendarStore]:
    db = open_store(tmp_path / "calendar.sqlite")
    try:
        yield CalendarStore(db)
    finally:
        db.close()


def _window() -> agenda.Window:
    return agenda.Window(NOW, datetime(2030, 2, 17, tzinfo=ZoneInfo(PARIS)), "six weeks")


def _events(store: CalendarStore) -> list[tuple[str, str, bool]]:
    return [(i.start.isoformat(), i.title, i.all_day) for i in agenda.items(store, _window(), PARIS)
            if i.kind in ("event", "task")]


def _import(store: CalendarStore, name: str):  # type: ignore[no-untyped-def]
    return import_file(store, FIXTURES / name, user_zone=PARIS, now=NOW)


def test_repeats_exceptions_moved_and_extra_dates_expand_in_the_agenda(store: CalendarStore) -> None:
    report = _import(store, "weekly_paris.ics")
    assert (report.events, report.added, report.repeating) == (3, 3, 2)
    choir = [(start[:16], title) for start, title, _ in _events(store) if title.startswith("Choir")]
    assert choir == [
        ("2030-01-07T19:30", "Choir practice"),
        ("2030-01-14T19:30", "Choir practice"),  # the 21st is excluded (EXDATE)
        ("2030-01-29T20:00", "Choir practice (moved)"),  # the 28th moved to the 29th (RECURRENCE-ID)
        ("2030-01-30T19:30", "Choir practice"),  # an extra date (RDATE)
        ("2030-02-04T19:30", "Choir practice"),
        ("2030-02-11T19:30", "Choir practice"),  # COUNT=6 ends here
    ]
    birthday = [e for e in _events(store) if e[1] == "Mum's birthday"]
    assert birthday == [("2030-01-10T00:00:00+01:00", "Mum's birthday", True)]
    dentist = [e for e in _events(store) if e[1] == "Dentist"]
    assert dentist[0][0] == "2030-01-08T15:00:00+01:00"  # 14:00 UTC, said in the user's zone


def test_alarms_become_outbox_nudges_and_a_reimport_does_not_double_them(store: CalendarStore) -> None:
    _import(store, "weekly_paris.ics")
    outbox = Outbox(store.db)
    nudges = outbox.upcoming(source=SOURCE, limit=100)
    assert [n.due.astimezone(ZoneInfo(PARIS)).strftime("%m-%d %H:%M") for n in nudges] == \
        ["01-07 19:00", "01-14 19:00", "01-30 19:00", "02-04 19:00"]  # 30 min before; the moved one has none
    assert all(n.kind == "event" for n in nudges)
    assert nudges[0].text == "In 30 minutes: Choir practice, at Town hall (at 7:30 pm)."

    again = _import(store, "weekly_paris.ics")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert len(store.events()) == 3
    assert len(outbox.upcoming(source=SOURCE, limit=100)) == 4


def test_the_same_uid_with_new_details_updates_the_event_and_its_alerts(store: CalendarStore) -> None:
    _import(store, "weekly_paris.ics")
    text = (FIXTURES / "weekly_paris.ics").read_text(encoding="utf-8")
    moved = text.replace("Paris:20300107T193000", "Paris:20300107T180000")  # starts 90 minutes earlier
    moved = moved.replace("Paris:20300107T210000", "Paris:20300107T193000")
    report = import_text(store, moved, origin="moved.ics", user_zone=PARIS, now=NOW)
    assert (report.added, report.updated) == (0, 1) and report.previous[0]["uid"] == "choir-weekly@os1-tests"
    assert len(store.events()) == 3
    first = Outbox(store.db).upcoming(source=SOURCE)[0]
    assert first.due.astimezone(ZoneInfo(PARIS)).strftime("%m-%d %H:%M") == "01-07 17:30"


def test_unknown_zones_fall_back_to_the_users_zone_with_a_note(store: CalendarStore) -> None:
    report = _import(store, "unknown_tz.ics")
    assert "unknown time zone 'Mars/Olympus_Mons': used your zone (Europe/Paris) instead" in report.notes
    starts = {title: start for start, title, _ in _events(store)}
    assert starts["Meeting on Mars time"] == "2030-01-09T10:00:00+01:00"
    assert starts["Call with the New York office"] == "2030-01-09T15:00:00+01:00"  # X-WR-TIMEZONE: 9 am in NY
    assert starts["Berlin review"] == "2030-01-09T15:00:00+01:00"  # a Windows zone name


def test_broken_parts_are_repaired_or_skipped_and_said_why(store: CalendarStore) -> None:
    report = _import(store, "broken.ics")
    notes = " | ".join(report.notes)
    assert "the repeat rule 'FREQ=SOMETIMES;COUNT=3' is broken — kept only its first time" in notes
    assert "repaired the repeat rule" in notes
    assert "had both an end and a duration — kept the end" in notes
    assert "ended before it started" in notes
    assert "was in the file 2 times: kept the newest" in notes
    assert report.skipped == [("“Unreadable start”", report.skipped[0][1])]
    assert "start date is unreadable" in report.skipped[0][1]
    assert report.undated == 1 and store.event_by_uid("undated@os1-tests") is not None
    titles = [title for _, title, _ in _events(store)]
    assert titles.count("Sometimes yoga") == 1  # the first occurrence kept
    assert titles.count("Daily standup") == 3  # FREQ=DAILY\;COUNT=3, repaired
    assert "New title" in titles and "Old title" not in titles
    no_uid = [e for e in store.events() if e.summary == "No UID lunch"]
    assert len(no_uid) == 1 and no_uid[0].uid.startswith("os1-")
    _import(store, "broken.ics")  # its made-up UID is stable: no copy the second time
    assert len([e for e in store.events() if e.summary == "No UID lunch"]) == 1


def test_a_truncated_file_keeps_the_complete_events(store: CalendarStore) -> None:
    report = _import(store, "truncated.ics")
    assert report.added == 1
    assert report.skipped == [("the last event", "the file is cut off in the middle of it")]
    assert [title for _, title, _ in _events(store)] == ["Complete event"]


def test_not_utf8_is_read_as_windows_1252(store: CalendarStore) -> None:
    report = _import(store, "latin1.ics")
    assert any("not UTF-8" in note for note in report.notes)
    assert [title for _, title, _ in _events(store)] == ["Café crème with Renée"]


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04\x00\x00binary", "binary file"),
    (b"", "is empty"),
    (b"BEGIN:VCARD\nVERSION:3.0\nFN:Amy\nEND:VCARD\n", "not an iCalendar file"),
    (b"hello, this is a letter", "not an iCalendar file"),
])
def test_files_that_are_not_calendars_are_refused_and_change_nothing(store: CalendarStore, tmp_path: Path,
                                                                   content: bytes, message: str) -> None:
    _import(store, "tasks.ics")
    bad = tmp_path / "bad.ics"
    bad.write_bytes(content)
    with pytest.raises(CalendarFileError, match=message):
        import_file(store, bad, user_zone=PARIS, now=NOW)
    assert len(store.events()) == 1


def test_tasks_are_kept_and_show_on_their_due_day(store: CalendarStore) -> None:
    report = _import(store, "tasks.ics")
    assert report.tasks == 1
    items = [i for i in agenda.items(store, _window(), PARIS) if i.kind == "task"]
    assert [(i.start.date().isoformat(), i.title, i.all_day) for i in items] == \
        [("2030-01-08", "Send the tax return", True)]


def test_export_round_trips_events_zones_repeats_and_reminders(store: CalendarStore, tmp_path: Path) -> None:
    for name in ("weekly_paris.ics", "unknown_tz.ics", "tasks.ics", "broken.ics"):
        _import(store, name)
    monday = datetime(2030, 1, 20, 8, 0, tzinfo=ZoneInfo(PARIS))
    when = When(start=monday, zone=PARIS, rrule="FREQ=WEEKLY;BYDAY=MO")
    reminders.schedule(store, Outbox(store.db), kind="reminder", task="take out the trash",
                       phrase="remind me every Monday at 8 to take out the trash", when=when)
    out = tmp_path / "out.ics"
    report = export_file(store, out)
    assert (report.events, report.tasks, report.reminders) == (len(store.events()) - 1, 1, 1)
    parsed = icalendar.Calendar.from_ical(out.read_bytes())  # a valid file
    assert "Europe/Paris" in {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")}

    db = open_store(tmp_path / "again.sqlite")
    try:
        again = CalendarStore(db)
        back = import_file(again, out, user_zone=PARIS, now=NOW)
        assert back.skipped == [] and back.reminders == 1
        assert _events(again) == _events(store)
        assert {e.uid for e in again.events()} == {e.uid for e in store.events()}
        assert {(e.uid, e.rrule) for e in again.events()} == {(e.uid, e.rrule) for e in store.events()}
        trash = reminders.pending(again, Outbox(db))
        assert [(p.row.task, p.row.rrule) for p in trash] == [("take out the trash", "FREQ=WEEKLY;BYDAY=MO")]
        twice = import_file(again, out, user_zone=PARIS, now=NOW)
        assert twice.added == 0 and len(reminders.pending(again, Outbox(db))) == 1
    finally:
        db.close()


def test_the_shared_vobject_style_quirks_parse(store: CalendarStore) -> None:
    """Bare VTIMEZONE files, Windows zone names with commas, 8-bit TZIDs, a leading blank line."""
    quirky = ("\nBEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VTIMEZONE\nTZID:Екатеринбург\nBEGIN:STANDARD\n"
              "DTSTART:16011028T030000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETFROM:+0600\n"
              "TZOFFSETTO:+0500\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:CyrillicTest\n"
              "DTSTART;TZID=Екатеринбург:20300108T150000\nEND:VEVENT\nEND:VCALENDAR\n")
    report = import_text(store, quirky, origin="quirky.ics", user_zone=PARIS, now=NOW)
    assert report.added == 1
    assert _events(store)[0][0] == "2030-01-08T11:00:00+01:00"  # 15:00 at +05:00
    only_zones = ("BEGIN:VTIMEZONE\nTZID:US/Eastern\nBEGIN:STANDARD\nDTSTART:19671029T020000\n"
                  "TZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nEND:STANDARD\nEND:VTIMEZONE\n")
    empty = import_text(store, only_zones, origin="zones.ics", user_zone=PARIS, now=NOW)
    assert empty.events == 0 and "has no events or tasks (only 1 time zone definition)" in empty.describe()
