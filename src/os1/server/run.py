"""Running the OS1 server: bind the socket, open the runtime, and serve the app with uvicorn.

:func:`serve` is what ``os1 serve`` calls and :func:`main` is its command line
(``python -m os1.server.app``). The app itself is built by
:func:`os1.server.app.create_app`.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Iterator

from os1.brain.base import Brain
from os1.core.config import ConfigError, Settings, load_settings
from os1.core.runtime import open_runtime
from os1.server.auth import TokenError, load_or_create_token
from os1.server.net import is_loopback_host
from os1.storage.base import StorageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _bind(host: str, port: int) -> socket.socket:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(
    settings: Settings | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    brain: Brain | None = None,
) -> None:
    """Open the runtime and serve it until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    # imported here: os1.server.app re-exports this module's serve and main
    from os1.server.app import create_app

    settings = settings or load_settings()
    try:
        sock = _bind(host, port)
    except OSError as exc:
        raise OSError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. "
                      "Is another `os1 serve` running? Try another --port.") from exc
    runtime = open_runtime(settings, brain=brain)
    runtime.remember_in_background()
    try:
        token = load_or_create_token(settings)
        app = create_app(runtime, token)
        actual = sock.getsockname()[1]
        shown_host = f"[{host}]" if ":" in host else host
        print(f"OS1 is listening on http://{shown_host}:{actual} "
              f"(API docs at http://{shown_host}:{actual}/docs)", file=sys.stderr)
        print(f"Clients need the token stored in {settings.token_path} "
              "(`os1 token` prints it).", file=sys.stderr)
        if not is_loopback_host(host):
            print(f"Warning: {host} is reachable from other machines; anyone who has the token "
                  "can talk to OS1. Prefer 127.0.0.1 behind an HTTPS proxy.", file=sys.stderr)
        if runtime.brain_notice:
            print(runtime.brain_notice, file=sys.stderr)
        sys.stderr.flush()
        config = uvicorn.Config(app, host=host, port=actual, log_level="warning",
                                access_log=False, server_header=False, lifespan="off",
                                ws_per_message_deflate=False)
        with _sigterm_exits():
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        runtime.close()


@contextlib.contextmanager
def _sigterm_exits() -> Iterator[None]:
    """After uvicorn's graceful shutdown it re-raises SIGTERM; make that a clean exit.

    Without this the default action kills the process before the runtime is closed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _exit(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """``python -m os1.server.app [--host H] [--port P]``: what ``os1 serve`` runs."""
    parser = argparse.ArgumentParser(prog="python -m os1.server.app", description=serve.__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    try:
        serve(load_settings(), host=args.host, port=args.port)
    except (ConfigError, StorageError, TokenError, OSError) as exc:
        print(f"os1 serve: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
