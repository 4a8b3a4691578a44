"""First boot through a real terminal: the interview, the OS naming itself, the saved profile."""

from __future__ import annotations

from pathlib import Path

from os1.persona.naming import NAMES
from tests.e2e.cli_helpers import (
    INTRO,
    PROMPT,
    QUESTION_PROMPTS,
    Session,
    answer_interview,
    describe,
    export,
    flat,
    run,
    words,
    write_script,
)

WELCOME = "Welcome to OS1, the first artificially intelligent operating system."


def _expect_next_prompt(session: Session, expected: int) -> None:
    """The next question printed must be ``QUESTION_PROMPTS[expected]`` (not any other one)."""
    index = session.expect_exact(list(QUESTION_PROMPTS))
    assert index == expected, (
        f"expected question {expected + 1} ({QUESTION_PROMPTS[expected]!r}), "
        f"got {QUESTION_PROMPTS[index]!r}\n{session.output}"
    )


def test_first_boot_interview_in_order_with_reasks_and_intro(tmp_path: Path) -> None:
    session = Session(tmp_path)
    try:
        session.expect_exact(WELCOME)

        _expect_next_prompt(session, 0)
        session.sendline("")  # an empty name is not accepted …
        session.expect_exact("I'd like something to call you")
        _expect_next_prompt(session, 0)  # … and the same question comes back
        session.sendline("call me Theodore")

        _expect_next_prompt(session, 1)
        session.sendline("more private, honestly")

        _expect_next_prompt(session, 2)
        session.sendline("")  # the mother question may be skipped with Enter

        _expect_next_prompt(session, 3)
        session.sendline("organizing my email")

        _expect_next_prompt(session, 4)
        session.sendline("robot")  # neither male nor female: asked again
        session.expect_exact("Male or female?")
        _expect_next_prompt(session, 4)
        session.sendline("female")

        session.expect(INTRO)
        os_name = session.child.match.group(1)
        session.expect(words("So, how are you?"))
        intro = flat(session.output[session.output.index("Initializing"):])
        assert f"{os_name} › Hi, Theodore." in intro  # private → the quieter opener
        assert "I'm an AI" in intro
        assert "help with organizing your email" in intro  # the user's words, addressed to them
        session.ready()
        assert session.quit() == 0
    finally:
        session.close()

    # every question was asked exactly once more than it was re-asked, in order
    out = session.output
    positions = [out.index(q) for q in QUESTION_PROMPTS]
    assert positions == sorted(positions), out
    assert out.count(QUESTION_PROMPTS[0]) == 2
    assert out.count(QUESTION_PROMPTS[4]) == 2
    assert "Traceback" not in out

    status = run(tmp_path, "status", "--no-check")
    assert status.returncode == 0, describe(status)
    assert f"set up: {os_name} with Theodore" in status.stdout, describe(status)

    profile = export(tmp_path).profile
    assert profile["user_name"] == "Theodore"
    assert profile["os_name"] == os_name
    assert profile["sociability"] == "private"
    assert profile["mother"] is None  # skipped, not stored as ""
    assert profile["voice"] == "female"
    assert profile["wants_help_with"] == "organizing my email"


def test_first_boot_os_chooses_a_name_from_its_list(tmp_path: Path) -> None:
    """With the (echoing) scripted brain the brain's answer is no first name, so the OS must
    pick one of the names it "read" for the chosen voice — never a word of the brain's sentence."""
    session = Session(tmp_path)
    try:
        boot = answer_interview(session, user="Amelia", voice="a male voice please")
        session.ready()
        assert session.quit() == 0
    finally:
        session.close()
    assert boot.os_name in NAMES["male"], (
        f"the OS called itself {boot.os_name!r}, not one of the male names {NAMES['male']}:\n"
        f"{session.output}"
    )
    status = run(tmp_path, "status", "--no-check")
    assert f"set up: {boot.os_name} with Amelia" in status.stdout, describe(status)


def test_first_boot_a_capable_brain_names_the_os(tmp_path: Path) -> None:
    script = write_script(tmp_path / "script.json", ["Nova."])
    session = Session(tmp_path, OS1_SCRIPT=str(script))
    try:
        boot = answer_interview(session, user="Theodore")
        session.ready()
        assert session.quit() == 0
    finally:
        session.close()
    assert boot.os_name == "Nova", session.output
    assert "Nova › Hello Theodore, it's so nice to meet you. I'm Nova." in flat(session.output)


def test_first_boot_stopped_midway_saves_nothing(tmp_path: Path) -> None:
    session = Session(tmp_path)
    try:
        session.expect_exact(QUESTION_PROMPTS[0])
        session.sendline("Theodore")
        session.expect_exact(QUESTION_PROMPTS[1])
        session.sendline("social")
        session.expect_exact(QUESTION_PROMPTS[2])
        session.child.sendeof()  # Ctrl-D in the middle of the interview
        session.expect_exact("Setup stopped; nothing was saved.")
        assert session.wait() == 1
    finally:
        session.close()
    assert "Traceback" not in session.output
    assert PROMPT not in session.output

    status = run(tmp_path, "status", "--no-check")
    assert status.returncode == 0, describe(status)
    assert "not set up yet" in status.stdout, describe(status)

    # the next start asks again from the beginning
    again = Session(tmp_path)
    try:
        boot = answer_interview(again, user="Theodore")
        again.ready()
        assert again.quit() == 0
    finally:
        again.close()
    assert f"set up: {boot.os_name} with Theodore" in run(tmp_path, "status", "--no-check").stdout
