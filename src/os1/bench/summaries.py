"""`os1 bench documents --frank DIR`: how good are OS1's "best parts"? ROUGE against human summaries.

For every FRANK article JSON (CNN/DailyMail and XSum articles with their reference summaries) the
article text is split into sentences with OS1's own splitter, condensed to 3 sentences with
:func:`os1.skills.documents.condense.condense`, and scored with ROUGE-1/2/L F1 (the ``rouge-score``
package, ``use_stemmer=True``) against the reference. The Lead-3 baseline (the first three sentences
from the same splitter) is scored in the same run.

References: CNN/DailyMail files carry the reference highlights in several tokenisations; we use
``bart_reference`` (cased; the others are the same text lower-cased). XSum files carry the single
reference sentence in ``Gold``. Articles are recognised as CNN/DM by an id starting with ``dm-`` or
``cnn-`` or a ``filepath`` under ``cnndm/``; the rest are XSum.

Honesty: the ranking weights were tuned on one half of the 149 dev articles only. The split is a
fixed hash of the article's ``hash`` field (SHA-1, even first byte = tune half); ``heldout_*`` keys
report the other half, which was never used to choose weights. Full disclosure: the held-out
half was scored twice — once for a first, richer weighting found by coordinate search on the tune
half (it lost to Lead-3 there), and once for the final, simpler news weighting chosen by 2-fold
cross-validation inside the tune half (see ``os1.skills.documents.rank.NEWS_WEIGHTS``); nothing
was tuned after that. The tune/held-out halves are small (40/35 CNN/DM articles), so differences
below about one ROUGE point are within noise.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from os1.skills.documents.condense import condense
from os1.skills.documents.model import Block, Document
from os1.skills.documents.passages import Passage, split_sentences
from os1.skills.documents.rank import Weights

KEYS = ("rouge1", "rouge2", "rougeL")


def load_articles(frank_dir: Path) -> list[dict[str, Any]]:
    """[{'id', 'cnndm', 'article', 'reference', 'half'}] for every readable FRANK article JSON."""
    root = Path(frank_dir)
    if (root / "articles").is_dir():
        root = root / "articles"
    if not root.is_dir():
        raise ValueError(f"{frank_dir} is not a folder of FRANK article JSON files")
    out = []
    for path in sorted(root.glob("*.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        article = d.get("article") or ""
        ident = str(d.get("id") or d.get("hash") or path.stem)
        cnndm = ident.startswith(("dm-", "cnn-")) or str(d.get("filepath", "")).startswith("cnndm")
        reference = d.get("bart_reference") if cnndm else d.get("Gold")
        reference = reference or d.get("reference") or ""
        if not article.strip() or not reference.strip():
            continue
        key = str(d.get("hash") or path.stem)
        out.append(
            {"id": ident, "cnndm": cnndm, "article": article, "reference": reference, "half": split_of(key)}
        )
    return out


def split_of(key: str) -> str:
    """'tune' or 'heldout', fixed by a hash of the article key."""
    return "tune" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "heldout"


def article_document(text: str) -> Document:
    paras = [p.strip() for p in text.split("\n\n") if p.strip()] or [text.strip()]
    return Document(title="", format="txt", blocks=[Block(text=p) for p in paras])


def summarise(article: str, *, weights: Weights | None = None, embeddings: bool | None = None) -> str:
    doc = article_document(article)
    passages: list[Passage] = []
    for bi, block in enumerate(doc.blocks):
        for s in split_sentences(block.text):
            passages.append(Passage(s, bi, index=len(passages)))
    result = condense(passages, sentences=3, kind="news", weights=weights, embeddings=embeddings)
    return " ".join(p.text for p in result.passages)


def lead3(article: str) -> str:
    return " ".join(split_sentences(article)[:3])


def _mean(rows: list[dict[str, float]], key: str) -> float:
    return round(100 * sum(r[key] for r in rows) / len(rows), 2) if rows else 0.0


def evaluate(
    articles: list[dict[str, Any]], *, weights: Weights | None = None, embeddings: bool | None = None
) -> list[dict[str, Any]]:
    """Per-article ROUGE F1 for the condensed version and for Lead-3."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    rows = []
    for a in articles:
        ours = scorer.score(a["reference"], summarise(a["article"], weights=weights, embeddings=embeddings))
        base = scorer.score(a["reference"], lead3(a["article"]))
        row: dict[str, Any] = {"id": a["id"], "cnndm": a["cnndm"], "half": a["half"]}
        for k in KEYS:
            row[k] = ours[k].fmeasure
            row[f"lead3_{k}"] = base[k].fmeasure
        rows.append(row)
    return rows


def summarize_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    cnn = [r for r in rows if r["cnndm"]]
    held = [r for r in cnn if r["half"] == "heldout"]
    tune = [r for r in cnn if r["half"] == "tune"]
    out: dict[str, Any] = {}
    for prefix, subset in (("", rows), ("cnndm_", cnn)):
        for k in KEYS:
            out[f"{prefix}{k}"] = _mean(subset, k)
            out[f"{prefix}lead3_{k}"] = _mean(subset, f"lead3_{k}")
    for prefix, subset in (("heldout_cnndm_", held), ("tune_cnndm_", tune)):
        out[f"{prefix}rougeL"] = _mean(subset, "rougeL")
        out[f"{prefix}lead3_rougeL"] = _mean(subset, "lead3_rougeL")
    out["articles"] = len(rows)
    out["cnndm_articles"] = len(cnn)
    out["heldout_cnndm_articles"] = len(held)
    out["xsum_articles"] = len(rows) - len(cnn)
    return out


def run(frank_dir: Path, *, limit: int | None = None, half: str = "all") -> dict[str, Any]:
    """ROUGE of 3-sentence condensed versions vs Lead-3 (flat dict; see the module docstring).

    ``half`` = "all", "tune" or "heldout" restricts the articles; ``limit`` takes the first N.
    """
    articles = load_articles(Path(frank_dir))
    if half != "all":
        articles = [a for a in articles if a["half"] == half]
    if limit is not None:
        articles = articles[:limit]
    if not articles:
        raise ValueError(f"no FRANK articles with a reference summary in {frank_dir}")
    return summarize_rows(evaluate(articles))
