"""Client for a running ``os1 serve``: what ``os1 chat --server URL`` talks through.

:class:`RemoteConversation` holds one WebSocket to the server and yields each
turn's events as the same dicts a local turn produces, so the terminal renders
both alike. Every failure a user can meet (nothing listening, a wrong token, a
dropped connection) becomes a :class:`RemoteError` whose message says what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from os1.server.net import is_loopback_host

# close codes of the protocol (see os1.server.websocket)
CLOSE_BAD_TOKEN = 4401
CLOSE_NO_CONVERSATION = 4404
CONNECT_TIMEOUT_S = 10.0
CANCEL_TIMEOUT_S = 10.0
MAX_MESSAGE_BYTES = 16 * 2**20


class RemoteError(Exception):
    """Talking to the server failed; ``str(exc)`` tells the user what to do."""


def _unreachable(url: str) -> RemoteError:
    return RemoteError(f"Can't reach OS1 at {url}: is `os1 serve` running?")


def _refused(url: str) -> RemoteError:
    return RemoteError(
        f"The server at {url} refused the token; use the one `os1 token` prints on the "
        "server's machine (pass it with --token or OS1_TOKEN)."
    )


def _base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    return url


def ws_url(url: str, conversation: str = "latest") -> str:
    """``http://host:port`` (or ``ws://``, ``https://``, ``wss://``) → the server's WebSocket URL."""
    parts = urlsplit(_base_url(url))
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme.lower())
    if scheme is None or not parts.netloc:
        raise RemoteError(f"{url!r} is not a server address; give one like http://127.0.0.1:8765.")
    path = parts.path
    if not path.endswith("/v1/ws"):
        path += "/v1/ws"
    query = "conversation=" + quote(conversation, safe="")
    return urlunsplit((scheme, parts.netloc, path, query, ""))


def _is_loopback(url: str) -> bool:
    return is_loopback_host(urlsplit(url).hostname or "")


class RemoteConversation:
    """One conversation on a remote OS1, over a WebSocket."""

    def __init__(self, connection: ClientConnection, ready: dict[str, Any], url: str) -> None:
        self._ws = connection
        self.ready = ready
        self.url = url
        self._replying = False  # a message was sent and its done event not yet read

    @property
    def conversation_id(self) -> str:
        return str(self.ready.get("conversation_id", ""))

    @property
    def os_name(self) -> str:
        return str(self.ready.get("os_name") or "OS1")

    @classmethod
    async def connect(cls, url: str, token: str, conversation: str = "latest",
                      timeout: float = CONNECT_TIMEOUT_S) -> RemoteConversation:
        """Connect and wait for the server's ``ready``; raise :class:`RemoteError` if that fails."""
        base = _base_url(url)
        target = ws_url(url, conversation)
        try:
            connection = await websockets.connect(
                target,
                additional_headers={"Authorization": f"Bearer {token}"},
                open_timeout=timeout,
                max_size=MAX_MESSAGE_BYTES,
                proxy=None if _is_loopback(target) else True,
            )
        except InvalidStatus as exc:
            code = exc.response.status_code
            if code in (401, 403):
                raise _refused(base) from exc
            raise RemoteError(f"{base} answered HTTP {code}: is it an OS1 server?") from exc
        except InvalidURI as exc:
            raise RemoteError(f"{url!r} is not a server address: {exc}") from exc
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            raise _unreachable(base) from exc
        try:
            raw = await asyncio.wait_for(connection.recv(), timeout)
        except ConnectionClosed as exc:
            await connection.close()
            rcvd = exc.rcvd
            if rcvd is not None and rcvd.code == CLOSE_BAD_TOKEN:
                raise _refused(base) from exc
            if rcvd is not None and rcvd.code == CLOSE_NO_CONVERSATION:
                raise RemoteError(
                    f"{base} has no conversation {conversation!r}; use 'latest' or 'new'."
                ) from exc
            raise RemoteError(f"{base} closed the connection before it was ready.") from exc
        except TimeoutError as exc:
            await connection.close()
            raise RemoteError(f"{base} accepted the connection but never said it was ready.") from exc
        try:
            ready = _decode(raw)
        except RemoteError:
            await connection.close()
            raise
        if ready.get("type") != "ready":
            await connection.close()
            text = ready.get("text") or "it did not say it was ready"
            raise RemoteError(f"{base} did not start the conversation: {text}")
        return cls(connection, ready, base)

    async def __aenter__(self) -> RemoteConversation:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _recv(self) -> dict[str, Any]:
        try:
            return _decode(await self._ws.recv())
        except ConnectionClosed as exc:
            self._replying = False
            raise RemoteError(f"The connection to OS1 at {self.url} was lost ({exc}).") from exc

    async def _send(self, data: dict[str, Any]) -> None:
        try:
            await self._ws.send(json.dumps(data))
        except ConnectionClosed as exc:
            self._replying = False
            raise RemoteError(f"The connection to OS1 at {self.url} was lost ({exc}).") from exc

    async def turn(self, text: str) -> AsyncIterator[dict[str, Any]]:
        """Say ``text``; yield the reply's events up to and including ``done``.

        ``error`` events (a failure on the server) are yielded like the others;
        the server still ends the turn with a ``done``. If the previous turn was
        abandoned half-way, it is cancelled and drained first so its events
        cannot leak into this one.
        """
        if self._replying:
            await self.cancel()
        await self._send({"type": "message", "text": text})
        self._replying = True
        while True:
            event = await self._recv()
            if event.get("type") == "done":
                self._replying = False
                yield event
                return
            yield event

    async def initiatives(self) -> AsyncIterator[dict[str, Any]]:
        """What OS1 says on its own (``initiative`` events), as it says it, until the connection ends.

        For a second, listen-only connection: the one that sends messages reads these inside turns."""
        while True:
            try:
                event = await self._recv()
            except RemoteError:
                return
            if event.get("type") == "initiative":
                yield event

    async def cancel(self) -> dict[str, Any] | None:
        """Stop the reply in progress; return its ``done`` event (None if nothing was running).

        The rest of the cancelled reply is read and dropped here, so the next
        :meth:`turn` starts clean.
        """
        if not self._replying:
            return None
        await self._send({"type": "cancel"})
        try:
            async with asyncio.timeout(CANCEL_TIMEOUT_S):
                while True:
                    event = await self._recv()
                    if event.get("type") == "done":
                        self._replying = False
                        return event
        except TimeoutError as exc:
            raise RemoteError(f"OS1 at {self.url} did not stop its reply.") from exc

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._ws.close()


def _decode(raw: str | bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise RemoteError(f"The server sent something that isn't JSON: {raw[:80]!r}") from exc
    if not isinstance(data, dict):
        raise RemoteError(f"The server sent an unexpected message: {raw[:80]!r}")
    return data


def _http_errors(url: str, response: httpx.Response) -> None:
    if response.status_code == 401:
        raise _refused(url)
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail")
        except ValueError:
            detail = None
        raise RemoteError(f"{url} answered HTTP {response.status_code}: {detail or response.text[:200]}")


async def fetch_profile(url: str, token: str, timeout: float = CONNECT_TIMEOUT_S) -> dict[str, Any]:
    """The remote OS's profile (``GET /v1/profile``)."""
    base = _base_url(url)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=timeout,
                                     trust_env=not _is_loopback(base)) as client:
            response = await client.get("/v1/profile", headers={"Authorization": f"Bearer {token}"})
    except httpx.InvalidURL as exc:
        raise RemoteError(f"{url!r} is not a server address: {exc}") from exc
    except httpx.HTTPError as exc:
        raise _unreachable(base) from exc
    _http_errors(base, response)
    data = response.json()
    if not isinstance(data, dict):
        raise RemoteError(f"{base} sent an unexpected profile.")
    return data
