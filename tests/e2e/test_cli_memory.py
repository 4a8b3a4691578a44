"""`os1 memory`: counts, search, facts with provenance, people, and forgetting, through the real CLI."""

from __future__ import annotations

import time
from pathlib import Path

from os1.memory.system import MemorySystem
from os1.storage.sqlite import SQLiteStore
from tests.e2e.cli_helpers import describe, run

DAY = 86400.0


def seed(home: Path) -> dict[str, int]:
    """Memories as the conversation would have stored them (the user's side observed for facts)."""
    home.mkdir(parents=True, exist_ok=True)
    store = SQLiteStore(home / "os1.db")
    try:
        memory = MemorySystem(store, encoder=None)
        start = time.time() - 10 * DAY
        ids = {}
        for day, text in enumerate(["I live in Los Angeles", "my sister Amy likes tulips",
                                    "I moved to Portland", "the river walk was lovely"]):
            stored = memory.record(text, speaker="Theodore", occurred_at=start + day * DAY,
                                   meta={"role": "user"})
            assert stored is not None
            ids[text] = stored.id
        memory.record("Amy sounds lovely", speaker="Samantha", meta={"role": "assistant"})
        return ids
    finally:
        store.close()


def ok(home: Path, *args: str, input: str | None = None) -> str:
    proc = run(home, "memory", *args, input=input)
    assert proc.returncode == 0, describe(proc)
    assert "Traceback" not in proc.stderr
    return proc.stdout


def test_summary_facts_people_and_search(tmp_path: Path) -> None:
    ids = seed(tmp_path)
    out = ok(tmp_path)
    assert "5 memories (5 episodes); 3 current facts (1 superseded); 1 person." in out, out
    assert f"#{ids['I moved to Portland']}" in out and "Theodore" in out and "I moved to Portland" in out

    facts = ok(tmp_path, "facts")
    assert "The user lives in Portland." in facts and "Amy is the user's sister." in facts
    assert f"from memory #{ids['I moved to Portland']}: “I moved to Portland”" in facts
    assert "Los Angeles" not in facts and "Amy sounds lovely" not in facts

    history = ok(tmp_path, "facts", "--all")
    line = next(ln for ln in history.splitlines() if "Los Angeles." in ln)
    assert "until " in line and "replaced by #" in line

    people = ok(tmp_path, "people")
    assert "Amy  (sister)  mentioned 1×" in people and "Amy likes tulips." in people

    found = ok(tmp_path, "search", "tulips", "--k", "3")
    assert f"#{ids['my sister Amy likes tulips']}" in found and "my sister Amy likes tulips" in found
    assert "No memories match" in ok(tmp_path, "search", "zeppelin")


def test_forget_about_asks_first_and_then_removes_everything(tmp_path: Path) -> None:
    seed(tmp_path)
    declined = run(tmp_path, "memory", "forget", "--about", "Amy", input="n\n")
    assert declined.returncode == 1 and "Aborted" in declined.stdout + declined.stderr, describe(declined)
    assert "I would forget everything about Amy: 2 memories, 2 facts and Amy" in declined.stdout
    assert "Amy" in ok(tmp_path, "people")

    done = ok(tmp_path, "forget", "--about", "Amy", input="y\n")
    assert "I've forgotten everything about Amy" in done
    assert ok(tmp_path, "people").strip() == "No people yet."
    assert "Amy" not in ok(tmp_path, "facts", "--all")
    assert "No memories match" in ok(tmp_path, "search", "Amy tulips")
    assert "The user lives in Portland." in ok(tmp_path, "facts")

    nothing = ok(tmp_path, "forget", "--about", "zeppelins", "--yes")
    assert "Nothing I remember matches “zeppelins”" in nothing


def test_forget_one_memory_by_id(tmp_path: Path) -> None:
    ids = seed(tmp_path)
    target = ids["I moved to Portland"]
    out = ok(tmp_path, "forget", str(target), input="y\n")
    assert "learned from it: The user lives in Portland." in out
    assert f"I've forgotten memory #{target}, 1 fact learned from it." in out
    assert "Portland" not in ok(tmp_path, "facts", "--all")

    missing = run(tmp_path, "memory", "forget", "999", "--yes")
    assert missing.returncode == 1 and "There is no memory #999." in missing.stderr, describe(missing)
    usage = run(tmp_path, "memory", "forget")
    assert usage.returncode == 2 and "--about" in usage.stderr, describe(usage)


def test_what_you_say_becomes_facts_you_can_ask_about(tmp_path: Path) -> None:
    said = run(tmp_path, "say", "my sister Amy likes tulips")
    assert said.returncode == 0, describe(said)
    asked = run(tmp_path, "say", "who is Amy")
    assert asked.returncode == 0, describe(asked)
    assert "Amy is your sister" in asked.stdout, describe(asked)
    facts = ok(tmp_path, "facts")
    assert "Amy likes tulips." in facts and "“my sister Amy likes tulips”" in facts
    assert "You said" not in facts  # OS1's own words are not facts
    empty = tmp_path / "empty"
    assert "Nothing remembered yet." in ok(empty)
    assert "No facts yet." in ok(empty, "facts")
