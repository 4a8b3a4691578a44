"""Personality growth: slow, bounded, per-day capped, logged with reasons, moved by feedback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from os1.memory.growth import (
    CEILING,
    DAILY_CAP,
    FLOOR,
    INITIAL_KEY,
    MAX_DRIFT,
    MAX_STEP,
    Growth,
)
from os1.persona.profile import TRAIT_NAMES, Profile
from os1.persona.prompts import system_prompt
from os1.storage.sqlite import SQLiteStore
from tests.unit.test_reflection import booted_store

DAY = 86400.0


class Clock:
    """A clock tests can move forward by days."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, days: float = 1.0) -> None:
        self.now += days * DAY


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = booted_store(tmp_path / "os1.db")
    yield store
    store.close()


def traits(store: SQLiteStore) -> dict[str, float]:
    return Profile.load(store.profile).traits


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("trait", TRAIT_NAMES)
def test_traits_stay_within_bounds_under_a_thousand_nudges(store: SQLiteStore, trait: str,
                                                           direction: int) -> None:
    clock = Clock()
    growth = Growth(store, clock)
    initial = traits(store)[trait]
    low, high = max(FLOOR, initial - MAX_DRIFT), min(CEILING, initial + MAX_DRIFT)
    value = initial
    for i in range(1000):
        if i % 10 == 0:
            clock.advance()
        before = value
        result = growth.nudge(trait, direction * 0.5, "testing the bounds")
        value = traits(store)[trait]
        if result is not None:
            assert result == value
        assert abs(value - before) <= MAX_STEP + 1e-9
        assert low - 1e-9 <= value <= high + 1e-9
        assert FLOOR <= value <= CEILING
        assert abs(value - initial) <= MAX_DRIFT + 1e-9
    assert value == pytest.approx(high if direction > 0 else low), "it does grow, up to the bound"
    assert growth.nudge(trait, direction * 0.02, "one more") is None


def test_drift_per_day_is_capped(store: SQLiteStore) -> None:
    clock = Clock()
    growth = Growth(store, clock)
    start = traits(store)["curiosity"]
    for _ in range(100):
        growth.nudge("curiosity", 0.02, "asked about me")
    assert traits(store)["curiosity"] == pytest.approx(start + DAILY_CAP)
    assert growth.nudge("curiosity", 0.02, "asked again") is None

    # down counts against the same budget as up: no oscillating past the cap
    assert growth.nudge("curiosity", -0.02, "changed their mind") is None

    clock.advance(1)
    assert growth.nudge("curiosity", 0.02, "a new day") == pytest.approx(start + DAILY_CAP + 0.02)
    other = {t.name: t for t in growth.traits()}
    assert other["curiosity"].drift_today == pytest.approx(0.02)
    assert other["warmth"].drift_today == 0.0


def test_a_single_nudge_moves_at_most_two_hundredths(store: SQLiteStore) -> None:
    growth = Growth(store, Clock())
    start = traits(store)["warmth"]
    assert growth.nudge("warmth", 0.5, "a big thank-you") == pytest.approx(start + MAX_STEP)
    assert growth.nudge("warmth", 0.005, "a small one") == pytest.approx(start + MAX_STEP + 0.005)


def test_every_change_is_logged_with_its_reason(store: SQLiteStore) -> None:
    clock = Clock()
    growth = Growth(store, clock)
    changed = 0
    for i in range(30):
        if i % 7 == 0:
            clock.advance()
        trait = TRAIT_NAMES[i % len(TRAIT_NAMES)]
        if growth.nudge(trait, 0.02 if i % 3 else -0.01, f"reason {i}") is not None:
            changed += 1
    history = growth.trait_history(limit=1000)
    assert len(history) == changed > 0
    for entry in history:
        data = entry.data
        assert entry.kind == "trait"
        assert data["trait"] in TRAIT_NAMES and data["reason"].startswith("reason ")
        assert data["old"] != data["new"]
        assert entry.text == f"{data['trait']} {data['old']:.2f} → {data['new']:.2f}: {data['reason']}"
    assert [e.id for e in history] == sorted((e.id for e in history), reverse=True), "newest first"
    warmth = growth.trait_history("warmth")
    assert warmth and all(e.data["trait"] == "warmth" for e in warmth)
    assert growth.journal(kind="trait")[0].id == history[0].id


def test_first_boot_traits_are_kept_for_the_bounds(store: SQLiteStore) -> None:
    first = traits(store)
    growth = Growth(store, Clock())
    growth.nudge("warmth", 0.02, "thanks")
    assert store.profile.get(INITIAL_KEY) == first
    assert Growth(store).initial() == first, "the bounds stay anchored to first boot"
    view = {t.name: t for t in growth.traits()}["warmth"]
    assert view.initial == first["warmth"] and view.value == pytest.approx(first["warmth"] + 0.02)
    assert (view.low, view.high) == (round(first["warmth"] - MAX_DRIFT, 4), CEILING)


def test_nothing_grows_before_first_boot(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "os1.db")
    try:
        growth = Growth(store)
        assert growth.nudge("warmth", 0.02, "thanks") is None
        assert growth.observe_exchange("thank you!", "You're welcome.") == []
        assert growth.traits() == [] and store.growth.list() == []
    finally:
        store.close()


def test_bad_requests_are_refused(store: SQLiteStore) -> None:
    growth = Growth(store)
    with pytest.raises(ValueError):
        growth.nudge("charm", 0.01, "no such trait")
    with pytest.raises(ValueError):
        growth.nudge("warmth", 0.01, "  ")


@pytest.mark.parametrize(("said", "moves"), [
    ("thank you, that's so sweet", {"warmth": 1}),
    ("I love that", {"warmth": 1}),
    ("haha you're funny", {"playfulness": 1}),
    ("lol", {"playfulness": 1}),
    ("too long, just tell me", {"directness": 1}),
    ("get to the point please", {"directness": 1}),
    ("stop joking, be serious", {"playfulness": -1}),
    ("this isn't funny haha", {"playfulness": -1}),
    ("what do you think?", {"curiosity": 1}),
    ("tell me more", {"curiosity": 1}),
    ("you're annoying", {"warmth": -1, "playfulness": -1}),
    ("stop", {"warmth": -1, "playfulness": -1}),
    ("thanks for nothing", {"warmth": -1, "playfulness": -1}),
    ("no thanks", {}),
    ("what time is it", {}),
    ("remember that Amy likes tulips", {}),
])
def test_feedback_moves_the_right_traits(store: SQLiteStore, said: str, moves: dict[str, int]) -> None:
    before = dict(traits(store))
    reasons = Growth(store, Clock()).observe_exchange(said, "Here's a long answer about it.")
    after = traits(store)
    for trait in TRAIT_NAMES:
        delta = after[trait] - before[trait]
        expected = moves.get(trait, 0)
        if expected > 0:
            assert delta > 0, (said, trait)
        elif expected < 0:
            assert delta < 0, (said, trait)
        else:
            assert delta == 0, (said, trait)
    assert bool(reasons) == bool(moves)
    for reason in reasons:
        assert reason.startswith("Theodore ")
        assert any(reason in e.data["reason"] for e in Growth(store).trait_history())


def test_feedback_is_bounded_too(store: SQLiteStore) -> None:
    clock = Clock()
    growth = Growth(store, clock)
    start = traits(store)["warmth"]
    for _ in range(50):
        growth.observe_exchange("thank you so much!", "Anytime.")
    assert traits(store)["warmth"] == pytest.approx(min(CEILING, start + DAILY_CAP))
    for _ in range(30):
        clock.advance()
        growth.observe_exchange("thank you so much!", "Anytime.")
    assert traits(store)["warmth"] == pytest.approx(min(CEILING, start + MAX_DRIFT))


def test_growth_shows_in_the_persona(store: SQLiteStore) -> None:
    clock = Clock()
    growth = Growth(store, clock)
    assert "playful" not in system_prompt(Profile.load(store.profile)).split("\n")[0]
    for _ in range(12):
        clock.advance()
        for _ in range(5):
            growth.observe_exchange("haha you're hilarious", "I try.")
    profile = Profile.load(store.profile)
    assert profile.traits["playfulness"] >= 0.6
    assert "playful" in system_prompt(profile).split("\n")[0]
