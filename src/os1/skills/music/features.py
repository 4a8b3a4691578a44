"""Listening to a track: tempo, mode, energy, brightness and onset density from a short excerpt.

Decoding goes through PyAV (FFmpeg inside the wheel: mp3, flac, ogg, opus, m4a, wav), which
seeks straight to the middle of the file, so only ``excerpt_s`` seconds (30 by default) are
decoded, downmixed to mono and resampled to 22 050 Hz. librosa then measures:

- ``tempo`` (BPM: librosa's tempo estimate, the autocorrelation of the onset envelope that its beat
  tracker starts from) and ``onset_rate`` (onsets per second);
- ``key`` and ``mode``: the mean chroma correlated with the Krumhansl–Kessler major and minor
  key profiles in all 12 keys; ``mode_strength`` = best major − best minor correlation
  (> 0 leans major);
- ``rms_db`` (loudness, dBFS) and ``energy`` (that loudness on a 0–1 scale);
- ``centroid_hz`` (spectral centroid, median) and ``brightness`` (on a 0–1 scale).

A file that cannot be decoded (zero bytes, truncated, not audio, silent) gives ``None`` and a
reason; nothing here raises for a bad file.

The first analysis in a process costs a few seconds more: librosa imports scipy.signal and numba
lazily. :func:`warm_up` pays that on purpose. (librosa's full beat tracker is not used: one of its
numba kernels is compiled without a cache, ~4 s in every new process, for the same tempo.)
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 22_050
EXCERPT_S = 30.0
MIN_AUDIO_S = 1.0  # less than this decoded is not enough to say anything
SILENT_DB = -60.0
KEYS = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
# Krumhansl & Kessler (1982) probe-tone profiles, C major and C minor.
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


class DecodeError(Exception):
    """The file could not be decoded into audio; the message says why, for the user."""


@dataclass(frozen=True)
class AudioFeatures:
    """What listening to an excerpt found (stored as JSON in ``music_tracks.features``)."""

    tempo: float  # beats per minute (0 when no beat was found)
    onset_rate: float  # onsets per second
    key: str  # "C" … "B"
    mode: str  # "major" | "minor"
    mode_strength: float  # best major − best minor key-profile correlation, about −1…1
    rms_db: float  # mean loudness, dBFS
    energy: float  # 0 (quiet) … 1 (loud, compressed)
    centroid_hz: float  # median spectral centroid
    brightness: float  # 0 (dark, mellow) … 1 (bright, sharp)
    excerpt_s: float  # how much audio was analysed
    offset_s: float  # where the excerpt starts in the track

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> AudioFeatures | None:
        if not data:
            return None
        try:
            return cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (KeyError, TypeError):
            return None


def decode_excerpt(path: str | Path, excerpt_s: float = EXCERPT_S,
                   rate: int = SAMPLE_RATE) -> tuple[np.ndarray, float]:
    """Mono float32 samples at ``rate`` of up to ``excerpt_s`` seconds from the middle of the file,
    and the offset (seconds) they start at. Raises :class:`DecodeError` with a plain reason."""
    import av

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DecodeError(f"cannot read the file ({exc.strerror or exc})") from exc
    if size == 0:
        raise DecodeError("the file is empty (0 bytes)")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise DecodeError(f"not a readable audio file ({_short(exc)})") from exc
    try:
        if not container.streams.audio:
            raise DecodeError("the file has no audio stream")
        stream = container.streams.audio[0]
        duration = _duration(container, stream)
        offset = max(0.0, duration / 2 - excerpt_s / 2) if duration else 0.0
        if offset > 0:
            try:
                container.seek(int(offset / stream.time_base), stream=stream, any_frame=False,
                               backward=True)
            except (av.FFmpegError, OSError, ValueError):  # an unseekable stream: read from the start
                offset = 0.0
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        want = int(excerpt_s * rate)
        pieces: list[np.ndarray] = []
        have = 0
        try:
            for frame in container.decode(stream):
                if frame.pts is not None and frame.time is not None and frame.time + 0.5 < offset:
                    continue  # the seek landed a little early
                for out in resampler.resample(frame):
                    pieces.append(out.to_ndarray().reshape(-1))
                    have += pieces[-1].size
                if have >= want:
                    break
        except (av.FFmpegError, OSError, ValueError) as exc:  # truncated or damaged data
            if have < MIN_AUDIO_S * rate:
                raise DecodeError(f"the audio is damaged or truncated ({_short(exc)})") from exc
            log.debug("%s: decoding stopped early: %s", path, exc)
    finally:
        container.close()
    if have < MIN_AUDIO_S * rate:
        raise DecodeError("less than a second of audio could be decoded (truncated, or too short)"
                          if have else "no audio could be decoded (truncated or empty)")
    samples = np.concatenate(pieces)[:want].astype(np.float32, copy=False)
    if not np.isfinite(samples).all():
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    return samples, offset


def _duration(container: Any, stream: Any) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0


def _short(exc: BaseException) -> str:
    """The reason without FFmpeg's error number and the path (the user knows which file it was)."""
    text = (getattr(exc, "strerror", None) or str(exc)).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def measure(samples: np.ndarray, rate: int = SAMPLE_RATE, offset_s: float = 0.0) -> AudioFeatures:
    """The features of mono ``samples`` (raises :class:`DecodeError` for silence)."""
    import librosa

    rms = librosa.feature.rms(y=samples)[0]
    mean_rms = float(np.sqrt(np.mean(rms ** 2))) if rms.size else 0.0
    rms_db = 20 * math.log10(max(mean_rms, 1e-10))
    if rms_db < SILENT_DB:
        raise DecodeError("the audio is silent")
    spectrum = np.abs(librosa.stft(samples, n_fft=2048, hop_length=512))
    centroid = float(np.median(librosa.feature.spectral_centroid(S=spectrum, sr=rate)[0]))
    chroma = librosa.feature.chroma_stft(S=spectrum ** 2, sr=rate, tuning=0.0).mean(axis=1)
    key, mode, strength = key_and_mode(chroma)
    envelope = librosa.onset.onset_strength(y=samples, sr=rate)
    tempo = librosa.feature.tempo(onset_envelope=envelope, sr=rate)
    tempo_bpm = float(np.atleast_1d(tempo)[0]) if np.size(tempo) else 0.0
    onsets = librosa.onset.onset_detect(onset_envelope=envelope, sr=rate)
    seconds = samples.size / rate
    return AudioFeatures(
        tempo=tempo_bpm if math.isfinite(tempo_bpm) else 0.0,
        onset_rate=len(onsets) / seconds,
        key=key, mode=mode, mode_strength=strength,
        rms_db=rms_db,
        energy=_scale(rms_db, -35.0, -8.0),
        centroid_hz=centroid,
        brightness=_scale(centroid, 800.0, 3500.0),
        excerpt_s=seconds, offset_s=offset_s)


def key_and_mode(chroma: np.ndarray) -> tuple[str, str, float]:
    """The best-matching key and mode of a 12-bin mean chroma, and major − minor correlation."""
    chroma = np.asarray(chroma, dtype=np.float64)
    if chroma.shape != (12,) or not np.isfinite(chroma).all() or np.ptp(chroma) == 0:
        return "C", "major", 0.0
    major = np.array([np.corrcoef(chroma, np.roll(MAJOR_PROFILE, k))[0, 1] for k in range(12)])
    minor = np.array([np.corrcoef(chroma, np.roll(MINOR_PROFILE, k))[0, 1] for k in range(12)])
    best_major, best_minor = int(np.argmax(major)), int(np.argmax(minor))
    strength = float(major[best_major] - minor[best_minor])
    if strength >= 0:
        return KEYS[best_major], "major", strength
    return KEYS[best_minor], "minor", strength


def _scale(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def analyse(path: str | Path, excerpt_s: float = EXCERPT_S) -> tuple[AudioFeatures | None, str]:
    """The features of the audio file at ``path``, or ``(None, reason)``; never raises for bad input."""
    try:
        samples, offset = decode_excerpt(path, excerpt_s)
        return measure(samples, SAMPLE_RATE, offset), ""
    except DecodeError as exc:
        return None, str(exc)
    except MemoryError:
        return None, "the file is too large to analyse"
    except Exception as exc:  # a decoder or librosa failure on odd data must not stop a scan
        log.warning("could not analyse %s", path, exc_info=True)
        return None, f"analysis failed ({_short(exc)})"


_warm = False


def warm_up() -> float:
    """Load librosa's lazily imported parts now (first analysis in a process); returns the seconds spent."""
    global _warm
    if _warm:
        return 0.0
    start = time.perf_counter()
    t = np.arange(int(SAMPLE_RATE * 3)) / SAMPLE_RATE
    clicks = (np.sin(2 * np.pi * 440 * t) * (np.mod(t, 0.5) < 0.05)).astype(np.float32)
    measure(clicks + 0.01 * np.sin(2 * np.pi * 220 * t).astype(np.float32))
    _warm = True
    return time.perf_counter() - start
