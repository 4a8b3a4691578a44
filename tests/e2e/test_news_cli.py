"""``os1 news`` end to end: the real command, a temporary OS1 home, feeds served by a real HTTP server on
127.0.0.1, the headlines asked for in conversation (`os1 say`), filters, undo, and the data export."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.cli_helpers import describe, export, run
from tests.fixtures.news.make import GOSSIP, WORLD, Route, rss, serving

QUESTION = "Can I fetch the news from your feeds?"


def _news(home: Path, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    return run(home, "news", *args, input=input, timeout=60)


def test_help_explains_every_command(tmp_path: Path) -> None:
    proc = _news(tmp_path / "os1", "--help")
    assert proc.returncode == 0, describe(proc)
    for command in ("add", "feeds", "remove", "headlines", "filters", "refresh"):
        assert command in proc.stdout
    add = _news(tmp_path / "os1", "add", "--help")
    assert "--yes" in add.stdout and "404" in add.stdout


def test_feeds_headlines_filters_undo_and_export(tmp_path: Path) -> None:
    home = tmp_path / "os1"
    with serving() as server:
        server.routes["/world.rss"] = Route(rss("Daily World", WORLD).encode(), etag='"w1"')
        server.routes["/buzz.rss"] = Route(rss("Celeb Buzz", GOSSIP, site="https://celebbuzz.example").encode())

        refused = _news(home, "add", server.url("/world.rss"), input="n\n")
        assert refused.returncode != 0 and QUESTION in refused.stdout, describe(refused)
        assert not server.requests  # nothing fetched without a yes
        added = _news(home, "add", server.url("/world.rss"), input="y\n")
        assert added.returncode == 0, describe(added)
        assert "Now following Daily World (6 stories)" in added.stdout
        buzz = _news(home, "add", server.url("/buzz.rss"))
        assert "Now following Celeb Buzz" in buzz.stdout, describe(buzz)

        said = run(home, "say", "read me the headlines", timeout=60)
        assert said.returncode == 0, describe(said)
        assert "things this" in said.stdout or "things tonight" in said.stdout
        skip = run(home, "say", "skip the tabloid stuff", timeout=60)
        assert "no more tabloid stuff" in skip.stdout, describe(skip)

        refreshed = _news(home, "refresh")
        assert "Daily World: unchanged" in refreshed.stdout, describe(refreshed)
        assert server.hits("/world.rss")[-1].get("if-none-match") == '"w1"'

    offline = _news(home, "headlines", "--limit", "10")  # the server is gone: stored stories, and a note
    assert offline.returncode == 0, describe(offline)
    assert "NASA's probe reaches the rim of a crater on Mars" in offline.stdout
    assert "Kardashian" not in offline.stdout and "celebrity stor" in offline.stderr
    filters = _news(home, "filters")
    assert "Tabloid filter: on" in filters.stdout, describe(filters)

    removed = _news(home, "remove", "2")
    assert "Stopped following Celeb Buzz" in removed.stdout, describe(removed)
    undone = run(home, "undo")
    assert undone.returncode == 0 and "Celeb Buzz" in undone.stdout, describe(undone)
    assert "Celeb Buzz" in _news(home, "feeds").stdout

    data = export(home)
    assert {f["title"] for f in data.tables["news_feeds"]} == {"Daily World", "Celeb Buzz"}
    assert len(data.tables["news_items"]) == 10
    assert all("embedding" not in row for row in data.tables["news_items"])
    assert any(row["kind"] == "tabloid" for row in data.tables["news_filters"])
