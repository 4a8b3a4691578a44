"""Fixtures for end-to-end tests against a real ``os1 serve`` in a subprocess.

``os1_server`` is one server per test module (fresh ``OS1_HOME``, scripted
brain, pattern router, a free 127.0.0.1 port), not booted at first: call
``os1_server.boot()`` when a test needs the profile. ``os1_server_factory``
starts extra servers with their own environment (for example a slow brain).
Every server is stopped, and killed if it will not stop, at teardown.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
BOOT_ANSWERS: dict[str, str | None] = {
    "user_name": "Theodore",
    "sociability": "private",
    "mother": None,
    "wants_help_with": "organising my work",
    "voice": "female",
}
# ``-c`` rather than ``-m os1.server.app`` so the module is imported once, by its own name
SERVER_CODE = "import sys; from os1.server.app import main; sys.exit(main())"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerHandle:
    home: Path
    port: int
    process: subprocess.Popen[bytes]
    token: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/v1/ws"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def log(self) -> str:
        try:
            return (self.home / "server.log").read_text(errors="replace")
        except OSError:
            return ""

    def client(self, **kwargs: Any) -> httpx.Client:
        """An HTTP client for this server that sends the token."""
        return httpx.Client(base_url=self.url, headers=self.headers, timeout=30,
                            trust_env=False, **kwargs)

    def boot(self) -> dict[str, Any]:
        """First boot if it has not happened yet; return the profile."""
        with self.client() as client:
            response = client.post("/v1/boot", json={"answers": BOOT_ANSWERS})
            if response.status_code == 200:
                return response.json()["profile"]
            assert response.status_code == 409, response.text
            return client.get("/v1/profile").json()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(home: Path, extra_env: dict[str, str] | None = None,
                 timeout_s: float = STARTUP_TIMEOUT_S) -> ServerHandle:
    """Start ``os1 serve`` on a free port and wait until /v1/health answers."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("OS1_") and k.lower() not in ("http_proxy", "https_proxy",
                                                              "all_proxy")}
    env.update(OS1_HOME=str(home), OS1_BRAIN="scripted", OS1_ROUTER="patterns")
    env.update(extra_env or {})
    port = free_port()
    with (home / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER_CODE, "--host", HOST, "--port", str(port)],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    server = ServerHandle(home, port, process, env=env)
    deadline = time.monotonic() + timeout_s
    try:
        with httpx.Client(timeout=2, trust_env=False) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"os1 serve exited at startup:\n{server.log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"os1 serve did not answer in {timeout_s} s:\n{server.log()}")
                try:
                    if client.get(f"{server.url}/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        server.token = (home / "server_token").read_text().strip()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def os1_server_factory(tmp_path: Path) -> Iterator[Callable[..., ServerHandle]]:
    """Start servers with ``factory(extra_env={...})``; all are stopped afterwards."""
    started: list[ServerHandle] = []

    def factory(extra_env: dict[str, str] | None = None, name: str = "") -> ServerHandle:
        server = start_server(tmp_path / f"home{len(started)}{name}", extra_env)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def os1_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """One real server for the whole test module (not booted at first)."""
    server = start_server(tmp_path_factory.mktemp("os1home"))
    try:
        yield server
    finally:
        server.stop()
