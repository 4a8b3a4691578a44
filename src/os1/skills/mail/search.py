"""Hybrid search over mail: "the email from Paul about the party".

Lexical: FTS5 BM25 over subject, sender and text (the store's index), top 200. Dense, when the
MiniLM encoder can load: the query against "subject + the first 500 characters" of the best
lexical candidates (40: encoding is the cost, 15-50 ms a message on a laptop CPU) plus the
newest mail of the sender, or the newest mail, so a query whose words appear nowhere can
still find its meaning. Vectors are computed at query time and kept in an in-memory cache
for later queries, never stored. The two rankings are fused by reciprocal rank. Without
the encoder, the ranking is lexical only.

Resolving "from my mom" to an address or name is the caller's job: ``sender`` is matched as
a substring of the sender's address or name. With ``sender`` and no words, the newest mail
from that sender comes first ("read me the last one from my mom").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from os1.mind.encoder import chosen_encoder
from os1.skills.mail.store import MailStore

CANDIDATES = 200  # lexical candidates fused
DENSE_CANDIDATES = 40  # of which the dense ranking re-reads the best (MiniLM costs ~15-50 ms a text on CPU)
RECENT = 20  # newest mail added to the dense candidates
CACHE_SIZE = 20_000  # vectors kept in memory between queries (not stored)
RRF_K = 60
DENSE_CHARS = 500
_STOPWORDS = """
a an the and or of to in on at for from by with about is are was were be been it its this that these those
me my mine i you your we our us he she they them his her their find show read get open last latest email
emails mail mails message messages one ones some any please what which who where when there here
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"\w+", re.UNICODE)
_CACHE: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Hit:
    id: int
    score: float  # fused score (higher is better)
    lexical_rank: int | None  # 1-based, None if not in the lexical list
    dense_rank: int | None


def _words(query: str) -> str:
    return " ".join(w for w in _WORD.findall(query.lower()) if w not in STOPWORDS)



def search_hits(store: MailStore, query: str, sender: str | None = None, limit: int = 10, *,
                encoder: Any = None, include_trashed: bool = False) -> list[Hit]:
    """Ranked hits. ``encoder``: None for the shared MiniLM encoder, False for lexical only, or any
    object with ``encode(texts) -> normalised vectors``."""
    words = _words(query)
    lexical = (store.search_lexical(words, CANDIDATES, sender=sender, include_trashed=include_trashed)
               if words else [])
    if not words:  # only a sender (or nothing): newest first
        status = None if include_trashed else "inbox"
        mails = store.list(status=status, sender=sender, limit=limit) if sender else []
        if sender and not include_trashed and len(mails) < limit:
            mails += store.list(status="archived", sender=sender, limit=limit - len(mails))
            mails.sort(key=lambda m: m.date or 0, reverse=True)
        return [Hit(m.id, 1.0 / (RRF_K + i + 1), None, None) for i, m in enumerate(mails[:limit])]
    lexical_rank = {mail_id: i + 1 for i, (mail_id, _score) in enumerate(lexical)}
    dense_rank = _dense_ranks(store, words, lexical, sender, include_trashed, chosen_encoder(encoder))
    fused: dict[int, float] = {}
    for ranks in (lexical_rank, dense_rank):
        for mail_id, rank in ranks.items():
            fused[mail_id] = fused.get(mail_id, 0.0) + 1.0 / (RRF_K + rank)
    order = sorted(fused, key=lambda i: (-fused[i], lexical_rank.get(i, 10**9)))
    return [Hit(i, fused[i], lexical_rank.get(i), dense_rank.get(i)) for i in order[:limit]]


def search(store: MailStore, query: str, sender: str | None = None, limit: int = 10, *,
           encoder: Any = None, include_trashed: bool = False) -> list[int]:
    """Mail ids, best first."""
    return [h.id for h in search_hits(store, query, sender, limit, encoder=encoder,
                                      include_trashed=include_trashed)]


def _dense_ranks(store: MailStore, words: str, lexical: list[tuple[int, float]], sender: str | None,
                 include_trashed: bool, encoder: Any) -> dict[int, int]:
    if encoder is None:
        return {}
    ids = [mail_id for mail_id, _ in lexical[:DENSE_CANDIDATES]]
    seen = set(ids)
    for status in ("inbox", "archived", *(("trashed",) if include_trashed else ())):
        for mail in store.list(status=status, sender=sender, limit=RECENT):
            if mail.id not in seen and len(ids) < DENSE_CANDIDATES + RECENT:
                ids.append(mail.id)
                seen.add(mail.id)
    where = str(getattr(getattr(store, "_db", None), "path", id(store)))
    with _CACHE_LOCK:
        cached = {i: _CACHE[(where, i)] for i in ids if (where, i) in _CACHE}
    mails = store.get_many([i for i in ids if i not in cached])
    texts = [f"{m.subject}\n{' '.join(m.text[:DENSE_CHARS * 2].split())[:DENSE_CHARS]}" for m in mails]
    try:
        vectors = np.asarray(encoder.encode([words, *texts]), dtype=np.float32)
    except Exception:  # the encoder cannot load (EncoderUnavailable) or failed: lexical only
        return {}
    with _CACHE_LOCK:
        for mail, vector in zip(mails, vectors[1:], strict=True):
            _CACHE[(where, mail.id)] = vector
            cached[mail.id] = vector
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    known = [i for i in ids if i in cached]
    if not known:
        return {}
    similarity = np.stack([cached[i] for i in known]) @ vectors[0]
    order = np.argsort(-similarity)
    return {known[int(i)]: rank + 1 for rank, i in enumerate(order)}
