"""The mouth of the voice pipeline: streamed reply text → sentences → speech.

Speech starts with the first sentence while the brain is still writing the
rest. A long first sentence is cut at its first comma so the user hears OS1
sooner. Synthesis runs in a worker thread; an interruption drops every
sentence not yet spoken.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from os1.expression.sentences import SentenceBuffer, speakable
from os1.expression.style import SpeechStyle
from os1.voice.frames import (
    Frame,
    Interruption,
    Notice,
    ReplyAudio,
    ReplyEnded,
    ReplySentence,
    ReplyStarted,
    ReplyText,
)
from os1.voice.pipeline import Processor

log = logging.getLogger(__name__)
FIRST_CLAUSE_WORDS = 3  # a first clause this long ("Oh, I'd love to," …) is spoken before its sentence ends
_CLAUSE = re.compile(r"^(.{12,}?[,;:])\s+(\S.*)$", re.S)


class Sentencer(Processor):
    """ReplyText in; ReplySentence out, each as soon as it is complete."""

    def __init__(self) -> None:
        super().__init__()
        self._buffers: dict[int, SentenceBuffer] = {}
        self._styles: dict[int, SpeechStyle] = {}
        self._first: set[int] = set()

    async def process(self, frame: Frame) -> None:
        if isinstance(frame, ReplyStarted):
            self._buffers[frame.reply_id] = SentenceBuffer()
            self._styles[frame.reply_id] = frame.style
            self._first.add(frame.reply_id)
            await self.push(frame)
        elif isinstance(frame, ReplyText):
            buffer = self._buffers.get(frame.reply_id)
            if buffer is None:
                return
            for sentence in buffer.feed(frame.text):
                await self._sentence(frame.reply_id, sentence)
            if frame.reply_id in self._first:  # first clause early, if it is clearly one
                match = _CLAUSE.match(buffer.pending)
                if match and len(match.group(1).split()) >= FIRST_CLAUSE_WORDS:
                    buffer.reset()
                    buffer.feed(match.group(2))
                    await self._sentence(frame.reply_id, match.group(1))
        elif isinstance(frame, ReplyEnded):
            buffer = self._buffers.pop(frame.reply_id, None)
            for sentence in buffer.flush() if buffer else []:
                await self._sentence(frame.reply_id, sentence)
            self._styles.pop(frame.reply_id, None)
            self._first.discard(frame.reply_id)
            await self.push(frame)
        else:
            await self.push(frame)

    async def _sentence(self, reply_id: int, text: str) -> None:
        self._first.discard(reply_id)
        if text.strip():
            await self.push(ReplySentence(reply_id, text.strip(), self._styles.get(reply_id, SpeechStyle())))

    def interrupted(self, frame: Interruption) -> None:
        super().interrupted(frame)
        self._buffers.pop(frame.reply_id, None)


class Voice(Processor):
    """ReplySentence in; ReplyAudio out (text to speech)."""

    def __init__(self, tts: Any) -> None:
        super().__init__()
        self.tts = tts
        self._cut: set[int] = set()
        self._failed = False

    async def process(self, frame: Frame) -> None:
        if not isinstance(frame, ReplySentence):
            await self.push(frame)
            return
        if frame.reply_id in self._cut:
            return
        words = speakable(frame.text)
        if not words.strip():
            return
        try:
            audio = await asyncio.to_thread(self.tts.synthesize, words, frame.style)
        except Exception as exc:
            log.exception("text to speech failed")
            if not self._failed:
                self._failed = True
                await self.push(Notice(f"I couldn't speak that sentence ({exc}).", "warning"))
            return
        if frame.reply_id in self._cut:  # interrupted while it was being synthesized
            return
        await self.push(ReplyAudio(frame.reply_id, audio.samples, audio.rate, frame.text))

    def interrupted(self, frame: Interruption) -> None:
        super().interrupted(frame)
        self._cut.add(frame.reply_id)
