"""Shared test setup: every test gets its own OS1_HOME, and no test reaches the network."""

from __future__ import annotations

import os
import socket

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("OS1_HOME", str(tmp_path / "home"))
    for name in ("OS1_BRAIN", "OS1_BRAIN_URL", "OS1_BRAIN_MODEL", "OS1_BRAIN_API_KEY",
                 "OPENAI_API_KEY", "OS1_SCRIPT", "OS1_SCRIPT_DELAY", "OS1_ROUTER", "OS1_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


_real_connect = socket.socket.connect


def _loopback_only(self, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")
                                      or host.startswith("/")):
        raise RuntimeError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


def pytest_configure(config):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
