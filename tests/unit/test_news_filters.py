"""Filters that learn: understanding "skip the tabloid stuff" and "less about football", the seeded
tabloid detector, learning from the stories the user turned down, and what "show me everything again"
takes away."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from os1.skills.news import filters, tabloid
from os1.skills.news.feeds import fetch
from os1.skills.news.store import NewsStore
from os1.storage.sqlite import SQLiteStore
from tests.fixtures.news.make import HERE


@pytest.mark.parametrize(("text", "kind", "topic", "which"), [
    ("skip the tabloid stuff", "tabloid", "", ""),
    ("no more celebrity gossip please", "tabloid", "", ""),
    ("I don't want the showbiz news", "tabloid", "", ""),
    ("less about celebrities", "tabloid", "", ""),
    ("not interested in this kind of thing", "dismiss", "", ""),
    ("I'm not interested in that", "dismiss", "", ""),
    ("skip the third one", "dismiss", "", "third"),
    ("less about football", "less", "football", ""),
    ("fewer stories about the election", "less", "election", ""),
    ("not interested in football", "less", "football", ""),
    ("more about science", "more", "science", ""),
    ("give me more news about Mars", "more", "mars", ""),
])
def test_requests_are_understood(text: str, kind: str, topic: str, which: str) -> None:
    assert filters.parse_request(text) == filters.Request(kind, topic, which)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["read me the headlines", "more", "what's the weather"])
def test_other_things_are_not_filters(text: str) -> None:
    assert filters.parse_request(text) is None


def test_the_seeded_detector_tells_gossip_from_news() -> None:
    gossip = fetch(str(HERE / "tabloid.xml")).stories
    serious = fetch(str(HERE / "rss2.xml")).stories + fetch(str(HERE / "atom.xml")).stories
    scores = {s.title: tabloid.score(s.title, s.summary) for s in gossip}
    assert sum(v >= tabloid.THRESHOLD for v in scores.values()) == 4
    assert scores["City museum reopens after a two-year renovation"] < tabloid.THRESHOLD
    assert all(tabloid.score(s.title, s.summary) < tabloid.THRESHOLD for s in serious)
    # a known gossip site counts, but never alone
    assert 0 < tabloid.score("Council budget approved", "", ["https://www.dailymail.co.uk/news/x"]) < 0.5


def test_turning_a_story_down_teaches_its_words_and_a_little_of_its_site(tmp_path: Path) -> None:
    store = NewsStore(SQLiteStore(tmp_path / "os1.db"))
    feed, _ = store.add_feed(str(HERE / "rss2.xml"))
    store.record_fetch(feed.id, fetch(str(HERE / "rss2.xml")))
    arsenal = next(i for i in store.items() if i.title.startswith("Arsenal"))
    store.add_filters(filters.dismiss_rows(arsenal))
    prefs = filters.preferences(store)
    assert prefs.hides(arsenal) == "not interested"
    assert {"arsenal", "chelsea"} <= set(prefs.learned.words)
    assert prefs.learned.sites == {"dailyworld.example": tabloid.SOURCE_STEP}
    # a new story sharing two of its telling words is left out; the site's other stories are not
    from os1.skills.news.feeds import Fetched, Story

    store.record_fetch(feed.id, Fetched("x", "ok", stories=[
        Story("n1", "Chelsea and Arsenal agree on a stadium swap", "https://dailyworld.example/swap"),
        Story("n2", "Chelsea flower show opens", "https://dailyworld.example/flowers")]))
    prefs = filters.preferences(store)
    by_title = {i.title: prefs.hides(i) for i in store.items()}
    assert by_title["Chelsea and Arsenal agree on a stadium swap"] == "not interested"
    assert by_title["Chelsea flower show opens"] == ""
    assert by_title["Central bank holds interest rates as inflation cools"] == ""
    assert not prefs.tabloid_on  # turning one story down doesn't switch on the gossip filter


def test_skip_the_tabloid_stuff_learns_from_the_gossip_just_said(tmp_path: Path) -> None:
    store = NewsStore(SQLiteStore(tmp_path / "os1.db"))
    feed, _ = store.add_feed(str(HERE / "tabloid.xml"))
    store.record_fetch(feed.id, fetch(str(HERE / "tabloid.xml")))
    said = store.items()
    rows, learned_from = filters.tabloid_rows(said, None)
    assert len(learned_from) == 4 and "City museum" not in " ".join(i.title for i in learned_from)
    store.add_filters(rows)
    prefs = filters.preferences(store)
    assert prefs.tabloid_on and "kardashian" in prefs.learned.words
    kept = [i.title for i in said if not prefs.hides(i)]
    assert kept == ["City museum reopens after a two-year renovation"]


def test_topic_weights_add_up_and_asking_fades(tmp_path: Path) -> None:
    db = SQLiteStore(tmp_path / "os1.db")
    store = NewsStore(db)
    store.add_filters(filters.topic_rows("less", "football") * 2 + filters.topic_rows("more", "science"))
    store.add_filters(filters.asked_rows("Mars"))
    month_ago = time.time() - 30 * 86400
    db.run("UPDATE news_filters SET created_at = ? WHERE origin = 'asked'", (month_ago,))
    prefs = filters.preferences(store)
    assert prefs.topics["football"] == -2.0 and prefs.topics["science"] == 1.0
    assert 0.05 < prefs.topics["mars"] < filters.ASKED_STEP  # an old question counts for less


def test_show_me_everything_takes_away_only_what_hides(tmp_path: Path) -> None:
    store = NewsStore(SQLiteStore(tmp_path / "os1.db"))
    store.add_filters([("tabloid", "on", 1.0, "tabloid", None), ("word", "kardashian", 1.0, "tabloid", 3),
                       ("topic", "football", -1.0, "less", None), ("topic", "science", 1.0, "more", None),
                       ("topic", "mars", 0.3, "asked", None), ("item", "7", 1.0, "dismiss", 7)])
    hiding = filters.hiding(store.filters())
    assert {(r.kind, r.value) for r in hiding} == {("tabloid", "on"), ("word", "kardashian"),
                                                  ("topic", "football"), ("item", "7")}
