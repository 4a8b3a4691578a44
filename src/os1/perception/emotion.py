"""Hearing feeling in words: a small text emotion classifier trained on GoEmotions.

The model is a one-vs-rest logistic regression over TF-IDF word (1-2 gram) and
character (``char_wb``) n-grams, trained by ``scripts/train_emotion.py``. Its
weights ship inside the package as ``perception/models/emotion.npz`` (no pickle)
and run here with numpy alone, so classifying a sentence costs well under a
millisecond and loading the model a fraction of a second.

- :meth:`EmotionClassifier.predict_proba`: the 28 GoEmotions label probabilities;
- :meth:`EmotionClassifier.labels`: the labels over their tuned thresholds;
- :meth:`EmotionClassifier.ekman_proba` / :meth:`EmotionClassifier.ekman_labels`:
  Ekman's 6 basic emotions + neutral (their own head, trained on the same features);
- :meth:`EmotionClassifier.states`: OS1's 8 affect states, each in [0, 1], where 0.5
  means "just over the threshold" (loneliness, not a GoEmotions label, comes from
  words such as *lonely* or *no one to talk to* weighed with sadness).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from os1.perception.tfidf import SavedTfidf, decode_terms, load_weights

LABELS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
    "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)
EKMAN_LABELS: tuple[str, ...] = ("anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise")
# The GoEmotions paper's grouping (the ekman/ files of the data set follow it exactly).
EKMAN_GROUP: dict[str, str] = {
    **dict.fromkeys(("anger", "annoyance", "disapproval"), "anger"),
    "disgust": "disgust",
    **dict.fromkeys(("fear", "nervousness"), "fear"),
    **dict.fromkeys(("joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism",
                     "relief", "pride", "admiration", "desire", "caring"), "joy"),
    **dict.fromkeys(("sadness", "disappointment", "embarrassment", "grief", "remorse"), "sadness"),
    **dict.fromkeys(("surprise", "realization", "confusion", "curiosity"), "surprise"),
    "neutral": "neutral",
}
STATES: tuple[str, ...] = ("fear", "nervousness", "excitement", "sadness", "loneliness", "joy", "anger",
                           "neutral")
STATE_LABELS: dict[str, tuple[str, ...]] = {
    "fear": ("fear",),
    "nervousness": ("nervousness",),
    "excitement": ("excitement",),
    "sadness": ("sadness", "grief", "disappointment", "remorse"),
    "joy": ("joy", "amusement", "love", "gratitude", "optimism", "pride", "relief", "admiration"),
    "anger": ("anger", "annoyance", "disgust", "disapproval"),
    "neutral": ("neutral",),
}
MODEL_FILE = Path(__file__).parent / "models" / "emotion.npz"

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_SPACES = re.compile(r"\s\s+")

# Loneliness is not a GoEmotions label: (pattern, strength). Strong cues say it outright.
_LONELY_CUES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), strength) for pattern, strength in (
        (r"\blonel(?:y|iness|ier|iest)\b", 1.0),
        (r"\b(?:no ?one|nobody|noone|not anyone|n't (?:have )?anyone) (?:to|i can|who(?:'d| would)?) "
         r"(?:talk|turn|call|text|lean on|hang out|spend)", 1.0),
        (r"\b(?:so|very|completely|totally|feel(?:ing|s)?|felt) (?:so )?(?:isolated|alone)\b", 0.9),
        (r"\balone (?:again|all (?:day|night|week|weekend|the time)|every (?:day|night)|"
         r"for (?:days|weeks|months))", 0.8),
        (r"\bmiss (?:having|being with) (?:someone|somebody|people|friends|company)\b", 0.9),
        (r"\b(?:i have|i've got|i got) no (?:friends|one)\b|\bno friends\b", 0.8),
        (r"\b(?:no ?one|nobody) (?:ever |really |even )?"
         r"(?:cares|understands|visits|calls|texts|notices)\b", 0.8),
        (r"\bisolat(?:ed|ion|ing)\b", 0.7),
        (r"\b(?:all )?by myself\b|\bon my own\b|\bleft out\b|\bforgotten\b", 0.5),
        (r"\balone\b", 0.5),
        (r"\bempty (?:house|apartment|flat|room)\b", 0.4),
    ))
_NOT_LONELY = re.compile(
    r"\b(?:leave (?:me|us|him|her|them|it) alone|let (?:me|it) alone|alone time|time alone|"
    r"(?:not|never|n't|no longer|nobody is|no one is) (?:feel(?:ing)? )?(?:alone|lonely|isolated)|"
    r"you(?:'re| are) not alone|not the only one)\b",
    re.IGNORECASE)


class EmotionModelError(RuntimeError):
    """The shipped weights are missing or unreadable (a broken install)."""


class _Tfidf(SavedTfidf):
    """scikit-learn's TfidfVectorizer (word or char_wb n-grams) over a saved vocabulary."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, analyzer: str,
                 ngram_range: tuple[int, int], sublinear_tf: bool, offset: int) -> None:
        super().__init__(vocabulary, idf, offset, sublinear_tf)
        self.analyzer = analyzer
        self.min_n, self.max_n = ngram_range

    def grams(self, text: str) -> list[str]:
        text = text.lower()
        if self.analyzer == "word":
            tokens = _TOKEN.findall(text)
            grams = list(tokens) if self.min_n == 1 else []
            for n in range(max(self.min_n, 2), self.max_n + 1):
                grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
            return grams
        grams = []  # char_wb
        for word in _SPACES.sub(" ", text).split():
            word = f" {word} "
            length = len(word)
            for n in range(self.min_n, self.max_n + 1):
                if length <= n:  # a short word counts once, as scikit-learn does
                    grams.append(word)
                    break
                grams.extend(word[i:i + n] for i in range(length - n + 1))
        return grams

    def row(self, text: str) -> tuple[list[int], list[float]]:
        return self.row_of(self.grams(text))


class EmotionClassifier:
    """The GoEmotions classifier; make one with :meth:`load` (or share :func:`classifier`)."""

    def __init__(self, blocks: list[_Tfidf], coef: np.ndarray, intercept: np.ndarray,
                 thresholds: np.ndarray, ekman_coef: np.ndarray, ekman_intercept: np.ndarray,
                 ekman_thresholds: np.ndarray, meta: dict) -> None:
        self.blocks = blocks
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.ekman_coef = np.asarray(ekman_coef, dtype=np.float32)
        self.ekman_intercept = np.asarray(ekman_intercept, dtype=np.float32)
        self.ekman_thresholds = np.asarray(ekman_thresholds, dtype=np.float32)
        self.meta = meta

    @classmethod
    def load(cls, path: str | Path | None = None) -> EmotionClassifier:
        """The shipped weights (or those at ``path``, as written by scripts/train_emotion.py)."""
        path = Path(path) if path is not None else MODEL_FILE
        try:
            arrays, meta = load_weights(path)
            if tuple(meta["labels"]) != LABELS or tuple(meta["ekman_labels"]) != EKMAN_LABELS:
                raise ValueError("its label lists are not the GoEmotions ones")
            blocks, offset = [], 0
            for spec in meta["blocks"]:
                name = spec["name"]
                vocabulary = decode_terms(arrays[f"{name}_vocab"])
                blocks.append(_Tfidf(vocabulary, arrays[f"{name}_idf"], spec["analyzer"],
                                     tuple(spec["ngram_range"]), bool(spec["sublinear_tf"]), offset))
                offset += len(vocabulary)
            if arrays["coef"].shape != (offset, len(LABELS)):
                raise ValueError(f"coef has shape {arrays['coef'].shape}, expected ({offset}, {len(LABELS)})")
            return cls(blocks, arrays["coef"], arrays["intercept"], arrays["thresholds"],
                       arrays["ekman_coef"], arrays["ekman_intercept"], arrays["ekman_thresholds"], meta)
        except FileNotFoundError as exc:
            raise EmotionModelError(f"the emotion model is missing: {path} (reinstall OS1)") from exc
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise EmotionModelError(f"the emotion model {path} is unreadable: {exc}") from exc

    # -- scores -------------------------------------------------------------------------

    def _scores(self, texts: list[str], coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("give a list of texts, not one string")
        out = np.empty((len(texts), coef.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            columns: list[int] = []
            values: list[float] = []
            for block in self.blocks:
                c, v = block.row(text if isinstance(text, str) else str(text))
                columns += c
                values += v
            if columns:
                out[i] = np.asarray(values, dtype=np.float32) @ coef[columns]
            else:
                out[i] = 0.0
        out += intercept
        return 1.0 / (1.0 + np.exp(-out))

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(n, 28) probabilities, columns in :data:`LABELS` order."""
        return self._scores(texts, self.coef, self.intercept)

    def ekman_proba(self, texts: list[str]) -> np.ndarray:
        """(n, 7) probabilities, columns in :data:`EKMAN_LABELS` order."""
        return self._scores(texts, self.ekman_coef, self.ekman_intercept)

    def labels(self, texts: list[str]) -> list[list[str]]:
        """The GoEmotions labels of each text (over their thresholds; at least one: the likeliest)."""
        return _decide(self.predict_proba(texts), self.thresholds, LABELS)

    def ekman_labels(self, texts: list[str]) -> list[list[str]]:
        """Ekman's labels of each text (at least one)."""
        return _decide(self.ekman_proba(texts), self.ekman_thresholds, EKMAN_LABELS)

    def calibrated(self, proba: np.ndarray) -> np.ndarray:
        """Rescale probabilities so that each label's threshold sits at 0.5 (comparable across labels)."""
        return _calibrate(proba, self.thresholds)

    def states(self, text: str) -> dict[str, float]:
        """OS1's 8 :data:`STATES`, each in [0, 1]; 0.5 or more means the state is expressed."""
        score = self.calibrated(self.predict_proba([text]))[0]
        index = {label: i for i, label in enumerate(LABELS)}
        out = {state: float(max(score[index[label]] for label in members))
               for state, members in STATE_LABELS.items()}
        out["loneliness"] = loneliness(text, out["sadness"])
        strongest = max(value for state, value in out.items() if state != "neutral")
        if strongest > out["neutral"]:  # a clearer feeling than neutral: the text is not neutral
            out["neutral"] = min(out["neutral"], 1.0 - strongest)
        return {state: round(min(1.0, max(0.0, out[state])), 4) for state in STATES}


def _calibrate(proba: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    t = np.clip(thresholds, 1e-3, 1 - 1e-3)
    below = 0.5 * proba / t
    above = 0.5 + 0.5 * (proba - t) / (1.0 - t)
    return np.clip(np.where(proba < t, below, above), 0.0, 1.0)


def _decide(proba: np.ndarray, thresholds: np.ndarray, names: tuple[str, ...]) -> list[list[str]]:
    chosen = proba >= thresholds
    out = []
    for row, picks in zip(proba, chosen, strict=True):
        found = [names[i] for i in np.flatnonzero(picks)]
        out.append(found or [names[int(np.argmax(row / thresholds))]])
    return out


def loneliness(text: str, sadness: float) -> float:
    """Loneliness in [0, 1] from its words (which GoEmotions has no label for) and the sadness score."""
    cleaned = _NOT_LONELY.sub(" ", text)
    cue = max((strength for pattern, strength in _LONELY_CUES if pattern.search(cleaned)), default=0.0)
    if cue == 0.0:
        return round(0.15 * sadness, 4)  # sadness alone says little about being alone
    # a strong cue is loneliness by itself; sadness makes a weak one ("alone", "by myself") count
    return round(min(1.0, cue * (0.55 + 0.45 * sadness) + 0.2 * sadness * (1.0 - cue)), 4)


@functools.cache
def classifier() -> EmotionClassifier:
    """The process-wide classifier, loaded on first use."""
    return EmotionClassifier.load()
