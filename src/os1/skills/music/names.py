"""How song, artist and album names are compared: folded text, version qualifiers, numbers and sounds.

``fold`` makes the form every comparison uses ("Beyoncé & Jay-Z" → "beyonce and jay z", "Lua II" →
"lua 2", "Don't" → "dont"). ``split_title`` separates a title from its version qualifiers ("Lua (Live
at Town Hall)" → "lua", {"live"}; "Hey Jude - Remastered 2015" → "hey jude", {} since a remaster is the
same song). ``sound`` is a metaphone key per word ("bright eyes" and "bright ice" both → "BRT IS"),
so speech-recognition mishearings still find the name.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# version words that make a different recording of the same song (asked about, told apart)
VERSION_WORDS = {
    "live": "live", "demo": "demo", "acoustic": "acoustic", "remix": "remix", "mix": "remix",
    "instrumental": "instrumental", "unplugged": "acoustic", "reprise": "reprise", "edit": "edit",
    "extended": "extended", "radio": "edit", "session": "session", "sessions": "session",
    "alternate": "alternate", "alt": "alternate", "orchestral": "orchestral", "piano": "piano",
    "cover": "cover", "karaoke": "karaoke", "rehearsal": "demo", "outtake": "outtake", "early": "early",
    "stripped": "acoustic", "mono": "mono", "a cappella": "acappella", "acapella": "acappella",
    "version": "", "take": "", "rough": "demo", "bonus": "",
}
# qualifiers that don't make it a different song to a listener
SAME_SONG = re.compile(r"\b(remaster(ed)?|\d{4} remaster(ed)?|explicit|clean|album version|single version|"
                       r"original( mix| version)?|deluxe|bonus track|stereo|digital(ly)? remaster(ed)?)\b",
                       re.I)
_BRACKETS = re.compile(r"\s*[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_DASH_TAIL = re.compile(r"\s+[-–—]\s+([^-–—]+)$")
_FEAT = re.compile(r"\s*[\(\[]\s*(feat\.?|ft\.?|featuring|with)\s+[^\)\]]*[\)\]]"
                   r"|\s+\b(feat\.|ft\.|featuring)\s+.*$", re.I)
_APOSTROPHE = re.compile(r"(?<=\w)['’`´](?=\w)")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
ROMAN = {"ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11, "xii": 12,
         "xiii": 13}
ARTICLES = frozenset({"the", "a", "an"})


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _numbers(words: list[str]) -> list[str]:
    """Number words and Roman numerals as digits ("twenty two" → "22", "ii" → "2")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in ROMAN:
            out.append(str(ROMAN[word]))
        elif word in NUMBER_WORDS and word not in ("one",):
            value = NUMBER_WORDS[word]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if value >= 20 and value % 10 == 0 and nxt in NUMBER_WORDS and 0 < NUMBER_WORDS[nxt] < 10:
                value += NUMBER_WORDS[nxt]
                i += 1
            out.append(str(value))
        else:
            out.append(word)
        i += 1
    return out


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case words without accents, apostrophes or punctuation; "&" is "and"; numbers as digits."""
    text = _ascii(text).lower().replace("&", " and ").replace("+", " and ")
    text = _APOSTROPHE.sub("", text)
    words = _NON_WORD.sub(" ", text).replace("_", " ").split()
    return " ".join(_numbers(words))


_SPOKEN = {str(v): k for k, v in NUMBER_WORDS.items() if v <= 20 and k != "zero"} | {"1": "one"}


def spoken(folded: str) -> str:
    """Small numbers as words again ("4 winds" → "four winds"): "for" and "four" sound the same."""
    return " ".join(_SPOKEN.get(w, w) for w in folded.split())


def drop_articles(folded: str) -> str:
    """Without a leading "the"/"a"/"an" ("the first day" → "first day")."""
    words = folded.split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def version_of(text: str) -> frozenset[str]:
    """The version words in a qualifier ("Live at Town Hall" → {"live"}; "2011 Remaster" → {})."""
    folded = fold(SAME_SONG.sub(" ", text))
    found = set()
    for word in folded.split():
        tag = VERSION_WORDS.get(word)
        if tag:
            found.add(tag)
    if "a cappella" in folded:
        found.add("acappella")
    return frozenset(found)


@functools.lru_cache(maxsize=100_000)
def split_title(title: str) -> tuple[str, frozenset[str]]:
    """(folded base title, version words) — "Lua (Live)" → ("lua", {"live"}); "(demo)"-only titles keep
    their words. Featured artists and remaster notes are dropped."""
    versions: set[str] = set()
    base = _FEAT.sub("", title)
    for match in _BRACKETS.finditer(base):
        versions |= version_of(match.group(1))
    stripped = _BRACKETS.sub(" ", base)
    tail = _DASH_TAIL.search(stripped)
    if tail and (version_of(tail.group(1)) or SAME_SONG.search(tail.group(1))):
        versions |= version_of(tail.group(1))
        stripped = stripped[:tail.start()]
    folded = fold(stripped) or fold(title)
    return folded, frozenset(versions)


@functools.lru_cache(maxsize=100_000)
def written_title(title: str) -> str:
    """The folded title as written, subtitles kept, version and remaster notes and featured artists left
    out: "Old Soul Song (for the New World Order)" → "old soul song for the new world order"."""
    text = _FEAT.sub("", title)
    kept = _BRACKETS.sub(lambda m: " " if version_of(m.group(1)) or SAME_SONG.search(m.group(1))
                         else f" {m.group(1)} ", text)
    tail = _DASH_TAIL.search(kept)
    if tail and (version_of(tail.group(1)) or SAME_SONG.search(tail.group(1))):
        kept = kept[:tail.start()]
    return fold(kept) or fold(title)


@functools.lru_cache(maxsize=200_000)
def sound(folded: str) -> str:
    """A metaphone key per word: how the name sounds, for misheard speech."""
    import jellyfish

    keys = []
    for word in folded.split():
        if word.isdigit():
            keys.append(word)
            continue
        key = jellyfish.metaphone(word)
        keys.append(key or word)
    return " ".join(keys)
