"""`os1 growth`: traits with their bounds and history, reflections with what they cite, the journal."""

from __future__ import annotations

import json
from pathlib import Path

from os1.memory.growth import Growth
from os1.storage.sqlite import SQLiteStore
from tests.e2e.cli_helpers import describe, run
from tests.unit.test_reflection import booted_store, seed_exchanges


def seed(home: Path) -> list[int]:
    """A booted profile, Theodore's recent exchanges and one trait change; returns his memory ids."""
    home.mkdir(parents=True, exist_ok=True)
    store = booted_store(home / "os1.db")
    try:
        said = seed_exchanges(store)
        assert Growth(store).nudge("warmth", 0.02, 'Theodore appreciated something I said ("thank you")')
        return [m.id for m in said]
    finally:
        store.close()


def test_growth_shows_traits_history_and_nothing_reflected_yet(tmp_path: Path) -> None:
    seed(tmp_path)
    proc = run(tmp_path, "growth")
    assert proc.returncode == 0, describe(proc)
    out = proc.stdout
    assert "Samantha's personality" in out
    assert "warmth       0.75 → 0.77   (0.55–0.95; moved 0.02 of 0.05 today)" in out, out
    assert "playfulness  0.40 → 0.40   (0.20–0.60" in out, out
    assert 'warmth 0.75 → 0.77: Theodore appreciated something I said ("thank you")' in out
    assert "Reflections (newest first):\n  none yet." in out
    assert "Traceback" not in proc.stderr


def test_growth_reflect_json_writes_grounded_cited_reflections(tmp_path: Path) -> None:
    said = seed(tmp_path)
    proc = run(tmp_path, "growth", "--reflect", "--json")
    assert proc.returncode == 0, describe(proc)
    data = json.loads(proc.stdout)

    reflected = data["reflected"]
    assert 1 <= len(reflected) <= 3
    for reflection in reflected:
        assert reflection["cites"] and {c["id"] for c in reflection["cites"]} <= set(said)
    amy = next(r for r in reflected if "Amy" in r["text"])
    assert amy["text"].startswith("Theodore has talked about Amy 4 times lately")
    assert all("Amy" in c["text"] for c in amy["cites"])
    assert [r["id"] for r in data["reflections"]] == sorted((r["id"] for r in reflected), reverse=True)
    assert data["journal"] and data["journal"][0]["text"].startswith("I'm learning")
    assert {t["name"] for t in data["traits"]} == {"warmth", "curiosity", "playfulness", "directness"}
    warmth = next(t for t in data["traits"] if t["name"] == "warmth")
    assert (warmth["initial"], warmth["value"], warmth["low"], warmth["high"]) == (0.75, 0.77, 0.55, 0.95)
    assert data["history"][0]["data"]["reason"].startswith("Theodore appreciated")
    assert data["reflection_state"]["reflections"] == 1

    # the text view lists each reflection with the memories it cites
    proc = run(tmp_path, "growth", "--limit", "5")
    assert proc.returncode == 0, describe(proc)
    assert f"#{amy['id']} " in proc.stdout and amy["text"] in proc.stdout
    for cited in amy["cites"]:
        assert f'cites #{cited["id"]}: "{cited["text"]}"' in proc.stdout, proc.stdout
    assert data["journal"][0]["text"] in proc.stdout

    # nothing new: reflecting again writes nothing
    again = run(tmp_path, "growth", "--reflect")
    assert again.returncode == 0, describe(again)
    assert again.stdout.startswith("Nothing new to reflect on yet")

    # forgetting what a reflection cites forgets the reflection
    store = SQLiteStore(tmp_path / "os1.db")
    try:
        store.memories.delete(amy["cites"][0]["id"])
    finally:
        store.close()
    after = json.loads(run(tmp_path, "growth", "--json").stdout)
    assert amy["id"] not in {r["id"] for r in after["reflections"]}
    assert "Amy" not in json.dumps(after["reflections"]) + json.dumps(after["journal"])


def test_growth_before_first_boot(tmp_path: Path) -> None:
    proc = run(tmp_path, "growth", "--json")
    assert proc.returncode == 0, describe(proc)
    data = json.loads(proc.stdout)
    assert data["traits"] == [] and data["reflections"] == [] and data["history"] == []
    text = run(tmp_path, "growth")
    assert "not set up yet" in text.stdout, describe(text)
