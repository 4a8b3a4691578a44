"""One affect estimate per turn: the feeling in the words, fused with the feeling in the voice.

The words are read by the GoEmotions classifier (:mod:`os1.perception.emotion`), whose
``states`` put each of the 8 states on a scale where 0.5 means "just expressed". If the
classifier cannot be loaded (a broken install), a small lexicon gives a rougher estimate
on the same scale, so a turn never fails for want of a model.

Fusion rule (voice cues from :func:`os1.perception.prosody.cues`; ``w = 0.75 × cue confidence``,
so a voice heard for the first time, or for half a second, moves the estimate less; the words'
valence is "+" or "−" when max(joy, excitement) and max(fear, nervousness, sadness, anger)
differ by more than 0.1, else "?")::

    nervousness += w · 0.8 · hesitation                        # "um, I- I think": hesitant voice
    fear        += w · 0.6 · fear cue · (− 1, ? 0.7, + 0.4)
    excitement  += w · 0.6 · excitement cue · (+ 1, ? 0.7, − 0.3)
                 + w · 0.3 · arousal · max(joy, excitement)  # high arousal voice + positive words
    sadness     += w · 0.4 · subdued · (− 1, ? 0.6, + 0.3)
    loneliness  += w · 0.3 · subdued  (only when the words already lean lonely, ≥ 0.25)
    neutral     ×= 1 − w · strongest of those cues

Typed text has no voice, but "um", "uh" and "I- I" typed out are hesitation too:
``nervousness += 0.25 · min(1, 0.5 · (filled pauses + restarts))``.

The state is the highest non-neutral score when it reaches ``EXPRESSED`` (0.5, the
classifier's own threshold), otherwise "neutral"; ``confidence`` is that score.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from os1.perception.prosody import Baseline, ProsodyFeatures, disfluencies
from os1.perception.prosody import cues as voice_cues

log = logging.getLogger(__name__)

STATES: tuple[str, ...] = ("fear", "nervousness", "excitement", "sadness", "loneliness", "joy", "anger",
                           "neutral")
EXPRESSED = 0.5  # a state at or above this is expressed (the classifier's calibrated threshold)
VOICE_WEIGHT = 0.75
VALENCE_MARGIN = 0.1  # the words lean positive or negative only by more than this
CUE_SHOWN = 0.35  # voice cues at or above this are named in ``cues``
NEGATIVE = ("fear", "nervousness", "sadness", "anger")
POSITIVE = ("joy", "excitement")

# Cue names as they appear in AffectEstimate.cues (and in the prompt's guidance line).
CUE_NAMES = {
    "hesitation": "hesitant voice",
    "excitement": "lively voice",
    "fear": "tense voice",
    "subdued": "quiet, flat voice",
}


@dataclass(frozen=True)
class AffectEstimate:
    """How the user seems to feel this turn."""

    state: str  # one of STATES
    confidence: float  # 0..1
    scores: dict[str, float]  # every state, fused
    cues: tuple[str, ...] = ()  # what the voice (or typed hesitation) added: "hesitant voice", …
    source: str = "text"  # text | voice+text
    levels: dict[str, float] = field(default_factory=dict)  # voice cue levels (prosody.cues)
    model: str = "classifier"  # classifier | lexicon: what read the words

    @property
    def expressed(self) -> bool:
        """Whether there is a feeling worth answering (not neutral, confident enough)."""
        return self.state != "neutral" and self.confidence >= EXPRESSED

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "confidence": self.confidence, "scores": dict(self.scores),
                "cues": list(self.cues), "source": self.source, "levels": dict(self.levels),
                "model": self.model}


NEUTRAL = AffectEstimate("neutral", 1.0, {s: (1.0 if s == "neutral" else 0.0) for s in STATES})


# -- the words -----------------------------------------------------------------------------
_LEXICON: dict[str, tuple[str, ...]] = {
    "fear": (r"scared", r"afraid", r"terrified", r"frightened", r"fear(?:ful)?", r"panic\w*", r"horrified",
             r"petrified"),
    "nervousness": (r"nervous", r"anxious", r"anxiety", r"worried", r"worry(?:ing)?", r"uneasy", r"tense",
                    r"stressed", r"jittery", r"on edge", r"butterflies", r"dread\w*", r"apprehensive"),
    "excitement": (r"excited", r"exciting", r"thrilled", r"can'?t wait", r"pumped", r"amazing", r"awesome",
                   r"incredible", r"wow", r"yay", r"woo+"),
    "sadness": (r"sad", r"unhappy", r"depressed", r"down", r"miserable", r"heartbroken", r"crying",
                r"cried", r"grief", r"grieving", r"lost my", r"miss (?:her|him|them)", r"disappointed",
                r"upset", r"hopeless"),
    "loneliness": (r"lonely", r"loneliness", r"alone", r"isolated", r"no ?one to talk to",
                   r"nobody (?:cares|to talk to)", r"no friends"),
    "joy": (r"happy", r"glad", r"joy(?:ful)?", r"delighted", r"great", r"wonderful", r"love(?:ly)?",
            r"grateful", r"thank(?:s| you)", r"proud", r"relieved", r"fantastic", r"good news"),
    "anger": (r"angry", r"furious", r"mad", r"annoyed", r"irritated", r"hate", r"pissed", r"outraged",
              r"fed up", r"sick of"),
}
_LEXICON_RE = {state: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
               for state, words in _LEXICON.items()}
_NEGATED = re.compile(r"\b(?:not|never|n't|no longer|hardly)\s+(?:\w+\s+)?$", re.IGNORECASE)
_INTENSIFIER = re.compile(r"\b(?:so|very|really|totally|extremely|terribly)\s+$", re.IGNORECASE)


def lexicon_states(text: str) -> dict[str, float]:
    """A rough estimate of the 8 states from feeling words (0.5 = expressed), for when the
    classifier is unavailable. Negated words ("not scared") do not count."""
    scores = dict.fromkeys(STATES, 0.0)
    for state, pattern in _LEXICON_RE.items():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 30):match.start()]
            if _NEGATED.search(before):
                continue
            strength = 0.75 if _INTENSIFIER.search(before) else 0.6
            scores[state] = max(scores[state], min(1.0, scores[state] + 0.15) if scores[state] else strength)
    if text.count("!") >= 2 and max(scores["joy"], scores["excitement"]) > 0:
        scores["excitement"] = max(scores["excitement"], 0.6)
    if scores["loneliness"] and scores["sadness"]:
        scores["loneliness"] = min(1.0, scores["loneliness"] + 0.1)
    strongest = max(scores[s] for s in STATES if s != "neutral")
    scores["neutral"] = round(max(0.0, 0.8 - strongest), 4)
    return scores


_CLASSIFIER_FAILED = False
_WARN_LOCK = threading.Lock()


def text_states(text: str) -> tuple[dict[str, float], str]:
    """The 8 states for ``text`` and what read them ("classifier" or "lexicon")."""
    global _CLASSIFIER_FAILED
    if not _CLASSIFIER_FAILED:
        try:
            from os1.perception.emotion import classifier

            states = classifier().states(text)
            return {s: float(states.get(s, 0.0)) for s in STATES}, "classifier"
        except Exception as exc:  # a missing or broken model: fall back, say so once
            with _WARN_LOCK:
                if not _CLASSIFIER_FAILED:
                    log.warning("emotion classifier unavailable (%s); reading feelings from a lexicon", exc)
                _CLASSIFIER_FAILED = True
    return lexicon_states(text), "lexicon"


# -- fusion ----------------------------------------------------------------------------------
def _fuse(scores: dict[str, float], levels: dict[str, float]) -> tuple[dict[str, float], list[str]]:
    w = VOICE_WEIGHT * levels.get("confidence", 0.0)
    positive = max(scores[s] for s in POSITIVE)
    negative = max(scores[s] for s in NEGATIVE)
    valence = ("+" if positive > negative + VALENCE_MARGIN
               else "-" if negative > positive + VALENCE_MARGIN else "?")
    hesitation = levels.get("hesitation", 0.0)
    fear = levels.get("fear", 0.0)
    excitement = levels.get("excitement", 0.0)
    subdued = levels.get("subdued", 0.0)
    out = dict(scores)
    out["nervousness"] += w * 0.8 * hesitation
    out["fear"] += w * 0.6 * fear * {"-": 1.0, "?": 0.7, "+": 0.4}[valence]
    out["excitement"] += (w * 0.6 * excitement * {"+": 1.0, "?": 0.7, "-": 0.3}[valence]
                          + w * 0.3 * levels.get("arousal", 0.0) * positive)
    out["sadness"] += w * 0.4 * subdued * {"-": 1.0, "?": 0.6, "+": 0.3}[valence]
    if scores["loneliness"] >= 0.25:
        out["loneliness"] += w * 0.3 * subdued
    out["neutral"] *= 1.0 - w * max(hesitation, fear, excitement, subdued)
    shown = sorted((k for k in CUE_NAMES if levels.get(k, 0.0) >= CUE_SHOWN and w > 0),
                   key=lambda k: -levels[k])  # strongest first
    named = [CUE_NAMES[k] for k in shown]
    return out, named


def estimate(text: str, prosody: ProsodyFeatures | None = None,
             baseline: Baseline | None = None) -> AffectEstimate:
    """The affect of one turn from its words and, when it was spoken, its prosody."""
    scores, model = text_states(text or "")
    named: list[str] = []
    levels: dict[str, float] = {}
    source = "text"
    if prosody is not None and prosody.usable:
        levels = voice_cues(prosody, baseline)
        scores, named = _fuse(scores, levels)
        source = "voice+text"
    else:
        filled, restarts = disfluencies(text or "")
        if filled + restarts:
            scores["nervousness"] += 0.25 * min(1.0, 0.5 * (filled + restarts))
            scores["neutral"] *= 0.8
            named.append("hesitant wording")
    scores = {s: round(min(1.0, max(0.0, scores[s])), 4) for s in STATES}
    feeling = max((s for s in STATES if s != "neutral"), key=lambda s: scores[s])
    if scores[feeling] >= EXPRESSED:
        state, confidence = feeling, scores[feeling]
    else:
        state, confidence = "neutral", max(scores["neutral"], 1.0 - scores[feeling])
    return AffectEstimate(state, round(min(1.0, confidence), 4), scores, tuple(named), source, levels, model)
