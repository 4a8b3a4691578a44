"""End-of-turn detection: has the user finished, or only paused?

Two signals, as people use them: how long the silence has lasted, and whether
the words so far sound finished. "Can you remind me to call my sister" ends a
turn after a short pause; "I was thinking that maybe, um" does not, so OS1
waits longer before it answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# words a finished sentence rarely ends on
_DANGLING_WORDS = """
a an the and or but so because if then that which who whose when while whereas although though
to of in on at for with from by about into onto over under like as than
my your his her our their its this these those
i we you he she they it i'm i've i'd we're you're
um uh er erm hmm mm eh
is are was were be been am do does did have has had can could would should will shall may might must
just maybe really very also
"""
_DANGLING = frozenset(_DANGLING_WORDS.split())
_WORD = re.compile(r"[a-z']+")
_TRAILING_FILLER = re.compile(r"(,|\.\.\.|…|-|—)\s*$")


def sounds_finished(text: str) -> bool:
    """Whether ``text`` reads like a complete turn (a question, a request, a statement)."""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.endswith(("?", "!")):
        return True
    if _TRAILING_FILLER.search(stripped):
        return False
    words = _WORD.findall(stripped.lower())
    if not words:
        return False
    return words[-1] not in _DANGLING


@dataclass(frozen=True)
class TurnEndPolicy:
    """How long a silence ends the turn: short after finished words, longer after unfinished ones."""

    pause_s: float = 0.128  # silence that counts as a pause: transcribe what was said so far, at once
    finished_s: float = 0.2  # a pause this long after words that sound finished ends the turn
    short_s: float = 0.5  # one or two words ("Wait," "So.") may be a start: wait a little longer
    unfinished_s: float = 1.0  # any silence this long ends the turn, finished or not
    max_turn_s: float = 60.0  # a monologue is cut into turns of at most this long

    def ends_turn(self, silence_s: float, text: str | None) -> bool:
        """``text`` is the transcript so far (None while it is still being transcribed)."""
        if silence_s >= self.unfinished_s:
            return True
        if text is None or not sounds_finished(text):
            return False
        short = len(_WORD.findall(text.lower())) <= 2 and not text.rstrip().endswith("?")
        return silence_s >= (self.short_s if short else self.finished_s)
