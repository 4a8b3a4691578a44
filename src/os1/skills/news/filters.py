"""What the user wants to see less or more of: understanding the request, learning from it, and the
filter state ranking reads.

Requests: "skip the tabloid stuff" (switches the tabloid filter on and teaches it the gossip in the last
headlines), "not interested in this kind of thing" (about the story in view, or "the third one": its
words and site are learned, so stories like it are left out from now on), "less about football" and
"more about science" (topic weights). Every change is a set of rows in ``news_filters``; "show me
everything again" marks every row that hides or lowers something as removed (the boosts stay), and
undo of either marks or unmarks exactly those rows.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import Literal

from os1.skills.news import tabloid
from os1.skills.news.store import FilterRow, Item, NewsStore
from os1.skills.news.text import site_of

Kind = Literal["tabloid", "dismiss", "less", "more"]
TOPIC_STEP = 1.0  # one "less about X" / "more about X"
ASKED_STEP = 0.3  # one "any news about X?"
ASKED_HALF_LIFE_DAYS = 21.0
TOPIC_CAP = 3.0
LEARN_FROM_HEADLINES = 0.3  # "skip the tabloid stuff" learns from the last headlines at least this tabloid
_GOSSIP = re.compile(r"\b(tabloids?|celebrit(?:y|ies)|celebs?|gossip|showbiz|show business|paparazzi|"
                     r"clickbait|click-bait|trashy)\b", re.I)
_NEGATIVE = re.compile(r"\b(skip|drop|cut|hide|leave out|filter( out)?|ignore|no more|less|fewer|stop|"
                       r"enough|don'?t (want|need|care)|not interested|spare me|get rid of|without)\b", re.I)
_THIS = re.compile(r"\b(not interested in|don'?t care (about|for)|not into|skip|drop|hide|less of|no more of)"
                   r"( this| that| these| those| the (?P<ord>\w+) (?:one|story|headline)| it)\b"
                   r"( (kind|sort|type) of (thing|stuff|story|stories|news))?"
                   r"|\bnot (this|that) (kind|sort|type) of (thing|stuff|story|news)\b"
                   r"|\b(this|that) (kind|sort|type) of (thing|stuff|story|news)\b", re.I)
_LESS = re.compile(r"^(?:please |can you |could you )?(?:give me |show me |i want |i'?d like )?"
                   r"(?:less|fewer|not so much|not as much|no more|stop (?:telling me|showing me|giving me))"
                   r"(?: of)?(?: the)?(?: news| stories| headlines| things)?(?: about| on| of| with)?"
                   r"\s+(?P<topic>.+)$"
                   r"|^(?:i'?m )?not interested in (?P<topic2>.+)$", re.I)
_MORE = re.compile(r"^(?:please |can you |could you )?(?:give me |show me |i want |i'?d like )?"
                   r"more(?: of)?(?: the)?(?: news| stories| headlines| things)?(?: about| on| of| with)"
                   r"\s+(?P<topic>.+)$",
                   re.I)
_TRIM = re.compile(r"^(the|some|any)\s+|\s+(news|stories|stuff|headlines|things|please|in the news)$", re.I)
_REFERS = re.compile(r"^(this|that|these|those|it|them|this one|that one)$", re.I)


@dataclass(frozen=True)
class Request:
    kind: Kind
    topic: str = ""
    which: str = ""  # for "dismiss": which story ("the third one", "" for the one in view)


def clean_topic(raw: str) -> str:
    """"the football stuff" → "football"; "Mars?" → "Mars" (as the user wrote it)."""
    text = raw.strip().strip("?.!,").strip()
    previous = None
    while previous != text:
        previous, text = text, _TRIM.sub("", text).strip()
    return text


def parse_request(text: str) -> Request | None:
    """What kind of filter the user asked for, or None if it isn't one."""
    cleaned = " ".join(text.strip().strip("?.!").split())
    if _GOSSIP.search(cleaned) and (_NEGATIVE.search(cleaned) or re.search(r"\bnot\b", cleaned, re.I)):
        return Request("tabloid")
    this = _THIS.search(cleaned)
    if this:
        return Request("dismiss", which=this.group("ord") or "")
    for pattern, kind in ((_LESS, "less"), (_MORE, "more")):
        match = pattern.match(cleaned)
        if match:
            topic = clean_topic(match.group("topic") or (match.groupdict().get("topic2") or "")).lower()
            if not topic or _REFERS.match(topic):
                return Request("dismiss") if kind == "less" else None
            if _GOSSIP.search(topic):
                return Request("tabloid") if kind == "less" else None
            return Request(kind, topic=topic)  # type: ignore[arg-type]
    return None


# -- the state ranking reads ---------------------------------------------------------------------------
@dataclass
class Preferences:
    tabloid_on: bool = False
    learned: tabloid.Learned = field(default_factory=tabloid.Learned)
    topics: dict[str, float] = field(default_factory=dict)  # phrase → weight (+ more, − less, + asked)
    dismissed: set[int] = field(default_factory=set)  # stories the user said no to

    def hides(self, item: Item) -> str:
        """Why this story is left out ("tabloid", "not interested"), or "" if it isn't."""
        if item.id in self.dismissed:
            return "not interested"
        if not self.tabloid_on and not self.learned:
            return ""
        value = tabloid.score(item.title, item.summary, (item.location, item.link), self.learned,
                              seeded=self.tabloid_on)
        if value < tabloid.THRESHOLD:
            return ""
        gossip = self.tabloid_on and tabloid.cue_score(item.title, item.summary) >= LEARN_FROM_HEADLINES
        return "tabloid" if gossip else "not interested"


def preferences(store: NewsStore, now: float | None = None) -> Preferences:
    now = now or time.time()
    prefs = Preferences()
    for row in store.filters():
        if row.kind == "tabloid":
            prefs.tabloid_on = True
        elif row.kind == "word":
            prefs.learned.words[row.value] = prefs.learned.words.get(row.value, 0.0) + row.weight
        elif row.kind == "source":
            prefs.learned.sites[row.value] = prefs.learned.sites.get(row.value, 0.0) + row.weight
        elif row.kind == "item":
            prefs.dismissed.add(int(row.value))
        elif row.kind == "topic":
            weight = row.weight
            if row.origin == "asked":
                weight *= math.exp(-math.log(2) * (now - row.created_at) / (ASKED_HALF_LIFE_DAYS * 86400))
            prefs.topics[row.value] = prefs.topics.get(row.value, 0.0) + weight
    prefs.topics = {k: max(-TOPIC_CAP, min(TOPIC_CAP, v)) for k, v in prefs.topics.items() if abs(v) > 0.05}
    return prefs


# -- learning ------------------------------------------------------------------------------------
def learn_rows(item: Item, origin: str, weight: float) -> list[tuple[str, str, float, str, int | None]]:
    """Rows that teach the filter one story: its telling words, and a little against its site."""
    rows: list[tuple[str, str, float, str, int | None]] = [
        ("word", word, weight, origin, item.id) for word in tabloid.telling_words(item.title, item.summary)]
    site = site_of(item.link) or site_of(item.location)
    if site:
        rows.append(("source", site, tabloid.SOURCE_STEP * weight, origin, item.id))
    return rows


def tabloid_rows(said: list[Item], about: Item | None) -> tuple[list[tuple[str, str, float, str, int | None]],
                                                                   list[Item]]:
    """"Skip the tabloid stuff": the switch, plus what to learn from — the story in question, or those of
    the last headlines that look tabloid-ish. Returns the rows and the stories learned from."""
    rows: list[tuple[str, str, float, str, int | None]] = [("tabloid", "on", 1.0, "tabloid", None)]
    if about is not None:
        learned_from = [about]
        rows += learn_rows(about, "tabloid", 1.0)
        rows.append(("item", str(about.id), 1.0, "tabloid", about.id))
        return rows, learned_from
    learned_from = [i for i in said
                    if tabloid.score(i.title, i.summary, (i.location, i.link)) >= LEARN_FROM_HEADLINES]
    for item in learned_from:
        rows += learn_rows(item, "tabloid", 0.5)
    return rows, learned_from


def dismiss_rows(item: Item) -> list[tuple[str, str, float, str, int | None]]:
    """"Not interested in this kind of thing" about one story."""
    return [("item", str(item.id), 1.0, "dismiss", item.id), *learn_rows(item, "dismiss", 1.0)]


def topic_rows(kind: Kind, topic: str) -> list[tuple[str, str, float, str, int | None]]:
    return [("topic", topic, -TOPIC_STEP if kind == "less" else TOPIC_STEP, kind, None)]


def asked_rows(topic: str) -> list[tuple[str, str, float, str, int | None]]:
    return [("topic", topic.lower(), ASKED_STEP, "asked", None)]


def hiding(rows: list[FilterRow]) -> list[FilterRow]:
    """The rows "show me everything again" takes away: everything that hides or lowers a story."""
    return [r for r in rows if r.kind in ("tabloid", "word", "source", "item")
            or (r.kind == "topic" and r.weight < 0)]
