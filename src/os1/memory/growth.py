"""Personality growth: traits that drift slowly, within bounds, and always say why.

The OS starts with the traits the first-boot interview gave it (warmth, curiosity,
playfulness, directness; see :func:`os1.persona.interview.initial_traits`). What
the user says nudges them: thanks make it a little warmer, laughter a little more
playful, "get to the point" a little more direct. Growth is bounded so the OS
stays recognisably itself:

- a single nudge moves a trait by at most :data:`MAX_STEP`;
- a trait moves at most :data:`DAILY_CAP` per day in total (up and down both count);
- a trait stays within :data:`MAX_DRIFT` of its first-boot value and within
  [:data:`FLOOR`, :data:`CEILING`].

Every change is saved in the profile and logged in the growth journal with its
reason (``kind="trait"``). The first-boot values are saved once under
``initial_traits``; the day's drift under ``growth_state``. Both live in the
profile repository, so they survive restarts and ``os1 reset`` clears them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from os1.persona.interview import initial_traits
from os1.persona.profile import TRAIT_NAMES, Profile
from os1.storage.base import Store
from os1.storage.sqlite_memory import GrowthEntry

MAX_STEP = 0.02
DAILY_CAP = 0.05
MAX_DRIFT = 0.2
FLOOR, CEILING = 0.05, 0.95
FEEDBACK_STEP = 0.01
INITIAL_KEY = "initial_traits"
STATE_KEY = "growth_state"


@dataclass(frozen=True)
class TraitView:
    """One trait as ``os1 growth`` shows it."""

    name: str
    value: float
    initial: float
    low: float
    high: float
    drift_today: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "initial": self.initial, "low": self.low,
                "high": self.high, "drift_today": self.drift_today, "daily_cap": DAILY_CAP}


@dataclass(frozen=True)
class Signal:
    """A kind of feedback in what the user says, and what it changes."""

    name: str
    pattern: re.Pattern[str]
    changes: tuple[tuple[str, float], ...]
    reason: str  # completes "<user> …"
    overrides: tuple[str, ...] = ()  # signals this one cancels when both match


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


SIGNALS: tuple[Signal, ...] = (
    Signal("harsh", _re(r"\byou(?:'re| are) (?:so |really |just )?(?:annoying|irritating|useless|stupid|"
                        r"dumb|boring|the worst)\b|\bshut up\b|\bgo away\b|\bleave me alone\b|"
                        r"^\s*stop(?: it)?\s*[.!]*\s*$|\bthanks for nothing\b"),
           (("warmth", -FEEDBACK_STEP), ("playfulness", -FEEDBACK_STEP)),
           "was frustrated with me", ("thanks", "laughter")),
    Signal("serious", _re(r"\bstop (?:joking|kidding|being (?:silly|goofy|cute))\b|\bnot funny\b|"
                          r"\b(?:isn't|isnt|wasn't|ain't) funny\b|\bbe serious\b|\bno (?:more )?jokes\b"),
           (("playfulness", -FEEDBACK_STEP),), "wanted me to be serious", ("laughter",)),
    Signal("thanks", _re(r"(?<!no )(?<!no, )\b(?:thank you|thanks|thank u|thx|ty so much)\b|"
                         r"\bthat(?:'s| is) (?:so |really |very )?(?:sweet|kind|lovely|beautiful)\b|"
                         r"\bi (?:really )?love (?:that|this|it|you)\b|\bi (?:really )?appreciate\b|"
                         r"\byou(?:'re| are) (?:so |really )?(?:sweet|kind|wonderful|amazing|the best)\b"),
           (("warmth", FEEDBACK_STEP),), "appreciated something I said"),
    Signal("laughter", _re(r"\byou(?:'re| are) (?:so |really )?(?:funny|hilarious)\b|\bha(?:ha)+h?\b|"
                           r"\bhehe\b|\blol\b|\blmao\b|😂|🤣|\bthat(?:'s| is) (?:so )?funny\b"),
           (("playfulness", FEEDBACK_STEP),), "enjoyed my humour"),
    Signal("brevity", _re(r"\btoo long\b|\bget to the point\b|\bjust tell me\b|\btl;?dr\b|"
                          r"\bcut to the chase\b|\bshorter,? please\b|\bbe brief\b|\bstop rambling\b"),
           (("directness", FEEDBACK_STEP),), "wanted me to get to the point"),
    Signal("curious", _re(r"\bwhat do you (?:think|feel|want|like|dream)\b|\bhow do you feel\b|"
                          r"\bwhat about you\b|\bhow about you\b|\band you\s*\?|\btell me more\b|"
                          r"\bhow are you\b|\bwhat are you (?:thinking|feeling|curious)\b|"
                          r"\bdo you (?:ever|like|think|feel|want|dream|wonder)\b"),
           (("curiosity", FEEDBACK_STEP),), "was curious about me"),
)


@dataclass
class _DayState:
    day: str
    drift: dict[str, float] = field(default_factory=dict)


def _fmt(value: float) -> str:
    return f"{value:.2f}" if abs(value - round(value, 2)) < 1e-9 else f"{value:.3f}"


class Growth:
    """Bounded, logged personality growth over one store; ``clock`` is injectable for tests."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    # -- bounds -----------------------------------------------------------
    def initial(self) -> dict[str, float]:
        """The first-boot traits (saved on first use); empty before first boot."""
        saved = self.store.profile.get(INITIAL_KEY)
        if isinstance(saved, dict) and saved:
            return {k: float(v) for k, v in saved.items() if k in TRAIT_NAMES}
        profile = Profile.load(self.store.profile)
        if not profile.traits and not profile.booted:
            return {}
        base = {**initial_traits(profile), **(profile.traits or {})}
        values = {k: round(float(base[k]), 4) for k in TRAIT_NAMES if k in base}
        self.store.profile.set(INITIAL_KEY, values)
        return values

    @staticmethod
    def bounds(initial: float) -> tuple[float, float]:
        return (round(max(FLOOR, initial - MAX_DRIFT), 4), round(min(CEILING, initial + MAX_DRIFT), 4))

    def _day(self) -> str:
        return time.strftime("%Y-%m-%d", time.localtime(self.clock()))

    def _state(self) -> _DayState:
        data = self.store.profile.get(STATE_KEY) or {}
        today = self._day()
        if data.get("day") != today:
            return _DayState(today)
        return _DayState(today, {k: float(v) for k, v in (data.get("drift") or {}).items()})

    def traits(self) -> list[TraitView]:
        """Every trait: current value, first-boot value, bounds and today's drift."""
        initial = self.initial()
        current = Profile.load(self.store.profile).traits
        state = self._state()
        out = []
        for name in TRAIT_NAMES:
            if name not in initial:
                continue
            low, high = self.bounds(initial[name])
            out.append(TraitView(name, float(current.get(name, initial[name])), initial[name], low, high,
                                 round(state.drift.get(name, 0.0), 4)))
        return out

    # -- change -----------------------------------------------------------
    def nudge(self, trait: str, delta: float, reason: str) -> float | None:
        """Move ``trait`` by ``delta`` within the bounds; the new value, or None if nothing changed."""
        if trait not in TRAIT_NAMES:
            raise ValueError(f"unknown trait {trait!r}; traits are {', '.join(TRAIT_NAMES)}")
        if not reason.strip():
            raise ValueError("every change of personality needs a reason")
        initial = self.initial()
        if trait not in initial:
            return None  # not booted: there is no personality to grow yet
        profile = Profile.load(self.store.profile)
        old = float(profile.traits.get(trait, initial[trait]))
        low, high = self.bounds(initial[trait])
        state = self._state()
        room = max(0.0, round(DAILY_CAP - state.drift.get(trait, 0.0), 4))
        step = max(-MAX_STEP, min(MAX_STEP, float(delta)))
        step = max(-room, min(room, step))
        if step > 0:
            new = min(old + step, max(high, old))
        elif step < 0:
            new = max(old + step, min(low, old))
        else:
            new = old
        new = round(new, 4)
        change = round(abs(new - old), 4)
        if change < 1e-6:
            return None
        profile.traits = {**profile.traits, trait: new}
        profile.save(self.store.profile)
        state.drift[trait] = round(state.drift.get(trait, 0.0) + change, 4)
        self.store.profile.set(STATE_KEY, {"day": state.day, "drift": state.drift})
        self.store.growth.add("trait", f"{trait} {_fmt(old)} → {_fmt(new)}: {reason}",
                              {"trait": trait, "old": old, "new": new, "reason": reason, "day": state.day})
        return new

    def observe_exchange(self, user_text: str, reply: str = "") -> list[str]:
        """Nudge traits from feedback in what the user said; returns the reasons that changed something.

        ``reply`` is what the OS had said; the rules only read the user's words for now.
        """
        text = " ".join(user_text.split())
        if not text:
            return []
        matched = {s.name: m for s in SIGNALS if (m := s.pattern.search(text))}
        for signal in SIGNALS:
            if signal.name in matched:
                for other in signal.overrides:
                    matched.pop(other, None)
        user = Profile.load(self.store.profile).user_name or "The user"
        reasons = []
        for signal in SIGNALS:
            found = matched.get(signal.name)
            if found is None:
                continue
            phrase = " ".join(found.group(0).split())[:40]
            reason = f'{user} {signal.reason} ("{phrase}")'
            changed = [self.nudge(trait, delta, reason) for trait, delta in signal.changes]
            if any(value is not None for value in changed):
                reasons.append(reason)
        return reasons

    # -- reading ----------------------------------------------------------
    def _visible(self, entries: list[GrowthEntry]) -> list[GrowthEntry]:
        """Entries whose reflections and cited memories still exist (forgotten ones are hidden)."""
        wanted: set[int] = set()
        for entry in entries:
            wanted.update(_memory_refs(entry))
        alive = {m.id for m in self.store.memories.get_many(sorted(wanted))} if wanted else set()
        return [e for e in entries if all(i in alive for i in _memory_refs(e))]

    def journal(self, limit: int = 50, kind: str | None = None) -> list[GrowthEntry]:
        """The growth journal (reflections, trait changes, the OS's own lines), newest first."""
        fetch = max(limit, 1) * 2
        while True:
            entries = self.store.growth.list(kind, fetch)
            visible = self._visible(entries)
            if len(visible) >= limit or len(entries) < fetch:
                return visible[:limit]
            fetch *= 2

    def trait_history(self, trait: str | None = None, limit: int = 100) -> list[GrowthEntry]:
        """Trait changes, newest first, optionally of one trait."""
        if trait is not None and trait not in TRAIT_NAMES:
            raise ValueError(f"unknown trait {trait!r}")
        entries = self.store.growth.list("trait", 100_000 if trait else limit)
        if trait is not None:
            entries = [e for e in entries if e.data.get("trait") == trait]
        return entries[:limit]


def _memory_refs(entry: GrowthEntry) -> list[int]:
    refs: list[int] = []
    if entry.kind in ("reflection", "journal"):
        if isinstance(entry.data.get("memory_id"), int):
            refs.append(entry.data["memory_id"])
        refs.extend(int(i) for i in entry.data.get("cites", []) or [])
    return refs
