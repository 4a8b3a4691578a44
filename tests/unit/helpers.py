"""Helpers for unit tests: a booted runtime with the scripted brain."""

from __future__ import annotations

from typing import Any

from os1.brain.scripted import ScriptedBrain
from os1.core.config import load_settings
from os1.core.conversation import Conversation
from os1.core.events import to_dict
from os1.core.runtime import Runtime, open_runtime
from os1.persona.interview import build_profile

ANSWERS = {"user_name": "Theodore", "sociability": "private", "mother": "",
           "wants_help_with": "my letters", "voice": "female"}


def make_runtime(replies: list[Any] | None = None, router: str = "patterns",
                 booted: bool = True, **brain_kw: Any) -> Runtime:
    import os

    os.environ["OS1_ROUTER"] = router
    runtime = open_runtime(load_settings(), brain=ScriptedBrain(replies=replies or [], **brain_kw))
    if booted:
        profile = build_profile(ANSWERS)
        profile.os_name = "Samantha"
        runtime.save_profile(profile)
    return runtime


async def run_turn(conversation: Conversation, text: str | bytes) -> list[dict[str, Any]]:
    return [to_dict(e) async for e in conversation.turn(text)]


def reply_text(events: list[dict[str, Any]]) -> str:
    return "".join(e["text"] for e in events if e["type"] == "text")
