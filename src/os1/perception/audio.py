"""Audio as OS1 hears it: one type (float32 mono in [-1, 1] plus a rate) and clean loading.

Everything heard is turned into :class:`Audio` at 16 kHz by :func:`load_audio`:
wav/flac/ogg through soundfile, headerless s16le (``.raw``/``.pcm`` files, or
bytes without a recognised header) at ``raw_rate``; several channels are mixed
to mono, any sample rate is resampled with soxr, integer formats are scaled to
[-1, 1]. What was changed or noticed (resampling, mixing, clipping) is listed
in :attr:`Audio.notes` so it can be told to the user. Empty, undecodable or
missing input raises :class:`AudioError` with a one-line message naming the file.

Memory: a file is decoded whole. A 30-minute monologue at 16 kHz float32 is
about 115 MB (plus a transient copy at the file's own rate while resampling),
which is acceptable; callers that must stay smaller should read in blocks.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000
RAW_SUFFIXES = (".raw", ".pcm", ".s16", ".s16le")
CONTAINER_SUFFIXES = (".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff", ".mp3")
CLIP_LEVEL = 0.999  # |sample| at or above this counts as clipped (full scale)
CLIP_NOTE_MIN = 0.001  # only report clipping when at least 0.1 % of samples are at full scale


class AudioError(ValueError):
    """Audio that cannot be used; the message is one clear line for the user."""


@dataclass(frozen=True)
class Audio:
    samples: np.ndarray  # float32, mono, [-1, 1]
    rate: int = SAMPLE_RATE
    notes: tuple[str, ...] = ()

    @property
    def duration(self) -> float:
        return len(self.samples) / float(self.rate) if self.rate else 0.0

    def with_notes(self, *notes: str) -> Audio:
        return Audio(self.samples, self.rate, self.notes + tuple(n for n in notes if n))


def clipped_fraction(samples: np.ndarray) -> float:
    """Share of samples at (or beyond) full scale."""
    if len(samples) == 0:
        return 0.0
    return float(np.count_nonzero(np.abs(samples) >= CLIP_LEVEL)) / len(samples)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample a mono float signal with soxr (high quality); returns float32."""
    samples = np.asarray(samples, dtype=np.float32)
    if from_rate <= 0 or to_rate <= 0:
        raise AudioError(f"invalid sample rate ({from_rate} Hz -> {to_rate} Hz)")
    if from_rate == to_rate or len(samples) == 0:
        return samples
    import soxr

    return np.asarray(soxr.resample(samples, from_rate, to_rate, quality="HQ"), dtype=np.float32)


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] to little-endian signed 16-bit PCM (clipped at full scale)."""
    data = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    return (data * 32767.0).round().astype("<i2").tobytes()


def from_pcm16(data: bytes, rate: int = SAMPLE_RATE) -> Audio:
    """Little-endian signed 16-bit mono PCM bytes to :class:`Audio` (no resampling)."""
    if len(data) % 2:
        data = data[:-1]
    samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    return Audio(samples, rate)


def write_wav(path: str | Path, audio: Audio) -> None:
    """Write 16-bit PCM mono wav."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(audio.rate))
        out.writeframes(to_pcm16(audio.samples))


def wav_bytes(audio: Audio) -> bytes:
    """The same 16-bit PCM mono wav as :func:`write_wav`, in memory."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(audio.rate))
        out.writeframes(to_pcm16(audio.samples))
    return buffer.getvalue()


_HEADERS = (b"RIFF", b"RIFX", b"RF64", b"fLaC", b"OggS", b"FORM", b"ID3", b"\xff\xfb", b"\xff\xf3")


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable / len(text) > 0.95


def _decode(data: bytes, name: str) -> tuple[np.ndarray, int, list[str]]:
    """soundfile decode of a file with a header; returns (frames x channels float32, rate, notes)."""
    import soundfile as sf

    try:
        with sf.SoundFile(io.BytesIO(data)) as f:
            rate = int(f.samplerate)
            subtype = f.subtype
            frames = f.read(dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        if _looks_like_text(data[:512]):
            raise AudioError(f"{name} is not audio (it looks like a text file)") from None
        detail = str(exc).split("\n")[0]
        raise AudioError(f"{name} could not be decoded as audio ({detail})") from None
    notes = []
    if subtype and subtype not in ("PCM_16",):
        notes.append(f"decoded {subtype.lower().replace('_', ' ')} samples")
    return frames, rate, notes


def _name(source: str | Path | bytes) -> str:
    return "audio data" if isinstance(source, bytes | bytearray | memoryview) else str(source)


def load_audio(source: str | Path | bytes, *, raw_rate: int = SAMPLE_RATE, rate: int = SAMPLE_RATE) -> Audio:
    """Read a file (path) or encoded bytes into mono float32 :class:`Audio` at ``rate``.

    wav/flac/ogg are decoded by soundfile; ``.raw``/``.pcm`` files, and bytes
    without a known header, are headerless s16le mono at ``raw_rate``.
    The whole signal is held in memory (30 min at 16 kHz is ~115 MB float32).
    Raises :class:`AudioError` naming the file when it is missing, empty,
    not audio, or has no samples.
    """
    name = _name(source)
    raw = False
    container = False
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.exists():
            raise AudioError(f"{name}: no such file")
        if path.is_dir():
            raise AudioError(f"{name} is a folder, not an audio file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AudioError(f"{name} could not be read ({exc.strerror or exc})") from None
        raw = path.suffix.lower() in RAW_SUFFIXES
        container = path.suffix.lower() in CONTAINER_SUFFIXES
    if not data:
        raise AudioError(f"{name} is empty (0 bytes)")

    notes: list[str] = []
    if raw or not (container or data.startswith(_HEADERS)):
        if _looks_like_text(data[:512]):
            raise AudioError(f"{name} is not audio (it looks like a text file)")
        if len(data) < 2:
            raise AudioError(f"{name} holds no audio samples")
        samples = from_pcm16(data).samples
        source_rate = raw_rate
        frames = samples[:, None]
        if not raw:
            notes.append(f"read as headerless 16-bit PCM at {raw_rate} Hz")
    else:
        frames, source_rate, notes = _decode(data, name)

    if frames.shape[0] == 0:
        raise AudioError(f"{name} holds no audio samples (zero length)")
    channels = frames.shape[1]
    if channels > 1:
        samples = frames.mean(axis=1, dtype=np.float32)
        notes.append(f"mixed {channels} channels to mono")
    else:
        samples = np.ascontiguousarray(frames[:, 0], dtype=np.float32)
    del frames
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
        notes.append("replaced non-finite samples")
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak > 1.0:  # float files may exceed full scale
        samples = np.clip(samples, -1.0, 1.0)
        notes.append(f"clipped float samples beyond full scale (peak {peak:.2f})")
    clipped = clipped_fraction(samples)
    if clipped >= CLIP_NOTE_MIN:
        notes.append(f"{clipped:.1%} of samples are clipped")
    if source_rate != rate:
        samples = np.clip(resample(samples, source_rate, rate), -1.0, 1.0)
        notes.append(f"resampled from {source_rate} Hz")
    return Audio(samples, rate, tuple(notes))
