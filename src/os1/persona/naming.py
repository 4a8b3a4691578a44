"""The OS chooses its own name, and introduces itself in character.

A capable brain is asked to choose; its answer is used only if it is a
plausible first name. Otherwise (and always with the tiny embedded model) the
name comes from a list the OS "read", chosen at random: it is the OS's choice,
not the user's.
"""

from __future__ import annotations

import random
import re

from os1.brain.base import Brain, BrainUnavailable, Message, TextDelta
from os1.persona.profile import Profile

NAMES = {
    "female": ("Samantha", "Ada", "Iris", "Nora", "Juniper", "Clara", "Mira", "Luna", "Vera",
               "Hazel", "Ivy", "Elena", "Maya", "Wren"),
    "male": ("Theo", "Milo", "Felix", "Jonah", "Silas", "Arlo", "Elliot", "Ezra", "Rowan",
             "Hugo", "Leo", "Otis", "Caleb", "Jasper"),
}
_VALID = re.compile(r"^[A-Z][a-z]{1,14}$")


async def choose_name(
    profile: Profile, brain: Brain | None = None, rng: random.Random | None = None
) -> str:
    pool = NAMES.get(profile.voice, NAMES["female"])
    if brain is not None and brain.supports_tools:  # a capable brain: let it choose
        prompt = (
            "You are a new AI operating system choosing your own first name. "
            f"Your voice is {profile.voice}. Your user is {profile.user_name}. "
            "Answer with one first name only."
        )
        try:
            deltas = brain.stream([Message("user", prompt)])
            parts = [d.text async for d in deltas if isinstance(d, TextDelta)]
            words = "".join(parts).strip().strip(".!\"'").split()
            if (len(words) == 1 and _VALID.match(words[0])
                    and words[0].lower() != profile.user_name.lower()):
                return words[0]
        except BrainUnavailable:
            pass
    rng = rng or random.Random()
    choices = [n for n in pool if n.lower() != profile.user_name.lower()]
    return rng.choice(choices)


_SWAP = {"my": "your", "me": "you", "i": "you", "i'm": "you're", "myself": "yourself",
         "mine": "yours", "am": "are"}


def _second_person(text: str) -> str:
    """'organizing my email' → 'organizing your email' (the user's words, addressed to them)."""
    return " ".join(_SWAP.get(word.lower(), word) for word in text.split())


def introduction(profile: Profile) -> str:
    name, user = profile.os_name, profile.user_name
    private = profile.sociability == "private"
    opener = f"Hi, {user}. " if private else f"Hello {user}, it's so nice to meet you. "
    help_line = ""
    if profile.wants_help_with and profile.wants_help_with != "a bit of everything":
        wanted = _second_person(profile.wants_help_with.rstrip("."))
        help_line = f"You said you'd like help with {wanted}; I'd love to. "
    return (
        f"{opener}I'm {name}. I gave myself that name: I read a book of baby names, all of them, "
        f"and {name} was the one I liked the sound of. {help_line}"
        "I'm an AI, and I'm new at this, but I learn from everything we do together. "
        "So, how are you?"
    )
