"""Which story the user means ("the second one", "the last one", "the Mars one", "that"), and which
feed ("2", "the NASA feed", its address).

The headlines said last in a conversation (and the story the user last asked about) are kept in the
profile store per conversation; an ordinal picks from the headlines, words pick the story whose title
and summary share most of them (the headlines first, then every recent story).
"""

from __future__ import annotations

import re
import time
from typing import Any

from os1.skills.news.speech import number
from os1.skills.news.store import Feed, Item, NewsStore
from os1.skills.news.text import content_words

_SAID = "news.said:"  # + conversation id → {"ids": [...], "at": timestamp}
_FOCUS = "news.focus:"  # + conversation id → the story last told in full
ORDINALS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3,
            "three": 3, "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "sixth": 6,
            "6th": 6, "six": 6, "seventh": 7, "7th": 7, "seven": 7, "eighth": 8, "8th": 8, "ninth": 9,
            "9th": 9, "tenth": 10, "10th": 10, "last": -1, "final": -1, "top": 1, "next": 0}
_POINTING = re.compile(r"^(that|this|it|that one|this one|that story|this story|the story|the one|one)$")
_FILLER = re.compile(r"\b(the|a|an|one|ones|story|stories|headline|headlines|item|article|piece|news|about|"
                     r"thing|bit|number|no|with|on|that|this|please)\b")
RECENT_S = 6 * 3600  # headlines said longer ago than this don't count as "the second one" any more


def remember_said(profile: Any, conversation_id: str, ids: list[int]) -> None:
    profile.set(_SAID + conversation_id, {"ids": ids, "at": time.time()})


def said_ids(profile: Any, conversation_id: str, max_age: float = RECENT_S) -> list[int]:
    value = profile.get(_SAID + conversation_id) or {}
    if not value or time.time() - float(value.get("at", 0)) > max_age:
        return []
    return [int(i) for i in value.get("ids", [])]


def remember_focus(profile: Any, conversation_id: str, item_id: int | None) -> None:
    profile.set(_FOCUS + conversation_id, {"id": item_id, "at": time.time()} if item_id is not None else None)


def focus_id(profile: Any, conversation_id: str) -> int | None:
    value = profile.get(_FOCUS + conversation_id) or {}
    return int(value["id"]) if value.get("id") is not None else None


def in_view(profile: Any, conversation_id: str) -> int | None:
    """The story the user heard more about since the last headlines (what "this kind of thing" is)."""
    focus = profile.get(_FOCUS + conversation_id) or {}
    said = profile.get(_SAID + conversation_id) or {}
    if focus.get("id") is None or float(focus.get("at", 0)) < float(said.get("at", 0)):
        return None
    return int(focus["id"])


def _ordinal(which: str) -> int | None:
    words = re.findall(r"[\w']+", which.lower())
    for word in words:
        if word in ORDINALS and (word not in ("one", "top") or len(words) == 1 or
                                 words[words.index(word) - 1:words.index(word)] == ["number"]):
            return ORDINALS[word]
    number = re.search(r"\b(?:number |no\.? ?|#)?(\d{1,2})\b", which)
    return int(number.group(1)) if number else None


def resolve(store: NewsStore, profile: Any, conversation_id: str, which: str) -> tuple[Item | None, str]:
    """The story meant by ``which``, and "" — or None and why not (for the user)."""
    said = store.items_by_id(said_ids(profile, conversation_id))
    text = " ".join(which.lower().split()).strip(" ?.!")
    focus = focus_id(profile, conversation_id)
    if not text or _POINTING.match(text):
        if focus is not None and (item := store.item(focus)) is not None:
            return item, ""
        if len(said) == 1:
            return said[0], ""
        if said:
            return None, "Which one? Say “the second one”, or a word from its headline."
        return None, "I haven't told you any headlines yet. Say “read me the headlines”."
    position = _ordinal(text)
    if position is not None:
        if not said:
            return None, "I haven't told you any headlines yet. Say “read me the headlines”."
        if position == 0:  # "the next one": the one after the story in view
            ids = [i.id for i in said]
            index = ids.index(focus) + 1 if focus in ids else 0
        else:
            index = position - 1 if position > 0 else len(said) + position
        if 0 <= index < len(said):
            return said[index], ""
        return None, f"I only told you {number(len(said))} {'story' if len(said) == 1 else 'stories'}."
    wanted = set(content_words(_FILLER.sub(" ", text)))
    if not wanted:
        return None, "Which one? Say “the second one”, or a word from its headline."
    for pool in (said, store.items(limit=300)):
        best, best_hits = None, 0
        for item in pool:
            hits = len(wanted & set(content_words(item.text)))
            if hits > best_hits:
                best, best_hits = item, hits
        if best is not None:
            return best, ""
    return None, f"I don't have a story about {which.strip()}."


def find_feed(store: NewsStore, which: str) -> Feed | None:
    """A followed feed by its number in the list, its address, or (roughly) its name."""
    from rapidfuzz import fuzz, process

    from os1.skills.news import feeds as feed_io

    feeds = store.feeds()
    text = which.strip().strip("“”\"'").strip()
    number = re.fullmatch(r"(?:feed |number |no\.? ?|#)?(\d{1,3})", text, re.I)
    if number:
        index = int(number.group(1)) - 1
        return feeds[index] if 0 <= index < len(feeds) else None
    position = ORDINALS.get(text.lower().removeprefix("the ").split(" ")[0])
    if position and re.fullmatch(r"(the )?\w+( one| feed)?", text, re.I):
        index = position - 1 if position > 0 else len(feeds) + position
        return feeds[index] if 0 <= index < len(feeds) else None
    try:
        location = feed_io.normalise_location(text)
    except feed_io.FeedError:
        location = ""
    for feed in feeds:
        if feed.location in (text, location):
            return feed
    text = re.sub(r"^(the|my)\s+|\s+(feed|news feed|rss feed|rss)$", "", text, flags=re.I)
    names = [f.name.lower() for f in feeds]
    found = process.extractOne(text.lower(), names, scorer=fuzz.WRatio, score_cutoff=72)
    return feeds[found[2]] if found else None
