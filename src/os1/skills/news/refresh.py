"""Bringing the stored stories up to date: every followed feed that wasn't looked at in the last
:data:`REFRESH_AFTER_S` seconds is fetched (a few at once), and what each look found is saved.

Feeds that could not be reached keep their stories, so the headlines still come, and
:func:`notes` says which feeds are behind and since when ("I couldn't reach BBC News, so these are
from this morning.").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from os1.skills.news import feeds as feed_io
from os1.skills.news.speech import number, when
from os1.skills.news.store import Feed, NewsStore

REFRESH_AFTER_S = 15 * 60
WORKERS = 4


@dataclass
class Outcome:
    feed: Feed
    fetched: feed_io.Fetched
    new: int


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.fetched.status == "failed"]

    @property
    def odd(self) -> list[Outcome]:
        """Feeds that were read, but with something worth saying (malformed, empty, cut short)."""
        return [o for o in self.outcomes if o.fetched.status == "ok" and o.fetched.problem]


def refresh(store: NewsStore, *, force: bool = False, feeds: list[Feed] | None = None,
            timeout: float = feed_io.TIMEOUT_S, now: float | None = None,
            progress: Callable[[Outcome], None] | None = None) -> Report:
    """Fetch the feeds that are due (all of them with ``force``) and save what they hold."""
    now = now or time.time()
    chosen = [f for f in (feeds if feeds is not None else store.feeds())
              if force or f.checked_at is None or now - f.checked_at >= REFRESH_AFTER_S]
    report = Report()
    if not chosen:
        return report

    with feed_io.Session(timeout) as session, \
            ThreadPoolExecutor(max_workers=min(WORKERS, len(chosen))) as pool:
        def look(feed: Feed) -> feed_io.Fetched:
            return session.fetch(feed.location, feed.etag, feed.last_modified)

        for feed, fetched in zip(chosen, pool.map(look, chosen), strict=True):
            new = store.record_fetch(feed.id, fetched)
            outcome = Outcome(store.feed(feed.id) or feed, fetched, new)
            report.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    return report


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def notes(store: NewsStore, report: Report | None = None,
          now: float | None = None) -> tuple[list[str], list[str]]:
    """What to say before the headlines (feeds that are behind) and after them (feeds that were odd).

    A feed is behind when its last try failed: with stories stored, they are said with when they are
    from; without any, the reason is said instead."""
    now = now or time.time()
    behind: list[tuple[str, float]] = []
    never: list[str] = []
    for feed in store.feeds():
        if not feed.error:
            continue
        if feed.ok_at is not None and store.count_items(feed.id):
            behind.append((feed.name, feed.ok_at))
        else:
            never.append(f"{feed.name} ({feed.error})")
    before: list[str] = []
    if behind:
        oldest = min(ts for _n, ts in behind)
        names = _names([n for n, _ts in behind])
        with_stories = [f for f in store.feeds() if store.count_items(f.id)]
        if len(behind) == len(with_stories):
            tail = "these are"
        else:
            tail = "its stories are" if len(behind) == 1 else "their stories are"
        before.append(f"I couldn't reach {names}, so {tail} from {when(oldest, now)}.")
    if never:
        before.append(f"I couldn't read {_names(never)}.")
    after: list[str] = []
    for outcome in (report.odd if report is not None else []):
        kept = len(outcome.fetched.stories)
        if kept:
            after.append(f"{outcome.feed.name} had a problem: {outcome.fetched.problem}; I kept the "
                         f"{number(kept)} {'story' if kept == 1 else 'stories'} I could read.")
        else:
            after.append(f"{outcome.feed.name}: {outcome.fetched.problem}.")
    return before, after
