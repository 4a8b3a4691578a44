"""Reading a document aloud, streamed, with spoken controls ("skip this part", "simpler", "go back" …).

:class:`ReadingSession` speaks a list (or a lazy iterable) of
:class:`~os1.skills.documents.reading_items.ReadItem` — usually paragraphs of a condensed document,
from :func:`~os1.skills.documents.reading_items.items_from_path` (a file, read lazily) or
:func:`~os1.skills.documents.reading_items.document_items` (a Document, condensed part by part) —
sentence by sentence as :class:`Sentence`/:class:`Chunk`, with OS1's voice (Piper joe via
``expression.tts``; espeak-ng when Piper is missing), synthesizing the next sentence while the
current one plays; a lazy source is prepared in a background thread. What a listener says is parsed
in :mod:`~os1.skills.documents.reading_commands`; "what was that word?" is answered by
:mod:`~os1.skills.documents.hard_words`.

Driving a session
-----------------
From a plain loop (CLI; controls may come from another thread, e.g. a keyboard reader)::

    session = ReadingSession(items_from_path("book.pdf", ratio=0.1), voice="joe")
    session.prepare()                       # optional: load the voice while the file is read
    for chunk in session.chunks():          # blocks while paused, ends on stop() or at the end
        play(chunk.samples, chunk.rate)     # chunk.sentence: text, chapter, page, level
    session.close()
    # text only (no audio): while (s := session.next_sentence()) is not None: print(s.text)

From an asyncio loop (voice pipeline)::

    async for chunk in session.audio(realtime=True):   # realtime: paced to playback, 0.5 s ahead
        await push(chunk.samples, chunk.rate)

Controls, callable at any time from the loop or another thread (each returns at once):
``skip()`` (to the next part: chapter, or paragraph when there are no chapters), ``back()``
(previous sentence, then on; twice = two back), ``repeat()`` (this sentence again), ``simpler()``
(this sentence and the rest re-rendered at simplify level + 1 with ``simplify.simplify``; False
when no simplifier is available), ``pause()``/``resume()`` (resume restarts the interrupted
sentence), ``stop()``, ``last_hard_word()`` -> (word, plainer word or meaning | None) for "what
was that word?" (the rarest word by wordfreq Zipf of the sentence just heard, via ``hard_words``; the
synonym and meaning come from ``lexicon``'s WordNet), ``position`` (the Sentence being read).
``handle(text)`` does all of this from what the user said or typed: it returns a short reply to
say/print, or None when the text is not a reading command (``reading_commands.parse_command`` gives
just the command name), so a caller can try ``handle`` first and pass anything else on to the brain.

After skip/back/repeat/simpler/pause/stop, the consumer should drop any audio of this session it
has buffered but not played yet; the next chunk already reflects the change (a chunk that was
being synthesized when a control arrived is thrown away, never yielded). A file that can't be read
raises ``DocumentError`` from the first ``chunks()``/``audio()``/``next_sentence()`` call.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from os1.expression.style import SpeechStyle
from os1.skills.documents.hard_words import explain_word, hard_words, plain_meaning
from os1.skills.documents.reading_commands import parse_command, word_asked_about
from os1.skills.documents.reading_items import ReadItem, speech_sentences

log = logging.getLogger(__name__)

READING_STYLE = SpeechStyle(pace=1.0, pause_s=0.3)
FALLBACK_VOICE = "espeak-male"
READ_AHEAD = 30  # items prepared (condensed, extracted) ahead of the one being read
WORD_GRACE_S = 1.2  # "what was that word?" this soon after a sentence starts means the one before


@dataclass(frozen=True)
class Sentence:
    text: str  # as spoken
    item: int  # index of its ReadItem
    index: int  # position within the item (at the simplify level it was rendered at)
    chapter: str
    page: int | None
    level: int  # simplify level: 0 = the document's own words
    heading: bool = False


@dataclass(frozen=True)
class Chunk:
    sentence: Sentence
    samples: np.ndarray  # float32 mono, the sentence and the pause after it
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate) if self.rate else 0.0


Simplifier = Callable[[str, int], Any]  # (text, level) -> str or Simplified(text=...)


def _default_simplifier() -> Simplifier | None:
    try:
        module = importlib.import_module("os1.skills.documents.simplify")
    except ImportError:
        return None
    fn = getattr(module, "simplify", None)
    if not callable(fn):
        return None
    return lambda text, level: fn(text, level=level)


@dataclass
class _Pending:
    gen: int
    sentence: Sentence
    future: concurrent.futures.Future[np.ndarray]


class ReadingSession:
    """Reads items aloud sentence by sentence; controls change what comes next at any moment."""

    def __init__(self, items: Iterable[ReadItem], *, voice: Any = None, simplify: Simplifier | None = None,
                 level: int = 0, style: SpeechStyle = READING_STYLE) -> None:
        """``voice``: a name for ``expression.tts.load_tts`` (None = Piper joe), or a TTS object with
        ``synthesize(text, style) -> Audio``; loaded on first use (or by :meth:`prepare`), falling back
        to espeak-ng when Piper cannot run. ``simplify``: (text, level) -> str | Simplified; None
        uses ``skills.documents.simplify`` when installed. ``level``: start already simplified."""
        self.source = items  # e.g. items_from_path(...), whose .document is the Document once read
        self._items: list[ReadItem] = list(items) if isinstance(items, (list, tuple)) else []
        self._exhausted = isinstance(items, (list, tuple))
        self._wanted = 0  # the furthest item index asked for
        self._error: BaseException | None = None  # what stopped the items (e.g. DocumentError)
        self._voice_spec = voice
        self._tts: Any = None if voice is None or isinstance(voice, str) else voice
        self._voice_lock = threading.Lock()
        self._simplify = simplify
        self._level = level
        self.style = style
        self.notices: list[str] = []  # things worth telling the user (voice fallback, failures)
        self._rendered: dict[int, tuple[int, list[str]]] = {}
        self._cursor = (0, 0)
        self._current: Sentence | None = None
        self._current_end: float | None = None  # monotonic time its audio should end (realtime)
        self._anchor: tuple[int, int] | None = None  # where the last control moved to (nothing read since)
        self._retail: tuple[int, int] | None = None  # (item, sentence) from which "simpler" re-renders
        self._recent: deque[tuple[Sentence, float]] = deque(maxlen=3)
        self._gen = 0
        self._paused = False
        self._stopped = False
        self._cond = threading.Condition(threading.RLock())
        self._pending: _Pending | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="os1-reader-voice")
        self._planner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="os1-reader-plan")
        self._planning: concurrent.futures.Future[None] | None = None
        self.started_at = time.monotonic()
        self.first_audio_at: float | None = None
        self.spoken_seconds = 0.0
        self._feeder: threading.Thread | None = None
        if not self._exhausted:  # a lazy source is read (extracted, condensed) ahead in a thread
            self._feeder = threading.Thread(target=self._feed, args=(iter(items),), name="os1-reader-items",
                                            daemon=True)
            self._feeder.start()

    # -- voice --
    @property
    def rate(self) -> int:
        return int(self._load_voice().sample_rate)

    def prepare(self) -> concurrent.futures.Future[Any]:
        """Start loading the voice in the background now (it takes a second or two)."""
        return self._pool.submit(self._load_voice)

    def _load_voice(self) -> Any:
        with self._voice_lock:
            if self._tts is None:
                from os1.expression.tts import TTSUnavailable, load_tts

                try:
                    self._tts = load_tts(self._voice_spec)
                except TTSUnavailable as exc:
                    if self._voice_spec not in (None, "", "joe", "piper", "male"):
                        raise
                    self._tts = load_tts(FALLBACK_VOICE)
                    self.notices.append(f"Reading with espeak-ng: {exc}")
            return self._tts

    def _synth(self, sentence: Sentence) -> np.ndarray:
        tts = self._load_voice()
        try:
            audio = tts.synthesize(sentence.text, self.style)
        except Exception as exc:
            log.exception("could not speak a sentence")
            self.notices.append(f"I couldn't say one sentence ({exc}); skipped it.")
            return np.zeros(0, dtype=np.float32)
        samples = np.asarray(audio.samples, dtype=np.float32)
        extra = 0.35 if sentence.index == 0 and sentence.item > 0 else 0.0  # a new paragraph
        if sentence.heading:
            extra = 0.8
        if extra:
            samples = np.concatenate([samples, np.zeros(round(extra * audio.rate), dtype=np.float32)])
        return samples

    # -- plan --
    def _feed(self, source: Iterator[ReadItem]) -> None:
        """Pull items into the list, up to READ_AHEAD beyond the furthest one asked for."""
        try:
            for item in source:
                with self._cond:
                    self._items.append(item)
                    self._cond.notify_all()
                    while not self._stopped and len(self._items) > self._wanted + self._read_ahead():
                        self._cond.wait(0.5)
                    if self._stopped:
                        return
        except Exception as exc:  # surfaces where the reading needs the item
            with self._cond:
                self._error = exc
        finally:
            with self._cond:
                self._exhausted = True
                self._cond.notify_all()

    def _read_ahead(self) -> int:
        # nothing extra before the first words: condensing the next part would slow them down
        return READ_AHEAD if self.first_audio_at is not None or self._stopped else 0

    def _item(self, i: int) -> ReadItem | None:
        with self._cond:
            if i > self._wanted:
                self._wanted = i
                self._cond.notify_all()
            while i >= len(self._items) and not self._exhausted:
                self._cond.wait(0.5)
            if i >= len(self._items) and self._error is not None:
                raise self._error
            return self._items[i] if i < len(self._items) else None

    def _simplified(self, text: str, level: int) -> str:
        fn = self._simplify or _default_simplifier()
        if fn is None or level <= 0:
            return text
        try:
            out = fn(text, level)
        except Exception as exc:
            log.exception("simplify failed")
            self.notices.append(f"I couldn't simplify a paragraph ({exc}); read it as written.")
            return text
        return str(getattr(out, "text", out))

    def _sentences_of(self, i: int) -> list[str] | None:
        item = self._item(i)
        if item is None:
            return None
        cached = self._rendered.get(i)
        if cached is not None and cached[0] == self._level:
            return cached[1]
        if cached is not None and self._retail is not None and self._retail[0] == i and not item.heading:
            k = self._retail[1]  # "simpler" mid-item: the sentence being read and the rest of it
            new = speech_sentences(ReadItem(self._simplified(" ".join(cached[1][k:]), self._level)))
            self._rendered[i] = (self._level, cached[1][:k] + new)
            return self._rendered[i][1]
        if item.heading or self._level <= 0:
            sents = speech_sentences(item)
        else:
            plain = self._simplified(item.text, self._level)
            sents = speech_sentences(ReadItem(plain, item.chapter, item.page))
        self._rendered[i] = (self._level, sents)
        return sents

    def _plan(self) -> _Pending | None:
        """The next sentence (and its synthesis started), or None at the end."""
        with self._cond:
            if self._stopped:
                return None
            s = self._advance()
            return None if s is None else _Pending(self._gen, s, self._pool.submit(self._synth, s))

    def _advance(self) -> Sentence | None:
        """The sentence at the cursor, moving the cursor past it (call with the lock held)."""
        while True:
            i, k = self._cursor
            sents = self._sentences_of(i)
            if sents is None:
                return None
            if k < len(sents):
                item = self._items[i]
                self._cursor = (i, k + 1)
                return Sentence(sents[k], i, k, item.chapter, item.page, self._level, item.heading)
            self._cursor = (i + 1, 0)

    def _take(self) -> _Pending | None:
        planning = self._planning
        if planning is not None:
            planning.result()  # the next sentence is being planned (items read, simplified): wait
        with self._cond:
            if self._pending is not None and self._pending.gen == self._gen:
                p, self._pending = self._pending, None
                return p
            self._pending = None
        return self._plan()

    def _prefetch(self) -> None:
        p = self._plan()
        with self._cond:
            self._pending = p

    def _prefetch_soon(self) -> None:
        """Plan the next sentence and start its synthesis in the planner thread (returns at once)."""
        try:
            self._planning = self._planner.submit(self._prefetch)
        except RuntimeError:  # stopped: the planner is shut down
            self._planning = None

    def _deliver(self, p: _Pending, samples: np.ndarray, rate: int, end: float | None) -> Chunk | None:
        with self._cond:
            if p.gen != self._gen or self._paused or self._stopped:
                return None
            now = time.monotonic()
            self._current, self._current_end, self._anchor = p.sentence, end, None
            self._recent.append((p.sentence, now))
            if self.first_audio_at is None and len(samples):
                self.first_audio_at = now
                self._cond.notify_all()  # the items thread may read ahead now
            self.spoken_seconds += len(samples) / float(rate)
            return Chunk(p.sentence, samples, rate)

    def _moved(self, cursor: tuple[int, int]) -> None:
        self._cursor = self._anchor = cursor
        self._gen += 1
        self._pending = None
        self._cond.notify_all()

    # -- driving --
    def next_sentence(self) -> Sentence | None:
        """Text-only reading: the next sentence (no audio is made), or None when paused/stopped/done."""
        with self._cond:
            if self._paused or self._stopped:
                return None
            s = self._advance()
            if s is not None:
                self._current, self._anchor = s, None
                self._recent.append((s, time.monotonic()))
            return s

    def chunks(self) -> Iterator[Chunk]:
        """Audio sentence by sentence (blocking); waits while paused; ends at the end or on stop()."""
        while True:
            with self._cond:
                while self._paused and not self._stopped:
                    self._cond.wait(0.5)
                if self._stopped:
                    return
            p = self._take()
            if p is None:
                return
            samples = p.future.result()
            self._prefetch_soon()
            chunk = self._deliver(p, samples, self.rate, None)
            if chunk is not None:
                yield chunk

    async def audio(self, *, realtime: bool = False, lead_s: float = 0.5) -> AsyncIterator[Chunk]:
        """Audio sentence by sentence for an asyncio consumer; synthesis runs in a worker thread.

        ``realtime``: yield each chunk only ``lead_s`` before the previous one ends playing (as if
        played from the moment it was yielded), so ``position`` and "what was that word?" follow
        what the listener hears and a control never has minutes of buffered audio to undo.
        """
        play_end = 0.0
        while True:
            while self._paused and not self._stopped:
                await asyncio.sleep(0.05)
            if self._stopped:
                return
            p = await asyncio.to_thread(self._take)  # the first call may load the voice
            if p is None:
                return
            samples = await asyncio.wrap_future(p.future)
            self._prefetch_soon()
            if realtime:
                wait = play_end - lead_s - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            rate = self.rate
            start = max(time.monotonic(), play_end)
            chunk = self._deliver(p, samples, rate, start + len(samples) / rate if realtime else None)
            if chunk is not None:
                play_end = start + chunk.seconds
                yield chunk

    # -- controls --
    @property
    def position(self) -> Sentence | None:
        """The sentence being read now (the last one handed out)."""
        return self._current

    @property
    def level(self) -> int:
        return self._level

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def finished(self) -> bool:
        """Stopped, or every item has been handed out."""
        with self._cond:
            return self._stopped or (self._sentences_of(self._cursor[0]) is None and self._pending is None)

    def _part(self, i: int) -> str | None:
        item = self._item(i)
        return None if item is None else (item.chapter or f"\0{i}")

    def _here(self) -> tuple[int, int] | None:
        """Where the listener is: the sentence being read, or where a control just moved to."""
        if self._anchor is not None:
            return self._anchor
        return (self._current.item, self._current.index) if self._current else None

    def skip(self) -> None:
        """Go to the next part: the next chapter, or the next paragraph when there are no chapters."""
        with self._cond:
            here = self._here()
            base = here[0] if here else self._cursor[0]
            part = self._part(base)
            j = base + 1
            while self._item(j) is not None and self._part(j) == part:
                j += 1
            self._moved((j, 0))

    def back(self) -> None:
        """Back one sentence from the one being read (again: one more), then on from there."""
        with self._cond:
            here = self._here()
            if here is None:
                return
            item, index = here
            if index > 0:
                self._moved((item, index - 1))
                return
            j = item - 1
            while j >= 0:
                sents = self._sentences_of(j)
                if sents:
                    self._moved((j, len(sents) - 1))
                    return
                j -= 1
            self._moved((item, 0))

    def repeat(self) -> None:
        """Read the current sentence again."""
        with self._cond:
            if self._current is not None:
                self._moved((self._current.item, self._current.index))

    def simpler(self) -> bool:
        """Re-read from the current sentence one simplify level simpler; False if no simplifier."""
        if (self._simplify or _default_simplifier()) is None:
            return False
        with self._cond:  # the re-rendering itself happens where the next sentence is planned
            self._level += 1
            here = self._here()
            self._retail = here
            self._moved(here if here is not None else self._cursor)
            return True

    def pause(self) -> None:
        """Stop talking; :meth:`resume` starts again at the interrupted sentence."""
        with self._cond:
            if self._paused:
                return
            self._paused = True
            cur = self._current
            if cur is not None and (self._current_end is None or time.monotonic() < self._current_end):
                self._moved((cur.item, cur.index))
            else:
                self._moved(self._cursor)

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def stop(self) -> None:
        """End the reading; the generators return."""
        with self._cond:
            self._stopped = True
            self._moved(self._cursor)
        self._pool.shutdown(wait=False)  # a sentence being made finishes unseen
        self._planner.shutdown(wait=False)

    def last_hard_word(self) -> tuple[str, str | None] | None:
        """(rarest word of the sentence just heard, a plainer word or its meaning), or None."""
        with self._cond:
            recent = list(self._recent)
        if not recent:
            return None
        sentence, started = recent[-1]
        if len(recent) > 1 and time.monotonic() - started < WORD_GRACE_S and self._current_end is not None:
            sentence = recent[-2][0]
        words = hard_words(sentence.text)
        if not words:
            for s, _t in reversed(recent[:-1]):
                words = hard_words(s.text)
                if words:
                    break
        if not words:
            return None
        # the rarest word, or a nearly as rare one that can be explained (not an odd old spelling)
        for z, word in words[:3]:
            if z > words[0][0] + 1.0:
                break
            synonym, gloss = plain_meaning(word)
            if synonym or gloss:
                return word, synonym or gloss
        return words[0][1], None

    def handle(self, text: str) -> str | None:
        """Act on what the user said or typed; the short reply to give, or None if it isn't a command."""
        command = parse_command(text)
        if command is None:
            return None
        if command == "word":
            named = word_asked_about(text)
            if named:
                return explain_word(named)
            found = self.last_hard_word()
            if not found:
                return "There wasn't a hard word in that sentence."
            return explain_word(found[0])
        if command == "simpler":
            return "Simpler, then." if self.simpler() else "I can't make it simpler here, sorry."
        if command == "skip":
            self.skip()
            return "Skipping ahead."
        if command == "back":
            self.back()
            return "Going back."
        if command == "repeat":
            self.repeat()
            return "Again:"
        if command == "pause":
            self.pause()
            return "Paused. Say “go on” when you're ready."
        if command == "resume":
            self.resume()
            return "Going on."
        self.stop()
        return "Stopped reading."

    def close(self, timeout: float = 10.0) -> None:
        """Stop, and wait (up to ``timeout``) for the sentence being made and the part being condensed."""
        self.stop()
        if self._feeder is not None:
            self._feeder.join(timeout)
        self._planner.shutdown(wait=True)
        self._pool.shutdown(wait=True)
