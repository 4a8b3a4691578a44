"""The best parts of a document: a condensed version, "what is it about?" and "the part about X".

:func:`condense` keeps the highest-ranked sentences (see :mod:`os1.skills.documents.rank`) up to a
budget — a number of sentences, or a ratio of the words ("the 10 % that matters") — and returns
them in their original order. It avoids near-duplicates, keeps attributions (a quote that opens in
a chosen sentence is completed up to its "she said"), and when a chosen sentence starts with a
pronoun ("He denied it.") it also takes the sentence before it if that is cheap, so the listener
knows who "he" is. Long books are condensed chapter by chapter with the same ratio, so the
condensed version still tells the whole story.

:func:`about` answers "what's this document about?" and :func:`find_part` answers "read me the
part about X" (BM25 over sentences, smoothed over neighbours so it finds *parts*, then a MiniLM
re-rank of the best candidates).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from os1.skills.documents.model import Document
from os1.skills.documents.passages import Passage, split_passages
from os1.skills.documents.rank import (
    EMBED_MAX,
    Weights,
    content_terms,
    detect_kind,
    is_boilerplate,
    rank,
    starts_with_pronoun,
    tfidf_vectors,
)

DEFAULT_RATIO = 0.1
REDUNDANT = 0.6  # TF-IDF cosine above which a sentence repeats one already chosen


@dataclass
class Condensed:
    passages: list[Passage]  # chosen sentences, in original order
    ratio: float  # words_after / words_before
    words_before: int
    words_after: int

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.passages)


def _as_passages(doc_or_passages: Document | Sequence[Passage]) -> list[Passage]:
    if isinstance(doc_or_passages, Document):
        return split_passages(doc_or_passages)
    return list(doc_or_passages)


def condense(
    doc_or_passages: Document | Sequence[Passage],
    *,
    ratio: float | None = None,
    sentences: int | None = None,
    interests: Sequence[str] = (),
    kind: str = "auto",
    weights: Weights | None = None,
    embeddings: bool | None = None,
    brain: Callable[[list[str]], list[float]] | None = None,
) -> Condensed:
    """Keep the best sentences: ``sentences`` of them, or about ``ratio`` of the words (default 10 %)."""
    passages = _as_passages(doc_or_passages)
    body = [p for p in passages if not p.heading]
    words_before = sum(len(p.text.split()) for p in body)
    if not body:
        return Condensed([], 0.0, 0, 0)
    if ratio is not None and not 0 < ratio <= 1:
        raise ValueError("ratio must be in (0, 1]")
    if sentences is None and ratio is None:
        ratio = DEFAULT_RATIO
    if kind == "auto":
        kind = detect_kind(passages)
    scores = rank(
        passages, interests=interests, kind=kind, weights=weights, embeddings=embeddings, brain=brain
    )
    chosen: set[int] = set()
    if sentences is not None:
        chosen = _select(passages, scores, list(range(len(passages))), max_sentences=max(1, sentences))
    else:
        assert ratio is not None
        groups = _chapter_groups(passages) if kind == "book" else [list(range(len(passages)))]
        for group in groups:
            gw = sum(len(passages[i].text.split()) for i in group if not passages[i].heading)
            if gw:
                chosen |= _select(passages, scores, group, max_words=max(1, round(gw * ratio)))
    picked = [passages[i] for i in sorted(chosen)]
    words_after = sum(len(p.text.split()) for p in picked)
    return Condensed(picked, words_after / words_before if words_before else 0.0, words_before, words_after)


def _chapter_groups(passages: list[Passage]) -> list[list[int]]:
    groups: list[list[int]] = []
    current = None
    for i, p in enumerate(passages):
        if not groups or p.chapter != current:
            groups.append([])
            current = p.chapter
        groups[-1].append(i)
    return groups


def _quote_balance(text: str) -> int:
    """>0 when a quotation opens in ``text`` and doesn't close."""
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2
    return curly if curly else straight


def _select(
    passages: list[Passage],
    scores: list[float],
    group: list[int],
    *,
    max_sentences: int | None = None,
    max_words: int | None = None,
) -> set[int]:
    cands = [i for i in group if not passages[i].heading and scores[i] > -50]
    if not cands:
        cands = [i for i in group if not passages[i].heading]
    vecs_list, _ = tfidf_vectors([passages[i].text for i in cands])
    vecs = dict(zip(cands, vecs_list, strict=True))
    norms = {i: math.sqrt(sum(x * x for x in v.values())) or 1.0 for i, v in vecs.items()}
    order = sorted(cands, key=lambda i: scores[i], reverse=True)
    chosen: set[int] = set()
    words = 0
    pos = {i: k for k, i in enumerate(group)}

    def cost(ids: list[int]) -> tuple[int, int]:
        new = [i for i in ids if i not in chosen]
        return len(new), sum(len(passages[i].text.split()) for i in new)

    def fits(n_new: int, w_new: int) -> bool:
        if max_sentences is not None:
            return len(chosen) + n_new <= max_sentences
        assert max_words is not None
        return words + w_new <= max_words * 1.1 or not chosen

    def redundant(i: int) -> bool:
        v = vecs[i]
        for j in chosen:
            if j in vecs and abs(pos.get(j, 0) - pos.get(i, 0)) < 400:
                u = vecs[j]
                dot = sum(x * u.get(k, 0.0) for k, x in v.items())
                if dot / (norms[i] * norms[j]) > REDUNDANT:
                    return True
        return False

    skipped: list[int] = []
    for i in [*order, -1]:
        if i == -1:
            # ran out of fresh sentences: fill the budget with the near-repeats, best first
            if skipped and (max_words is not None or max_sentences is not None):
                order_rest, skipped = skipped, []
                for j in order_rest:
                    if (max_sentences is not None and len(chosen) >= max_sentences) or (
                        max_words is not None and words >= max_words
                    ):
                        break
                    n_new, w_new = cost([j])
                    if j not in chosen and fits(n_new, w_new):
                        chosen.add(j)
                        words += w_new
            break
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        if max_words is not None and words >= max_words:
            break
        if i in chosen:
            continue
        if redundant(i):
            skipped.append(i)
            continue
        ids = [i]
        # a quotation that opens here: take the sentences up to where it closes (its "she said")
        if _quote_balance(passages[i].text) > 0:
            k = pos[i] + 1
            extra: list[int] = []
            while k < len(group) and len(extra) < 2:
                j = group[k]
                if passages[j].heading or passages[j].block != passages[i].block:
                    break
                extra.append(j)
                if _quote_balance(passages[j].text) < 0 or re.search(r"[”\"]", passages[j].text):
                    break
                k += 1
            if extra and _quote_balance(" ".join(passages[x].text for x in [i, *extra])) <= 0:
                ids += extra
        # "He denied it." -> also take the sentence that says who "he" is, when cheap
        if starts_with_pronoun(passages[i].text) and pos[i] > 0:
            prev = group[pos[i] - 1]
            if (
                not passages[prev].heading
                and prev not in chosen
                and passages[prev].block == passages[i].block
                and len(passages[prev].text.split()) <= 40
                and not is_boilerplate(passages[prev].text)
            ):
                n_new, w_new = cost([prev, *ids])
                if fits(n_new, w_new):
                    ids = [prev, *ids]
        n_new, w_new = cost(ids)
        if not fits(n_new, w_new):
            continue
        for j in ids:
            if j not in chosen:
                chosen.add(j)
                words += len(passages[j].text.split())
    return chosen


def about(doc: Document, n: int = 3, *, interests: Sequence[str] = ()) -> list[Passage]:
    """The ``n`` sentences that best say what the document is about, in document order."""
    return condense(doc, sentences=n, interests=interests).passages


# ---------------------------------------------------------------------------------------------
# "read me the part about X"


def _bm25(passages: list[Passage], query_terms: list[str], k1: float = 1.4, b: float = 0.75) -> list[float]:
    docs = [Counter(content_terms(p.text)) for p in passages]
    n = len(docs)
    avg = sum(sum(d.values()) for d in docs) / max(1, n) or 1.0
    df: Counter[str] = Counter()
    for d in docs:
        df.update(k for k in d if k in query_terms)
    out = []
    for d in docs:
        dl = sum(d.values())
        s = 0.0
        for t in query_terms:
            tf = d.get(t, 0)
            if tf:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                s += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avg))
        out.append(s)
    return out


def find_part(doc: Document, query: str, k: int = 3, *, rerank: bool = True) -> list[Passage]:
    """The ``k`` passages that best match ``query`` (best first); [] if nothing matches."""
    passages = [p for p in split_passages(doc) if not p.heading]
    if not passages or not query.strip():
        return []
    q_terms = list(dict.fromkeys(content_terms(query)))
    raw = _bm25(passages, q_terms) if q_terms else [0.0] * len(passages)
    # a "part" is a neighbourhood: let each sentence borrow half of its neighbours' evidence
    smooth = [
        raw[i] + 0.5 * ((raw[i - 1] if i > 0 else 0.0) + (raw[i + 1] if i + 1 < len(raw) else 0.0))
        for i in range(len(raw))
    ]
    top = max(smooth) if smooth else 0.0
    if rerank:
        if top > 0:
            cand = sorted(range(len(passages)), key=lambda i: smooth[i], reverse=True)[: max(40, k * 10)]
        elif len(passages) <= EMBED_MAX:
            cand = list(range(len(passages)))  # no word in common: meaning alone, small documents only
        else:
            return []
        sims = _embed_similarity(query, [passages[i].text for i in cand])
        if sims is not None:
            if top <= 0 and max(sims) < 0.3:
                return []
            combined = {
                i: 0.5 * (smooth[i] / top if top > 0 else 0.0) + s for i, s in zip(cand, sims, strict=True)
            }
            return _spread(passages, sorted(combined, key=lambda i: combined[i], reverse=True), k)
    if top <= 0:
        return []
    ordered = [
        i for i in sorted(range(len(passages)), key=lambda i: smooth[i], reverse=True) if smooth[i] > 0
    ]
    return _spread(passages, ordered, k)


def _spread(passages: list[Passage], ordered: list[int], k: int) -> list[Passage]:
    """Best first, but not two hits from the same spot (neighbouring sentences)."""
    out: list[int] = []
    seen: set[str] = set()
    for i in ordered:
        key = passages[i].text.lower()
        if key not in seen and all(abs(i - j) > 1 for j in out):
            out.append(i)
            seen.add(key)
        if len(out) >= k:
            break
    return [passages[i] for i in out]


def _embed_similarity(query: str, texts: list[str]) -> list[float] | None:
    try:
        from os1.mind.encoder import EncoderUnavailable, shared_encoder
    except ImportError:
        return None
    try:
        vecs = shared_encoder().encode([query, *texts])
    except EncoderUnavailable:
        return None
    q = vecs[0]
    return [float(v @ q) for v in vecs[1:]]
