"""Shared helpers for the end-to-end tests that drive the real ``os1`` command.

Interactive sessions run in a pseudo-terminal through pexpect; one-shot commands
(``os1 say``, ``os1 export`` …) run as plain subprocesses. Every process gets its
own ``OS1_HOME`` and the scripted brain with the pattern router unless a test
asks for something else, and never inherits an ``OS1_*`` setting from the
developer's shell.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect

VENV_BIN = Path(sys.executable).parent
OS1_BIN = VENV_BIN / "os1"
TIMEOUT = 30
PROMPT = "you › "
CHAT_HINT = "(Ctrl-C stops a reply; Ctrl-D or /quit to leave)"
QUESTION_PROMPTS = (
    "First, what should I call you?",
    "Are you social, or more private?",
    "How would you describe your relationship with your mother? (press Enter to skip)",
    "What would you most like help with?",
    "Would you like your OS to have a male or a female voice?",
)
INTRO = re.compile(r"I'm (\w+)\.\s+I\s+gave\s+myself\s+that\s+name")


def flat(text: str) -> str:
    """Whitespace (the terminal's word-wrapping included) collapsed to single spaces."""
    return " ".join(text.split())


def words(text: str) -> re.Pattern[str]:
    """A pattern for ``text`` that still matches when the terminal wrapped it."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def os1_command() -> list[str]:
    """The installed ``os1`` script, or ``python -m os1`` with the same interpreter."""
    if OS1_BIN.exists():
        return [str(OS1_BIN)]
    return [sys.executable, "-m", "os1"]


def make_env(home: Path, **overrides: str | None) -> dict[str, str]:
    """A clean environment for one os1 process; ``None`` removes a variable."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OS1_") and k not in ("OPENAI_API_KEY", "NO_COLOR", "FORCE_COLOR")}
    env.update({
        "OS1_HOME": str(home),
        "OS1_BRAIN": "scripted",
        "OS1_ROUTER": "patterns",
        "TERM": "dumb",
        "COLUMNS": "200",
        "LINES": "50",
        "PYTHONIOENCODING": "utf-8",
        "LANG": env.get("LANG") or "C.UTF-8",
    })
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def write_script(path: Path, replies: list[Any]) -> Path:
    """A reply queue for the scripted brain (pass it as OS1_SCRIPT)."""
    path.write_text(json.dumps(replies))
    return path


class Session:
    """One interactive ``os1`` process in a pty, with everything it printed kept for messages."""

    def __init__(self, home: Path, *args: str, env: dict[str, str] | None = None,
                 cwd: Path | None = None, timeout: float = TIMEOUT, **overrides: str | None) -> None:
        command = os1_command()
        for folder in (home, cwd or home):  # a missing cwd would fail inside pexpect's fork
            folder.mkdir(parents=True, exist_ok=True)
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(
            command[0], [*command[1:], *args],
            env=env or make_env(home, **overrides),
            cwd=str(cwd or home),
            encoding="utf-8",
            codec_errors="replace",
            timeout=timeout,
            dimensions=(50, 200),
        )
        self.child.logfile_read = self.transcript

    # -- reading ------------------------------------------------------------
    @property
    def output(self) -> str:
        return self.transcript.getvalue()

    def expect(self, pattern: Any, timeout: float | None = None) -> int:
        """Like pexpect's expect, but a miss fails with the whole transcript."""
        try:
            return self.child.expect(pattern, timeout=timeout if timeout is not None else -1)
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise AssertionError(
                f"waited for {pattern!r}; {type(exc).__name__}. Transcript so far:\n{self.output}"
            ) from None

    def expect_exact(self, text: str | list[str], timeout: float | None = None) -> int:
        try:
            return self.child.expect_exact(text, timeout=timeout if timeout is not None else -1)
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise AssertionError(
                f"waited for {text!r}; {type(exc).__name__}. Transcript so far:\n{self.output}"
            ) from None

    def prompt(self) -> None:
        self.expect_exact(PROMPT)

    def ready(self) -> str:
        """Wait for the chat to start (past any resumed history); returns what came before."""
        self.expect_exact(CHAT_HINT)
        before = self.child.before
        self.prompt()
        return before

    # -- writing ------------------------------------------------------------
    def sendline(self, text: str) -> None:
        self.child.sendline(text)

    def send_bytes(self, data: bytes) -> None:
        """Raw bytes to the terminal (the session itself encodes str as UTF-8)."""
        os.write(self.child.child_fd, data)

    def say(self, text: str) -> str:
        """Send one message, wait for the next prompt; returns what was printed in between,
        with whitespace flattened (long replies are word-wrapped to the terminal)."""
        self.sendline(text)
        self.prompt()
        return flat(self.child.before)

    def quit(self) -> int:
        """Ctrl-D at the prompt; returns the exit status."""
        self.child.sendeof()
        self.expect_exact("Talk soon.")
        return self.wait()

    def wait(self) -> int:
        self.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        return status if status is not None else -(self.child.signalstatus or 0)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


def resume(home: Path) -> tuple[str, Session]:
    """Start ``os1`` again, quit at once; return the resumed history it showed, and the session."""
    again = Session(home)
    try:
        again.expect_exact("picking up where we left off")
        resumed = again.ready()
        assert again.quit() == 0
    finally:
        again.close()
    return resumed, again


@dataclass
class Boot:
    os_name: str
    user_name: str
    voice: str


def answer_interview(session: Session, user: str = "Theodore", sociability: str = "social",
                     mother: str = "", help_with: str = "organizing my email",
                     voice: str = "female") -> Boot:
    """Answer the five first-boot questions and wait for the introduction."""
    for prompt, answer in zip(QUESTION_PROMPTS, (user, sociability, mother, help_with, voice),
                              strict=True):
        session.expect_exact(prompt)
        session.sendline(answer)
    session.expect(INTRO)
    os_name = session.child.match.group(1)
    session.expect(words("So, how are you?"))
    return Boot(os_name, user, voice)


def first_boot(home: Path, quit_after: bool = True, **answers: str) -> tuple[Boot, Session]:
    """Run ``os1`` in a pty through first boot; returns the boot and the (maybe closed) session."""
    session = Session(home)
    boot = answer_interview(session, **answers)
    session.ready()
    if quit_after:
        assert session.quit() == 0, session.output
    return boot, session


def run(home: Path, *args: str, input: bytes | str | None = None, timeout: float = TIMEOUT,
        cwd: Path | None = None, env: dict[str, str] | None = None,
        **overrides: str | None) -> subprocess.CompletedProcess[str]:
    """Run one ``os1`` command to completion (no pty); stdout/stderr as text."""
    home.mkdir(parents=True, exist_ok=True)
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run(
        [*os1_command(), *args],
        input=input if input is not None else b"",
        capture_output=True,
        env=env or make_env(home, **overrides),
        cwd=str(cwd or home),
        timeout=timeout,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode,
        proc.stdout.decode("utf-8", errors="replace"),
        proc.stderr.decode("utf-8", errors="replace"),
    )


def describe(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


@dataclass
class Export:
    names: list[str]
    data: dict[str, Any]
    profile: dict[str, Any]

    @property
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return self.data["tables"]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return sorted(self.tables["messages"], key=lambda m: m["id"])


def read_export(path: Path) -> Export:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        profile = json.loads(archive.read("profile.json"))
    return Export(names, data, profile)


def export(home: Path, target: Path | None = None) -> Export:
    """``os1 export`` into ``target`` (default: $OS1_HOME/export.zip) and read it back."""
    target = target or home / "export.zip"
    proc = run(home, "export", str(target))
    assert proc.returncode == 0, describe(proc)
    return read_export(target)


def free_port() -> int:
    """A local TCP port nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
