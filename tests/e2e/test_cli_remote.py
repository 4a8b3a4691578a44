"""`os1 chat --server URL`: the same conversation continued from another terminal, through a real server."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli_helpers import Session, free_port, run


def test_terminal_attached_to_a_server_continues_the_same_conversation(os1_server_factory, tmp_path: Path):
    server = os1_server_factory()
    server.boot()
    with server.client() as http:
        http.post("/v1/conversations/latest/messages", json={"text": "said on the phone"})
    other_home = tmp_path / "office"  # a different machine: its own (empty) OS1_HOME
    session = Session(other_home, "chat", "--server", server.url, "--token", server.token)
    try:
        session.expect_exact("same conversation")
        session.prompt()
        reply = session.say("said at the office")
        assert "You said: said at the office" in reply
        assert "It's " in session.say("what time is it")
        assert session.quit() == 0
    finally:
        session.close()
    with server.client() as http:
        contents = [m["content"] for m in http.get("/v1/conversations/latest/messages").json()]
    phone = contents.index("said on the phone")
    assert contents[phone + 1] == "You said: said on the phone"
    office = contents.index("said at the office")
    assert office > phone and contents[office + 1] == "You said: said at the office"


def test_attaching_with_a_wrong_token_or_to_nothing_is_one_clear_line(os1_server_factory, tmp_path: Path):
    server = os1_server_factory()
    wrong = run(tmp_path / "h1", "chat", "--server", server.url, "--token", "nope")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert "token" in wrong.stderr.lower()
    nothing = run(tmp_path / "h2", "chat", "--server", f"http://127.0.0.1:{free_port()}", "--token", "x")
    assert nothing.returncode == 1 and "Traceback" not in nothing.stderr
    assert "os1 serve" in nothing.stderr
