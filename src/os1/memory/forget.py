"""Forgetting on request: "forget what I told you about Amy", ``os1 memory forget ID``.

:func:`forget_about` finds every memory about a topic — the lexical index for its
words, facts and people that mention it, and (with a retriever) dense hits above a
conservative similarity — and deletes them. Deleting a memory through the store
also removes its lexical index row, the facts derived from it and the reflections
that cite it; the dense index notices on its next sync. Facts and people that
name the topic go too, and people left with no facts at all are pruned.

A topic is matched on its content words only ("the", "my", "about" never match
anything): a memory must contain *every* content word of the topic, or name a
person the topic resolves to ("my sister" → Amy). "My old job" also means the
workplace and job the user has since left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from os1.memory.facts import USER
from os1.memory.people import clean_topic, resolve
from os1.storage.base import Memory, Store
from os1.storage.sqlite_memory import Fact

DENSE_THRESHOLD = 0.6  # MiniLM cosine; unrelated memories score ~0.1-0.3 against a short topic
LEXICAL_CANDIDATES = 2000
_STOPWORDS_TEXT = """
a an the and or but if of to in on at by for with about from as is are was were be been being do does did
have has had i you he she it we they me him her us them my your his its our their this that these those
what which who whom whose when where why how there here not no so than too very can could would should
will just also any some all mine yours everything anything something thing things stuff told tell said
say know knew remember forget about regarding whole entire every each please user
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_OLD = re.compile(r"\b(?:old|former|previous|last|ex)\b", re.I)
_WORK = re.compile(r"\b(?:job|work|workplace|employer|company|office|boss)\b", re.I)
_HOME = re.compile(r"\b(?:home|house|place|apartment|flat|city|town)\b", re.I)


@dataclass
class ForgetResult:
    """What a forget removed (or, in a dry run, would remove)."""

    topic: str
    memories: list[Memory] = field(default_factory=list)  # matched memories
    derived: int = 0  # reflections and other memories removed because they cite those
    facts: list[Fact] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    messages: int = 0  # lines of the chat transcript that said it
    dry_run: bool = False
    memory_id: int | None = None  # set by forget_memory: one memory rather than a topic

    @property
    def nothing(self) -> bool:
        return not (self.memories or self.facts or self.people or self.messages)

    def describe(self) -> str:
        """One sentence for the user."""
        if self.memory_id is not None:
            return self._describe_one()
        if self.nothing:
            return f"Nothing I remember matches “{self.topic}”, so I haven't forgotten anything."
        parts = []
        if self.memories:
            n = len(self.memories)
            parts.append(f"{n} memor{'y' if n == 1 else 'ies'}")
        if self.derived:
            parts.append(f"{self.derived} reflection{'' if self.derived == 1 else 's'} built on them")
        if self.facts:
            parts.append(f"{len(self.facts)} fact{'' if len(self.facts) == 1 else 's'}")
        if self.people:
            parts.append(" and ".join(self.people) + " from the people I know")
        if self.messages:
            parts.append(f"{self.messages} line{'' if self.messages == 1 else 's'} of our chat history")
        listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        verb = "I would forget" if self.dry_run else "I've forgotten"
        return f"{verb} everything about {self.topic}: {listed}."


    def _describe_one(self) -> str:
        if not self.memories:
            return f"There is no memory #{self.memory_id}, so I haven't forgotten anything."
        text = f"I've forgotten memory #{self.memory_id}"
        extra = []
        if self.facts:
            extra.append(f"{len(self.facts)} fact{'' if len(self.facts) == 1 else 's'} learned from it")
        if self.derived:
            extra.append(f"{self.derived} reflection{'' if self.derived == 1 else 's'} built on it")
        if self.people:
            extra.append(" and ".join(self.people) + " from the people I know")
        if extra:
            text += ", " + ", ".join(extra[:-1]) + (" and " if len(extra) > 1 else "") + extra[-1]
        return text + "."


def _terms(topic: str) -> list[str]:
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", topic.lower())
    return [re.sub(r"'s$", "", w) for w in words if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())]


def _word(term: str) -> re.Pattern[str]:
    """A whole word, singular or plural or possessive ("tulips" finds "tulip", "Amy" finds "Amy's")."""
    if term.endswith("s") and not term.endswith("ss") and len(term) > 3:
        term = term[:-1]
    return re.compile(rf"(?<!\w){re.escape(term)}(?:s|es|'s)?(?!\w)", re.I)


def _matcher(terms: list[str], names: list[str], phrases: list[str]) -> Callable[[str], bool]:
    word_patterns = [_word(t) for t in terms]
    alternatives = [_word(n) for n in names] + [re.compile(rf"(?<!\w){re.escape(p)}(?!\w)", re.I)
                                               for p in phrases]

    def matches(text: str) -> bool:
        if word_patterns and all(p.search(text) for p in word_patterns):
            return True
        return any(p.search(text) for p in alternatives)

    return matches


def _prune_people(store: Store, subjects: set[str], result: ForgetResult, dry_run: bool) -> None:
    """People whose every fact is gone are forgotten too (unless a later memory still names them)."""
    removing = {f.id for f in result.facts}
    for name in subjects:
        if name == USER or name in result.people:
            continue
        remaining = [f for f in store.facts.history(name) if f.id not in removing]
        if remaining or store.people.get(name) is None:
            continue
        result.people.append(name)
        if not dry_run:
            store.people.delete(name)


def forget_about(store: Store, topic: str, retriever: object | None = None, dry_run: bool = False,
                 dense_threshold: float = DENSE_THRESHOLD) -> ForgetResult:
    """Delete every memory, fact and person about ``topic``; with ``dry_run``, only report them."""
    phrase = clean_topic(topic)
    result = ForgetResult(phrase, dry_run=dry_run)
    terms = _terms(phrase)
    names = [n for n in resolve(store, phrase) if n != USER] if terms else []
    people_names = [n for n in names if not n.startswith("user's ")]
    phrases = [phrase] if names and len(terms) <= 3 and re.match(r"(?:my|our)\s", phrase, re.I) else []
    old_facts: list[Fact] = []
    if _OLD.search(phrase) and (_WORK.search(phrase) or _HOME.search(phrase)):
        predicates = ("works_at", "job", "works_in") if _WORK.search(phrase) else ("lives_in",)
        old_facts = [f for f in store.facts.history(USER) if f.predicate in predicates and not f.current]
        people_names += [f.object for f in old_facts if f.predicate in ("works_at", "lives_in")]
    if not terms:
        return result
    matches = _matcher(terms, people_names, phrases)

    # memories: lexical candidates filtered strictly, sources of matching facts, dense hits
    query = " ".join([*terms, *people_names])
    limit = max(LEXICAL_CANDIDATES, store.memories.count())  # every match, not the best few
    ids = [mid for mid, _ in store.memories.lexical(query, limit)]
    chosen: dict[int, Memory] = {m.id: m for m in store.memories.get_many(ids) if matches(m.text)}
    facts = [f for f in store.facts.history()
             if f in old_facts or f.subject in names or matches(f.subject) or matches(f.object)]
    for fact in facts:
        if fact.memory_id is not None and fact.memory_id not in chosen:
            memory = store.memories.get(fact.memory_id)
            if memory is not None and (matches(memory.text) or fact in old_facts):
                chosen[memory.id] = memory
    encoder = getattr(retriever, "encoder", None)
    index = getattr(retriever, "index", None)
    if encoder is not None and index is not None:
        try:
            vector = encoder.encode([phrase])[0]
            dense = [mid for mid, score in index.search(vector, 50) if score >= dense_threshold]
        except Exception:  # the encoder failing must not stop a forget the user asked for
            dense = []
        for memory in store.memories.get_many([d for d in dense if d not in chosen]):
            chosen[memory.id] = memory

    result.memories = sorted(chosen.values(), key=lambda m: m.id)
    said = {m.text for m in result.memories}
    candidates = {msg.id: msg for word in {*terms, *people_names}
                  for msg in store.conversations.find_messages([word])}
    transcript = [msg.id for msg in candidates.values() if msg.content in said or matches(msg.content)]
    if not (result.memories or facts):  # nothing remembered about it: leave the chat log alone
        transcript = []
    result.messages = len(transcript)
    derived_facts = [f for m in result.memories for f in store.facts.by_memory(m.id)]
    result.facts = list({f.id: f for f in [*facts, *derived_facts]}.values())
    subjects = {f.subject for f in result.facts}
    for name in people_names:
        person = store.people.get(name)
        if person is not None and person.name not in result.people:
            result.people.append(person.name)
    if not dry_run:
        for name in result.people:
            store.people.delete(name)
    _prune_people(store, subjects, result, dry_run)
    if dry_run:
        return result
    for fact in facts:
        store.facts.delete(fact.id)
    store.conversations.delete_messages(transcript)  # the chat log must not keep what was forgotten
    if result.memories:
        removed = store.memories.delete_many([m.id for m in result.memories])
        result.derived = max(0, removed - len(result.memories))
    return result


def forget_memory(store: Store, memory_id: int) -> ForgetResult:
    """Delete one memory and everything derived from it (``os1 memory forget ID``)."""
    memory = store.memories.get(memory_id)
    result = ForgetResult(f"memory #{memory_id}", memory_id=memory_id)
    if memory is None:
        return result
    result.memories = [memory]
    result.facts = store.facts.by_memory(memory_id)
    words = re.findall(r"\w+", memory.text)[:8]
    same = [m.id for m in store.conversations.find_messages(words) if m.content == memory.text]
    result.messages = store.conversations.delete_messages(same)
    _prune_people(store, {f.subject for f in result.facts}, result, dry_run=False)
    removed = store.memories.delete_many([memory_id])
    result.derived = max(0, removed - 1)
    return result
