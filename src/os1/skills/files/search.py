"""Finding a file the way people ask for it: "the lease I signed last spring", "photos from 2019",
"budget spreadsheet".

The query is taken apart first: time words ("last spring", "in 2019", "two weeks ago" — seasons
here, the rest through :mod:`os1.memory.timeparse`) become a date window on when the file was
made (when a photo was taken, else its modification time, with a little slack); kind words
("photos", "songs", "PDF") narrow the kind. What is left is matched two ways and fused by
reciprocal rank: by name (rapidfuzz over every file name) and by content (FTS5 BM25 over name and
extracted text). When the MiniLM encoder loads, the best candidates are re-ranked by meaning too.
A query of only time and kind words lists those files, newest first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from os1.memory import timeparse
from os1.mind.encoder import chosen_encoder
from os1.skills.files.store import FileRow, FileStore

RRF_K = 60
NAME_CANDIDATES = 50
TEXT_CANDIDATES = 100
DENSE_CANDIDATES = 30
NAME_CUTOFF = 75.0
FEW = 5  # fewer word matches than this: meaning also looks at the newest documents
MEANING_POOL = 150  # how many (encoding ~4 ms each)
MEANING_FLOOR = 0.35  # cosine similarity for a file found by meaning alone
SLACK_S = 14 * 86400  # a file is often saved a little after the event
SEASONS = {"spring": (3, 6), "summer": (6, 9), "autumn": (9, 12), "fall": (9, 12), "winter": (12, 15)}
_SEASON = re.compile(r"\b(?:(last|this|past)\s+|in\s+(?:the\s+)?)?(spring|summer|autumn|fall|winter)"
                     r"(?:\s+(?:of\s+)?((?:19|20)\d{2}))?\b", re.I)
KINDS = {"photo": "image", "photos": "image", "picture": "image", "pictures": "image", "image": "image",
         "images": "image", "pic": "image", "pics": "image", "screenshot": "image", "screenshots": "image",
         "song": "audio", "songs": "audio", "music": "audio", "recording": "audio", "recordings": "audio",
         "video": "video", "videos": "video", "movie": "video", "movies": "video", "clip": "video",
         "document": "document", "documents": "document", "pdf": "document", "pdfs": "document"}
_STOP_WORDS = """
a an the and or of to in on at for from by with about is are was were be been it its this that these those
me my mine i i'd i've you your we our us find show where wheres which what file files folder get open
last any some please did do does had have took taken made from can could called named titled
"""
_STOP = frozenset(_STOP_WORDS.split())
_YEAR = re.compile(r"\b(from|in|during|of|taken in|back in)\s+((?:19|20)\d{2})\b", re.I)
_WORD = re.compile(r"[\w']+", re.UNICODE)
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Query:
    words: list[str]
    kind: str | None
    start: float | None
    end: float | None
    phrase: str  # the time words understood ("last spring")


@dataclass
class FileHit:
    file: FileRow
    score: float
    why: str  # "name", "content", "meaning", "date"


def _season_span(season: str, year: int) -> tuple[datetime, datetime]:
    """Spring 2023 = March to May 2023; winter 2023 = December 2022 to February 2023."""
    first, stop = SEASONS[season]
    if season == "winter":
        return datetime(year - 1, 12, 1), datetime(year, 3, 1)
    return datetime(year, first, 1), datetime(year, stop, 1)


def _season(text: str, now: datetime) -> tuple[float, float, str] | None:
    match = _SEASON.search(text)
    if not match:
        return None
    which, season, year = (match.group(1) or "").lower(), match.group(2).lower(), match.group(3)
    if year:
        start, end = _season_span(season, int(year))
    else:
        y = now.year + (1 if season == "winter" and now.month == 12 else 0)
        start, end = _season_span(season, y)
        if which != "this":
            while end > now:  # "last spring", "in the spring": the last one that is over
                y -= 1
                start, end = _season_span(season, y)
    return start.timestamp(), end.timestamp(), match.group(0).strip()


def parse(query: str, now: datetime | None = None) -> Query:
    now = now or datetime.now()
    text = query.strip()
    start = end = None
    phrase = ""
    if season := _season(text, now):
        start, end, phrase = season
    elif year := _YEAR.search(text):
        y = int(year.group(2))
        start, end, phrase = datetime(y, 1, 1).timestamp(), datetime(y + 1, 1, 1).timestamp(), year.group(0)
    elif window := timeparse.window(text, now):
        start, end, phrase = window.start, window.end, window.phrase
    rest = re.sub(re.escape(phrase), " ", text, flags=re.I) if phrase else text
    kind = None
    words = []
    for word in _WORD.findall(rest.lower()):
        if word in KINDS and kind is None:
            kind = KINDS[word]
            continue
        if word not in _STOP:
            words.append(word)
    return Query(words, kind, start, end, phrase)


def _name_key(name: str) -> str:
    stem = os.path.splitext(name)[0]
    return " ".join(_SPLIT.split(stem.lower())).strip()



def _in_window(row: FileRow, q: Query) -> bool:
    """Made in the window — or, for "from 2019", named after that year (a tax return saved in 2020)."""
    if q.start is None or q.end is None:
        return True
    if q.start - SLACK_S <= row.when < q.end + SLACK_S:
        return True
    year = re.search(r"(19|20)\d{2}", q.phrase)
    return year is not None and year.group(0) in row.name


def find(store: FileStore, query: str, *, limit: int = 10, encoder: Any = None,
         now: datetime | None = None) -> list[FileHit]:
    """Files best matching ``query``, best first. ``encoder``: None for the shared MiniLM encoder,
    False for none, or any object with ``encode(texts) -> normalised vectors``.

    When nothing of that time matches, "from 2019" may be about the content ("my tax return from
    2019", saved in 2020): the year becomes a word to look for instead of a filter."""
    q = parse(query, now)
    hits = _find(store, q, limit, encoder)
    year = re.search(r"(19|20)\d{2}", q.phrase)
    if not hits and q.words and year:
        hits = _find(store, Query([*q.words, year.group(0)], q.kind, None, None, ""), limit, encoder)
    return hits


def _find(store: FileStore, q: Query, limit: int, encoder: Any) -> list[FileHit]:
    from rapidfuzz import fuzz, process

    if not q.words:
        if q.kind is None and q.start is None:
            return []
        rows = [r for r in (store.of_kind(q.kind) if q.kind else store.in_window(q.start, q.end, SLACK_S))
                if _in_window(r, q)]
        rows.sort(key=lambda r: -r.when)
        return [FileHit(r, 1.0, "date") for r in rows[:limit]]
    text = " ".join(q.words)
    names = store.names()
    name_rank: dict[int, int] = {}
    if names:
        keys = [_name_key(n) for _i, n in names]
        found = process.extract(text, keys, scorer=fuzz.WRatio, limit=NAME_CANDIDATES * 4,
                                score_cutoff=NAME_CUTOFF)
        found.sort(key=lambda f: (-f[1], len(keys[f[2]])))
        for rank, (_key, _score, index) in enumerate(found, start=1):
            name_rank.setdefault(names[index][0], rank)
    lexical = store.search_text(text, TEXT_CANDIDATES)
    text_rank = {fid: rank for rank, (fid, _s) in enumerate(lexical, start=1)}
    fused: dict[int, float] = {}
    for ranks in (name_rank, text_rank):
        for fid, rank in ranks.items():
            fused[fid] = fused.get(fid, 0.0) + 1.0 / (RRF_K + rank)
    rows = {r.id: r for r in store.get_many(list(fused))}
    keep = [fid for fid in fused if fid in rows and _in_window(rows[fid], q)
            and (q.kind is None or rows[fid].kind == q.kind)]
    keep.sort(key=lambda i: -fused[i])
    model = chosen_encoder(encoder)
    extra: list[int] = []
    if model is not None and len(keep) < FEW:  # few word matches: let meaning look at recent documents
        extra = [r.id for r in store.recent_with_text(MEANING_POOL)
                 if r.id not in fused and _in_window(r, q) and (q.kind is None or r.kind == q.kind)]
        rows.update({r.id: r for r in store.get_many(extra)})
    dense = _dense(store, text, keep[:DENSE_CANDIDATES] + extra, rows, model)
    for fid, (rank, similarity) in dense.items():
        if fid in fused:
            fused[fid] += 1.0 / (RRF_K + rank)
        elif similarity >= MEANING_FLOOR:  # found by meaning alone: only when clearly related
            fused[fid] = 1.0 / (RRF_K + rank)
            keep.append(fid)
    keep.sort(key=lambda i: (-fused[i], name_rank.get(i, 10**9)))
    hits = []
    for fid in keep[:limit]:
        if fid not in name_rank and fid not in text_rank:
            why = "meaning"
        else:
            why = "name" if name_rank.get(fid, 10**9) <= text_rank.get(fid, 10**9) else "content"
        hits.append(FileHit(rows[fid], fused[fid], why))
    return hits


def _dense(store: FileStore, text: str, ids: list[int], rows: dict[int, FileRow],
           encoder: Any) -> dict[int, tuple[int, float]]:
    """id -> (rank by meaning, cosine similarity) for the candidates."""
    if encoder is None or not ids:
        return {}
    texts = store.texts(ids, 500)
    docs = [f"{_name_key(rows[i].name)}\n{' '.join(texts.get(i, '').split())}" for i in ids]
    try:
        vectors = np.asarray(encoder.encode([text, *docs]), dtype=np.float32)
    except Exception:  # the encoder cannot load (EncoderUnavailable) or failed: no meaning re-rank
        return {}
    similarity = vectors[1:] @ vectors[0]
    order = np.argsort(-similarity)
    return {ids[int(i)]: (rank + 1, float(similarity[int(i)])) for rank, i in enumerate(order)}
