"""The calendar skill in conversation (scripted brain, pattern router): consent first, reminders that land
in the initiative outbox with the right moment, zone and rule, one short question when a time is ambiguous,
cancel, undo, the agenda, and imports."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from os1.core.conversation import Conversation
from os1.core.runtime import Runtime
from os1.initiative.outbox import Nudge, Outbox
from os1.mind.router import Router
from os1.skills.calendar import choices, zones
from os1.skills.calendar.store import SOURCE, CalendarStore
from os1.skills.loader import load_skills
from tests.unit.helpers import make_runtime, reply_text, run_turn

PARIS = "Europe/Paris"
NOW = datetime(2030, 1, 9, 14, 20, tzinfo=ZoneInfo(PARIS))  # a Wednesday afternoon
FIXTURES = Path(__file__).parents[1] / "fixtures" / "calendar"


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.setattr(zones, "now_in", lambda zone: NOW.astimezone(ZoneInfo(zone)))
    rt = make_runtime()
    rt.store.profile.set(zones.PROFILE_KEY, PARIS)
    try:
        yield rt
    finally:
        rt.close()


def _talk(runtime: Runtime, *lines: str) -> list[str]:
    conversation = Conversation.resume_or_start(runtime)

    async def go() -> list[str]:
        return [reply_text(await run_turn(conversation, line)) for line in lines]

    return asyncio.run(go())


def _open(runtime: Runtime) -> list[Nudge]:
    return Outbox(runtime.store).upcoming(source=SOURCE, limit=100)


def _local(nudge: Nudge) -> str:
    return nudge.due.astimezone(ZoneInfo(PARIS)).strftime("%Y-%m-%d %H:%M")


def test_asks_first_then_a_reminder_lands_in_the_outbox(runtime: Runtime) -> None:
    asked, done = _talk(runtime, "remind me tomorrow at nine to call Amy", "yes")
    assert asked == ("Shall I keep your calendar and reminders for you, and speak up on my own when "
                     "something's due?")
    assert done == "Okay — tomorrow at 9 am, I'll remind you to call Amy."
    [nudge] = _open(runtime)
    assert (nudge.kind, nudge.source, nudge.tz, nudge.rrule) == ("reminder", "calendar", PARIS, "")
    assert _local(nudge) == "2030-01-10 09:00"
    assert nudge.text == "It's nine o'clock — time to call Amy."
    assert nudge.ref.startswith("reminder:")
    assert nudge.data["late_text"] == "I was meant to remind you at 9 am: to call Amy."


def test_saying_no_keeps_nothing(runtime: Runtime) -> None:
    _asked, refused = _talk(runtime, "wake me at 7", "no")
    assert "won't" in refused and _open(runtime) == []


def test_alarms_repeats_and_other_zones_reach_the_outbox_as_said(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    replies = _talk(runtime, "wake me at 7", "remind me every Monday at 8 to take out the trash",
                    "remind me at 9am New York time to call Dan")
    assert replies[0] == "Alarm set for 7 am tomorrow."
    assert replies[1] == ("Okay — every Monday at 8 am, starting Monday, I'll remind you to take out "
                          "the trash.")
    # 2:20 pm in Paris is 8:20 am in New York: 9 am there is still today, 3 pm here
    assert replies[2] == "Okay — at 9 am New York time (today at 3 pm here), I'll remind you to call Dan."
    dan, alarm, trash = _open(runtime)
    assert (alarm.kind, _local(alarm)) == ("alarm", "2030-01-10 07:00")
    assert alarm.text == "Good morning! It's seven o'clock — time to get up."
    assert (dan.tz, dan.due.strftime("%H:%M")) == ("America/New_York", "09:00")
    assert _local(dan) == "2030-01-09 15:00"
    assert (trash.rrule, trash.tz, _local(trash)) == ("FREQ=WEEKLY;BYDAY=MO", PARIS, "2030-01-14 08:00")


def test_an_ambiguous_time_gets_one_short_question_and_the_answer_settles_it(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    question, answer = _talk(runtime, "remind me at 9 to call mom", "the later one")
    assert question == "Tonight at 9 pm or tomorrow at 9 am?"
    assert answer == "Okay — tomorrow at 9 am, I'll remind you to call mom."
    assert [_local(n) for n in _open(runtime)] == ["2030-01-10 09:00"]

    question, answer = _talk(runtime, "remind me next Friday to pay the gardener", "this Friday")
    assert question == "Do you mean this Friday (the 11th) or Friday, January 18th?"
    assert answer == "Okay — on Friday at 9 am, I'll remind you to pay the gardener."
    assert "2030-01-11 09:00" in [_local(n) for n in _open(runtime)]


def test_the_answer_goes_to_the_skill_that_asked_and_anything_else_is_routed(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    question, answer = _talk(runtime, "remind me at 9 to call mom", "the first one")  # music's words too
    assert question == "Tonight at 9 pm or tomorrow at 9 am?"
    assert answer == "Okay — tonight at 9 pm, I'll remind you to call mom."
    question, other = _talk(runtime, "remind me at 9 to feed the cat", "what time is it")
    assert question == "Tonight at 9 pm or tomorrow at 9 am?"
    assert other.startswith("It's ")  # the clock answered: not an answer, so not the calendar's
    assert [_local(n) for n in _open(runtime)] == ["2030-01-09 21:00"]


def test_asking_for_a_reminder_in_the_first_person(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    [done] = _talk(runtime, "I would like a reminder tomorrow at nine to call Amy")
    assert done == "Okay — tomorrow at 9 am, I'll remind you to call Amy."
    assert [_local(n) for n in _open(runtime)] == ["2030-01-10 09:00"]


def test_a_question_left_unanswered_is_forgotten(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime.gate.grant(["calendar"])
    _talk(runtime, "remind me at 9 to call mom")
    later = choices.time.time() + choices.FORGET_AFTER_S + 1
    monkeypatch.setattr(choices.time, "time", lambda: later)
    reply = _talk(runtime, "tonight")[0]
    assert reply.startswith("I'm not sure what that's for") and _open(runtime) == []


def test_a_reminder_without_a_time_asks_when(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    question, done = _talk(runtime, "remind me to water the plants", "tomorrow evening")
    assert question == "When should I remind you to water the plants?"
    assert done == "Okay — tomorrow at 6 pm, I'll remind you to water the plants."
    assert [_local(n) for n in _open(runtime)] == ["2030-01-10 18:00"]


def test_an_alarm_without_a_time_asks_for_one(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    question, done = _talk(runtime, "wake me up", "7:30")
    assert (question, done) == ("What time should I wake you?", "Alarm set for 7:30 am tomorrow.")
    [alarm] = _open(runtime)
    assert (alarm.kind, _local(alarm)) == ("alarm", "2030-01-10 07:30")


def test_cancel_and_undo_bring_the_very_same_nudge_back(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    _talk(runtime, "remind me tomorrow at nine to call Amy", "remind me in 20 minutes to check the oven")
    oven, amy = _open(runtime)
    cancelled, listed = _talk(runtime, "cancel the reminder about Amy", "what are my reminders?")
    assert cancelled == ("Okay, I cancelled the reminder to call Amy (tomorrow at 9 am). "
                         "Say “undo” to bring it back.")
    assert [n.id for n in _open(runtime)] == [oven.id]
    assert "check the oven" in listed and "Amy" not in listed
    undone = _talk(runtime, "undo that")[0]
    assert undone.startswith("Undone: cancelled the reminder to call Amy")
    assert [n.id for n in _open(runtime)] == [oven.id, amy.id]
    _talk(runtime, "undo that")  # now the newest change left is the oven reminder: it goes
    assert [n.id for n in _open(runtime)] == [amy.id]


def test_events_show_in_the_agenda_with_their_alerts(runtime: Runtime) -> None:
    runtime.gate.grant(["calendar"])
    added, dentist, agenda, tomorrow = _talk(
        runtime, "lunch with Amy on Friday at 1", "dentist tomorrow 3pm for an hour", "what's on this week?",
        "what's on tomorrow?")
    assert added == "Added: Lunch with Amy, Friday at 1 pm. I'll remind you 15 minutes before."
    assert dentist == "Added: Dentist, tomorrow at 3 pm until 4 pm. I'll remind you 15 minutes before."
    assert agenda == "This week: Tomorrow — 3 pm: Dentist. Friday — 1 pm: Lunch with Amy."
    assert tomorrow == "Tomorrow: 3 pm: Dentist."
    alerts = [(n.kind, _local(n), n.text) for n in _open(runtime)]
    assert alerts == [("event", "2030-01-10 14:45", "In 15 minutes: Dentist (at 3 pm)."),
                      ("event", "2030-01-11 12:45", "In 15 minutes: Lunch with Amy (at 1 pm).")]
    removed = _talk(runtime, "cancel lunch with Amy")[0]
    assert removed.startswith("Took Lunch with Amy, on Friday at 1 pm off your calendar")
    assert [_local(n) for n in _open(runtime)] == ["2030-01-10 14:45"]
    _talk(runtime, "undo that")
    assert len(_open(runtime)) == 2


def test_importing_a_file_in_conversation_and_undoing_it(runtime: Runtime, tmp_path: Path) -> None:
    runtime.gate.grant(["calendar"])
    source = shutil.copy(FIXTURES / "weekly_paris.ics", tmp_path / "home.ics")
    imported, agenda = _talk(runtime, f"import {source}", "what's on next week?")
    assert imported.startswith("Read 3 events (2 repeating) from home.ics: 3 new.")
    assert "Monday — 7:30 pm: Choir practice (Town hall)" in agenda
    assert len(CalendarStore(runtime.store).events()) == 3
    undone = _talk(runtime, "undo that")[0]
    assert "removed 3 events" in undone and CalendarStore(runtime.store).events() == []
    bad = tmp_path / "notes.ics"
    bad.write_text("just some notes\n")
    refused = _talk(runtime, f"import {bad}")[0]
    assert "is not an iCalendar file" in refused and "Nothing was changed" in refused


@pytest.mark.parametrize(("text", "tool"), [
    ("remind me tomorrow at nine to call Amy", "remind"),
    ("wake me up at 7", "remind"),
    ("set an alarm for 6:30", "remind"),
    ("in 10 minutes remind me to turn off the tap", "remind"),
    ("lunch with Amy on Friday at 1", "add_event"),
    ("dentist next Tuesday 3pm for an hour", "add_event"),
    ("add yoga every Thursday at 6pm to my calendar", "add_event"),
    ("what's on today?", "agenda"),
    ("what does my week look like", "agenda"),
    ("what are my reminders?", "list_reminders"),
    ("cancel my alarm", "cancel_reminder"),
    ("cancel the reminder about Amy", "cancel_reminder"),
    ("delete the dentist appointment", "delete_event"),
    ("the later one", "answer"),
    ("import ~/Downloads/work.ics", "import_calendar"),
    ("export my calendar", "export_calendar"),
])
def test_calendar_requests_route_to_the_calendar(text: str, tool: str) -> None:
    route = Router(load_skills(), encoder=None).route(text)
    assert route is not None and (route.skill, route.tool) == ("calendar", tool)


@pytest.mark.parametrize("text", ["what time is it", "what's the date today", "what day is it today",
                                  "find the lease I signed last spring",
                                  "remember that the meeting moved to Friday", "undo that", "skip this part",
                                  "remind me what we talked about yesterday",
                                  "dinner ideas for tonight", "I had a great lunch today",
                                  # telling OS1 about one's day is conversation, not a calendar entry
                                  "I have the interview at nine tomorrow", "I have a meeting tomorrow"])
def test_other_requests_are_not_taken(text: str) -> None:
    route = Router(load_skills(), encoder=None).route(text)
    assert route is None or route.skill != "calendar"
