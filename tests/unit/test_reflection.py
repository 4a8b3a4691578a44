"""Reflection: triggered by accumulated importance, persisted, grounded, cited and forgettable."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from os1.brain.base import Brain, BrainUnavailable, Message
from os1.brain.scripted import ScriptedBrain
from os1.memory import importance
from os1.memory.growth import Growth
from os1.memory.reflection import (
    DEFAULT_THRESHOLD,
    STATE_KEY,
    Reflector,
    emotion_of,
    find_insights,
)
from os1.memory.system import MemorySystem
from os1.persona.interview import build_profile
from os1.storage.base import Memory
from os1.storage.sqlite import SQLiteStore
from tests.unit.helpers import ANSWERS

# What Theodore said lately: Amy recurs (with warmth), work recurs (with stress).
USER_LINES = (
    "I had dinner with Amy last night, it was lovely",
    "Work is so stressful this week, the deadline is close",
    "Amy and I walked along the beach and I love her laugh",
    "My boss wants the letters by Friday and I'm stressed about work",
    "I keep thinking about Amy, she is so kind",
    "I wrote a letter for the Parkers today",
    "what time is it",
    "Work again tomorrow, I'm exhausted and worried",
    "Amy sent me a sweet message, I love that",
    "I watched a documentary about owls",
)
OS_LINE = "That sounds like a lot. Tell me more?"


def booted_store(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    profile = build_profile(ANSWERS)
    profile.os_name = "Samantha"
    profile.save(store.profile)
    return store


def add_said(store: SQLiteStore, text: str, importance: float = 0.4, at: float | None = None,
             by: str = "user") -> Memory:
    speaker = "Theodore" if by == "user" else "Samantha"
    return store.memories.add(text, kind="episode", source="conversation", speaker=speaker,
                              conversation_id="c1", occurred_at=at, importance=importance,
                              meta={"role": by})


def seed_exchanges(store: SQLiteStore, lines: tuple[str, ...] = USER_LINES) -> list[Memory]:
    """Each line as Theodore's message followed by the OS's reply; returns Theodore's memories."""
    start = time.time() - 3600 * len(lines)
    said = []
    for i, line in enumerate(lines):
        said.append(add_said(store, line, at=start + 3600 * i))
        add_said(store, f"{OS_LINE} ({i})", importance=0.3, at=start + 3600 * i + 5, by="assistant")
    return said


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = booted_store(tmp_path / "os1.db")
    yield store
    store.close()


def _names(text: str) -> set[str]:
    return set(re.findall(r"\b[A-Z][a-z]{2,}\b", text))


# -- triggering ---------------------------------------------------------------
def test_reflection_happens_when_importance_crosses_the_threshold_and_not_before(store: SQLiteStore) -> None:
    reflector = Reflector(store, threshold=4.0)
    memories = [add_said(store, line, importance=0.5) for line in USER_LINES[:8]]
    for memory in memories[:7]:  # 3.5 < 4.0
        assert reflector.observe(memory) == []
    assert store.memories.count("reflection") == 0
    assert reflector.state().pending == pytest.approx(3.5)

    written = reflector.observe(memories[7])  # 4.0: crosses
    assert written, "crossing the threshold reflects"
    assert store.memories.count("reflection") == len(written)
    state = reflector.state()
    assert state.pending == 0.0 and state.reflections == 1
    assert state.last_id == memories[7].id


def test_reflections_and_duplicates_do_not_count(store: SQLiteStore) -> None:
    reflector = Reflector(store, threshold=10.0)
    memory = add_said(store, "I had dinner with Amy", importance=0.5)
    reflector.observe(memory)
    reflector.observe(memory)  # the same memory stored twice maps to one row
    reflection = store.memories.add("Theodore likes Amy.", kind="reflection", source="reflection",
                                    importance=0.9)
    reflector.observe(reflection)
    other = store.memories.add("something from an email", kind="email", source="email:1", importance=0.9)
    reflector.observe(other)
    assert reflector.state().pending == pytest.approx(0.5)


def test_the_counter_survives_a_reopened_store(tmp_path: Path) -> None:
    path = tmp_path / "os1.db"
    first = booted_store(path)
    memories = [add_said(first, line, importance=0.5) for line in USER_LINES[:8]]
    for memory in memories[:5]:
        Reflector(first, threshold=4.0).observe(memory)
    first.close()

    second = SQLiteStore(path)
    try:
        reflector = Reflector(second, threshold=4.0)
        assert reflector.state().pending == pytest.approx(2.5)
        assert second.profile.get(STATE_KEY)["seen_id"] == memories[4].id
        assert reflector.observe(memories[5]) == [] and reflector.observe(memories[6]) == []
        assert reflector.observe(memories[7]), "the importance before the restart still counted"
    finally:
        second.close()


def test_the_default_threshold_means_a_reflection_every_20_to_40_exchanges(store: SQLiteStore) -> None:
    exchanges = [
        ("hey", "Hi Theodore! How are you?"),
        ("I had dinner with Amy last night, it was lovely", "That sounds lovely. What did you talk about?"),
        ("work is so stressful this week", "I'm sorry work is heavy right now. Want to talk about it?"),
        ("what time is it", "It is 10:42 pm."),
        ("thanks", "You're welcome."),
        ("Amy called me today and we laughed a lot", "I'm glad. She sounds like a good friend."),
        ("I finished the letter for the Parkers", "That is wonderful, I'd love to read it."),
        ("haha that is funny", "I'm glad I made you laugh."),
        ("I feel lonely tonight", "I'm here with you. What's on your mind?"),
        ("ok", "Okay."),
    ]
    per_exchange = sum(importance.score(u) + importance.score(r) for u, r in exchanges) / len(exchanges)
    assert 20 <= DEFAULT_THRESHOLD / per_exchange <= 40

    memory = MemorySystem(store, encoder=None)  # the reflector MemorySystem makes has the default
    for n in range(1, 61):
        user, reply = exchanges[(n - 1) % len(exchanges)]
        memory.record_exchange("c1", user, reply, "Theodore", "Samantha")
        if store.memories.count("reflection"):
            break
    assert 20 <= n <= 40, f"first reflection after {n} exchanges"


# -- what is written ------------------------------------------------------------
def test_reflections_cite_existing_memories_and_are_grounded(store: SQLiteStore) -> None:
    said = seed_exchanges(store)
    said_ids = {m.id for m in said}
    written = Reflector(store).reflect()
    assert 1 <= len(written) <= 3

    for reflection in written:
        assert reflection.kind == "reflection" and reflection.source == "reflection"
        assert reflection.importance == pytest.approx(0.7)
        cites = reflection.meta["cites"]
        assert cites == store.memories.sources(reflection.id)
        assert len(cites) >= 3 and set(cites) <= said_ids  # only what Theodore said, never the OS
        cited_text = " ".join(m.text for m in store.memories.get_many(cites))
        assert len(store.memories.get_many(cites)) == len(cites)
        assert _names(reflection.text) <= _names(cited_text) | {"Theodore"}, reflection.text

    texts = [r.text for r in written]
    amy = next(r for r in written if "Amy" in r.text)
    assert amy.text.startswith("Theodore has talked about Amy 4 times lately")
    assert all("Amy" in m.text for m in store.memories.get_many(amy.meta["cites"]))
    assert "mostly with warmth" in amy.text
    assert any(t.startswith("Work has come up 3 times lately") and "stress" in t for t in texts), texts

    logged = store.growth.list("reflection")
    assert {e.data["memory_id"] for e in logged} == {r.id for r in written}
    assert all(e.data["cites"] == store.memories.get(e.data["memory_id"]).meta["cites"] for e in logged)
    journal = store.growth.list("journal")
    assert len(journal) == 1 and journal[0].text.startswith("I'm learning")
    assert "Amy" in journal[0].text and journal[0].data["cites"] == amy.meta["cites"]


def test_no_reflection_without_enough_material(store: SQLiteStore) -> None:
    for line in ("I had dinner with Amy", "Amy is lovely", "Amy laughed"):
        add_said(store, line)
    reflector = Reflector(store)
    assert reflector.reflect() == []  # too few memories

    for line in ("ok", "hi", "what time is it", "cool", "bye", "hello there", "good night"):
        add_said(store, line, importance=0.05)
    small_talk = Reflector(store)
    store.memories.delete_many([m.id for m in store.memories.list() if "Amy" in m.text])
    assert small_talk.reflect() == []  # nothing recurs
    assert store.memories.count("reflection") == 0 and store.growth.list() == []
    assert reflector.state().last_id == 0, "without a reflection the material stays for the next one"


def test_the_same_memories_are_never_reflected_on_twice(store: SQLiteStore) -> None:
    seed_exchanges(store)
    reflector = Reflector(store)
    first = reflector.reflect()
    assert first
    assert reflector.reflect() == [], "nothing new since the last reflection"
    before = reflector.state().last_id

    new = seed_exchanges(store)
    second = reflector.reflect()
    assert second
    for reflection in second:
        assert min(reflection.meta["cites"]) > before
        assert set(reflection.meta["cites"]) <= {m.id for m in new}


def test_forgetting_a_cited_memory_removes_the_reflection(store: SQLiteStore) -> None:
    seed_exchanges(store)
    written = Reflector(store).reflect()
    amy = next(r for r in written if "Amy" in r.text)
    others = [r for r in written if r.id != amy.id]
    growth = Growth(store)
    assert any(e.data["memory_id"] == amy.id for e in growth.journal(kind="reflection"))

    assert store.memories.delete(amy.meta["cites"][0])
    assert store.memories.get(amy.id) is None
    assert store.memories.sources(amy.id) == []
    assert all(store.memories.get(r.id) is not None for r in others), "unrelated reflections stay"
    visible = growth.journal(kind="reflection")
    assert amy.id not in {e.data["memory_id"] for e in visible}
    assert {e.data["memory_id"] for e in visible} == {r.id for r in others}
    assert growth.journal(kind="journal") == [], "the OS's line about Amy is hidden too"
    assert [m.id for m, _ in Reflector(store).reflections()] == [r.id for r in reversed(others)]


# -- the rules --------------------------------------------------------------------
def _memory(i: int, text: str, role: str = "user") -> Memory:
    return Memory(i, "episode", text, "conversation", 0.0, "Theodore" if role == "user" else "Samantha",
                  "c1", 1_700_000_000.0 + i * 60, 0.4, None, {"role": role})


def test_a_feeling_tied_to_a_topic_becomes_an_insight() -> None:
    lines = ["I played music all evening and felt so happy", "music makes me happy",
             "I'm excited about the music festival", "the report is stressing me, I'm anxious",
             "report due, I'm stressed", "I finished the report, still worried", "what time is it"]
    insights = find_insights([_memory(i + 1, t) for i, t in enumerate(lines)], "Theodore", "Samantha")
    texts = [i.text for i in insights]
    assert any(t == "Theodore seems happiest when talking about music." for t in texts) or any(
        t.startswith("Music has come up 3 times lately, mostly with joy") for t in texts), texts
    assert any("report" in t.lower() and "stress" in t for t in texts), texts
    for insight in insights:
        cited = " ".join(lines[i - 1] for i in insight.cites).lower()
        assert insight.subject.lower() in cited


def test_people_the_graph_knows_are_found_at_the_start_of_a_sentence_and_in_lower_case() -> None:
    lines = ["Amy called", "amy wants to go hiking", "Amy said hi", "work", "fine", "ok then"]
    memories = [_memory(i + 1, t) for i, t in enumerate(lines)]
    unknown = find_insights(memories, "Theodore", "Samantha")
    assert [i.kind for i in unknown] == ["topic"], "a sentence-initial word alone is not a name"
    insights = find_insights(memories, "Theodore", "Samantha", known_people=["Amy"])
    assert insights[0].text == "Theodore has talked about Amy 3 times lately."
    assert insights[0].cites == [1, 2, 3]


def test_feelings_are_read_with_negation() -> None:
    assert emotion_of("I'm not happy about it") is None
    assert emotion_of("so stressed about the deadline") == "stress"
    assert emotion_of("I love her laugh") == "warmth"
    assert emotion_of("nothing much", tagged="sad") == "sadness"


def test_what_the_os_said_is_never_the_ground_for_an_insight() -> None:
    memories = [_memory(i, f"Amy is wonderful ({i})", role="assistant") for i in range(1, 9)]
    memories += [_memory(i, "hello") for i in range(9, 15)]
    assert find_insights(memories, "Theodore", "Samantha") == []


def test_what_others_said_is_not_put_in_the_users_mouth() -> None:
    lines = ["my mom and Melanie went hiking, I was so happy", "Melanie called my mom, so happy",
             "Melanie is happy about her painting", "my mom loves the lake", "the lake was happy and calm",
             "Melanie painted the lake"]
    memories = [Memory(i + 1, "episode", text, "import:locomo", 0.0, "Caroline", None,
                       1_700_000_000.0 + i, 0.4, None, {}) for i, text in enumerate(lines)]
    insights = find_insights(memories, "Theodore", "Samantha")
    texts = [i.text for i in insights]
    assert texts and texts[0].startswith("Melanie has come up 4 times lately"), texts
    assert not any("Theodore" in t for t in texts), "Caroline's mother is not Theodore's; her joy is hers"
    assert not any("Theodore" in i.journal for i in insights), [i.journal for i in insights]


# -- a capable brain may phrase, never invent ------------------------------------
def test_a_capable_brain_phrases_a_grounded_insight(store: SQLiteStore) -> None:
    seed_exchanges(store)
    brain = ScriptedBrain(replies=["Amy clearly means a great deal to Theodore."])
    written = Reflector(store, brain=brain).reflect()
    assert written[0].text == "Amy clearly means a great deal to Theodore."
    assert written[0].meta["phrased_by"] == "scripted"
    assert written[0].meta["rule_text"].startswith("Theodore has talked about Amy")
    assert brain.seen, "the brain was asked"
    assert all("phrased_by" not in r.meta for r in written[1:]), "ungrounded echoes fall back to rules"


def test_an_inventing_brain_falls_back_to_the_rules(store: SQLiteStore) -> None:
    seed_exchanges(store)
    brain = ScriptedBrain(replies=["Theodore and Amy are planning a trip to Paris in 2025."])
    written = Reflector(store, brain=brain).reflect()
    assert written[0].text.startswith("Theodore has talked about Amy 4 times lately")
    assert "phrased_by" not in written[0].meta


class _Broken(Brain):
    name = "broken"
    supports_tools = True

    async def stream(self, messages: list[Message], tools: list[dict[str, Any]] | None = None):  # type: ignore[override]
        raise BrainUnavailable("down")
        yield  # pragma: no cover - makes this an async generator


class _Small(ScriptedBrain):
    name = "small"
    supports_tools = False


def test_a_failing_or_small_brain_changes_nothing(tmp_path: Path) -> None:
    texts = []
    for i, brain in enumerate((None, _Broken(), _Small(replies=["Theodore adores Amy."]))):
        store = booted_store(tmp_path / f"os1-{i}.db")
        try:
            seed_exchanges(store)
            texts.append([r.text for r in Reflector(store, brain=brain).reflect()])
        finally:
            store.close()
    assert texts[0] == texts[1] == texts[2]
