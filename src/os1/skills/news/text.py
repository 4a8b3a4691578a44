"""The words of a story as OS1 says them: titles without site names and clickbait punctuation, summaries
as plain text, their first sentences, and the content words that topics and filters match on.

Feeds put all sorts of things into titles ("WATCH: Stars react!!! | The Daily Buzz", "BREAKING —
Probe lands on Mars - BBC News"): :func:`clean_title` keeps the headline itself. Summaries are often
HTML; :func:`plain` turns them into text (lxml, tolerant of broken markup).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlparse

from os1.expression.sentences import split_sentences

_TAG_PREFIX = re.compile(
    r"^\s*(?:\[|\()?\s*(?:breaking(?: news)?|watch|video|photos?|pictures|gallery|exclusive|update[d]?|"
    r"live(?: updates)?|just in|opinion|analysis|listen|podcast|quiz|sponsored|revealed|pics|in pictures)"
    r"\s*(?:\]|\))?\s*[:|\-–—]\s*", re.I)
_TAG_ANYWHERE = re.compile(r"\s*[\[(](?:video|photos?|pics|pictures|gallery|watch|live|updated?|"
                           r"exclusive|poll|quiz|sponsored|podcast|listen)[\])]\s*", re.I)
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]+")
_REPEATED = re.compile(r"([!?])[!?1]+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][A-Za-zÀ-ÖØ-öø-ÿ0-9'’-]*")
_SHOUT = re.compile(r"\b[A-Z]{3,}\b(?!['’])")
_EMPHASIS_TEXT = """
shocking amazing incredible unbelievable huge must see watch breaking exclusive revealed urgent wow epic
insane stunning heartbreaking bombshell devastating furious terrifying hilarious never ever finally
really secret horror horrific brutal savage major massive awful best worst only now this why how what
"""
_EMPHASIS = frozenset(_EMPHASIS_TEXT.split())
_STOP_TEXT = """
a an the and or but if of to in on at by for with about from as into onto over under after before
is are was were be been being am do does did have has had will would can could should may might must
it its this that these those there here their them they he she his her him we our us you your i me my
not no so than too very just also still more most less new says said say saying over up down out off
how what when where why which who whom whose while amid against via per vs after during
one two three four five six seven eight nine ten first last year years day days week weeks today
get gets got make makes made take takes took could back now news latest report reports video watch
"""
STOP = frozenset(_STOP_TEXT.split())


def plain(text: str) -> str:
    """HTML (or already plain text) as plain text on one line: tags gone, entities decoded."""
    if not text:
        return ""
    if "<" in text and ">" in text:
        try:
            import lxml.html

            root = lxml.html.fragment_fromstring(text, create_parent="div")
            for bad in root.xpath(".//script|.//style|.//noscript"):
                bad.drop_tree()
            text = root.text_content()
        except Exception:  # markup too broken even for lxml: drop anything tag-shaped
            text = re.sub(r"<[^>]*>", " ", text)
    return _SPACES.sub(" ", html.unescape(text)).strip()


def _strip_site(title: str, site_names: tuple[str, ...]) -> str:
    """Drop a site name at either end ("Probe lands - BBC News", "BBC News: Probe lands")."""
    lowered = [s.lower() for s in site_names if s]
    for sep in _SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        tail_l = tail.strip().lower()
        if head and (tail_l in lowered or any(tail_l and (tail_l in s or s in tail_l) for s in lowered)
                     or _looks_like_site(tail)):
            title = head
        first, _, rest = title.partition(sep)
        if rest and first.strip().lower() in lowered:
            title = rest
    for name in lowered:  # "BBC News: Probe lands"
        if title.lower().startswith(name + ":"):
            title = title[len(name) + 1:]
    return title.strip()


def _looks_like_site(text: str) -> bool:
    """A short trailing part that names a site: "example.com", "The Daily Buzz", "CNN"."""
    words = text.strip().split()
    if not words or len(words) > 4:
        return False
    joined = " ".join(words)
    if re.search(r"\.(com|org|net|co\.uk|io|news|tv)$", joined, re.I):
        return True
    return bool(re.fullmatch(r"(the )?[A-Z][\w&'’.]*( [A-Z][\w&'’.]*){0,3}", joined)) and any(
        w.lower() in {"news", "times", "post", "daily", "journal", "herald", "tribune", "guardian",
                      "mail", "gazette", "magazine", "online", "today", "weekly", "review", "buzz",
                      "cnn", "bbc", "npr", "reuters", "ap", "tmz"} for w in words)


def _calm_case(match: re.Match[str]) -> str:
    """A shouted word of emphasis ("SHOCKING") is said normally; acronyms (NASA, UNESCO) stay."""
    word = match.group(0)
    return word.lower() if word.lower() in _EMPHASIS else word


def clean_title(title: str, site_names: tuple[str, ...] = ()) -> str:
    """The headline itself, ready to be said: no site name, no "WATCH:", no "!!!", no shouting, no emoji."""
    text = plain(title)
    text = _EMOJI.sub("", text)
    for _ in range(2):
        text = _TAG_PREFIX.sub("", text)
    text = _TAG_ANYWHERE.sub(" ", text)
    text = _strip_site(text, site_names)
    text = _REPEATED.sub(r"\1", text)
    text = text.replace("?!", "?").replace("!?", "?")
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7:  # ALL CAPS title
        text = text.lower().capitalize()
    else:
        text = _SHOUT.sub(_calm_case, text)
    text = _SPACES.sub(" ", text).strip(" -–—|:·")
    return text[:1].upper() + text[1:]


def as_sentence(text: str) -> str:
    """One spoken sentence: ends with a full stop unless it already ends with ., ! or ?."""
    text = text.strip()
    if not text:
        return text
    if text.endswith("!"):
        text = text[:-1] + "."
    return text if text[-1] in ".?…" else text + "."


def sentences(text: str) -> list[str]:
    return [s.strip() for s in split_sentences(plain(text)) if s.strip()]


def first_sentence(text: str, max_words: int = 30) -> str:
    """The summary's first sentence, if it is a sentence of reasonable length."""
    found = sentences(text)
    if not found:
        return ""
    first = found[0]
    return first if len(first.split()) <= max_words else ""


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside ("nasa's" → "nasa")."""
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        out.append(word.strip("'-"))
    return [w for w in out if w]


def stem(word: str) -> str:
    """A crude English stem, enough to match "elections" with "election" and "scientists" with "scientist"."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            if suffix == "es" and not re.search(r"(ch|sh|x|z|ss)es$", word):
                continue
            return word[: -len(suffix)] + keep
    return word


def content_words(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stopwords, no numbers), in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word in STOP or word.isdigit() or len(word) < 3:
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


@lru_cache(maxsize=4096)
def is_common(word: str) -> bool:
    """Very frequent English words ("people", "world") say little about what a story is about."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return False
    return zipf_frequency(word, "en") >= 5.6


def site_of(location: str) -> str:
    """"https://www.bbc.co.uk/news/rss.xml" → "bbc.co.uk"; a file path → ""."""
    host = urlparse(location).hostname or ""
    return host[4:] if host.startswith("www.") else host
