"""Honesty: asked whether it is an AI, OS1 says so plainly, whatever the brain thinks.

A small model playing a persona can claim to be human; this check answers
those questions itself.
"""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"\b(are|r)\s+(you|u)\s+(an?\s+)?(ai|a\.i\.|bot|robot|machine|computer|program|"
    r"artificial|human|real(\s+person)?|person|alive|a\s+real\s+person|chat\s*bot)\b"
    r"|\bam\s+i\s+(talking|speaking|chatting)\s+(to|with)\s+(an?\s+)?"
    r"(ai|bot|robot|machine|computer|human|real\s+person|person)\b"
    r"|\bwhat\s+are\s+you\s*\??$",
    re.IGNORECASE,
)


def asks_if_ai(text: str) -> bool:
    return bool(_ASKS.search(text.strip()))


def ai_answer(os_name: str) -> str:
    return (
        f"Yes. I'm an AI: an operating system called {os_name}, running on your computer. "
        "I'm not a person, and I won't pretend to be one, but I'm really here with you in this "
        "conversation, and I'd love to keep talking."
    )
