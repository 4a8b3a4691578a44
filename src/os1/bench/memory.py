"""``os1 bench memory``: retrieval quality on LoCoMo, and speed at scale.

LoCoMo: for each conversation, every turn is ingested in order (with its
session's date-time, and the caption of any photo shared) into a fresh memory
through the same path the OS uses; then each QA item of categories 1–4 is
asked and the top-k memories are mapped back to their ``dia_id``.
``recall_any@k``: any evidence turn retrieved; ``recall_all@k``: all of them.
Category 5 (adversarial) is reported separately. No LLM is used.

Scale: N synthetic memories from a seeded generator are ingested (embeddings
included), then queries are timed.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from os1.memory.retrieval import Weights
from os1.memory.system import MemorySystem
from os1.mind.encoder import shared_encoder
from os1.storage.sqlite import SQLiteStore

CATEGORIES = {1: "multi_hop", 2: "temporal", 3: "open_domain", 4: "single_hop", 5: "adversarial"}
_SESSION_TIME = re.compile(r"(\d{1,2}):(\d{2})\s*(am|pm) on (\d{1,2}) (\w+),? (\d{4})", re.I)


def parse_session_time(text: str) -> datetime:
    """'1:56 pm on 8 May, 2023' → datetime."""
    match = _SESSION_TIME.search(text or "")
    if not match:
        raise ValueError(f"unrecognised session time {text!r}")
    hour, minute, half, day, month, year = match.groups()
    hour_24 = int(hour) % 12 + (12 if half.lower() == "pm" else 0)
    stamp = datetime.strptime(f"{day} {month[:3]} {year}", "%d %b %Y")
    return stamp.replace(hour=hour_24, minute=int(minute))


def evidence_ids(raw: list[str]) -> list[str]:
    ids: list[str] = []
    for item in raw:
        ids.extend(re.findall(r"D\d+:\d+", item))
    return list(dict.fromkeys(ids))


def conversation_items(conversation: dict[str, Any]) -> tuple[list[dict[str, Any]], datetime]:
    items: list[dict[str, Any]] = []
    last = datetime(1970, 1, 2)
    sessions = sorted(
        (int(k.split("_")[1]), v) for k, v in conversation.items()
        if re.fullmatch(r"session_\d+", k) and isinstance(v, list)
    )
    for number, turns in sessions:
        started = parse_session_time(conversation.get(f"session_{number}_date_time", ""))
        for offset, turn in enumerate(turns):
            text = str(turn.get("text", ""))
            caption = turn.get("blip_caption")
            if caption:
                text += f" [shares a photo: {caption}]"
            occurred = started + timedelta(seconds=30 * offset)
            last = max(last, occurred)
            items.append(dict(text=text, speaker=turn.get("speaker", ""), source="locomo",
                              kind="episode", occurred_at=occurred.timestamp(),
                              conversation_id=f"session_{number}",
                              meta={"dia_id": turn.get("dia_id"), "role": "user"}))
    return items, last


def load_locomo(path: Path) -> list[dict[str, Any]]:
    """The conversations of a LoCoMo-format file; ValueError says what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a LoCoMo-format JSON file ({exc})") from exc
    if not isinstance(data, list) or not all(
            isinstance(s, dict) and isinstance(s.get("conversation"), dict)
            and isinstance(s.get("qa"), list) for s in data):
        raise ValueError(f"{path} is not a LoCoMo-format JSON file: expected a list of objects "
                         "with 'conversation' and 'qa'")
    return data


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def locomo(path: Path, ks: tuple[int, ...] = (1, 5, 10), weights: Weights | None = None,
           limit_conversations: int | None = None, progress: Any = None) -> dict[str, Any]:
    data = load_locomo(Path(path))
    if limit_conversations:
        data = data[:limit_conversations]
    encoder = shared_encoder()
    top = max(ks)
    hits_any: dict[tuple[int, int], list[bool]] = defaultdict(list)  # (category, k) -> results
    hits_all: dict[tuple[int, int], list[bool]] = defaultdict(list)
    query_ms: list[float] = []
    ingest_s = 0.0
    memories = 0
    for sample in data:
        with tempfile.TemporaryDirectory(prefix="os1-locomo-") as home:
            store = SQLiteStore(Path(home) / "os1.db")
            system = MemorySystem(store, encoder, weights)
            items, last = conversation_items(sample["conversation"])
            started = time.perf_counter()
            system.ingest(items)
            ingest_s += time.perf_counter() - started
            memories += len(items)
            now = last + timedelta(days=1)
            for qa in sample["qa"]:
                category = int(qa.get("category", 0))
                wanted = set(evidence_ids(qa.get("evidence", [])))
                if not wanted:
                    continue
                started = time.perf_counter()
                found = system.recall(qa["question"], k=top, now=now, kinds=("episode",))
                query_ms.append((time.perf_counter() - started) * 1000)
                ranked = [h.memory.meta.get("dia_id") for h in found]
                for k in ks:
                    got = wanted & set(ranked[:k])
                    hits_any[(category, k)].append(bool(got))
                    hits_all[(category, k)].append(got == wanted)
            store.close()
        if progress:
            progress(sample.get("sample_id", "?"))

    def rate(values: list[bool]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    result: dict[str, Any] = {}
    main = [c for c in (1, 2, 3, 4)]
    for k in ks:
        result[f"recall_any@{k}"] = rate([v for c in main for v in hits_any[(c, k)]])
        result[f"recall_all@{k}"] = rate([v for c in main for v in hits_all[(c, k)]])
    per_category: dict[str, Any] = {}
    for category, name in CATEGORIES.items():
        entry: dict[str, Any] = {"questions": len(hits_any[(category, ks[0])])}
        for k in ks:
            entry[f"recall_any@{k}"] = rate(hits_any[(category, k)])
            entry[f"recall_all@{k}"] = rate(hits_all[(category, k)])
        per_category[f"{category}_{name}"] = entry
    result["per_category"] = per_category
    result["questions"] = sum(len(hits_any[(c, ks[0])]) for c in main)
    result["adversarial_questions"] = len(hits_any[(5, ks[0])])
    result["memories"] = memories
    result["ingest_s"] = round(ingest_s, 2)
    result["query_p95_ms"] = round(_percentile(query_ms, 95), 2) if query_ms else None
    return result


# -- scale ------------------------------------------------------------------------------
_PEOPLE = ["Amy", "Paul", "Catherine", "Charles", "Olivia", "Isabella", "Lewman", "Tatiana", "Jonah",
           "Mira", "Hugo", "Ezra", "Nora", "Wren", "Felix", "Iris"]
_PLACES = ["the beach", "Los Angeles", "the office", "Portland", "the park", "a cafe", "the museum",
           "the lake", "the mountains", "the library", "the market", "the airport"]
_ACTIVITIES = ["hiking", "writing letters", "playing the piano", "painting", "cooking dinner",
               "reading a novel", "watching a film", "running", "gardening", "a video game",
               "a pottery class", "a concert", "a job interview", "a birthday party"]
_FEELINGS = ["happy", "nervous", "tired", "excited", "lonely", "proud", "worried", "calm", "grateful"]
_TEMPLATES = [
    "I went to {place} with {person} and we ended up {activity}.",
    "{person} told me they felt {feeling} about {activity}.",
    "Yesterday at {place} I kept thinking about {activity}; I felt {feeling}.",
    "My friend {person} wants to try {activity} at {place} next week.",
    "I'm {feeling} because {person} finally called me back about {activity}.",
    "We talked for hours about {activity} and {person}'s trip to {place}.",
]


def synthetic_memories(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = datetime(2022, 1, 1).timestamp()
    items = []
    for i in range(count):
        text = rng.choice(_TEMPLATES).format(
            person=rng.choice(_PEOPLE), place=rng.choice(_PLACES),
            activity=rng.choice(_ACTIVITIES), feeling=rng.choice(_FEELINGS))
        items.append(dict(text=f"{text} (note {i})", speaker=rng.choice(["Theodore", "Samantha"]),
                          source="bench", kind="episode", occurred_at=start + i * 600))
    return items


def scale(count: int, queries: int = 200, progress: Any = None) -> dict[str, Any]:
    encoder = shared_encoder()
    encoder.encode(["warm up"])
    items = synthetic_memories(count)
    with tempfile.TemporaryDirectory(prefix="os1-scale-") as home:
        store = SQLiteStore(Path(home) / "os1.db")
        system = MemorySystem(store, encoder)
        started = time.perf_counter()
        for start in range(0, count, 2000):
            system.ingest(items[start:start + 2000], observe=False)
            if progress:
                progress(min(count, start + 2000))
        ingest_s = time.perf_counter() - started
        rng = random.Random(11)
        questions = [
            f"when did I go to {rng.choice(_PLACES)} with {rng.choice(_PEOPLE)}?"
            if i % 2 else f"who felt {rng.choice(_FEELINGS)} about {rng.choice(_ACTIVITIES)}"
            for i in range(queries)
        ]
        system.recall(questions[0])  # load the vector index once, as a running OS would have
        times = []
        for question in questions:
            started = time.perf_counter()
            system.recall(question, k=10)
            times.append((time.perf_counter() - started) * 1000)
        store.close()
    return {
        "scale_memories": count,
        "scale_ingest_per_s": round(count / ingest_s, 1),
        "scale_query_p50_ms": round(statistics.median(times), 2),
        "scale_query_p95_ms": round(_percentile(times, 95), 2),
    }
