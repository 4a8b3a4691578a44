"""What a music request could mean: "play Lua by Bright Eyes" taken apart into readings.

A request is read every way it plausibly can, and the resolver (:mod:`os1.skills.music.resolve`)
scores each reading against the library: "Stand by Me" is a title *and* maybe "Stand" by "Me";
only the library can tell. Each :class:`Reading` has a ``mode``:

- ``title``: a song, maybe with its artist ("Lua by Bright Eyes", "Bright Eyes' Lua"), album
  ("Lua from Lifted") and version ("the live version of Lua", "Lua (demo)");
- ``position``: "the third track of Lifted", "track 3 on Lifted", "the last song on Lifted";
- ``album``: "the album Lifted", "the whole Lifted record";
- ``artist``: "some Bright Eyes", "something by Bright Eyes", "music by …";
- ``about``: "that song about the first day of my life", "the one that goes …" (lyrics and meaning).

Nothing here looks at the library, so the phrasing rules stay honest and small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from os1.skills.music import names

ORDINALS = {
    "first": 1, "1st": 1, "opening": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "eleventh": 11, "11th": 11, "twelfth": 12, "12th": 12,
    "thirteenth": 13, "13th": 13, "fourteenth": 14, "14th": 14, "fifteenth": 15, "15th": 15,
    "sixteenth": 16, "16th": 16, "seventeenth": 17, "17th": 17, "eighteenth": 18, "18th": 18,
    "nineteenth": 19, "19th": 19, "twentieth": 20, "20th": 20,
    "last": -1, "final": -1, "closing": -1, "penultimate": -2, "second to last": -2, "second last": -2,
    "next to last": -2,
}
_ORD = "|".join(sorted((re.escape(k) for k in ORDINALS), key=len, reverse=True))
_NUM = r"\d{1,2}|" + "|".join(sorted(names.NUMBER_WORDS, key=len, reverse=True))
_SONG = r"(?:track|song|tune|number|cut|one|piece|thing)"
_OF = r"(?:on|of|from|off|off of|in)"
_ALBUM_WORD = r"(?:album|record|lp|ep|cd)"

_LEAD = re.compile(
    r"^(?:(?:hey|ok(?:ay)?|so|um+|uh+|oh)[,\s]+)*"
    r"(?:(?:can|could|would|will) you\s+|please\s+|would you mind\s+|i'?d like (?:you )?to\s+|"
    r"i want (?:you )?to\s+|i wanna\s+|let'?s\s+|go ahead and\s+)*"
    r"(?:(?:(?:a|the) )?(?:song|track|tune) (?:called|named|titled)\s+|(?:called|named|titled)\s+)?"
    r"(?:(?:play(?:\s+(?:me|us))?|put on|throw on|spin|blast|queue(?:\s+up)?|add|start|listen to|hear|"
    r"let me hear|i want to hear|i'?d like to hear|i wanna hear|give me|find|find me|play back)\b\s*)?", re.I)
_TAIL = re.compile(r"[\s,]*(?:please|for me|right now|to (?:the|my) queue|to the list|for a bit|thanks?|"
                   r"thank you)\s*[.!?]*$", re.I)
# … or part of the title ("Cry Again"): read both ways
_TAIL_MAYBE = re.compile(r"[\s,]*(?:now|next|again|on repeat|one more time)\s*[.!?]*$", re.I)
_QUOTES = re.compile(r"[\"“”‘’«»]|(?<!\w)'|'(?!\w)")

_POSITION = [
    re.compile(rf"^(?:the |that )?(?P<ord>{_ORD})(?: {_SONG})? {_OF} (?:the )?(?:{_ALBUM_WORD} )?"
               rf"(?P<album>.+?)(?: {_ALBUM_WORD})?(?: by (?P<artist>.+))?$", re.I),
    re.compile(rf"^(?:the )?(?:track|song|number|cut) (?:number )?(?P<num>{_NUM}) {_OF} (?:the )?"
               rf"(?:{_ALBUM_WORD} )?(?P<album>.+?)(?: {_ALBUM_WORD})?(?: by (?P<artist>.+))?$", re.I),
    re.compile(rf"^(?P<album>.+?)(?:'s|s'|') (?P<ord>{_ORD}) {_SONG}$", re.I),
]
_ALBUM = [
    re.compile(rf"^(?:the |that )?(?:whole |entire |full |complete )?{_ALBUM_WORD} (?:called |named )?"
               rf"(?P<album>.+?)(?: by (?P<artist>.+))?$", re.I),
    re.compile(rf"^(?:the |that )?(?:whole |entire |full |complete )?(?P<album>.+?) {_ALBUM_WORD}"
               rf"(?: by (?P<artist>.+))?$", re.I),
    re.compile(rf"^(?:all of |everything (?:on|from) )(?:the )?(?:{_ALBUM_WORD} )?(?P<album>.+?)"
               rf"(?: by (?P<artist>.+))?$", re.I),
    re.compile(rf"^(?P<artist>.+?)(?:'s|s'|') (?:whole |entire |full )?(?:{_ALBUM_WORD}) (?P<album>.+)$",
               re.I),
]
_ARTIST = re.compile(
    r"^(?:some|something|anything|a (?:song|track|tune|few songs|couple of songs|little|bit)|a little bit|"
    r"a bit|more|music|songs|tracks|stuff|the music|a random song|random songs|whatever)"
    r"(?: (?:by|from|of))? (?P<artist>.+?)(?: (?:songs?|music|tracks|stuff))?$", re.I)
_ARTIST_WHOLE = re.compile(
    r"^(?:some|something|anything|a (?:song|track|tune|few songs|couple of songs|little|bit)|a little bit|"
    r"a bit|more|music|songs|tracks|stuff|the music|a random song|random songs|whatever)"
    r"(?: (?:by|from|of))? (?P<artist>.+)$", re.I)
_ARTIST_TAIL = re.compile(r"^(?:some |a few |a couple of )?(?P<artist>.+?) (?:songs|music|tracks|stuff)$",
                          re.I)
_ABOUT = re.compile(
    r"^(?:(?:what'?s|what is|what was|which is|do you know|do you have|i'?m looking for|remember|find) )?"
    r"(?:(?:the|that|this) )?(?:song|one|track|tune|thing|number)?\s*"
    r"(?:about|that(?:'s| is)? about|that goes(?: like)?|which goes|that says|that sings|with the "
    r"(?:line|lyrics?|words|bit)|where (?:he|she|they|it) (?:sings?|says?)|that starts(?: with)?|"
    r"that has the (?:line|lyrics?|words)|with lyrics)\s*:?\s*(?P<about>.+)$", re.I)
_VERSION_OF = re.compile(
    r"^(?:the |a |that )?(?P<version>live|acoustic|demo|remix(?:ed)?|instrumental|unplugged|early|"
    r"stripped|piano|orchestral|alternate|extended|radio)(?: (?:version|recording|take|cut|one|mix|edit))?"
    r"(?: of)? (?P<rest>.+)$|"
    r"^(?:the |a |that )?(?P<version2>studio|original|album|regular|normal) "
    r"(?:version|recording|take|cut|one)"
    r"(?: of)? (?P<rest2>.+)$", re.I)
_VERSION_TAIL = re.compile(
    r"^(?P<rest>.+?),?\s*[\(\[]?(?:the )?(?P<version>live|acoustic|demo|remix|instrumental|unplugged|early|"
    r"stripped|piano|orchestral|alternate|extended|radio edit|studio|original|album)"
    r"(?: version| recording| take| cut| mix| edit)?[\)\]]?$", re.I)
_BRACKET_TAIL = re.compile(r"^(?P<rest>.+?)\s*[\(\[](?P<version>[^\)\]]{2,20})[\)\]]$")  # "Lua (liev)"
_BY = re.compile(r"^(?P<title>.+?)\s+(?:by|from the artist|performed by|sung by)\s+(?P<artist>.+)$", re.I)
_BY_WORD = re.compile(r"\s+(?:by|from the artist|performed by|sung by)\s+", re.I)
_FROM_WORD = re.compile(r"\s+(?:from|on|off|off of|of)\s+(?:the (?:album|record)\s+)?", re.I)
_POSSESSIVE_WORD = re.compile(r"(?:'s|s'|')\s+", re.I)
STUDIO = frozenset({"studio", "original", "album"})  # asked for the plain version


@dataclass(frozen=True)
class Reading:
    mode: str  # title | position | album | artist | about
    title: str = ""
    artist: str = ""
    album: str = ""
    source: str = ""  # "from X": an album or an artist
    versions: frozenset[str] = frozenset()
    plain: bool = False  # "the studio version": no version words wanted
    position: int = 0  # 1-based; -1 last, -2 second to last
    about: str = ""
    prior: float = 0.0  # added to the score: how natural this reading of the words is


@dataclass
class Parsed:
    text: str  # the request without lead words ("play", "can you")
    readings: list[Reading] = field(default_factory=list)
    explicit: str = ""  # the phrasing named the mode outright ("album", "track 3 of", "some …")


def clean(text: str) -> str:
    """The request without quotes, lead verbs ("can you play"), and polite tails ("please")."""
    text = " ".join(_QUOTES.sub(" ", text).split()).strip(" .!?,")
    previous = None
    while previous != text:
        previous = text
        text = _LEAD.sub("", text, count=1).strip()
        text = _TAIL.sub("", text).strip(" .!?,")
    return text


def _number(token: str) -> int:
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    if token in ORDINALS:
        return ORDINALS[token]
    return names.NUMBER_WORDS.get(token, 1 if token == "one" else 0)


def _version(word: str) -> tuple[frozenset[str], bool]:
    """The version words asked for ("live" → {"live"}; "studio" → none, plainly), typos forgiven."""
    from rapidfuzz import fuzz, process

    word = word.lower().strip()
    if word in STUDIO:
        return frozenset(), True
    found = names.version_of(word)
    if not found:
        words = [w for w, tag in names.VERSION_WORDS.items() if tag]
        near = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=70)
        found = frozenset({names.VERSION_WORDS[near[0]]}) if near else frozenset()
    return found, False


def parse(request: str) -> Parsed:
    """Every plausible reading of ``request`` (see the module docstring)."""
    text = clean(request)
    raw = " ".join(_QUOTES.sub(" ", request).split()).strip(" .!?,")
    full = text
    text = _TAIL_MAYBE.sub("", text).strip(" .!?,") or text
    parsed = Parsed(text=text)
    out = parsed.readings
    for pattern in _POSITION:
        if m := pattern.match(text):
            groups = m.groupdict()
            pos = _number(groups.get("ord") or groups.get("num") or "")
            if pos:
                out.append(Reading("position", album=m.group("album").strip(),
                                   artist=(groups.get("artist") or "").strip(), position=pos))
                parsed.explicit = "position"
            break
    for index, pattern in enumerate(_ALBUM):
        if m := pattern.match(text):
            groups = m.groupdict()
            out.append(Reading("album", album=m.group("album").strip(),
                               artist=(groups.get("artist") or "").strip(),
                               prior=-1.0 if index == 1 else 0.0))
            parsed.explicit = parsed.explicit or "album"
    if m := _ABOUT.match(full):  # lyrics may well end in "again"
        out.append(Reading("about", about=m.group("about").strip()))
        parsed.explicit = parsed.explicit or "about"
    if m := _ARTIST.match(text):
        named = m.group("artist").strip()
        out.append(Reading("artist", artist=named, prior=1.0))
        whole = _ARTIST_WHOLE.match(text)
        if whole and whole.group("artist").strip() != named:  # "something by The Songs"
            out.append(Reading("artist", artist=whole.group("artist").strip(), prior=1.0))
        parsed.explicit = parsed.explicit or "artist"
        _titles(named, out, prior=-4.0)  # "play some Lua": a title after all
    elif m := _ARTIST_TAIL.match(text):
        out.append(Reading("artist", artist=m.group("artist").strip(), prior=0.0))
    if not parsed.explicit or parsed.explicit == "album":
        _titles(full, out)
        if full != text:  # a song called "Cry Again" — or "play Lua again"
            _titles(text, out, prior=-1.5)
        out.append(Reading("artist", artist=text, prior=-3.0))  # "play Bright Eyes"
        out.append(Reading("album", album=text, prior=-6.0))  # "play Lifted" (a song called that first)
        out.append(Reading("about", about=text, prior=-12.0))  # "play yours is the first face that I saw"
        if raw.lower() not in (text.lower(), full.lower()):  # a title that starts with a verb ("Play On")
            _titles(raw, out, prior=-1.5)
    return parsed


def _titles(text: str, out: list[Reading], prior: float = 0.0) -> None:
    """Title readings: as said, with a version pulled out, with an artist or album split off."""
    bases: list[tuple[str, frozenset[str], bool, float]] = [(text, frozenset(), False, 0.0)]
    for pattern in (_VERSION_OF, _VERSION_TAIL, _BRACKET_TAIL):
        if m := pattern.match(text):
            groups = m.groupdict()
            versions, plain = _version(groups.get("version") or groups.get("version2") or "")
            if versions or plain:
                rest = (groups.get("rest") or groups.get("rest2") or "").strip()
                bases.append((rest, versions, plain, 0.0))
                break
    for base, versions, plain, extra in bases:
        p = prior + extra
        by = _BY.match(base)
        # "Mirror by Crowded Clouds": the words after "by" are most likely the artist
        out.append(Reading("title", title=base, versions=versions, plain=plain,
                           prior=p - (4.0 if by else 0.0)))
        splits = []  # at every "by", "from", "'s": "Memory of the Enemy from Dreaming Letters"
        for m in _BY_WORD.finditer(base):
            splits.append((base[:m.start()].strip(), {"artist": base[m.end():].strip()}))
        for m in _FROM_WORD.finditer(base):
            head, source = base[:m.start()].strip(), base[m.end():].strip()
            splits.append((head, {"source": source}))
            for by_artist in _BY_WORD.finditer(head):  # "Lua by Bright Eyes from Motion Sickness"
                splits.append((head[:by_artist.start()].strip(),
                               {"artist": head[by_artist.end():].strip(), "source": source}))
        for m in _POSSESSIVE_WORD.finditer(base):
            splits.append((base[m.end():].strip(), {"artist": base[:m.start()].strip()}))
        splits = [(title, who) for title, who in splits if title and all(who.values())]
        for title, who in splits:
            out.append(Reading("title", title=title, versions=versions, plain=plain, prior=p, **who))
            if not versions and not plain:  # "Lua (live) by Bright Eyes"
                for pattern in (_VERSION_OF, _VERSION_TAIL, _BRACKET_TAIL):
                    if m := pattern.match(title):
                        groups = m.groupdict()
                        found, flat = _version(groups.get("version") or groups.get("version2") or "")
                        rest = (groups.get("rest") or groups.get("rest2") or "").strip()
                        if found or flat:
                            out.append(Reading("title", title=rest, versions=found, plain=flat, prior=p,
                                               **who))
                            break
        words = base.split()
        if 1 < len(words) <= 12:  # "lua bright eyes", "bright eyes lua": the artist found in the library
            out.append(Reading("title", title=base, artist="*", versions=versions, plain=plain,
                               prior=p - 5.0))
