"""Feeling, stored: the affect table and the voice baseline (migration 3), export and forgetting,
and the turn loop that estimates, emits, stores and answers one affect per turn."""

from __future__ import annotations

import sqlite3
import time

import pytest

from os1.core.conversation import Conversation
from os1.memory.forget import forget_about
from os1.perception import affect
from os1.perception.affect import AffectEstimate
from os1.perception.prosody import Baseline, ProsodyFeatures
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite import SQLiteStore
from tests.unit.helpers import make_runtime, run_turn

FLUENT = dict(pitch_mean_hz=120.0, pitch_std_hz=20.0, energy_db=-22.0, speaking_rate_wps=3.4,
              pause_ratio=0.1, words=8, duration_s=3.0)
HALTING = dict(FLUENT, speaking_rate_wps=2.0, pause_ratio=0.45, filled_pauses=2, restarts=1, duration_s=5.0)


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "os1.db")
    yield s
    s.close()


def nervous() -> AffectEstimate:
    return AffectEstimate("nervousness", 0.72, {"nervousness": 0.72, "neutral": 0.2}, ("hesitant voice",),
                          "voice+text", {"hesitation": 0.9, "confidence": 1.0})


# -- the repository ------------------------------------------------------------------------
def test_affect_rows_round_trip_and_are_found_by_time(store):
    conv = store.conversations.create()
    message = store.conversations.add_message(conv.id, "user", "um, I- I have the interview")
    stored = store.affect.add(nervous(), message_id=message.id, conversation_id=conv.id, occurred_at=1000.0,
                              prosody=ProsodyFeatures(**HALTING))
    store.affect.add(AffectEstimate("joy", 0.8, {"joy": 0.8}), conversation_id=conv.id, occurred_at=2000.0)
    again = store.affect.get(stored.id)
    assert again == stored
    assert (again.state, again.confidence, again.cues, again.source) == (
        "nervousness", 0.72, ["hesitant voice"], "voice+text")
    assert again.levels["hesitation"] == 0.9 and again.prosody["filled_pauses"] == 2
    assert store.affect.for_message(message.id).id == stored.id
    assert [r.state for r in store.affect.between(0)] == ["nervousness", "joy"]
    assert [r.state for r in store.affect.between(1500.0)] == ["joy"]
    assert [r.state for r in store.affect.between(0, 1500.0)] == ["nervousness"]
    assert store.affect.latest(conv.id).state == "joy" and store.affect.count() == 2


def test_baseline_persists_per_speaker(store):
    base = Baseline()
    for rate in (3.0, 3.4, 3.2):
        base.update(ProsodyFeatures(**dict(FLUENT, speaking_rate_wps=rate)))
    base.save(store.affect)
    loaded = Baseline.load(store.affect)
    assert loaded.stats["speaking_rate_wps"].n == 3
    assert loaded.stats["speaking_rate_wps"].mean == pytest.approx(3.2)
    assert loaded.mean_std("energy_db") == base.mean_std("energy_db")
    assert Baseline.load(store.affect, speaker="someone else").count == 0


def test_a_version_2_database_gains_the_affect_tables(tmp_path):
    path = tmp_path / "os1.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    for script in MIGRATIONS[:2]:
        conn.executescript(script)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    try:
        assert store.schema_version == len(MIGRATIONS) >= 3
        assert store.affect.count() == 0 and store.affect.baseline() == {}
    finally:
        store.close()


def test_export_includes_affect_and_baseline(store):
    store.affect.add(nervous(), occurred_at=5.0)
    Baseline({"pause_ratio": (4, 0.2, 0.01)}).save(store.affect)
    data = store.export()
    assert [row["state"] for row in data["affect"]] == ["nervousness"]
    assert data["prosody_baseline"][0]["feature"] == "pause_ratio"


def test_forgetting_a_chat_line_forgets_its_affect(store):
    conv = store.conversations.create()
    keep = store.conversations.add_message(conv.id, "user", "the weather is fine")
    drop = store.conversations.add_message(conv.id, "user", "I'm scared of Amy's dog")
    store.affect.add(AffectEstimate("neutral", 0.9, {}), message_id=keep.id, conversation_id=conv.id)
    store.affect.add(AffectEstimate("fear", 0.7, {}), message_id=drop.id, conversation_id=conv.id)
    store.memories.add("I'm scared of Amy's dog", kind="episode", source="conversation")
    forget_about(store, "Amy")
    assert [r.state for r in store.affect.between(0)] == ["neutral"]


# -- the turn loop -------------------------------------------------------------------------
def new_conversation(runtime) -> Conversation:
    return Conversation(runtime, runtime.store.conversations.create().id)


async def test_a_spoken_hesitant_turn_is_felt_stored_remembered_and_answered():
    runtime = make_runtime(["Take your time. What worries you most?"])
    try:
        conv = new_conversation(runtime)
        usual = Baseline()  # the user's usual, fluent voice
        for i in range(10):
            usual.update(ProsodyFeatures(**dict(FLUENT, pitch_mean_hz=118.0 + i % 4)))
        usual.save(runtime.store.affect)

        events = await run_turn_with(conv, "I have the interview at nine tomorrow",
                                     ProsodyFeatures(**HALTING))
        kinds = [e["type"] for e in events]
        assert kinds[0] == "affect" and kinds[-1] == "done"
        felt = events[0]
        assert felt["state"] == "nervousness" and felt["source"] == "voice+text"
        assert felt["cues"][0] == "hesitant voice"  # strongest first
        assert felt["pace"] < 1.0 and felt["pause_s"] > 0.25  # slower, longer pauses

        system = runtime.brain.seen[-1][0].content
        assert system.splitlines()[-1].startswith("They sound nervous (hesitant voice). Be calm and warm")

        user_message = runtime.store.conversations.messages(conv.id)[0]
        record = runtime.store.affect.for_message(user_message.id)
        assert record.state == "nervousness" and record.prosody["restarts"] == 1
        assert record.conversation_id == conv.id
        assert runtime.store.affect.baseline()["pause_ratio"][0] == 11  # the turn joined the baseline

        memories = runtime.store.memories.list(kind="episode")
        said = next(m for m in memories if m.meta.get("role") == "user")
        replied = next(m for m in memories if m.meta.get("role") == "assistant")
        assert said.emotion == "nervousness" and replied.emotion is None
    finally:
        runtime.close()


async def run_turn_with(conv: Conversation, text: str, prosody: ProsodyFeatures):
    from os1.core.events import to_dict

    return [to_dict(e) async for e in conv.turn(text, prosody=prosody)]


async def test_typed_turns_get_an_affect_event_first_and_neutral_adds_no_guidance():
    runtime = make_runtime(["Sure."])
    try:
        conv = new_conversation(runtime)
        events = await run_turn(conv, "the bus leaves at nine")
        assert events[0] == {"type": "affect", "state": "neutral", "confidence": events[0]["confidence"],
                             "cues": [], "pace": 1.0, "pause_s": 0.25, "source": "text"}
        assert "They sound" not in runtime.brain.seen[-1][0].content
        assert runtime.store.affect.count() == 1 and runtime.store.affect.baseline() == {}
        assert [m.emotion for m in runtime.store.memories.list(kind="episode")
                if m.meta.get("role") == "user"] == ["neutral"]
    finally:
        runtime.close()


async def test_crisis_replies_also_come_after_the_affect_event():
    runtime = make_runtime()
    try:
        events = await run_turn(new_conversation(runtime), "I want to kill myself")
        assert events[0]["type"] == "affect" and events[1]["type"] == "text"
        assert runtime.store.affect.count() == 1
    finally:
        runtime.close()


async def test_a_failing_estimate_never_costs_the_reply(monkeypatch):
    runtime = make_runtime(["Still here."])
    try:
        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(affect, "estimate", broken)
        events = await run_turn(new_conversation(runtime), "hello")
        assert [e["type"] for e in events if e["type"] != "text"] == ["done"]
        assert events[-1]["text"] == "Still here."
        assert runtime.store.affect.count() == 0
    finally:
        runtime.close()


async def test_affect_estimation_adds_little_to_a_typed_turn():
    runtime = make_runtime()
    try:
        conv = new_conversation(runtime)
        conv._estimate_affect("warm up", None, None)
        started = time.perf_counter()
        for i in range(50):
            conv._estimate_affect(f"I'm a bit worried about tomorrow, number {i}", None, None)
        per_turn_ms = (time.perf_counter() - started) * 1000 / 50
        assert per_turn_ms < 10.0, per_turn_ms  # estimate + one INSERT
    finally:
        runtime.close()
