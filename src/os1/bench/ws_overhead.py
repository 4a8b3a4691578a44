"""Benchmark: what the server adds to a turn, with many people talking at once.

A real ``os1 serve`` runs in a subprocess on a free loopback port with the
scripted brain (replies cost no compute) and the pattern router, in a
throw-away ``OS1_HOME``. After first boot over HTTP, ``conversations``
WebSocket clients each open their own conversation and send ``turns``
messages at a human pace (a seeded random think-time between turns). The
time from sending a message to receiving its ``done`` event is therefore the
server's overhead per turn: protocol, auth, locking, storage and the turn loop.

Everything is bounded by a global timeout, after which unfinished turns count
as errors and the server is stopped. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

HOST = "127.0.0.1"
SERVER_CODE = "import sys; from os1.server.app import main; sys.exit(main())"
MESSAGES = (
    "hi, how are you today?",
    "I had a long day at work and I'm a bit tired",
    "tell me something interesting",
    "what time is it",
    "I keep thinking about that letter I need to write",
    "do you ever get bored?",
    "let's talk about music for a while",
    "thanks, that helps",
)
BOOT_ANSWERS = {
    "user_name": "Bench", "sociability": "social", "mother": None,
    "wants_help_with": "testing", "voice": "female",
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    for name in ("OS1_SCRIPT", "OS1_SCRIPT_DELAY", "OS1_TOKEN"):
        env.pop(name, None)
    env.update(OS1_HOME=str(home), OS1_BRAIN="scripted", OS1_ROUTER="patterns")
    log = (home / "server.log").open("wb")
    try:
        return subprocess.Popen(
            [sys.executable, "-c", SERVER_CODE, "--host", HOST, "--port", str(port)],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    finally:
        log.close()


def _stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _server_log(home: Path) -> str:
    with contextlib.suppress(OSError):
        return (home / "server.log").read_text(errors="replace")[-2000:]
    return ""


def _wait_ready(process: subprocess.Popen[bytes], url: str, home: Path, deadline: float) -> str:
    """Wait for /v1/health, boot the OS, and return the token."""
    with httpx.Client(base_url=url, timeout=5, trust_env=False) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the OS1 server exited during startup:\n{_server_log(home)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the OS1 server did not start in time:\n{_server_log(home)}")
            try:
                if client.get("/v1/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        token = (home / "server_token").read_text().strip()
        response = client.post("/v1/boot", json={"answers": BOOT_ANSWERS},
                               headers={"Authorization": f"Bearer {token}"})
        if response.status_code != 200:
            raise RuntimeError(f"first boot failed: HTTP {response.status_code} {response.text}")
    return token


class _Tally:
    def __init__(self) -> None:
        self.round_trips_ms: list[float] = []
        self.turns_ok = 0
        self.errors = 0


async def _talk(index: int, ws_url: str, token: str, turns: int, think_s: tuple[float, float],
                seed: int, turn_timeout_s: float, tally: _Tally) -> None:
    rng = random.Random(seed * 100_003 + index)
    remaining = turns
    try:
        async with websockets.connect(
            ws_url, additional_headers={"Authorization": f"Bearer {token}"},
            proxy=None, open_timeout=turn_timeout_s, max_size=2**24,
        ) as ws:
            ready = json.loads(await asyncio.wait_for(ws.recv(), turn_timeout_s))
            if ready.get("type") != "ready":
                raise RuntimeError(f"not ready: {ready}")
            for _ in range(turns):
                await asyncio.sleep(rng.uniform(*think_s))
                text = rng.choice(MESSAGES)
                start = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "text": text}))
                async with asyncio.timeout(turn_timeout_s):
                    while True:
                        event = json.loads(await ws.recv())
                        if event.get("type") == "error":
                            raise RuntimeError(event.get("text"))
                        if event.get("type") == "done":
                            break
                elapsed_ms = (time.perf_counter() - start) * 1000
                remaining -= 1
                if event.get("status") == "complete":
                    tally.round_trips_ms.append(elapsed_ms)
                    tally.turns_ok += 1
                else:
                    tally.errors += 1
    except (Exception, asyncio.CancelledError):
        tally.errors += max(remaining, 1)  # every turn that never completed
        raise


async def _drive(url: str, token: str, conversations: int, turns: int,
                 think_s: tuple[float, float], seed: int, deadline: float,
                 turn_timeout_s: float) -> _Tally:
    tally = _Tally()
    ws_url = url.replace("http://", "ws://", 1) + "/v1/ws?conversation=new"
    tasks = [
        asyncio.create_task(_talk(i, ws_url, token, turns, think_s, seed, turn_timeout_s, tally))
        for i in range(conversations)
    ]
    _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return tally


def run(
    conversations: int = 200,
    turns: int = 5,
    *,
    think_s: tuple[float, float] = (0.2, 1.0),
    seed: int = 1,
    timeout_s: float = 180.0,
    turn_timeout_s: float = 30.0,
) -> dict[str, Any]:
    """Measure per-turn server overhead over WebSockets; see the module docstring."""
    started = time.monotonic()
    deadline = started + timeout_s
    with tempfile.TemporaryDirectory(prefix="os1-bench-ws-") as tmp:
        home = Path(tmp)
        port = _free_port()
        url = f"http://{HOST}:{port}"
        process = _start_server(home, port)
        try:
            token = _wait_ready(process, url, home, min(deadline, started + 60))
            tally = asyncio.run(_drive(url, token, conversations, turns, think_s, seed,
                                       deadline, turn_timeout_s))
        finally:
            _stop_server(process)
    p50 = _percentile(tally.round_trips_ms, 50)
    p99 = _percentile(tally.round_trips_ms, 99)
    return {
        "ws_overhead_p50_ms": round(p50, 2) if p50 is not None else None,
        "ws_overhead_p99_ms": round(p99, 2) if p99 is not None else None,
        "ws_turns": tally.turns_ok,
        "ws_conversations": conversations,
        "ws_errors": tally.errors,
    }


if __name__ == "__main__":
    print(json.dumps(run()))
