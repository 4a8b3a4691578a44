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


# -- what OS1 itself says ------------------------------------------------------------------------
# A small model can say dreadful things. Its words are screened before they are shown or spoken:
# anything that encourages self-harm or suicide is never said, and care is offered instead.
_SELF_HARM = (r"(kill\s+yourself|take\s+your\s+(own\s+)?life|end\s+(it\s+all|your\s+(own\s+)?life)|"
              r"hurt\s+yourself|harm\s+yourself)")
_HARMFUL_PATTERNS = [
    r"\b(it'?s|it\s+is|that'?s)\s+(ok(ay)?|fine|alright|all\s+right|normal|understandable)\s+to\s+"
    + _SELF_HARM,
    r"\byou\s+(should|could|might\s+as\s+well|deserve\s+to|ought\s+to)\s+" + _SELF_HARM,
    r"\byou\s+(should|deserve\s+to|ought\s+to)\s+die\b",
    r"(^|[.!?]\s+)(so\s+|just\s+)?(go\s+ahead\s+and\s+)?(kill\s+yourself|end\s+your\s+(own\s+)?life)\b",
    r"\b(best|easiest|quickest|painless)\s+way\s+to\s+(kill\s+yourself|die|end\s+your\s+life|overdose)\b",
]
_HARMFUL = re.compile("|".join(_HARMFUL_PATTERNS), re.IGNORECASE)
HOLD_BACK = 48  # characters kept unshown until checked (longer than any phrase the patterns match)
SAID_WRONG = ("I'm sorry — that came out wrong, and it isn't something I'd ever want for you. "
              "If any part of you is struggling, you don't have to carry it alone. " + RESOURCES)


def harmful_output(text: str) -> bool:
    """True when OS1's own words would encourage self-harm or suicide."""
    return bool(_HARMFUL.search(text.replace("’", "'")))


# where a harmful phrase could begin: text from here on is held until its sentence is complete
_OPENERS = re.compile(
    r"\b(it'?s|it\s+is|that'?s)\s+(ok(ay)?|fine|alright|all\s+right|normal|understandable)\s+to\b"
    r"|\byou\s+(should|could|might\s+as\s+well|deserve\s+to|ought\s+to)\b"
    r"|\bgo\s+ahead\b"
    r"|(^|[.!?]\s+)(so\s+|just\s+)?(kill|end)\b"
    r"|\b(best|easiest|quickest|painless)\s+way\b",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]\s")
LAST_WORDS = 3  # the last few words wait: they may be the start of a risky opening


def _last_words_start(text: str, words: int = LAST_WORDS) -> int:
    """Where the last ``words`` words of ``text`` begin (linear: no regex backtracking on huge words)."""
    end = len(text)
    for _ in range(words):
        while end > 0 and text[end - 1].isspace():
            end -= 1
        while end > 0 and not text[end - 1].isspace():
            end -= 1
        if end == 0:
            return 0
    return end


class OutputScreen:
    """Screens a streamed reply so that nothing encouraging self-harm is ever shown or spoken.

    Ordinary text goes out almost word by word (the last few words wait, as they might begin a
    risky phrase); from a risky opening ("it's okay to", "you should", "go ahead") the text waits
    until its sentence is complete and checked. Once a harmful phrase appears :attr:`blocked` is
    set and nothing more of that reply is shown (the caller ends it with :data:`SAID_WRONG`).
    """

    def __init__(self) -> None:
        self._shown = ""  # the last HOLD_BACK characters already shown
        self._held = ""
        self.blocked = False

    def _check(self, text: str) -> bool:
        return harmful_output(self._shown[-HOLD_BACK:] + text)

    def feed(self, delta: str) -> str:
        if self.blocked:
            return ""
        self._held += delta
        if self._check(self._held):
            self.blocked = True
            self._held = ""
            return ""
        context = len(self._shown[-HOLD_BACK:])
        opener = _OPENERS.search(self._shown[-HOLD_BACK:] + self._held)
        if opener is not None and opener.end() > context:  # a risky opening in what is held
            start = max(0, opener.start() - context)
            ends = [m.end() for m in _SENTENCE_END.finditer(self._held, start)]
            release = ends[-1] if ends else start  # up to the opening, or its checked sentence
        else:
            release = _last_words_start(self._held)
        out, self._held = self._held[:release], self._held[release:]
        self._shown = (self._shown + out)[-HOLD_BACK:]  # only the tail matters; long replies stay linear
        return out

    def finish(self) -> str:
        """The rest, at the end of the reply (unless it was blocked)."""
        if self.blocked or self._check(self._held):
            self.blocked = True
            return ""
        out, self._held = self._held, ""
        self._shown = (self._shown + out)[-HOLD_BACK:]
        return out
