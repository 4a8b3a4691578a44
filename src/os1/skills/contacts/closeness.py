"""How close the user is to each contact, from the mail they exchanged.

``score`` is in 0..1: frequency (log-scaled, group mail counting less than one-to-one mail) is the
magnitude, reciprocity (both directions) and the share of personal mail raise it, and it fades with
time since the last message (half-life about six months). Tiers: "close", "friend", "acquaintance",
"unknown" — and nobody becomes a friend without mail going both ways.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from os1.skills.contacts.model import Contact

HALF_LIFE_DAYS = 182.0
SATURATION = 100.0        # weighted messages at which frequency reaches 1
GROUP_WEIGHT = 0.4        # a group message counts this much of a personal one
CLOSE, FRIEND, ACQUAINTANCE = 0.55, 0.3, 0.05
_DAY = 86400.0


def _ago(seconds: float) -> str:
    days = seconds / _DAY
    if days < 1:
        return "today"
    if days < 2:
        return "yesterday"
    if days < 14:
        return f"{int(days)} days ago"
    if days < 60:
        return f"{int(days // 7)} weeks ago"
    if days < 365:
        return f"{int(days // 30)} months ago"
    years = int(days // 365)
    return "a year ago" if years == 1 else f"{years} years ago"


def score(contact: Contact, now: float | None = None) -> tuple[float, str, str]:
    """(closeness 0..1, tier, a one-line why) for one contact."""
    now = time.time() if now is None else now
    sent, got = contact.messages_to, contact.messages_from
    total = sent + got
    if total == 0:
        return 0.0, "unknown", "No mail with them; known only from the address book."
    personal = min(total, contact.personal_to + contact.personal_from)
    weighted = personal + GROUP_WEIGHT * (total - personal)
    frequency = min(1.0, math.log1p(weighted) / math.log1p(SATURATION))
    reciprocity = 2 * min(sent, got) / total
    personal_share = personal / total
    if contact.last_contact is None:
        recency = 0.0
    else:
        age_days = max(0.0, now - contact.last_contact) / _DAY
        recency = 0.5 ** (age_days / HALF_LIFE_DAYS)
    value = frequency * (0.5 + 0.3 * reciprocity + 0.2 * personal_share) * (0.25 + 0.75 * recency)
    value = round(min(1.0, max(0.0, value)), 4)
    if value >= CLOSE:
        tier = "close"
    elif value >= FRIEND:
        tier = "friend"
    elif value >= ACQUAINTANCE:
        tier = "acquaintance"
    else:
        tier = "unknown"
    if min(sent, got) == 0 and tier in ("close", "friend"):
        tier = "acquaintance"  # mail only one way is not a friendship; keep the order consistent
        value = round(min(value, FRIEND - 0.01), 4)
    return value, tier, _why(sent, got, personal_share, contact.last_contact, now)


def _why(sent: int, got: int, personal_share: float, last: float | None, now: float) -> str:
    total = sent + got
    times = "once" if total == 1 else f"{total} times"
    if sent and got:
        head = f"You wrote to each other {times} ({got} from them, {sent} from you)"
    elif got:
        head = f"They wrote to you {times} and you never wrote back"
    else:
        head = f"You wrote to them {times} and never heard back"
    style = ("mostly one-to-one" if personal_share >= 0.6
             else "mostly group mail" if personal_share <= 0.3 else "some one-to-one, some group mail")
    when = f"last in touch {_ago(now - last)}" if last is not None else "dates unknown"
    return f"{head}, {style}, {when}."


def rank(contacts: Iterable[Contact], now: float | None = None) -> list[Contact]:
    """The contacts with ``closeness``, ``tier`` and ``why`` set, closest first (then by name)."""
    now = time.time() if now is None else now
    out = list(contacts)
    for contact in out:
        contact.closeness, contact.tier, contact.why = score(contact, now)
    out.sort(key=lambda c: (-c.closeness, -(c.last_contact or 0.0), c.display_name.casefold()))
    return out
