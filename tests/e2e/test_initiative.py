"""OS1 speaks up on its own: a reminder that falls due reaches an open chat and every WebSocket,
even though the user asked nothing right then; one missed while OS1 was closed is said as missed."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import websockets

from os1.initiative.outbox import Outbox
from os1.storage.sqlite import open_store
from tests.e2e.cli_helpers import Session, first_boot, make_env

TIMEOUT_S = 20.0
FAST_POLL = {"OS1_INITIATIVE_POLL_S": "0.5"}  # another process's nudges are noticed within 0.5 s


def _schedule(home: Path, in_s: float, text: str, kind: str = "reminder") -> int:
    """Schedule a nudge from outside the running OS1, as another process would."""
    store = open_store(home / "os1.db")
    try:
        return Outbox(store).schedule(time.time() + in_s, text, kind=kind, source="test").id
    finally:
        store.close()


def test_a_reminder_appears_in_the_open_chat_while_the_user_is_at_the_prompt(tmp_path: Path) -> None:
    boot, _ = first_boot(tmp_path)
    session = Session(tmp_path, env=make_env(tmp_path, **FAST_POLL))
    try:
        session.ready()
        _schedule(tmp_path, 1.0, "It's time to call Amy.")
        session.expect_exact(f"{boot.os_name} › 🔔 It's time to call Amy.", timeout=TIMEOUT_S)
        session.prompt()  # shown above the prompt, which comes back
        shown = session.say("hello there")  # the chat goes on as before
        assert "You said: hello there" in shown
        assert session.quit() == 0
    finally:
        session.close()
    store = open_store(tmp_path / "os1.db")
    try:
        [said] = Outbox(store).history()
        assert said.delivered_to == "terminal"
        latest = store.conversations.latest()
        assert latest is not None
        assert "It's time to call Amy." in [m.content for m in store.conversations.messages(latest.id)]
    finally:
        store.close()


def test_a_reminder_missed_while_os1_was_closed_is_said_when_it_opens(tmp_path: Path) -> None:
    first_boot(tmp_path)
    _schedule(tmp_path, -3600, "Water the plants.")
    session = Session(tmp_path, env=make_env(tmp_path, **FAST_POLL))
    try:
        session.ready()
        session.expect(r"Earlier \([^)]*\): Water the plants\.", timeout=TIMEOUT_S)
        assert session.quit() == 0
    finally:
        session.close()


def test_every_websocket_hears_the_reminder(os1_server_factory) -> None:
    server = os1_server_factory(FAST_POLL)
    server.boot()

    async def scenario() -> list[dict]:
        headers = {"Authorization": f"Bearer {server.token}"}
        async with websockets.connect(f"{server.ws_url}?conversation=latest", additional_headers=headers,
                                      proxy=None) as phone, \
                websockets.connect(f"{server.ws_url}?conversation=new", additional_headers=headers,
                                   proxy=None) as desk:
            for ws in (phone, desk):
                assert json.loads(await ws.recv())["type"] == "ready"
            _schedule(server.home, 0.5, "Wake up, it's seven.", kind="alarm")
            got = []
            for ws in (phone, desk):
                got.append(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S)))
            return got

    phone, desk = asyncio.run(scenario())
    for event in (phone, desk):
        assert event["type"] == "initiative"
        assert event["text"] == "Wake up, it's seven." and event["kind"] == "alarm"
    assert phone["message_id"] == desk["message_id"]  # said once, heard everywhere


def test_a_terminal_attached_to_a_server_hears_the_reminder_at_the_prompt(os1_server_factory,
                                                                          tmp_path: Path) -> None:
    server = os1_server_factory(FAST_POLL)
    name = server.boot()["os_name"]
    session = Session(tmp_path / "office", "chat", "--server", server.url, "--token", server.token)
    try:
        session.expect_exact("same conversation")
        session.prompt()
        _schedule(server.home, 0.5, "Your train leaves in twenty minutes.")
        session.expect_exact(f"{name} › 🔔 Your train leaves in twenty minutes.", timeout=TIMEOUT_S)
        session.prompt()
        reply = session.say("thanks")
        assert "You said: thanks" in reply and "train" not in reply  # shown once, not again in the turn
        assert session.quit() == 0
    finally:
        session.close()
