"""Facts about the user and the people in their life, with provenance and validity.

Every new memory the user wrote (``meta["role"] == "user"``) or asked OS1 to keep
(kind ``note``) goes through :func:`extract`: a fixed set of rules, no model, so
it costs a few microseconds per sentence. What OS1 says itself and its own
reflections are never mined for facts.

A rule yields a :class:`Candidate` — subject, predicate, object. The subject is
``"user"``, a person's name, or ``"@sister"`` (someone known only by their
relation, resolved against the people OS1 already knows, else stored as
``"user's sister"`` until their name turns up). :class:`FactKeeper` stores
candidates with the memory they came from and when they became true:

- single-valued predicates (:data:`SINGLE`: where the user lives, works, their
  job, a person's relation, a birthday, a name, a favourite …) *supersede* the
  current fact — "I moved to Portland" closes "I live in Los Angeles" (its
  ``valid_to`` and ``superseded_by`` are set), and a statement older than the
  current fact (ingested late) is stored as already superseded;
- multi-valued ones (likes, dislikes, pets, allergies) accumulate; liking what
  was disliked closes the dislike;
- an identical current fact is never stored twice;
- ``"I don't live in LA any more"`` / ``"Amy isn't my sister"`` close a fact
  without a successor.

:meth:`FactKeeper.correct` applies the same rules to corrections ("no, Amy is my
neighbour", "actually I work at the Times"), where even multi-valued facts are
replaced. Every person mentioned with a relation goes into the people graph
(``store.people``) and mentions of known people are counted.

Rules err on precision: names must be capitalised words that are not pronouns,
weekdays, months, nationalities, "God" and the like; questions and
hypotheticals ("if I lived in Paris", "do you think Amy likes…") yield nothing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from os1.storage.base import Memory, Store
from os1.storage.sqlite_memory import Fact

USER = "user"
MAX_CHARS = 4000  # facts come from what people say, not from long pastes; keeps the worst case small
PLACEHOLDER = "user's "  # subject prefix of someone known only by relation ("user's sister")

# -- vocabulary -------------------------------------------------------------------
_FAMILY = """
mother father parent sister brother sibling wife husband spouse partner girlfriend boyfriend fiance
fiancee fiancé fiancée son daughter child kid baby aunt auntie uncle cousin niece nephew grandmother
grandfather grandson granddaughter grandchild grandparent stepmother stepfather stepsister stepbrother
stepson stepdaughter mother-in-law father-in-law sister-in-law brother-in-law son-in-law daughter-in-law
godmother godfather goddaughter godson twin mom mum mommy mummy mama dad daddy papa grandma granny nana
grandpa granddad stepmom stepdad
"""
_SOCIAL = """
friend bestie buddy pal neighbour neighbor roommate flatmate housemate boss manager supervisor coworker
co-worker colleague assistant employee intern teammate classmate teacher professor tutor student mentor
coach therapist doctor dentist lawyer accountant landlord landlady tenant ex ex-wife ex-husband
ex-girlfriend ex-boyfriend ex-partner editor agent client babysitter nanny pastor priest
"""
_PETS = """
dog puppy cat kitten rabbit bunny hamster parrot bird horse pony turtle tortoise snake lizard goldfish
ferret guinea-pig
"""
PET_WORDS = frozenset(_PETS.split())
RELATION_WORDS = frozenset(_FAMILY.split()) | frozenset(_SOCIAL.split()) | PET_WORDS
_CANON_REL = {
    "mom": "mother", "mum": "mother", "mommy": "mother", "mummy": "mother", "mama": "mother",
    "dad": "father", "daddy": "father", "papa": "father", "grandma": "grandmother",
    "granny": "grandmother", "nana": "grandmother", "grandpa": "grandfather", "granddad": "grandfather",
    "stepmom": "stepmother", "stepdad": "stepfather", "neighbor": "neighbour", "co-worker": "coworker",
    "bestie": "best friend", "fiancé": "fiance", "fiancée": "fiancee", "guinea-pig": "guinea pig",
    "kid": "child", "buddy": "friend", "pal": "friend", "auntie": "aunt",
}
_IRREGULAR_PLURALS = {"child": "children", "wife": "wives", "puppy": "puppies", "bunny": "bunnies",
                      "baby": "babies", "nanny": "nannies", "goldfish": "goldfish",
                      "mommy": "mommies", "daddy": "daddies", "granny": "grannies"}
_PLURALS: dict[str, str] = {}
for _word in RELATION_WORDS:
    if "-in-law" in _word:
        _PLURALS[_word.replace("-in-law", "s-in-law")] = _word
    else:
        _PLURALS[_IRREGULAR_PLURALS.get(_word, _word + ("es" if _word.endswith("s") else "s"))] = _word
_MODIFIERS = ("best close good old oldest new former late dear older younger little big baby twin elder "
              "eldest youngest step half ex future current childhood work college school online")
# a relation that, if given to someone new, ends it for whoever had it before
_UNIQUE = {"mother": "", "father": "", "wife": "ex-wife", "husband": "ex-husband", "spouse": "ex-spouse",
           "boss": "former boss", "fiance": "ex-fiance", "fiancee": "ex-fiancee"}
_TITLE_NAMES = {"mom": "mother", "mum": "mother", "mommy": "mother", "mummy": "mother", "mama": "mother",
                "dad": "father", "daddy": "father", "papa": "father", "grandma": "grandmother",
                "granny": "grandmother", "nana": "grandmother", "grandpa": "grandfather"}
# "was my boss" → "former boss"
_FORMERABLE_TEXT = """
boss manager supervisor coworker colleague roommate flatmate housemate teacher professor tutor mentor
coach therapist doctor dentist lawyer accountant landlord landlady neighbour assistant employee client
classmate teammate editor agent babysitter nanny
"""
_FORMERABLE = frozenset(_FORMERABLE_TEXT.split())

_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
_MONTH_NAMES_TEXT = """
january february march april may june july august september october november december
"""
_MONTH_NAMES = _MONTH_NAMES_TEXT.split()
_NOT_NAMES = frozenset(f"""
i me you he she it we they him her us them his hers its our their my your mine yours ours theirs
myself yourself himself herself itself ourselves themselves
the a an this that these those some any every each all both no none another other such
everyone everybody someone somebody anyone anybody nobody noone people everything something nothing
and but or so then well yes yeah yep nope no ok okay oh ah hi hello hey thanks thank please sorry
also just actually maybe perhaps today tomorrow yesterday tonight now here there what who where when
why how which whose if because though although honestly basically anyway still really lol omg haha
god jesus lord christ allah buddha christmas easter halloween thanksgiving hanukkah ramadan diwali
internet
american british english french german italian spanish chinese japanese korean indian mexican canadian
australian irish scottish welsh russian dutch swedish polish greek turkish african asian european
latino latina jewish christian muslim catholic buddhist hindu atheist black white brown
mr mrs ms miss dr sir madam mister dear
mother father sister brother wife husband son daughter friend boss aunt uncle cousin grandma grandpa
mom mum dad mommy daddy mama papa baby babe honey darling love sweetie
{_WEEKDAYS} {" ".join(_MONTH_NAMES)} jan feb mar apr jun jul aug sep sept oct nov dec
life music work job career nature time art food coffee money family books book reading writing running
sleep home school exercise yoga tea wine beer travel dance dancing science history math maths cooking
baking gardening painting photography football soccer basketball baseball tennis golf chess jazz poetry
philosophy therapy health pain anxiety depression swimming hiking alcohol chocolate pizza television tv
technology silence solitude words language religion church bible prayer meditation society nobody
""".split())
_STOPWORDS_TEXT = """
a an the and or but if of to in on at by for with about from as is are was were be been being do does
did have has had not no so than too very can will would just also still really actually now then secret
private important unknown weird funny long short hard complicated
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_JOBS_TEXT = """
writer journalist editor reporter columnist critic blogger novelist poet copywriter author screenwriter
teacher professor lecturer tutor nurse doctor physician surgeon dentist pharmacist veterinarian vet
therapist psychologist psychiatrist counselor counsellor midwife paramedic caregiver lawyer attorney
paralegal judge engineer developer programmer coder designer architect scientist researcher analyst
economist mathematician physicist chemist biologist historian philosopher artist painter illustrator
animator photographer filmmaker director producer actor actress musician singer songwriter composer
dancer chef cook baker waiter waitress bartender barista accountant banker trader consultant manager
entrepreneur founder ceo cto cfo freelancer contractor translator interpreter librarian archivist
curator clerk cashier secretary receptionist salesman saleswoman salesperson realtor carpenter
electrician plumber mechanic technician pilot driver firefighter officer soldier sailor farmer gardener
cleaner janitor housekeeper courier tailor hairdresser barber stylist coach trainer student intern
retiree nanny babysitter priest pastor rabbi imam minister pharmacist social-worker programmer
webdesigner youtuber streamer podcaster
"""
_JOBS = _JOBS_TEXT.split()
_NO_ARTICLE_JOBS = ("retired", "unemployed", "self-employed", "between jobs", "a stay-at-home parent")
_BAD_JOB_MODIFIERS_TEXT = """
bit little good bad terrible great awful lousy failed wannabe huge big fan kind sort type lot of the to
and or very really pretty total complete such better worse
"""
_BAD_JOB_MODIFIERS = frozenset(_BAD_JOB_MODIFIERS_TEXT.split())
_FIELDS_TEXT = """
marketing sales finance tech technology publishing journalism media advertising education healthcare
medicine law insurance banking retail hospitality construction engineering software film television tv
music fashion government politics research academia science design consulting accounting logistics
manufacturing nonprofits customer-service operations security hr
"""
_FIELDS = _FIELDS_TEXT.split()

# -- text normalisation -----------------------------------------------------------
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_CONTRACTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b([Ii])'m\b"), r"\1 am"),
    (re.compile(r"\b([Ii])'ve\b"), r"\1 have"),
    (re.compile(r"\b([Ii])'d\b"), r"\1 would"),
    (re.compile(r"\b([Ii])'ll\b"), r"\1 will"),
    (re.compile(r"\b([Ii])m(?= (?:a|an|from|into|allergic|based|living|working|called|not|originally|"
                r"no|now|still|also|currently|retired|unemployed|self-employed)\b)"), r"\1 am"),
    (re.compile(r"\b(can't|cant|can not)\b", re.I), "cannot"),
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"\b(do|does|did|is|are|was|were|have|has|had|would|could|should)n'?t\b", re.I), r"\1 not"),
    (re.compile(r"\b(we|you|they)'re\b", re.I), r"\1 are"),
    (re.compile(r"\b(we|you|they)'ve\b", re.I), r"\1 have"),
]
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+|;\s*|\s+[-–—]+\s+")
_ABBREVIATION_END = re.compile(r"\b(?:St|Mt|Ft|Dr|Mr|Mrs|Ms|Jr|Sr|vs|etc|e\.g|i\.e)\.$")
_QUESTION_START = re.compile(
    r"^(?:do|does|did|is|are|was|were|can|could|would|should|will|have|has|who|what|where|when|why|"
    r"how|which|whose)\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|whether|wish|wished|hope|hoping|suppose|supposing|imagine|pretend|dream|dreamt|"
    r"dreamed|would|wonder|wondering|maybe|perhaps|might|want to|wanted to|planning|plan to|going to|"
    r"gonna|about to|said|says|thinks|think|thought|believes|believe|guess|pretending|not sure|"
    r"should|could|used to|when i was)\b", re.I)
_CORRECTION_PREFIX = re.compile(
    r"^(?:no|nope|nah|wrong|not quite|not really|actually|in fact|sorry|oops|correction|to be clear|"
    r"let me correct (?:that|you|myself)|that is (?:wrong|not right|not true|incorrect|not correct)|"
    r"that's (?:wrong|not right|not true|incorrect|not correct)|you are wrong|you're wrong|"
    r"you got (?:that|it) wrong|i meant|i mean|what i meant was|to correct (?:that|you))\b[\s,.:;!-]*",
    re.I)
_ALSO = re.compile(r"\b(?:also|too|as well)\b", re.I)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("-", "[- ]?")
                    for w in sorted(set(words), key=len, reverse=True))


def normalise(text: str) -> str:
    """Straight quotes, single spaces and expanded contractions ("I'm" → "I am")."""
    text = text.translate(_QUOTES)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def sentences(text: str) -> list[str]:
    parts: list[str] = []
    for piece in _SENTENCE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if parts and _ABBREVIATION_END.search(parts[-1]):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


# -- patterns ---------------------------------------------------------------------
_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_TOK = rf"[{_UP}](?:'[{_UP}])?[^\W\d_]+"
NAME = rf"{_TOK}(?:[ ]{_TOK})?"
_LOWER_NAME = r"[^\W\d_]{2,}(?:[ ][A-Z][^\W\d_]+)?"
REL = rf"(?:(?:{_alt(_MODIFIERS.split())})[ -])?(?:{_alt(RELATION_WORDS)})(?![\w-])"
REL_PL = rf"(?:(?:{_alt(_MODIFIERS.split())})[ -])?(?:{_alt(_PLURALS)})(?![\w-])"
_PTOK = r"[A-Z][\w'.&-]*"
_CONNECT = r"(?:of|de|del|da|la|le|upon|on|am|an|der|sur|and|&|for)"
PLACE = rf"(?:(?i:the)\s+)?{_PTOK}(?:\s+(?:{_CONNECT}\s+)?{_PTOK}){{0,3}}" \
        rf"(?:,\s+{_PTOK}(?:\s+{_PTOK})?(?=\s*(?:[.!;]|$)))?"
_OTOK = r"[A-Z0-9][\w'.&-]*"
_ORG_PROPER = rf"(?:(?i:the)\s+)?{_OTOK}(?:\s+(?:{_CONNECT}\s+)?{_OTOK}){{0,4}}"
_END = (r"(?=\s*(?:[,.;:!?()\"]|$)|\s+(?:and\s+(?:i|my|he|she|they|we|it|you)|but|because|cause|so|since|"
        r"when|whenever|while|though|although|if|which|who|as|than|lol|haha|these\s+days|nowadays|"
        r"anymore|any\s+more|too|a\s+lot|very\s+much|more\s+than|now|right\s+now|lately|"
        r"though|at\s+the\s+moment|every)\b)")
_ORG = rf"(?:{_ORG_PROPER}|(?i:an?|the)\s+(?:[a-z][\w'-]*\s+){{0,2}}?[a-z][\w'-]*{_END})"
_OBJ = rf"(?P<obj>[^,.;:!?()\"]+?){_END}"
_ADV = (r"(?:really|absolutely|just|also|totally|truly|still|do|does|kind\s+of|kinda|sort\s+of|genuinely|"
        r"honestly|seriously|deeply|secretly|actually|always|so|now|quite|particularly|especially|"
        r"currently|recently|finally|already|even|both|definitely)")
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])")
_ORD = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[89]|20)\d\d"
DATE = (rf"(?i:(?:the\s+)?{_ORD}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?|{_MON}\s+(?:the\s+)?{_ORD}"
        rf"(?:,?\s+{_YEAR})?|{_MON}(?:\s+{_YEAR})?|\d{{1,2}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?)")
_I = r"\b[Ii]"
_SUBJ3 = rf"(?:(?i:my|our)\s+(?P<rel>(?i:{REL}))(?:,?\s+(?P<name2>{NAME}),?)?|(?P<name>{NAME}))"
_POSS = rf"(?:(?P<my>\b(?i:my|our))\s+(?:(?P<rel>(?i:{REL}))'s\s+)?|\b(?P<name>{NAME})'s\s+)"


def _p(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# -- candidates -------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """One fact a rule found: ``subject`` is "user", a Name, or "@relation" (to resolve)."""

    subject: str
    predicate: str
    object: str
    confidence: float = 0.8
    retract: bool = False  # close the matching current fact instead of asserting one
    naming: bool = False  # "my sister is called Amy": the relation itself got a name


@dataclass
class _Found:
    facts: list[Candidate] = field(default_factory=list)

    def add(self, subject: str | None, predicate: str, obj: str | None, confidence: float = 0.8,
            retract: bool = False, naming: bool = False) -> None:
        if subject and (obj or retract):
            self.facts.append(Candidate(subject, predicate, obj or "", confidence, retract, naming))


def canon_relation(rel: str) -> str:
    """"little sister" → "little sister", "Mom" → "mother", "neighbor" → "neighbour", "sisters" → "sister"."""
    words = re.sub(r"\s+", " ", rel.strip().lower()).replace("ex ", "ex-").split(" ")
    last = words[-1]
    last = _PLURALS.get(last, last)
    words[-1] = _CANON_REL.get(last, last)
    words = [w for w in words if w not in ("new", "current")]
    joined = " ".join(words)
    return _CANON_REL.get(joined, joined)


def _base_relation(rel: str) -> str:
    return rel.split(" ")[-1].removeprefix("ex-")


def clean_name(raw: str | None, strong: bool = False) -> str | None:
    """A person's name from a match, or None when it is not one ("Monday", "God", "I", "English")."""
    if not raw:
        return None
    tokens = raw.split()
    while tokens and tokens[-1].lower() in _NOT_NAMES:
        tokens.pop()
    if not tokens or (tokens[0].lower() in _NOT_NAMES and not (
            strong and tokens[0].lower() in _MONTH_NAMES)):
        return None
    for token in tokens:
        low = token.lower()
        if not any(c.islower() for c in token) and not strong:
            return None  # SHOUTING, acronyms
        if low in RELATION_WORDS or low in _STOPWORDS or len(token) < 2:
            return None
    return " ".join(t[:1].upper() + t[1:] for t in tokens)


def _subject(name: str | None = None, rel: str | None = None) -> str | None:
    if rel:
        return "@" + canon_relation(rel)
    if name and name.split()[0].lower() in _TITLE_NAMES:
        return "@" + _TITLE_NAMES[name.split()[0].lower()]
    return clean_name(name)


_DENY_OBJECT = re.compile(
    r"^(?:it|that|this|these|those|you|your|yours|him|her|them|me|us|myself|yourself|when|how|what|where|"
    r"why|who|whom|whoever|whatever|the\s+way|the\s+fact|the\s+idea|being|a\s+lot|lots|everything|"
    r"nothing|something|anything|everyone|someone|nobody|everybody|somebody|anyone|so|too|very|really|"
    r"there|here|to\s+(?:think|say|believe|imagine|know|be|see|hear|tell|ask)|a\s+bit|the\s+most|most|"
    r"all|both|either|neither|some|any|none|more|less|one|ones|such|each|talking\s+to\s+you|"
    r"having\s+you|it's|its|his|their|our|he|she|they|we|i|not|no)\b", re.I)
_TRAILING = re.compile(r"\s+(?:so|very|really|a\s+lot|too|now|anymore|any\s+more|though|actually|"
                       r"the\s+most|a\s+little|lately|these\s+days|nowadays|as\s+well|also)$", re.I)


def _object(raw: str | None, max_words: int = 6) -> str | None:
    if not raw:
        return None
    text = raw.strip().strip("\"'").strip()
    previous = None
    while previous != text:
        previous, text = text, _TRAILING.sub("", text).strip()
    if not text or _DENY_OBJECT.match(text) or len(text.split()) > max_words:
        return None
    return text


def _place(raw: str | None) -> str | None:
    if not raw:
        return None
    tokens = raw.replace(",", " ,").split()
    while tokens and (tokens[-1].lower().strip(".") in _NOT_NAMES or tokens[-1] == ","):
        tokens.pop()
    if not tokens or tokens[0].lower() in _NOT_NAMES - {"the"} or (
            tokens[0].lower() == "the" and len(tokens) == 1):
        return None
    place = " ".join(tokens).replace(" ,", ",")
    if place.endswith(".") and place.count(".") == 1 and not re.search(r"\b(?:St|Mt|Ft)\.$", place):
        place = place[:-1]
    return place or None


_DENY_ORG = frozenset({
    "home", "night", "nights", "weekends", "the weekend", "the weekends", "the moment", "a time", "the time",
    "the same time", "a living", "the end", "the same place", "night shift", "it", "this", "that", "all"})


def _org(raw: str | None) -> str | None:
    if not raw:
        return None
    org = raw.strip().rstrip(".")
    tokens = org.split()
    while tokens and tokens[-1].lower() in _NOT_NAMES - {"the"}:
        tokens.pop()
    org = " ".join(tokens)
    if not org or org.lower() in _DENY_ORG or org.lower() in _NOT_NAMES:
        return None
    return org


def _job(raw: str | None) -> str | None:
    if not raw:
        return None
    words = raw.lower().split()
    if any(w in _BAD_JOB_MODIFIERS for w in words[:-1]) or len(words) > 3:
        return None
    return " ".join(words).replace("social-worker", "social worker")


_MONTH_INDEX = {m[:3]: m.capitalize() for m in _MONTH_NAMES}


def normalise_date(raw: str) -> str:
    """"the 3rd of May" → "May 3"; "june" → "June"; "May 3rd, 1990" → "May 3, 1990"; 5/3 stays."""
    low = raw.lower().strip()
    month = next((w[:3] for w in re.findall(r"[a-z]+", low) if w[:3] in _MONTH_INDEX and w != "the"), None)
    if month is None:
        return raw.strip()
    name = _MONTH_INDEX[month]
    year = re.search(rf"\b{_YEAR}\b", low)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", re.sub(rf"\b{_YEAR}\b", "", low))
    out = name + (f" {int(day.group(1))}" if day else "")
    if year:
        out += (", " if day else " ") + year.group(0)
    return out


# -- the rules --------------------------------------------------------------------
Handler = Callable[[re.Match[str], _Found, Memory | None], None]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    handle: Handler
    in_questions: bool = False  # "can you remind my sister Amy…" still names Amy


def _relation(m: re.Match[str], found: _Found, memory: Memory | None, strong: bool = False,
              naming: bool = False, was: bool = False) -> None:
    name = clean_name(m.group("name"), strong=strong)
    rel = canon_relation(m.group("rel"))
    if name is None:
        return
    if was:
        if rel in _FORMERABLE:
            rel = f"former {rel}"
        elif _base_relation(rel) in ("wife", "husband", "girlfriend", "boyfriend", "partner", "fiance",
                                     "fiancee", "spouse"):
            return  # "was my wife": divorced or widowed, too ambiguous
    found.add(name, "relation", rel, 0.9 if strong else 0.85, naming=naming)


def _r_my_rel_name(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    _relation(m, found, memory)


def _r_my_rel_named(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    _relation(m, found, memory, strong=True, naming=True)


def _r_my_rel_is_name(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    _relation(m, found, memory, naming=True)


def _r_name_is_my_rel(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    _relation(m, found, memory, was=m.group("verb").strip().lower() == "was")


def _r_name_not_my_rel(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    name = clean_name(m.group("name"))
    if name:
        found.add(name, "relation", canon_relation(m.group("rel")), 0.85, retract=True)
        if m.group("rel2"):
            found.add(name, "relation", canon_relation(m.group("rel2")), 0.9)


def _r_name_a_rel(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    rel = canon_relation(m.group("rel"))
    social = _base_relation(rel) in ("friend", "neighbour", "colleague", "coworker", "classmate",
                                     "teammate", "roommate", "flatmate", "housemate", "cousin")
    if m.group("mine") or social:
        _relation(m, found, memory)


def _r_plural(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    rel = canon_relation(m.group("rel"))
    for raw in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("names")):
        name = clean_name(raw)
        if name:
            found.add(name, "relation", rel, 0.8)


def _r_user_name(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    strong = m.groupdict().get("lname") is not None
    name = clean_name(m.group("lname") if strong else m.group("name"), strong=strong)
    if name:
        found.add(USER, "name", name, 0.9)


def _r_poss_name(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    """"my name is X" / "my sister's name is X" / "Amy's … ": the name of the possessor."""
    name = clean_name(m.group("value"), strong=True)
    if name is None:
        return
    if m.group("rel"):
        found.add(name, "relation", canon_relation(m.group("rel")), 0.9, naming=True)
    elif m.group("my"):
        found.add(USER, "name", name, 0.9)


def _possessor(m: re.Match[str]) -> str | None:
    if m.group("rel"):
        return _subject(rel=m.group("rel"))
    if m.group("my"):
        return USER
    return _subject(m.group("name"))


def _who(m: re.Match[str]) -> str | None:
    """The subject of a rule built on ``_SUBJ3``: the user, a name, or "@relation"."""
    groups = m.groupdict()
    if groups.get("i"):
        return USER
    if groups.get("name2"):
        return _subject(groups["name2"])
    return _subject(groups.get("name"), groups.get("rel"))


def _r_birthday(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    what = m.group("what").lower()
    predicate = "anniversary" if "anniversary" in what else "birthday"
    subject = _possessor(m)
    if predicate == "anniversary" and subject != USER:
        return
    found.add(subject, predicate, normalise_date(m.group("date")), 0.9)


def _r_birthday_today(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    when = datetime.fromtimestamp(memory.occurred_at if memory and memory.occurred_at else time.time())
    found.add(USER, "birthday", f"{when:%B} {when.day}", 0.8)


def _r_born(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    subject = _who(m)
    if m.group("date"):
        date = normalise_date(m.group("date"))
        day = re.sub(rf",? {_YEAR}$", "", date)
        if day:
            found.add(subject, "birthday", day, 0.9)
        if year := re.search(rf"{_YEAR}$", date):
            found.add(subject, "birth_year", year.group(0), 0.9)
    elif m.group("year"):
        found.add(subject, "birth_year", m.group("year"), 0.9)
    elif m.group("place"):
        found.add(subject, "born_in", _place(m.group("place")), 0.85)


def _r_favourite(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    what = re.sub(r"\s+", "_", m.group("what").lower().strip())
    found.add(_possessor(m), f"favourite_{what}", _object(m.group("obj")), 0.85)


def _r_favourite_reverse(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    obj = _object(m.group("value"))
    if obj and obj.split()[0].lower() not in _NOT_NAMES:
        what = re.sub(r"\s+", "_", m.group("what").lower())
        found.add(USER, f"favourite_{what}", obj, 0.8)


_LIKE_VERBS = {
    "love": "likes", "like": "likes", "adore": "likes", "enjoy": "likes", "am into": "likes",
    "am obsessed with": "likes", "am a fan of": "likes", "am a big fan of": "likes",
    "am a huge fan of": "likes", "hate": "dislikes", "dislike": "dislikes", "detest": "dislikes",
    "despise": "dislikes", "loathe": "dislikes", "cannot stand": "dislikes", "cannot bear": "dislikes",
    "do not like": "dislikes", "do not enjoy": "dislikes", "do not love": "dislikes",
    "am not a fan of": "dislikes", "am not into": "dislikes", "am not a big fan of": "dislikes",
    "am allergic to": "allergic_to",
}
_THIRD_TO_FIRST = {"loves": "love", "likes": "like", "adores": "adore", "enjoys": "enjoy",
                   "is into": "am into",
                   "is obsessed with": "am obsessed with", "is a fan of": "am a fan of",
                   "is a big fan of": "am a big fan of", "is a huge fan of": "am a huge fan of",
                   "hates": "hate", "dislikes": "dislike", "detests": "detest", "despises": "despise",
                   "loathes": "loathe", "cannot stand": "cannot stand", "does not like": "do not like",
                   "does not enjoy": "do not enjoy", "is not a fan of": "am not a fan of",
                   "is allergic to": "am allergic to", "is not into": "am not into"}


def _r_likes(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    verb = re.sub(r"\s+", " ", m.group("verb").lower())
    subject = _who(m)
    if subject != USER:
        verb = _THIRD_TO_FIRST.get(verb, verb)
    predicate = _LIKE_VERBS.get(verb)
    obj = _object(m.group("obj"))
    if obj and re.match(rf"(?:my|our)\s+(?:{REL})", obj, re.I):
        return  # "I love my wife": a relation, not a taste
    if predicate and obj and not (obj.lower().startswith("to ") and predicate == "dislikes"):
        found.add(subject, predicate, obj, 0.75)


def _r_pet(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    found.add(USER, "has_pet", " ".join(m.group("pet").lower().split()), 0.8)


def _r_job(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    subject = _who(m)
    job = _job(m.group("job"))
    if job is None:
        return
    found.add(subject, "job", job, 0.85)
    if m.groupdict().get("org"):
        found.add(subject, "works_at", _org(m.group("org")), 0.85)


def _r_no_article_job(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    found.add(USER, "job", m.group("job").lower(), 0.8)


def _r_work_at(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    subject = _who(m)
    found.add(subject, "works_at", _org(m.group("org")), 0.85)


def _r_work_in(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    subject = _who(m)
    value = m.group("field")
    field_ = value.lower() if value.lower() in _FIELDS else _place(value)
    found.add(subject, "works_in", field_, 0.8)


def _r_live(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    verb = m.group("verb").lower()
    if verb == "lived" and not m.group("aux"):
        return  # "I lived in Paris": the past
    subject = _who(m)
    found.add(subject, "lives_in", _place(m.group("place")), 0.85)


def _r_from(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    subject = _who(m)
    found.add(subject, "from", _place(m.group("place")), 0.8)


def _r_grew_up(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    found.add(USER, "grew_up_in", _place(m.group("place")), 0.8)


def _r_stopped(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    what = m.group("what").lower()
    predicate = "lives_in" if what.startswith("live") else "works_at"
    found.add(USER, predicate, _place(m.group("obj")) if predicate == "lives_in" else _org(m.group("obj")),
              0.8, retract=True)


def _r_quit(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    found.add(USER, "works_at", _org(m.group("org")) if m.group("org") else None, 0.8, retract=True)
    found.add(USER, "job", None, 0.7, retract=True)


def _r_not_job(m: re.Match[str], found: _Found, memory: Memory | None) -> None:
    found.add(USER, "job", _job(m.group("job")), 0.8, retract=True)


_PET_ALT = _alt([*PET_WORDS, *(k for k, v in _PLURALS.items() if v in PET_WORDS)])
_JOB = rf"(?P<job>(?:[\w-]+\s+){{0,2}}?(?i:{_alt(_JOBS)}))(?![\w'-])"
_I_AUX = rf"{_I}(?P<aux>\s+(?i:am|have|have\s+been|had\s+been))?(?:\s+(?i:{_ADV}))*"
_LIVE_VERBS = (r"live|living|lived|moved|relocated|based|settled|moving\s+back|staying|been\s+living|"
               r"just\s+moved|been\s+based")
RULES: list[Rule] = [
    # relations
    Rule(_p(rf"\b(?i:my|our)\s+(?P<rel>(?i:{REL}))(?:,\s*|\s+)(?P<name>{NAME})(?![\w'-]|'s\s+(?i:name))"),
         _r_my_rel_name, in_questions=True),
    Rule(_p(rf"\b(?:my|our)\s+(?P<rel>{REL})(?:'s\s+name\s+is|\s+is\s+(?:called|named)|,?\s+(?:named|"
            rf"called)|,?\s+whose\s+name\s+is)\s+(?P<name>{_LOWER_NAME})", re.I), _r_my_rel_named,
         in_questions=True),
    Rule(_p(rf"\b(?i:my|our)\s+(?P<rel>(?i:{REL}))\s+(?i:is)\s+(?P<name>{NAME})(?=\s*(?:[,.!;]|$))"),
         _r_my_rel_is_name),
    Rule(_p(rf"\b(?P<name>{NAME})(?P<verb>\s+(?i:is|was)|'s)\s+(?:(?i:also|actually|now|still|really)\s+)?"
            rf"(?i:my|our)\s+(?P<rel>(?i:{REL}))"), _r_name_is_my_rel),
    Rule(_p(rf"(?<=\w\s)(?P<name>{NAME}),\s+(?i:my|our)\s+(?P<rel>(?i:{REL}))(?=\s*(?:[,.!;]|$))"),
         _r_my_rel_name, in_questions=True),
    Rule(_p(rf"\b(?P<name>{NAME})\s+(?i:is\s+not|is\s+no\s+longer)\s+(?i:my|our)\s+(?P<rel>(?i:{REL}))"
            rf"(?:\s+(?i:anymore|any\s+more))?(?:,?\s+(?i:but\s+)?(?i:she|he|they)(?:\s+(?i:is|are)|'s)\s+"
            rf"(?i:my|our)\s+(?P<rel2>(?i:{REL})))?"), _r_name_not_my_rel),
    Rule(_p(rf"\b(?P<name>{NAME})\s+(?i:is)\s+(?:(?i:a|an|one)\s+)(?:(?i:of\s+my)\s+)?"
            rf"(?P<rel>(?i:{REL}|{REL_PL}))(?P<mine>\s+(?i:of\s+mine))?"), _r_name_a_rel),
    Rule(_p(rf"{_I}\s+(?i:have|have\s+got|got)\s+(?i:an?|one)\s+(?P<rel>(?i:{REL}))(?:,\s*|\s+(?i:named|"
            rf"called)\s+)(?P<name>{NAME})"), _r_my_rel_name, in_questions=True),
    Rule(_p(rf"{_I}\s+(?i:have|have\s+got|got)\s+[^.!?;]{{0,80}}?\b(?i:and)\s+(?i:an?|one)\s+(?P<rel>(?i:{REL}))\s+"
            rf"(?i:named|called)\s+(?P<name>{NAME})"), _r_my_rel_name),
    Rule(_p(rf"\b(?i:my|our)\s+(?P<rel>(?i:{REL_PL})),?\s+(?P<names>{NAME}(?:(?:,\s*(?i:and\s+)?|\s+(?i:and)"
            rf"\s+){NAME})+)"), _r_plural, in_questions=True),
    # the user's name
    Rule(_p(rf"\b(?:my\s+name\s+is|my\s+name's)\s+(?P<lname>{_LOWER_NAME})", re.I), _r_user_name),
    Rule(_p(rf"\b(?i:call\s+me|i\s+am\s+called|i\s+go\s+by|people\s+call\s+me|everyone\s+calls\s+me)\s+"
            rf"(?P<name>{NAME})(?=\s*(?:[,.!;]|$))"), _r_user_name),
    Rule(_p(rf"^(?i:hi|hello|hey)(?:\s+(?i:there|again))?[,!.]?\s+(?i:i\s+am|this\s+is|it\s+is)\s+"
            rf"(?P<name>{NAME})(?=\s*(?:[,.!;]|$))"), _r_user_name),
    Rule(_p(rf"{_POSS}(?i:name\s+is|name's)\s+(?P<value>{_LOWER_NAME})"), _r_poss_name),
    # dates
    Rule(_p(rf"{_POSS}(?P<what>(?i:birthday|bday|b-day|wedding\s+anniversary|anniversary))(?:'s|\s+(?i:is|"
            rf"falls))(?:\s+(?i:on|in))?\s+(?P<date>{DATE})"), _r_birthday),
    Rule(_p(r"\b(?:(?:it|today)(?:'s|\s+is)\s+my\s+birthday|my\s+birthday\s+is\s+today)\b", re.I),
         _r_birthday_today),
    Rule(_p(rf"(?:(?P<i>{_I}\s+(?i:was))|{_SUBJ3}\s+(?i:was))\s+(?i:born)\s+(?i:on|in)\s+(?:(?P<date>{DATE})|"
            rf"(?P<year>{_YEAR})(?!\d)|(?P<place>{PLACE}))"), _r_born),
    # favourites
    Rule(_p(rf"{_POSS}(?:(?i:all[- ]time)\s+)?(?i:favou?rite)\s+(?P<what>[a-z]+(?:\s+[a-z]+){{0,2}}?)\s+"
            rf"(?i:is|are|'s|has\s+always\s+been|would\s+be)\s+{_OBJ}"), _r_favourite),
    Rule(_p(rf"^(?P<value>{_ORG_PROPER})\s+(?i:is|are)\s+(?i:my)\s+(?:(?i:all[- ]time)\s+)?(?i:favou?rite)\s+"
            rf"(?P<what>[a-z]+)(?=\s*(?:[,.!;]|$))"), _r_favourite_reverse),
    # likes and dislikes
    Rule(_p(rf"(?P<i>{_I})(?:\s+(?i:{_ADV}))*\s+(?P<verb>(?i:{_alt(_LIKE_VERBS)}))\s+{_OBJ}"), _r_likes),
    Rule(_p(rf"{_SUBJ3}(?:\s+(?i:{_ADV}))*\s+(?P<verb>(?i:{_alt(_THIRD_TO_FIRST)}))\s+{_OBJ}"), _r_likes),
    # pets without a name
    Rule(_p(rf"{_I}\s+(?:(?i:also|still|now)\s+)?(?i:have|have\s+got|own|got)\s+(?P<pet>(?i:an?|one|two|three|"
            rf"four|five|\d+)\s+(?:(?i:[a-z]+)\s+)?(?i:{_PET_ALT}))(?![\w-])"
            rf"(?!\s*,?\s*(?i:named|called)|\s*,\s*[A-Z])"), _r_pet),
    # work
    Rule(_p(rf"(?:(?P<i>{_I}\s+(?i:am|work\s+as|am\s+working\s+as))|{_SUBJ3}\s+(?i:is|works\s+as|is\s+working\s+as))"
            rf"\s+(?:(?i:currently|now|actually|also|still|just)\s+)?(?i:an?)\s+{_JOB}"
            rf"(?:\s+(?i:at|for|with)\s+(?P<org>{_ORG}))?"), _r_job),
    Rule(_p(rf"{_I}\s+(?i:am)\s+(?:(?i:now|currently)\s+)?(?P<job>(?i:retired|unemployed|self-employed|"
            rf"between\s+jobs))\b"), _r_no_article_job),
    Rule(_p(rf"(?:(?P<i>{_I_AUX}\s+(?i:work|working|started\s+working|got\s+a\s+(?:new\s+)?job|started\s+a\s+"
            rf"(?:new\s+)?job|have\s+a\s+(?:new\s+)?job|employed|just\s+started|started))|{_SUBJ3}"
            rf"(?:\s+(?i:{_ADV}))*\s+(?i:works|is\s+working|has\s+a\s+job|got\s+a\s+job))\s+(?i:at|for|by)\s+"
            rf"(?P<org>{_ORG})"), _r_work_at),
    Rule(_p(rf"(?:(?P<i>{_I_AUX}\s+(?i:work|working))|{_SUBJ3}(?:\s+(?i:{_ADV}))*\s+(?i:works|is\s+working))"
            rf"\s+(?i:in)\s+(?P<field>(?i:{_alt(_FIELDS)})(?![\w-])|{PLACE})"), _r_work_in),
    # home
    Rule(_p(rf"(?:(?P<i>\b(?:[Ii]|[Ww]e)(?P<aux>\s+(?i:am|are|have|have\s+been|had))?)|{_SUBJ3}"
            rf"(?P<aux3>\s+(?i:is|has|has\s+been))?)(?:\s+(?i:{_ADV}))*\s+(?P<verb>(?i:{_LIVE_VERBS}|lives|"
            rf"moves))\s+(?:(?i:here|back|over|out|down|up|away)\s+)?(?:(?i:from)\s+{PLACE}\s+)?(?i:in|to)\s+"
            rf"(?P<place>{PLACE})"), _r_live),
    Rule(_p(rf"(?:(?P<i>{_I}\s+(?i:am|come))|{_SUBJ3}\s+(?i:is|comes))\s+(?:(?i:originally)\s+)?(?i:from)\s+"
            rf"(?P<place>{PLACE})"), _r_from),
    Rule(_p(rf"{_I}\s+(?i:grew\s+up)\s+(?i:in)\s+(?P<place>{PLACE})"), _r_grew_up),
    # endings
    Rule(_p(rf"{_I}\s+(?i:do\s+not|no\s+longer)\s+(?P<what>(?i:live\s+in|work\s+(?:at|for)))\s+"
            rf"(?P<obj>{PLACE}|{_ORG})"), _r_stopped),
    Rule(_p(rf"{_I}(?:\s+(?i:just|finally|have))?\s+(?i:quit|left|lost)\s+(?i:my\s+job)(?:\s+(?i:at)\s+"
            rf"(?P<org>{_ORG}))?"), _r_quit),
    Rule(_p(rf"{_I}\s+(?i:am\s+no\s+longer|am\s+not)\s+(?i:an?)\s+{_JOB}(?:\s+(?i:anymore|any\s+more))?"),
         _r_not_job),
]


def extract(text: str, memory: Memory | None = None, correction: bool = False) -> list[Candidate]:
    """Every fact the rules find in ``text`` (pure: no storage)."""
    found = _Found()
    for sentence in sentences(normalise(text[:MAX_CHARS])):
        question = sentence.endswith("?") or bool(_QUESTION_START.match(sentence))
        for rule in RULES:
            if question and not rule.in_questions:
                continue
            for match in rule.pattern.finditer(sentence):
                if not correction and not rule.in_questions and _HYPOTHETICAL.search(
                        sentence, 0, match.start()):
                    continue
                rule.handle(match, found, memory)
    unique: dict[tuple[str, str, str, bool], Candidate] = {}
    for candidate in found.facts:
        key = (candidate.subject.lower(), candidate.predicate, candidate.object.lower(), candidate.retract)
        unique.setdefault(key, candidate)
    return list(unique.values())


# -- English ----------------------------------------------------------------------
SINGLE = frozenset({"name", "job", "works_at", "works_in", "lives_in", "from", "grew_up_in", "born_in",
                    "birth_year", "birthday", "anniversary", "relation"})
_OPPOSITE = {"likes": "dislikes", "dislikes": "likes"}
_PRIORITY = {"name": 0, "job": 1, "works_at": 2, "works_in": 3, "lives_in": 4, "from": 5, "relation": 6,
             "birthday": 7, "anniversary": 8, "grew_up_in": 9, "born_in": 10, "birth_year": 11,
             "has_pet": 12, "allergic_to": 13, "likes": 20, "dislikes": 21}


def is_single(predicate: str) -> bool:
    return predicate in SINGLE or predicate.startswith("favourite_")


def _article(noun: str) -> str:
    if noun in _NO_ARTICLE_JOBS:
        return noun
    return ("an " if noun[:1].lower() in "aeiou" and not noun.lower().startswith(("uni", "eu", "one"))
            else "a ") + noun


def _when(date: str) -> str:
    month_only = not re.search(r"\d", date) or re.fullmatch(r"[A-Z][a-z]+ \d{4}", date)
    return f"in {date}" if month_only else f"on {date}"


def render(subject: str, predicate: str, obj: str, you: bool = False) -> str:
    """One fact as a sentence: about "the user" (for the persona prompt) or, with ``you``, to the user."""
    user = subject == USER
    if user:
        who, whose, third = ("You", "Your", False) if you else ("The user", "The user's", True)
    elif subject.startswith(PLACEHOLDER):
        who = ("Your " if you else "The user's ") + subject[len(PLACEHOLDER):]
        whose, third = who + "'s", True
    else:
        who, whose, third = subject, subject + "'s", True
    mine = "your" if you else ("their" if user else "the user's")
    obj = re.sub(r"\b[Mm]y\b", mine, obj)
    obj = re.sub(r"\b[Oo]ur\b", mine, obj)

    def verb(base: str) -> str:
        if not third:
            return base
        irregular = {"be": "is", "have": "has", "were": "was"}
        return irregular.get(base, base + ("es" if base.endswith("o") else "s"))

    be = "is" if third else "are"
    was = "was" if third else "were"
    if predicate == "relation":
        users = "your" if you else "the user's"
        text = f"{who} is {users} {obj}."
    elif predicate == "name":
        text = f"{whose} name is {obj}."
    elif predicate == "job":
        text = f"{who} {be} {_article(obj)}."
    elif predicate in ("works_at", "works_in", "lives_in"):
        base = {"works_at": "work at", "works_in": "work in", "lives_in": "live in"}[predicate].split()
        text = f"{who} {verb(base[0])} {base[1]} {obj}."
    elif predicate == "from":
        text = f"{who} {be} from {obj}."
    elif predicate == "grew_up_in":
        text = f"{who} grew up in {obj}."
    elif predicate in ("born_in", "birth_year"):
        text = f"{who} {was} born in {obj}."
    elif predicate in ("birthday", "anniversary"):
        text = f"{whose} {predicate} is {_when(obj)}."
    elif predicate == "likes":
        text = f"{who} {verb('like')} {obj}."
    elif predicate == "dislikes":
        text = f"{who} {'does' if third else 'do'}n't like {obj}."
    elif predicate == "allergic_to":
        text = f"{who} {be} allergic to {obj}."
    elif predicate == "has_pet":
        text = f"{who} {verb('have')} {obj}."
    elif predicate.startswith("favourite_"):
        text = f"{whose} favourite {predicate.removeprefix('favourite_').replace('_', ' ')} is {obj}."
    else:
        text = f"{who} {predicate.replace('_', ' ')} {obj}."
    return text[:1].upper() + text[1:]


def _key(value: str) -> str:
    value = re.sub(r"^(?:the|a|an)\s+", "", value.strip().lower())
    return re.sub(r"[^\w]+", " ", value).strip()


def should_observe(memory: Memory) -> bool:
    """Only what the user said or asked to keep: never OS1's own words or reflections."""
    if memory.kind == "reflection" or memory.meta.get("role") == "assistant":
        return False
    return memory.meta.get("role") == "user" or memory.kind == "note"


@dataclass
class Change:
    """What one :meth:`FactKeeper.observe` or :meth:`FactKeeper.correct` call did."""

    added: list[Fact] = field(default_factory=list)
    closed: list[Fact] = field(default_factory=list)  # superseded or ended, as they were before
    people_before: dict[str, str | None] = field(default_factory=dict)  # name → relation (None: new)
    understood: bool = False
    asserted: bool = False  # something was stated (not only "I don't … any more")


class FactKeeper:
    """Keeps ``store.facts`` and ``store.people`` in step with what the user tells OS1."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.last = Change()

    # -- reading ------------------------------------------------------------
    def resolve(self, relation: str) -> str:
        """The known person with this relation ("sister" → "Amy"), or the placeholder "user's sister"."""
        rel = canon_relation(relation)
        names = {f.subject for f in self.store.facts.current(predicate="relation")
                 if canon_relation(f.object) == rel}
        if len(names) == 1:
            return names.pop()
        return PLACEHOLDER + rel

    def summary(self, limit: int = 12) -> list[str]:
        """Current facts as short sentences, the user first, then people by how often they come up."""
        facts = self.store.facts.current()
        mentions = {p.name.lower(): p.mentions for p in self.store.people.list()}

        def order(fact: Fact) -> tuple[int, int, int, float]:
            if fact.subject == USER:
                group = 0
            elif fact.subject.startswith(PLACEHOLDER):
                group = 2
            else:
                group = 1
            return (group, -mentions.get(fact.subject.lower(), 0) if group == 1 else 0,
                    _PRIORITY.get(fact.predicate, 15), -fact.valid_from)

        lines: list[str] = []
        for fact in sorted(facts, key=order):
            if fact.text not in lines:
                lines.append(fact.text)
            if len(lines) >= limit:
                break
        return lines

    # -- writing ------------------------------------------------------------
    def observe(self, memory: Memory) -> list[Fact]:
        """Extract and store the facts in a new memory; returns the facts added."""
        if not should_observe(memory) or not memory.text.strip():
            self.last = Change()
            return []
        return self._apply(extract(memory.text, memory), memory, correction=False).added

    def correct(self, text: str, memory: Memory | None = None) -> list[Fact] | None:
        """Apply a correction ("no, Amy is my neighbour"); None when it says nothing recognisable.

        What it states replaces the current fact even for multi-valued predicates (unless it
        says "also"); naming a relation ("my sister is called Amy") takes it from whoever had it.
        """
        body = text.strip()
        previous = None
        while previous != body:
            previous, body = body, _CORRECTION_PREFIX.sub("", body).strip()
        candidates = extract(body, memory, correction=True)
        if not candidates:
            self.last = Change()
            return None
        change = self._apply(candidates, memory, correction=True, also=bool(_ALSO.search(body)))
        return change.added

    def _apply(self, candidates: list[Candidate], memory: Memory | None, correction: bool,
               also: bool = False) -> Change:
        change = Change(understood=bool(candidates), asserted=any(not c.retract for c in candidates))
        self.last = change
        at = memory.occurred_at if memory and memory.occurred_at else time.time()
        memory_id = memory.id if memory else None
        seen: dict[str, str | None] = {}  # people mentioned → relation to record (None: keep)
        relations = sorted(candidates, key=lambda c: c.predicate != "relation")
        for cand in relations:
            subject = cand.subject
            if subject.startswith("@"):
                subject = self.resolve(subject[1:])
            if cand.retract:
                self._retract(subject, cand, at, change)
                continue
            fact = self._assert(subject, cand, memory_id, at, change, correction, also)
            if cand.predicate == "relation" and fact is not None:
                current = self.store.facts.current(subject, "relation")
                if current and current[-1].id == fact.id:
                    seen[subject] = cand.object
                    self._claim_relation(subject, cand, fact, memory_id, at, change, correction)
                    self._adopt(PLACEHOLDER + canon_relation(cand.object), subject, change)
                else:
                    seen.setdefault(subject, None)
            elif not subject.startswith(PLACEHOLDER) and subject != USER:
                seen.setdefault(subject, None)
        if memory is not None:
            for name in self._mentioned(memory.text):
                seen.setdefault(name, None)
        for name, relation in seen.items():
            self._remember_person(name, relation, at, change)
        return change

    def _assert(self, subject: str, cand: Candidate, memory_id: int | None, at: float, change: Change,
                correction: bool, also: bool) -> Fact | None:
        facts = self.store.facts
        current = facts.current(subject, cand.predicate)
        key = _key(cand.object)
        same = [f for f in current if _key(f.object) == key]
        if same:
            return same[0]
        replace = is_single(cand.predicate) or (correction and not also)
        to_close = list(current) if replace else []
        if cand.predicate in _OPPOSITE:
            opposite = facts.current(subject, _OPPOSITE[cand.predicate])
            to_close += [f for f in opposite if _key(f.object) == key]
        new = facts.add(subject, cand.predicate, cand.object, render(subject, cand.predicate, cand.object),
                        memory_id, 0.95 if correction else cand.confidence, valid_from=at)
        change.added.append(new)
        newer = [f for f in to_close if f.valid_from > at]
        if newer and not correction:  # told long ago, learned late: it was already superseded
            latest = max(newer, key=lambda f: f.valid_from)
            facts.supersede(new.id, latest.id, latest.valid_from)
            to_close = [f for f in to_close if f.valid_from <= at]
        for old in to_close:
            facts.supersede(old.id, new.id, at)
            change.closed.append(old)
        return new

    def _retract(self, subject: str, cand: Candidate, at: float, change: Change) -> None:
        key = _key(cand.object) if cand.object else None
        for old in self.store.facts.current(subject, cand.predicate):
            if key is None or _key(old.object) == key:
                self.store.facts.supersede(old.id, None, at)
                change.closed.append(old)
                if cand.predicate == "relation":
                    self._note_person(subject, change)
                    self.store.people.upsert(subject, relation="", seen_at=at)

    def _claim_relation(self, subject: str, cand: Candidate, fact: Fact, memory_id: int | None, at: float,
                        change: Change, correction: bool) -> None:
        """A unique relation (mother, wife, boss…) given to someone new ends it for the one before;
        so does a correction that names the relation ("no, my sister is called Amy")."""
        rel = canon_relation(cand.object)
        unique = rel in _UNIQUE
        if not unique and not (correction and cand.naming):
            return
        for old in self.store.facts.current(predicate="relation"):
            if (old.id == fact.id or old.subject.lower() == subject.lower()
                    or canon_relation(old.object) != rel):
                continue
            self.store.facts.supersede(old.id, fact.id, at)
            change.closed.append(old)
            self._note_person(old.subject, change)
            successor = "" if correction else _UNIQUE.get(rel, "")
            if successor:
                self._assert(old.subject, Candidate(old.subject, "relation", successor), memory_id, at,
                             change, False, False)
            remaining = self.store.facts.current(old.subject)
            if correction and not remaining:
                self.store.people.delete(old.subject)
            else:
                self.store.people.upsert(old.subject, relation=successor, seen_at=at)

    def _adopt(self, placeholder: str, name: str, change: Change) -> None:
        """Facts about "user's sister" become facts about Amy once her name is known."""
        for old in self.store.facts.current(placeholder):
            cand = Candidate(name, old.predicate, old.object, old.confidence)
            self._assert(name, cand, old.memory_id, old.valid_from, change, False, False)
            self.store.facts.delete(old.id)

    def _mentioned(self, text: str) -> list[str]:
        """Known people named in the text (their mention count goes up)."""
        words = set(re.findall(rf"[{_UP}][^\W\d_]+", text))
        if not words:
            return []
        return [p.name for p in self.store.people.list() if set(p.name.split()) <= words]

    def _note_person(self, name: str, change: Change) -> None:
        if name not in change.people_before:
            person = self.store.people.get(name)
            change.people_before[name] = person.relation if person else None

    def _remember_person(self, name: str, relation: str | None, at: float, change: Change) -> None:
        self._note_person(name, change)
        self.store.people.upsert(name, relation=relation, seen_at=at)
