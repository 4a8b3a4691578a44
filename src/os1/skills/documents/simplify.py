"""Make a text easier to read: rare words become common ones that mean the same here, and long
sentences are split at safe clause boundaries. Used when the user asks for "simpler" (level 1)
and again for "even simpler" (level 2, more aggressive).

How a word swap is chosen:

1. Only rare words (wordfreq Zipf below the level's threshold) are looked at. Never touched: names
   (capitalised words mid-sentence, capitalised sentence starts the text never writes in lower case,
   all-caps words, forms of address), words in a quote's speaker tag ("said Mr. Darcy"), number and
   date words, bibliography entries, nouns the text uses again and again (its own terms), and
   anything touching a digit, hyphen, apostrophe or underscore (dates, codes, compounds, emphasis).
2. The word's part of speech is guessed from its neighbours and WordNet, and its base form and
   inflection found (plural, -s, -ed, -ing, -er, -est). Modifiers in compounds ("bounding box") and
   participles used as adjectives are skipped.
3. Only a word whose commonest WordNet sense clearly dominates (SemCor tag counts) is swapped, with
   a synonym from that sense (adjectives also: similar adjectives whose gloss names the word's family,
   "showy" is "marked by ostentation"). The synonym must have that sense as one of its own main, seen
   meanings, must not be a known false friend ("gay", "wizard"), must inflect to a real frequent word
   (else no swap), and must be clearly easier: more frequent and not longer in syllables.

A MiniLM context check (:mod:`os1.mind.encoder`: passage similarity with / without the swap, nearest
WordNet gloss, word-to-word similarity) was tried and dropped: on Pride and Prejudice none of the three
separated good swaps from wrong-sense ones ("tedious" -> "boring" scored worse than "exceedingly" ->
"super"), and without it the whole book simplifies in seconds.

With spaCy installed (:mod:`os1.skills.documents.syntax`), sentences with a rare word are tagged and
long ones parsed (``nlp.pipe``, in batches): a swap is made only when the parser's part of speech agrees
with the one guessed here (or decides it when the guess is unsure; a tag the word cannot have is ignored),
and long sentences are split at clause boundaries the parse shows (see that module); at semicolons,
colons and dashes the parse missed (level 2: also ", and" / ", but"), both sides parsed alone must be full
sentences. At level 2 the sentences that were split are parsed again (up to twice more): the shorter
sentences parse better and often open with a clause a rule can use. Without spaCy the rule-based splits
below are used.

Punctuation, line breaks, paragraph breaks and capitalisation at sentence start are kept. Readability
is measured with textstat's Flesch–Kincaid grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from os1.skills.documents import lexicon
from os1.skills.documents.lexicon import inflect, syllables, wordnet, zipf


@dataclass
class Simplified:
    text: str
    swaps: list[tuple[str, str]] = field(default_factory=list)  # (original word, replacement) in order
    splits: int = 0
    grade_before: float = 0.0
    grade_after: float = 0.0


@dataclass(frozen=True)
class Level:
    rare: float  # zipf below this: a candidate for swapping
    gain: float  # required ease gain: zipf difference + 0.6 per syllable saved
    min_zipf: float  # a replacement must be at least this common
    max_words: int  # sentences longer than this are split when a safe point exists
    min_part: int  # each part of a split keeps at least this many words
    aggressive: bool = False  # also split at ", which was", ", though he", " and she was"


LEVELS = {
    1: Level(rare=3.3, gain=0.8, min_zipf=2.7, max_words=12, min_part=4),
    2: Level(rare=3.9, gain=0.5, min_zipf=2.7, max_words=8, min_part=3, aggressive=True),
}

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_OPENERS = "“\"‘'([_*—– \t\r\n"
_ABBREV = _words(
    "mr mrs ms dr st jr sr prof rev gen col capt lt sgt hon esq vs etc eg ie al fig figs eq eqs no "
    "nos vol vols pp cf sec ch approx dept inc ltd co corp jan feb mar apr jun jul aug sep sept oct "
    "nov dec")
_NUMBER_WORDS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion trillion dozen score first second third fourth fifth sixth "
    "seventh eighth ninth tenth eleventh twelfth twentieth thirtieth hundredth thousandth half halves "
    "quarter once twice thrice monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december")
_DETERMINERS = _words(
    "a an the this that these those my your his her its our their some any no every each such much "
    "many few several another whose what which either neither")
_AUX = _words(
    "will would shall should can could may might must do does did not never cannot")
_BE = _words(
    "is was were are am be been being seem seems seemed look looks looked become becomes became feel "
    "feels felt appear appears appeared remain remained grew grow")
_HAVE_BE = _words(
    "have has had having be been being is was were are am get got")
_DEGREE = _words(
    "very so too more most less least quite rather extremely how as really")
_PREPS = _words(
    "of in on at by for with from about into upon without within between among against through during "
    "after before under over toward towards")
_SUBJECTS = _words(
    "i he she they we it you there")
_KEEP = _words(  # forms of address and period words a reader expects to hear as written
    "madam mamma papa sir ma'am lady ladyship gentleman gentlemen miss master mistress dearest")
# WordNet (1990s, senses ranked by the 1960s Brown corpus) lists these as first-sense synonyms, but
# today they mostly mean something else or are slang: never used as replacements.
_FALSE_FRIENDS = _words(
    "gay mod wizard peaked hectic gadget bald citation fanfare jealous super despite hiatus duly amity "
    "screw swollen delicious intent heroism jazz cheek digs flaunty splashy unwarranted overt link "
    "envious brush supporter toying lush wits hardship grim compromising madam healing nil blatant "
    "materiel faint hatter indecent triumphant hitherto battle battles running fatal bar scout command "
    "simulated workout merger enterprise horrible skirt humble reverend nix hedge pesky prodigal rigor "
    "said"
) | {"call back", "chew over", "put up", "lay off", "hang in", "hang on", "even off", "bring on", "put out"}
# Never offered, whatever WordNet says (it lists some as senses of harmless words: "flaming").
_VULGAR = _words(
    "fuck fucking fucked shit shitty damn damned bloody bitch bastard ass arse crap piss pissed dick "
    "cock prick pussy bugger sod tits screw screwed")
# Originals whose common older sense WordNet lacks or ranks low ("repaired to the library" = went,
# "relate" = tell, "insupportable" = unbearable): never replaced.
_KEEP_LEMMAS = _words(
    "repair relate insupportable contrivance commendation gallantry quit engagement aught "
    # computing senses that WordNet ranks below everyday ones ("iterate through the entities")
    "iterate traverse framework instantiate parse query render compile inherit deploy execute "
    "invoke token layer entity script thread node array correspond")
_PLAIN_ADVERBS = _words(
    "too soon often very again now still almost only just quite fast hard well much away also even "
    "ever never always once later early")
_VERB_CONTEXT = _words(
    "i he she they we you it who that which is was were are am be been being has have had having "
    "not never also then just")
_PARTICLES = _words(
    "up down out off on in over away back")


# --------------------------------------------------------------------------- tokens and protection


@dataclass
class _Tok:
    start: int
    end: int
    word: str
    sentence_start: bool
    protected: bool


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in WORD.finditer(text):
        s, e, w = m.start(), m.end(), m.group()
        j = s
        while j > 0 and text[j - 1] in _OPENERS:
            if text[j - 1] == "\n" and j > 1 and text[j - 2] == "\n":
                break
            j -= 1
        prev = text[j - 1] if j > 0 else ""
        starts = prev in ("", "\n", ".", "!", "?", ":")
        if prev == ".":
            before = WORD.findall(text[max(0, j - 12): j - 1])
            if before and (before[-1].lower() in _ABBREV or len(before[-1]) == 1):
                starts = False
        before_c = text[s - 1] if s > 0 else ""
        after_c = text[e] if e < len(text) else ""
        protected = (
            any(c and c in "-_@/\\0123456789" for c in (before_c, after_c))
            or "'" in w or "’" in w
            or (len(w) > 1 and w.isupper())
            or w.lower() in _NUMBER_WORDS
            or (w[0].isupper() and not starts)
            or (w[0].isupper() and any(c.isupper() for c in w[1:]))
        )
        toks.append(_Tok(s, e, w, starts, protected))
    return toks


_AFTER_QUOTE = re.compile(r"[”\"]\s*(?:[,—–-]\s*)?([^“”\".!?;:\n]*(?:\n[^“”\".!?;:\n]*)?)")
_BEFORE_QUOTE = re.compile(r"([^“”\".!?;:]{1,80})[,:]\s*[“\"]")


def _protect_speaker_tags(text: str, toks: list[_Tok]) -> None:
    spans = []
    for m in _AFTER_QUOTE.finditer(text):
        if 0 < len(WORD.findall(m.group(1))) <= 8:
            spans.append((m.start(1), m.end(1)))
    for m in _BEFORE_QUOTE.finditer(text):
        if 0 < len(WORD.findall(m.group(1))) <= 8:
            spans.append((m.start(1), m.end(1)))
    if not spans:
        return
    spans.sort()
    i = 0
    for tok in toks:
        while i < len(spans) and spans[i][1] <= tok.start:
            i += 1
        if i < len(spans) and spans[i][0] <= tok.start < spans[i][1]:
            tok.protected = True


_YEAR_END = re.compile(r"\b(?:1[5-9]|20)\d\d[a-z]?[.,)]")


def _protect_references(text: str, toks: list[_Tok]) -> None:
    """Bibliography entries (a year, mostly capitalised words) are titles and names: left alone."""
    at = 0
    for m in re.finditer(r"\n\s*\n|\Z", text):
        start, end = at, m.start()
        at = m.end()
        if _is_reference(text[start:end]):
            for tok in toks:
                if start <= tok.start < end:
                    tok.protected = True


def _is_reference(par: str) -> bool:
    words = WORD.findall(par)
    capitalised = sum(w[0].isupper() for w in words)
    return bool(_YEAR_END.search(par)) and bool(words) and capitalised >= 0.3 * len(words)


# --------------------------------------------------------------------------- part of speech


def _guess_pos(word: str, prev: str, prev2: str, nxt: str) -> list[tuple[str, str, str]]:
    """(pos, base, form) readings that fit the neighbours, best first; empty when unclear."""
    wn = wordnet()
    readings = {pos: wn.lemmatize(word, pos) for pos in lexicon.POS}
    readings = {p: r for p, r in readings.items() if r}
    if not readings:
        return []
    lw = word.lower()
    prev, prev2, nxt = prev.lower(), prev2.lower(), nxt.lower()

    def pick(*order: str) -> list[tuple[str, str, str]]:
        for p in order:
            if p in readings:
                return [(p, b, f) for b, f in readings[p]]
        return []

    if len(readings) == 1:
        (p,) = readings
        if p == "v" and (prev in _DETERMINERS or (lw.endswith(("ing", "ed")) and prev in _DEGREE)):
            return []  # "the despatched note", "very trying": a participle used as an adjective
        return [(p, b, f) for b, f in readings[p]]
    if lw.endswith("ly") and "r" in readings:
        return pick("r")
    if prev in _DEGREE:
        return pick("a", "r")
    if prev == "to" or prev in _AUX or (prev in _PARTICLES and prev2 in _AUX):
        return pick("v")
    if prev in _DETERMINERS or prev in _PREPS:
        if nxt and nxt in wn.index["n"] and nxt not in _PREPS and "a" in readings:
            return []  # adjective or noun modifier: unclear
        return pick("n")
    if prev in _BE:
        if lw.endswith(("ed", "ing")) and "v" in readings:
            return []
        return pick("a")
    if prev in _SUBJECTS:
        return pick("v")
    return []


# --------------------------------------------------------------------------- candidates


def _usable_senses(lemma: str, pos: str) -> list[Any]:
    """The sense a reader most likely means: the commonest one, when it clearly is (no other sense
    has 40 % of the tagged uses); otherwise none, and the word is left alone as ambiguous."""
    wn = wordnet()
    synsets = wn.synsets(lemma, pos)
    tags = [wn.sense_info(lemma, s.offset)[1] for s in synsets]
    total = sum(tags)
    if not synsets or any(t >= 0.4 * total for t in tags[1:] if total):
        return []
    return synsets[:1]


def _fits_sense(lemma: str, synset: Any) -> bool:
    """The synset is one of the lemma's own main meanings, so the word reads naturally in it."""
    wn = wordnet()
    number, tags = wn.sense_info(lemma, synset.offset)
    if number > 2:
        return False
    if tags == 0 and len(wn.synsets(lemma, synset.pos)) > 1:
        return False  # never seen in this sense in the tagged corpus ("abatement" -> "hiatus")
    if not _main_pos(lemma, synset.pos):
        return False  # e.g. "rush" as an adjective: people read it as a noun or verb
    if number == 1:
        return True
    total = sum(wn.sense_info(lemma, s.offset)[1] for s in wn.synsets(lemma, synset.pos))
    return total > 0 and tags >= 0.4 * total


def _main_pos(lemma: str, pos: str) -> bool:
    """The part of speech is one the lemma is mostly used in (by tagged counts, else sense counts)."""
    wn = wordnet()
    mine = [wn.sense_info(lemma, s.offset)[1] for s in wn.synsets(lemma, pos)]
    others = [wn.sense_info(lemma, s.offset)[1] for p in lexicon.POS if p != pos
              for s in wn.synsets(lemma, p)]
    if sum(mine) + sum(others) > 0:
        return sum(mine) >= 0.3 * (sum(mine) + sum(others))
    return len(mine) >= 0.5 * len(others)


def _plain_lemma(lemma: str, pos: str) -> bool:
    """Not an abbreviation, hyphenated compound or phrase (verbs may be "verb + particle"):
    something a reader says every day."""
    parts = lemma.split()
    if len(parts) > 1 and not (pos == "v" and len(parts) == 2 and parts[1] in _PARTICLES):
        return False
    return "-" not in lemma and "." not in lemma and all(re.search("[aeiou]", p) for p in parts)


def _sense_lemmas(base: str, synset: Any) -> list[tuple[str, Any]]:
    """(lemma, synset it comes from) that can stand for ``base`` in this sense (adjectives: also
    the similar adjectives around it)."""
    wn = wordnet()
    pools = [synset]
    if synset.pos == "a":
        # similar adjectives only when their gloss names this word's family ("showy": "marked by
        # ostentation" for "ostentatious"); "similar to" alone drifts ("disagreeable" -> "pesky")
        stem = base[: max(5, len(base) - 4)]
        pools += [r for r in (wn.synset("a", off) for off, _ in synset.related("&")) if stem in r.gloss]
    out: list[tuple[str, Any]] = []
    seen = set()
    for pool in pools:
        for lemma in pool.lemmas:
            if lemma == base or lemma in seen or lemma in _FALSE_FRIENDS or lemma in _VULGAR:
                continue
            if not _plain_lemma(lemma, pool.pos):
                continue
            if len(base) >= 5 and lemma.startswith(base[:5]):
                continue  # a derived form of the same word, not a simpler word
            if _fits_sense(lemma, pool):
                seen.add(lemma)
                out.append((lemma, pool))
    return out


_Option = tuple[str, float, Any, str]  # (surface form, gain, synset it comes from, lemma)


@dataclass
class _Candidate:
    tok: int
    options: dict[int, list[_Option]]  # sense offset -> options, best first


def _surface(original: str, replacement: str) -> str:
    if original[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


_OptionsKey = tuple[str, str, str, str, "bool | None"]


def _rare(tok: _Tok, level: Level) -> bool:
    """Worth a look at all: long enough, not protected, rarer than the level's threshold."""
    if tok.protected or len(tok.word) < 4 or tok.word.lower() in _KEEP:
        return False
    z = zipf(tok.word.lower())
    return 0.0 < z < level.rare


_WN_POS = {"NN": "n", "VB": "v", "JJ": "a", "RB": "r"}


def _tagged_readings(word: str, tag: str, dep: str, heuristic: list[tuple[str, str, str]]
                     ) -> list[tuple[str, str, str]]:
    """Readings allowed by the parser's tag: the heuristic's when they agree; the tag's own when the
    heuristic was unsure (except participles used as adjectives and adjectives that could be them)."""
    pos = _WN_POS.get(tag[:2])
    if pos is None or tag in ("NNP", "NNPS"):
        return []
    if not wordnet().lemmatize(word, pos):
        return heuristic  # a tag the word cannot have ("detest" as a superlative adverb): the tagger erred
    if heuristic:
        return heuristic if heuristic[0][0] == pos else []
    if (tag in ("VBN", "VBG") and dep in ("amod", "acomp", "compound")) or dep == "compound":
        return []
    if pos == "a" and word.lower().endswith(("ed", "ing")):
        return []
    readings = [(pos, b, f) for b, f in wordnet().lemmatize(word, pos)]
    if pos == "v" and readings:
        want = {"VBD": "ed", "VBN": "ed", "VBG": "ing", "VBZ": "s", "VB": "", "VBP": ""}.get(tag)
        readings = [r for r in readings if r[2] == want]
    return readings


def _candidates(text: str, toks: list[_Tok], level: Level,
                tags: dict[int, tuple[str, str]] | None = None) -> list[_Candidate]:
    """Swappable words with their options. ``tags`` (character offset -> (Penn tag, dependency),
    from :mod:`syntax`) make the part of speech sure: a word whose tag disagrees is left alone."""
    lower_seen = {t.word for t in toks if t.word.islower()}
    counts: dict[str, int] = {}
    for t in toks:
        counts[t.word.lower()] = counts.get(t.word.lower(), 0) + 1
    topic = max(3, len(toks) // 5000)  # a noun used this often is a term of the text: keep it
    out: list[_Candidate] = []
    cache: dict[_OptionsKey, dict[int, list[_Option]]] = {}
    for i, tok in enumerate(toks):
        w = tok.word
        if tok.protected or len(w) < 4:
            continue
        lw = w.lower()
        if lw in _KEEP:
            continue
        if w[0].isupper() and (lw not in lower_seen or text[tok.end: tok.end + 1] in ",!?"):
            continue  # a sentence start the text never writes in lower case, or "Mamma," : a name
        z = zipf(lw)
        if z >= level.rare or z == 0.0:
            continue
        prev = toks[i - 1].word if i > 0 and _adjacent(text, toks[i - 1], tok) else ""
        prev2 = toks[i - 2].word if i > 1 and prev else ""
        nxt = toks[i + 1].word if i + 1 < len(toks) and _adjacent(text, tok, toks[i + 1]) else ""
        readings = _guess_pos(w, prev, prev2, nxt)
        tag = tags.get(tok.start) if tags is not None else None
        if tag is not None:
            readings = _tagged_readings(w, tag[0], tag[1], readings)
        elif tags is not None:
            continue  # the parser did not see this word as one token ("o'clock" pieces): unsure
        if not readings:
            continue
        pos, base, form = readings[0]
        if base in _KEEP_LEMMAS or (pos == "n" and counts.get(lw, 0) >= topic):
            continue
        if nxt and _is_noun(nxt.lower()) and (pos == "n" or (
                pos == "v" and form in ("ing", "ed") and prev.lower() not in _VERB_CONTEXT)):
            continue  # "turnkey methods", "and bounding boxes", "in inferred order": part of a term
        participle = prev.lower() in _HAVE_BE if form == "ed" else None
        if form == "ed" and tag is not None and tag[0] in ("VBD", "VBN"):
            participle = tag[0] == "VBN"
        key = (lw, pos, base, form, participle)
        if key not in cache:
            cache[key] = _options(lw, pos, base, form, participle, z, level)
        options = cache[key]
        if options:
            out.append(_Candidate(i, {off: [(_surface(w, o[0]), *o[1:]) for o in opts]
                                      for off, opts in options.items()}))
    return out


_FUNCTION_WORDS = _words(
    "who whom whose which what that this these those there here then than when where why how all both "
    "each few more most other some such only own same so too very just also not no nor or and but if "
    "because as until while will would shall should can could may might must do does did is are was "
    "were be been being have has had it its he she they we you me him her them us my your his our "
    "their one none nothing anything something everything")


@lru_cache(maxsize=50_000)
def _is_noun(word: str) -> bool:
    """The word is mostly a noun (used to spot compound modifiers: "bounding box")."""
    wn = wordnet()
    if word in _FUNCTION_WORDS or word in _PREPS or word in _DETERMINERS:
        return False
    nouns = [b for b, _ in wn.lemmatize(word, "n")]
    if not nouns:
        return False
    verbs = [b for b, _ in wn.lemmatize(word, "v")]
    return not verbs or (_main_pos(nouns[0], "n") and not _main_pos(verbs[0], "v"))


def _spelling_variant(a: str, b: str) -> bool:
    """"despatched"/"dispatched", "colour"/"color": the author's spelling, not a harder word."""
    import difflib

    return len(a) > 4 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _other_pos_form(new: str, lemma: str, pos: str, form: str) -> bool:
    """An inflected form that people mostly read as another word: "wedding" (the noun) for
    "marrying", "secures" (the verb) for a plural noun."""
    if not form:
        return False
    head = new.split()[0] if pos == "v" else new.split()[-1]
    other = "n" if pos == "v" else "v" if pos == "n" else ""
    if not other:
        return False
    wn = wordnet()
    theirs = sum(wn.sense_info(head, s.offset)[1] for s in wn.synsets(head, other))
    ours = sum(wn.sense_info(lemma, s.offset)[1] for s in wn.synsets(lemma, pos))
    return theirs > ours


def _adjacent(text: str, a: _Tok, b: _Tok) -> bool:
    """Only whitespace between the two words (no punctuation): they are neighbours in a phrase."""
    between = text[a.end: b.start]
    return not between.strip()


def _options(word: str, pos: str, base: str, form: str, participle: bool | None, z: float,
             level: Level) -> dict[int, list[_Option]]:
    syl = syllables(word)
    out: dict[int, list[_Option]] = {}
    for synset in _usable_senses(base, pos):
        options: list[_Option] = []
        for lemma, pool in _sense_lemmas(base, synset):
            new = inflect(lemma, form, pos, participle=participle, floor=level.min_zipf)
            if new is None or new == word or not all(zipf(p) >= level.min_zipf for p in new.split()):
                continue
            if _spelling_variant(word, new):
                continue
            if not new.replace(" ", "").isalpha() or _other_pos_form(new, lemma, pos, form):
                continue
            if any(part in _VULGAR or part in _FALSE_FRIENDS for part in new.split()):
                continue
            if word.endswith("ing") != new.split()[0 if pos == "v" else -1].endswith("ing"):
                continue  # "exercising" -> "workout", "uniting" -> "merger": a different kind of word
            if pos == "r" and word.endswith("ly") and not new.endswith("ly") and new not in _PLAIN_ADVERBS:
                continue  # "exceedingly" -> "super", "unluckily" -> "alas" read wrongly
            nz = zipf(new)
            new_syl = syllables(new)
            if nz < level.min_zipf or new_syl > syl:
                continue
            if nz < z + 0.3 and not (nz >= z and syl - new_syl >= 2):
                continue  # not clearly easier
            gain = (nz - z) + 0.6 * (syl - new_syl)
            if gain >= level.gain:
                options.append((new, gain, pool, lemma))
        if options:
            options.sort(key=lambda o: -o[1])
            out[synset.offset] = options[:3]
    return out


def _choose(cands: list[_Candidate]) -> dict[int, str]:
    """Each word's replacement: the easiest option of its main sense."""
    chosen: dict[int, str] = {}
    for c in cands:
        options = [o for group in c.options.values() for o in group]
        if options:
            chosen[c.tok] = max(options, key=lambda o: o[1])[0]
    return chosen


# --------------------------------------------------------------------------- sentence splitting


_SENT_END = re.compile(r"[.!?][”’\"')\]]*\s+")


def _sentences(par: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENT_END.finditer(par):
        before = WORD.findall(par[max(0, m.start() - 12): m.start() + 1])
        if par[m.start()] == "." and before and (before[-1].lower() in _ABBREV or len(before[-1]) == 1):
            continue
        nxt = par[m.end(): m.end() + 2]
        if nxt and not (nxt[0].isupper() or nxt[0] in "“\"‘'(_" or nxt[0].isdigit()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(par):
        spans.append((start, len(par)))
    return spans


_SUBORDINATORS = _words(
    "though although as when whenever while whilst if since because after before until till unless "
    "once where wherever")
_SUBJECT_AFTER_COMMA = re.compile(r",\s+(?:I|he|she|they|we|it|you|there|[A-Z][a-z]+)\s+[a-z]")
_CLAUSE_OPENERS = _words(
    "i he she they we it you there here this that these those the a an his her its their my your our "
    "no not nothing nobody none neither nor every each all some many few much more most such one "
    "another what who which how why everybody everyone everything somebody someone something "
    "anybody anyone anything perhaps indeed still yet then now thus besides otherwise")


def _clause_start(right: str, first: str) -> bool:
    """The text after a split point opens with something that can carry a subject: a pronoun,
    a determiner, a name, or a subordinate clause followed by a subject ("though ..., they had")."""
    low = first.lower()
    if low in _SUBORDINATORS:
        return bool(_SUBJECT_AFTER_COMMA.search(right))
    return low in _CLAUSE_OPENERS or first[0].isupper()


_SUBJ = r"(?=(?:I|he|she|they|we|it|you|there)\b)"
_SUBJ_STRICT = r"(?=(?:I|he|she|they|we|there)\b)"  # "it"/"you" can be objects: "like it but you"
_PHRASE = r"(?=(?:the|his|her|their|its|my|your|our|this|that|I|he|she|they|we|it|you|there)\b)"
_FINITE = (r"(?:was|were|had|has|have|is|are|would|could|should|will|shall|might|must|did|do|does"
           r"|can|cannot|said|felt|thought|knew|saw|went|came|\w+ed)\b")
_VERB_AHEAD = (r"(?=(?:was|is|were|are|had|has|would|will|could|can|might|must|made|makes|gave|gives"
               r"|seemed|seems)\b)")


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    lead: str = ""  # word that opens the new sentence ("This" for ", which was ...")
    last_clause: bool = False  # the right part must run to the sentence end without another comma
    no_list: bool = False  # not right after another comma (", A, B, and the C" is a list)


_RULES_1 = (
    _Rule(re.compile(r";(?P<sp>\s+)(?:(?P<conj>and|but|yet|so|for)\s+)?")),  # a semicolon joins sentences
    _Rule(re.compile(r":(?P<sp>\s+)" + _SUBJ)),  # "...in the room: he was lively" -> ". He was lively"
    _Rule(re.compile(r",(?P<sp>\s+)(?P<conj>and|yet|so|for)\s+" + _SUBJ)),  # ", and she was" -> ". She was"
    _Rule(re.compile(r",(?P<sp>\s+)(?P<conj>but)\s+" + _PHRASE)),  # ", but the house" -> ". But the house"
    _Rule(re.compile(r"(?<=[a-z])(?P<sp>\s+)(?P<conj>but)\s+" + _SUBJ_STRICT)),
)
_RULES_2 = (*_RULES_1,
    _Rule(re.compile(r"(?<=[a-z])(?P<sp>\s+)(?P<conj>and|but)\s+(?=(?:I|he|she|they|we)\s+" + _FINITE + ")"),
          no_list=True),  # "... and she was ..." without a comma: only before a finite verb
    _Rule(re.compile(r",(?P<sp>\s+)which\s+" + _VERB_AHEAD), lead="This", last_clause=True),
    _Rule(re.compile(r",(?P<sp>\s+)(?:though|although|whereas|while)\s+" + _SUBJ), lead="But",
          last_clause=True),
)


def _split_sentence(sent: str, level: Level) -> tuple[str, int]:
    """Split one sentence at its most central safe boundary, again and again while too long."""
    if len(WORD.findall(sent)) <= level.max_words:
        return sent, 0
    best = None
    for rule in _RULES_2 if level.aggressive else _RULES_1:
        for m in rule.pattern.finditer(sent):
            left, right = sent[: m.start()], sent[m.end():]
            nl, nr = len(WORD.findall(left)), len(WORD.findall(right))
            if nl < level.min_part or nr < level.min_part:
                continue
            if left.count("(") != left.count(")") or left.count("[") != left.count("]"):
                continue
            first = WORD.match(right)
            if first is None or first.start() != 0:
                continue  # the right part must start with a word (not a quote, number or dash)
            if rule.last_clause and re.search(r"[,;:(—]", right):
                continue
            if re.match(r"(?:and|but|or|nor|yet|so|for|then)\s*[,;(—-]", right, re.IGNORECASE):
                continue  # "; and, secondly, of my room": the right part is not a sentence
            if not _clause_start(right, first.group()):
                continue  # "; coaxed and threatened her by turns": the right part has no subject
            if rule.no_list and "," in " ".join(left.split()[-6:]):
                continue
            balance = abs(nl - nr)
            if best is None or balance < best[0]:
                best = (balance, m, rule)
    if best is None:
        return sent, 0
    _, m, rule = best
    space = m.group("sp") or " "
    conj = (m.groupdict().get("conj") or "").lower()
    right = sent[m.end():]
    if rule.lead:
        right_text = rule.lead + " " + right
    elif conj and conj != "and":
        right_text = conj[0].upper() + conj[1:] + " " + right
    else:
        right_text = _cap(right)
    left_text, n1 = _split_sentence(sent[: m.start()] + ".", level)
    right_text, n2 = _split_sentence(right_text, level)
    return left_text + space + right_text, 1 + n1 + n2


def _cap(s: str) -> str:
    return s[0].upper() + s[1:] if s and s[0].islower() else s


# “My dear,” replied her husband, “I have two small favours ...  ->  ... replied her husband. “I have ...
_TAG_THEN_QUOTE = re.compile(r"(?<=,)(?P<tag>[”\"]\s+[^“”\"\n.!?;:()]{1,60}?)[,;](?P<sp>\s+[“\"])(?=[A-Z])")


def _end_speaker_tags(par: str) -> tuple[str, int]:
    """A speaker tag between two quoted sentences ends the first one (the second starts with a capital)."""
    count = 0

    def fix(m: re.Match[str]) -> str:
        nonlocal count
        if len(WORD.findall(m.group("tag"))) > 8:
            return m.group(0)
        count += 1
        return m.group("tag") + "." + m.group("sp")

    return _TAG_THEN_QUOTE.sub(fix, par), count


def _split_long(text: str, level: Level) -> tuple[str, int]:
    parts = re.split(r"(\n\s*\n)", text)
    total = 0
    for k in range(0, len(parts), 2):
        par = parts[k]
        if len(WORD.findall(par)) <= level.max_words or _is_reference(par):
            continue
        par, n = _end_speaker_tags(par)
        total += n
        pieces = []
        for s, e in _sentences(par):
            chunk = par[s:e]
            body = chunk.rstrip()
            trail = chunk[len(body):]
            new, n = _split_sentence(body, level)
            total += n
            pieces.append(new + trail)
        parts[k] = "".join(pieces)
    return "".join(parts), total


# --------------------------------------------------------------------------- with the parser


# “If you will thank me,” he replied, “let it be for yourself alone.” -> ... he replied. “Let it be ...
_TAG_THEN_LOWER = re.compile(
    r"(?<=[,?!])(?P<tag>[”\"]\s+[^“”\"\n.!?;:()]{1,60}?)[,;](?P<sp>\s+[“\"])(?=[a-z])")


def _quote_before(par: str, end: int) -> str:
    """The quoted words that end at ``end`` (from their opening mark)."""
    start = max(par.rfind("“", 0, end), par.rfind('"', 0, end - 1))
    return par[start + 1: end] if start >= 0 else ""


def _quote_after(par: str, start: int) -> str:
    """The quoted words that start at ``start`` (to their closing mark or the paragraph end)."""
    ends = [k for k in (par.find("”", start), par.find('"', start)) if k >= 0]
    return par[start: min(ends)] if ends else par[start:]


def _sentence_spans(text: str) -> tuple[list[tuple[int, int, bool]], list[int], list[tuple[int, str, str]]]:
    """Sentences of the whole text as (start, end, splittable); the offsets of speaker-tag commas
    that become full stops ("“My dear,” replied her husband, “I have ..." -> "... husband. “I have");
    and speaker tags before a quote that goes on in lower case, with the two quotes' words (a full
    stop there only when both are full sentences: "“If they had uncles,” cried he, “it would" is not)."""
    spans: list[tuple[int, int, bool]] = []
    tag_ends: list[int] = []
    quoted: list[tuple[int, str, str]] = []
    at = 0
    for m in re.finditer(r"\n\s*\n|\Z", text):
        start, end = at, m.start()
        at = m.end()
        par = text[start:end]
        if not par.strip():
            continue
        splittable = not _is_reference(par)
        cuts = []
        if splittable:
            for t in _TAG_THEN_QUOTE.finditer(par):
                if len(WORD.findall(t.group("tag"))) <= 8:
                    cuts.append(t.end("tag") + 1)
                    tag_ends.append(start + t.end("tag"))
            for t in _TAG_THEN_LOWER.finditer(par):
                if len(WORD.findall(t.group("tag"))) <= 8:
                    cuts.append(t.end("tag") + 1)
                    quoted.append((start + t.end("tag"), _quote_before(par, t.start("tag")),
                                   _quote_after(par, t.end("sp"))))
        for s, e in _sentences(par):
            inner = [c for c in cuts if s < c < e]
            for a, b in zip([s, *inner], [*inner, e], strict=True):
                body = par[a:b].rstrip()
                if body.strip():
                    spans.append((start + a, start + a + len(body), splittable))
    return spans, tag_ends, quoted


_QUOTE_MARKS = "“”\"‘"


def _in_quote(sentence: str, at: int) -> bool:
    before = sentence[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


Ranges = list[tuple[int, int]]


def _with_parser(text: str, toks: list[_Tok], level: Level, within: Ranges | None = None
                 ) -> tuple[str, list[tuple[str, str]], int, Ranges] | None:
    """Swaps checked against the parser's parts of speech and splits at clause boundaries; ``None``
    when spaCy is not available (the caller then uses its own rules). Also returns where the sentences
    that were split now stand in the output. ``within``: look only at sentences that start there."""
    from os1.skills.documents import syntax

    if syntax.parser() is None:
        return None
    spans, tag_ends, quoted = _sentence_spans(text)
    if within is not None:
        inside = _inside(within)
        spans = [(s, e, ok and inside(s)) for s, e, ok in spans]
        tag_ends = [at for at in tag_ends if inside(at)]
        quoted = [q for q in quoted if inside(q[0])]
    rare_at = sorted(t.start for t in toks if _rare(t, level))
    long_ids, tag_ids = [], []
    k = 0
    for n, (s, e, splittable) in enumerate(spans):
        while k < len(rare_at) and rare_at[k] < s:
            k += 1
        has_rare = k < len(rare_at) and rare_at[k] < e
        if splittable and len(WORD.findall(text[s:e])) > level.max_words:
            long_ids.append(n)
        elif has_rare:
            tag_ids.append(n)
    docs: dict[int, Any] = {}
    for ids, tag_only in ((long_ids, False), (tag_ids, True)):
        for n, doc in zip(ids, syntax.parse([text[spans[n][0]: spans[n][1]] for n in ids], tag_only=tag_only),
                          strict=True):
            docs[n] = doc
    tags: dict[int, tuple[str, str]] = {}
    for n, doc in docs.items():
        base = spans[n][0]
        for t in doc:
            tags[base + t.idx] = (t.tag_, t.dep_)
    chosen = _choose(_candidates(text, toks, level, tags))
    edits: list[syntax.Edit] = [(toks[i].start, toks[i].end, new, False) for i, new in chosen.items()]
    edits += [(at, at + 1, ".", False) for at in tag_ends]
    splits = len(tag_ends)
    if quoted:
        # "“..., I assume,” said Miss Bingley; “and pray what is the result?”": "and" goes, "but" stays
        seconds = [re.sub(r"^(?:and|but)\s+", "", b.strip()) for _, _, b in quoted]
        pieces = syntax.parse([q for (_, a, _), b in zip(quoted, seconds, strict=True)
                               for q in (a.strip(), b)])
        for k, (at, first, second) in enumerate(quoted):
            ends = first.rstrip().endswith(("?", "!"))
            if (ends or syntax.is_sentence(pieces[2 * k])) and syntax.is_sentence(pieces[2 * k + 1]):
                edits.append((at, at + 1, ".", True))
                if second.lstrip().startswith("and "):
                    start_and = at + 1 + text[at + 1:].index(second.lstrip()[:4])
                    edits.append((start_and, start_and + 4, "", True))
                splits += 1
    cut_lists: dict[int, list[Any]] = {}
    second: list[tuple[int, list[tuple[int, int]]]] = []  # sentence, its ";" pieces for a second look
    for n in long_ids:
        base = spans[n][0]
        sentence = text[base: spans[n][1]]
        cuts = syntax.split_points(docs[n], max_words=level.max_words, min_part=level.min_part,
                                   aggressive=level.aggressive)
        cut_lists[n] = cuts
        for cut in cuts:
            edits += [(base + a, base + b, new, cap) for a, b, new, cap in syntax.cut_edits(sentence, cut)]
            splits += 1
        pieces = syntax.semicolon_pieces(sentence, cuts)
        if len(pieces) > 1:
            second.append((n, pieces))
    # "...; and she was ...": where the parser found no link, each side parsed on its own must be a
    # full sentence (the long sentence's parse goes wrong more often than a short one's)
    texts = [syntax.clause_text(text[spans[n][0] + a: spans[n][0] + b])
             for n, pieces in second for a, b in pieces]
    parsed = iter(syntax.parse(texts)) if texts else iter(())
    for n, pieces in second:
        base = spans[n][0]
        sentence = text[base: spans[n][1]]
        docs_here = [next(parsed) for _ in pieces]
        # a command ("be satisfied") only in speech: in narrative "; and represent to her ..." goes on
        ok = [syntax.is_sentence(d, commands=_in_quote(sentence, a)) and not syntax.aside(d)
              for d, (a, _) in zip(docs_here, pieces, strict=True)]
        for k in range(1, len(pieces)):
            if not (ok[k - 1] and ok[k]):
                continue
            if sentence[pieces[k - 1][1]] in ":-—" and syntax.reports(docs_here[k - 1]):
                continue  # "She said: he was right" is one sentence
            if min(len(WORD.findall(sentence[a:b])) for a, b in pieces[k - 1: k + 1]) < level.min_part:
                continue
            sep_at = pieces[k - 1][1]
            cut = syntax.semicolon_cut(sentence, sep_at)
            edits += [(base + a, base + b, new, cap) for a, b, new, cap in syntax.cut_edits(sentence, cut)]
            splits += 1
    if level.aggressive:
        edits, more = _comma_clauses(text, spans, long_ids, docs, cut_lists, level, edits)
        splits += more
    swaps = [(toks[i].word, chosen[i]) for i in sorted(chosen)]
    out, applied = syntax.apply_edits(text, edits), syntax.applied_edits(edits)
    split_at = [(a, b) for a, b, new, _ in applied if "." in new or "!" in new or "?" in new]
    changed = [(spans[n][0], spans[n][1]) for n in long_ids
               if any(spans[n][0] <= a < spans[n][1] for a, _ in split_at)]
    return out, swaps, splits, [(_moved(applied, a), _moved(applied, b)) for a, b in changed]


def _inside(ranges: Ranges) -> Any:
    starts = sorted(ranges)

    def test(at: int) -> bool:
        import bisect

        k = bisect.bisect_right(starts, (at, float("inf"))) - 1
        return k >= 0 and starts[k][0] <= at < starts[k][1]

    return test


def _moved(applied: list[tuple[int, int, str, bool]], at: int) -> int:
    """Where offset ``at`` of the text stands after the edits."""
    return at + sum(len(new) - (end - start) for start, end, new, _ in applied if end <= at)


def _comma_clauses(text: str, spans: list[tuple[int, int, bool]], long_ids: list[int], docs: dict[int, Any],
                   cut_lists: dict[int, list[Any]], level: Level,
                   edits: list[tuple[int, int, str, bool]]) -> tuple[list[tuple[int, int, str, bool]], int]:
    """Level 2: ", and" / ", but" between two full statements the long sentence's parse missed ("Elizabeth
    accepted their company, and the three young ladies set off together"): each side parsed alone must
    be a statement with its own subject (no command, no fragment), the left one must end in its main
    clause ("This is because he is rich, and ..." stays) and must not report speech ("She said that ...")."""
    from os1.skills.documents import syntax

    found = []
    for n in long_ids:
        base = spans[n][0]
        sentence = text[base: spans[n][1]]
        for a, comma, r, b in syntax.comma_clauses(docs[n], cut_lists[n]):
            inner = sentence[a:b].strip().strip(_QUOTE_MARKS)
            if any(q in inner for q in _QUOTE_MARKS):
                continue  # a quotation inside: its own punctuation stays
            left, right = syntax.clause_text(sentence[a:comma]), sentence[r:b].strip()
            if min(len(WORD.findall(left)), len(WORD.findall(right))) < level.min_part:
                continue
            found.append((base, sentence, comma, r, left, right))
    if not found:
        return edits, 0
    parsed = syntax.parse([t for f in found for t in (f[4], f[5])])
    count = 0
    for k, (base, sentence, comma, r, _, _) in enumerate(found):
        ldoc, rdoc = parsed[2 * k], parsed[2 * k + 1]
        if not (syntax.is_sentence(ldoc, commands=False) and syntax.is_sentence(rdoc, commands=False)):
            continue
        if not syntax.ends_main_clause(ldoc) or syntax.reports(ldoc) or syntax.aside(ldoc) or \
                syntax.aside(rdoc):
            continue
        if syntax.ends_in_list(ldoc):
            continue  # "what attractions has she beyond youth, health, and good humour, that could ..."
        if any(t.dep_ == "prep" and t.head.dep_ == "ROOT" and t.i > t.head.i and rdoc[t.i - 1].text == ","
               for t in rdoc):
            continue  # "they were surprised, and her astonishment was great, by the sight of him": whose?
        cut = syntax.Cut(comma, r, "", "comma-clause")
        edits = edits + [(base + x, base + y, new, cap) for x, y, new, cap in syntax.cut_edits(sentence, cut)]
        count += 1
    return edits, count


# --------------------------------------------------------------------------- public


def grade(text: str) -> float:
    """Flesch–Kincaid grade level (textstat 0.7.8)."""
    import textstat

    if not WORD.search(text):
        return 0.0
    return float(textstat.flesch_kincaid_grade(text))


def simplify(text: str, *, level: int = 1, measure: bool = True) -> Simplified:
    """Simplify ``text``; level 2 is the more aggressive "simpler again" (higher levels = 2).

    ``measure=False`` skips the two Flesch–Kincaid measurements (grades are then 0).
    """
    settings = LEVELS[level] if level in LEVELS else LEVELS[max(1, min(level, 2))]
    if not text.strip():
        return Simplified(text)
    toks = _tokens(text)
    _protect_speaker_tags(text, toks)
    _protect_references(text, toks)
    parsed = _with_parser(text, toks, settings)
    if parsed is not None:
        out, swaps, splits, changed = parsed
        for _ in range(2 if settings.aggressive else 0):
            if not changed:
                break
            # the new, shorter sentences parse better and open with clauses the rules can use
            # ("...; and Mr. Darcy, who had ..., said" -> "Mr. Darcy, who ..." -> "Mr. Darcy had ... He said")
            out, _, more, changed = _with_parser(out, [], settings, within=changed) or (out, [], 0, [])
            splits += more
        before = grade(text) if measure else 0.0
        after = grade(out) if measure else 0.0
        return Simplified(out, swaps, splits, before, after)
    cands = _candidates(text, toks, settings)
    chosen = _choose(cands)
    pieces: list[str] = []
    swaps: list[tuple[str, str]] = []
    at = 0
    for i in sorted(chosen):
        tok = toks[i]
        pieces.append(text[at: tok.start])
        pieces.append(chosen[i])
        swaps.append((tok.word, chosen[i]))
        at = tok.end
    pieces.append(text[at:])
    swapped = "".join(pieces)
    out, splits = _split_long(swapped, settings)
    before = grade(text) if measure else 0.0
    after = grade(out) if measure else 0.0
    return Simplified(out, swaps, splits, before, after)
