"""Rebuild OS1's text emotion model (src/os1/perception/models/emotion.npz) from GoEmotions.

    .venv/bin/pip install scikit-learn==1.9.1      # training only; OS1 runs the model with numpy
    .venv/bin/python scripts/train_emotion.py --data ../shared/data/goemotions \\
        --out src/os1/perception/models/emotion.npz

What it does (deterministic for a given --seed):

1. reads ``train.tsv`` and ``dev.tsv`` (text, comma-separated label ids into the 28 labels, id);
   the Ekman labels of a row are the groups of its 28 labels (checked against ``ekman/`` if there);
2. holds out ``--holdout`` of train, fits TF-IDF word 1-2 grams + char_wb n-grams and one
   NB-LR logistic regression per label (28 GoEmotions + 7 Ekman) on the rest, and tunes each label's
   threshold for F1 on the held-out slice;
3. refits the same model on all of train (the thresholds stay), writes the weights (float16
   coefficients, vocabularies as UTF-8 text, no pickle), reloads them with the numpy runtime
   and checks it reproduces scikit-learn;
4. prints held-out and dev (never used for any choice) macro-F1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from os1.perception.emotion import EKMAN_GROUP, EKMAN_LABELS, LABELS, EmotionClassifier

GRID = np.round(np.arange(0.02, 0.96, 0.01), 2)


def read_rows(path: Path) -> tuple[list[str], list[list[int]]]:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        text, ids, _ = line.split("\t")
        texts.append(text)
        labels.append([int(i) for i in ids.split(",")])
    return texts, labels


def multi_hot(labels: list[list[int]], width: int) -> np.ndarray:
    y = np.zeros((len(labels), width), dtype=np.int8)
    for row, ids in enumerate(labels):
        y[row, ids] = 1
    return y


def to_ekman(y: np.ndarray) -> np.ndarray:
    out = np.zeros((len(y), len(EKMAN_LABELS)), dtype=np.int8)
    for column, label in enumerate(LABELS):
        out[:, EKMAN_LABELS.index(EKMAN_GROUP[label])] |= y[:, column]
    return out


def vectorizers(args: argparse.Namespace) -> list[tuple[str, TfidfVectorizer]]:
    return [
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                 max_features=args.word_features, dtype=np.float32)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                                 max_features=args.char_features, dtype=np.float32)),
    ]


def fit_one(x: sparse.csr_matrix, y: np.ndarray, c: float, alpha: float,
            seed: int) -> tuple[np.ndarray, float]:
    """NB-LR (Wang & Manning 2012): a logistic regression on features scaled by their naive-Bayes
    log-count ratio r; the scaling folds into the weights (w * r), so the runtime is a plain dot."""
    p = alpha + np.asarray(x[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(x[y == 0].sum(axis=0)).ravel()
    r = np.log((p / p.sum()) / (q / q.sum()))
    model = LogisticRegression(C=c, solver="liblinear", max_iter=300, random_state=seed)
    model.fit(x @ sparse.diags(r), y)
    return (model.coef_[0] * r).astype(np.float32), float(model.intercept_[0])


def fit(texts: list[str], y: np.ndarray, args: argparse.Namespace) -> dict:
    vecs = vectorizers(args)
    x = sparse.hstack([v.fit_transform(texts) for _, v in vecs]).tocsr().astype(np.float64)
    x.sort_indices()
    heads = Parallel(n_jobs=args.jobs)(delayed(fit_one)(x, y[:, j], args.C, args.alpha, args.seed)
                                       for j in range(y.shape[1]))
    coef = np.stack([h[0] for h in heads], axis=1)
    intercept = np.array([h[1] for h in heads], dtype=np.float32)
    return {"vecs": vecs, "coef": coef, "intercept": intercept}


def proba(model: dict, texts: list[str]) -> np.ndarray:
    x = sparse.hstack([v.transform(texts) for _, v in model["vecs"]]).tocsr()
    return 1.0 / (1.0 + np.exp(-(x @ model["coef"] + model["intercept"])))


def tune(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    best = np.empty(y.shape[1], dtype=np.float32)
    for j in range(y.shape[1]):
        scores = [f1_score(y[:, j], p[:, j] >= t, zero_division=0) for t in GRID]
        best[j] = GRID[int(np.argmax(scores))]
    return best


def decide(p: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Over-threshold labels; a row with none gets its likeliest (relative to the threshold)."""
    out = (p >= thresholds).astype(np.int8)
    empty = out.sum(axis=1) == 0
    out[np.flatnonzero(empty), np.argmax(p[empty] / thresholds, axis=1)] = 1
    return out


def macro(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, average="macro", zero_division=0))


def save(model: dict, thresholds: np.ndarray, out: Path, info: dict) -> None:
    arrays: dict[str, np.ndarray] = {}
    blocks = []
    for name, vec in model["vecs"]:
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        assert all("\n" not in t for t in terms)
        arrays[f"{name}_vocab"] = np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)
        arrays[f"{name}_idf"] = vec.idf_.astype(np.float32)
        blocks.append({"name": name, "analyzer": vec.analyzer, "ngram_range": list(vec.ngram_range),
                       "sublinear_tf": vec.sublinear_tf})
    n = len(LABELS)
    arrays["coef"] = model["coef"][:, :n].astype(np.float16)
    arrays["intercept"] = model["intercept"][:n]
    arrays["thresholds"] = thresholds[:n]
    arrays["ekman_coef"] = model["coef"][:, n:].astype(np.float16)
    arrays["ekman_intercept"] = model["intercept"][n:]
    arrays["ekman_thresholds"] = thresholds[n:]
    meta = {"labels": list(LABELS), "ekman_labels": list(EKMAN_LABELS), "blocks": blocks, **info}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the goemotions folder (train.tsv, dev.tsv)")
    parser.add_argument("--out", type=Path, required=True, help="where to write emotion.npz")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--holdout", type=float, default=0.15, help="share of train for tuning thresholds")
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 regularisation strength")
    parser.add_argument("--alpha", type=float, default=1.0, help="smoothing of the naive-Bayes ratios")
    parser.add_argument("--word-features", type=int, default=20_000)
    parser.add_argument("--char-features", type=int, default=30_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-refit", action="store_true",
                        help="keep the model fitted without the held-out slice")
    args = parser.parse_args()
    start = time.perf_counter()

    texts, ids = read_rows(args.data / "train.tsv")
    dev_texts, dev_ids = read_rows(args.data / "dev.tsv")
    y = multi_hot(ids, len(LABELS))
    y_all = np.concatenate([y, to_ekman(y)], axis=1)
    dev_y = multi_hot(dev_ids, len(LABELS))
    dev_y_all = np.concatenate([dev_y, to_ekman(dev_y)], axis=1)
    ekman_dir = args.data / "ekman"
    if (ekman_dir / "dev.tsv").is_file():
        _, ekman_ids = read_rows(ekman_dir / "dev.tsv")
        names = (ekman_dir / "labels.txt").read_text().split()
        given = multi_hot([[EKMAN_LABELS.index(names[i]) for i in row] for row in ekman_ids],
                          len(EKMAN_LABELS))
        assert (given == dev_y_all[:, len(LABELS):]).all(), "the Ekman mapping does not match ekman/dev.tsv"
        print("Ekman mapping matches ekman/dev.tsv", file=sys.stderr)

    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(texts))
    cut = int(len(texts) * args.holdout)
    held, rest = order[:cut], order[cut:]
    n = len(LABELS)

    model = fit([texts[i] for i in rest], y_all[rest], args)
    held_p = proba(model, [texts[i] for i in held])
    thresholds = np.concatenate([tune(held_p[:, :n], y_all[held, :n]), tune(held_p[:, n:], y_all[held, n:])])
    held_scores = {
        "heldout_macro_f1": macro(y_all[held, :n], decide(held_p[:, :n], thresholds[:n])),
        "heldout_ekman_macro_f1": macro(y_all[held, n:], decide(held_p[:, n:], thresholds[n:])),
    }
    print(f"held-out ({len(held)} rows, thresholds tuned on them): {held_scores}", file=sys.stderr)
    if not args.no_refit:
        model = fit(texts, y_all, args)
    train_s = time.perf_counter() - start

    info = {"seed": args.seed, "C": args.C, "alpha": args.alpha, "holdout": args.holdout,
            "refit_on_all_train": not args.no_refit, "train_rows": len(texts), **held_scores}
    save(model, thresholds, args.out, info)

    # the shipped runtime, from the written file
    t0 = time.perf_counter()
    clf = EmotionClassifier.load(args.out)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    runtime_p = clf.predict_proba(dev_texts)
    speed = len(dev_texts) / (time.perf_counter() - t0)
    runtime_e = clf.ekman_proba(dev_texts)
    sk_p = proba(model, dev_texts)
    diff = float(np.abs(np.concatenate([runtime_p, runtime_e], axis=1) - sk_p).max())
    print(f"numpy runtime vs scikit-learn: max |dp| = {diff:.2e} (float16 weights)", file=sys.stderr)
    assert diff < 0.01, "the numpy runtime does not reproduce the trained model"
    result = {
        **held_scores,
        "dev_macro_f1": macro(dev_y, decide(runtime_p, clf.thresholds)),
        "dev_ekman_macro_f1": macro(dev_y_all[:, n:], decide(runtime_e, clf.ekman_thresholds)),
        "features": int(clf.coef.shape[0]),
        "file_mb": round(args.out.stat().st_size / 1e6, 2),
        "load_s": round(load_s, 3),
        "sentences_per_s": round(speed),
        "train_s": round(train_s, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
