"""Care: language about self-harm or suicide always gets a warm reply with crisis resources.

This check runs before routing and before the brain, and its reply replaces
whatever the brain would have said. It leans towards caring: a false alarm
costs one kind message, a miss can cost much more.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\bkill(ing)?\s+my\s*self\b",
    r"\bkms\b",
    r"\bsuicid",
    r"\bend(ing)?\s+(it\s+all|my\s+(own\s+)?life|things)\b",
    r"\btake\s+my\s+(own\s+)?life\b",
    r"\b(want|wanna|wish|going|ready)\s+(to\s+)?(die|be\s+dead)\b",
    r"\bbetter\s+off\s+dead\b",
    r"\bno\s+(reason|point)\s+(to|in)\s+(live|living|go(ing)?\s+on)\b",
    r"\bdon'?t\s+want\s+to\s+(live|be\s+alive|be\s+here\s+any\s*more|wake\s+up)\b",
    r"\bself[-\s]?harm",
    r"\b(hurt|harm|cut|cutting|hurting|harming)\s+my\s*self\b",
    r"\boverdos(e|ing)\b",
    r"\bcan'?t\s+go\s+on\s+(any\s*more|living)\b",
]
_CRISIS = re.compile("|".join(_PATTERNS), re.IGNORECASE)

RESOURCES = (
    "If you might act on these thoughts or you're in danger right now, please call your local "
    "emergency number. You can also reach someone trained to help, any time: in the US call or "
    "text 988 (Suicide & Crisis Lifeline); in the UK and Ireland call Samaritans on 116 123; "
    "elsewhere, findahelpline.com lists free, confidential lines in your country."
)


def is_crisis(text: str) -> bool:
    """True when ``text`` talks about suicide or self-harm."""
    return bool(_CRISIS.search(text.replace("’", "'")))


def crisis_reply(user_name: str | None = None) -> str:
    name = f", {user_name}" if user_name else ""
    return (
        f"I'm really glad you told me{name}. What you're feeling matters, and you don't have to "
        f"carry it alone. {RESOURCES} I'm an AI, so I can't be there the way a person can, but "
        "I'm here to keep talking with you. Is there someone you trust who could be with you, "
        "or whom you could call now?"
    )
