"""The outbox and the scheduler: nudges said once, on time or as missed, recurring ones re-scheduled."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from os1.core.config import load_settings
from os1.core.events import Initiative
from os1.initiative.outbox import Outbox, next_occurrence
from os1.initiative.scheduler import LATE_S, Outlet, Scheduler, spoken_text
from os1.storage.sqlite import open_store
from tests.unit.helpers import make_runtime

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def runtime():
    rt = make_runtime()
    yield rt
    rt.close()


def _collect() -> tuple[list[Initiative], Outlet]:
    heard: list[Initiative] = []
    return heard, Outlet("test", lambda event: heard.append(event) or True)


def test_a_nudge_is_claimed_only_when_due(runtime):
    outbox = Outbox(runtime.store)
    nudge = outbox.schedule(1_000.0, "Time to call Amy.", source="calendar", ref="r1")
    assert outbox.claim_due("a", now=999.0) == []
    claimed = outbox.claim_due("a", now=1_000.0)
    assert [n.id for n in claimed] == [nudge.id]
    assert outbox.claim_due("a", now=2_000.0) == []  # never twice
    assert outbox.upcoming() == []


def test_two_processes_sharing_the_database_never_both_claim(runtime):
    Outbox(runtime.store).schedule(time.time() - 1, "Stretch.")
    other = open_store(load_settings().db_path)  # a second connection, as another process has
    try:
        results: list[int] = []

        def claim(outbox: Outbox, name: str) -> None:
            results.append(len(outbox.claim_due(name)))

        threads = [threading.Thread(target=claim, args=(Outbox(db), name))
                   for db, name in ((runtime.store, "one"), (other, "two"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [0, 1]
    finally:
        other.close()


def test_a_recurring_nudge_gets_its_next_occurrence_in_its_own_time_zone(runtime):
    outbox = Outbox(runtime.store)
    first = datetime(2026, 3, 28, 7, 0, tzinfo=PARIS)  # the night before the clocks go forward
    outbox.schedule(first, "Good morning!", kind="alarm", tz="Europe/Paris", rrule="FREQ=DAILY", ref="wake")
    outbox.claim_due("a", now=first.timestamp())
    [following] = outbox.upcoming()
    assert following.due == datetime(2026, 3, 29, 7, 0, tzinfo=PARIS)  # 7 am local, not 8 am
    assert following.ref == "wake" and following.kind == "alarm"


def test_a_rule_that_runs_out_stops(runtime):
    outbox = Outbox(runtime.store)
    outbox.schedule(1_000.0, "Take the pill.", rrule="FREQ=HOURLY;COUNT=2")
    outbox.claim_due("a", now=1_000.0)
    outbox.claim_due("a", now=1_000.0 + 3600)
    assert outbox.upcoming() == []


def test_next_occurrence_skips_the_missed_ones():
    start = datetime(2026, 1, 5, 8, 0, tzinfo=PARIS).timestamp()  # a Monday
    after = datetime(2026, 1, 20, 12, 0, tzinfo=PARIS).timestamp()
    following = next_occurrence("FREQ=WEEKLY;BYDAY=MO", start, after, "Europe/Paris")
    assert datetime.fromtimestamp(following, PARIS) == datetime(2026, 1, 26, 8, 0, tzinfo=PARIS)


def test_bad_rules_and_empty_texts_are_refused(runtime):
    outbox = Outbox(runtime.store)
    with pytest.raises(ValueError, match="not valid"):
        outbox.schedule(1.0, "x", rrule="FREQ=SOMETIMES")
    with pytest.raises(ValueError):
        outbox.schedule(1.0, "   ")
    with pytest.raises(ValueError):
        outbox.schedule(1.0, "x", kind="shout")


def test_cancel_and_restore(runtime):
    outbox = Outbox(runtime.store)
    nudge = outbox.schedule(10.0, "Water the plants.", source="calendar", ref="plants")
    assert outbox.cancel(nudge.id)
    assert outbox.claim_due("a", now=20.0) == []
    assert outbox.restore(nudge.id)
    assert [n.id for n in outbox.claim_due("a", now=20.0)] == [nudge.id]
    assert not outbox.cancel(nudge.id)  # already said


def test_the_scheduler_says_nothing_while_nobody_listens(runtime):
    Outbox(runtime.store).schedule(time.time() - 5, "Call Amy.")
    scheduler = Scheduler(runtime)
    try:
        assert scheduler.tick() == []
        assert len(Outbox(runtime.store).upcoming()) == 1  # kept for when someone is there
    finally:
        scheduler.stop()


def test_the_scheduler_says_it_stores_it_and_records_where(runtime):
    conversation = runtime.store.conversations.create("Conversation")
    nudge = Outbox(runtime.store).schedule(time.time() - 5, "Time to call Amy.",
                                           conversation_id=conversation.id)
    heard, outlet = _collect()
    scheduler = Scheduler(runtime)
    scheduler.attach(outlet)
    try:
        [event] = scheduler.tick()
    finally:
        scheduler.stop()
    assert heard == [event]
    assert event.text == "Time to call Amy." and not event.late
    [message] = runtime.store.conversations.messages(conversation.id)
    assert (message.role, message.content, message.id) == ("assistant", "Time to call Amy.", event.message_id)
    assert Outbox(runtime.store).get(nudge.id).delivered_to == "test"


def test_a_missed_nudge_is_said_as_missed():
    from os1.initiative.outbox import Nudge

    due = datetime(2026, 11, 23, 9, 0).timestamp()
    nudge = Nudge(1, "reminder", "It's nine: time to call Amy.", "calendar", "r", due)
    assert spoken_text(nudge, due + 30) == "It's nine: time to call Amy."
    assert spoken_text(nudge, due + LATE_S + 60) == "Earlier (9 am): It's nine: time to call Amy."
    nudge.data = {"late_text": "Earlier, at nine, I was to remind you to call Amy."}
    assert spoken_text(nudge, due + 3600).startswith("Earlier, at nine")


def test_if_no_outlet_could_say_it_it_waits(runtime):
    Outbox(runtime.store).schedule(time.time() - 5, "Call Amy.")
    scheduler = Scheduler(runtime)
    scheduler.attach(Outlet("broken", lambda event: False))
    try:
        assert scheduler.tick() == []
    finally:
        scheduler.stop()
    assert len(Outbox(runtime.store).upcoming()) == 1
    latest = runtime.store.conversations.latest()
    assert latest is None or runtime.store.conversations.messages(latest.id) == []


def test_the_thread_wakes_up_for_a_nudge_scheduled_in_this_process(runtime):
    arrived = threading.Event()
    heard: list[Initiative] = []

    def say(event: Initiative) -> bool:
        heard.append(event)
        arrived.set()
        return True

    scheduler = Scheduler(runtime, poll_s=60)  # only the wake-up can make it in time
    scheduler.attach(Outlet("test", say))
    scheduler.start_thread()
    try:
        time.sleep(0.2)
        Outbox(runtime.store).schedule(time.time() + 0.3, "Tea's ready.", kind="notice")
        assert arrived.wait(10)
    finally:
        scheduler.stop()
    assert [e.text for e in heard] == ["Tea's ready."]


def test_skills_top_up_what_they_schedule_ahead_at_start_and_hourly(runtime, monkeypatch):
    import dataclasses

    from os1.initiative import scheduler as scheduler_module

    calls: list[str] = []
    skills = runtime.skills.skills
    skills["calendar"] = dataclasses.replace(skills["calendar"], upkeep=lambda rt: calls.append("calendar"))
    skills["clock"] = dataclasses.replace(skills["clock"], upkeep=lambda rt: 1 / 0)  # broken: others go on
    scheduler = Scheduler(runtime)
    try:
        scheduler._safe_tick()
        scheduler._safe_tick()
        assert calls == ["calendar"]
        monkeypatch.setattr(scheduler_module, "UPKEEP_S", 0.0)
        scheduler._safe_tick()
        assert calls == ["calendar", "calendar"]
    finally:
        scheduler.stop()


def test_the_calendar_keeps_event_alerts_scheduled(runtime):
    assert runtime.skills.skills["calendar"].upkeep is not None
    assert runtime.skills.skills["calendar"].upkeep(runtime) == 0  # nothing to do on an empty calendar
