"""The memory stream and hybrid retrieval, with the real packaged MiniLM encoder."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import numpy as np
import pytest

from os1.memory import importance
from os1.memory.system import MemorySystem
from os1.memory.vectors import VectorIndex, to_blob
from os1.mind.encoder import Encoder
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite import SQLiteStore

DAY = 86400.0
T0 = datetime(2026, 3, 2, 12).timestamp()  # a Monday

CONVERSATION = [
    ("Theodore", "My sister Amy just got a golden retriever puppy named Biscuit."),
    ("Samantha", "Biscuit! That's a lovely name for a dog."),
    ("Theodore", "I've been writing letters for work all week, I'm exhausted."),
    ("Samantha", "That sounds draining. Do you get to write anything for yourself?"),
    ("Theodore", "I used to play the piano when I was a kid, I miss it."),
    ("Samantha", "Maybe you could start again. What did you like to play?"),
    ("Theodore", "Mostly Chopin nocturnes. My mom taught me."),
    ("Samantha", "That's beautiful, a gift from your mother."),
    ("Theodore", "Tomorrow I have a dentist appointment at nine."),
    ("Samantha", "I'll be thinking of you. Dentists aren't fun."),
]


@pytest.fixture(scope="module")
def encoder():
    return Encoder()


@pytest.fixture
def system(tmp_path, encoder):
    store = SQLiteStore(tmp_path / "os1.db")
    memory = MemorySystem(store, encoder)
    memory.ingest([
        dict(text=text, speaker=speaker, conversation_id="c1", occurred_at=T0 + i * 3 * DAY,
             meta={"role": "user" if speaker == "Theodore" else "assistant", "n": i})
        for i, (speaker, text) in enumerate(CONVERSATION)
    ])
    yield memory
    store.close()


@pytest.mark.parametrize(("question", "expected"), [
    ("what is the name of Amy's dog?", 0),
    ("which instrument did I play as a child?", 4),
    ("who taught me music?", 6),
    ("when is my dentist appointment?", 8),
    ("how was my week at work", 2),
])
def test_known_answers_are_found(system, question, expected):
    hits = system.recall(question, k=3)
    assert expected in [h.memory.meta["n"] for h in hits], [h.memory.text for h in hits]


def test_paraphrase_needs_the_dense_side(system):
    # no word in common with "golden retriever puppy named Biscuit" but "Amy"
    hits = system.recall("does Amy have a pet?", k=3)
    assert 0 in [h.memory.meta["n"] for h in hits]


def test_time_aware_question_prefers_that_day(system):
    # memory 4 happened on T0 + 12 days (a Saturday); "last Saturday" asked two days later
    now = datetime.fromtimestamp(T0 + 14 * DAY)
    hits = system.recall("what did I talk about last Saturday?", k=2, now=now)
    assert hits[0].memory.meta["n"] == 4
    assert "in_window" in hits[0].why


def test_duplicate_ingest_is_stored_once(system):
    before = system.store.memories.count()
    again = system.ingest([dict(text=CONVERSATION[0][1], speaker="Theodore", conversation_id="c1",
                                occurred_at=T0)])
    assert system.store.memories.count() == before
    assert again[0].meta["n"] == 0


def test_empty_and_enormous_memories(system):
    assert system.ingest([dict(text="   "), dict(text="")]) == []
    huge = system.record("x " * 100_000, speaker="Theodore")
    assert huge is not None and len(huge.text) == 20_000


def test_deleted_memory_leaves_every_index(system):
    target = system.recall("golden retriever", k=1)[0].memory
    assert system.store.memories.delete(target.id)
    assert system.store.memories.lexical("golden retriever Biscuit puppy") == [
        (mid, s) for mid, s in system.store.memories.lexical("golden retriever Biscuit puppy")
        if mid != target.id]
    assert target.id not in [h.memory.id for h in system.recall("golden retriever puppy", k=10)]
    assert target.id not in dict(system.index.search(system.encoder.encode(["dog"])[0], 50))


def test_vector_index_sees_writes_from_another_process(tmp_path, encoder):
    path = tmp_path / "os1.db"
    mine = SQLiteStore(path)
    index = VectorIndex(mine.memories)
    other = SQLiteStore(path)  # stands for a second process
    vector = encoder.encode(["the lighthouse keeper"])[0]
    other.memories.add("the lighthouse keeper", embedding=to_blob(vector))
    assert index.search(vector, 5)[0][1] == pytest.approx(1.0, abs=1e-5)
    other.memories.delete_many([m.id for m in other.memories.list()])
    assert index.search(vector, 5) == []


def test_memories_stored_without_vectors_are_backfilled(tmp_path, encoder):
    store = SQLiteStore(tmp_path / "os1.db")
    MemorySystem(store, None).record("Paul is throwing a party on Friday", speaker="Theodore")
    system = MemorySystem(store, encoder)
    assert system.backfill_embeddings() == 1
    assert system.index.search(encoder.encode(["a party"])[0], 1)


def test_importance_heuristic_orders_moments():
    assert importance.score("thanks!") < importance.score("what's for lunch?")
    assert importance.score("what's for lunch?") < importance.score("My father died last spring.")
    assert 0 <= importance.score("x" * 10_000) <= 1


def test_a_store_from_the_first_version_is_upgraded_without_loss(tmp_path):
    path = tmp_path / "os1.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO memories(kind, text, source, created_at) "
                 "VALUES ('note', 'Amy likes tulips', 'user', 1)")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    assert store.schema_version == len(MIGRATIONS)
    [note] = store.memories.list()
    assert (note.text, note.occurred_at) == ("Amy likes tulips", 1)
    assert [m.text for m in store.memories.search("tulip")] == ["Amy likes tulips"]  # porter stemming
    store.close()


def test_lexical_only_when_there_is_no_encoder(tmp_path):
    store = SQLiteStore(tmp_path / "os1.db")
    system = MemorySystem(store, None)
    system.record("I parked on level three", speaker="Theodore")
    assert system.recall("where did I park?")[0].memory.text == "I parked on level three"
    assert np.isfinite(system.recall("where did I park?")[0].score)
