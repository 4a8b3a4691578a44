"""Telling tabloid and celebrity-gossip stories apart, from seeded cues and from what the user taught.

The seed: cue phrases of gossip headlines ("stuns in", "flaunts", "reveals shock", "love island",
"wardrobe malfunction" …), clickbait shapes ("you won't believe", "!!!"), and sites known for it
(tmz.com, dailymail.co.uk …). What the user taught: when they say "skip the tabloid stuff" or "not
interested in this kind of thing" about a story, that story's telling words and its site get weights
(:class:`Learned`, kept as rows in ``news_filters``), and stories that share them score higher next
time. The score is a probability-like 0..1; :data:`THRESHOLD` and above is "tabloid".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from os1.skills.news.text import content_words, is_common, site_of

THRESHOLD = 0.5
WORD_STEP = 0.35  # how much each learned word a story shares counts (through 1 - exp(-x))
SOURCE_STEP = 0.15  # how much one dismissal from a site counts against the site
SOURCE_CAP = 0.45  # a site alone never makes a story tabloid: its serious stories still get through
_CUES: tuple[tuple[str, float], ...] = (
    # gossip verbs and shapes
    (r"\bstuns? in\b", 0.6), (r"\bflaunts?\b", 0.6),
    (r"\bshows? off (her|his) (figure|curves|abs|body)", 0.7),
    (r"\bsizzl(es|ing)\b", 0.5), (r"\bslams?\b", 0.25),
    (r"\bsparks? (romance|dating|feud|split) rumou?rs\b", 0.7),
    (r"\bcosies up\b|\bcozies up\b", 0.6), (r"\bputs on a (loved-up|steamy|cheeky) display\b", 0.7),
    (r"\bwardrobe malfunction\b", 0.8), (r"\bbikini\b", 0.45), (r"\bbraless\b|\bplunging\b|\bbusty\b", 0.6),
    (r"\bleaves little to the imagination\b", 0.8), (r"\b(steamy|saucy|racy) (snaps?|pics?|photos?)\b", 0.7),
    (r"\b(shock|secret|heartbreaking|emotional) (split|romance|confession|admission|reveal)\b", 0.6),
    (r"\b(splits?|split up) from\b|\bcalls it quits\b|\bhas split\b", 0.45),
    (r"\bex-(boyfriend|girlfriend|husband|wife)\b", 0.25),
    (r"\bcheating (scandal|rumou?rs)\b|\baffair\b", 0.35), (r"\bfeud\b", 0.35), (r"\bdiva\b", 0.4),
    (r"\bbaby bump\b|\bpregnancy (news|announcement)\b|\bgender reveal\b", 0.5),
    (r"\bcelebrit(y|ies)\b|\bceleb\b|\bcelebs\b|\bshowbiz\b|\ba-lister\b|\bred carpet\b", 0.45),
    (r"\breality (tv|star|show)\b|\blove island\b|\bkeeping up with\b|\bthe bachelor(ette)?\b", 0.55),
    (r"\bkardashians?\b|\bjenner\b|\bbieber\b|\bpage six\b", 0.5),
    (r"\broyal (baby|rift|feud|snub|row)\b|\bsnubs?\b", 0.35),
    (r"\b(fans|internet|twitter) (go wild|react|goes wild|in meltdown|fume|divided)\b", 0.55),
    (r"\bbreaks (her|his) silence\b|\bspeaks out\b", 0.3), (r"\bunrecognisable\b|\bunrecognizable\b", 0.5),
    (r"\b(looks|looking) (incredible|unrecognisable|sensational|stunning)\b", 0.55),
    (r"\bgoes make-?up free\b|\bno make-?up\b|\bdisplays (her|his)\b", 0.55),
    # clickbait shapes
    (r"you won'?t believe\b|\bwhat happened next\b|\bthe reason (why )?will\b", 0.6),
    (r"\bjaw-dropping\b|\bmind-blowing\b|\bomg\b|\bshocking\b|\bshock\b", 0.3),
    (r"!!|\?!", 0.2),
)
_COMPILED = tuple((re.compile(p, re.I), w) for p, w in _CUES)
_SITES_TEXT = """
tmz.com dailymail.co.uk thesun.co.uk the-sun.com mirror.co.uk dailystar.co.uk pagesix.com eonline.com
people.com usmagazine.com hollywoodlife.com radaronline.com perezhilton.com okmagazine.com
hellomagazine.com ok.co.uk closeronline.co.uk heatworld.com justjared.com intouchweekly.com
lifeandstylemag.com
"""
SITES = frozenset(_SITES_TEXT.split())
SITE_WEIGHT = 0.3


@dataclass
class Learned:
    """What the user taught: stems and sites with weights (sums of their rows in ``news_filters``)."""

    words: dict[str, float] = field(default_factory=dict)
    sites: dict[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.words or self.sites)


def telling_words(title: str, summary: str = "", limit: int = 8) -> list[str]:
    """The words of a story worth learning: its rarer content words (names, "bikini"), title first."""
    picked = [w for w in content_words(title) if not is_common(w)]
    if len(picked) < 3:
        picked += [w for w in content_words(summary)[:30] if not is_common(w) and w not in picked]
    return picked[:limit]


def cue_score(title: str, summary: str = "") -> float:
    """0..1 from the seeded cues alone."""
    text = f"{title} {summary[:300]}"
    total = sum(weight for pattern, weight in _COMPILED if pattern.search(text))
    return 1.0 - math.exp(-1.4 * total) if total else 0.0


def site_score(where: Iterable[str], learned: Learned | None = None, seeded: bool = True) -> float:
    """0..1 from the story's site: a known gossip site (seeded), or one the user taught."""
    score = 0.0
    for place in where:
        site = site_of(place)
        if not site:
            continue
        if seeded and any(site == s or site.endswith("." + s) for s in SITES):
            score = max(score, SITE_WEIGHT)
        if learned is not None and site in learned.sites:
            score = max(score, min(SOURCE_CAP, learned.sites[site]))
    return score


def score(title: str, summary: str = "", where: Iterable[str] = (), learned: Learned | None = None,
          seeded: bool = True) -> float:
    """0..1: how tabloid a story is, from the seeded cues and sites (unless ``seeded`` is False) and
    from what the user taught."""
    cue = cue_score(title, summary) if seeded else 0.0
    site = site_score(where, learned, seeded)
    taught = 0.0
    if learned is not None and learned.words:
        words = set(content_words(title)) | set(content_words(summary[:300]))
        total = sum(learned.words.get(w, 0.0) for w in words)
        taught = 1.0 - math.exp(-WORD_STEP * total) if total > 0 else 0.0
    return 1.0 - (1.0 - cue) * (1.0 - site) * (1.0 - taught)
