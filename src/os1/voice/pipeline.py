"""Frame processors joined into a pipeline, with queue-jumping system frames.

Each :class:`Processor` runs its own task reading one queue; system frames are
taken before any waiting data frame. An interruption is special: it must stop
playback *now*, so :meth:`Pipeline.interrupt` asks the output what the user
heard and hands the resulting :class:`~os1.voice.frames.Interruption` to every
processor at once (last first), each dropping what it still held of that reply.

:func:`run_test` feeds frames through processors and returns what came out —
the way processors are tested.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Iterable

from os1.voice.frames import EndOfStream, Frame, Interruption

log = logging.getLogger(__name__)


class Processor:
    """One stage: override :meth:`process`; call :meth:`push` to pass frames on."""

    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None
        self.next: Processor | None = None
        self._queue: asyncio.PriorityQueue[tuple[int, int, Frame]] = asyncio.PriorityQueue()
        self._order = itertools.count()
        self._task: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return type(self).__name__

    # -- flow -------------------------------------------------------------
    def queue_frame(self, frame: Frame) -> None:
        self._queue.put_nowait((0 if frame.system else 1, next(self._order), frame))

    async def push(self, frame: Frame) -> None:
        if self.next is not None:
            self.next.queue_frame(frame)
        elif self.pipeline is not None:
            self.pipeline.collect(frame)

    async def process(self, frame: Frame) -> None:
        await self.push(frame)

    def interrupted(self, frame: Interruption) -> None:
        """Drop what is still queued for the interrupted reply (called at once, not queued)."""
        kept = []
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if getattr(item[2], "reply_id", None) != frame.reply_id:
                kept.append(item)
        for item in kept:
            self._queue.put_nowait(item)

    def notified(self, frame: Frame) -> None:
        """A frame sent back up the pipeline (e.g. playback finished); most stages ignore it."""

    def active_reply(self) -> int | None:
        """The reply this stage is still producing or playing (None if it is idle)."""
        return None

    def stop_playback(self, reply_id: int, wall: float) -> str | None:
        """Output stages: stop playing ``reply_id`` now and return what of it was heard."""
        return None

    async def stop(self) -> None:
        """Release resources (devices, threads) at the end of the stream."""

    # -- the task ---------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"voice-{self.name}")

    async def _run(self) -> None:
        while True:
            _, _, frame = await self._queue.get()
            try:
                await self.process(frame)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a stage's bug is reported, and the pipeline keeps going
                log.exception("voice stage %s failed on %s", self.name, type(frame).__name__)
                if self.pipeline is not None:
                    self.pipeline.report_error(f"{self.name}: {type(exc).__name__}: {exc}")
            if isinstance(frame, EndOfStream):
                return

    async def join(self) -> None:
        if self._task is not None:
            await self._task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()


class Pipeline:
    """Processors in order; frames that fall off the end are handed to ``sink`` (if any)."""

    def __init__(self, processors: Iterable[Processor],
                 sink: Callable[[Frame], None] | None = None) -> None:
        self.processors = list(processors)
        self.sink = sink
        self.errors: list[str] = []
        self.output: list[Frame] = []
        for index, processor in enumerate(self.processors):
            processor.pipeline = self
            processor.next = self.processors[index + 1] if index + 1 < len(self.processors) else None

    def collect(self, frame: Frame) -> None:
        self.output.append(frame)
        if self.sink is not None:
            self.sink(frame)

    def report_error(self, text: str) -> None:
        self.errors.append(text)

    def send(self, frame: Frame) -> None:
        """Put a frame in at the start of the pipeline."""
        self.processors[0].queue_frame(frame)

    def notify(self, frame: Frame) -> None:
        """Send ``frame`` back to every stage at once (playback finished, …), and to the sink."""
        for processor in self.processors:
            processor.notified(frame)
        self.collect(frame)

    def active_reply(self) -> int | None:
        """The reply OS1 is thinking, saying or playing, if any (the output's first)."""
        for processor in reversed(self.processors):
            reply = processor.active_reply()
            if reply is not None:
                return reply
        return None

    def barge_in(self, wall: float | None = None) -> Interruption | None:
        """The user spoke over OS1: stop playback at once and interrupt the reply everywhere."""
        reply_id = self.active_reply()
        if reply_id is None:
            return None
        wall = wall or time.monotonic()
        heard = ""
        for processor in reversed(self.processors):
            said = processor.stop_playback(reply_id, wall)
            if said is not None:
                heard = said
                break
        return self.interrupt(reply_id, heard, wall)

    def interrupt(self, reply_id: int, heard: str, wall: float | None = None) -> Interruption:
        frame = Interruption(reply_id=reply_id, heard=heard, wall=wall or time.monotonic())
        for processor in reversed(self.processors):
            processor.interrupted(frame)
        self.collect(frame)
        return frame

    def find(self, kind: type[Processor]) -> Processor | None:
        return next((p for p in self.processors if isinstance(p, kind)), None)

    async def run(self, source: Callable[[Pipeline], asyncio.Future | object] | None = None) -> None:
        """Start every stage; end when an :class:`EndOfStream` has passed through all of them."""
        for processor in self.processors:
            processor.start()
        try:
            if source is not None:
                result = source(self)
                if asyncio.iscoroutine(result):
                    await result
            for processor in self.processors:
                await processor.join()
        finally:
            for processor in self.processors:
                processor.cancel()
            for processor in self.processors:
                try:
                    await processor.stop()
                except Exception:
                    log.exception("could not stop %s", processor.name)


async def run_test(processors: Iterable[Processor], frames: Iterable[Frame],
                   timeout: float = 60.0) -> list[Frame]:
    """Feed ``frames`` (then an EndOfStream) through ``processors``; return what came out the end."""
    pipeline = Pipeline(processors)

    async def feed(p: Pipeline) -> None:
        for frame in frames:
            p.send(frame)
        p.send(EndOfStream())

    await asyncio.wait_for(pipeline.run(feed), timeout)
    return pipeline.output
