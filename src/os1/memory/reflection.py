"""Reflection: "the past is just a story we tell ourselves".

As in Generative Agents, the importance of every new memory (episodes and notes,
never reflections) is added to a counter; when it crosses :data:`DEFAULT_THRESHOLD`
the reflector looks back over the memories since its last reflection and writes
one to three insights about them. The counter and the point reached are kept in
the profile repository (``reflection_state``), so they survive restarts and are
shared by every process that opens the same store.

Insights are written by rules, without a language model, and every one is
grounded: it names only people, topics and feelings that occur in the memories
it cites, and says how often. Examples::

    Theodore has talked about Amy 6 times lately, mostly with warmth.
    Work has come up 5 times lately, mostly with stress.
    Theodore seems happiest when talking about music.

Each insight is stored as a ``reflection`` memory that cites its sources
(``memory_sources``), so forgetting any cited memory removes the reflection too.
Each is also logged in the growth journal, together with one first-person line
about what the OS is learning ("I'm learning that Theodore tends to bring up
work late at night."). A capable brain (one with ``supports_tools``) may be asked
to phrase an insight more naturally; its sentence is kept only if it passes the
same grounding check, and any failure falls back to the rule-based sentence.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from os1.brain.base import Brain, Message, TextDelta
from os1.persona.profile import Profile
from os1.storage.base import Memory, Store

log = logging.getLogger(__name__)

# About 0.5 importance per exchange (user message + reply, see ``memory.importance``):
# 15 means a reflection every ~30 ordinary exchanges (20 when they matter more, 40 for small talk).
DEFAULT_THRESHOLD = 15.0
STATE_KEY = "reflection_state"
OBSERVED_KINDS = ("episode", "note")
MIN_MEMORIES = 5  # what the user said, in the window, before anything is worth saying
MIN_SUPPORT = 3  # memories a person or topic must recur in
MAX_INSIGHTS = 3
REFLECTION_IMPORTANCE = 0.7
BRAIN_TIMEOUT_S = 20.0
PAGE = 100

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_SENTENCE_START = re.compile(r"(^|[.!?:;\"“(\n]\s*)$")
_NEGATIONS = frozenset({"not", "never", "no", "don't", "didn't", "isn't", "wasn't", "aren't", "doesn't",
                        "dont", "didnt", "isnt", "wasnt", "hardly", "without", "won't", "can't"})

EMOTIONS: dict[str, tuple[str, ...]] = {
    "warmth": ("love", "loved", "loves", "loving", "adore", "adored", "sweet", "tender", "grateful",
               "thankful", "cherish", "fond", "hug", "hugged", "caring", "kind", "lovely"),
    "joy": ("happy", "happier", "happiest", "glad", "joy", "excited", "exciting", "fun", "laugh",
            "laughed", "laughing", "wonderful", "amazing", "delighted", "thrilled", "enjoy", "enjoyed",
            "enjoying", "smile", "smiled", "beautiful", "awesome", "fantastic"),
    "stress": ("stress", "stressed", "stressful", "anxious", "anxiety", "worried", "worry", "worrying",
               "nervous", "overwhelmed", "pressure", "deadline", "deadlines", "exhausted", "tired",
               "panic", "afraid", "scared", "fear", "burnout", "swamped"),
    "sadness": ("sad", "sadness", "lonely", "loneliness", "cry", "cried", "crying", "depressed",
                "heartbroken", "miss", "missed", "missing", "grief", "grieving", "hurt", "hurts",
                "empty", "alone", "sorrow", "down"),
    "anger": ("angry", "annoyed", "annoying", "frustrated", "frustrating", "furious", "hate", "hated",
              "upset", "irritated", "mad", "argued", "argue", "fight", "fought"),
}
_EMOTION_OF = {word: emotion for emotion, words in EMOTIONS.items() for word in words}
_EMOTION_NOUN = {"warmth": "warmth", "joy": "joy", "stress": "stress", "sadness": "sadness",
                 "anger": "frustration"}
_EMOTION_ADJ = {"warmth": "affectionate", "joy": "happy", "stress": "stressed", "sadness": "sad",
                "anger": "frustrated"}

RELATIONS: dict[str, str] = {
    "mom": "mother", "mum": "mother", "mother": "mother", "dad": "father", "father": "father",
    "sister": "sister", "brother": "brother", "wife": "wife", "husband": "husband",
    "son": "son", "daughter": "daughter",
    "boss": "boss", "girlfriend": "girlfriend", "boyfriend": "boyfriend", "partner": "partner",
    "grandma": "grandmother", "grandmother": "grandmother", "grandpa": "grandfather",
    "grandfather": "grandfather", "kids": "kids", "children": "kids",
}

_STOPWORDS = """
a an the and or but if of to in on at by for with about from as is are was were be been being
do does did done doing have has had having i you he she it we they me him her us them my your his its
our their this that these those what which who whom whose when where why how there here not no so
than too very can could would should will just also any some all mine yours into onto over under
again then now once only own same other such both each few more most much many out off up down
get got gets getting let lets make made makes making go goes going gone went come came comes take
took say said says tell told telling talk talked talking see saw seen look looked looking know knew
known think thought thinking feel felt feeling feelings want wanted wants need needed like liked
really actually pretty little lot lots bit thing things stuff something anything everything nothing
someone anyone everyone people way day days time times today tonight yesterday tomorrow morning
night evening afternoon week weeks month year years ago still even back right sure maybe probably
perhaps yes yeah yep okay ok sorry please thank thanks hello hey hi bye well good great nice bad
better best worse kind sort mean means meant guess remember remind forget one two three first last
next new old long always never sometimes often usually every around though although because while
until since before after during without within also else ever quite rather enough almost already
keep kept give gave put use used try tried trying wait call called ask asked answer help helped
able lately recently gonna wanna kinda lol haha hmm um uh oh ah wow cool
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_NOT_NAMES = frozenset({
    "I", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "God", "Christmas", "Okay", "The", "And", "But", "Mrs", "Mr", "Dr", "Internet", "English",
})


@dataclass
class ReflectionState:
    """What the reflector has seen, persisted under ``reflection_state``."""

    pending: float = 0.0  # importance accumulated since the last reflection
    seen_id: int = 0  # highest memory id already counted
    last_id: int = 0  # highest memory id already reflected on
    reflections: int = 0  # how many reflections were written
    last_at: float | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ReflectionState:
        data = data or {}
        return cls(pending=float(data.get("pending", 0.0)), seen_id=int(data.get("seen_id", 0)),
                   last_id=int(data.get("last_id", 0)), reflections=int(data.get("reflections", 0)),
                   last_at=data.get("last_at"))

    def to_dict(self) -> dict[str, Any]:
        return {"pending": round(self.pending, 4), "seen_id": self.seen_id, "last_id": self.last_id,
                "reflections": self.reflections, "last_at": self.last_at}


@dataclass
class Insight:
    """One grounded observation, before it is stored."""

    text: str
    cites: list[int]
    subject: str  # the person, relation or topic; the emotion for a mood insight
    kind: str  # person | relation | topic | emotion | mood
    emotion: str | None
    journal: str  # the OS's first-person line about it
    support: int = 0
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Said:
    """One memory prepared for analysis."""

    memory: Memory
    by_user: bool
    words: list[str]  # lower-case tokens
    emotion: str | None


@dataclass
class _Subject:
    key: str
    label: str  # how a sentence names it ("Amy", "Theodore's mother", "work")
    kind: str  # person | relation | topic
    ids: list[int] = field(default_factory=list)


# -- analysis (pure) --------------------------------------------------------
def _stem(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def emotion_of(text: str, tagged: str | None = None) -> str | None:
    """The dominant emotion of ``text`` (warmth, joy, stress, sadness, anger), ignoring negated words."""
    if tagged:
        tag = tagged.lower()
        if tag in EMOTIONS:
            return tag
        if tag in _EMOTION_OF:
            return _EMOTION_OF[tag]
    words = [w.lower() for w in _WORD.findall(text)]
    counts: Counter[str] = Counter()
    for i, word in enumerate(words):
        emotion = _EMOTION_OF.get(word)
        if emotion and not any(w in _NEGATIONS or w.endswith("n't") for w in words[max(0, i - 3):i]):
            counts[emotion] += 1
    if not counts:
        return None
    best = max(counts.values())
    return next(e for e in EMOTIONS if counts.get(e) == best)  # ties: the order of EMOTIONS


def _capitalised_names(text: str) -> list[str]:
    """Capitalised words that are not at the start of a sentence: probably names."""
    return [m.group(0) for m in _NAME.finditer(text)
            if not _SENTENCE_START.search(text[:m.start()])]


def _time_of_day(timestamp: float) -> str:
    hour = time.localtime(timestamp).tm_hour
    if hour >= 22 or hour < 5:
        return "late at night"
    if hour < 12:
        return "in the morning"
    if hour < 18:
        return "in the afternoon"
    return "in the evening"


def _by_user(memory: Memory, user_name: str) -> bool:
    role = memory.meta.get("role") if isinstance(memory.meta, dict) else None
    if role == "user":
        return True
    if memory.kind == "note" and memory.source == "user":
        return True
    return bool(user_name) and memory.speaker.lower() == user_name.lower()


def _from_os(memory: Memory, os_name: str) -> bool:
    role = memory.meta.get("role") if isinstance(memory.meta, dict) else None
    if role == "assistant" or memory.source == "reflection":
        return True
    return bool(os_name) and memory.speaker.lower() == os_name.lower()


def _subjects(said: list[_Said], user_name: str, os_name: str, known_people: Iterable[str]
              ) -> list[_Subject]:
    own = {n.lower() for n in (user_name, os_name) if n} | {"os1"}
    lower_counts: Counter[str] = Counter()
    capital_counts: Counter[str] = Counter()
    for item in said:
        lower_counts.update(w for w in _WORD.findall(item.memory.text) if w.islower())
        capital_counts.update(_capitalised_names(item.memory.text))
    names = {n for n, c in capital_counts.items()
             if n not in _NOT_NAMES and n.lower() not in own and n.lower() not in STOPWORDS
             and n.lower() not in _EMOTION_OF and lower_counts[n.lower()] < c}
    people = {p for p in known_people if p and p.lower() not in own}
    subjects: dict[str, _Subject] = {}
    for item in said:
        text = item.memory.text
        found: dict[str, tuple[str, str]] = {}
        for name in names:
            if re.search(rf"\b{re.escape(name)}\b", text):
                found[f"person:{name.lower()}"] = (name, "person")
        for name in people:  # typed in lower case too, unless the name is also a word ("Will")
            flags = 0 if name.lower() in STOPWORDS else re.I
            if re.search(rf"\b{re.escape(name)}\b", text, flags):
                found[f"person:{name.lower()}"] = (name, "person")
        stems: dict[str, str] = {}
        for word in item.words:
            stem = _stem(word)
            if word in RELATIONS or stem in RELATIONS:
                if item.by_user:  # "my mom" is the user's mother only when the user said it
                    relation = RELATIONS.get(word) or RELATIONS[stem]
                    owner = f"{user_name}'s" if user_name else "their"
                    found[f"relation:{relation}"] = (f"{owner} {relation}", "relation")
                continue
            if (len(stem) < 3 or "'" in stem or word in STOPWORDS or stem in STOPWORDS
                    or word in _EMOTION_OF or stem in _EMOTION_OF or stem in own):
                continue
            stems.setdefault(stem, word)
        names_lower = {key.split(":", 1)[1] for key in found}
        for stem, word in stems.items():
            if stem not in names_lower and word not in names_lower:
                found.setdefault(f"topic:{stem}", (word, "topic"))
        for key, (label, kind) in found.items():
            subject = subjects.setdefault(key, _Subject(key, label, kind))
            subject.ids.append(item.memory.id)
    # a topic is named by its most frequent surface form
    surfaces: dict[str, Counter[str]] = {}
    for item in said:
        for word in item.words:
            surfaces.setdefault(_stem(word), Counter())[word.removesuffix("'s")] += 1
    for subject in subjects.values():
        if subject.kind == "topic":
            stem = subject.key.split(":", 1)[1]
            subject.label = surfaces.get(stem, Counter({subject.label: 1})).most_common(1)[0][0]
    return list(subjects.values())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _journal_line(emotion: str, label: str, user: str) -> str:
    """The OS's first-person line about a feeling tied to a person or topic."""
    return {
        "joy": f"I'm learning that talking about {label} seems to make {user} happy.",
        "warmth": f"I'm learning how much warmth {user} has for {label}.",
        "stress": f"I'm learning that {label} weighs on {user}.",
        "sadness": f"I'm learning to be gentle when {label} comes up with {user}.",
        "anger": f"I'm learning that {label} can frustrate {user}.",
    }[emotion]


def _pattern_time(memories: list[Memory]) -> str | None:
    """A time of day at least three quarters of these memories share, if there is one."""
    if len(memories) < MIN_SUPPORT:
        return None
    when, count = Counter(_time_of_day(m.occurred_at) for m in memories).most_common(1)[0]
    return when if count / len(memories) >= 0.75 else None


def find_insights(memories: list[Memory], user_name: str = "", os_name: str = "",
                  known_people: Iterable[str] = (), max_insights: int = MAX_INSIGHTS) -> list[Insight]:
    """Grounded insights about ``memories``, strongest first (none when there is too little)."""
    user = user_name or "the user"
    said = [_Said(m, _by_user(m, user_name), [w.lower() for w in _WORD.findall(m.text)],
                  emotion_of(m.text, m.emotion))
            for m in memories if m.kind in OBSERVED_KINDS and not _from_os(m, os_name)]
    if len(said) < MIN_MEMORIES:
        return []
    by_id = {s.memory.id: s for s in said}
    subjects = [s for s in _subjects(said, user_name, os_name, known_people) if len(s.ids) >= MIN_SUPPORT]

    candidates: list[Insight] = []
    for subject in subjects:
        items = [by_id[i] for i in subject.ids]
        n = len(items)
        feelings = Counter(s.emotion for s in items if s.emotion)
        emotion, felt = feelings.most_common(1)[0] if feelings else (None, 0)
        if felt < 2 or felt * 2 < n:
            emotion = None
        mood = f", mostly with {_EMOTION_NOUN[emotion]}" if emotion else ""
        all_user = all(s.by_user for s in items)
        if subject.kind == "person" and all_user and user_name:
            text = f"{user} has talked about {subject.label} {n} times lately{mood}."
        else:
            text = f"{_capital(subject.label)} has come up {n} times lately{mood}."
        when = _pattern_time([s.memory for s in items])
        subject_phrase = subject.label
        if not all_user:  # partly what others said (imports, other speakers): nothing about the user
            journal = (f"I'm noticing that {subject_phrase} tends to come up {when}." if when
                       else f"I'm noticing that {subject_phrase} comes up a lot.")
        elif when:
            journal = f"I'm learning that {user} tends to bring up {subject_phrase} {when}."
        elif emotion:
            journal = _journal_line(emotion, subject_phrase, user)
        else:
            journal = f"I'm learning that {subject_phrase} is on {user}'s mind a lot lately."
        rank = n + (1 if subject.kind != "topic" else 0)
        candidates.append(Insight(text, sorted(subject.ids), subject.label, subject.kind, emotion,
                                  journal, rank, {"time_of_day": when} if when else {}))

    # an emotion tied to one subject more than to the others ("happiest when talking about music"),
    # read only from what the user said: feelings in an email are not the user's
    feeling_insights: list[Insight] = []
    for emotion in EMOTIONS:
        best: tuple[float, int, _Subject] | None = None
        for subject in subjects:
            own_ids = [i for i in subject.ids if by_id[i].by_user]
            felt_ids = [i for i in own_ids if by_id[i].emotion == emotion]
            share = len(felt_ids) / max(1, len(own_ids))
            if len(felt_ids) >= 2 and share >= 0.5 and (best is None or (share, len(felt_ids)) > best[:2]):
                best = (share, len(felt_ids), subject)
        if best is None:
            continue
        _, count, subject = best
        label = subject.label
        cites = sorted(i for i in subject.ids if by_id[i].by_user and by_id[i].emotion == emotion)
        text = {
            "joy": f"{user} seems happiest when talking about {label}.",
            "warmth": f"{user} speaks about {label} with warmth.",
            "stress": f"{_capital(label)} seems to be a source of stress for {user}.",
            "sadness": f"{user} often sounds sad when {label} comes up.",
            "anger": f"{_capital(label)} seems to frustrate {user}.",
        }[emotion]
        journal = _journal_line(emotion, label, user)
        feeling_insights.append(Insight(text, cites, label, "emotion", emotion, journal, count,
                                        {"about": subject.key}))

    # the overall mood of what was said, when one feeling dominates
    own = [s for s in said if s.by_user]
    total = len(own)
    moods = Counter(s.emotion for s in own if s.emotion)
    for emotion, count in moods.most_common(1):
        if total >= MIN_MEMORIES and count >= MIN_SUPPORT and count / total >= 0.4:
            cites = sorted(s.memory.id for s in own if s.emotion == emotion)
            adjective = _EMOTION_ADJ[emotion]
            owner = f"{user}'s" if user_name else "their"
            feeling_insights.append(Insight(
                f"{count} of {owner} last {total} messages sounded {adjective}.", cites, emotion, "mood",
                emotion, f"I'm learning to notice when {user} feels {adjective}.", count))

    candidates.sort(key=lambda i: (-i.support, i.kind != "person", i.subject))
    feeling_insights.sort(key=lambda i: (-i.support, i.kind))
    chosen: list[Insight] = []

    def redundant(insight: Insight) -> bool:
        for other in chosen:
            if insight.emotion and other.emotion == insight.emotion and (
                    other.subject == insight.subject or insight.kind == "mood"):
                return True
            mine, theirs = set(insight.cites), set(other.cites)
            if len(mine & theirs) / len(mine | theirs) >= 0.8 and insight.kind == other.kind:
                return True
        return False

    order = ([i for i in candidates if i.kind in ("person", "relation")][:1]
             + [i for i in candidates if i.kind == "topic"][:1] + feeling_insights[:2] + candidates)
    for insight in order:
        if len(chosen) >= max_insights:
            break
        if insight not in chosen and not redundant(insight):
            chosen.append(insight)
    for insight in chosen:
        insight.text = _capital(insight.text)
    return chosen


def grounded(sentence: str, insight: Insight, cited: list[Memory], user_name: str) -> bool:
    """Whether a brain's phrasing of ``insight`` stays within what the cited memories say."""
    text = " ".join(sentence.split())
    if not text or len(text) > 240 or "\n" in sentence.strip():
        return False
    low = text.lower()
    if insight.kind != "mood" and insight.subject.split()[-1].lower() not in low:
        return False
    allowed = " ".join([m.text for m in cited] + [insight.text, user_name]).lower()
    for name in _capitalised_names(text):
        if name not in _NOT_NAMES and name.lower() not in allowed:
            return False  # a person or place the memories never mention
    numbers = re.findall(r"\d+", text)
    return all(n in insight.text or n in allowed for n in numbers)


# -- the reflector ----------------------------------------------------------
class Reflector:
    """Accumulates importance and writes reflections; see the module docstring."""

    def __init__(self, store: Store, brain: Brain | None = None, threshold: float = DEFAULT_THRESHOLD,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.brain = brain
        self.threshold = threshold
        self.clock = clock

    # -- state ------------------------------------------------------------
    def state(self) -> ReflectionState:
        return ReflectionState.from_dict(self.store.profile.get(STATE_KEY))

    def _save(self, state: ReflectionState) -> None:
        self.store.profile.set(STATE_KEY, state.to_dict())

    # -- observing --------------------------------------------------------
    def observe(self, memory: Memory) -> list[Memory]:
        """Count a new memory's importance; reflect (and reset) past the threshold."""
        if memory.kind not in OBSERVED_KINDS:
            return []
        state = self.state()
        if memory.id <= state.seen_id:  # a duplicate, or already part of a reflection
            return []
        state.seen_id = memory.id
        state.pending += max(0.0, float(memory.importance))
        if state.pending < self.threshold:
            self._save(state)
            return []
        state.pending = 0.0
        self._save(state)
        return self.reflect()

    # -- reflecting -------------------------------------------------------
    def _window(self, after_id: int, limit: int) -> tuple[list[Memory], int]:
        """The newest ``limit`` episodes and notes after ``after_id``, oldest first, and the max id."""
        found: list[Memory] = []
        newest = after_id
        offset = 0
        while len(found) < limit:
            page = self.store.memories.list(limit=PAGE, offset=offset)
            if not page:
                break
            offset += len(page)
            for memory in page:
                if memory.id <= after_id:
                    break
                newest = max(newest, memory.id)
                if memory.kind in OBSERVED_KINDS and len(found) < limit:
                    found.append(memory)
            else:
                continue
            break
        return sorted(found, key=lambda m: m.id), newest

    def reflect(self, limit: int = 60) -> list[Memory]:
        """Reflect now on the memories since the last reflection; returns the reflections written."""
        state = self.state()
        window, newest = self._window(state.last_id, limit)
        profile = Profile.load(self.store.profile)
        try:
            known = [p.name for p in self.store.people.list()]
        except Exception:  # the people graph is optional
            known = []
        insights = find_insights(window, profile.user_name, profile.os_name, known)
        if not insights:
            return []
        existing = {frozenset(m.meta.get("cites", ())) for m in self.store.memories.list("reflection", 50)}
        by_id = {m.id: m for m in window}
        written: list[tuple[Memory, Insight]] = []
        for insight in insights:
            if frozenset(insight.cites) in existing:
                continue  # already reflected on exactly these memories (another process, a rerun)
            text, phrased_by = insight.text, None
            if self.brain is not None and self.brain.supports_tools:
                phrased = self._phrase(insight, [by_id[i] for i in insight.cites], profile)
                if phrased:
                    text, phrased_by = phrased, self.brain.name
            meta: dict[str, Any] = {"cites": insight.cites, "subject": insight.subject,
                                    "about": insight.kind, "emotion": insight.emotion, **insight.meta}
            if phrased_by:
                meta["phrased_by"] = phrased_by
                meta["rule_text"] = insight.text
            memory = self.store.memories.add(text, kind="reflection", source="reflection",
                                             importance=REFLECTION_IMPORTANCE, meta=meta)
            self.store.memories.cite(memory.id, insight.cites)
            self.store.growth.add("reflection", text, {"memory_id": memory.id, "cites": insight.cites})
            written.append((memory, insight))
        if written:
            first_memory, first = written[0]
            self.store.growth.add("journal", first.journal,
                                  {"memory_id": first_memory.id, "cites": first.cites,
                                   "reflections": [m.id for m, _ in written]})
        state = self.state()  # observe() may have changed it meanwhile in another process
        state.last_id = max(state.last_id, newest)
        state.seen_id = max(state.seen_id, newest)
        state.reflections += 1 if written else 0
        state.last_at = self.clock() if written else state.last_at
        self._save(state)
        return [m for m, _ in written]

    def _phrase(self, insight: Insight, cited: list[Memory], profile: Profile) -> str | None:
        """Ask the brain for a more natural sentence; None unless it is grounded."""
        assert self.brain is not None
        quotes = "\n".join(f"- {m.text[:300]}" for m in cited[:12])
        messages = [
            Message("system", "You rewrite one observation about a person as one short, warm sentence. "
                              "Use only what the notes say. Do not add names, places, numbers or "
                              "events. Reply with the sentence only."),
            Message("user", f"Notes:\n{quotes}\n\nObservation: {insight.text}"),
        ]
        brain = self.brain

        async def collect() -> str:
            parts = []
            async for delta in brain.stream(messages, None):
                if isinstance(delta, TextDelta):
                    parts.append(delta.text)
            return "".join(parts)

        pool = ThreadPoolExecutor(max_workers=1)
        try:
            sentence = pool.submit(asyncio.run, collect()).result(timeout=BRAIN_TIMEOUT_S).strip()
        except Exception as exc:  # the rules never need the brain
            log.info("reflection phrasing fell back to rules: %s", exc)
            return None
        finally:
            pool.shutdown(wait=False)
        sentence = sentence.strip().strip('"').strip()
        return sentence if grounded(sentence, insight, cited, profile.user_name) else None

    # -- reading ----------------------------------------------------------
    def reflections(self, limit: int = 20) -> list[tuple[Memory, list[Memory]]]:
        """Stored reflections, newest first, each with the memories it cites."""
        out = []
        for memory in self.store.memories.list("reflection", limit):
            out.append((memory, self.store.memories.get_many(self.store.memories.sources(memory.id))))
        return out
