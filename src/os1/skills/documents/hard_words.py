""""What was that word?": the rare words of a sentence, and a plainer word or meaning for one.

:func:`hard_word` is the rarest real word of a sentence (wordfreq Zipf, names left out),
:func:`plain_meaning` a commoner synonym and a short meaning (``lexicon``'s WordNet), and
:func:`explain_word` the spoken answer.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def _zipf(word: str) -> float:
    try:
        from os1.skills.documents.lexicon import zipf
    except ImportError:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, "en"))
    return float(zipf(word))


def hard_words(sentence: str, *, common: float = 5.0) -> list[tuple[float, str]]:
    """(Zipf, word) for the sentence's real words rarer than ``common``, rarest first; names left out."""
    found: dict[str, float] = {}
    for i, m in enumerate(_WORD.finditer(sentence)):
        w = m.group(0).strip("'-")
        if len(w) < 4:
            continue
        if w[0].isupper() and (i > 0 or w[1:].lower() != w[1:]):
            continue  # a name (capitalised mid-sentence)
        z = _zipf(w.lower())
        if 0 < z < common:  # 0: not a word wordfreq knows (a name or a typo), not worth explaining
            found.setdefault(w.lower() if i == 0 else w, z)
    return sorted((z, w) for w, z in found.items())


def hard_word(sentence: str) -> str | None:
    """The rarest real word of a sentence (wordfreq Zipf), names left out; None if all are common."""
    words = hard_words(sentence)
    return words[0][1] if words else None


def plain_meaning(word: str) -> tuple[str | None, str | None]:
    """(a commoner synonym, a short WordNet meaning) for ``word``; (None, None) when unknown.

    Uses the simplify helper's lexicon (its own ``plain``/``synonyms`` when it has them, else its
    WordNet reader); degrades to (None, None) when the lexicon is not there.
    """
    try:
        lexicon = importlib.import_module("os1.skills.documents.lexicon")
    except ImportError:
        return None, None
    for name in ("plain_meaning", "plain"):
        fn = getattr(lexicon, name, None)
        if callable(fn):
            try:
                got = fn(word)
            except Exception:
                got = None
            if isinstance(got, tuple) and len(got) == 2:
                return got
            if isinstance(got, str) and got:
                return got, None
    try:
        wn = lexicon.wordnet()
    except Exception:
        return None, None
    own = _zipf(word)
    best_sense: tuple[int, Any] | None = None
    for pos in ("a", "v", "n", "r"):
        for base, _form in wn.lemmatize(word, pos):
            for synset in wn.synsets(base, pos)[:2]:
                sense_no, tagged = wn.sense_info(base, synset.offset)
                score = tagged * 10 - sense_no
                if best_sense is None or score > best_sense[0]:
                    best_sense = (score, (base, synset))
    if best_sense is None:
        return None, None
    base, synset = best_sense[1]
    candidates = [w for w in synset.lemmas if w != base and " " not in w and "-" not in w]
    for off, pos in synset.related("&") + synset.related("@"):  # similar-to / hypernym
        try:
            candidates += [w for w in wn.synset(pos, off).lemmas if " " not in w and "-" not in w]
        except (KeyError, ValueError):
            continue
    scored = sorted(((_zipf(w), w) for w in dict.fromkeys(candidates)), reverse=True)
    synonym = next((w for z, w in scored if z > max(own, 2.5) + 0.3), None)
    gloss = synset.gloss.split(";")[0].split('"')[0].strip() or None
    return synonym, gloss


def explain_word(word: str) -> str:
    """The spoken answer to "what was that word?" for ``word``."""
    synonym, gloss = plain_meaning(word)
    if synonym and gloss:
        return f"“{word}”: a plainer word is “{synonym}”. It means {gloss}."
    if synonym:
        return f"“{word}”: a plainer word is “{synonym}”."
    if gloss:
        return f"“{word}” means {gloss}."
    return f"That was “{word}”. I don't have a plainer word for it."
