"""Voice activity detection: is someone speaking in this 32 ms frame?

The Silero VAD model that ships inside the ``silero-vad`` package is run
directly by onnxruntime (the package itself imports torch, so it is never
imported: the ``.onnx`` file is found through the package's location). The
model is recurrent: each call gets the previous state and the last 64 samples
of the previous frame as context, exactly as silero's own ``OnnxWrapper`` does.
When onnxruntime or the model file is missing, ``webrtcvad`` (aggressiveness 2)
is used instead; its yes/no answer per 10 ms is turned into a probability.

:class:`VoiceActivityDetector` is streaming (one frame of 512 samples at
16 kHz at a time; :meth:`reset` between utterances or streams);
:func:`speech_segments` finds the speech in a whole :class:`Audio`.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np

from os1.perception.audio import SAMPLE_RATE, Audio, AudioError, resample

FRAME_SAMPLES = 512  # 32 ms at 16 kHz: what the Silero model expects
CONTEXT_SAMPLES = 64  # samples of the previous frame prepended to each input (16 kHz)
MODEL_FILE = "silero_vad.onnx"

_session_lock = threading.Lock()
_session = None  # one onnxruntime session per process, shared by every detector


class VADUnavailable(RuntimeError):
    """Neither the Silero model (with onnxruntime) nor webrtcvad can be used."""


def silero_model_path() -> Path | None:
    """The Silero ONNX model inside the installed ``silero_vad`` package, without importing it."""
    try:
        spec = importlib.util.find_spec("silero_vad")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "data" / MODEL_FILE
        if path.is_file():
            return path
    return None


def _silero_session():  # type: ignore[no-untyped-def]
    global _session
    with _session_lock:
        if _session is None:
            import onnxruntime

            path = silero_model_path()
            if path is None:
                raise FileNotFoundError("the silero-vad package (and its ONNX model) is not installed")
            options = onnxruntime.SessionOptions()
            options.inter_op_num_threads = 1
            options.intra_op_num_threads = 1
            options.log_severity_level = 3
            _session = onnxruntime.InferenceSession(str(path), sess_options=options,
                                                    providers=["CPUExecutionProvider"])
        return _session


class VoiceActivityDetector:
    """Streaming speech probability per 512-sample frame of 16 kHz float32 audio."""

    frame_samples: int = FRAME_SAMPLES
    rate: int = SAMPLE_RATE

    def __init__(self, engine: str = "auto") -> None:
        """``engine``: "silero", "webrtc", or "auto" (Silero, else webrtcvad)."""
        self._session = None
        self._webrtc = None
        if engine in ("auto", "silero"):
            try:
                self._session = _silero_session()
            except (ImportError, OSError, RuntimeError) as exc:
                if engine == "silero":
                    raise VADUnavailable(f"Silero VAD cannot run: {exc}") from exc
        if self._session is None:
            try:
                import webrtcvad
            except ImportError as exc:
                raise VADUnavailable("no voice activity detector: install onnxruntime and silero-vad, "
                                     "or webrtcvad-wheels") from exc
            self._webrtc = webrtcvad.Vad(2)
        self.engine = "silero" if self._session is not None else "webrtc"
        self._sr = np.array(SAMPLE_RATE, dtype=np.int64)
        self.reset()

    def reset(self) -> None:
        """Forget the recurrent state (start of a new stream)."""
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._input = np.zeros((1, CONTEXT_SAMPLES + FRAME_SAMPLES), dtype=np.float32)

    def probability(self, frame: np.ndarray) -> float:
        """Speech probability (0..1) of one frame of ``frame_samples`` float32 samples at 16 kHz."""
        frame = np.asarray(frame, dtype=np.float32).reshape(-1)
        if frame.shape[0] != FRAME_SAMPLES:
            raise ValueError(f"a VAD frame is {FRAME_SAMPLES} samples at 16 kHz, got {frame.shape[0]}")
        if self._session is None:
            return self._webrtc_probability(frame)
        buffer = self._input
        buffer[0, :CONTEXT_SAMPLES] = buffer[0, -CONTEXT_SAMPLES:]  # context = end of the last frame
        buffer[0, CONTEXT_SAMPLES:] = frame
        out, self._state = self._session.run(None, {"input": buffer, "state": self._state, "sr": self._sr})
        return float(out[0, 0])

    def _webrtc_probability(self, frame: np.ndarray) -> float:
        pcm = (np.clip(frame, -1.0, 1.0) * 32767).astype("<i2")
        step = SAMPLE_RATE // 100  # 10 ms
        votes = [self._webrtc.is_speech(pcm[i:i + step].tobytes(), SAMPLE_RATE)  # type: ignore[union-attr]
                 for i in range(0, FRAME_SAMPLES - step + 1, step)]
        return sum(votes) / len(votes)

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """One probability per whole frame of a 16 kHz signal (the tail is zero-padded); resets first."""
        self.reset()
        samples = np.asarray(samples, dtype=np.float32)
        n = -(-len(samples) // FRAME_SAMPLES)
        padded = np.zeros(n * FRAME_SAMPLES, dtype=np.float32)
        padded[:len(samples)] = samples
        probs = np.fromiter((self.probability(padded[i * FRAME_SAMPLES:(i + 1) * FRAME_SAMPLES])
                             for i in range(n)), dtype=np.float32, count=n)
        self.reset()
        return probs


def speech_segments(audio: Audio, threshold: float = 0.5, min_silence_s: float = 0.3,
                    min_speech_s: float = 0.1, pad_s: float = 0.03,
                    detector: VoiceActivityDetector | None = None) -> list[tuple[float, float]]:
    """(start_s, end_s) of each stretch of speech in ``audio``.

    Speech starts when a frame's probability reaches ``threshold`` and ends at
    the first frame below ``threshold - 0.15`` that is followed by at least
    ``min_silence_s`` of such frames (silero's own hysteresis). Segments
    shorter than ``min_speech_s`` are dropped; each is padded by ``pad_s``.
    """
    if audio.rate <= 0:
        raise AudioError("audio has no sample rate")
    samples = audio.samples if audio.rate == SAMPLE_RATE else resample(audio.samples, audio.rate, SAMPLE_RATE)
    if len(samples) == 0:
        return []
    probs = (detector or VoiceActivityDetector()).probabilities(samples)
    frame_s = FRAME_SAMPLES / SAMPLE_RATE
    off = max(0.0, threshold - 0.15)
    min_silence_frames = max(1, round(min_silence_s / frame_s))
    duration = len(samples) / SAMPLE_RATE
    segments: list[tuple[float, float]] = []
    start: int | None = None
    silence_from: int | None = None
    for i, p in enumerate(probs):
        if start is None:
            if p >= threshold:
                start, silence_from = i, None
            continue
        if p >= threshold:
            silence_from = None
        elif p < off:
            if silence_from is None:
                silence_from = i
            if i - silence_from + 1 >= min_silence_frames:
                segments.append((start * frame_s, silence_from * frame_s))
                start, silence_from = None, None
    if start is not None:
        last = silence_from if silence_from is not None else len(probs)
        segments.append((start * frame_s, last * frame_s))
    out = []
    for begin, end in segments:
        if end - begin < min_speech_s:
            continue
        out.append((round(max(0.0, begin - pad_s), 3), round(min(duration, end + pad_s), 3)))
    return out
