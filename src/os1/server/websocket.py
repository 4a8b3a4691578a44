"""The server's shared turn state and its WebSocket endpoint, ``/v1/ws``.

:class:`Hub` is what every request and socket shares (the runtime, the boot lock
and one lock per conversation, so turns on one conversation never interleave);
the REST routes use it too; it also runs the initiative scheduler while anyone is connected, so
what OS1 says on its own (a reminder) reaches every open socket as an ``initiative`` event.
:class:`_Session` serves one WebSocket connection, and
:func:`add_websocket_route` registers ``/v1/ws`` on an app or router. The protocol
itself is described in :mod:`os1.server.app` (and so in the OpenAPI description).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI, WebSocket

from os1.core.conversation import Conversation
from os1.core.events import to_dict
from os1.core.runtime import Runtime
from os1.initiative.scheduler import Outlet, Scheduler
from os1.server.auth import bearer_token, token_matches
from os1.server.schemas import wire_text
from os1.storage.base import StorageError

log = logging.getLogger(__name__)

CLOSE_BAD_TOKEN = 4401
CLOSE_NO_CONVERSATION = 4404
TURN_FAILED = (
    "Something went wrong on the server while answering; the details are in the server's log."
)


class Hub:
    """What every request and socket shares: the runtime, and one lock per conversation."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.boot_lock = asyncio.Lock()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self.scheduler = Scheduler(runtime)
        self._scheduling: asyncio.Task[None] | None = None

    def listen(self, name: str, say: Any) -> Any:
        """Tell ``say`` (called on this event loop) what OS1 says on its own; returns the detach function.

        The scheduler's loop starts with the first listener."""
        loop = asyncio.get_running_loop()
        if self._scheduling is None or self._scheduling.done():
            self._scheduling = loop.create_task(self.scheduler.run())

        def threadsafe(event: Any) -> bool:  # the scheduler ticks in a worker thread
            loop.call_soon_threadsafe(say, event)
            return True

        return self.scheduler.attach(Outlet(name, threadsafe))

    def lock_for(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock

    def resolve(self, conversation_id: str, allow_new: bool = False) -> str | None:
        """The real id for ``id`` or ``latest`` (created if none); ``new`` only if allowed."""
        conversations = self.runtime.store.conversations
        if conversation_id == "latest":
            return Conversation.resume_or_start(self.runtime).id
        if conversation_id == "new" and allow_new:
            return conversations.create("Conversation").id
        return conversation_id if conversations.get(conversation_id) is not None else None

    def turn(self, conversation_id: str, text: str) -> contextlib.aclosing[AsyncIterator[Any]]:
        """The turn's events, closed deterministically however the consumer stops."""
        return contextlib.aclosing(Conversation(self.runtime, conversation_id).turn(text))

    def interrupted(self, conversation_id: str, started: bool, shown: list[str]) -> dict[str, Any]:
        """The ``done`` event for a cancelled turn, matching what the turn loop stored."""
        done: dict[str, Any] = {
            "message_id": None, "text": "".join(shown).strip(), "status": "interrupted",
            "type": "done",
        }
        if started:
            with contextlib.suppress(StorageError):
                last = self.runtime.store.conversations.messages(conversation_id, limit=1)
                if last and last[0].role == "assistant" and last[0].status == "interrupted":
                    done["message_id"], done["text"] = last[0].id, last[0].content
        return done


def _failure_text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, StorageError) else TURN_FAILED


def add_websocket_route(target: FastAPI | APIRouter, hub: Hub, token: str) -> None:
    """Register ``/v1/ws`` on ``target``, checking ``token`` and serving turns through ``hub``."""

    @target.websocket("/v1/ws")
    async def ws(websocket: WebSocket) -> None:
        given = bearer_token(websocket.headers.get("authorization"))
        query_token = websocket.query_params.get("token")
        if not (token_matches(given, token) or token_matches(query_token, token)):
            await websocket.accept()
            await websocket.close(CLOSE_BAD_TOKEN, "bad or missing token")
            return
        wanted = websocket.query_params.get("conversation") or "latest"
        try:
            conversation_id = hub.resolve(wanted, allow_new=True)
        except StorageError as exc:
            await websocket.accept()
            await websocket.send_json({"type": "error", "text": str(exc)})
            await websocket.close(1011, "storage unavailable")
            return
        await websocket.accept()
        if conversation_id is None:
            await websocket.send_json({"type": "error",
                                       "text": f"There is no conversation with id {wanted!r}."})
            await websocket.close(CLOSE_NO_CONVERSATION, "unknown conversation")
            return
        await _Session(hub, websocket, conversation_id).run()


class _Session:
    """Reads client messages, runs at most one turn at a time, and writes through one outbox.

    The turn task only puts events into the outbox (it never awaits a socket
    write), so a cancel always lands inside the turn loop, whose own cleanup
    then stores exactly what was already sent as interrupted.
    """

    def __init__(self, hub: Hub, websocket: WebSocket, conversation_id: str) -> None:
        self.hub = hub
        self.ws = websocket
        self.conversation_id = conversation_id
        self.outbox: asyncio.Queue[str] = asyncio.Queue()
        self.turn_task: asyncio.Task[None] | None = None

    def emit(self, data: dict[str, Any]) -> None:
        self.outbox.put_nowait(json.dumps(data))  # ASCII: even a stray surrogate can't break it

    def error(self, text: str) -> None:
        self.emit({"type": "error", "text": text})

    @property
    def replying(self) -> bool:
        return self.turn_task is not None and not self.turn_task.done()

    async def run(self) -> None:
        profile = self.hub.runtime.reload_profile()
        self.emit({"type": "ready", "conversation_id": self.conversation_id,
                   "os_name": profile.os_name or "OS1", "booted": profile.booted})
        sender = asyncio.create_task(self._send_loop())
        stop_listening = self.hub.listen("websocket", lambda event: self.emit(to_dict(event)))
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                if raw is None:
                    try:
                        raw = (message.get("bytes") or b"").decode("utf-8")
                    except UnicodeDecodeError:
                        self.error("Send JSON as UTF-8 text frames.")
                        continue
                self.handle(raw)
        finally:
            stop_listening()
            if self.replying:
                assert self.turn_task is not None
                # the listener went away: the turn loop keeps what was sent as interrupted
                self.turn_task.cancel()
                await asyncio.gather(self.turn_task, return_exceptions=True)
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)

    async def _send_loop(self) -> None:
        while True:
            text = await self.outbox.get()
            try:
                await self.ws.send_text(text)
            except Exception:  # the socket is gone; the reader sees the disconnect
                return

    def handle(self, raw: str) -> None:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            self.error(f"That wasn't valid JSON ({exc}). Send "
                       '{"type": "message", "text": "..."} or {"type": "cancel"}.')
            return
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "message":
            text = data.get("text")
            if not isinstance(text, str):
                self.error('A message needs its words as a string: {"type": "message", '
                           '"text": "..."}.')
            elif self.replying:
                self.error("I'm still answering your last message. Wait for its done event, "
                           'or send {"type": "cancel"} to stop it.')
            else:
                self.turn_task = asyncio.create_task(self._turn(wire_text(text)))
        elif kind == "cancel":
            if self.replying:
                assert self.turn_task is not None
                self.turn_task.cancel()
        else:
            self.error(f"Unknown message type {kind!r}: send "
                       '{"type": "message", "text": "..."} or {"type": "cancel"}.')

    async def _turn(self, text: str) -> None:
        shown: list[str] = []
        started = finished = False
        try:
            async with self.hub.lock_for(self.conversation_id):
                started = True
                async with self.hub.turn(self.conversation_id, text) as events:
                    async for event in events:
                        data = to_dict(event)
                        if data["type"] == "text":
                            shown.append(data["text"])
                        elif data["type"] == "done":
                            finished = True
                        self.emit(data)
            if not finished:
                self.error("The message was empty, so there is nothing to answer.")
                self.emit({"type": "done", "message_id": None, "text": "", "status": "error"})
        except asyncio.CancelledError:
            self.emit(self.hub.interrupted(self.conversation_id, started, shown))
            raise
        except Exception as exc:
            log.exception("a turn failed")
            self.error(_failure_text(exc))
            self.emit({"type": "done", "message_id": None, "text": "".join(shown).strip(),
                       "status": "error"})
