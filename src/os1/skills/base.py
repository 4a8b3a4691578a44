"""What a skill is: a folder with a manifest and typed tools.

``manifest.toml`` gives the skill's name, description, permission scopes,
the question that asks for consent, dependencies, and intents (example requests
with optional slot patterns) that the router learns from. ``remember_exchanges =
false`` keeps the exchanges a skill handles out of the memory stream (skills that
manage memory: a request to forget something must not itself be remembered). An optional
``initiative.py`` with ``upkeep(runtime)`` is run by the scheduler at start-up and every hour.
``tools.py`` holds
functions decorated with :func:`tool`; the JSON schema of a tool comes from its
signature, and each tool declares its effect:

- ``read``        looks, changes nothing
- ``reversible``  changes something and returns how to undo it (journaled)
- ``outbound``    sends or destroys: confirmed by the user every time

The router, the consent gate and the journal all read these declarations.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ValidationError, create_model

if TYPE_CHECKING:
    from os1.core.runtime import Runtime

Effect = Literal["read", "reversible", "outbound"]
EFFECTS: tuple[str, ...] = ("read", "reversible", "outbound")


class ToolError(Exception):
    """A tool could not do its job; the message is shown to the user."""


@dataclass
class ToolContext:
    """What a tool may use: the runtime (store, profile, skills) and the conversation."""

    runtime: Runtime
    conversation_id: str


@dataclass
class ToolResult:
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    undo: dict[str, Any] | None = None  # {"tool": name, "arguments": {...}} for reversible tools
    summary: str = ""  # one line for the journal
    defer: bool = False  # "not mine after all": a read-only tool lets a capable brain answer instead
    untrusted: str = ""  # outside content in the text, e.g. "an email from paul@example.com": never obeyed
    # a long answer that keeps coming after ``text`` (reading a document aloud): shown or spoken piece by
    # piece; the listener can cut in at any time and only what was shown is stored
    stream: AsyncIterator[str] | None = None
    remember_as: str = ""  # what memory keeps of this exchange instead of the whole reply (a reading)
    expect: str = ""  # what the user is likely to say next ("skip this part"): helps speech recognition


@dataclass
class ToolSpec:
    name: str
    description: str
    effect: Effect
    func: Callable[..., Any]
    params: type[BaseModel]
    journaled: bool = True
    scopes: tuple[str, ...] = ()  # permission scopes this tool needs on top of its skill's
    preview: Callable[..., str] | None = None  # preview(ctx, **arguments): the exact action, for confirming

    @functools.cached_property
    def schema(self) -> dict[str, Any]:
        schema = self.params.model_json_schema()
        schema.pop("title", None)
        return schema

    def openai_schema(self, skill: str) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": f"{skill}__{self.name}",
                "description": self.description,
                "parameters": self.schema,
            },
        }

    def validate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.params(**arguments).model_dump()
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()
            )
            raise ToolError(f"I couldn't use those details ({problems}).") from exc


def tool(effect: Effect, *, journaled: bool = True, scopes: tuple[str, ...] = (),
         preview: Callable[..., str] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a function ``f(ctx, **typed_params) -> ToolResult`` as a skill tool.

    ``scopes``: permissions this tool needs beyond its skill's (e.g. ``mail.send``).
    ``preview(ctx, **arguments) -> str``: what exactly will happen, shown when OS1 asks to confirm.
    """
    if effect not in EFFECTS:
        raise ValueError(f"effect must be one of {EFFECTS}")

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        fields: dict[str, Any] = {}
        for index, (pname, param) in enumerate(inspect.signature(func).parameters.items()):
            if index == 0:  # the ToolContext
                continue
            annotation = param.annotation if param.annotation is not inspect.Parameter.empty else str
            default = ... if param.default is inspect.Parameter.empty else param.default
            fields[pname] = (annotation, default)
        params = create_model(f"{func.__name__}_params", **fields)  # type: ignore[call-overload]
        doc = inspect.getdoc(func) or func.__name__
        func.__os1_tool__ = ToolSpec(  # type: ignore[attr-defined]
            name=func.__name__,
            description=doc.splitlines()[0],
            effect=effect,
            func=func,
            params=params,
            journaled=journaled,
            scopes=tuple(scopes),
            preview=preview,
        )
        return func

    return decorate


@dataclass(frozen=True)
class Intent:
    tool: str
    examples: tuple[str, ...]
    patterns: tuple[str, ...] = ()  # regexes; named groups fill the tool's parameters


@dataclass
class Skill:
    name: str
    description: str
    scopes: tuple[str, ...]
    consent_question: str
    dependencies: tuple[str, ...]
    intents: tuple[Intent, ...]
    tools: dict[str, ToolSpec]
    remember_exchanges: bool = True  # False for skills that manage memory itself
    consent_questions: dict[str, str] = field(default_factory=dict)  # scope → its own question
    # initiative.py's ``upkeep(runtime)``: run by the scheduler at start-up and hourly (e.g. the calendar
    # keeps the alerts of repeating events scheduled ahead)
    upkeep: Callable[[Any], Any] | None = None

    @property
    def examples(self) -> list[str]:
        return [e for intent in self.intents for e in intent.examples]
