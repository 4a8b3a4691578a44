"""What goes over the wire: the server's request, response and event models.

These pydantic models give the REST routes their validation and the OpenAPI
schema its components (their class names are the schema names, so renaming one
changes ``/openapi.json``). The event models describe the dicts of
:func:`os1.core.events.to_dict` that both REST and the WebSocket send. Also here:
the converters from stored rows to models, and :func:`wire_text`, which makes
text that arrived as JSON safe to handle.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from os1.storage.base import Conversation as StoredConversation
from os1.storage.base import StoredMessage


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


class AffectEvent(BaseModel):
    """How the user seems to feel this turn, and the speech style OS1 answers in (once per turn)."""

    type: Literal["affect"]
    state: str = Field(description="fear | nervousness | excitement | sadness | loneliness | joy | anger "
                                   "| neutral")
    confidence: float
    cues: list[str] = Field(default_factory=list, description='e.g. "hesitant voice"')
    pace: float = 1.0
    pause_s: float = 0.25
    source: str = Field("text", description="text | voice+text")


class DoneEvent(BaseModel):
    type: Literal["done"]
    message_id: int | None
    text: str
    status: str = Field(description="complete | interrupted | error")


TurnEvent = Annotated[
    TextEvent | NoticeEvent | ToolEvent | QuestionEvent | AffectEvent | DoneEvent, Field(discriminator="type")
]


class TurnOut(BaseModel):
    conversation_id: str
    events: list[TurnEvent]
    reply: str = Field(description="The final text of the reply (the done event's text).")
    message_id: int | None = None


class ErrorOut(BaseModel):
    detail: str


def conversation_out(c: StoredConversation) -> ConversationOut:
    """A stored conversation as the API shows it."""
    return ConversationOut(id=c.id, title=c.title, created_at=c.created_at,
                           updated_at=c.updated_at)


def message_out(m: StoredMessage) -> MessageOut:
    """A stored message as the API shows it."""
    return MessageOut(id=m.id, conversation_id=m.conversation_id, role=m.role, content=m.content,
                      created_at=m.created_at, status=m.status)


def wire_text(text: str) -> str:
    """JSON can carry lone surrogates (``"\\ud800"``), which are not text: make them U+FFFD."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
