"""The news repository and refreshing: stories are never repeated across refreshes (guid, or link when a
feed changes its guids), a removed feed comes back with its stories, an unreachable feed keeps what it
had and is said to be behind, and what the user heard or asked about is kept for ranking."""

from __future__ import annotations

from pathlib import Path

from os1.skills.news import refresh
from os1.skills.news.feeds import Fetched, Story, fetch
from os1.skills.news.store import NewsStore
from os1.storage.sqlite import SQLiteStore
from tests.fixtures.news.make import WORLD, Entry, Route, rss, serving, write_feed


def _store(tmp_path: Path) -> NewsStore:
    return NewsStore(SQLiteStore(tmp_path / "os1.db"))


def test_refreshing_twice_never_repeats_a_story(tmp_path: Path) -> None:
    store = _store(tmp_path)
    path = write_feed(tmp_path / "world.xml", "Daily World", WORLD[:3])
    feed, new = store.add_feed(str(path))
    assert new and feed.name == "world.xml"  # no title until it is read
    assert store.record_fetch(feed.id, fetch(str(path))) == 3
    assert store.feed(feed.id).name == "Daily World"  # type: ignore[union-attr]
    write_feed(path, "Daily World", [*WORLD[:3], Entry("A fourth story arrives", "Later.", 0.1)])
    assert store.record_fetch(feed.id, fetch(str(path))) == 1
    assert store.count_items() == 4
    # the same story with a new guid (some feeds do that) is recognised by its link
    changed = Fetched(str(path), "ok", stories=[Story(key="new-guid", title="NASA's probe reaches the rim",
                                                     link="https://news.example/story/1")])
    assert store.record_fetch(feed.id, changed) == 0 and store.count_items() == 4


def test_a_story_from_the_future_is_not_newer_than_now(tmp_path: Path) -> None:
    store = _store(tmp_path)
    feed, _ = store.add_feed("/tmp/x.xml")
    store.record_fetch(feed.id, Fetched("/tmp/x.xml", "ok", stories=[
        Story(key="a", title="Clock trouble", published_at=4_000_000_000.0)]))
    assert store.items()[0].published_at < 4_000_000_000.0


def test_removing_and_restoring_a_feed_keeps_its_stories(tmp_path: Path) -> None:
    store = _store(tmp_path)
    path = write_feed(tmp_path / "world.xml", "Daily World", WORLD)
    feed, _ = store.add_feed(str(path))
    store.record_fetch(feed.id, fetch(str(path)))
    store.remove_feed(feed.id)
    assert store.feeds() == [] and store.items() == []
    assert store.count_items(feed.id) == 6  # kept, so undo brings everything back
    again, new = store.add_feed(str(path))
    assert new and again.id == feed.id and len(store.items()) == 6


def test_said_and_opened_stories_make_a_history(tmp_path: Path) -> None:
    store = _store(tmp_path)
    path = write_feed(tmp_path / "world.xml", "Daily World", WORLD)
    feed, _ = store.add_feed(str(path))
    store.record_fetch(feed.id, fetch(str(path)))
    ids = [i.id for i in store.items()[:3]]
    store.mark_said(ids)
    store.mark_said(ids[:1])
    store.mark_opened(ids[1])
    said = {title: (times, opened) for _f, title, _s, times, opened in store.history()}
    assert len(said) == 3
    first = store.item(ids[0])
    assert first is not None and first.said_count == 2
    assert said[store.item(ids[1]).title][1] is not None  # type: ignore[union-attr]


def test_filters_are_rows_that_can_be_removed_and_restored(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ids = store.add_filters([("tabloid", "on", 1.0, "tabloid", None),
                             ("topic", "football", -1.0, "less", None)])
    assert [f.kind for f in store.filters()] == ["tabloid", "topic"]
    store.remove_filters(ids[:1])
    assert [f.kind for f in store.filters()] == ["topic"]
    store.restore_filters(ids[:1])
    assert len(store.filters()) == 2


def test_an_unreachable_feed_keeps_its_stories_and_is_said_to_be_behind(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with serving() as server:
        server.routes["/world.rss"] = Route(rss("Daily World", WORLD).encode(), etag='"a"')
        feed, _ = store.add_feed(server.url("/world.rss"))
        local = write_feed(tmp_path / "local.xml", "Local Paper", WORLD[2:3])
        store.add_feed(str(local))
        first = refresh.refresh(store)
        assert first.new == 7 and not first.failed
        assert refresh.refresh(store).outcomes == []  # just read: not due yet
        second = refresh.refresh(store, force=True)
        assert [o.fetched.status for o in second.outcomes] == ["unchanged", "unchanged"]
        server.routes["/world.rss"] = Route(b"", status=503)
        third = refresh.refresh(store, force=True)
    assert [o.feed.name for o in third.failed] == ["Daily World"]
    before, _after = refresh.notes(store, third)
    assert before == ["I couldn't reach Daily World, so its stories are from a few minutes ago."]
    assert len(store.items()) == 7  # nothing lost
    assert store.feed(feed.id).error == "its server had a problem (503)"  # type: ignore[union-attr]


def test_a_feed_never_read_says_why(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.add_feed(str(tmp_path / "gone.xml"))
    report = refresh.refresh(store)
    before, _ = refresh.notes(store, report)
    assert before == ["I couldn't read gone.xml (there's no such file)."]


def test_a_malformed_feed_is_mentioned_after_the_headlines(tmp_path: Path) -> None:
    from tests.fixtures.news.make import HERE

    store = _store(tmp_path)
    store.add_feed(str(HERE / "malformed.xml"))
    report = refresh.refresh(store)
    _before, after = refresh.notes(store, report)
    assert after == ["Broken Gazette had a problem: it isn't well-formed XML (mismatched tag at line 18); "
                     "I kept the three stories I could read."]
