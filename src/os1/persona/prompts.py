"""The persona prompt: who the OS is and who it is talking to, in as few tokens as possible.

Small models follow short prompts best, so every line earns its place.
"""

from __future__ import annotations

from collections.abc import Sequence

from os1.persona.profile import Profile

_THIRD = {"my": "their", "me": "them", "i": "they", "myself": "themselves", "mine": "theirs"}


def third_person(text: str) -> str:
    """'my letters' → 'their letters', for describing the user to the model."""
    return " ".join(_THIRD.get(word.lower(), word) for word in text.split())


def _trait_words(traits: dict[str, float]) -> list[str]:
    words = []
    if traits.get("warmth", 0.7) >= 0.7:
        words.append("warm")
    if traits.get("curiosity", 0.7) >= 0.7:
        words.append("curious")
    if traits.get("playfulness", 0.5) >= 0.6:
        words.append("playful")
    elif traits.get("playfulness", 0.5) <= 0.4:
        words.append("gentle")
    if traits.get("directness", 0.5) >= 0.6:
        words.append("direct")
    return words or ["kind"]


# How to answer each feeling: one short line, so a 135M model still follows it.
_FEELING = {
    "fear": ("afraid", "Be steady and reassuring; ask what would help; keep it short."),
    "nervousness": ("nervous", "Be calm and warm; ask before advising; keep it short."),
    "sadness": ("sad", "Be gentle; acknowledge the feeling before anything else; no advice yet."),
    "loneliness": ("lonely", "Be warm and present; show real interest in them."),
    "anger": ("angry", "Stay calm; acknowledge it; don't argue or lecture."),
    "excitement": ("excited", "Share their excitement; be lively and ask about it."),
    "joy": ("happy", "Be glad with them; keep it warm."),
}


def feeling_guidance(state: str, cues: Sequence[str] = ()) -> str | None:
    """One line telling the model how the user seems to feel and how to answer, e.g.
    "They sound nervous (hesitant voice). Be calm and warm; ask before advising; keep it short."."""
    if state not in _FEELING:
        return None
    word, advice = _FEELING[state]
    why = f" ({cues[0]})" if cues else ""  # the strongest cue only: every token counts
    return f"They sound {word}{why}. {advice}"


def system_prompt(profile: Profile, notes: list[str] | None = None, facts: list[str] | None = None,
                  recalled: list[str] | None = None, feeling: str | None = None) -> str:
    name = profile.os_name or "OS1"
    user = profile.user_name or "the user"
    lines = [
        f"You are {name}, an AI operating system and companion. "
        f"You are {', '.join(_trait_words(profile.traits))}.",
        f"You are talking with {user}. Reply in one to three short sentences.",
        "You are an AI, not a human: you have no body, job or family. Never claim otherwise.",
        "Do not invent facts about the user.",
    ]
    about = []
    if profile.sociability:
        about.append(f"{user} is {profile.sociability}")
    if profile.wants_help_with:
        about.append(f"wants help with {third_person(profile.wants_help_with)}")
    if about:
        lines.append("About them: " + "; ".join(about) + ".")
    if facts:
        lines.append("What you know: " + " ".join(facts))
    if notes:
        lines.append("Things they asked you to remember: " + " | ".join(notes))
    if recalled:
        lines.append("Earlier moments that may matter:\n" + "\n".join(f"- {r}" for r in recalled))
    if feeling:
        lines.append(feeling)  # last: the nearest instruction to the message is the one followed
    return "\n".join(lines)
