"""The calendar's part in OS1's initiative: keeping the alerts of events scheduled in the outbox.

Event alerts are scheduled five weeks ahead; the scheduler calls :func:`upkeep` at start-up and every
hour, so a repeating event keeps its alerts even if the user never opens the calendar.
"""

from __future__ import annotations

from typing import Any

from os1.skills.calendar import alarms, zones
from os1.skills.calendar.store import CalendarStore


def upkeep(runtime: Any) -> int:
    """Top up the alerts of every event that has them; returns how many nudges were added."""
    zone = zones.user_zone(runtime.store.profile)
    return alarms.refresh(CalendarStore(runtime.store), zones.now_in(zone), zone)
