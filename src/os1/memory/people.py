"""The people in the user's life: who a phrase means, and what OS1 knows about them.

"Amy", "amy", "my sister", "sister" and "my sister Amy" all resolve to the names
OS1 has for them (from the people graph and current relation facts); "me" and
"myself" resolve to the user. Used by forgetting and by "what do you know about …".
"""

from __future__ import annotations

import re

from os1.memory.facts import PLACEHOLDER, REL, USER, canon_relation
from os1.storage.base import Store
from os1.storage.sqlite_memory import Fact

_SELF = frozenset({"me", "myself", "i", "us", "the user", "user", "about me", "you know about me",
                   "my life", "me and my life"})
_RELATION_PHRASE = re.compile(rf"(?:(?:my|our)\s+)?(?P<rel>{REL})(?:\s+(?P<name>[^\W\d_][\w' -]*))?", re.I)


def clean_topic(text: str) -> str:
    """ "what I told you about my sister?" → "my sister"; quotes and end punctuation dropped."""
    topic = text.strip().strip("\"'“”‘’").strip()
    topic = re.sub(r"^(?:(?:everything|all|anything|what)\s+)?(?:(?:i|you)\s+(?:told|tell|said|know|"
                   r"remember|have)\s+(?:you|me|heard)?\s*)?(?:about|regarding|on)\s+", "", topic, flags=re.I)
    return topic.strip().rstrip("?.!").strip()


def is_self(topic: str) -> bool:
    return clean_topic(topic).lower() in _SELF


def resolve(store: Store, phrase: str) -> list[str]:
    """The subjects a phrase refers to: person names, a placeholder ("user's sister") or "user"."""
    topic = clean_topic(phrase)
    low = topic.lower()
    if not low:
        return []
    if low in _SELF:
        return [USER]
    names: list[str] = []
    match = _RELATION_PHRASE.fullmatch(low)
    if match:
        rel = canon_relation(match.group("rel"))
        named = match.group("name")
        for fact in store.facts.current(predicate="relation"):
            if canon_relation(fact.object) == rel and (not named or fact.subject.lower() == named.strip()):
                names.append(fact.subject)
        for person in store.people.list():
            if person.relation and canon_relation(person.relation) == rel and (
                    not named or person.name.lower() == named.strip()):
                names.append(person.name)
        if store.facts.current(PLACEHOLDER + rel):
            names.append(PLACEHOLDER + rel)
        if named:
            names.extend(_by_name(store, named.strip()))
    else:
        stripped = re.sub(r"^(?:my|our)\s+", "", low)
        names.extend(_by_name(store, stripped))
    return list(dict.fromkeys(names))


def _by_name(store: Store, name: str) -> list[str]:
    found: list[str] = []
    person = store.people.get(name)
    if person is not None:
        found.append(person.name)
    for person in store.people.list():
        if person.name.split()[0].lower() == name.lower():
            found.append(person.name)
    facts = store.facts.current(name)
    if facts:
        found.append(facts[0].subject)
    return found


def mentions(name: str, text: str) -> bool:
    """Whether ``text`` names ``name`` as a word ("Amy's" counts, "Amya" does not)."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I) is not None


def facts_about(store: Store, name: str, include_history: bool = False) -> list[Fact]:
    """Facts whose subject is ``name``, and the user's facts that name them ("I love Catherine")."""
    own = store.facts.history(name) if include_history else store.facts.current(name)
    if name == USER:
        return own
    user = store.facts.history(USER) if include_history else store.facts.current(USER)
    return own + [f for f in user if mentions(name, f.object)]
