"""The OS1 server: the same mind over REST and a WebSocket, for other terminals and devices.

Everything but ``GET /v1/health`` needs the bearer token from
``OS1_HOME/server_token`` (see :mod:`os1.server.auth`). The schema is at
``/openapi.json`` and browsable at ``/docs``.

WebSocket protocol (``/v1/ws?conversation=<id|latest|new>``; the token goes in
an ``Authorization: Bearer`` header or, for browsers, ``?token=``; a bad token
closes the socket with code 4401, an unknown conversation with 4404):

- server → ``{"type": "ready", "conversation_id", "os_name", "booted"}`` once;
- client → ``{"type": "message", "text": "..."}``: the server streams the turn's
  events (:func:`os1.core.events.to_dict`: ``text``, ``notice``, ``tool``,
  ``question``) and always ends with exactly one ``done`` event
  ``{"type": "done", "message_id", "text", "status"}``;
- client → ``{"type": "cancel"}`` during a reply: the turn is cancelled, the
  turn loop stores what was already sent as ``interrupted``, and the ``done``
  says ``"status": "interrupted"`` with that text (``message_id`` is null when
  nothing had been said yet). A cancel with no reply running is ignored;
- anything unusable gets ``{"type": "error", "text": ...}`` and the connection
  stays open. A turn that fails on the server sends an ``error`` and then a
  ``done`` with ``"status": "error"``.

One message at a time per connection; turns on one conversation are serialized
across connections, so two devices on the same conversation never interleave.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import logging
import signal
import socket
import sys
import threading
import weakref
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, WebSocket, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from os1.brain.base import Brain
from os1.core.config import ConfigError, Settings, load_settings
from os1.core.conversation import Conversation
from os1.core.events import to_dict
from os1.core.runtime import Runtime, open_runtime
from os1.persona.boot import complete_first_boot
from os1.persona.interview import QUESTIONS, WELCOME, AnswerError
from os1.server.auth import (
    TokenError,
    bearer_token,
    load_or_create_token,
    require_token,
    token_matches,
)
from os1.storage.base import Conversation as StoredConversation
from os1.storage.base import StorageError, StoredMessage

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
CLOSE_BAD_TOKEN = 4401
CLOSE_NO_CONVERSATION = 4404
TURN_FAILED = (
    "Something went wrong on the server while answering; the details are in the server's log."
)
SERVER_FAILED = "Something went wrong on the server; the details are in the server's log."


# -- wire models ---------------------------------------------------------------
class Health(BaseModel):
    status: Literal["ok"] = "ok"
    booted: bool


class ProfileOut(BaseModel):
    """The user's profile and the OS's identity (see :class:`os1.persona.profile.Profile`)."""

    model_config = ConfigDict(extra="allow")

    user_name: str = ""
    sociability: str = ""
    mother: str | None = None
    wants_help_with: str = ""
    voice: str = "female"
    os_name: str = ""
    traits: dict[str, float] = Field(default_factory=dict)
    booted_at: float | None = None


class BootQuestion(BaseModel):
    key: str
    prompt: str
    skippable: bool
    choices: list[str]


class BootQuestions(BaseModel):
    welcome: str
    questions: list[BootQuestion]


class BootIn(BaseModel):
    answers: dict[str, str | None] = Field(
        description="Answer per question key; null or missing skips a skippable question.",
        examples=[{"user_name": "Theodore", "sociability": "private", "mother": None,
                   "wants_help_with": "organising my work", "voice": "female"}],
    )


class BootOut(BaseModel):
    profile: ProfileOut
    introduction: str
    conversation_id: str


class ConversationIn(BaseModel):
    title: str = Field("Conversation", max_length=200)


class ConversationOut(BaseModel):
    id: str
    title: str
    created_at: float
    updated_at: float


class MessageOut(BaseModel):
    id: int
    conversation_id: str
    role: str
    content: str
    created_at: float
    status: str


class TurnIn(BaseModel):
    text: str = Field(description="What the user says.", examples=["what time is it"])


class TextEvent(BaseModel):
    type: Literal["text"]
    text: str


class NoticeEvent(BaseModel):
    type: Literal["notice"]
    text: str
    level: str


class ToolEvent(BaseModel):
    type: Literal["tool"]
    skill: str
    tool: str
    effect: str


class QuestionEvent(BaseModel):
    type: Literal["question"]
    kind: str
    text: str


class DoneEvent(BaseModel):
    type: Literal["done"]
    message_id: int | None
    text: str
    status: str = Field(description="complete | interrupted | error")


TurnEvent = Annotated[
    TextEvent | NoticeEvent | ToolEvent | QuestionEvent | DoneEvent, Field(discriminator="type")
]


class TurnOut(BaseModel):
    conversation_id: str
    events: list[TurnEvent]
    reply: str = Field(description="The final text of the reply (the done event's text).")
    message_id: int | None = None


class ErrorOut(BaseModel):
    detail: str


# -- shared state ------------------------------------------------------------
class Hub:
    """What every request and socket shares: the runtime, and one lock per conversation."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.boot_lock = asyncio.Lock()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

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


def _conversation_out(c: StoredConversation) -> ConversationOut:
    return ConversationOut(id=c.id, title=c.title, created_at=c.created_at,
                           updated_at=c.updated_at)


def _message_out(m: StoredMessage) -> MessageOut:
    return MessageOut(id=m.id, conversation_id=m.conversation_id, role=m.role, content=m.content,
                      created_at=m.created_at, status=m.status)


def _wire_text(text: str) -> str:
    """JSON can carry lone surrogates (``"\\ud800"``), which are not text: make them U+FFFD."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _failure_text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, StorageError) else TURN_FAILED


# -- the app ------------------------------------------------------------------
def create_app(runtime: Runtime, token: str) -> FastAPI:
    hub = Hub(runtime)
    app = FastAPI(
        title="OS1",
        version="1",
        summary="A personal AI operating system: one mind, reachable from every device.",
        description=(__doc__ or "").split("\n\n", 1)[1],
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.hub = hub

    @app.exception_handler(StorageError)
    async def storage_error(_request: Request, exc: StorageError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)

    @app.exception_handler(Exception)
    async def unexpected_error(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": SERVER_FAILED},
                            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)

    @app.get("/v1/health", response_model=Health, tags=["server"])
    async def health() -> Health:
        """Is the server up, and has first boot happened? Needs no token."""
        return Health(booted=runtime.reload_profile().booted)

    unauthorized: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorOut, "description": "Missing or wrong token"}
    }
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_token(token))],
                   responses=unauthorized)

    def not_found(conversation_id: str) -> HTTPException:
        return HTTPException(status.HTTP_404_NOT_FOUND,
                             f"There is no conversation with id {conversation_id!r}.")

    @v1.get("/profile", response_model=ProfileOut, tags=["persona"])
    async def get_profile() -> dict[str, Any]:
        """The user's profile and the OS's name and traits."""
        return runtime.reload_profile().to_dict()

    @v1.get("/boot/questions", response_model=BootQuestions, tags=["persona"])
    async def boot_questions() -> BootQuestions:
        """The first-boot interview, for a client that runs it."""
        return BootQuestions(welcome=WELCOME, questions=[
            BootQuestion(key=q.key, prompt=q.prompt, skippable=q.skippable, choices=list(q.choices))
            for q in QUESTIONS
        ])

    @v1.post("/boot", response_model=BootOut, tags=["persona"], responses={
        409: {"model": ErrorOut, "description": "Already set up"},
        422: {"description": "An answer cannot be used"},
    })
    async def boot(body: BootIn) -> BootOut:
        """First boot: the answers become the profile, the OS names itself and says hello."""
        async with hub.boot_lock:
            current = runtime.reload_profile()
            if current.booted:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    f"OS1 is already set up: it is {current.os_name}, talking with "
                    f"{current.user_name or 'its user'}.",
                )
            try:
                profile, intro, conversation_id = await complete_first_boot(runtime, body.answers)
            except AnswerError as exc:
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
        return BootOut(profile=ProfileOut(**profile.to_dict()), introduction=intro,
                       conversation_id=conversation_id)

    @v1.get("/conversations", response_model=list[ConversationOut], tags=["conversations"])
    async def list_conversations(
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    ) -> list[ConversationOut]:
        """Conversations, most recently active first."""
        return [_conversation_out(c) for c in runtime.store.conversations.list(limit)]

    @v1.post("/conversations", response_model=ConversationOut, tags=["conversations"],
             status_code=status.HTTP_201_CREATED)
    async def create_conversation(body: ConversationIn | None = None) -> ConversationOut:
        """Start a new conversation."""
        title = body.title if body else "Conversation"
        return _conversation_out(runtime.store.conversations.create(title))

    @v1.get("/conversations/{conversation_id}/messages", response_model=list[MessageOut],
            tags=["conversations"], responses={404: {"model": ErrorOut}})
    async def get_messages(
        conversation_id: str,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
    ) -> list[MessageOut]:
        """The last ``limit`` messages, oldest first. ``latest`` is the most recent conversation."""
        resolved = hub.resolve(conversation_id)
        if resolved is None:
            raise not_found(conversation_id)
        return [_message_out(m) for m in runtime.store.conversations.messages(resolved, limit)]

    @v1.post("/conversations/{conversation_id}/messages", response_model=TurnOut,
             tags=["conversations"], responses={404: {"model": ErrorOut},
                                                422: {"description": "Empty message"}})
    async def post_message(conversation_id: str, body: TurnIn) -> TurnOut:
        """Say something and get the whole reply (use the WebSocket to stream it)."""
        resolved = hub.resolve(conversation_id)
        if resolved is None:
            raise not_found(conversation_id)
        async with hub.lock_for(resolved), hub.turn(resolved, _wire_text(body.text)) as turn:
            events = [to_dict(event) async for event in turn]
        done = next((e for e in reversed(events) if e["type"] == "done"), None)
        if done is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                                "The message was empty, so there is nothing to answer.")
        return TurnOut.model_validate({"conversation_id": resolved, "events": events,
                                       "reply": done["text"], "message_id": done["message_id"]})

    app.include_router(v1)

    @app.websocket("/v1/ws")
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

    return app


# -- one WebSocket connection -------------------------------------------------------
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
                self.turn_task = asyncio.create_task(self._turn(_wire_text(text)))
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


# -- running it ------------------------------------------------------------------
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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    settings: Settings | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    brain: Brain | None = None,
) -> None:
    """Open the runtime and serve it until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    settings = settings or load_settings()
    try:
        sock = _bind(host, port)
    except OSError as exc:
        raise OSError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. "
                      "Is another `os1 serve` running? Try another --port.") from exc
    runtime = open_runtime(settings, brain=brain)
    try:
        token = load_or_create_token(settings)
        app = create_app(runtime, token)
        actual = sock.getsockname()[1]
        shown_host = f"[{host}]" if ":" in host else host
        print(f"OS1 is listening on http://{shown_host}:{actual} "
              f"(API docs at http://{shown_host}:{actual}/docs)", file=sys.stderr)
        print(f"Clients need the token stored in {settings.token_path} "
              "(`os1 token` prints it).", file=sys.stderr)
        if not _is_loopback(host):
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


if __name__ == "__main__":
    sys.exit(main())
