"""Words → tokens a time grammar can read, each remembering the words the user actually said.

"Remind me tomorow at nine-thirty to call Amy" becomes tokens whose normal forms read
``remind me tomorrow at 9:30 to call amy`` while each keeps its original text, so once the time
words are found the rest ("to call Amy") comes back exactly as it was said. Normalising fixes
common typos of time words (``tommorow``, ``wensday``, ``minuets``: fuzzy matching with rapidfuzz,
only for words that are not ordinary English words), turns number and ordinal words into digits
("twenty five" → 25, "third" → 3rd), and splits "9am" / "20mins" / "1h30" into their parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
             "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
             "nineteenth": 19, "twentieth": 20, "thirtieth": 30}
_SHORT_WEEKDAYS = {"mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday",
                   "weds": "wednesday", "thu": "thursday", "thur": "thursday", "thurs": "thursday",
                   "fri": "friday", "sat": "saturday", "sun": "sunday"}
_SHORT_MONTHS = {"jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
                 "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
                 "nov": "november", "dec": "december"}
# spellings and shorthands fuzzy matching would not catch (too short, or too far off)
_FIXES = {
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow",
    "2morrow": "tomorrow", "2mrw": "tomorrow", "tomoz": "tomorrow", "tonite": "tonight", "2nite": "tonight",
    "tonigt": "tonight", "nite": "night", "2day": "today", "tdy": "today", "nxt": "next", "evry": "every",
    "evey": "every", "mins": "minutes", "min": "minutes", "mn": "minutes", "mns": "minutes",
    "minuets": "minutes", "minuet": "minute", "hr": "hour", "hrs": "hours", "h": "hours", "wk": "week",
    "wks": "weeks", "yr": "year", "yrs": "years", "secs": "seconds", "sec": "seconds",
    "oclock": "oclock", "o'clock": "oclock", "o’clock": "oclock", "oclok": "oclock", "a.m.": "am",
    "a.m": "am", "p.m.": "pm", "p.m": "pm", "noonish": "noon", "mid-day": "midday", "@": "at",
    "weekdays": "weekdays", "wkday": "weekday", "wkdays": "weekdays", "fortnight": "fortnight",
    "&": "and", "xmas": "christmas", "eve": "eve", "thx": "", "pls": "please", "plz": "please",
}
# the words the grammar knows: a token far from all of them is left alone
VOCABULARY = (*WEEKDAYS, *MONTHS, "tomorrow", "tonight", "today", "morning", "afternoon", "evening",
              "midnight", "minutes", "minute", "hours", "hour", "weekday", "weekdays", "weekend", "every",
              "remind", "reminder", "o'clock", "next", "half", "quarter", "christmas", "seconds",
              "fortnight", "midday", "thirty", "twenty", "fifteen", "forty", "eleven", "twelve")
_COMMON = 3.2  # wordfreq Zipf frequency: at or above this a token is an ordinary word, not a typo


@dataclass
class Token:
    """One word as said (``text``) and as the grammar reads it (``norm``: may be "" or several words)."""

    text: str
    norm: str


def _is_number(word: str) -> bool:
    return word.isdigit()


@lru_cache(maxsize=4096)
def _fuzzy(word: str) -> str:
    """The time word a misspelled token was meant to be, or the token itself."""
    if len(word) < 5 or not word.isalpha() or word in VOCABULARY:
        return word
    try:
        from wordfreq import zipf_frequency

        if zipf_frequency(word, "en") >= _COMMON:
            return word
    except Exception:  # wordfreq is a refinement; without it only close misspellings are fixed
        pass
    from rapidfuzz import fuzz, process

    best = process.extractOne(word, VOCABULARY, scorer=fuzz.ratio, score_cutoff=80)
    return best[0] if best else word


_SPLIT = [
    (re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a|p)$"), lambda m: (
        f"{m[1]}{':' + m[2] if m[2] else ''} {'am' if m[3].startswith('a') else 'pm'}")),
    (re.compile(r"^(\d+)h(\d{1,2})m?$"), lambda m: f"{m[1]} hours {m[2]} minutes"),
    (re.compile(r"^(\d+(?:\.\d+)?)(mins?|minutes?|m)$"), lambda m: f"{m[1]} minutes"),
    (re.compile(r"^(\d+(?:\.\d+)?)(hrs?|hours?|h)$"), lambda m: f"{m[1]} hours"),
    (re.compile(r"^(\d+)(days?|d)$"), lambda m: f"{m[1]} days"),
    (re.compile(r"^(\d+)(wks?|weeks?|w)$"), lambda m: f"{m[1]} weeks"),
    (re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$"), lambda m: m[0]),
    (re.compile(r"^(\d{1,2}):(\d{2})h?$"), lambda m: m[0].rstrip("h")),
]
_PUNCT = "\"'“”‘’()[]{},;!?…"


def _basic(word: str) -> str:
    low = word.lower().strip(_PUNCT)
    if low in _FIXES:
        return _FIXES[low]
    low = low.rstrip(".:")
    if low in _FIXES:
        return _FIXES[low]
    if low.startswith("@") and len(low) > 1:
        return "at " + _basic(low[1:])
    for pattern, make in _SPLIT:
        match = pattern.match(low)
        if match:
            return make(match)
    if "-" in low and not low[0].isdigit():  # "nine-thirty", "twenty-five", "all-day"
        parts = low.split("-")
        if all(p in _ONES or p in _TENS or p in _ORDINALS or _ordinal_word(p) for p in parts):
            return " ".join(parts)
    return low


def _ordinal_word(word: str) -> int | None:
    if word in _ORDINALS:
        return _ORDINALS[word]
    for tens, value in _TENS.items():
        if word.startswith(tens) and word[len(tens):] in _ORDINALS:
            return value + _ORDINALS[word[len(tens):]]
    return None


def _suffix(n: int) -> str:
    """3 → "3rd", 11 → "11th", 22 → "22nd"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with normal forms the time grammar reads."""
    raw = text.replace("’", "'").split()
    tokens = [Token(word, _basic(word)) for word in raw]
    _expand_subwords(tokens)
    for token in tokens:
        if token.norm.isalpha():
            token.norm = _fuzzy(token.norm)
    _join_numbers(tokens)
    _context_names(tokens)
    return tokens


def _expand_subwords(tokens: list[Token]) -> None:
    """"nine thirty" written "nine-thirty" was split into words in one token; typo-fix each of them."""
    for token in tokens:
        if " " in token.norm and not any(ch.isdigit() for ch in token.norm):
            token.norm = " ".join(_FIXES.get(p, p) for p in token.norm.split())


def _number_value(words: list[str], start: int) -> tuple[int, int, bool] | None:
    """(value, words used, is ordinal) of a number said in words at ``start``."""
    word = words[start]
    if word in _TENS:
        nxt = words[start + 1] if start + 1 < len(words) else ""
        if nxt in _ONES and 0 < _ONES[nxt] < 10:
            return _TENS[word] + _ONES[nxt], 2, False
        ordinal = _ORDINALS.get(nxt)
        if ordinal is not None and ordinal < 10:
            return _TENS[word] + ordinal, 2, True
        return _TENS[word], 1, False
    if word in _ONES:
        return _ONES[word], 1, False
    ordinal = _ordinal_word(word)
    if ordinal is not None:
        return ordinal, 1, True
    return None


def _join_numbers(tokens: list[Token]) -> None:
    """Number and ordinal words → digits, across tokens ("twenty five" → 25, the second token empties)."""
    # work on (token index, sub-word) pairs: a token may hold several words ("nine thirty")
    pieces: list[tuple[int, str]] = [(i, w) for i, t in enumerate(tokens) for w in t.norm.split()]
    words = [w for _i, w in pieces]
    out: list[list[str]] = [[] for _ in tokens]
    index = 0
    while index < len(words):
        owner, word = pieces[index]
        found = _number_value(words, index)
        if found is None or not _number_context(words, index, found):
            out[owner].append(word)
            index += 1
            continue
        value, used, ordinal = found
        out[owner].append(_suffix(value) if ordinal else str(value))
        index += used
    for token, parts in zip(tokens, out, strict=True):
        token.norm = " ".join(parts)


def _number_context(words: list[str], index: int, found: tuple[int, int, bool]) -> bool:
    """Whether a number word here is a number the grammar wants ("the second of May", not "a second")."""
    word = words[index]
    before = words[index - 1] if index else ""
    after = words[index + found[1]] if index + found[1] < len(words) else ""
    if word in ("first", "second"):
        return before in ("the", *MONTHS) or after == "of"
    if word == "one":  # "the one after", "this one", "no one"
        return before not in ("the", "this", "that", "which", "no", "every", "each", "later", "earlier",
                              "other", "any", "some")
    return True


def _context_names(tokens: list[Token]) -> None:
    """Short weekday and month names, and May/March, only where they can only be dates."""
    norms = [t.norm for t in tokens]
    for index, token in enumerate(tokens):
        word = token.norm
        before = norms[index - 1] if index else ""
        after = norms[index + 1] if index + 1 < len(norms) else ""
        two_back = norms[index - 2] if index > 1 else ""
        datey = _daynum(before) or _daynum(after) or (before == "of" and _daynum(two_back)) \
            or (before in ("in", "every", "each", "until", "till", "by", "of") and word != "may")
        if word in _SHORT_MONTHS and (_daynum(before) or _daynum(after) or before == "of"):
            token.norm = _SHORT_MONTHS[word]
        elif word in ("may", "march") and not datey:
            token.norm = f"{word}~"  # the verb, not the month
        elif word in _SHORT_WEEKDAYS and (
                before in ("on", "next", "this", "every", "each", "by", "until", "till", "coming", "from")
                or after in ("at", "morning", "afternoon", "evening", "night", "next")
                or after[:1].isdigit()):
            token.norm = _SHORT_WEEKDAYS[word]


def _daynum(word: str) -> bool:
    return bool(re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", word))


def joined(tokens: list[Token]) -> tuple[str, list[tuple[int, int]]]:
    """The normal forms joined by single spaces, and each token's (start, end) in that string."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for token in tokens:
        if not token.norm:
            spans.append((position, position))
            continue
        if parts:
            position += 1
        spans.append((position, position + len(token.norm)))
        parts.append(token.norm)
        position += len(token.norm)
    return " ".join(parts), spans
