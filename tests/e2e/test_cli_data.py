"""The user owns their data: `os1 export`, `os1 forget --all`, `os1 reset`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.e2e.cli_helpers import (
    Session,
    answer_interview,
    describe,
    export,
    first_boot,
    flat,
    read_export,
    run,
)


def _status(home: Path) -> str:
    proc = run(home, "status", "--no-check")
    assert proc.returncode == 0, describe(proc)
    return proc.stdout


def test_export_holds_the_conversation_and_profile_but_no_secrets(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    said = run(tmp_path, "say", "my favourite colour is teal")
    assert said.returncode == 0, describe(said)
    token = run(tmp_path, "token").stdout.strip()
    assert len(token) >= 16

    target = tmp_path / "out" / "out.zip"
    proc = run(tmp_path, "export", str(target))
    assert proc.returncode == 0, describe(proc)
    assert f"Exported to {target}" in proc.stdout
    assert re.search(r"\d+ profile", proc.stdout) and "3 messages" in proc.stdout, proc.stdout
    assert re.search(r"\d+ memories", proc.stdout), proc.stdout  # the exchange became memories

    archive = read_export(target)
    assert {"data.json", "profile.json", "README.txt"} <= set(archive.names)
    assert archive.profile["user_name"] == boot.user_name
    assert archive.profile["os_name"] == boot.os_name
    messages = archive.messages
    assert [m["role"] for m in messages] == ["assistant", "user", "assistant"]
    assert f"I'm {boot.os_name}." in messages[0]["content"]
    assert messages[1]["content"] == "my favourite colour is teal"
    assert messages[2]["content"] == "You said: my favourite colour is teal"
    assert all(m["status"] == "complete" for m in messages)
    assert not list(target.parent.glob("*.partial"))

    with zipfile.ZipFile(target) as zf:
        everything = b"".join(zf.read(name) for name in zf.namelist())
    assert token.encode() not in everything


def test_forget_all_asks_and_aborts_on_no(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    proc = run(tmp_path, "forget", "--all", input="n\n")
    assert proc.returncode == 1, describe(proc)
    assert "permanently erases everything" in proc.stdout, describe(proc)
    assert "Aborted" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"set up: {boot.os_name} with {boot.user_name}" in _status(tmp_path)
    assert len(export(tmp_path).messages) == 1  # the introduction is still there


def test_forget_all_yes_erases(tmp_path: Path) -> None:
    first_boot(tmp_path)
    assert run(tmp_path, "say", "something to forget").returncode == 0
    proc = run(tmp_path, "forget", "--all", "--yes")
    assert proc.returncode == 0, describe(proc)
    assert "Everything is erased." in proc.stdout
    assert not (tmp_path / "os1.db").exists()
    assert "not set up yet" in _status(tmp_path)
    archive = export(tmp_path)
    assert archive.messages == [] and archive.profile == {}

    again = run(tmp_path, "forget", "--all", "--yes")
    assert again.returncode == 0, describe(again)


def test_reset_offers_export_then_interviews_again(tmp_path: Path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    old, _ = first_boot(home, user="Theodore")
    session = Session(home, "reset", cwd=cwd)
    try:
        session.expect_exact("Before resetting, export everything to an archive?")
        session.sendline("y")
        session.expect_exact("Exported to ")
        session.expect_exact("Continue?")
        session.sendline("y")
        session.expect_exact("Reset done.")
        new = answer_interview(session, user="Samuel", voice="male")
        assert session.wait() == 0
    finally:
        session.close()
    assert "Traceback" not in session.output
    assert "I'm an AI" in flat(session.output[session.output.index("Reset done."):])

    archives = list(cwd.glob("os1-export-*.zip"))
    assert len(archives) == 1, list(cwd.iterdir())
    saved = read_export(archives[0])
    assert saved.profile["user_name"] == "Theodore"
    assert saved.profile["os_name"] == old.os_name

    assert f"set up: {new.os_name} with Samuel" in _status(home)
    current = export(home)
    assert current.profile["user_name"] == "Samuel"
    assert current.profile["voice"] == "male"
    assert [m["role"] for m in current.messages] == ["assistant"]  # only the new introduction


def test_reset_declined_changes_nothing(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    proc = run(tmp_path, "reset", input="n\nn\n")
    assert proc.returncode == 1, describe(proc)
    assert "Aborted" in proc.stdout + proc.stderr
    assert not list(tmp_path.glob("os1-export-*.zip"))
    assert f"set up: {boot.os_name} with {boot.user_name}" in _status(tmp_path)
