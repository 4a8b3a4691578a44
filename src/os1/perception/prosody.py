"""Hearing feeling in the voice: prosody features per utterance, and cues against the user's baseline.

:func:`extract` measures one utterance: pitch level and variability (Praat's
autocorrelation pitch tracker through ``praat-parselmouth``), loudness of the
voiced part in dBFS, speaking rate (words per second of speech, pauses left
out), the share of the utterance spent in pauses, filled pauses ("um", "uh",
"like,") and restarts ("I- I think", "the the") from the transcript. It never
raises on odd audio: silence, noise, clipping, a 10 ms blip or a 30-minute
monologue all give a :class:`ProsodyFeatures` whose unmeasurable fields are None.

Voices differ far more between people than within one person, so features are
judged against the user's own :class:`Baseline` (running mean and variance per
feature, Welford's algorithm, persisted in SQLite). :func:`cues` turns the
z-scores into hesitation, excitement, fear, arousal and subdued cues in [0, 1].
With little history the baseline leans on population defaults (as a prior worth
``PRIOR_WEIGHT`` utterances) and the cues' ``confidence`` is lower.

The cue rules (``up(z)`` = 0 at z ≤ 0.5, rising linearly to 1 at z = 2.5; weighted sums are
renormalised over the features that could be measured):

- hesitation = max(0.5·up(z disfluency rate) + 0.3·up(z pause ratio) + 0.2·up(−z rate),
  0.3 per filled pause or restart, discounted for people who always say "um")
- arousal    = weighted mean of up(z pitch) .30, up(z pitch variability) .25, up(z energy) .30,
  up(z rate) .15 (over the features that could be measured)
- excitement = (0.3·up(z variability) + 0.3·up(z energy) + 0.25·up(z pitch) + 0.15·up(z rate))
  · (1 − 0.6·hesitation): lively, loud, wide-ranging and fluent
- fear       = (0.45·up(z pitch) + 0.15·up(z rate) [as 0.6 of the whole] + 0.4·hesitation)
  · (1 − 0.4·up(z variability)):
  raised, tight pitch and faltering speech
- subdued    = 0.35·up(−z energy) + 0.3·up(−z variability) + 0.2·up(−z rate) + 0.15·up(−z pitch):
  quiet, flat and slow (sadness, loneliness)
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from os1.perception.audio import Audio
    from os1.perception.stt import Transcript

log = logging.getLogger(__name__)

PITCH_FLOOR_HZ = 70.0
PITCH_CEILING_HZ = 500.0
FRAME_S = 0.02  # energy frames
MIN_PAUSE_S = 0.2  # a silence shorter than this is part of articulation, not a pause
SILENCE_DBFS = -55.0  # frames quieter than this are never speech
ACTIVE_BELOW_PEAK_DB = 30.0  # frames more than this below the loud end of the utterance are silence
MIN_VOICED_FRAMES = 5  # fewer voiced pitch frames than this: no pitch
MAX_ANALYSED_S = 120.0  # longer input is analysed in evenly spaced windows
WINDOW_S = 10.0
MIN_CUE_DURATION_S = 1.0  # shorter utterances give less reliable cues

_FILLED = re.compile(
    r"(?<![\w'-])(?:u+m+|u+h+m*|e+r+m+|e+r+|h+m+|m+h*m+|a+h+)(?![\w'-])"  # um, uh, uhm, erm, er, hmm, mm, ah
    r"|(?:^|[,;.]\s*|\b(?:so|and|but|just|it's)\s+)(?:like|you know|i mean)(?=,\s)",  # "so like," …
    re.IGNORECASE)
_FRAGMENT = re.compile(r"\b(\w+)(?:-|–|—|--)\s+(\w+)", re.IGNORECASE)  # "I- I", "we- we're", "th- the"
_REPEATED_WORD = re.compile(r"\b(\w+)(?:,?\s+\1\b)+", re.IGNORECASE)  # "I I think", "the, the"
_REPEATED_PHRASE = re.compile(r"\b(\w+\s+\w+(?:\s+\w+)?)\s*,?\s+\1\b", re.IGNORECASE)  # "I think I think"
_REPEAT_OK = frozenset({"very", "really", "no", "yes", "yeah", "bye", "ha", "haha", "so", "had", "that",
                        "more", "far", "on", "over", "again", "well", "now", "go", "come", "please",
                        "okay", "ok", "oh", "hey", "wow", "much", "many", "long", "away", "round",
                        "around", "little", "bit", "step", "by", "one", "two", "is", "do", "blah",
                        "knock", "tick", "tock", "there", "here", "mm", "hmm", "um", "uh", "er"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True)
class ProsodyFeatures:
    """How one utterance sounded. None means "could not be measured" (silence, noise, no transcript)."""

    pitch_mean_hz: float | None = None
    pitch_std_hz: float | None = None
    energy_db: float | None = None  # mean dBFS of the voiced (or, without pitch, active) frames
    speaking_rate_wps: float | None = None  # words per second of speech (pauses ≥ 0.2 s left out)
    pause_ratio: float | None = None  # share of the utterance (first to last word/sound) in pauses
    filled_pauses: int = 0
    restarts: int = 0
    duration_s: float = 0.0
    words: int = 0
    voiced_s: float = 0.0  # seconds with a pitch
    notes: tuple[str, ...] = ()

    @property
    def pitch_cv(self) -> float | None:
        """Pitch variability relative to pitch level (comparable between low and high voices)."""
        if self.pitch_mean_hz is None or self.pitch_std_hz is None or self.pitch_mean_hz <= 0:
            return None
        return self.pitch_std_hz / self.pitch_mean_hz

    @property
    def disfluency_rate(self) -> float | None:
        """Filled pauses and restarts per word."""
        if self.words <= 0:
            return None
        return (self.filled_pauses + self.restarts) / self.words

    @property
    def usable(self) -> bool:
        """Whether anything about the voice or the words could be measured."""
        return self.pitch_mean_hz is not None or self.words > 0

    def values(self) -> dict[str, float]:
        """The baseline features that could be measured (see :data:`FEATURES`)."""
        out = {}
        for name in FEATURES:
            value = getattr(self, name)
            if value is not None and math.isfinite(value):
                out[name] = float(value)
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in data.items()}


# feature -> (population mean, population std, smallest std a baseline may have)
FEATURES: dict[str, tuple[float, float, float]] = {
    "pitch_mean_hz": (165.0, 45.0, 8.0),  # pooled over low and high voices, hence the wide spread
    "pitch_cv": (0.16, 0.06, 0.02),
    "energy_db": (-26.0, 6.0, 1.5),
    "speaking_rate_wps": (3.3, 0.7, 0.25),  # articulation rate: pauses left out
    "pause_ratio": (0.15, 0.10, 0.04),
    "disfluency_rate": (0.02, 0.03, 0.02),
}
PRIOR_WEIGHT = 3.0  # the population default counts as this many utterances
FULL_HISTORY = 10  # utterances after which the baseline is trusted fully


# -- the transcript ----------------------------------------------------------------------
def disfluencies(text: str) -> tuple[int, int]:
    """(filled pauses, restarts) in a transcript or typed text."""
    if not text:
        return 0, 0
    filled = len(_FILLED.findall(text))
    restarts = 0
    for match in _FRAGMENT.finditer(text):
        first, second = match.group(1).lower(), match.group(2).lower()
        if second.startswith(first) or first.startswith(second[:max(1, len(first))]):
            restarts += 1
    without_fragments = _FRAGMENT.sub(" ", text)
    for match in _REPEATED_WORD.finditer(without_fragments):
        if match.group(1).lower() not in _REPEAT_OK and not match.group(1).isdigit():
            restarts += 1
    for match in _REPEATED_PHRASE.finditer(without_fragments):
        if not set(match.group(1).lower().split()) <= _REPEAT_OK:
            restarts += 1
    return filled, restarts


def _timed_words(transcript: Any) -> list[tuple[float, float]]:
    words = getattr(transcript, "words", None) or ()
    out = []
    for word in words:
        start, end = getattr(word, "start", None), getattr(word, "end", None)
        if isinstance(start, int | float) and isinstance(end, int | float) and end >= start >= 0:
            out.append((float(start), float(end)))
    return sorted(out)


def _transcript_timing(spans: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(speech seconds without pauses, pause ratio) from word timings."""
    if len(spans) < 2:
        return None
    total = spans[-1][1] - spans[0][0]
    if total <= 0:
        return None
    paused, reach = 0.0, spans[0][1]
    for start, end in spans[1:]:
        gap = start - reach
        if gap >= MIN_PAUSE_S:
            paused += gap
        reach = max(reach, end)
    return total - paused, paused / total


# -- the audio ---------------------------------------------------------------------------
def _windows(samples: np.ndarray, rate: int) -> list[np.ndarray]:
    """The whole signal, or evenly spaced windows of it when it is very long."""
    duration = len(samples) / rate
    if duration <= MAX_ANALYSED_S:
        return [samples]
    count = int(MAX_ANALYSED_S // WINDOW_S)
    width = int(WINDOW_S * rate)
    starts = np.linspace(0, len(samples) - width, count).astype(int)
    return [samples[s:s + width] for s in starts]


def _frame_db(samples: np.ndarray, rate: int) -> np.ndarray:
    size = max(1, int(FRAME_S * rate))
    usable = len(samples) // size * size
    if usable == 0:
        return np.zeros(0)
    frames = samples[:usable].astype(np.float64).reshape(-1, size)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return 20.0 * np.log10(np.maximum(rms, 1e-5))


def _pitch(samples: np.ndarray, rate: int) -> np.ndarray:
    """Voiced f0 values (Hz) of one window, every 10 ms; empty when nothing is voiced."""
    if len(samples) < int(rate * 3 / PITCH_FLOOR_HZ) + 1:
        return np.zeros(0)
    import parselmouth

    try:
        sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=float(rate))
        pitch = sound.to_pitch(time_step=0.01, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
        f0 = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    except Exception as exc:  # Praat refuses some degenerate input; that is "no pitch", not an error
        log.debug("pitch tracking failed: %s", exc)
        return np.zeros(0)
    return f0[(f0 > 0) & np.isfinite(f0)]


def _pause_ratio_from_energy(active: np.ndarray) -> tuple[float, float] | None:
    """(active seconds, pause ratio) from which frames are loud enough to be speech."""
    indices = np.flatnonzero(active)
    if len(indices) == 0:
        return None
    span = active[indices[0]:indices[-1] + 1]
    min_run = round(MIN_PAUSE_S / FRAME_S)
    paused, run = 0, 0
    for is_active in span:
        if is_active:
            if run >= min_run:
                paused += run
            run = 0
        else:
            run += 1
    return float(np.count_nonzero(span)) * FRAME_S, paused / len(span)


def extract(audio: Audio, transcript: Transcript | None = None) -> ProsodyFeatures:
    """Prosody of one utterance. Never raises on odd audio; what could not be measured is None."""
    notes: list[str] = []
    try:
        samples = np.asarray(getattr(audio, "samples", np.zeros(0)), dtype=np.float32).reshape(-1)
        rate = int(getattr(audio, "rate", 16_000) or 16_000)
    except (TypeError, ValueError):
        samples, rate = np.zeros(0, dtype=np.float32), 16_000
        notes.append("audio could not be read as samples")
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
        notes.append("non-finite samples were zeroed")
    samples = np.clip(samples, -1.0, 1.0)
    duration = len(samples) / rate if rate > 0 else 0.0
    if duration > MAX_ANALYSED_S:
        notes.append(f"long input: analysed {MAX_ANALYSED_S:.0f} s in windows")

    text = str(getattr(transcript, "text", "") or "")
    spans = _timed_words(transcript)
    n_words = len(_WORD.findall(text)) or len(spans)
    filled, restarts = disfluencies(text)

    f0_parts, db_parts = [], []
    for window in _windows(samples, rate):
        f0_parts.append(_pitch(window, rate))
        db_parts.append(_frame_db(window, rate))
    f0 = np.concatenate(f0_parts) if f0_parts else np.zeros(0)
    frame_db = np.concatenate(db_parts) if db_parts else np.zeros(0)

    pitch_mean = pitch_std = None
    if len(f0) >= MIN_VOICED_FRAMES:
        median = float(np.median(f0))
        kept = f0[(f0 > median / 1.8) & (f0 < median * 1.8)]  # octave jumps are tracking errors, not voice
        kept = kept if len(kept) >= MIN_VOICED_FRAMES else f0
        pitch_mean, pitch_std = float(np.mean(kept)), float(np.std(kept))
    elif duration > 0.1:
        notes.append("no voiced speech found")

    energy_db = None
    active = np.zeros(0, dtype=bool)
    if len(frame_db):
        peak = float(np.percentile(frame_db, 95))
        active = frame_db > max(SILENCE_DBFS, peak - ACTIVE_BELOW_PEAK_DB)
        if np.any(active):
            # with a pitch, the loudest frames as many as were voiced stand for the voiced part
            voiced = len(f0)
            chosen = np.sort(frame_db[active])[::-1]
            if voiced >= MIN_VOICED_FRAMES:
                chosen = chosen[:max(1, int(voiced * 0.01 / FRAME_S))]
            energy_db = float(np.mean(chosen))
        elif duration > 0.1:
            notes.append("silence")

    timing = _transcript_timing(spans)
    from_energy = _pause_ratio_from_energy(active) if np.any(active) else None
    pause_ratio = rate_wps = None
    if timing is not None:
        speech_s, pause_ratio = timing
        rate_wps = n_words / speech_s if speech_s > 0.05 else None
    elif from_energy is not None:
        active_s, pause_ratio = from_energy
        if n_words and active_s > 0.05:
            rate_wps = n_words / active_s
    if from_energy is not None and (pitch_mean is None and n_words == 0):
        pause_ratio = None  # sound that is not speech has no pauses to speak of
    return ProsodyFeatures(
        pitch_mean_hz=pitch_mean, pitch_std_hz=pitch_std, energy_db=energy_db,
        speaking_rate_wps=rate_wps, pause_ratio=pause_ratio, filled_pauses=filled, restarts=restarts,
        duration_s=duration, words=n_words, voiced_s=len(f0) * 0.01, notes=tuple(notes))


# -- the user's baseline -----------------------------------------------------------------
@dataclass
class Stat:
    """Welford's running mean and sum of squared deviations for one feature."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0

    def add(self, value: float) -> None:
        self.n += 1
        delta = value - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (value - self.mean)


class BaselineStore(Protocol):
    """Where baselines live (``store.affect``; see :mod:`os1.storage.sqlite_affect`)."""

    def baseline(self, speaker: str = "user") -> dict[str, tuple[int, float, float]]: ...
    def save_baseline(self, stats: Mapping[str, tuple[int, float, float]], speaker: str = "user") -> None: ...


class Baseline:
    """One person's running mean and variance per prosody feature, blended with population defaults."""

    def __init__(self, stats: Mapping[str, Stat | tuple[int, float, float]] | None = None,
                 speaker: str = "user") -> None:
        self.speaker = speaker
        self.stats: dict[str, Stat] = {name: Stat() for name in FEATURES}
        for name, value in (stats or {}).items():
            if name in FEATURES:
                self.stats[name] = value if isinstance(value, Stat) else Stat(int(value[0]), float(value[1]),
                                                                              float(value[2]))

    @property
    def count(self) -> int:
        """Utterances seen (the most of any feature)."""
        return max((s.n for s in self.stats.values()), default=0)

    def update(self, features: ProsodyFeatures) -> None:
        for name, value in features.values().items():
            self.stats[name].add(value)

    def mean_std(self, name: str) -> tuple[float, float]:
        """The feature's expected value and spread: the user's own, pulled toward the population's
        by ``PRIOR_WEIGHT`` pseudo-utterances."""
        mu0, sd0, floor = FEATURES[name]
        stat = self.stats[name]
        k, n = PRIOR_WEIGHT, stat.n
        mean = (k * mu0 + n * stat.mean) / (k + n)
        var = (k * sd0 * sd0 + stat.m2 + (k * n / (k + n)) * (stat.mean - mu0) ** 2 if n else k * sd0 * sd0)
        return mean, max(floor, math.sqrt(var / (k + n)))

    def z(self, name: str, value: float | None) -> float | None:
        if value is None or not math.isfinite(value):
            return None
        mean, std = self.mean_std(name)
        return (value - mean) / std

    def to_rows(self) -> dict[str, tuple[int, float, float]]:
        return {name: (s.n, s.mean, s.m2) for name, s in self.stats.items() if s.n}

    @classmethod
    def load(cls, repo: BaselineStore, speaker: str = "user") -> Baseline:
        return cls(repo.baseline(speaker), speaker)

    def save(self, repo: BaselineStore) -> None:
        repo.save_baseline(self.to_rows(), self.speaker)


# -- cues --------------------------------------------------------------------------------
CUES = ("hesitation", "excitement", "fear", "arousal", "subdued")


def _up(z: float | None) -> float:
    """0 for z ≤ 0.5, rising linearly to 1 at z = 2.5 (None counts as 0)."""
    if z is None:
        return 0.0
    return min(1.0, max(0.0, (z - 0.5) / 2.0))


def _weighted(parts: Iterable[tuple[float, float | None]]) -> tuple[float, float]:
    """(weighted mean of up(z) over the z that exist, share of the weight that existed)."""
    total = present = value = 0.0
    for weight, z in parts:
        total += weight
        if z is not None:
            present += weight
            value += weight * _up(z)
    return (value / present if present else 0.0), (present / total if total else 0.0)


def _neg(z: float | None) -> float | None:
    return None if z is None else -z


def cues(features: ProsodyFeatures, baseline: Baseline | None = None) -> dict[str, float]:
    """Hesitation, excitement, fear, arousal and subdued cues in [0, 1], plus their ``confidence``."""
    base = baseline or Baseline()
    z = {name: base.z(name, getattr(features, name)) for name in FEATURES}
    count = features.filled_pauses + features.restarts
    habitual = base.mean_std("disfluency_rate")[0]  # someone who always says "um" is not hesitant
    by_count = min(1.0, 0.3 * count) / (1.0 + 10.0 * max(0.0, habitual))
    by_z = (0.5 * _up(z["disfluency_rate"]) + 0.3 * _up(z["pause_ratio"])
            + 0.2 * _up(_neg(z["speaking_rate_wps"])))
    hesitation = min(1.0, max(by_z, by_count))
    arousal, coverage = _weighted([(0.30, z["pitch_mean_hz"]), (0.25, z["pitch_cv"]),
                                   (0.30, z["energy_db"]), (0.15, z["speaking_rate_wps"])])
    lively, _ = _weighted([(0.3, z["pitch_cv"]), (0.3, z["energy_db"]), (0.25, z["pitch_mean_hz"]),
                           (0.15, z["speaking_rate_wps"])])
    excitement = lively * (1.0 - 0.6 * hesitation)
    tense, _ = _weighted([(0.45, z["pitch_mean_hz"]), (0.15, z["speaking_rate_wps"])])
    fear = (0.6 * tense + 0.4 * hesitation) * (1.0 - 0.4 * _up(z["pitch_cv"]))
    subdued, _ = _weighted([(0.35, _neg(z["energy_db"])), (0.3, _neg(z["pitch_cv"])),
                            (0.2, _neg(z["speaking_rate_wps"])), (0.15, _neg(z["pitch_mean_hz"]))])
    history = 0.4 + 0.6 * min(1.0, base.count / FULL_HISTORY)
    length = min(1.0, features.duration_s / MIN_CUE_DURATION_S) if features.duration_s else (
        1.0 if features.words else 0.0)
    has_voice = features.pitch_mean_hz is not None
    confidence = history * length * (coverage if has_voice else 0.5 * bool(features.words))
    out = {"hesitation": hesitation, "excitement": excitement if has_voice else 0.0,
           "fear": fear if has_voice else 0.5 * fear, "arousal": arousal if has_voice else 0.0,
           "subdued": subdued if has_voice else 0.0, "confidence": confidence}
    return {k: round(min(1.0, max(0.0, v)), 4) for k, v in out.items()}


def observe(features: ProsodyFeatures, repo: BaselineStore | None, speaker: str = "user") -> dict[str, float]:
    """Cues for ``features`` against the stored baseline, then fold them into it (judged first, so an
    unusual utterance is compared with the usual, not with itself)."""
    baseline = Baseline.load(repo, speaker) if repo is not None else Baseline(speaker=speaker)
    found = cues(features, baseline)
    if repo is not None and features.usable:
        baseline.update(features)
        baseline.save(repo)
    return found
