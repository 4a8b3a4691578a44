"""Learning taste: "not this one", skips, whole listens and likes in memory move the picks."""

from __future__ import annotations

import pytest

from os1.skills.music.mood import catalog, pick, refresh, target_for
from os1.skills.music.taste import (
    Taste,
    finish_play,
    is_negative_skip,
    recent_plays,
    record_feedback,
    request_kind,
    start_play,
    undo_feedback,
)
from os1.storage.sqlite import SQLiteStore
from tests.unit.test_music_mood import add_track, build_library


@pytest.fixture
def db(tmp_path):
    store = SQLiteStore(tmp_path / "os1.db")
    yield store
    store.close()


@pytest.fixture
def calm_library(db):
    ids = {
        "tide": add_track(db, "Tide", "Still Water", "Shore", "Ambient"),
        "mist": add_track(db, "Mist", "Still Water", "Shore", "Ambient"),
        "pond": add_track(db, "Pond", "Still Water", "Lakes", "Ambient"),
        "nocturne": add_track(db, "Nocturne", "Piano Hands", "Night", "Classical"),
        "porch": add_track(db, "Porch Song", "Porch", "Porch Songs", "Folk"),
        "rage": add_track(db, "Rage", "Iron Spite", "Fury", "Death Metal"),
    }
    refresh(db, listen=False)
    return ids


def _adjust(db, kind: str, track_id: int) -> float:
    cat = catalog(db)
    return float(Taste.load(db).adjustments(cat, kind)[cat.index[track_id]])


def _scores(db, target) -> dict[int, float]:
    return {p.track_id: p.score for p in pick(db, target, count=10, seed=7)}


def test_not_this_one_twice_moves_the_picks_away(db, calm_library) -> None:
    target = target_for("calm me down")
    still_water = {calm_library[n] for n in ("tide", "mist", "pond")}
    before = _scores(db, target)
    first = pick(db, target, seed=7)[0]
    assert first.track_id in still_water  # the calmest artist comes first
    record_feedback(db, first.track_id, "dislike", target)
    second = pick(db, target, seed=7)[0]
    assert second.track_id != first.track_id
    record_feedback(db, second.track_id, "dislike", target)
    third = pick(db, target, seed=7)[0]
    assert third.track_id not in {first.track_id, second.track_id, calm_library["rage"]}
    after = _scores(db, target)
    assert after[first.track_id] < before[first.track_id] - 0.9
    assert after[second.track_id] < before[second.track_id] - 0.9
    # the artist of a disliked song is held back too: Still Water's other songs fall, a little
    for other in still_water - {first.track_id, second.track_id}:
        assert before[other] - 0.9 < after[other] < before[other] - 0.2
    assert after[calm_library["nocturne"]] == pytest.approx(before[calm_library["nocturne"]])


def test_a_song_wrong_for_calm_may_be_right_for_a_run(db, calm_library) -> None:
    rage = calm_library["rage"]
    record_feedback(db, rage, "dislike", "calm me down")
    assert db.one("SELECT request FROM music_feedback")[0] == "calm"
    assert _adjust(db, "calm", rage) < _adjust(db, "energy", rage) < 0
    assert _adjust(db, "calm", rage) <= -1.0
    top_for_run = pick(db, target_for("something upbeat for my run"), seed=1)[0]
    assert top_for_run.track_id == rage


def test_feedback_without_a_request_counts_everywhere_and_can_be_undone(db, calm_library) -> None:
    porch = calm_library["porch"]
    feedback = record_feedback(db, porch, "like")
    assert _adjust(db, "calm", porch) > 0 and _adjust(db, "energy", porch) > 0
    undo_feedback(db, feedback)
    assert _adjust(db, "calm", porch) == 0.0
    with pytest.raises(ValueError):
        record_feedback(db, porch, "meh")


def test_early_skips_count_against_a_track_late_ones_do_not(db, calm_library) -> None:
    assert is_negative_skip(5.0, 200.0, skipped=True)
    assert is_negative_skip(10.0, 30.0, skipped=True)  # before half of a short track
    assert not is_negative_skip(20.0, 30.0, skipped=True)  # past half of it
    assert not is_negative_skip(5.0, 200.0, skipped=False)
    assert not is_negative_skip(120.0, 200.0, skipped=True)
    tide, mist, pond = calm_library["tide"], calm_library["mist"], calm_library["pond"]
    finish_play(db, start_play(db, tide, "calm"), 4.0, skipped=True)
    finish_play(db, start_play(db, mist, "calm"), 150.0, skipped=True)
    finish_play(db, start_play(db, pond, "calm"), 200.0, skipped=False)
    assert _adjust(db, "calm", tide) < 0
    assert _adjust(db, "calm", tide) < _adjust(db, "calm", mist)
    assert _adjust(db, "calm", pond) > _adjust(db, "calm", mist)  # heard to the end: a mild yes
    history = recent_plays(db)
    assert [h["title"] for h in history] == ["Pond", "Mist", "Tide"]
    assert history[2]["skipped"] == 1 and history[2]["played_s"] == 4.0 and history[2]["request"] == "calm"


def test_likes_and_dislikes_in_memory_count(db) -> None:
    ids = build_library(db)
    refresh(db, listen=False)
    db.facts.add("user", "likes", "Bright Eyes", "The user likes Bright Eyes.", None)
    db.facts.add("user", "dislikes", "metal", "The user dislikes metal.", None)
    assert _adjust(db, "any", ids["first day"]) > 0
    assert _adjust(db, "any", ids["rage"]) < 0
    assert _adjust(db, "any", ids["drift"]) == 0.0


def test_request_kinds() -> None:
    assert request_kind(target_for("help me sleep")) == "sleep"
    assert request_kind("focus") == "focus"
    assert request_kind("something upbeat for my run") == "energy"
    assert request_kind("") == "" and request_kind(None) == ""
