"""Events' alarms (VALARM) → things OS1 says out loud before them, through the initiative outbox.

recurring-ical-events expands each event's alarms (relative to start or end, absolute, on every
occurrence, minus cancelled or excluded ones); the alerts due in the next weeks become outbox nudges
("In 15 minutes: dentist, at Main Street (at 3 pm)."). :func:`refresh` tops them up and follows changes
(an event moved, deleted or re-imported): call it whenever the calendar is used, and from the scheduler
once in a while, so a repeating event keeps speaking up. Each event has one reminder row (kind
"event"); cancelling that reminder silences the event's alerts until it is restored.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from os1.initiative.outbox import Outbox
from os1.skills.calendar import speech, zones
from os1.skills.calendar.store import SOURCE, CalendarStore, EventRow, ReminderRow

log = logging.getLogger(__name__)
HORIZON = timedelta(days=35)
MAX_PER_EVENT = 60


def _aware(moment: object, zone: str) -> datetime | None:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))
    return None


def alerts(row: EventRow, start: datetime, end: datetime, user_zone: str) -> list[tuple[datetime, str]]:
    """(when to speak, what to say) for the event's alarms between ``start`` and ``end``."""
    try:
        calendar = icalendar.Calendar.from_ical(row.ical)
        query = recurring_ical_events.of(calendar, components=["VALARM"], skip_bad_series=True)
        occurrences = list(query.between(start, end))
    except Exception as exc:  # a stored event the library cannot expand: no alerts, never a crash
        log.warning("alarms of %s: %s", row.uid, exc)
        return []
    out: list[tuple[datetime, str]] = []
    zone = row.tz or user_zone
    for occurrence in occurrences:
        if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
            continue
        begins = occurrence.get("DTSTART")
        begin = _aware(begins.dt, zone) if begins is not None else None
        if begin is None:  # an all-day event: its alerts count from local midnight
            day = begins.dt if begins is not None else None
            begin = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(user_zone)) if day else None
        for alarm_time in occurrence.alarms.times:
            trigger = _aware(alarm_time.trigger, zone)
            if trigger is None or begin is None or not start <= trigger < end:
                continue
            if str(alarm_time.action or "DISPLAY").upper() not in ("DISPLAY", "AUDIO"):
                continue  # EMAIL and the like are not OS1's to send
            local = begin.astimezone(ZoneInfo(user_zone))
            text = speech.event_alert(row.summary, local, begin - trigger, row.location)
            out.append((trigger, text))
    out.sort(key=lambda p: p[0])
    return out[:MAX_PER_EVENT]


def _reminder(store: CalendarStore, row: EventRow, first: float, zone: str) -> ReminderRow:
    for existing in store.reminders_for_event(row.uid):
        if existing.kind == "event":
            return existing
    return store.add_reminder(kind="event", task=row.summary, said=f"Alerts for {row.summary}.",
                              phrase="(from the event's alarms)", due_at=first, tz=zone, event_uid=row.uid)


def refresh_event(store: CalendarStore, row: EventRow, now: datetime, user_zone: str) -> int:
    """Bring the event's alert nudges in line with the event; returns how many were newly scheduled."""
    outbox = Outbox(store.db)
    current = store.event_by_uid(row.uid)
    wanted = []
    if current is not None and current.has_alarms:
        wanted = alerts(current, now, now + HORIZON, user_zone)
    existing = [r for r in store.reminders_for_event(row.uid) if r.kind == "event"]
    if not wanted and not existing:
        return 0
    if existing and existing[0].cancelled_at is not None:
        return 0  # the user silenced this event's alerts
    zone = row.tz or user_zone
    reminder = existing[0] if existing else _reminder(store, row, wanted[0][0].timestamp(), zone)
    nudges = outbox.by_ref(SOURCE, reminder.ref)
    open_ = [n for n in nudges if n.claimed_at is None and n.cancelled_at is None]
    wanted_at = {round(t.timestamp()): text for t, text in wanted}
    for nudge in open_:
        if round(nudge.due_at) not in wanted_at or nudge.text != wanted_at[round(nudge.due_at)]:
            outbox.cancel(nudge.id)
    still = {round(n.due_at) for n in open_ if wanted_at.get(round(n.due_at)) == n.text}
    delivered = {round(n.due_at) for n in nudges if n.claimed_at is not None}
    added = 0
    for moment, text in wanted:
        key = round(moment.timestamp())
        if key in still or key in delivered:
            continue
        outbox.schedule(moment, text, kind="event", source=SOURCE, ref=reminder.ref, tz=zone,
                        data={"reminder_id": reminder.id, "event_uid": row.uid, "late_text": text})
        added += 1
    return added


def silence_event(store: CalendarStore, uid: str) -> list[int]:
    """Cancel an event's alerts not yet said (the event was deleted); returns the nudge ids."""
    outbox = Outbox(store.db)
    cancelled: list[int] = []
    for reminder in store.reminders_for_event(uid):
        for nudge in outbox.by_ref(SOURCE, reminder.ref):
            if nudge.claimed_at is None and nudge.cancelled_at is None and outbox.cancel(nudge.id):
                cancelled.append(nudge.id)
    return cancelled


def refresh(store: CalendarStore, now: datetime | None = None, user_zone: str = "UTC") -> int:
    """Top up every event's alerts for the weeks ahead; returns how many nudges were added."""
    now = now or zones.now_in(user_zone)
    added = 0
    for row in store.with_alarms(now.timestamp()):
        added += refresh_event(store, row, now, user_zone)
    return added
