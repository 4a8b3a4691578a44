"""Reading feeds: RSS 2.0 and Atom 1.0 files, malformed, empty, latin-1 and mislabelled ones, huge ones,
and URLs from a real HTTP server on 127.0.0.1 (conditional GET, 404, 500, a timeout, nothing listening,
a web page instead of a feed). feedparser is only ever handed bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.skills.news import feeds
from tests.e2e.cli_helpers import free_port
from tests.fixtures.news.make import HERE, WORLD, Entry, Route, rss, serving


def _fixture(name: str) -> str:
    return str(HERE / name)


def test_rss_and_atom_files_give_clean_stories() -> None:
    world = feeds.fetch(_fixture("rss2.xml"))
    assert world.status == "ok" and world.title == "Daily World News" and not world.problem
    titles = [s.title for s in world.stories]
    assert titles[0] == "NASA's Perseverance probe reaches the rim of Jezero crater on Mars"  # no site name
    assert "Arsenal beat Chelsea 2-1 in a late Premier League thriller!" in titles  # no "WATCH:", no "!!!"
    assert world.stories[0].key == "dw-1001" and world.stories[0].tags == ["Science"]
    assert world.stories[0].summary.startswith("The rover climbed")  # HTML gone
    assert world.stories[0].published_at == 1748844600.0

    science = feeds.fetch(_fixture("atom.xml"))
    assert science.status == "ok" and science.title == "Science Today" and len(science.stories) == 3
    glaciers = science.stories[1]
    assert glaciers.title == "Glaciers in the Alps lost 4 % of their ice last year"  # type="html" title
    assert glaciers.summary == ("It was the second worst year on record. Warm summers and little winter "
                                "snow are to blame.")  # <content>, not <summary>
    assert glaciers.link == "https://sciencetoday.example/alps-glaciers"


def test_a_malformed_feed_keeps_what_parsed_and_says_what_was_wrong() -> None:
    broken = feeds.fetch(_fixture("malformed.xml"))
    assert broken.status == "ok"
    assert "isn't well-formed XML" in broken.problem and "line 18" in broken.problem
    assert [s.title for s in broken.stories][:2] == ["Bridge repairs finish two weeks early",
                                                     "Library extends its opening hours"]
    assert broken.stories[1].summary == "The main branch will open until nine."
    assert broken.stories[2].published_at == broken.stories[1].published_at  # undated: not the newest


def test_empty_and_not_a_feed() -> None:
    empty = feeds.fetch(_fixture("empty.xml"))
    assert empty.status == "ok" and empty.stories == [] and empty.problem == "it has no stories right now"
    assert empty.title == "Quiet Times"
    zero = feeds.parse(b"", "/tmp/zero.xml")
    assert zero.status == "ok" and zero.problem == "it's empty"
    with pytest.raises(feeds.FeedError, match="web page, not a news feed") as page:
        feeds.parse(b"<!DOCTYPE html><html><body><p>Welcome</p></body></html>", "https://x.example/")
    assert page.value.lasting
    with pytest.raises(feeds.FeedError, match="isn't an RSS or Atom feed"):
        feeds.parse(b"just some words, not xml at all", "/tmp/words.txt")


def test_latin1_declared_and_mislabelled(tmp_path: Path) -> None:
    declared = feeds.fetch(_fixture("latin1.xml"))
    assert declared.status == "ok" and declared.title == "Le Journal de Zürich" and not declared.problem
    assert declared.stories[0].title == "Café owners in Zürich protest the new rent rules"
    assert "São Paulo" in declared.stories[0].summary
    # the same bytes claiming to be UTF-8: read anyway, with a note, and no letters lost
    lying = (HERE / "latin1.xml").read_bytes().replace(b'encoding="ISO-8859-1"', b'encoding="UTF-8"')
    (tmp_path / "lying.xml").write_bytes(lying)
    wrong = feeds.fetch(str(tmp_path / "lying.xml"))
    assert wrong.status == "ok" and len(wrong.stories) == 2
    assert "encoding" in wrong.problem
    assert wrong.stories[1].title == "Garçon of the year award goes to a Genève waiter"


def test_a_huge_feed_is_cut_to_its_newest_stories(tmp_path: Path) -> None:
    entries = [Entry(f"Story number {n} about the harbour", f"Details {n}.", hours_ago=n) for n in range(260)]
    path = tmp_path / "huge.xml"
    path.write_text(rss("Huge Feed", entries))
    huge = feeds.fetch(str(path))
    assert len(huge.stories) == feeds.MAX_STORIES and huge.left_out == 60
    assert huge.stories[0].title == "Story number 0 about the harbour"  # the newest kept
    assert "Story number 259 about the harbour" not in {s.title for s in huge.stories}


def test_a_download_past_the_byte_cap_is_cut_and_what_parsed_is_kept(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "MAX_BYTES", 4000)
    entries = [Entry(f"Story {n} from the endless feed", "Words. " * 20, hours_ago=n) for n in range(100)]
    with serving() as server:
        server.routes["/endless"] = Route(rss("Endless", entries).encode())
        cut = feeds.fetch(server.url("/endless"))
    assert cut.status == "ok" and "huge, so I read only its first 0.004 MB" in cut.problem
    assert 3 <= len(cut.stories) < 100 and cut.stories[0].title == "Story 0 from the endless feed"


def test_files_that_are_missing_unchanged_or_folders(tmp_path: Path) -> None:
    missing = feeds.fetch(str(tmp_path / "nope.xml"))
    assert missing.status == "failed" and missing.lasting and missing.problem == "there's no such file"
    folder = feeds.fetch(str(tmp_path))
    assert folder.status == "failed" and "folder" in folder.problem
    path = tmp_path / "world.xml"
    path.write_text(rss("World", WORLD))
    first = feeds.fetch(str(path))
    again = feeds.fetch(str(path), etag=first.etag)
    assert first.status == "ok" and again.status == "unchanged"


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://example.com/rss.xml", "https://example.com/rss.xml"),
    ("feed://example.com/rss.xml", "https://example.com/rss.xml"),
    ("example.com/rss.xml", "https://example.com/rss.xml"),
    ("<https://example.com/a>", "https://example.com/a"),
])
def test_locations_are_normalised(raw: str, expected: str) -> None:
    assert feeds.normalise_location(raw) == expected


def test_a_path_becomes_absolute_and_odd_schemes_are_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert feeds.normalise_location("./local.xml") == str(tmp_path / "local.xml")
    with pytest.raises(feeds.FeedError, match="not ftp"):
        feeds.normalise_location("ftp://example.com/feed.xml")


def test_urls_from_a_real_local_server() -> None:
    body = rss("Daily World", WORLD).encode()
    with serving() as server:
        server.routes["/world.rss"] = Route(body, etag='"v1"')
        server.routes["/broken"] = Route(b"oops", status=500)
        server.routes["/slow"] = Route(body, delay_s=2.0)
        server.routes["/page"] = Route(b"<html><body>hello</body></html>", content_type="text/html")
        server.routes["/latin"] = Route((HERE / "latin1.xml").read_bytes(),
                                        content_type="application/rss+xml; charset=iso-8859-1")

        first = feeds.fetch(server.url("/world.rss"))
        assert first.status == "ok" and len(first.stories) == 6 and first.etag == '"v1"'
        again = feeds.fetch(server.url("/world.rss"), etag=first.etag)
        assert again.status == "unchanged"
        assert server.hits("/world.rss")[-1]["if-none-match"] == '"v1"'  # a conditional GET

        gone = feeds.fetch(server.url("/missing"))
        assert gone.status == "failed" and gone.lasting and "(404)" in gone.problem
        broken = feeds.fetch(server.url("/broken"))
        assert broken.status == "failed" and not broken.lasting
        assert broken.problem == "its server had a problem (500)"
        slow = feeds.fetch(server.url("/slow"), timeout=0.3)
        assert slow.status == "failed" and "took too long" in slow.problem
        page = feeds.fetch(server.url("/page"))
        assert page.status == "failed" and "web page" in page.problem
        latin = feeds.fetch(server.url("/latin"))
        assert latin.stories[0].title == "Café owners in Zürich protest the new rent rules"

    offline = feeds.fetch(f"http://127.0.0.1:{free_port()}/feed.xml", timeout=1.0)
    assert offline.status == "failed" and not offline.lasting and "am I offline?" in offline.problem


def test_feedparser_is_never_handed_a_location(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import feedparser

    seen: list[object] = []
    real = feedparser.parse

    def spy(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)
    with serving() as server:
        server.routes["/w"] = Route(rss("W", WORLD[:1]).encode())
        assert feeds.fetch(server.url("/w")).status == "ok"
    assert feeds.fetch(_fixture("atom.xml")).status == "ok"
    assert len(seen) == 2 and all(hasattr(s, "read") for s in seen)  # byte streams, never a URL or path


def test_a_guid_that_is_not_an_address_is_not_offered_as_the_link():
    from os1.skills.news.feeds import parse

    xml = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           b"<item><title>Probe reaches Mars</title><guid>1</guid></item></channel></rss>")
    [story] = parse(xml, "/tmp/feed.xml").stories
    assert story.link == "" and story.key == "1"
