"""Which stories to tell, in which order: the user's interests, recency, what they read or let pass
before, and a spread of sources.

Interests come from memory (facts: "I love astronomy" → likes astronomy; dislikes count against;
where the user lives makes local stories "closer to home") and from what they asked here ("more about
science", "less about football", "any news about Mars?"). How much a story is about an interest is the
larger of a lexical match (the interest's words, or the words of its topic: :mod:`topics`) and, when
the MiniLM encoder loads, the cosine similarity of their embeddings (cached per story in the store).

History: stories already said come back lower (and lower still once the user heard more of them);
sites whose stories the user asked more about rise a little, sites they keep letting pass sink a little,
and words of the stories they opened count a little for similar ones. Then a greedy pick spreads the
sources and drops the same story told by two feeds. Filtered stories (tabloid, "not interested") are
left out and counted, so OS1 can say what it skipped.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from os1.mind.encoder import chosen_encoder
from os1.skills.news.filters import Preferences
from os1.skills.news.store import Item, NewsStore
from os1.skills.news.tabloid import telling_words
from os1.skills.news.text import content_words
from os1.skills.news.topics import label_of, lexical_similarity

CANDIDATES = 300  # the newest this many stories are considered
DENSE_POOL = 150  # the newest this many are also compared by meaning (embedding a new story: ~2-10 ms)
RECENCY_HALF_LIFE_H = 18.0
INTEREST_WEIGHT = 1.2
SAID_PENALTY = 0.45  # per time already said (at most twice)
OPENED_PENALTY = 0.6  # already heard more about it
SOURCE_SPREAD = 0.35  # per story already picked from the same feed
SAME_STORY = 82  # rapidfuzz token_set_ratio of two titles at or above this: the same story
TOPIC_MATCH = 0.45  # "any news about Mars?": a story at least this much about Mars
DENSE_FLOOR, DENSE_SPAN = 0.17, 0.2  # cosine → 0..1 similarity: (cos - floor) / span, clipped
LIKE, DISLIKE, HOME = 1.0, -1.0, 0.5


@dataclass(frozen=True)
class Interest:
    phrase: str
    weight: float
    origin: str  # likes | dislikes | home | more | less | asked


@dataclass
class Ranked:
    item: Item
    score: float
    label: str  # "sport", "science" … or ""
    local: bool = False  # about where the user lives
    why: list[str] = field(default_factory=list)


@dataclass
class Selection:
    picked: list[Ranked]
    hidden: Counter[str] = field(default_factory=Counter)  # why → how many stories were left out
    considered: int = 0


# -- interests -------------------------------------------------------------------------------------
def interests(db: Any, prefs: Preferences) -> list[Interest]:
    """What the user cares about: facts in memory, then what they told the news skill."""
    found: list[Interest] = []
    try:
        facts = db.facts.current(subject="user")
    except Exception:  # ranking works without memory
        facts = []
    for fact in facts:
        if fact.predicate == "likes" and fact.object:
            found.append(Interest(fact.object, LIKE, "likes"))
        elif fact.predicate == "dislikes" and fact.object:
            found.append(Interest(fact.object, DISLIKE, "dislikes"))
        elif fact.predicate == "lives_in" and fact.object:
            found.append(Interest(fact.object.split(",")[0], HOME, "home"))
    for phrase, weight in prefs.topics.items():
        origin = "more" if weight > 0 else "less"
        found.append(Interest(phrase, weight, origin))
    return found[:40]


# -- similarity ------------------------------------------------------------------------------------
class Similarity:
    """How much each story is about each phrase: lexical, and by meaning when the encoder is there."""

    def __init__(self, store: NewsStore, items: list[Item], encoder: Any = None) -> None:
        self.items = items
        self.words = {i.id: frozenset(content_words(i.text)) for i in items}
        self._encoder = chosen_encoder(encoder)
        self._vectors: dict[int, np.ndarray] | None = None
        self._store = store

    def _item_vectors(self) -> dict[int, np.ndarray] | None:
        if self._encoder is None:
            return None
        if self._vectors is None:
            pool = self.items[:DENSE_POOL]
            have = self._store.embeddings([i.id for i in pool])
            missing = [i for i in pool if i.id not in have]
            if missing:
                try:
                    vectors = self._encoder.encode([_embed_text(i) for i in missing])
                except Exception:  # EncoderUnavailable or a broken model: words only
                    self._encoder = None
                    return None
                fresh = {i.id: np.asarray(v, dtype=np.float32) for i, v in zip(missing, vectors, strict=True)}
                self._store.save_embeddings(fresh.items())
                have.update(fresh)
            self._vectors = have
        return self._vectors

    def of(self, phrases: list[str]) -> dict[str, dict[int, float]]:
        """phrase → {story id → 0..1}."""
        out = {p: {i.id: lexical_similarity(p, self.words[i.id]) for i in self.items} for p in phrases}
        vectors = self._item_vectors() if phrases else None
        if vectors and self._encoder is not None:
            try:
                queries = np.asarray(self._encoder.encode(phrases), dtype=np.float32)
            except Exception:
                return out
            ids = [i.id for i in self.items if i.id in vectors]
            if ids:
                matrix = np.stack([vectors[i] for i in ids])
                cosines = matrix @ queries.T
                for col, phrase in enumerate(phrases):
                    dense = np.clip((cosines[:, col] - DENSE_FLOOR) / DENSE_SPAN, 0.0, 1.0)
                    row = out[phrase]
                    for index, iid in enumerate(ids):
                        row[iid] = max(row[iid], float(dense[index]))
        return out

    @property
    def semantic(self) -> bool:
        return self._encoder is not None


def _embed_text(item: Item) -> str:
    return f"{item.title}. {item.summary[:300]}"


# -- history ---------------------------------------------------------------------------------------
@dataclass
class History:
    """What the user did with stories before: per feed, how often they asked for more; liked words."""

    source_lean: dict[int, float] = field(default_factory=dict)  # feed id → −0.3..0.3
    opened_words: Counter[str] = field(default_factory=Counter)


def history(store: NewsStore) -> History:
    rows = store.history()
    said: Counter[int] = Counter()
    opened: Counter[int] = Counter()
    words: Counter[str] = Counter()
    for feed_id, title, summary, _times, opened_at in rows:
        said[feed_id] += 1
        if opened_at is not None:
            opened[feed_id] += 1
            words.update(telling_words(title, summary, limit=5))
    total_said, total_opened = sum(said.values()), sum(opened.values())
    lean: dict[int, float] = {}
    if total_said >= 5:
        base = (total_opened + 0.5) / (total_said + 2)
        for feed_id, n in said.items():
            if n >= 3:
                rate = (opened[feed_id] + 0.5) / (n + 2)
                lean[feed_id] = max(-0.3, min(0.3, 1.5 * (rate - base)))
    return History(lean, words)


# -- ranking ---------------------------------------------------------------------------------------
def _recency(item: Item, now: float) -> float:
    age_h = max(0.0, now - item.published_at) / 3600
    return math.exp(-math.log(2) * age_h / RECENCY_HALF_LIFE_H)


def _same_story(a: Item, b: Item) -> bool:
    from rapidfuzz import fuzz

    if a.link and a.link == b.link:
        return True
    return fuzz.token_set_ratio(a.title.lower(), b.title.lower()) >= SAME_STORY


def rank(store: NewsStore, items: list[Item], prefs: Preferences, likes: list[Interest], *,
         topic: str = "", limit: int = 5, encoder: Any = None, now: float | None = None,
         past: History | None = None) -> Selection:
    """The ``limit`` stories to tell (about ``topic`` if given), best first."""
    now = now or time.time()
    items = items[:CANDIDATES]
    hidden: Counter[str] = Counter()
    kept: list[Item] = []
    for item in items:
        why = prefs.hides(item)
        if why:
            hidden[why] += 1
        else:
            kept.append(item)
    if not kept:
        return Selection([], hidden, len(items))
    sim = Similarity(store, kept, encoder)
    phrases = list(dict.fromkeys([i.phrase for i in likes] + ([topic] if topic else [])))
    scores = sim.of(phrases)
    past = past if past is not None else history(store)
    ranked: list[Ranked] = []
    home = [i.phrase for i in likes if i.origin == "home"]
    for item in kept:
        about_topic = scores[topic][item.id] if topic else 0.0
        if topic and about_topic < TOPIC_MATCH:
            continue
        why: list[str] = []
        interest = 0.0
        for like in likes:
            value = scores[like.phrase][item.id]
            if value > 0.3:
                interest += like.weight * value
                why.append(f"{like.origin}:{like.phrase}")
        interest = max(-2.0, min(2.0, interest))
        score = _recency(item, now) + INTEREST_WEIGHT * interest + 1.5 * about_topic
        score += past.source_lean.get(item.feed_id, 0.0)
        words = sim.words[item.id]
        score += min(0.3, 0.1 * sum(1 for w in words if past.opened_words.get(w, 0) > 0))
        score -= SAID_PENALTY * min(item.said_count, 2) + (OPENED_PENALTY if item.opened_at else 0.0)
        local = any(lexical_similarity(place, words) >= 1.0 for place in home)
        ranked.append(Ranked(item, score, label_of(words), local, why))
    ranked.sort(key=lambda r: -r.score)
    picked: list[Ranked] = []
    per_source: Counter[int] = Counter()
    pool = ranked[:]
    while pool and len(picked) < limit:
        best = max(pool, key=lambda r: r.score - SOURCE_SPREAD * per_source[r.item.feed_id])
        pool.remove(best)
        if any(_same_story(best.item, p.item) for p in picked):
            continue
        picked.append(best)
        per_source[best.item.feed_id] += 1
    return Selection(picked, hidden, len(items))
