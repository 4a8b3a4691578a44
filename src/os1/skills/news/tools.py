"""Tools of the news skill: the user's feeds, the headlines said briefly in OS1's voice, more about one
story, and filters that learn ("skip the tabloid stuff", "less about football", "show me everything
again").

Everything needs ``news.read`` ("Can I fetch the news from your feeds?"), asked once. Adding, removing
and filtering are journaled with their exact inverse, so "undo that" works. A story's words are outside
content: said, never obeyed (``ToolResult.untrusted``).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.news import feeds as feed_io
from os1.skills.news import filters, rank, refer, refresh, speech, tabloid
from os1.skills.news.store import Feed, Item, NewsStore
from os1.skills.news.text import content_words
from os1.skills.news.topics import topic_named

DEFAULT_LIMIT = 5
MAX_LIMIT = 12
FOLLOW_UPS = ("Tell me more about the second one. More about the first one. Skip the tabloid stuff. "
              "Not interested in this kind of thing. Less about football. More about science.")


def _store(ctx: ToolContext) -> NewsStore:
    return NewsStore(ctx.runtime.store)


def _outside(names: list[str]) -> str:
    shown = ", ".join(dict.fromkeys(names)) or "your feeds"
    return f"news headlines from {shown}"


def _count(n: int, one: str, many: str = "") -> str:
    """"three stories", "1,204 stories": small numbers in words, as they are said."""
    amount = speech.number(n) if n <= 12 else f"{n:,}"
    return f"{amount} {one if n == 1 else (many or one + 's')}"


def _profile(ctx: ToolContext) -> Any:
    return ctx.runtime.store.profile


# -- feeds ---------------------------------------------------------------------------------------
def _feed_line(store: NewsStore, index: int, feed: Feed) -> str:
    stories = store.count_items(feed.id)
    if feed.error:
        state = f"couldn't reach it {speech.when(feed.checked_at or time.time())}: {feed.error}"
    elif feed.ok_at:
        state = f"read {speech.when(feed.ok_at)}"
    else:
        state = "not read yet"
    return f"{index}. {feed.name} — {_count(stories, 'story', 'stories')}, {state}"


@tool("reversible")
async def add_feed(ctx: ToolContext, location: str) -> ToolResult:
    """Follow a news feed (RSS or Atom): a web address or a file."""
    try:
        where = feed_io.normalise_location(location)
    except feed_io.FeedError as exc:
        raise ToolError(str(exc)) from exc
    store = _store(ctx)
    existing = store.feed_at(where)
    if existing is not None and existing.removed_at is None:
        return ToolResult(text=f"I already follow {existing.name}.")
    fetched = await asyncio.to_thread(feed_io.fetch, where)
    if fetched.status == "failed" and fetched.lasting:
        raise ToolError(f"I couldn't add {where}: {fetched.problem}.")
    feed, _new = store.add_feed(where, fetched.title)
    store.record_fetch(feed.id, fetched)
    feed = store.feed(feed.id) or feed
    undo = {"tool": "undo_add_feed", "arguments": {"feed_id": feed.id}}
    if fetched.status == "failed":
        return ToolResult(text=f"I added {feed.name}, but I couldn't reach it just now ({fetched.problem}). "
                               "I'll try again when you ask for the news.",
                          undo=undo, summary=f"followed the feed {feed.name}")
    stories = len(fetched.stories)
    odd = f" Note: {fetched.problem}." if fetched.problem else ""
    return ToolResult(
        text=f"Now following {feed.name} ({_count(stories, 'story', 'stories')}).{odd} "
             "Say “read me the headlines” to hear them.",
        data={"feed_id": feed.id, "stories": stories}, undo=undo, summary=f"followed the feed {feed.name}",
        untrusted=_outside([feed.name]))


@tool("reversible", journaled=False)
def undo_add_feed(ctx: ToolContext, feed_id: int) -> ToolResult:
    """Stop following a feed that was just added (used by undo)."""
    store = _store(ctx)
    feed = store.feed(feed_id)
    store.remove_feed(feed_id)
    return ToolResult(text=f"I'm not following {feed.name if feed else 'that feed'} any more.")


@tool("reversible")
def remove_feed(ctx: ToolContext, which: str) -> ToolResult:
    """Stop following a feed (by its number in the list, its name or its address; undoable)."""
    store = _store(ctx)
    feed = refer.find_feed(store, which)
    if feed is None:
        names = ", ".join(f"{n}. {f.name}" for n, f in enumerate(store.feeds(), start=1))
        known = f" You follow: {names}." if names else " You don't follow any feeds yet."
        return ToolResult(text=f"I don't follow a feed like “{which}”.{known}", defer=not names)
    store.remove_feed(feed.id)
    return ToolResult(text=f"Okay, I've stopped following {feed.name}. Say “undo that” to bring it back.",
                      undo={"tool": "restore_feed", "arguments": {"feed_id": feed.id}},
                      summary=f"stopped following the feed {feed.name}", data={"feed_id": feed.id})


@tool("reversible", journaled=False)
def restore_feed(ctx: ToolContext, feed_id: int) -> ToolResult:
    """Follow a removed feed again, with its stories (used by undo)."""
    store = _store(ctx)
    store.restore_feed(feed_id)
    feed = store.feed(feed_id)
    return ToolResult(text=f"I'm following {feed.name if feed else 'that feed'} again.")


@tool("read")
def list_feeds(ctx: ToolContext) -> ToolResult:
    """List the news feeds I follow for you."""
    store = _store(ctx)
    feeds = store.feeds()
    if not feeds:
        return ToolResult(text="You haven't given me any news feeds yet. Say “add the feed https://…” "
                               "with the address of an RSS or Atom feed.")
    lines = "\n".join(_feed_line(store, n, f) for n, f in enumerate(feeds, start=1))
    return ToolResult(text=f"I follow {_count(len(feeds), 'feed')} for you:\n{lines}",
                      data={"feeds": [f.location for f in feeds]},
                      untrusted=_outside([f.name for f in feeds]))


# -- headlines --------------------------------------------------------------------------------------
def _headlines(ctx: ToolContext, topic: str, limit: int) -> ToolResult:
    store = _store(ctx)
    if not store.feeds():
        return ToolResult(text="You haven't given me any news feeds yet. Say “add the feed https://…” with "
                               "the address of an RSS or Atom feed, and I'll read you its headlines.")
    report = refresh.refresh(store)
    before, after = refresh.notes(store, report)
    prefs = filters.preferences(store)
    likes = rank.interests(ctx.runtime.store, prefs)
    topic = filters.clean_topic(topic) if topic.strip() else ""
    selection = rank.rank(store, store.items(), prefs, likes, topic=topic, limit=limit)
    if topic:
        store.add_filters(filters.asked_rows(topic))  # what they ask about is an interest too
    if not selection.picked:
        if topic:
            text = f"Nothing about {topic} in your feeds right now."
        elif selection.considered:
            text = "There's nothing I haven't filtered out in your feeds right now."
        else:
            text = "Your feeds have no stories right now."
        extra = speech.left_out(dict(selection.hidden)) if not topic else ""
        return ToolResult(text=" ".join([*before, text, extra, *after]).strip())
    after = [speech.left_out(dict(selection.hidden)), *after] if not topic else after
    text = speech.headlines(selection.picked, topic=topic, before=before, after=after)
    ids = [r.item.id for r in selection.picked]
    store.mark_said(ids)
    refer.remember_said(_profile(ctx), ctx.conversation_id, ids)
    refer.remember_focus(_profile(ctx), ctx.conversation_id, None)
    return ToolResult(
        text=text,
        data={"stories": [{"id": r.item.id, "title": r.item.title, "source": r.item.source,
                           "link": r.item.link} for r in selection.picked],
              "left_out": dict(selection.hidden), "new": report.new},
        untrusted=_outside([r.item.source for r in selection.picked]),
        expect=FOLLOW_UPS)


@tool("read")
async def headlines(ctx: ToolContext, topic: str = "", limit: int = DEFAULT_LIMIT) -> ToolResult:
    """Read the headlines from your feeds, briefly, the ones you care about first (or only about a topic)."""
    limit = max(1, min(MAX_LIMIT, int(limit)))
    return await asyncio.to_thread(_headlines, ctx, topic, limit)


@tool("read")
def more_about(ctx: ToolContext, which: str = "") -> ToolResult:
    """Tell more about one of the headlines ("the second one", "the Mars one")."""
    store = _store(ctx)
    item, why = refer.resolve(store, _profile(ctx), ctx.conversation_id, which)
    if item is None:
        return ToolResult(text=why, defer=not refer.said_ids(_profile(ctx), ctx.conversation_id))
    return _tell_more(ctx, store, item)


def _tell_more(ctx: ToolContext, store: NewsStore, item: Item) -> ToolResult:
    store.mark_opened(item.id)
    refer.remember_focus(_profile(ctx), ctx.conversation_id, item.id)
    return ToolResult(text=speech.more(item), data={"id": item.id, "link": item.link},
                      untrusted=_outside([item.source]), expect=FOLLOW_UPS,
                      summary=f"told you more about “{item.title}”")


def _said_about(said: list[Item], topic: str) -> Item | None:
    """"More about Mars" right after a Mars headline means that story, not more Mars from now on."""
    if topic_named(topic) is not None:
        return None
    wanted = set(content_words(topic))
    if not wanted:
        return None
    return next((item for item in said if wanted <= set(content_words(item.text))), None)


def _in_view(ctx: ToolContext, store: NewsStore) -> Item | None:
    """The story the user just heard more about, if that came after the last headlines."""
    focus = refer.in_view(_profile(ctx), ctx.conversation_id)
    return store.item(focus) if focus is not None else None


# -- filters ---------------------------------------------------------------------------------------
def _now_hidden(store: NewsStore) -> int:
    prefs = filters.preferences(store)
    return sum(1 for item in store.items(limit=rank.CANDIDATES) if prefs.hides(item))


@tool("reversible")
def filter_news(ctx: ToolContext, request: str) -> ToolResult:
    """Leave out or give more room to kinds of news ("skip the tabloid stuff", "less about football").

    Also "not interested in this kind of thing" (the story just told, or "the third one": stories like
    it are left out from now on) and "more about science". Undoable."""
    store = _store(ctx)
    asked = filters.parse_request(request)
    if asked is None:
        raise ToolError("Tell me what to leave out or see more of, like “skip the tabloid stuff”, "
                        "“less about football” or “more about science”.")
    profile = _profile(ctx)
    said = store.items_by_id(refer.said_ids(profile, ctx.conversation_id))
    if asked.kind == "tabloid":
        about = _in_view(ctx, store)
        if about is not None and tabloid.score(about.title, about.summary, (about.location, about.link)) \
                < filters.LEARN_FROM_HEADLINES:
            about = None  # "skip the tabloid stuff" after a serious story is about the headlines, not it
        rows, learned_from = filters.tabloid_rows(said, about)
        before = _now_hidden(store)
        ids = store.add_filters(rows)
        fewer = _now_hidden(store) - before
        like = ""
        if about is not None:
            like = f", like “{about.title}”"
        elif learned_from:
            n = len(learned_from)
            like = f", like the {speech.number(n)} {'story' if n == 1 else 'stories'} just now"
        tail = f" That leaves out {_count(fewer, 'story', 'stories')} I have now." if fewer > 0 else ""
        text = (f"Okay, no more tabloid stuff: I'll skip celebrity gossip{like}.{tail} "
                "Say “show me everything again” if you miss it.")
        summary = "skipping tabloid stories"
    elif asked.kind == "dismiss":
        item: Item | None
        if asked.which:
            item, why = refer.resolve(store, profile, ctx.conversation_id, asked.which)
        else:
            item = _in_view(ctx, store)
            why = ""
            if item is None:
                item, why = refer.resolve(store, profile, ctx.conversation_id, "")
        if item is None:
            return ToolResult(text=why, defer=not said)
        ids = store.add_filters(filters.dismiss_rows(item))
        text = (f"Okay, I'll leave out stories like “{item.title}” from now on. "
                "Say “undo that” if I got it wrong.")
        summary = f"leaving out stories like “{item.title}”"
    else:
        story = _said_about(said, asked.topic) if asked.kind == "more" else None
        if story is not None:
            return _tell_more(ctx, store, story)
        ids = store.add_filters(filters.topic_rows(asked.kind, asked.topic))
        if asked.kind == "less":
            text = f"Okay, less about {asked.topic} from now on."
            summary = f"less news about {asked.topic}"
        else:
            text = f"Okay, more about {asked.topic} from now on."
            summary = f"more news about {asked.topic}"
    return ToolResult(text=text, undo={"tool": "undo_filter", "arguments": {"added": ids}}, summary=summary,
                      data={"kind": asked.kind, "topic": asked.topic})


@tool("reversible", journaled=False)
def undo_filter(ctx: ToolContext, added: list[int]) -> ToolResult:
    """Take back a news filter change (used by undo)."""
    _store(ctx).remove_filters([int(i) for i in added])
    return ToolResult(text="The news is filtered as it was before.")


def _describe(rows: list[Any]) -> list[str]:
    """What a set of filter rows does, in a few words each."""
    out: list[str] = []
    if any(r.kind == "tabloid" for r in rows):
        out.append("tabloid stories")
    less = list(dict.fromkeys(r.value for r in rows if r.kind == "topic" and r.weight < 0))
    out += less
    dismissed = {r.value for r in rows if r.kind == "item" and r.origin == "dismiss"}
    if len(dismissed) == 1:
        out.append("stories like the one you turned down")
    elif dismissed:
        out.append(f"stories like the {speech.number(len(dismissed))} you turned down")
    return out


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@tool("reversible")
def reset_news_filters(ctx: ToolContext) -> ToolResult:
    """Show me everything again: drop every news filter (undoable)."""
    store = _store(ctx)
    rows = filters.hiding(store.filters())
    if not rows:
        return ToolResult(text="I'm not leaving anything out: you're getting everything already.")
    store.remove_filters([r.id for r in rows])
    what = _describe(rows)
    listed = _join(what) if what else ""
    back = f" {listed[:1].upper() + listed[1:]} {'is' if len(what) == 1 else 'are'} back." if what else ""
    return ToolResult(text=f"Okay, I'll show you everything again.{back} "
                           "Say “undo that” to filter them again.",
                      undo={"tool": "undo_reset", "arguments": {"removed": [r.id for r in rows]}},
                      summary="showing all the news again")


@tool("reversible", journaled=False)
def undo_reset(ctx: ToolContext, removed: list[int]) -> ToolResult:
    """Put back the news filters that were dropped (used by undo)."""
    _store(ctx).restore_filters([int(i) for i in removed])
    return ToolResult(text="The news filters are back as they were.")


@tool("read")
def news_filters(ctx: ToolContext) -> ToolResult:
    """Say what I leave out of the news, and what I give more room."""
    store = _store(ctx)
    rows = store.filters()
    hidden = _describe(filters.hiding(rows))
    prefs = filters.preferences(store)
    more = [t for t, w in prefs.topics.items() if w > 0.5]
    if not hidden and not more:
        return ToolResult(text="I'm not filtering the news: you get everything, "
                               "the things you care about first.")
    parts = []
    if hidden:
        parts.append(f"I leave out {_join(hidden)}.")
    if more:
        parts.append(f"I give {_join(more)} more room.")
    parts.append("Say “show me everything again” to drop the filters.")
    return ToolResult(text=" ".join(parts))
