"""How the news is said: headlines cleaned of site names and clickbait, one short clause a story joined
like a newsreader would, when things are from, what was skipped, more about one story, and which story
"the second one" or "the Mars one" is."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from os1.skills.news import refer, speech
from os1.skills.news.feeds import fetch
from os1.skills.news.rank import Ranked
from os1.skills.news.store import Item, NewsStore
from os1.skills.news.text import clean_title, first_sentence, plain
from os1.storage.sqlite import SQLiteStore
from tests.fixtures.news.make import HERE


@pytest.mark.parametrize(("raw", "clean"), [
    ("Probe lands on Mars - BBC News", "Probe lands on Mars"),
    ("BBC News: Probe lands on Mars", "Probe lands on Mars"),
    ("WATCH: SHOCKING moment a crane topples!!! 😱", "Shocking moment a crane topples!"),
    ("BREAKING — Storm closes the bridge | The Daily Buzz", "Storm closes the bridge"),
    ("Why you should care?! [VIDEO]", "Why you should care?"),
    ("NASA's new rocket is ready", "NASA's new rocket is ready"),
    ("UNESCO names new heritage sites", "UNESCO names new heritage sites"),
    ("THE WHOLE TITLE IS SHOUTED", "The whole title is shouted"),
    ("Prices rise &amp; fall", "Prices rise & fall"),
])
def test_titles_are_cleaned(raw: str, clean: str) -> None:
    assert clean_title(raw, ("BBC News",)) == clean


def test_summaries_become_plain_text() -> None:
    assert plain("<p>One <b>bold</b> move.</p><script>alert(1)</script>") == "One bold move."
    assert first_sentence("<p>It rained. Then it stopped.</p>") == "It rained."


def _item(title: str, summary: str = "", source: str = "Daily World", hours: float = 1.0) -> Item:
    now = time.time()
    return Item(1, 1, "k", "https://dailyworld.example/x", title, summary, [], now - hours * 3600, now, 0,
                None, None, source, "https://dailyworld.example/rss")


def test_a_short_title_gets_the_summary_sentence_only_when_it_adds_something() -> None:
    storms = _item("Storms", "Heavy thunderstorms are expected across the north coast tonight. Drive safe.")
    assert speech.clause(storms) == "Storms. Heavy thunderstorms are expected across the north coast tonight."
    echo = _item("Storms tonight", "Storms tonight.")
    assert speech.clause(echo) == "Storms tonight."
    long = _item("Central bank holds interest rates as inflation cools", "Markets had expected it. More.")
    assert speech.clause(long) == "Central bank holds interest rates as inflation cools."


def test_headlines_are_said_like_a_newsreader() -> None:
    picked = [Ranked(_item("NASA's probe reached Mars"), 2.0, "space news"),
              Ranked(_item("The council approved the tram line"), 1.5, "", local=True),
              Ranked(_item("Arsenal beat Chelsea"), 1.0, "football")]
    morning = datetime(2026, 6, 2, 8, 0).timestamp()
    said = speech.headlines(picked, now=morning)
    assert said == ("Three things this morning. NASA's probe reached Mars. Closer to home, the council "
                    "approved the tram line. And in football, Arsenal beat Chelsea.")
    one = speech.headlines(picked[:1], topic="Mars", now=morning, before=["I couldn't reach X."],
                           after=["I skipped two celebrity stories."])
    assert one == ("I couldn't reach X. Just one thing about Mars. NASA's probe reached Mars. "
                   "I skipped two celebrity stories.")
    plain_ones = [Ranked(_item(f"Story {n} happened"), 1.0, "") for n in range(4)]
    assert speech.headlines(plain_ones, now=morning).count("Meanwhile, ") == 1


def test_when_and_what_was_left_out() -> None:
    now = datetime(2026, 6, 3, 9, 30).timestamp()
    assert speech.when(now - 300, now) == "a few minutes ago"
    assert speech.when(datetime(2026, 6, 3, 6, 0).timestamp(), now) == "this morning"
    assert speech.when(datetime(2026, 6, 3, 2, 0).timestamp(), now) == "overnight"
    assert speech.when(datetime(2026, 6, 2, 23, 0).timestamp(), now) == "last night"
    assert speech.when(datetime(2026, 6, 2, 14, 0).timestamp(), now) == "yesterday afternoon"
    assert speech.when(datetime(2026, 5, 31, 14, 0).timestamp(), now) == "on Sunday"
    assert speech.when(datetime(2026, 4, 1, 14, 0).timestamp(), now) == "on 1 April"
    assert speech.left_out({"tabloid": 2, "not interested": 1}) == (
        "I skipped two celebrity stories and one story like one you turned down.")
    assert speech.left_out({}) == ""


def test_more_about_one_story() -> None:
    item = _item("NASA's probe reached Mars", "The rover climbed for months. Scientists are thrilled. "
                 "Samples come next. Then a return trip. And more after that.", hours=0.1)
    told = speech.more(item)
    assert told.startswith("From Daily World, a few minutes ago: NASA's probe reached Mars. The rover")
    assert "Then a return trip." in told and "And more after that." not in told  # a few sentences
    assert told.endswith("The whole story: https://dailyworld.example/x")
    bare = _item("Storms", "")
    assert "That's all the feed says about it." in speech.more(bare)


class _Profile(dict):  # type: ignore[type-arg]
    def set(self, key: str, value: object) -> None:
        self[key] = value


def test_which_story_the_user_means(tmp_path: Path) -> None:
    store = NewsStore(SQLiteStore(tmp_path / "os1.db"))
    feed, _ = store.add_feed(str(HERE / "rss2.xml"))
    store.record_fetch(feed.id, fetch(str(HERE / "rss2.xml")))
    profile = _Profile()
    nothing, why = refer.resolve(store, profile, "c1", "the second one")
    assert nothing is None and "haven't told you any headlines" in why
    items = store.items()[:3]
    refer.remember_said(profile, "c1", [i.id for i in items])
    assert refer.resolve(store, profile, "c1", "second")[0] == items[1]
    assert refer.resolve(store, profile, "c1", "the last one")[0] == items[2]
    assert refer.resolve(store, profile, "c1", "Mars")[0] == items[0]
    assert refer.resolve(store, profile, "c1", "tram")[0] == items[2]
    assert refer.resolve(store, profile, "c1", "the goalkeeper")[0].title.startswith("Liverpool")  # type: ignore[union-attr]
    too_far, why = refer.resolve(store, profile, "c1", "the fifth one")
    assert too_far is None and why == "I only told you three stories."
    unclear, why = refer.resolve(store, profile, "c1", "that")
    assert unclear is None and why.startswith("Which one?")
    refer.remember_focus(profile, "c1", items[1].id)
    assert refer.resolve(store, profile, "c1", "that")[0] == items[1]
    assert refer.resolve(store, profile, "c1", "the next one")[0] == items[2]


def test_which_feed_the_user_means(tmp_path: Path) -> None:
    store = NewsStore(SQLiteStore(tmp_path / "os1.db"))
    for name in ("rss2.xml", "atom.xml"):
        feed, _ = store.add_feed(str(HERE / name))
        store.record_fetch(feed.id, fetch(str(HERE / name)))
    assert refer.find_feed(store, "2").name == "Science Today"  # type: ignore[union-attr]
    assert refer.find_feed(store, "the first one").name == "Daily World News"  # type: ignore[union-attr]
    assert refer.find_feed(store, "science today").name == "Science Today"  # type: ignore[union-attr]
    assert refer.find_feed(store, "the Daily World feed").name == "Daily World News"  # type: ignore[union-attr]
    assert refer.find_feed(store, str(HERE / "atom.xml")).name == "Science Today"  # type: ignore[union-attr]
    assert refer.find_feed(store, "7") is None and refer.find_feed(store, "gardening weekly") is None
