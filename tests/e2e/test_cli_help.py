"""`os1 --help` and `os1 say --help` describe the commands."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli_helpers import describe, run

COMMANDS = ("chat", "say", "export", "forget", "reset", "consent", "undo", "journal",
            "status", "serve", "token", "bench")


def test_top_level_help(tmp_path: Path) -> None:
    proc = run(tmp_path, "--help")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.startswith("Usage: os1"), describe(proc)
    assert "runs offline" in proc.stdout
    listed = proc.stdout.split("Commands:")[1]
    names = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert set(COMMANDS) <= names, listed
    assert "Say one thing" in listed
    # help touches nothing
    assert not (tmp_path / "os1.db").exists()

    short = run(tmp_path, "-h")
    assert short.returncode == 0 and short.stdout == proc.stdout


def test_say_help(tmp_path: Path) -> None:
    proc = run(tmp_path, "say", "--help")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.startswith("Usage: os1 say [OPTIONS] TEXT..."), describe(proc)
    assert "Say one thing and print the reply" in proc.stdout
    assert '"-" reads the message from stdin' in proc.stdout
    assert "--json" in proc.stdout
    assert not (tmp_path / "os1.db").exists()


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    proc = run(tmp_path, "sya", "hello")
    assert proc.returncode == 2, describe(proc)
    assert "No such command 'sya'" in proc.stderr
    assert "Traceback" not in proc.stderr
