"""The consent gate: a skill's scopes are asked for before its first use, remembered, revocable.

``decide`` reads the tool's declared effect and the skill's scopes:

- a scope never granted (or revoked) → ask the skill's consent question;
- an ``outbound`` tool → ask for confirmation of this exact action, every time;
- otherwise → go ahead.

Answers to those questions are recognised by :func:`answer_kind`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from os1.skills.base import Skill, ToolSpec
from os1.storage.base import ConsentRepo

_YES = re.compile(
    r"^(y|yes|yeah|yep|yup|sure|ok(ay)?|of course|go ahead|do it|please do|please|fine|"
    r"absolutely|sounds good|alright|all right|go for it|i don'?t mind|no,? i don'?t mind|"
    r"not at all|confirm(ed)?)\b", re.I)
_NO = re.compile(r"^(n|no|nope|nah|don'?t|do not|stop|cancel|never ?mind|not now|i'?d rather not|"
                 r"no thanks?|no,? thank you|wait)\b", re.I)


def answer_kind(text: str) -> Literal["yes", "no", "other"]:
    cleaned = text.strip().lower().strip(".!")
    if _NO.match(cleaned) and not re.match(r"^no,? i don'?t mind|^not at all", cleaned):
        return "no"
    if _YES.match(cleaned):
        return "yes"
    return "other"


@dataclass
class Decision:
    kind: Literal["go", "consent", "confirm"]
    question: str = ""
    scopes: list[str] = field(default_factory=list)


def describe_action(skill: Skill, spec: ToolSpec, arguments: dict[str, Any]) -> str:
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return f"{skill.name}: {spec.description.rstrip('.')}" + (f" ({shown})" if shown else "")


class ConsentGate:
    def __init__(self, ledger: ConsentRepo) -> None:
        self.ledger = ledger

    def missing_scopes(self, skill: Skill, spec: ToolSpec | None = None) -> list[str]:
        missing = []
        for scope in (*skill.scopes, *(spec.scopes if spec is not None else ())):
            grant = self.ledger.get(scope)
            if grant is None or not grant.granted:
                missing.append(scope)
        return missing

    def decide(self, skill: Skill, spec: ToolSpec, arguments: dict[str, Any], *,
               preview: str = "", tainted_by: str = "") -> Decision:
        """``preview``: the exact action, if the tool can describe it. ``tainted_by``: outside content
        (an email) was read in this turn, so anything beyond reading needs the user's own yes."""
        missing = self.missing_scopes(skill, spec)
        if missing:
            question = (skill.consent_questions.get(missing[0]) if len(missing) == 1 else "") \
                or skill.consent_question or (
                f"To do that I need your permission for {', '.join(missing)}. Is that okay?"
            )
            return Decision("consent", question, missing)
        action = preview or describe_action(skill, spec, arguments)
        if spec.effect == "outbound":
            return Decision(
                "confirm",
                f"Just to be sure, I'm about to do this, and it can't be undone: "
                f"{action}. Shall I go ahead?",
            )
        if tainted_by and spec.effect != "read":
            return Decision(
                "confirm",
                f"I was just reading {tainted_by}, and I won't act on anything written there by itself. "
                f"Do you want me to do this: {action}?",
            )
        return Decision("go")

    def grant(self, scopes: list[str]) -> None:
        for scope in scopes:
            self.ledger.set(scope, True)

    def revoke(self, scope: str) -> bool:
        grant = self.ledger.get(scope)
        if grant is None or not grant.granted:
            return False
        self.ledger.set(scope, False)
        return True
