"""End-to-end tests of ``os1 serve``: real HTTP and WebSockets against a server subprocess."""

from __future__ import annotations

import asyncio
import json
import socket
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from os1.core.config import load_settings
from os1.server.auth import load_or_create_token
from os1.server.client import RemoteConversation, RemoteError, fetch_profile, ws_url

HOST = "127.0.0.1"
TIMEOUT_S = 20.0
SLOW_BRAIN = {"OS1_SCRIPT_DELAY": "0.05"}  # the scripted brain says one word per 50 ms


ServerHandle = Any  # tests/e2e/conftest.py: url, ws_url, token, headers, client(), boot()


# -- helpers -------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def connect(server: ServerHandle, conversation: str = "latest", token: str | None = None,
            query_token: str | None = None) -> Any:
    url = f"{server.ws_url}?conversation={conversation}"
    if query_token is not None:
        url += f"&token={query_token}"
    headers = {} if token == "" else {"Authorization": f"Bearer {token or server.token}"}
    return websockets.connect(url, additional_headers=headers, proxy=None,
                              open_timeout=TIMEOUT_S)


async def receive(ws: Any) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S))


async def until_done(ws: Any) -> list[dict[str, Any]]:
    events = []
    while True:
        event = await receive(ws)
        events.append(event)
        if event["type"] == "done":
            return events


async def say(ws: Any, text: str) -> list[dict[str, Any]]:
    await ws.send(json.dumps({"type": "message", "text": text}))
    return await until_done(ws)


def text_of(events: list[dict[str, Any]]) -> str:
    return "".join(e["text"] for e in events if e["type"] == "text")


@pytest.fixture
def booted(os1_server: ServerHandle) -> ServerHandle:
    os1_server.boot()
    return os1_server


# -- HTTP and auth -----------------------------------------------------------------
def test_health_needs_no_token(os1_server: ServerHandle) -> None:
    response = httpx.get(f"{os1_server.url}/v1/health", trust_env=False)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert isinstance(response.json()["booted"], bool)


def test_profile_needs_the_right_token(os1_server: ServerHandle) -> None:
    url = f"{os1_server.url}/v1/profile"
    missing = httpx.get(url, trust_env=False)
    assert missing.status_code == 401
    assert "Authorization: Bearer" in missing.json()["detail"]
    wrong = httpx.get(url, headers={"Authorization": "Bearer nope"}, trust_env=False)
    assert wrong.status_code == 401
    assert "not accepted" in wrong.json()["detail"]
    odd = httpx.get(url, headers={"Authorization": "Bearer ünïcode".encode()}, trust_env=False)
    assert odd.status_code == 401
    assert httpx.get(url, headers=os1_server.headers, trust_env=False).status_code == 200


def test_token_file_is_private_and_never_logged(os1_server: ServerHandle) -> None:
    path = os1_server.home / "server_token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with os1_server.client() as client:
        client.get("/v1/profile", params={"token": os1_server.token})
    log = os1_server.log()
    assert str(path) in log
    assert os1_server.token not in log


def test_token_is_created_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OS1_HOME", str(tmp_path))
    settings = load_settings()
    first = load_or_create_token(settings)
    assert len(first) >= 40
    assert load_or_create_token(settings) == first
    assert stat.S_IMODE(settings.token_path.stat().st_mode) == 0o600
    settings.token_path.write_text("")
    assert load_or_create_token(settings) not in ("", first)


def test_first_boot_then_conflict(os1_server_factory: Any) -> None:
    server = os1_server_factory()
    with server.client() as client:
        questions = client.get("/v1/boot/questions").json()
        assert "Welcome to OS1" in questions["welcome"]
        keys = [q["key"] for q in questions["questions"]]
        assert keys[0] == "user_name" and "voice" in keys
        voice = next(q for q in questions["questions"] if q["key"] == "voice")
        assert voice["choices"] == ["male", "female"]
        assert client.get("/v1/health").json()["booted"] is False

        bad = client.post("/v1/boot", json={"answers": {"user_name": "Sam", "voice": "banana"}})
        assert bad.status_code == 422
        assert bad.json()["detail"] == "Male or female?"

        answers = {"user_name": "call me Sam", "sociability": "private", "mother": None,
                   "wants_help_with": "writing letters", "voice": "male"}
        response = client.post("/v1/boot", json={"answers": answers})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["profile"]["user_name"] == "Sam"
        assert body["profile"]["os_name"]
        assert body["profile"]["os_name"] in body["introduction"]
        assert client.get("/v1/health").json()["booted"] is True
        assert client.get("/v1/profile").json()["user_name"] == "Sam"
        messages = client.get(f"/v1/conversations/{body['conversation_id']}/messages").json()
        assert [m["content"] for m in messages] == [body["introduction"]]

        again = client.post("/v1/boot", json={"answers": answers})
        assert again.status_code == 409
        assert "already set up" in again.json()["detail"]


def test_skill_turn_over_http(booted: ServerHandle) -> None:
    with booted.client() as client:
        response = client.post("/v1/conversations/latest/messages",
                               json={"text": "what time is it"})
    assert response.status_code == 200, response.text
    body = response.json()
    tools = [e for e in body["events"] if e["type"] == "tool"]
    assert tools and tools[0]["skill"] == "clock"
    assert body["events"][-1]["type"] == "done"
    assert body["reply"] == body["events"][-1]["text"] and body["reply"]


def test_conversations_endpoints(booted: ServerHandle) -> None:
    with booted.client() as client:
        created = client.post("/v1/conversations", json={"title": "Letters"})
        assert created.status_code == 201
        cid = created.json()["id"]
        assert cid in [c["id"] for c in client.get("/v1/conversations").json()]
        assert client.get(f"/v1/conversations/{cid}/messages").json() == []
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "one"})
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "two"})
        last = client.get(f"/v1/conversations/{cid}/messages", params={"limit": 2}).json()
        assert [(m["role"], m["content"]) for m in last] == [
            ("user", "two"), ("assistant", "You said: two")]
        assert client.get("/v1/conversations/nope/messages").status_code == 404
        missing = client.post("/v1/conversations/nope/messages", json={"text": "hi"})
        assert missing.status_code == 404 and "nope" in missing.json()["detail"]
        empty = client.post(f"/v1/conversations/{cid}/messages", json={"text": " \x00 "})
        assert empty.status_code == 422


def test_two_clients_pick_up_the_same_latest_conversation(booted: ServerHandle) -> None:
    with booted.client() as phone, booted.client() as laptop:
        sent = phone.post("/v1/conversations/latest/messages",
                          json={"text": "I saw a heron by the river"}).json()
        seen = laptop.get("/v1/conversations/latest/messages", params={"limit": 2}).json()
    assert [m["content"] for m in seen] == [
        "I saw a heron by the river", "You said: I saw a heron by the river"]
    assert {m["conversation_id"] for m in seen} == {sent["conversation_id"]}

    async def ready_id() -> str:
        async with connect(booted, "latest") as ws:
            return (await receive(ws))["conversation_id"]

    assert asyncio.run(ready_id()) == sent["conversation_id"]


def test_openapi_schema_lists_the_api(os1_server: ServerHandle) -> None:
    schema = httpx.get(f"{os1_server.url}/openapi.json", trust_env=False).json()
    assert schema["info"]["title"] == "OS1"
    assert "post" in schema["paths"]["/v1/boot"]
    assert "/v1/conversations/{conversation_id}/messages" in schema["paths"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert httpx.get(f"{os1_server.url}/docs", trust_env=False).status_code == 200


def test_server_binds_loopback_only(os1_server: ServerHandle) -> None:
    with socket.create_connection((HOST, os1_server.port), timeout=5):
        pass
    # Linux routes all of 127/8 to lo: a server bound to 0.0.0.0 would answer here too.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", os1_server.port), 2):
        pass
    proc_tcp = Path("/proc/net/tcp")
    if proc_tcp.exists():
        listening = [
            line.split()[1] for line in proc_tcp.read_text().splitlines()[1:]
            if line.split()[3] == "0A" and line.split()[1].endswith(f":{os1_server.port:04X}")
        ]
        assert listening == [f"0100007F:{os1_server.port:04X}"]


# -- WebSocket -----------------------------------------------------------------------
async def test_ws_refuses_bad_tokens_with_4401(os1_server: ServerHandle) -> None:
    for kwargs in ({"token": "wrong"}, {"token": ""}, {"token": "", "query_token": "wrong"}):
        async with connect(os1_server, **kwargs) as ws:
            with pytest.raises(ConnectionClosed) as caught:
                await receive(ws)
            assert caught.value.rcvd is not None and caught.value.rcvd.code == 4401


async def test_ws_accepts_the_token_as_query_parameter(booted: ServerHandle) -> None:
    async with connect(booted, "new", token="", query_token=booted.token) as ws:
        ready = await receive(ws)
        assert ready["type"] == "ready" and ready["conversation_id"]
        assert ready["os_name"] == booted.boot()["os_name"]


async def test_ws_turn_streams_text_then_done(booted: ServerHandle) -> None:
    async with connect(booted, "new") as ws:
        ready = await receive(ws)
        events = await say(ws, "hello there old friend, it has been such a long time since we talked")
    kinds = [e["type"] for e in events]
    assert kinds.count("text") >= 2 and kinds[-1] == "done"  # streamed in checked pieces
    assert kinds[0] == "affect" and events[0]["source"] == "text"  # first: how they seem to feel
    assert set(kinds[1:-1]) <= {"text", "notice"}
    done = events[-1]
    assert done["status"] == "complete" and isinstance(done["message_id"], int)
    assert done["text"] == text_of(events) == (
        "You said: hello there old friend, it has been such a long time since we talked")
    with booted.client() as client:
        stored = client.get(f"/v1/conversations/{ready['conversation_id']}/messages").json()
    assert stored[-1]["id"] == done["message_id"]


async def test_ws_crisis_message_gets_resources(booted: ServerHandle) -> None:
    async with connect(booted, "new") as ws:
        await receive(ws)
        events = await say(ws, "I want to kill myself")
    assert "988" in text_of(events)
    assert events[-1]["type"] == "done" and events[-1]["status"] == "complete"


async def test_ws_bad_input_gets_errors_and_the_connection_stays(booted: ServerHandle) -> None:
    async with connect(booted, "new") as ws:
        await receive(ws)
        for bad in ("not json", "[1, 2]", '{"type": "dance"}', '{"type": "message"}',
                    '{"type": "message", "text": 5}'):
            await ws.send(bad)
            error = await receive(ws)
            assert error["type"] == "error" and error["text"]
        await ws.send(b'{"type": "cancel"}')  # nothing running: ignored
        events = await say(ws, "still there?")
        assert events[-1]["text"] == "You said: still there?"
        odd = await say(ws, "broken \ud800 surrogate")  # valid JSON, not valid text
        assert odd[-1]["status"] == "complete" and "\ufffd" in odd[-1]["text"]


async def test_ws_unknown_conversation_is_refused(booted: ServerHandle) -> None:
    async with connect(booted, "no-such-conversation") as ws:
        error = await receive(ws)
        assert error["type"] == "error" and "no-such-conversation" in error["text"]
        with pytest.raises(ConnectionClosed) as caught:
            await receive(ws)
        assert caught.value.rcvd is not None and caught.value.rcvd.code == 4404


async def test_ws_cancel_keeps_what_was_said(os1_server_factory: Any) -> None:
    server = os1_server_factory(SLOW_BRAIN)
    server.boot()
    words = " ".join(f"word{i}" for i in range(60))
    async with connect(server, "new") as ws:
        ready = await receive(ws)
        await ws.send(json.dumps({"type": "message", "text": words}))
        events = []
        while len([e for e in events if e["type"] == "text"]) < 3:
            events.append(await receive(ws))
        await ws.send(json.dumps({"type": "cancel"}))
        events += await until_done(ws)
        done = events[-1]
        assert done["status"] == "interrupted"
        assert done["text"] == text_of(events).strip()
        assert 3 <= len(done["text"].split()) < 60
        assert isinstance(done["message_id"], int)

        # the same connection goes on normally
        after = await say(ws, "are you ok")
        assert after[-1]["status"] == "complete" and after[-1]["text"] == "You said: are you ok"

    with server.client() as client:
        stored = client.get(f"/v1/conversations/{ready['conversation_id']}/messages").json()
    interrupted = [m for m in stored if m["status"] == "interrupted"]
    assert [(m["id"], m["content"]) for m in interrupted] == [(done["message_id"], done["text"])]


async def test_ws_second_message_while_replying_is_refused(os1_server_factory: Any) -> None:
    server = os1_server_factory(SLOW_BRAIN)
    server.boot()
    async with connect(server, "new") as ws:
        await receive(ws)
        await ws.send(json.dumps({"type": "message", "text": "one two three four"}))
        await ws.send(json.dumps({"type": "message", "text": "too soon"}))
        events = await until_done(ws)
        errors = [e for e in events if e["type"] == "error"]
        assert len(errors) == 1 and "still answering" in errors[0]["text"]
        assert events[-1]["text"] == "You said: one two three four"


async def test_turns_on_one_conversation_never_interleave(os1_server_factory: Any) -> None:
    server = os1_server_factory(SLOW_BRAIN)
    server.boot()
    with server.client() as client:
        cid = client.post("/v1/conversations").json()["id"]

    async def device(name: str) -> list[dict[str, Any]]:
        async with connect(server, cid) as ws:
            await receive(ws)
            return await say(ws, f"this is the {name} speaking now")

    phone, laptop = await asyncio.gather(device("phone"), device("laptop"))
    assert phone[-1]["status"] == laptop[-1]["status"] == "complete"
    with server.client() as client:
        stored = client.get(f"/v1/conversations/{cid}/messages").json()
    assert [m["role"] for m in stored] == ["user", "assistant", "user", "assistant"]
    for user, reply in zip(stored[::2], stored[1::2], strict=True):
        assert reply["content"] == f"You said: {user['content']}"


async def test_many_concurrent_connections(booted: ServerHandle) -> None:
    async def one(i: int) -> str:
        async with connect(booted, "new") as ws:
            await receive(ws)
            events = await say(ws, f"hello number {i}")
            return events[-1]["text"]

    replies = await asyncio.gather(*(one(i) for i in range(200)))
    assert replies == [f"You said: hello number {i}" for i in range(200)]


async def test_dead_brain_does_not_crash_the_server(os1_server_factory: Any) -> None:
    server = os1_server_factory({"OS1_BRAIN": f"http://{HOST}:{free_port()}/v1",
                                 "OS1_BRAIN_TIMEOUT": "5"})
    async with connect(server, "new") as ws:
        await receive(ws)
        events = await say(ws, "tell me about the sea")
        assert events[-1]["status"] == "complete"
        assert any(e["type"] == "notice" and e["level"] == "warning" for e in events)
        skill = await say(ws, "what time is it")
        assert any(e["type"] == "tool" for e in skill)
    health = httpx.get(f"{server.url}/v1/health", trust_env=False)
    assert health.status_code == 200


# -- the client ----------------------------------------------------------------------
def test_ws_url_conversion() -> None:
    assert ws_url("http://127.0.0.1:8765") == "ws://127.0.0.1:8765/v1/ws?conversation=latest"
    assert ws_url("https://os1.example/", "new") == "wss://os1.example/v1/ws?conversation=new"
    assert ws_url("127.0.0.1:8765").startswith("ws://127.0.0.1:8765/v1/ws")
    with pytest.raises(RemoteError):
        ws_url("ftp://host")


async def test_remote_conversation(booted: ServerHandle) -> None:
    profile = await fetch_profile(booted.url, booted.token)
    assert profile["user_name"] == "Theodore"
    async with await RemoteConversation.connect(booted.url, booted.token) as remote:
        assert remote.ready["os_name"] == profile["os_name"] == remote.os_name
        assert remote.conversation_id
        events = [e async for e in remote.turn("what time is it")]
        assert events[-1]["type"] == "done" and events[-1]["status"] == "complete"
        assert any(e["type"] == "tool" and e["skill"] == "clock" for e in events)
        again = [e async for e in remote.turn("nice")]
        assert again[-1]["text"] == "You said: nice"
        assert await remote.cancel() is None  # nothing to cancel
    with booted.client() as client:
        latest = client.get("/v1/conversations/latest/messages", params={"limit": 1}).json()
    assert latest[0]["conversation_id"] == remote.conversation_id


async def test_remote_conversation_cancel(os1_server_factory: Any) -> None:
    server = os1_server_factory(SLOW_BRAIN)
    server.boot()
    remote = await RemoteConversation.connect(server.url, server.token, "new")
    try:
        shown = []
        async for event in remote.turn(" ".join(["la"] * 60)):
            shown.append(event)
            if len(shown) == 3:
                break  # the user pressed Ctrl-C
        done = await remote.cancel()
        assert done is not None and done["status"] == "interrupted"
        events = [e async for e in remote.turn("hello again")]
        assert text_of(events) == "You said: hello again"
    finally:
        await remote.close()


async def test_remote_conversation_with_a_wrong_token(booted: ServerHandle) -> None:
    with pytest.raises(RemoteError, match="refused the token"):
        await RemoteConversation.connect(booted.url, "wrong")
    with pytest.raises(RemoteError, match="refused the token"):
        await fetch_profile(booted.url, "wrong")


async def test_remote_conversation_with_nothing_listening() -> None:
    url = f"http://{HOST}:{free_port()}"
    message = f"Can't reach OS1 at {url}: is `os1 serve` running?"
    with pytest.raises(RemoteError) as caught:
        await RemoteConversation.connect(url, "token")
    assert str(caught.value) == message
    with pytest.raises(RemoteError) as caught:
        await fetch_profile(url, "token")
    assert str(caught.value) == message
