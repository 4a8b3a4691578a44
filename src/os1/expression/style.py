"""How OS1 sounds for a turn: pace, pauses between sentences, warmth.

The voice pipeline passes a :class:`SpeechStyle` to text to speech; the affect
estimate of the user's turn decides it (:func:`style_for`: slower and softer when
they are afraid, nervous, sad or lonely, a little brighter when they are excited
or happy, calm and steady when they are angry). Piper takes ``length_scale``;
espeak-ng gets the same style as SSML (``expression.tts.EspeakTTS.ssml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SpeechStyle:
    pace: float = 1.0  # 1.0 is the voice's own speed; 0.9 is 10 % slower (Piper length_scale = 1 / pace)
    pause_s: float = 0.25  # silence after each sentence
    warmth: float = 0.5  # 0..1: how soft and warm the wording and delivery should be

    @property
    def length_scale(self) -> float:
        return 1.0 / max(0.5, min(2.0, self.pace))


class _Feeling(Protocol):  # os1.perception.affect.AffectEstimate, without importing it
    state: str
    confidence: float


NEUTRAL_STYLE = SpeechStyle()
# state -> (pace change, extra pause in s, warmth) at full confidence
_BY_STATE: dict[str, tuple[float, float, float]] = {
    "fear": (-0.12, 0.20, 0.85),
    "nervousness": (-0.10, 0.15, 0.80),
    "sadness": (-0.15, 0.25, 0.90),
    "loneliness": (-0.12, 0.20, 0.90),
    "anger": (-0.08, 0.10, 0.65),
    "excitement": (0.07, -0.07, 0.60),
    "joy": (0.04, -0.03, 0.65),
}
MIN_CONFIDENCE = 0.5  # below this the estimate does not change how OS1 sounds


def style_for(affect: _Feeling | None) -> SpeechStyle:
    """The speech style for answering someone who feels ``affect`` (neutral when unsure).

    The change scales with confidence above ``MIN_CONFIDENCE``: at 0.5 it is half, at 1.0 full.
    """
    if affect is None or affect.state not in _BY_STATE or affect.confidence < MIN_CONFIDENCE:
        return NEUTRAL_STYLE
    pace, pause, warmth = _BY_STATE[affect.state]
    k = min(1.0, affect.confidence)
    base = NEUTRAL_STYLE
    return SpeechStyle(pace=round(base.pace + pace * k, 3), pause_s=round(base.pause_s + pause * k, 3),
                       warmth=round(base.warmth + (warmth - base.warmth) * k, 3))

