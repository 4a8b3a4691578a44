"""Brains: registry, scripted, the OpenAI-compatible client against a real local HTTP endpoint,
fallback when a backend is dead, and the real embedded model."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from os1.brain import registry
from os1.brain.base import BrainUnavailable, Message, TextDelta, ToolCall
from os1.brain.embedded import EmbeddedBrain
from os1.brain.openai_compatible import OpenAICompatibleBrain
from os1.brain.scripted import ScriptedBrain
from os1.core.config import BrainSettings, load_settings
from os1.core.runtime import make_brain


async def collect(brain, messages, tools=None):
    return [d async for d in brain.stream(messages, tools)]


def test_builtins_register_through_the_entry_point_hook():
    assert {"embedded", "openai-compatible", "scripted"} <= set(registry.available())
    assert isinstance(registry.create(BrainSettings(name="scripted")), ScriptedBrain)
    with pytest.raises(BrainUnavailable, match="no brain called 'nope'"):
        registry.create(BrainSettings(name="nope"))


def test_brain_selected_by_environment(monkeypatch):
    monkeypatch.setenv("OS1_BRAIN", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("OS1_BRAIN_MODEL", "llama3")
    monkeypatch.setenv("OS1_BRAIN_API_KEY", "sk-secret")
    settings = load_settings().brain
    assert (settings.name, settings.url, settings.model) == (
        "openai-compatible", "http://127.0.0.1:11434/v1", "llama3")
    assert "sk-secret" not in repr(settings)  # the key is never printed


async def test_scripted_brain_replays_queue_then_echoes():
    brain = ScriptedBrain(replies=["a b", {"tool": "clock__now"}])
    first = await collect(brain, [Message("user", "x")])
    assert "".join(d.text for d in first) == "a b"
    assert await collect(brain, [Message("user", "x")]) == [ToolCall("call_2", "clock__now", {})]
    echo = await collect(brain, [Message("user", "ping")])
    assert "".join(d.text for d in echo) == "You said: ping"


# -- a real HTTP server speaking the OpenAI chat-completions streaming protocol ----------
def _chunk(delta: dict, finish: str | None = None) -> str:
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "tiny",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n"


def fake_openai_app(received: list) -> FastAPI:
    app = FastAPI()

    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [{"id": "tiny", "object": "model", "owned_by": "me"}]}

    @app.post("/v1/chat/completions")
    async def complete(request: Request):
        body = await request.json()
        received.append({"body": body, "auth": request.headers.get("authorization")})
        if body["model"] != "tiny":
            return JSONResponse({"error": {"message": "no such model"}}, status_code=404)

        def events():
            if body.get("tools") and body["messages"][-1]["role"] == "user":
                call = {"index": 0, "id": "call_9", "type": "function",
                        "function": {"name": "clock__now", "arguments": ""}}
                yield _chunk({"role": "assistant", "tool_calls": [call]})
                yield _chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]})
                yield _chunk({}, "tool_calls")
            else:
                for word in ["Hello", " from", " the", " endpoint"]:
                    yield _chunk({"content": word})
                yield _chunk({}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    received: list = []
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake_openai_app(received), host="127.0.0.1", port=port,
                                           log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1", received
    server.should_exit = True
    thread.join(5)


async def test_openai_compatible_streams_text_and_sends_the_key(endpoint):
    url, received = endpoint
    brain = OpenAICompatibleBrain(BrainSettings(name="openai-compatible", url=url, api_key="k-123"))
    deltas = await collect(brain, [Message("system", "s"), Message("user", "hi")])
    assert "".join(d.text for d in deltas if isinstance(d, TextDelta)) == "Hello from the endpoint"
    assert brain.model == "tiny"  # first listed model when none is configured
    assert received[-1]["auth"] == "Bearer k-123"
    await brain.aclose()


async def test_openai_compatible_tool_calls_are_assembled(endpoint):
    url, received = endpoint
    brain = OpenAICompatibleBrain(BrainSettings(name="openai-compatible", url=url, model="tiny"))
    tools = [{"type": "function", "function": {"name": "clock__now", "parameters": {"type": "object"}}}]
    deltas = await collect(brain, [Message("user", "time?")], tools)
    assert deltas == [ToolCall("call_9", "clock__now", {})]
    assert received[-1]["body"]["tools"] == tools
    # the tool result goes back in OpenAI's format
    followup = [Message("user", "time?"), Message("assistant", "", (deltas[0],)),
                Message("tool", "It's noon.", tool_call_id="call_9")]
    text = await collect(brain, followup, tools)
    assert "".join(d.text for d in text) == "Hello from the endpoint"
    sent = received[-1]["body"]["messages"]
    assert sent[1]["tool_calls"][0]["function"]["name"] == "clock__now"
    assert sent[2] == {"role": "tool", "content": "It's noon.", "tool_call_id": "call_9"}
    await brain.aclose()


async def test_wrong_model_and_dead_endpoint_give_clear_messages(endpoint):
    url, _ = endpoint
    wrong = OpenAICompatibleBrain(BrainSettings(name="openai-compatible", url=url, model="huge"))
    with pytest.raises(BrainUnavailable, match="no model 'huge'"):
        await collect(wrong, [Message("user", "hi")])
    dead = OpenAICompatibleBrain(BrainSettings(
        name="openai-compatible", url=f"http://127.0.0.1:{free_port()}/v1", model="x", timeout_s=3))
    with pytest.raises(BrainUnavailable, match="can't reach"):
        await collect(dead, [Message("user", "hi")])


def test_missing_url_and_fallback_to_embedded():
    brain, notice = make_brain(BrainSettings(name="openai-compatible"))
    assert isinstance(brain, EmbeddedBrain)
    assert "OS1_BRAIN_URL" in notice and "built-in brain instead" in notice


def test_missing_model_file_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("OS1_GGUF", str(tmp_path / "missing.gguf"))
    brain, notice = make_brain(BrainSettings())
    assert brain is None
    assert "not a file" in notice and "can still use my skills" in notice


@pytest.mark.model
async def test_real_embedded_model_streams_a_reply():
    brain = EmbeddedBrain(BrainSettings())
    brain.max_reply_tokens = 24
    messages = [Message("system", "You are Samantha, a warm AI."), Message("user", "Say hello to Theodore.")]
    started = time.perf_counter()
    deltas = await collect(brain, messages)
    assert len(deltas) >= 2 and all(isinstance(d, TextDelta) for d in deltas)
    assert "".join(d.text for d in deltas).strip()
    assert time.perf_counter() - started < 60
    assert 0 < brain.count_tokens("hello world") < 10


@pytest.mark.model
async def test_real_embedded_model_stops_when_the_listener_leaves():
    brain = EmbeddedBrain(BrainSettings())
    brain.max_reply_tokens = 200
    stream = brain.stream([Message("user", "Tell me a very long story.")])
    async for _ in stream:
        break
    await stream.aclose()
    # the model is free again: a new request completes
    brain.max_reply_tokens = 5
    assert await asyncio.wait_for(collect(brain, [Message("user", "hi")]), 30)
