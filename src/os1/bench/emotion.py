"""`os1 bench emotion`: how well the text emotion classifier hears feeling, and how fast.

Reads a GoEmotions-format TSV (text, comma-separated label ids, comment id), predicts each row's
labels with :class:`os1.perception.emotion.EmotionClassifier` and reports multi-label macro-F1
over the label set (the 28 GoEmotions labels, or Ekman's 6 + neutral when the labels file lists
exactly those), per-label F1 for the states OS1 cares most about, and sentences per second.
Malformed rows are skipped and counted; a file with no readable row is one clear error.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from os1.perception.emotion import EKMAN_LABELS, LABELS, EmotionClassifier

WATCHED = ("fear", "nervousness", "excitement", "sadness")  # per-label F1 always reported (null if absent)
FORMAT = "text<TAB>comma-separated label ids<TAB>id"


def read_label_set(path: Path | None) -> tuple[str, ...]:
    """The label names of a labels file (one per line), in order; None: the 28 GoEmotions labels."""
    if path is None:
        return LABELS
    try:
        names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not a text file of label names, one per line") from exc
    if not names:
        raise ValueError(f"{path} is empty: it should list label names, one per line")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{path} lists {', '.join(duplicates)} more than once")
    if set(names) != set(EKMAN_LABELS):
        unknown = [n for n in names if n not in LABELS]
        if unknown:
            raise ValueError(
                f"{path}: unknown label(s) {', '.join(unknown[:5])}; the classifier knows the 28 GoEmotions "
                f"labels ({', '.join(LABELS[:3])}, …) and Ekman's set ({', '.join(EKMAN_LABELS)})")
    return tuple(names)


def is_ekman(names: tuple[str, ...]) -> bool:
    return set(names) == set(EKMAN_LABELS)


def read_rows(path: Path, n_labels: int) -> tuple[list[str], list[list[int]], Counter, dict[str, list[int]]]:
    """Texts and label ids of the well-formed rows, plus how many rows were skipped and why (and where)."""
    data = path.read_bytes()
    if not data.strip():
        raise ValueError(f"{path} is empty: expected GoEmotions-format rows ({FORMAT})")
    texts: list[str] = []
    labels: list[list[int]] = []
    skipped: Counter = Counter()
    where: dict[str, list[int]] = {}

    def skip(reason: str, number: int) -> None:
        skipped[reason] += 1
        where.setdefault(reason, []).append(number)

    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            skip("bad encoding (not UTF-8)", number)
            continue
        if "\x00" in line:
            skip("bad encoding (binary)", number)
            continue
        columns = line.split("\t")
        if len(columns) != 3:
            skip(f"wrong column count (expected 3: {FORMAT})", number)
            continue
        text, ids, _ = columns
        try:
            row = sorted({int(i) for i in ids.split(",")})
        except ValueError:
            skip("label ids are not integers", number)
            continue
        if not text.strip():
            skip("empty text", number)
            continue
        if any(i < 0 or i >= n_labels for i in row):
            skip(f"label id out of range (0..{n_labels - 1})", number)
            continue
        texts.append(text)
        labels.append(row)
    if not texts:
        reasons = "; ".join(f"{count} {reason}" for reason, count in skipped.most_common())
        raise ValueError(
            f"{path} is not a GoEmotions-format TSV ({FORMAT}): no row could be read ({reasons})")
    return texts, labels, skipped, where


def f1_per_label(gold: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Per-column F1 of two 0/1 matrices (0 where a label is neither true nor predicted, as scikit-learn)."""
    tp = (gold & predicted).sum(axis=0).astype(float)
    fp = ((1 - gold) & predicted).sum(axis=0)
    fn = (gold & (1 - predicted)).sum(axis=0)
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)


def predict(classifier: EmotionClassifier, texts: list[str], names: tuple[str, ...]) -> np.ndarray:
    """0/1 predictions for the columns ``names`` (Ekman's own head when names are Ekman's set)."""
    found = classifier.ekman_labels(texts) if is_ekman(names) else classifier.labels(texts)
    column = {name: j for j, name in enumerate(names)}
    out = np.zeros((len(texts), len(names)), dtype=np.int8)
    for i, row in enumerate(found):
        for name in row:
            if name in column:
                out[i, column[name]] = 1
    return out


def run(path: Path, labels_path: Path | None = None,
        progress: Callable[[str], None] = lambda message: None) -> dict:
    names = read_label_set(labels_path)
    texts, labels, skipped, where = read_rows(path, len(names))
    if skipped:
        details = "; ".join(f"{count} {reason} (line {', '.join(map(str, where[reason][:5]))}"
                            f"{', …' if count > 5 else ''})" for reason, count in skipped.most_common())
        progress(f"skipped {sum(skipped.values())} malformed row(s): {details}")
    label_set = "ekman" if is_ekman(names) else ("goemotions" if names == LABELS else "goemotions subset")
    progress(f"{len(texts)} rows, {len(names)} labels ({label_set})")

    start = time.perf_counter()
    classifier = EmotionClassifier.load()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    predicted = predict(classifier, texts, names)
    seconds = time.perf_counter() - start

    gold = np.zeros_like(predicted)
    for i, row in enumerate(labels):
        gold[i, row] = 1
    f1 = f1_per_label(gold, predicted)
    supported = gold.sum(axis=0) > 0
    tp = int((gold & predicted).sum())
    micro_denominator = int(gold.sum() + predicted.sum())
    by_name = {name: round(float(f1[j]), 4) for j, name in enumerate(names)}
    return {
        "macro_f1": round(float(f1.mean()), 4),
        "micro_f1": round(2 * tp / micro_denominator, 4) if micro_denominator else 0.0,
        "per_label_f1": {name: by_name.get(name) for name in WATCHED},
        "sentences_per_s": round(len(texts) / max(seconds, 1e-9), 1),
        "rows": len(texts),
        "skipped_rows": sum(skipped.values()),
        "label_set": label_set,
        "labels": len(names),
        "labels_with_support": int(supported.sum()),
        "macro_f1_supported": round(float(f1[supported].mean()), 4),  # over labels present in the file
        "load_s": round(load_s, 3),
        "f1_by_label": by_name,
    }
