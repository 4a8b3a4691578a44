"""The OS1 server: the same mind over REST and a WebSocket, for other terminals and devices.
This module builds the app: :func:`create_app` with the REST routes and error handlers;
the wire models are in :mod:`os1.server.schemas`, the WebSocket in
:mod:`os1.server.websocket`, and serving it in :mod:`os1.server.run`.

Everything but ``GET /v1/health`` needs the bearer token from
``OS1_HOME/server_token`` (see :mod:`os1.server.auth`). The schema is at
``/openapi.json`` and browsable at ``/docs``.

WebSocket protocol (``/v1/ws?conversation=<id|latest|new>``; the token goes in
an ``Authorization: Bearer`` header or, for browsers, ``?token=``; a bad token
closes the socket with code 4401, an unknown conversation with 4404):

- server → ``{"type": "ready", "conversation_id", "os_name", "booted"}`` once;
- client → ``{"type": "message", "text": "..."}``: the server streams the turn's
  events (:func:`os1.core.events.to_dict`: ``text``, ``notice``, ``tool``,
  ``question``, and one ``affect`` before any reply text: how the user seems to
  feel and the reply's speech style) and always ends with exactly one ``done`` event
  ``{"type": "done", "message_id", "text", "status"}``;
- client → ``{"type": "cancel"}`` during a reply: the turn is cancelled, the
  turn loop stores what was already sent as ``interrupted``, and the ``done``
  says ``"status": "interrupted"`` with that text (``message_id`` is null when
  nothing had been said yet). A cancel with no reply running is ignored;
- server → ``{"type": "initiative", "text", "kind", "nudge_id", "message_id", "conversation_id",
  "due_at", "late", "source"}`` at any time, between turns or during one: OS1 speaks up on its own
  (a reminder, an alarm; ``late`` when it fell due while nobody was connected). It is already stored
  as OS1's message; every connected socket gets it;
- anything unusable gets ``{"type": "error", "text": ...}`` and the connection
  stays open. A turn that fails on the server sends an ``error`` and then a
  ``done`` with ``"status": "error"``.

The spoken conversation is ``/v1/voice`` (see :mod:`os1.server.voice_ws`).

One message at a time per connection; turns on one conversation are serialized
across connections, so two devices on the same conversation never interleave.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse

from os1.core.events import to_dict
from os1.core.runtime import Runtime
from os1.persona.boot import complete_first_boot
from os1.persona.interview import QUESTIONS, WELCOME, AnswerError
from os1.server.auth import require_token
from os1.server.run import main, serve
from os1.server.schemas import (
    BootIn,
    BootOut,
    BootQuestion,
    BootQuestions,
    ConversationIn,
    ConversationOut,
    ErrorOut,
    Health,
    MessageOut,
    ProfileOut,
    TurnIn,
    TurnOut,
    conversation_out,
    message_out,
    wire_text,
)
from os1.server.voice_ws import add_voice_route
from os1.server.websocket import Hub, add_websocket_route
from os1.storage.base import StorageError

__all__ = ["create_app", "main", "serve"]

SERVER_FAILED = "Something went wrong on the server; the details are in the server's log."


def create_app(runtime: Runtime, token: str) -> FastAPI:
    """The OS1 app over ``runtime``: REST routes and the WebSocket, all but health behind ``token``."""
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
        return [conversation_out(c) for c in runtime.store.conversations.list(limit)]

    @v1.post("/conversations", response_model=ConversationOut, tags=["conversations"],
             status_code=status.HTTP_201_CREATED)
    async def create_conversation(body: ConversationIn | None = None) -> ConversationOut:
        """Start a new conversation."""
        title = body.title if body else "Conversation"
        return conversation_out(runtime.store.conversations.create(title))

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
        return [message_out(m) for m in runtime.store.conversations.messages(resolved, limit)]

    @v1.post("/conversations/{conversation_id}/messages", response_model=TurnOut,
             tags=["conversations"], responses={404: {"model": ErrorOut},
                                                422: {"description": "Empty message"}})
    async def post_message(conversation_id: str, body: TurnIn) -> TurnOut:
        """Say something and get the whole reply (use the WebSocket to stream it)."""
        resolved = hub.resolve(conversation_id)
        if resolved is None:
            raise not_found(conversation_id)
        async with hub.lock_for(resolved), hub.turn(resolved, wire_text(body.text)) as turn:
            events = [to_dict(event) async for event in turn]
        done = next((e for e in reversed(events) if e["type"] == "done"), None)
        if done is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                                "The message was empty, so there is nothing to answer.")
        return TurnOut.model_validate({"conversation_id": resolved, "events": events,
                                       "reply": done["text"], "message_id": done["message_id"]})

    app.include_router(v1)

    add_websocket_route(app, hub, token)
    add_voice_route(app, hub, token)

    return app


if __name__ == "__main__":
    sys.exit(main())
