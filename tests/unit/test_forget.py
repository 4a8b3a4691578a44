"""Forgetting on request: every trace of a topic or one memory goes, and nothing else does."""

from __future__ import annotations

import numpy as np
import pytest

from os1.core.conversation import Conversation
from os1.memory.facts import FactKeeper
from os1.memory.forget import forget_about, forget_memory
from os1.memory.vectors import DIM, VectorIndex, to_blob
from os1.storage.sqlite import SQLiteStore
from tests.unit.helpers import make_runtime, reply_text, run_turn


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "os1.db")
    yield s
    s.close()


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def tell(store, text, seed=0, role="user", kind="episode"):
    memory = store.memories.add(text, kind=kind, source="conversation", meta={"role": role},
                                embedding=to_blob(unit(seed or len(text))))
    FactKeeper(store).observe(memory)
    return memory


def snapshot(store):
    return (store.memories.count(), len(store.facts.history()), [p.name for p in store.people.list()])


def test_forgetting_a_person_removes_every_trace(store):
    about_amy = tell(store, "my sister Amy likes tulips", seed=1)
    also_amy = tell(store, "Amy is coming over on Friday", seed=2)
    reply = tell(store, "Tulips for Amy, how lovely", seed=3, role="assistant")
    other = tell(store, "I live in Portland and the weather is grey", seed=4)
    reflection = store.memories.add("Theodore cares a lot about his sister", kind="reflection",
                                    source="reflection")
    store.memories.cite(reflection.id, [about_amy.id])
    index = VectorIndex(store.memories)
    assert {mid for mid, _ in index.search(unit(1), 10)} >= {about_amy.id, also_amy.id, reply.id}

    result = forget_about(store, "what I told you about Amy")

    gone = {about_amy.id, also_amy.id, reply.id}
    assert {m.id for m in result.memories} == gone and result.derived == 1
    assert result.people == ["Amy"]
    assert {f.text for f in result.facts} == {"Amy is the user's sister.", "Amy likes tulips."}
    assert store.memories.get_many([*gone, reflection.id]) == []
    assert store.memories.lexical("Amy") == [] and store.memories.lexical("tulips") == []
    assert store.facts.history("Amy") == [] and store.people.get("Amy") is None
    assert not {mid for mid, _ in index.search(unit(1), 10)} & {*gone, reflection.id}
    assert [mid for mid, _ in index.search(unit(4), 10)] == [other.id]
    assert [f.object for f in store.facts.current("user")] == ["Portland"]
    assert "Amy" in result.describe() and "2 facts" in result.describe()


def test_a_topic_that_matches_nothing_deletes_nothing(store):
    tell(store, "my sister Amy likes tulips")
    tell(store, "the weather is nice and the sea is calm")
    before = snapshot(store)
    for topic in ("zebras", "the", "it", "about the", "  ", "me"):
        result = forget_about(store, topic)
        assert result.nothing, topic
        assert snapshot(store) == before
    assert "Nothing I remember matches “zebras”" in forget_about(store, "zebras").describe()


def test_memories_sharing_only_a_stopword_or_one_word_survive(store):
    keep = tell(store, "the sea was calm at the pier")
    keep_too = tell(store, "my old car broke down")
    gone = tell(store, "the Italian restaurant on Main Street closed")
    result = forget_about(store, "the Italian restaurant")
    assert [m.id for m in result.memories] == [gone.id]
    assert {m.id for m in store.memories.list()} == {keep.id, keep_too.id}


def test_a_relation_resolves_to_the_person(store):
    tell(store, "my sister Amy likes tulips")
    tell(store, "Amy called about the party")
    tell(store, "I adore my neighbour's garden")
    result = forget_about(store, "my sister")
    assert {m.text for m in result.memories} == {"my sister Amy likes tulips", "Amy called about the party"}
    assert result.people == ["Amy"]
    assert [m.text for m in store.memories.list()] == ["I adore my neighbour's garden"]


def test_forgetting_my_old_job_keeps_the_new_one(store):
    tell(store, "I work at LA Weekly")
    tell(store, "LA Weekly had a party tonight")
    tell(store, "I got a new job at the Times")
    result = forget_about(store, "everything about my old job")
    assert {m.text for m in result.memories} == {"I work at LA Weekly", "LA Weekly had a party tonight"}
    assert [f.object for f in store.facts.history("user")] == ["the Times"]


def test_dry_run_reports_without_deleting(store):
    tell(store, "my sister Amy likes tulips")
    before = snapshot(store)
    preview = forget_about(store, "Amy", dry_run=True)
    assert len(preview.memories) == 1 and preview.people == ["Amy"]
    assert preview.describe().startswith("I would forget")
    assert snapshot(store) == before


class _Encoder:
    def __init__(self, vector: np.ndarray) -> None:
        self.vector = vector

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vector for _ in texts])


class _Retriever:
    def __init__(self, store, vector: np.ndarray) -> None:
        self.encoder = _Encoder(vector)
        self.index = VectorIndex(store.memories)


def test_dense_hits_count_only_above_the_threshold(store):
    near = tell(store, "we spent the afternoon at the botanical garden", seed=7)
    far = tell(store, "I bought new running shoes", seed=8)
    close = unit(7) * 0.9 + unit(99) * 0.1
    close /= np.linalg.norm(close)
    result = forget_about(store, "flowers", retriever=_Retriever(store, close))
    assert [m.id for m in result.memories] == [near.id]
    assert [m.id for m in store.memories.list()] == [far.id]


def test_forget_one_memory_and_what_came_from_it(store):
    told = tell(store, "my sister Amy likes tulips")
    kept = tell(store, "I live in Portland")
    reflection = store.memories.add("Amy matters to Theodore", kind="reflection", source="reflection")
    store.memories.cite(reflection.id, [told.id])
    result = forget_memory(store, told.id)
    assert result.derived == 1 and result.people == ["Amy"] and len(result.facts) == 2
    assert result.describe().startswith(f"I've forgotten memory #{told.id}, 2 facts learned from it")
    assert [m.id for m in store.memories.list()] == [kept.id]
    assert store.people.list() == [] and store.memories.lexical("tulips") == []
    assert forget_memory(store, 999).nothing


async def test_forget_skill_confirms_every_time_and_leaves_no_trace():
    runtime = make_runtime(["Tulips are lovely.", "What a nice day."])
    runtime.brain.supports_tools = False  # memory answers "who is Amy" itself
    conv = Conversation(runtime, runtime.store.conversations.create().id)
    await run_turn(conv, "my sister Amy likes tulips")
    await run_turn(conv, "I went for a walk by the river")
    assert runtime.store.people.get("Amy") is not None

    def about_amy():
        return [m.text for m in runtime.store.memories.list(limit=100) if "Amy" in m.text]

    before = about_amy()

    events = await run_turn(conv, "forget what I told you about Amy")
    assert events[1]["type"] == "question" and events[1]["kind"] == "confirm"  # after the affect event
    assert "topic='Amy'" in events[1]["text"] and "can't be undone" in events[1]["text"]
    assert "won't" in reply_text(await run_turn(conv, "no"))
    # declined: nothing is gone, and the request itself is not kept
    assert about_amy() == before == ["my sister Amy likes tulips"]

    await run_turn(conv, "forget everything about Amy")
    text = reply_text(await run_turn(conv, "yes"))
    assert "I've forgotten everything about Amy" in text and "from the people I know" in text
    texts = [m.text for m in runtime.store.memories.list(limit=100)]
    assert not any("Amy" in t for t in texts) and "I went for a walk by the river" in texts
    assert runtime.store.people.get("Amy") is None and runtime.store.facts.history("Amy") == []
    assert "haven't told me anything about Amy" in reply_text(await run_turn(conv, "who is Amy"))


async def test_forgetting_an_unknown_topic_says_so():
    runtime = make_runtime()
    conv = Conversation(runtime, runtime.store.conversations.create().id)
    await run_turn(conv, "forget what I told you about zebras")
    assert "Nothing I remember matches “zebras”" in reply_text(await run_turn(conv, "yes"))


def test_memory_intents_do_not_steal_existing_ones():
    from os1.mind.router import Router
    from os1.skills.loader import load_skills

    router = Router(load_skills(), encoder=None)
    expected = {
        "forget that": ("remember", "forget_last"),
        "forget what I just told you": ("remember", "forget_last"),
        "what do you remember": ("remember", "recall"),
        "what do you remember about Amy?": ("remember", "recall"),
        "remember that Amy is my neighbour": ("remember", "remember"),
        "undo that": ("consent", "undo_last"),
        "forget what I told you about Amy": ("memory", "forget_about"),
        "forget everything about my old job": ("memory", "forget_about"),
        "what do you know about me": ("memory", "what_do_you_know"),
        "who is Amy": ("memory", "what_do_you_know"),
        "no, Amy is my neighbour": ("memory", "correct"),
        "actually, I work at the Times": ("memory", "correct"),
        "that's wrong, my sister is called Amy": ("memory", "correct"),
    }
    for text, (skill, tool) in expected.items():
        route = router.route(text)
        assert route is not None and (route.skill, route.tool) == (skill, tool), text
    for text in ("forget about it", "no thanks", "actually I had a rough day", "no, I'm fine", "who are you",
                 "who is this", "I love you"):
        route = router.route(text)
        assert route is None or route.skill != "memory", text


async def test_forgetting_a_topic_also_removes_it_from_the_chat_transcript():
    from os1.core.conversation import Conversation
    from tests.unit.helpers import make_runtime, reply_text, run_turn

    runtime = make_runtime(["That's lovely."])
    conv = Conversation(runtime, runtime.store.conversations.create().id)
    await run_turn(conv, "My neighbour Amy gave me tulips today")
    await run_turn(conv, "forget what I told you about Amy")
    text = reply_text(await run_turn(conv, "yes"))
    assert "line" in text and "chat history" in text
    contents = [m.content for m in runtime.store.conversations.messages(conv.id)]
    assert not any("tulips" in c for c in contents)
    assert runtime.store.memories.lexical("tulips") == []


def test_forgetting_the_newer_fact_brings_back_the_older_one(tmp_path):
    from os1.memory.facts import FactKeeper
    from os1.storage.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "os1.db")
    keeper = FactKeeper(store)
    first = store.memories.add("I live in Los Angeles", kind="episode", meta={"role": "user"},
                               occurred_at=1000.0)
    keeper.observe(first)
    moved = store.memories.add("I moved to Portland", kind="episode", meta={"role": "user"},
                               occurred_at=2000.0)
    keeper.observe(moved)
    assert [f.object for f in store.facts.current("user", "lives_in")] == ["Portland"]
    store.memories.delete(moved.id)
    assert [f.object for f in store.facts.current("user", "lives_in")] == ["Los Angeles"]
    store.close()
