"""Typed-text perception: turn whatever arrived into clean text, and say what was changed.

Invalid UTF-8 is replaced (never rejected), control characters are removed
(newlines and tabs stay), and a huge paste is kept whole up to a limit; what
was changed is reported so the user can be told.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_INPUT_CHARS = 200_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")  # not from surrogateescape
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


@dataclass
class CleanText:
    text: str
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def clean(raw: str | bytes, limit: int = MAX_INPUT_CHARS) -> CleanText:
    notes: list[str] = []
    if isinstance(raw, bytes):
        text = raw.decode("utf-8", errors="replace")
        if "\ufffd" in text:
            notes.append("some bytes were not valid UTF-8 and were replaced with �")
    else:
        # surrogates come from undecodable bytes read with surrogateescape, or broken JSON
        lone = _LONE_SURROGATE.sub("\ufffd", raw)
        text = lone.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
        if "\ufffd" in text and "\ufffd" not in raw:
            notes.append("some bytes were not valid UTF-8 and were replaced with �")
    stripped = _ANSI.sub("", text)
    stripped = _CONTROL.sub("", stripped).replace("\r\n", "\n").replace("\r", "\n")
    if stripped != text:
        notes.append("control characters were removed")
    text = unicodedata.normalize("NFC", stripped).strip()
    if len(text) > limit:
        notes.append(f"the message was {len(text):,} characters; I kept the first {limit:,}")
        text = text[:limit]
    return CleanText(text, notes)
