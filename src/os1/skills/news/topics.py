"""What a story is about, by its words: a small lexicon of common news topics, used when the MiniLM
encoder is not there (so "less about football" still catches "Arsenal beat Chelsea in the Premier
League") and to introduce a story the way a newsreader would ("In sport, …").

:func:`lexical_similarity` scores how much a story is about a phrase the user said ("astronomy",
"the Mars mission", "football"): 1.0 when the phrase's own words are in it, less when only words of
the phrase's topic are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from os1.skills.news.text import content_words, stem


@dataclass(frozen=True)
class Topic:
    name: str  # how a newsreader introduces it: "In {label}, …"
    label: str
    aliases: tuple[str, ...]  # what users call it
    words: frozenset[str]  # stems of words that give a story away


def _topic(name: str, label: str, aliases: str, words: str) -> Topic:
    return Topic(name, label, tuple(aliases.split(",")), frozenset(stem(w) for w in words.split()))


TOPICS: tuple[Topic, ...] = (
    _topic("football", "football", "football,soccer,premier league,the football",
           "football soccer premier league goal goals striker midfielder goalkeeper penalty fifa uefa "
           "arsenal chelsea liverpool barcelona madrid united city tottenham transfer manager champions "
           "cup match derby kickoff"),
    _topic("sport", "sport", "sport,sports,athletics",
           "sport sports match tournament championship olympic olympics athlete cricket rugby tennis golf "
           "nba nfl baseball basketball hockey formula race racing medal coach season league wimbledon "
           "marathon cyclist boxing"),
    _topic("space", "space news", "space,astronomy,spaceflight,the space program,nasa",
           "space nasa esa spacex rocket orbit orbital satellite astronaut astronomer astronomy telescope "
           "planet planetary mars moon lunar jupiter saturn galaxy star stellar comet asteroid probe "
           "rover launch cosmic universe exoplanet nebula eclipse solar"),
    _topic("science", "science", "science,research,scientific discoveries",
           "science scientist scientists research researcher study studies discovery discovered physics "
           "chemistry biology species fossil experiment laboratory lab journal evolution genome gene dna "
           "quantum particle climate"),
    _topic("climate", "climate news", "climate,the environment,environment,climate change",
           "climate warming emissions carbon environment environmental pollution renewable wildfire "
           "drought flood glacier heatwave biodiversity conservation deforestation"),
    _topic("technology", "tech", "technology,tech,gadgets,computers,ai,artificial intelligence",
           "technology tech software app apps computer computing internet startup google apple microsoft "
           "smartphone iphone android chip chips ai robot robots cyber hacker data algorithm online"),
    _topic("business", "business", "business,economy,the economy,markets,finance,money",
           "business economy economic market markets stock stocks shares investor inflation bank banks "
           "company companies profit revenue trade tariff jobs unemployment ceo merger price prices"),
    _topic("politics", "politics", "politics,elections,government,the government",
           "politics political election elections vote voters parliament congress senate minister "
           "president prime government party campaign policy law bill minister mps democrat republican "
           "labour conservative"),
    _topic("health", "health", "health,medicine,healthcare",
           "health medical medicine doctor doctors hospital patients disease virus vaccine cancer drug "
           "drugs nhs treatment mental covid outbreak"),
    _topic("weather", "the weather", "weather,the weather,the forecast",
           "weather forecast storm storms rain snow heat temperature wind hurricane typhoon tornado frost"),
    _topic("arts", "the arts", "arts,culture,books,music,film,movies,theatre",
           "art arts artist museum gallery book books novel author film films movie cinema theatre "
           "music album concert festival exhibition opera"),
    _topic("celebrity", "celebrity news", "celebrity,celebrities,showbiz,gossip,tabloid",
           "celebrity celebrities star stars showbiz hollywood kardashian romance split dating wedding "
           "divorce reality"),
)
_BY_ALIAS = {alias: topic for topic in TOPICS for alias in topic.aliases}


def topic_named(phrase: str) -> Topic | None:
    """The lexicon topic a phrase names ("soccer", "the economy"), if any."""
    key = " ".join(phrase.lower().split())
    if key in _BY_ALIAS:
        return _BY_ALIAS[key]
    if key.startswith("the ") and key[4:] in _BY_ALIAS:
        return _BY_ALIAS[key[4:]]
    return None


@lru_cache(maxsize=2048)
def phrase_words(phrase: str) -> tuple[frozenset[str], frozenset[str], float]:
    """The phrase's own stems, the stems of its topic, and how far the topic speaks for the phrase:
    fully when the phrase names it ("astronomy", "the economy"), half when the phrase is one of its
    words ("Mars" is a space word, but a story about a telescope isn't about Mars)."""
    own = frozenset(content_words(phrase))
    topic = topic_named(phrase)
    if topic is not None:
        return own, frozenset(topic.words - own), 1.0
    if len(own) == 1:
        word = next(iter(own))
        for candidate in TOPICS:
            if word in candidate.words:
                return own, frozenset(candidate.words - own), 0.5
    return own, frozenset(), 0.0


def lexical_similarity(phrase: str, story_words: frozenset[str]) -> float:
    """0..1: how much a story (its content-word stems) is about the phrase."""
    own, related, strength = phrase_words(phrase)
    if not own and not related:
        return 0.0
    if own and own <= story_words:
        return 1.0
    score = 0.0
    if own:
        score = 0.8 * len(own & story_words) / len(own)
    hits = len(related & story_words)
    if hits:  # one shared topic word is weak evidence ("star" of a reality show); two or more is not
        score = max(score, strength * (0.25, 0.5, 0.7)[min(hits, 3) - 1])
    return score


def label_of(story_words: frozenset[str]) -> str:
    """The newsreader's label of a story ("sport", "science"), or "" when no topic clearly fits."""
    best, best_hits = "", 1
    for topic in TOPICS:
        if topic.name == "celebrity":
            continue
        hits = len(topic.words & story_words)
        if hits > best_hits:
            best, best_hits = topic.label, hits
    return best
