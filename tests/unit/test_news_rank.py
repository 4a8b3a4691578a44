"""Ranking the stories: interests from memory (likes, dislikes, where the user lives), recency, a topic
asked about, a spread of sources, one telling of a story carried by two feeds, what the user heard or
asked more about before, and meaning by MiniLM when it is there (words alone otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.skills.news import filters, rank
from os1.skills.news.feeds import fetch
from os1.skills.news.store import NewsStore
from os1.storage.sqlite import SQLiteStore
from tests.fixtures.news.make import GOSSIP, WORLD, Entry, write_feed


def _setup(tmp_path: Path, *feeds: tuple[str, list[Entry]]) -> tuple[SQLiteStore, NewsStore]:
    db = SQLiteStore(tmp_path / "os1.db")
    store = NewsStore(db)
    for n, (title, entries) in enumerate(feeds):
        path = write_feed(tmp_path / f"feed{n}.xml", title, entries, site=f"https://site{n}.example")
        feed, _ = store.add_feed(str(path))
        store.record_fetch(feed.id, fetch(str(path)))
    return db, store


def _titles(db: SQLiteStore, store: NewsStore, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    prefs = filters.preferences(store)
    picked = rank.rank(store, store.items(), prefs, rank.interests(db, prefs), encoder=False, **kw).picked
    return [r.item.title for r in picked]


def test_without_interests_the_newest_come_first(tmp_path: Path) -> None:
    db, store = _setup(tmp_path, ("World", WORLD))
    assert _titles(db, store, limit=3) == [e.title for e in WORLD[:3]]


def test_likes_lead_and_dislikes_sink(tmp_path: Path) -> None:
    db, store = _setup(tmp_path, ("World", WORLD))
    db.facts.add("user", "likes", "astronomy", "I love astronomy", None)
    db.facts.add("user", "dislikes", "football", "I hate football", None)
    titles = _titles(db, store, limit=6)
    assert set(titles[:2]) == {WORLD[0].title, WORLD[5].title}  # the Mars probe and the Webb telescope
    assert titles[-2:] == [WORLD[1].title, WORLD[4].title]  # both football stories last


def test_where_the_user_lives_is_closer_to_home(tmp_path: Path) -> None:
    db, store = _setup(tmp_path, ("World", WORLD))
    db.facts.add("user", "lives_in", "Portland", "I live in Portland", None)
    prefs = filters.preferences(store)
    picked = rank.rank(store, store.items(), prefs, rank.interests(db, prefs), encoder=False).picked
    local = [r for r in picked if r.local]
    assert [r.item.title for r in local] == [WORLD[2].title]
    assert picked[0].item.title == WORLD[2].title


def test_a_topic_keeps_only_stories_about_it(tmp_path: Path) -> None:
    db, store = _setup(tmp_path, ("World", WORLD))
    assert _titles(db, store, topic="Mars") == [WORLD[0].title]  # not the telescope story
    assert _titles(db, store, topic="football") == [WORLD[1].title, WORLD[4].title]  # by the topic's words
    assert _titles(db, store, topic="cricket") == []


def test_sources_are_spread_and_a_story_told_twice_is_told_once(tmp_path: Path) -> None:
    busy = [Entry(f"Harbour story number {n} of many", "Boats.", hours_ago=0.1 * n) for n in range(1, 6)]
    other = [Entry("Mountain rescue team saves two hikers", "A helicopter flew in.", hours_ago=2.0),
             Entry("Harbour story number 1 of many", "Boats.", hours_ago=0.2)]
    db, store = _setup(tmp_path, ("Busy", busy), ("Other", other))
    titles = _titles(db, store, limit=4)
    assert "Mountain rescue team saves two hikers" in titles  # older, but from another source
    assert titles.count("Harbour story number 1 of many") == 1


def test_stories_already_said_come_back_lower(tmp_path: Path) -> None:
    db, store = _setup(tmp_path, ("World", WORLD))
    first = _titles(db, store, limit=2)
    store.mark_said([i.id for i in store.items() if i.title in first])
    again = _titles(db, store, limit=2)
    assert not set(first) & set(again)


def test_sources_the_user_reads_rise(tmp_path: Path) -> None:
    older = [Entry(f"Gardening tip {n}: prune the roses", "Roses.", hours_ago=3 + n) for n in range(5)]
    newer = [Entry(f"Traffic update {n} on the ring road", "Cars.", hours_ago=1 + n * 0.1) for n in range(5)]
    _db, store = _setup(tmp_path, ("Garden", older), ("Traffic", newer))
    items = store.items()
    store.mark_said([i.id for i in items])
    for item in items:
        if item.source == "Garden":
            store.mark_opened(item.id)
    past = rank.history(store)
    garden = next(i.feed_id for i in items if i.source == "Garden")
    traffic = next(i.feed_id for i in items if i.source == "Traffic")
    assert past.source_lean[garden] > 0 > past.source_lean[traffic]
    assert past.opened_words["rose"] > 0


def test_filtered_stories_are_left_out_and_counted(tmp_path: Path) -> None:
    _db, store = _setup(tmp_path, ("World", WORLD[:2]), ("Buzz", GOSSIP))
    store.add_filters([("tabloid", "on", 1.0, "tabloid", None)])
    prefs = filters.preferences(store)
    selection = rank.rank(store, store.items(), prefs, [], encoder=False)
    titles = {r.item.title for r in selection.picked}
    assert "City museum reopens after a two-year renovation" in titles
    assert selection.hidden["tabloid"] == 3 and not any("Kardashian" in t for t in titles)


@pytest.mark.parametrize("encoder", [None, False])
def test_meaning_finds_interests_words_miss(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    """"The cosmos" shares no word with a telescope story: MiniLM sees they are related, words alone
    can't (so without the encoder the newest story leads)."""
    _db, store = _setup(tmp_path, ("World", WORLD))
    likes = [rank.Interest("the cosmos", 1.0, "likes")]
    prefs = filters.preferences(store)
    picked = rank.rank(store, store.items(), prefs, likes, encoder=encoder, limit=1).picked
    expected = WORLD[5].title if encoder is None else WORLD[0].title
    assert picked[0].item.title == expected
    if encoder is None:
        assert store.embeddings([i.id for i in store.items()])  # cached for next time
