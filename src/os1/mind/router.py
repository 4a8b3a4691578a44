"""The intent router: which skill tool, if any, a request is for, and with what arguments.

It works without help from the brain, so even the 135M embedded model gets
reliable skills:

1. slot patterns from the manifests (regexes with named groups) give an exact
   route with arguments;
2. otherwise the request is compared by MiniLM embedding with every example in
   the manifests; a close enough match routes, with arguments from the
   patterns when the tool needs any — except that something the user tells about
   their own life ("I'm going to the dentist on Friday") never becomes a change by
   similarity alone: it is conversation, unless it asks for something;
3. otherwise nothing routes and the brain answers (with native tool calls when
   it supports them).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from os1.mind.encoder import Encoder, EncoderUnavailable
from os1.skills.base import Intent
from os1.skills.loader import SkillSet

log = logging.getLogger(__name__)

SIMILARITY_THRESHOLD = 0.62
# "I have …", "we're going …": telling, not asking …
_STATEMENT = re.compile(
    r"^(i|we)('m|'re|'ve|'d| am| are| have| was| were| had| got| went| met| saw| will|'ll)\b", re.I)
# … unless it asks after all
_ASKING = re.compile(r"\b(can|could|would|will) you\b|\bplease\b|\b(i|we)('d| would) like\b|"
                     r"\b(i|we) (want|need)\b|\bremind (me|us)\b|\?\s*$", re.I)
_POLITE = re.compile(
    r"^(hey|hi|ok(ay)?|so|please|could you|can you|would you)[,\s]+|[\s,]*please$|[?.!\s]+$", re.I
)


@dataclass(frozen=True)
class Route:
    skill: str
    tool: str
    arguments: dict[str, Any] = field(default_factory=dict)
    score: float = 1.0
    how: str = "pattern"  # pattern | embedding


def _normalise(text: str) -> str:
    previous = None
    text = " ".join(text.split())
    while previous != text:
        previous, text = text, _POLITE.sub("", text).strip()
    return text


class Router:
    def __init__(self, skills: SkillSet, encoder: Encoder | None = None,
                 threshold: float = SIMILARITY_THRESHOLD) -> None:
        self.skills = skills
        self.encoder = encoder
        self.threshold = threshold
        self._intents: list[tuple[str, Intent]] = [
            (skill.name, intent) for skill in skills.skills.values() for intent in skill.intents
        ]
        self._compiled = [
            (skill, intent, [re.compile(p, re.I) for p in intent.patterns])
            for skill, intent in self._intents
        ]
        self._example_owner: list[int] = []
        self._example_vectors: np.ndarray | None = None

    def _required(self, skill: str, intent: Intent) -> set[str]:
        spec = self.skills.tool(skill, intent.tool)
        if spec is None:
            return set()
        return {n for n, f in spec.params.model_fields.items() if f.is_required()}

    def _by_pattern(self, text: str, full: bool) -> Route | None:
        for skill, intent, patterns in self._compiled:
            for pattern in patterns:
                match = pattern.fullmatch(text) if full else pattern.search(text)
                if match:
                    args = {k: v.strip() for k, v in match.groupdict().items() if v}
                    if self._required(skill, intent) <= args.keys():
                        return Route(skill, intent.tool, args, 1.0, "pattern")
        return None

    def _vectors(self) -> np.ndarray:
        if self._example_vectors is None:
            texts: list[str] = []
            for index, (_, intent) in enumerate(self._intents):
                texts.extend(intent.examples)
                self._example_owner.extend([index] * len(intent.examples))
            assert self.encoder is not None
            self._example_vectors = self.encoder.encode(texts) if texts else np.zeros((0, 384))
        return self._example_vectors

    def _by_embedding(self, text: str) -> Route | None:
        if self.encoder is None or not self._intents:
            return None
        try:
            examples = self._vectors()
            query = self.encoder.encode([text])[0]
        except EncoderUnavailable as exc:
            log.warning("embedding router off: %s", exc)
            self.encoder = None
            return None
        if examples.shape[0] == 0:
            return None
        scores = examples @ query
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score < self.threshold:
            return None
        skill, intent = self._intents[self._example_owner[best]]
        spec = self.skills.tool(skill, intent.tool)
        if spec is not None and spec.effect != "read" and _STATEMENT.match(text) and not _ASKING.search(text):
            return None  # the user is telling about their day: conversation, not a change to make
        args: dict[str, Any] = {}
        for pattern in [re.compile(p, re.I) for p in intent.patterns]:
            match = pattern.search(text)
            if match:
                args = {k: v.strip() for k, v in match.groupdict().items() if v}
                break
        if not self._required(skill, intent) <= args.keys():
            return None
        return Route(skill, intent.tool, args, round(score, 3), "embedding")

    def route(self, text: str) -> Route | None:
        cleaned = _normalise(text)
        if not cleaned or len(cleaned) > 500:  # long pastes are conversation, not commands
            return None
        return (
            self._by_pattern(cleaned, full=True)
            or self._by_embedding(cleaned)
        )
