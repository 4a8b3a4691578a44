"""Rebuild OS1's junk-mail model (src/os1/skills/mail/models/junk.npz) from the SpamAssassin corpus.

    .venv/bin/python scripts/train_junk.py --data ../shared/data/email/spamassassin \\
        --out src/os1/skills/mail/models/junk.npz

What it does (deterministic: the split is a hash of each file's name, the solver is liblinear):

1. parses every file of ``DATA/<folder>/`` with ``os1.skills.mail.message.parse_message`` (a folder whose
   name starts with ``spam`` is junk, anything else legitimate) and turns it into feature tokens with
   ``os1.skills.mail.junk.tokens`` — the very functions the run time uses;
2. splits by :func:`os1.skills.mail.junk.split_of` (70 % train, 15 % tune, 15 % held-out test);
3. fits TF-IDF blocks + logistic regression on train, picks C and the threshold on tune (best junk F1;
   ties go to the middle of the tied thresholds), reports held-out precision / recall / F1 once;
4. refits on train + tune (never test) with the chosen C, keeps the threshold, writes float16 weights
   (no pickle), reloads them with the numpy runtime and checks it reproduces scikit-learn, and writes the
   held-out file list next to the model (``heldout.txt``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from os1.skills.mail.junk import JunkClassifier, split_of, tokens
from os1.skills.mail.message import parse_message

C_GRID = (1.0, 3.0, 10.0, 30.0)
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)


def load_corpus(root: Path) -> tuple[list, np.ndarray, list[str]]:
    messages, labels, names = [], [], []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        junk = folder.name.lower().startswith("spam")
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith("cmds"):
                continue
            messages.append(parse_message(path.read_bytes()))
            labels.append(int(junk))
            names.append(f"{folder.name}/{path.name}")
    return messages, np.asarray(labels, dtype=np.int8), names


def vectorizers(body_max: int, meta_max: int) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    def make(max_features: int, min_df: int) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer=lambda grams: grams, lowercase=False, sublinear_tf=True,
                               min_df=min_df, max_features=max_features, dtype=np.float64)
    return make(body_max, 2), make(meta_max, 2)


def fit(body_tokens: list, meta_tokens: list, y: np.ndarray, c: float, body_max: int, meta_max: int,
        meta_weight: float) -> tuple:
    vb, vm = vectorizers(body_max, meta_max)
    x = sparse.hstack([vb.fit_transform(body_tokens), meta_weight * vm.fit_transform(meta_tokens)]).tocsr()
    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000)
    model.fit(x, y)
    return vb, vm, model


def transform(vb, vm, body_tokens: list, meta_tokens: list, meta_weight: float):
    return sparse.hstack([vb.transform(body_tokens), meta_weight * vm.transform(meta_tokens)]).tocsr()


def prf(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(y: np.ndarray, proba: np.ndarray) -> tuple[float, float]:
    f1s = np.array([prf(y, (proba >= t).astype(np.int8))[2] for t in THRESHOLDS])
    best = f1s.max()
    tied = THRESHOLDS[np.isclose(f1s, best)]
    return float(tied[len(tied) // 2]), float(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/email/spamassassin"))
    parser.add_argument("--out", type=Path, default=Path("src/os1/skills/mail/models/junk.npz"))
    parser.add_argument("--body-features", type=int, default=30_000)
    parser.add_argument("--meta-features", type=int, default=5_000)
    parser.add_argument("--meta-weight", type=float, default=1.0)
    args = parser.parse_args()

    started = time.perf_counter()
    messages, y, names = load_corpus(args.data)
    feats = [tokens(m) for m in messages]
    body = [f[0] for f in feats]
    meta = [f[1] for f in feats]
    split = np.array([split_of(Path(n).name) for n in names])
    print(f"{len(messages)} messages ({int(y.sum())} junk) parsed in {time.perf_counter() - started:.1f}s; "
          + ", ".join(f"{s} {int((split == s).sum())} ({int(y[split == s].sum())} junk)"
                      for s in ("train", "tune", "test")))

    def part(which: tuple[str, ...]) -> tuple[list, list, np.ndarray]:
        idx = np.flatnonzero(np.isin(split, which))
        return [body[i] for i in idx], [meta[i] for i in idx], y[idx]

    tr_b, tr_m, tr_y = part(("train",))
    tu_b, tu_m, tu_y = part(("tune",))
    te_b, te_m, te_y = part(("test",))
    best = None
    for c in C_GRID:
        vb, vm, model = fit(tr_b, tr_m, tr_y, c, args.body_features, args.meta_features, args.meta_weight)
        proba = model.predict_proba(transform(vb, vm, tu_b, tu_m, args.meta_weight))[:, 1]
        threshold, f1 = best_threshold(tu_y, proba)
        p, r, f = prf(tu_y, (proba >= 0.5).astype(np.int8))
        print(f"  C={c:<5} tune: F1@0.5 {f:.4f} (P {p:.4f} R {r:.4f}); "
              f"best F1 {f1:.4f} at threshold {threshold}")
        if best is None or f1 > best[1] + 1e-9:
            best = (c, f1, threshold, vb, vm, model)
    assert best is not None
    c, tune_f1, threshold, vb, vm, model = best
    proba = model.predict_proba(transform(vb, vm, te_b, te_m, args.meta_weight))[:, 1]
    test_p, test_r, test_f1 = prf(te_y, (proba >= threshold).astype(np.int8))
    test_names = [n for n, s in zip(names, split, strict=True) if s == "test"]
    wrong = [(n, round(float(p_), 3)) for n, p_, t in zip(test_names, proba, te_y, strict=True)
             if (p_ >= threshold) != bool(t)]
    print(f"chosen C={c}, threshold {threshold} (tune F1 {tune_f1:.4f})")
    print(f"HELD-OUT test ({len(te_y)} messages, {int(te_y.sum())} junk): precision {test_p:.4f} "
          f"recall {test_r:.4f} F1 {test_f1:.4f}; wrong: {wrong}")

    # final model: train + tune, same settings; the test split is never used for fitting
    fb, fm, fy = part(("train", "tune"))
    vb, vm, model = fit(fb, fm, fy, c, args.body_features, args.meta_features, args.meta_weight)
    coef = model.coef_[0].astype(np.float64)
    n_body = len(vb.vocabulary_)
    body_terms = sorted(vb.vocabulary_, key=vb.vocabulary_.get)
    meta_terms = sorted(vm.vocabulary_, key=vm.vocabulary_.get)
    assert not any("\n" in t for t in body_terms + meta_terms)
    coef[n_body:] *= args.meta_weight  # fold the block weight into the coefficients
    meta_info = {
        "trained_on": "SpamAssassin public corpus (easy_ham, spam), train+tune splits",
        "C": c, "threshold": threshold, "body_features": n_body, "meta_features": len(meta_terms),
        "heldout": {"messages": len(te_y), "junk": int(te_y.sum()), "precision": round(test_p, 4),
                    "recall": round(test_r, 4), "f1": round(test_f1, 4)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        body_vocab=np.frombuffer("\n".join(body_terms).encode("utf-8"), dtype=np.uint8),
        meta_vocab=np.frombuffer("\n".join(meta_terms).encode("utf-8"), dtype=np.uint8),
        body_idf=vb.idf_.astype(np.float32), meta_idf=vm.idf_.astype(np.float32),
        coef=coef.astype(np.float16), intercept=np.float32(model.intercept_[0]),
        threshold=np.float32(threshold),
        meta=np.frombuffer(json.dumps(meta_info).encode("utf-8"), dtype=np.uint8))
    heldout = args.out.parent / "heldout.txt"
    heldout.write_text("\n".join(test_names) + "\n", encoding="utf-8")

    runtime = JunkClassifier.load(args.out)
    sk = model.predict_proba(transform(vb, vm, te_b, te_m, args.meta_weight))[:, 1]
    test_messages = [m for m, s in zip(messages, split, strict=True) if s == "test"]
    ours = runtime.score(test_messages)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB) and {heldout}; numpy runtime vs "
          f"scikit-learn: max |dP| {np.abs(ours - sk).max():.2e}; total {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
