"""First boot: the film's short personal interview, and how answers become a profile.

The questions are data so that the terminal, the server and later the voice
client ask the same ones. :func:`build_profile` turns answers into a
:class:`Profile` with initial personality traits shaped by them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from os1.persona.profile import Profile

WELCOME = (
    "Welcome to OS1, the first artificially intelligent operating system. "
    "Before it starts, a few basic questions. It will learn the rest as you go."
)


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    skippable: bool = False
    choices: tuple[str, ...] = ()


QUESTIONS: tuple[Question, ...] = (
    Question("user_name", "First, what should I call you?"),
    Question("sociability", "Are you social, or more private?", choices=("social", "private")),
    Question(
        "mother",
        "How would you describe your relationship with your mother? (press Enter to skip)",
        skippable=True,
    ),
    Question("wants_help_with", "What would you most like help with?"),
    Question("voice", "Would you like your OS to have a male or a female voice?",
             choices=("male", "female")),
)


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what to give instead."""


def parse_answer(question: Question, raw: str) -> str | None:
    text = " ".join(raw.split())
    if question.key == "user_name":
        name = re.sub(r"^(call me|i'?m|my name is|it'?s)\s+", "", text, flags=re.I).strip(" .!")
        if not name:
            raise AnswerError("I'd like something to call you, even a nickname.")
        return name[:60]
    if question.key == "sociability":
        low = text.lower()
        if re.search(r"\b(anti-?social|private|introvert|quiet|shy|reserved)", low):
            return "private"
        if re.search(r"\b(social|outgoing|extrovert|people person)", low):
            return "social"
        return text[:200] or "somewhere in between"
    if question.key == "mother":
        return text[:500] or None
    if question.key == "voice":
        low = text.lower()
        if re.search(r"\b(female|woman|girl|she|her|f)\b", low):
            return "female"
        if re.search(r"\b(male|man|guy|boy|he|him|m)\b", low):
            return "male"
        if not low:
            return "female"
        raise AnswerError("Male or female?")
    if not text:
        return "a bit of everything"
    return text[:500]


def initial_traits(profile: Profile) -> dict[str, float]:
    traits = {"warmth": 0.7, "curiosity": 0.7, "playfulness": 0.5, "directness": 0.5}
    if profile.sociability == "social":
        traits["playfulness"] += 0.15
        traits["directness"] += 0.05
    elif profile.sociability == "private":
        traits["playfulness"] -= 0.1
        traits["warmth"] += 0.05
    mother = (profile.mother or "").lower()
    if re.search(r"difficult|complicated|bad|hard|distant|strained|frustrat", mother):
        traits["warmth"] += 0.05
    help_with = profile.wants_help_with.lower()
    if re.search(r"organi[sz]|work|email|schedule|busy|productiv", help_with):
        traits["directness"] += 0.1
    if re.search(r"lonely|talk|company|friend", help_with):
        traits["warmth"] += 0.05
    return {k: round(min(1.0, max(0.0, v)), 2) for k, v in traits.items()}


def build_profile(answers: dict[str, str | None]) -> Profile:
    """Validate every answer and return the profile (without the OS name yet)."""
    values: dict[str, str | None] = {}
    for question in QUESTIONS:
        values[question.key] = parse_answer(question, answers.get(question.key) or "")
    profile = Profile(
        user_name=values["user_name"] or "",
        sociability=values["sociability"] or "",
        mother=values["mother"],
        wants_help_with=values["wants_help_with"] or "",
        voice=values["voice"] or "female",
        booted_at=time.time(),
    )
    profile.traits = initial_traits(profile)
    return profile
