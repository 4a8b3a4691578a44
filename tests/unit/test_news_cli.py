"""``os1 news`` through click's CliRunner (the same group `os1` registers): add with consent and
validation, feeds, headlines (--offline, --about, --spoken), remove, filters --reset, refresh, and
journal entries that `os1 undo` reverses."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner, Result

from os1.cli.news import QUESTION, news_group
from os1.core.config import load_settings
from os1.guard.journal import undo_last
from os1.skills.news.store import NewsStore
from os1.storage.sqlite import open_store
from tests.fixtures.news.make import GOSSIP, HERE, WORLD, write_feed


def _news(*args: str, input: str = "") -> Result:
    return CliRunner().invoke(news_group, list(args), input=input, catch_exceptions=False)


def _undo() -> str:
    from os1.core.runtime import open_runtime
    from os1.skills.base import ToolContext

    runtime = open_runtime(load_settings())
    try:
        return asyncio.run(undo_last(runtime.store.journal, runtime.skills, ToolContext(runtime, "cli")))
    finally:
        runtime.store.close()


def test_help_says_how_to_use_it() -> None:
    result = _news("--help")
    assert result.exit_code == 0
    for command in ("add", "feeds", "remove", "headlines", "filters", "refresh"):
        assert command in result.output
    assert "skip the" in result.output and "tabloid stuff" in result.output
    headlines = _news("headlines", "--help")
    assert "--refresh / --offline" in headlines.output and "--about" in headlines.output


def test_add_asks_first_validates_and_can_be_undone(tmp_path: Path) -> None:
    world = write_feed(tmp_path / "world.xml", "Daily World", WORLD)
    refused = CliRunner().invoke(news_group, ["add", str(world)], input="n\n")
    assert refused.exit_code != 0 and QUESTION in refused.output and "won't fetch" in refused.output
    added = _news("add", str(world), input="y\n")
    assert added.exit_code == 0 and "Now following Daily World (6 stories)" in added.output
    again = _news("add", str(world))
    assert "Already following Daily World" in again.output

    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><body>Hello</body></html>")
    bad = CliRunner().invoke(news_group, ["add", str(page)])
    assert bad.exit_code == 1 and "Not added: that's a web page, not a news feed" in bad.output
    missing = CliRunner().invoke(news_group, ["add", str(tmp_path / "nope.xml")])
    assert missing.exit_code == 1 and "there's no such file" in missing.output
    odd = CliRunner().invoke(news_group, ["add", "ftp://example.com/feed"])
    assert odd.exit_code == 1 and "not ftp:" in odd.output

    broken = _news("add", str(HERE / "malformed.xml"))
    assert "isn't well-formed XML" in broken.output
    assert "Now following Broken Gazette (3 stories)" in broken.output

    undone = _undo()
    assert "followed the feed Broken Gazette" in undone
    feeds = _news("feeds")
    assert "1. Daily World" in feeds.output and "Broken Gazette" not in feeds.output


def test_headlines_remove_filters_and_refresh(tmp_path: Path) -> None:
    write_feed(tmp_path / "world.xml", "Daily World", WORLD)
    write_feed(tmp_path / "buzz.xml", "Celeb Buzz", GOSSIP)
    _news("add", str(tmp_path / "world.xml"), "--yes")
    _news("add", str(tmp_path / "buzz.xml"))

    listed = _news("headlines", "--limit", "3", "--offline", "--no-meaning")
    assert listed.exit_code == 0
    lines = [line for line in listed.output.splitlines() if line[:3].strip().rstrip(".").isdigit()]
    assert len(lines) == 3
    spoken = _news("headlines", "--spoken", "--about", "Mars", "--no-meaning")
    assert spoken.output.startswith("Just one thing about Mars. NASA's probe reaches the rim")

    db = open_store(load_settings().db_path)
    try:
        NewsStore(db).add_filters([("tabloid", "on", 1.0, "tabloid", None),
                                   ("topic", "football", -1.0, "less", None)])
    finally:
        db.close()
    shown = _news("filters")
    assert "Tabloid filter: on" in shown.output and "less about football (-1.0)" in shown.output
    filtered = _news("headlines", "--offline", "--limit", "10", "--no-meaning")
    assert "Kardashian" not in filtered.output and "I skipped three celebrity stories." in filtered.output
    reset = _news("filters", "--reset")
    assert "Dropped 2 filter rules" in reset.output
    assert "No filters" in _news("filters").output
    assert "showing all the news again" in _undo()
    assert "Tabloid filter: on" in _news("filters").output

    removed = _news("remove", "Celeb", "Buzz")
    assert "Stopped following Celeb Buzz" in removed.output
    assert "Celeb Buzz" not in _news("feeds").output
    assert "stopped following the feed Celeb Buzz" in _undo()
    assert "Celeb Buzz" in _news("feeds").output
    unknown = CliRunner().invoke(news_group, ["remove", "Gardening", "Weekly"])
    assert unknown.exit_code == 1 and "No feed like “Gardening Weekly”" in unknown.output

    refreshed = _news("refresh")
    assert "Daily World: unchanged" in refreshed.output and "0 new stories from 2 feeds." in refreshed.output


def test_headlines_without_feeds_says_how_to_add_one() -> None:
    result = CliRunner().invoke(news_group, ["headlines"])
    assert result.exit_code == 1 and "os1 news add" in result.output
