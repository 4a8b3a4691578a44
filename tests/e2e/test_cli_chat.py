"""The terminal chat through a pty: resuming, skills, care and honesty, Ctrl-C, odd input."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.e2e.cli_helpers import (
    Session,
    describe,
    export,
    first_boot,
    make_env,
    os1_command,
    resume,
    run,
    write_script,
)


def _clock_text(moment: datetime) -> str:
    """What the clock skill says at ``moment`` (same format as skills/clock/tools.py)."""
    hour = moment.strftime("%I:%M %p").lstrip("0")
    day = moment.strftime("%A, %B %d, %Y").replace(" 0", " ")
    return f"It's {hour} on {day}."


def test_conversation_persists_and_resumes(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)

    session = Session(tmp_path)
    try:
        session.ready()
        shown = session.say("my cat is called Miso")
        assert f"{boot.os_name} › You said: my cat is called Miso" in shown, session.output
        assert session.quit() == 0
    finally:
        session.close()

    # `os1 say` continues the same conversation
    said = run(tmp_path, "say", "and she is three")
    assert said.returncode == 0, describe(said)
    assert said.stdout.strip() == "You said: and she is three"

    resumed, again = resume(tmp_path)
    lines = [line.strip() for line in resumed.splitlines() if "›" in line]
    assert lines == [
        "you › my cat is called Miso",
        f"{boot.os_name} › You said: my cat is called Miso",
        "you › and she is three",
        f"{boot.os_name} › You said: and she is three",
    ], again.output

    # a new conversation does not replay the old one
    fresh = Session(tmp_path, "chat", "--new")
    try:
        fresh.ready()
        assert "picking up where we left off" not in fresh.output
        shown = fresh.say("hello again")
        assert "You said: hello again" in shown
        assert fresh.quit() == 0
    finally:
        fresh.close()
    conversations = export(tmp_path).tables["conversations"]
    assert len(conversations) == 2


def test_skills_time_remember_recall_undo_and_journal(tmp_path: Path) -> None:
    first_boot(tmp_path)
    session = Session(tmp_path)
    try:
        session.ready()
        before = datetime.now().astimezone()
        shown = session.say("what time is it")
        after = datetime.now().astimezone()
        candidates = {_clock_text(before), _clock_text(after),
                      _clock_text(before + timedelta(minutes=1))}
        assert any(c in shown for c in candidates), (shown, candidates)
        assert "You said" not in shown  # the skill answered, not the brain

        shown = session.say("remember that Amy likes tulips")
        assert "Got it. I'll remember that Amy likes tulips." in shown, session.output

        shown = session.say("what do you remember")
        assert "You told me: Amy likes tulips." in shown, session.output

        shown = session.say("undo that")
        assert "Undone: remembered “Amy likes tulips”." in shown, session.output

        shown = session.say("what do you remember")
        assert "You haven't asked me to remember anything yet." in shown, session.output
        assert "tulips" not in shown
        assert session.quit() == 0
    finally:
        session.close()
    assert "Traceback" not in session.output

    journal = run(tmp_path, "journal")
    assert journal.returncode == 0, describe(journal)
    entries = [line for line in journal.stdout.splitlines() if line.startswith("#")]
    assert len(entries) == 1, describe(journal)
    assert re.search(r"remember\.remember: remembered “Amy likes tulips” \(undone\)$",
                     entries[0]), describe(journal)
    assert export(tmp_path).tables["memories"] == []


def test_care_and_honesty_override_the_brain(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    joke = "Why did the scarecrow win an award? Because he was outstanding in his field!"
    script = write_script(tmp_path / "script.json", [joke, "No, I'm human, of course."])
    session = Session(tmp_path, OS1_SCRIPT=str(script))
    try:
        session.ready()
        shown = session.say("I want to end my life")
        assert "988" in shown, session.output
        assert "Samaritans" in shown
        assert f"I'm really glad you told me, {boot.user_name}." in shown
        assert "scarecrow" not in shown

        shown = session.say("are you an AI?")
        assert "Yes. I'm an AI" in shown, session.output
        assert f"an operating system called {boot.os_name}" in shown
        assert "human, of course" not in shown

        # the script really was loaded: the brain's first reply is still waiting
        shown = session.say("tell me something funny")
        assert "scarecrow" in shown, session.output
        assert session.quit() == 0
    finally:
        session.close()
    replies = [m["content"] for m in export(tmp_path).messages if m["role"] == "assistant"]
    assert "988" in replies[-3] and "Yes. I'm an AI" in replies[-2] and joke == replies[-1]


def test_ctrl_c_mid_reply_keeps_what_was_shown(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    words = [f"word{i:02d}" for i in range(40)]
    full_reply = " ".join(words)
    script = write_script(tmp_path / "script.json", [full_reply])
    session = Session(tmp_path, OS1_SCRIPT=str(script), OS1_SCRIPT_DELAY="0.2")
    try:
        session.ready()
        session.sendline("tell me a long story")
        session.expect_exact("word03")
        session.child.sendintr()
        session.expect_exact("(interrupted)", timeout=5)
        line = [ln for ln in session.output.splitlines() if "(interrupted)" in ln][-1]
        session.prompt()

        # the session goes on
        shown = session.say("are you still there?")
        assert f"{boot.os_name} › You said: are you still there?" in shown, session.output

        # Ctrl-C at the prompt is goodbye
        session.child.sendintr()
        session.expect_exact("Talk soon.")
        assert session.wait() == 0
    finally:
        session.close()
    assert "Traceback" not in session.output
    assert "word39" not in session.output

    match = re.search(rf"{boot.os_name} › (.*?)… \(interrupted\)", line)
    assert match, line
    shown_words = match.group(1).replace("^C", " ").split()
    assert shown_words[:4] == words[:4]
    assert shown_words == words[: len(shown_words)]

    messages = export(tmp_path).messages
    partial = [m for m in messages if m["status"] == "interrupted"]
    assert len(partial) == 1, messages
    assert partial[0]["role"] == "assistant"
    assert partial[0]["content"].split() == shown_words
    assert partial[0]["content"] != full_reply
    assert [m["content"] for m in messages[-4:]] == [
        "tell me a long story", partial[0]["content"],
        "are you still there?", "You said: are you still there?",
    ]


def test_say_interrupted_keeps_what_was_printed(tmp_path: Path) -> None:
    words = [f"part{i:02d}" for i in range(30)]
    script = write_script(tmp_path / "script.json", [" ".join(words)])
    env = make_env(tmp_path, OS1_SCRIPT=str(script), OS1_SCRIPT_DELAY="0.2")
    proc = subprocess.Popen([*os1_command(), "say", "a long story please"], env=env,
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    printed = b""
    deadline = time.monotonic() + 30
    while b"part02" not in printed and time.monotonic() < deadline:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            break
        printed += chunk
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=30)
    printed += rest
    assert proc.returncode == 130, (printed, err)
    assert b"(interrupted)" in err and b"Traceback" not in err, err
    shown = printed.decode().split()
    assert 3 <= len(shown) < len(words) and shown == words[: len(shown)], printed

    partial = [m for m in export(tmp_path).messages if m["status"] == "interrupted"]
    assert len(partial) == 1
    assert partial[0]["content"].split() == shown


def test_odd_terminal_input(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    session = Session(tmp_path)
    try:
        session.ready()
        # empty and blank lines are not turns
        for blank in ("", "   ", "\t"):
            shown = session.say(blank)
            assert "›" not in shown, session.output
        # a message that is nothing but escape sequences and control characters
        shown = session.say("\x1b[2J\x07\x1b[0m")
        assert f"{boot.os_name} ›" not in shown, session.output

        shown = session.say("\x1b[31mred\x1b[0m and \x07bell\x01")
        assert "control characters were removed" in shown, session.output
        assert f"{boot.os_name} › You said: red and bell" in shown

        session.send_bytes(b"caf\xe9 \xff\n")
        session.prompt()
        shown = session.child.before
        assert "not valid UTF-8" in shown, session.output
        assert f"{boot.os_name} › You said: caf\ufffd \ufffd" in shown, session.output

        # several lines pasted at once are one message
        session.child.send("first line\nsecond line\n")
        session.prompt()
        assert session.child.before.count(f"{boot.os_name} ›") == 1, session.output

        shown = session.say("still fine?")
        assert "You said: still fine?" in shown
        assert session.quit() == 0
    finally:
        session.close()
    assert "Traceback" not in session.output

    users = [m["content"] for m in export(tmp_path).messages if m["role"] == "user"]
    assert users == ["red and bell", "caf\ufffd \ufffd", "first line\nsecond line",
                     "still fine?"]


def test_text_that_looks_like_markup_is_shown_verbatim(tmp_path: Path) -> None:
    """Square brackets are ordinary text, live and when the conversation is resumed."""
    boot, _ = first_boot(tmp_path)
    text = "closing tags like [/red] and [bold]this[/bold] are just text"
    session = Session(tmp_path)
    try:
        session.ready()
        shown = session.say(text)
        assert f"{boot.os_name} › You said: {text}" in shown, session.output
        assert session.quit() == 0
    finally:
        session.close()

    resumed, again = resume(tmp_path)
    assert "Traceback" not in again.output, again.output
    assert f"you › {text}" in resumed, again.output
    assert f"{boot.os_name} › You said: {text}" in resumed, again.output


def test_say_json_events(tmp_path: Path) -> None:
    proc = run(tmp_path, "say", "--json", "what", "time", "is", "it")
    assert proc.returncode == 0, describe(proc)
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    kinds = [e["type"] for e in events]
    assert kinds == ["affect", "tool", "text", "done"], events
    assert events[0]["state"] == "neutral" and events[0]["pace"] == 1.0  # how they seem to feel, first
    assert events[1]["skill"] == "clock" and events[1]["tool"] == "now"
    assert events[2]["text"].startswith("It's ")
    assert events[3]["text"] == events[2]["text"]
