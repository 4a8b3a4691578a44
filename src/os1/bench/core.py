"""``os1 bench core``: cold start to first token, embedded generation speed, server overhead per turn.

- cold start: a fresh ``os1 say`` process with the embedded brain, timed from
  launch to the first byte of the streamed reply (median of several runs);
- tokens/s: embedded SmolLM2 generation speed after the first token;
- WebSocket overhead: see :mod:`os1.bench.ws_overhead`; once at stress pace (0.2–1.0 s between
  turns, the reported keys) and once at the pace of people typing (5–15 s, ``ws_human_pace_*``).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from os1.brain.base import Message, TextDelta
from os1.brain.embedded import EmbeddedBrain
from os1.core.config import load_settings
from os1.persona.interview import build_profile

BOOT_ANSWERS = {"user_name": "Theodore", "sociability": "private", "mother": "",
                "wants_help_with": "letters", "voice": "female"}


def _prepared_home() -> Path:
    from os1.storage.sqlite import open_store

    home = Path(tempfile.mkdtemp(prefix="os1-bench-"))
    store = open_store(load_settings(home).db_path)
    profile = build_profile(BOOT_ANSWERS)
    profile.os_name = "Samantha"
    profile.save(store.profile)
    store.close()
    return home


def cold_start(runs: int = 3, message: str = "Hello! How are you today?") -> dict[str, Any]:
    home = _prepared_home()
    env = {**os.environ, "OS1_HOME": str(home), "OS1_BRAIN": "embedded"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "os1", "say", message], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        first = proc.stdout.read(1)
        elapsed = time.perf_counter() - start
        proc.stdout.read()
        proc.wait(timeout=120)
        if first:
            times.append(elapsed)
    return {"cold_start_first_token_s": round(statistics.median(times), 3) if times else None,
            "cold_start_max_s": round(max(times), 3) if times else None,
            "cold_start_runs": len(times)}


async def _generate(brain: EmbeddedBrain, prompt: str) -> tuple[int, float]:
    messages = [Message("system", "You are a storyteller."), Message("user", prompt)]
    count, first_at = 0, 0.0
    async for delta in brain.stream(messages):
        if isinstance(delta, TextDelta):
            count += 1
            if count == 1:
                first_at = time.perf_counter()
    return count - 1, time.perf_counter() - first_at


def tokens_per_second(runs: int = 3, max_tokens: int = 200) -> dict[str, Any]:
    brain = EmbeddedBrain(load_settings().brain)
    brain.max_reply_tokens = max_tokens
    rates = []
    for i in range(runs):
        tokens, seconds = asyncio.run(_generate(
            brain, f"Tell me a long story about a lighthouse keeper, number {i}."))
        if tokens > 10 and seconds > 0:
            rates.append(tokens / seconds)
    return {"tokens_per_s": round(statistics.median(rates), 1) if rates else None}


def run(conversations: int = 200, turns: int = 5) -> dict[str, Any]:
    from os1.bench import ws_overhead

    result: dict[str, Any] = {}
    result.update(cold_start())
    result.update(tokens_per_second())
    # stress: 0.2-1.0 s between turns, ~330 turns/s in all (the reported ws_overhead_* keys)
    result.update(ws_overhead.run(conversations=conversations, turns=turns))
    # people typing: 5-15 s between turns, ~20 turns/s in all
    human = ws_overhead.run(conversations=conversations, turns=3, think_s=(5.0, 15.0))
    result["ws_human_pace_p50_ms"] = human["ws_overhead_p50_ms"]
    result["ws_human_pace_p99_ms"] = human["ws_overhead_p99_ms"]
    return result
