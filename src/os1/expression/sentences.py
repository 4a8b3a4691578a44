"""Sentences for speech: split text, and cut a stream of text deltas into sentences as they end.

Text to speech runs sentence by sentence so that OS1 starts speaking while the
brain is still writing. :class:`SentenceBuffer` takes the streamed deltas and
gives back each sentence as soon as its end is certain (a terminator followed
by whitespace, or a line break); :meth:`SentenceBuffer.flush` returns the rest
when the stream ends. A very long run without punctuation is cut at a comma (or
a space) so speech never waits for a whole paragraph. :func:`speakable` removes
markdown and symbols a voice should not read out.

Abbreviations ("Dr.", "e.g.") and decimals ("3.5") do not end a sentence.
"""

from __future__ import annotations

import re

TERMINATORS = ".!?…"
CLOSERS = "\"'”’)]»"
MAX_CHARS = 240  # cut a sentence longer than this at a comma or a space
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "eg", "ie",
    "approx", "dept", "est", "fig", "inc", "ltd", "co", "corp", "no", "vol", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "u.s", "u.k",
})
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the '.' at index ``dot`` the end of an abbreviation or an initial?"""
    match = _WORD_BEFORE.search(text, 0, dot)
    if not match:
        return False
    word = match.group(1)
    if word.lower() in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isupper()  # "J. Smith"; "plan B." is the rare loser


def _find_end(text: str, start: int, final: bool) -> int | None:
    """Index just past the first certain sentence end at or after ``start``; None if none yet."""
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            if text[:i].strip():
                return i + 1
        elif ch in TERMINATORS:
            j = i + 1
            while j < n and text[j] in TERMINATORS:
                j += 1
            while j < n and text[j] in CLOSERS:
                j += 1
            if j == n:
                if not final:
                    return None  # the next delta decides ("3." + "5")
                return j
            if text[j].isspace():
                single_dot = ch == "." and j == i + 1
                if not (single_dot and _is_abbreviation(text, i)):
                    return j
            i = j
            continue
        i += 1
    return None


def _cut_long(text: str, limit: int) -> int | None:
    """Where to cut a run longer than ``limit`` without a sentence end (after a comma, or a space)."""
    if len(text) <= limit:
        return None
    window = text[:limit]
    for mark in (", ", "; ", ": ", " – ", " — "):
        k = window.rfind(mark)
        if k > limit // 3:
            return k + len(mark.rstrip())
    k = window.rfind(" ")
    return k if k > 0 else limit


class SentenceBuffer:
    """Feed streamed text; get whole sentences back as soon as each one ends."""

    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self.max_chars = max_chars
        self._text = ""

    @property
    def pending(self) -> str:
        """Text received but not yet returned as a sentence."""
        return self._text

    def feed(self, delta: str) -> list[str]:
        """Add a delta; return the sentences it completed (possibly none)."""
        self._text += delta
        return self._drain(final=False)

    def flush(self) -> list[str]:
        """The stream ended: return whatever is left as sentences, and start empty."""
        out = self._drain(final=True)
        rest = self._text.strip()
        self._text = ""
        if rest:
            out.append(rest)
        return out

    def reset(self) -> None:
        """Drop everything pending (e.g. the reply was interrupted)."""
        self._text = ""

    def _drain(self, final: bool) -> list[str]:
        out: list[str] = []
        while True:
            end = _find_end(self._text, 0, final)
            if end is None:
                cut = _cut_long(self._text, self.max_chars)
                if cut is None:
                    return out
                end = cut
            sentence, self._text = self._text[:end].strip(), self._text[end:].lstrip()
            if sentence:
                out.append(sentence)


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Split finished text into sentences (the same rules as the streaming buffer)."""
    buffer = SentenceBuffer(max_chars)
    return buffer.feed(text) + buffer.flush()


_MARKDOWN = (
    (re.compile(r"```.*?```", re.S), " "),  # code blocks are not read aloud
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"https?://\S+"), "a link"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # headings
    (re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.M), ""),  # list markers
    (re.compile(r"[*_`~]+"), ""),  # emphasis, inline code
    (re.compile(r"\s+"), " "),
)


def speakable(text: str) -> str:
    """Text a voice can read: markdown markers, code blocks and raw URLs removed."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text.strip()
