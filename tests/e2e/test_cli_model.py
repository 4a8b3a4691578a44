"""The real embedded model (SmolLM2-135M via llama.cpp) and the embedding router, through a pty."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from os1.core.conversation import EMPTY_REPLY
from os1.persona.naming import NAMES
from tests.e2e.cli_helpers import PROMPT, Session, answer_interview, export


@pytest.mark.model
def test_embedded_model_answers_through_the_terminal(tmp_path: Path) -> None:
    session = Session(tmp_path, OS1_BRAIN="embedded", OS1_ROUTER=None)
    try:
        boot = answer_interview(session, user="Theodore", voice="female")
        session.ready()
        # the tiny model cannot choose, so the OS picks from the names it "read"
        assert boot.os_name in NAMES["female"], session.output

        started = time.monotonic()
        session.sendline("hello, how are you?")
        session.expect_exact(f"{boot.os_name} › ", timeout=60)
        session.expect_exact(PROMPT, timeout=60)
        elapsed = time.monotonic() - started
        reply = session.child.before.strip()
        print(f"embedded model replied in {elapsed:.1f} s: {reply!r}")

        # no pattern matches this; the embedding router sends it to the clock, not the model
        shown = session.say("what hour is it right now")
        assert "It's " in shown and (" AM on " in shown or " PM on " in shown), session.output
        assert session.quit() == 0
    finally:
        session.close()

    assert elapsed < 60
    assert reply, session.output
    assert "You said" not in reply
    assert EMPTY_REPLY not in reply
    assert "Traceback" not in session.output
    assistant = [m for m in export(tmp_path).messages if m["role"] == "assistant"]
    assert len(assistant) == 3
    assert " ".join(assistant[1]["content"].split()) == " ".join(reply.split())
