"""The mind in the voice pipeline: a finished user turn in, the reply streamed out.

It runs the same turn loop as the terminal chat (care, consent, skills, the
brain, memory), so a spoken conversation and a typed one are one conversation.
The reply is remembered only once it has been spoken: when playback finishes,
or with only the words the user heard if they cut in.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from os1.core.conversation import Conversation
from os1.core.events import Notice as NoticeEvent
from os1.core.events import TextChunk, TurnDone
from os1.expression.style import SpeechStyle
from os1.voice.frames import (
    EndOfStream,
    Frame,
    Interruption,
    Notice,
    PlaybackFinished,
    ReplyEnded,
    ReplyStarted,
    ReplyText,
    SpeakUp,
    UserTurn,
)
from os1.voice.pipeline import Processor

log = logging.getLogger(__name__)
_ids = itertools.count(1)


class Thinker(Processor):
    """UserTurn in; ReplyStarted, ReplyText…, ReplyEnded out. A SpeakUp (OS1's own initiative: a
    reminder) comes out the same way, after the reply in progress."""

    def __init__(self, conversation: Conversation) -> None:
        super().__init__()
        self.conversation = conversation
        conversation.hold_memories = True  # remember what was *heard*, once it has been played
        # remembering embeds and reasons: never on the event loop that is listening for a barge-in
        conversation.runtime.remember_in_background()
        self._task: asyncio.Task[None] | None = None  # type: ignore[assignment]
        self._turn_task: asyncio.Task[None] | None = None
        self._reply_id: int | None = None
        self._unsettled: dict[int, Any] = {}  # reply id → the conversation's held memory job
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="os1-voice-settle")  # in order
        self._settling: list[asyncio.Future[None]] = []

    def active_reply(self) -> int | None:
        if self._turn_task is not None and not self._turn_task.done():
            return self._reply_id
        return None

    async def process(self, frame: Frame) -> None:
        if isinstance(frame, UserTurn):
            await self._finish_turn()  # one turn at a time, in order
            self._reply_id = next(_ids)
            self._turn_task = asyncio.create_task(self._reply(self._reply_id, frame))
            return
        if isinstance(frame, SpeakUp):
            await self._finish_turn()  # never over its own reply
            reply_id = next(_ids)
            await self.push(ReplyStarted(reply_id))
            await self.push(ReplyText(reply_id, frame.text))
            await self.push(ReplyEnded(reply_id, frame.text, "complete", frame.message_id))
            return
        if isinstance(frame, EndOfStream):
            await self._finish_turn()
            await self.push(frame)
            return
        await self.push(frame)

    async def _finish_turn(self) -> None:
        if self._turn_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._turn_task
            self._turn_task = None

    async def _reply(self, reply_id: int, turn: UserTurn) -> None:
        started = False
        shown: list[str] = []
        try:
            async with contextlib.aclosing(self.conversation.turn(turn.text, prosody=turn.prosody)) as events:
                async for event in events:
                    kind = getattr(event, "type", "")
                    if kind == "affect" and not started:
                        data = {k: getattr(event, k) for k in ("state", "confidence", "cues", "source")
                                if hasattr(event, k)}
                        style = SpeechStyle(pace=getattr(event, "pace", 1.0),
                                            pause_s=getattr(event, "pause_s", 0.25))
                        started = True
                        await self.push(ReplyStarted(reply_id, style, data))
                        continue
                    if not started:
                        started = True
                        await self.push(ReplyStarted(reply_id))
                    if isinstance(event, TextChunk):
                        shown.append(event.text)
                        await self.push(ReplyText(reply_id, event.text))
                    elif isinstance(event, NoticeEvent):
                        await self.push(Notice(event.text, event.level))
                    elif isinstance(event, TurnDone):
                        self._unsettled[reply_id] = True
                        await self.push(ReplyEnded(reply_id, event.text, event.status, event.message_id))
        except asyncio.CancelledError:
            self._unsettled[reply_id] = True
            raise
        except Exception as exc:
            log.exception("the voice turn failed")
            await self.push(Notice(f"Something went wrong while answering ({type(exc).__name__}).",
                                   "warning"))
            await self.push(ReplyEnded(reply_id, "".join(shown), "error"))

    def interrupted(self, frame: Interruption) -> None:
        super().interrupted(frame)
        task = self._turn_task
        if frame.reply_id == self._reply_id and task is not None and not task.done():
            task.cancel()  # its cleanup stores what was shown; settling then keeps what was heard
            task.add_done_callback(lambda _: self._settle(frame.reply_id, frame.heard))
        else:
            self._settle(frame.reply_id, frame.heard)

    def notified(self, frame: Frame) -> None:
        if isinstance(frame, PlaybackFinished):
            self._settle(frame.reply_id, None)

    def _settle(self, reply_id: int, heard: str | None) -> None:
        """Keep what was heard of a reply; the database work runs off the loop (it may wait for the
        memory writer), in order, so the ear never stalls."""
        if self._unsettled.pop(reply_id, None) is None:
            return
        work = self.conversation.settle(heard)  # takes the held reply now, so the next turn can't
        if work is None:
            return

        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("could not record what was heard of reply %s", reply_id)

        self._settling = [f for f in self._settling if not f.done()]
        self._settling.append(asyncio.get_running_loop().run_in_executor(self._db, run))

    async def stop(self) -> None:
        if self._turn_task is not None and not self._turn_task.done():
            self._turn_task.cancel()
            with contextlib.suppress(BaseException):
                await self._turn_task
        for reply_id in list(self._unsettled):
            self._settle(reply_id, None)
        await asyncio.gather(*self._settling, return_exceptions=True)
        self._db.shutdown(wait=True)
        await asyncio.to_thread(self.conversation.runtime.flush_memories)  # all said is remembered
