"""Time zones: the user's own zone, and zones named in plain words ("9 Paris time", "3pm EST").

The user's zone is the one they chose (``os1 calendar timezone Europe/Paris``, kept in the profile
store under ``calendar.timezone``), else this machine's zone (``$TZ``, ``/etc/timezone``, the
``/etc/localtime`` link), else UTC. Every time OS1 says or schedules is in that zone unless the user
named another one.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

PROFILE_KEY = "calendar.timezone"

# abbreviations people say; the zone that observes them (daylight saving follows the zone)
ABBREVIATIONS = {
    "utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "wet": "Europe/Lisbon",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "eet": "Europe/Athens", "eest": "Europe/Athens",
    "est": "America/New_York", "edt": "America/New_York", "eastern": "America/New_York",
    "cst": "America/Chicago", "cdt": "America/Chicago", "central": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pacific": "America/Los_Angeles",
    "jst": "Asia/Tokyo", "ist": "Asia/Kolkata", "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
}
# places people name that are not the city part of an IANA zone
PLACES = {
    "new york": "America/New_York", "nyc": "America/New_York", "san francisco": "America/Los_Angeles",
    "la": "America/Los_Angeles", "seattle": "America/Los_Angeles", "boston": "America/New_York",
    "washington": "America/New_York", "miami": "America/New_York", "beijing": "Asia/Shanghai",
    "india": "Asia/Kolkata", "delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "japan": "Asia/Tokyo",
    "uk": "Europe/London", "england": "Europe/London", "france": "Europe/Paris", "germany": "Europe/Berlin",
    "spain": "Europe/Madrid", "italy": "Europe/Rome", "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin",
    "montreal": "America/Toronto", "quebec": "America/Toronto", "hawaii": "Pacific/Honolulu",
}


def known(name: str) -> bool:
    """Whether ``name`` is an IANA zone this machine knows."""
    if not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """"paris" → "Europe/Paris", "los angeles" → "America/Los_Angeles" (the last part of each zone)."""
    out: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/")):
            continue
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        out.setdefault(city, name)
    return out


def zone_named(words: str) -> str | None:
    """The IANA zone for what a person calls it: "Paris", "new york", "EST", "Europe/Paris"; else None."""
    text = words.strip()
    if known(text):
        return text
    low = re.sub(r"\s+", " ", text.lower().strip(". "))
    if low in ABBREVIATIONS:
        return ABBREVIATIONS[low]
    if low in PLACES:
        return PLACES[low]
    return _cities().get(low)


def system_zone() -> str:
    """This machine's IANA zone name, or "UTC" when it cannot tell."""
    env = os.environ.get("TZ", "").lstrip(":")
    if known(env):
        return env
    try:
        text = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if known(text):
            return text
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo" + os.sep
        if marker in target:
            name = target.split(marker, 1)[1]
            if known(name):
                return "UTC" if name in ("Etc/UTC", "Etc/Universal", "UCT", "Zulu") else name
    except OSError:
        pass
    return "UTC"


def user_zone(profile: Any | None) -> str:
    """The user's zone: their choice in the profile store, else this machine's."""
    if profile is not None:
        chosen = profile.get(PROFILE_KEY)
        if isinstance(chosen, str) and known(chosen):
            return chosen
    return system_zone()


def set_user_zone(profile: Any, name: str) -> str:
    """Remember the user's zone; raises ValueError for a zone nobody knows."""
    found = zone_named(name)
    if found is None:
        raise ValueError(f"I don't know the time zone {name!r}. Try a name like Europe/Paris or "
                         "America/New_York.")
    profile.set(PROFILE_KEY, found)
    return found


def now_in(zone: str) -> datetime:
    """The current time in ``zone`` (a function so tests can fix "now")."""
    return datetime.now(ZoneInfo(zone))
