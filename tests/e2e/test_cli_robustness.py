"""`os1 say` against bad input and a bad environment: huge input, broken or locked
database, an unreachable brain, two processes at once."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.cli_helpers import (
    describe,
    export,
    free_port,
    make_env,
    os1_command,
    run,
)

TRACEBACK = "Traceback (most recent call last)"


def test_one_megabyte_message_from_stdin(tmp_path: Path) -> None:
    message = "START " + "a" * 1_000_000 + "\n"
    proc = run(tmp_path, "say", "-", input=message, timeout=60)
    assert proc.returncode == 0, describe(proc)[:2000]
    assert TRACEBACK not in proc.stderr, proc.stderr[-3000:]
    assert proc.stdout.startswith("You said: START aaaa"), proc.stdout[:200]
    assert "I kept the first 200,000" in proc.stderr, proc.stderr[-2000:]

    users = [m for m in export(tmp_path).messages if m["role"] == "user"]
    assert len(users) == 1
    assert len(users[0]["content"]) == 200_000
    assert users[0]["content"].startswith("START aaa")


def test_corrupted_database_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "os1.db"
    garbage = bytes(range(256)) * 64
    db.write_bytes(garbage)
    proc = run(tmp_path, "say", "hello")
    assert proc.returncode == 1, describe(proc)
    assert TRACEBACK not in proc.stderr, describe(proc)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, describe(proc)
    assert "database" in lines[0] and str(db) in lines[0], describe(proc)
    assert "damaged" in lines[0]
    assert proc.stdout == ""
    assert db.read_bytes() == garbage  # nothing was changed


def test_locked_database_ends_with_a_clear_message(tmp_path: Path) -> None:
    first = run(tmp_path, "say", "hi")
    assert first.returncode == 0, describe(first)
    holder = sqlite3.connect(tmp_path / "os1.db", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        proc = run(tmp_path, "say", "are you there?", timeout=20)
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert elapsed < 10, f"took {elapsed:.1f} s\n{describe(proc)}"
    assert proc.returncode == 1, describe(proc)
    assert TRACEBACK not in proc.stderr, describe(proc)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, describe(proc)
    assert "busy" in lines[0] or "locked" in lines[0], describe(proc)
    assert "database" in lines[0]

    # once the lock is gone everything works again, and the refused message was not half-stored
    after = run(tmp_path, "say", "now?")
    assert after.returncode == 0, describe(after)
    assert after.stdout.strip() == "You said: now?"
    users = [m["content"] for m in export(tmp_path).messages if m["role"] == "user"]
    assert users == ["hi", "now?"]


def test_unreachable_brain_skills_still_work(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    proc = run(tmp_path, "say", "what time is it", OS1_BRAIN=url)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.startswith("It's "), describe(proc)
    assert TRACEBACK not in proc.stderr


def test_unreachable_brain_falls_back_to_the_embedded_one(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    proc = run(tmp_path, "say", "hello", OS1_BRAIN=url, timeout=90)
    assert proc.returncode == 0, describe(proc)
    assert TRACEBACK not in proc.stderr, describe(proc)
    assert "reach" in proc.stderr and url in proc.stderr, describe(proc)  # a clear notice …
    assert proc.stdout.strip(), describe(proc)  # … and still a reply
    # … from the small built-in brain, not an apology for having no brain at all
    assert "I'm having trouble thinking right now" not in proc.stdout, describe(proc)


def test_two_processes_at_once(tmp_path: Path) -> None:
    env = make_env(tmp_path, OS1_SCRIPT_DELAY="0.1")  # slow replies, so the two turns overlap
    procs = [
        subprocess.Popen([*os1_command(), "say", text], env=env, cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for text in ("first of two", "second of two")
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, (out, err)
        assert b"Traceback" not in err, err
    assert outputs[0][0].decode().strip() == "You said: first of two"
    assert outputs[1][0].decode().strip() == "You said: second of two"

    contents = [m["content"] for m in export(tmp_path).messages]
    for text in ("first of two", "second of two"):
        assert text in contents
        assert f"You said: {text}" in contents
    assert len(contents) == 4


@pytest.mark.parametrize(("config", "env"), [
    ("", {"OS1_CONTEXT_TOKENS": "lots"}),
    ("", {"OS1_ROUTER": "telepathy"}),
    ("[brain\nname = ", {}),
    ("", {"OS1_BRAIN_TIMEOUT": "soon"}),
    ("[brain]\ntimeout_s = \"soon\"\n", {}),
    ("[brain]\nname = 3\n", {"OS1_BRAIN": None}),
], ids=["context-env", "router-env", "toml-syntax", "timeout-env", "timeout-file",
        "brain-name-not-text"])
def test_bad_settings_are_one_clear_line(tmp_path: Path, config: str,
                                         env: dict[str, str | None]) -> None:
    if config:
        (tmp_path / "config.toml").write_text(config)
    proc = run(tmp_path, "say", "what time is it", **env)
    assert proc.returncode == 1, describe(proc)
    assert TRACEBACK not in proc.stderr, describe(proc)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("os1: "), describe(proc)


def test_export_to_an_impossible_path_is_one_clear_line(tmp_path: Path) -> None:
    assert run(tmp_path, "say", "hi").returncode == 0
    (tmp_path / "a-file").write_text("not a folder")
    proc = run(tmp_path, "export", str(tmp_path / "a-file" / "out.zip"))
    assert proc.returncode != 0, describe(proc)
    assert TRACEBACK not in proc.stderr, describe(proc)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "a-file" in lines[0], describe(proc)
