"""``os1 news …``: the user's news feeds and their headlines from the command line.

The same things can be asked in conversation ("add the feed https://…", "read me the headlines", "skip
the tabloid stuff"); these commands suit setting feeds up and a quick look. Fetching asks the news.read
question first ("Can I fetch the news from your feeds?") unless it was answered yes before (``--yes``
answers it). Adding and removing feeds and dropping filters are journaled: ``os1 undo`` reverses them.
"""

from __future__ import annotations

from typing import Any

import click

from os1.cli.skill_support import ask_consent, open_db

QUESTION = "Can I fetch the news from your feeds?"


def _news(db: Any) -> Any:
    from os1.skills.news.store import NewsStore

    return NewsStore(db)


def _consent(db: Any, yes: bool) -> None:
    """Ask the news.read question unless it was answered yes before (``--yes`` answers it)."""
    ask_consent(db, "news.read", QUESTION, yes=yes, refusal="Okay, I won't fetch anything.")


def _journal(db: Any, tool: str, summary: str, undo: dict[str, Any]) -> None:
    db.journal.record("news", tool, summary, {"skill": "news", **undo})


def _warn(text: str) -> None:
    click.secho(text, fg="yellow", err=True)


@click.group("news")
def news_group() -> None:
    """Headlines from your RSS and Atom feeds, the things you care about first.

    \b
    os1 news add https://example.com/rss.xml   follow a feed (a web address or a file; asks first)
    os1 news feeds                             the feeds you follow, numbered, and how they are
    os1 news remove 2                          stop following feed 2 (or give its name or address)
    os1 news headlines [--limit 5]             the top stories (--refresh fetches all feeds now,
                                               --offline uses only what is stored)
    os1 news filters [--reset]                 what is left out ("skip the tabloid stuff" in chat)
    os1 news refresh                           fetch every feed now, with a report per feed

    In a conversation: "read me the headlines", "tell me more about the second one", "skip the
    tabloid stuff", "less about football", "show me everything again". `os1 undo` undoes a change.
    """


@news_group.command("add", short_help="Follow a feed: a web address or a file (asks first).")
@click.argument("location")
@click.option("--yes", is_flag=True, help=f"Answer yes to \"{QUESTION}\".")
def add_command(location: str, yes: bool) -> None:
    """Follow the RSS or Atom feed at LOCATION: an http(s) address or a file on this computer.

    The feed is read once right away, so a wrong address is caught now ("there's nothing at that
    address any more (404)", "that's a web page, not a news feed"); a feed that can't be reached just
    now (offline) is added anyway and tried again later. `os1 undo` takes it back out.
    """
    from os1.skills.news import feeds as feed_io

    try:
        where = feed_io.normalise_location(location)
    except feed_io.FeedError as exc:
        raise click.ClickException(str(exc)) from exc
    with open_db() as db:
        store = _news(db)
        existing = store.feed_at(where)
        if existing is not None and existing.removed_at is None:
            click.echo(f"Already following {existing.name}.")
            return
        _consent(db, yes)
        click.echo(f"Reading {where} …", err=True)
        fetched = feed_io.fetch(where)
        if fetched.status == "failed" and fetched.lasting:
            raise click.ClickException(f"Not added: {fetched.problem}.")
        feed, _new = store.add_feed(where, fetched.title)
        store.record_fetch(feed.id, fetched)
        feed = store.feed(feed.id) or feed
        _journal(db, "add_feed", f"followed the feed {feed.name}",
                 {"tool": "undo_add_feed", "arguments": {"feed_id": feed.id}})
    if fetched.status == "failed":
        _warn(f"Added {feed.name}, but I couldn't reach it just now ({fetched.problem}); "
              "I'll try again when you ask for the news.")
        return
    if fetched.problem:
        _warn(f"Note: {fetched.problem}.")
    stories = len(fetched.stories)
    click.echo(f"Now following {feed.name} ({stories:,} {'story' if stories == 1 else 'stories'}). "
               "`os1 undo` takes it back out.")


@news_group.command("feeds", short_help="The feeds you follow, numbered.")
def feeds_command() -> None:
    """The feeds you follow, numbered (for `os1 news remove N`), with their stories and how the last
    fetch went."""
    from os1.skills.news.speech import when

    with open_db() as db:
        store = _news(db)
        feeds = store.feeds()
        if not feeds:
            click.echo("No feeds yet. Add one: os1 news add https://example.com/rss.xml (or a file).")
            return
        for number, feed in enumerate(feeds, start=1):
            stories = store.count_items(feed.id)
            if feed.error:
                failed = f"couldn't reach it {when(feed.checked_at or 0)}: {feed.error}"
                state = click.style(failed, fg="yellow")
            elif feed.ok_at:
                state = f"read {when(feed.ok_at)}"
            else:
                state = "not read yet"
            click.echo(f"{number:>2}. {feed.name}  ({stories:,} stories; {state})")
            click.echo(f"    {feed.location}")


@news_group.command("remove", short_help="Stop following a feed (os1 undo brings it back).")
@click.argument("which", nargs=-1, required=True)
def remove_command(which: tuple[str, ...]) -> None:
    """Stop following a feed: WHICH is its number in `os1 news feeds`, its name or its address.
    Its stories are kept, so `os1 undo` brings it back as it was."""
    from os1.skills.news.refer import find_feed

    text = " ".join(which)
    with open_db() as db:
        store = _news(db)
        feed = find_feed(store, text)
        if feed is None:
            raise click.ClickException(f"No feed like “{text}”. See the list with: os1 news feeds")
        store.remove_feed(feed.id)
        _journal(db, "remove_feed", f"stopped following the feed {feed.name}",
                 {"tool": "restore_feed", "arguments": {"feed_id": feed.id}})
    click.echo(f"Stopped following {feed.name}. `os1 undo` brings it back.")


@news_group.command("headlines", short_help="The top stories, the things you care about first.")
@click.option("-n", "--limit", default=5, show_default=True, type=click.IntRange(1, 50),
              help="How many stories.")
@click.option("--refresh/--offline", "fetch", default=None,
              help="Fetch every feed now / use only the stories already stored "
                   "(default: fetch the feeds not read in the last 15 minutes).")
@click.option("--about", "topic", default="", help="Only stories about this (\"Mars\", \"football\").")
@click.option("--spoken", is_flag=True, help="As OS1 says them (one short paragraph), not as a list.")
@click.option("--no-meaning", is_flag=True, help="Match interests by words only (no MiniLM; faster).")
def headlines_command(limit: int, fetch: bool | None, topic: str, spoken: bool, no_meaning: bool) -> None:
    """The top stories from your feeds: ranked by what you care about (from memory: "I love
    astronomy"), recency and a spread of sources, without what you filtered out."""
    from os1.skills.news import filters, rank, refresh, speech
    from os1.skills.news.speech import when

    with open_db() as db:
        store = _news(db)
        if not store.feeds():
            raise click.ClickException("No feeds yet. Add one: os1 news add https://example.com/rss.xml")
        report = None
        if fetch is not False:
            _consent(db, False)
            report = refresh.refresh(store, force=bool(fetch))
        before, after = refresh.notes(store, report)
        prefs = filters.preferences(store)
        likes = rank.interests(db, prefs)
        selection = rank.rank(store, store.items(), prefs, likes, topic=filters.clean_topic(topic),
                              limit=limit, encoder=False if no_meaning else None)
        store.mark_said([r.item.id for r in selection.picked])
    for note in before:
        _warn(note)
    if not selection.picked:
        click.echo(f"Nothing about {topic} right now." if topic else "No stories right now.")
    elif spoken:
        click.echo(speech.headlines(selection.picked, topic=filters.clean_topic(topic)))
    else:
        for number, ranked in enumerate(selection.picked, start=1):
            item = ranked.item
            click.echo(f"{number:>2}. {item.title}")
            click.echo(click.style(f"    {item.source}, {when(item.published_at)}"
                                   + (f" — {item.link}" if item.link else ""), dim=True))
    skipped = speech.left_out(dict(selection.hidden))
    for note in [skipped, *after]:
        if note:
            _warn(note)


@news_group.command("filters", short_help="What is left out of your headlines (--reset: nothing).")
@click.option("--reset", is_flag=True, help="Drop every filter (show everything again; `os1 undo` puts "
                                            "them back).")
def filters_command(reset: bool) -> None:
    """What is left out of your headlines and what gets more room: set in conversation ("skip the
    tabloid stuff", "not interested in this kind of thing", "less about football", "more about
    science"). Learned words come from the stories you turned down."""
    from os1.skills.news import filters

    with open_db() as db:
        store = _news(db)
        rows = store.filters()
        if reset:
            hiding = filters.hiding(rows)
            if not hiding:
                click.echo("Nothing is filtered.")
                return
            store.remove_filters([r.id for r in hiding])
            _journal(db, "reset_news_filters", "showing all the news again",
                     {"tool": "undo_reset", "arguments": {"removed": [r.id for r in hiding]}})
            click.echo(f"Dropped {len(hiding)} filter rules: everything shows again. "
                       "`os1 undo` puts them back.")
            return
        prefs = filters.preferences(store)
        dismissed = store.items_by_id(sorted(prefs.dismissed))
    if not rows:
        click.echo("No filters: you get everything, the things you care about first.")
        return
    click.echo(f"Tabloid filter: {'on' if prefs.tabloid_on else 'off'}")
    for topic, weight in sorted(prefs.topics.items(), key=lambda kv: kv[1]):
        click.echo(f"  {'more' if weight > 0 else 'less'} about {topic} ({weight:+.1f})")
    if prefs.learned.words:
        words = sorted(prefs.learned.words.items(), key=lambda kv: -kv[1])[:15]
        click.echo("Learned words: " + ", ".join(f"{w} ({v:.1f})" for w, v in words))
    if prefs.learned.sites:
        click.echo("Learned sites: " + ", ".join(f"{s} ({v:.2f})" for s, v in prefs.learned.sites.items()))
    for item in dismissed:
        click.echo(f"  turned down: {item.title} ({item.source})")


@news_group.command("refresh", short_help="Fetch every feed now, with a report.")
@click.option("--yes", is_flag=True, help=f"Answer yes to \"{QUESTION}\".")
def refresh_command(yes: bool) -> None:
    """Fetch every feed now (conditional requests: unchanged feeds cost almost nothing) and say what
    each one gave: new stories, problems, and what was kept of a malformed feed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from os1.skills.news import refresh

    with open_db() as db:
        store = _news(db)
        feeds = store.feeds()
        if not feeds:
            raise click.ClickException("No feeds yet. Add one: os1 news add https://example.com/rss.xml")
        _consent(db, yes)
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True)
        with bar:
            task = bar.add_task("fetching feeds", total=len(feeds))
            report = refresh.refresh(store, force=True, progress=lambda _o: bar.advance(task))
    for outcome in report.outcomes:
        fetched, name = outcome.fetched, outcome.feed.name
        if fetched.status == "failed":
            _warn(f"{name}: {fetched.problem}")
        elif fetched.status == "unchanged":
            click.echo(f"{name}: unchanged")
        else:
            note = f" ({fetched.problem})" if fetched.problem else ""
            click.echo(f"{name}: {outcome.new:,} new of {len(fetched.stories):,}{note}")
    failed = len(report.failed)
    click.echo(f"{report.new:,} new stories from {len(report.outcomes) - failed} feeds"
               + (f"; {failed} couldn't be read." if failed else "."))
