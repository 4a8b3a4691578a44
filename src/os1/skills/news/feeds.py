"""Getting a feed: the bytes (a local file, or an http/https address through httpx with a timeout and a
conditional GET), then its stories (feedparser, which is only ever handed the bytes: it never fetches
anything itself).

Whatever goes wrong becomes a sentence a person understands ("its server had a problem (500)", "it took
too long to answer", "it isn't well-formed XML (mismatched tag at line 12)"). A malformed feed keeps the
stories that could be read; a feed that is huge is cut to its newest :data:`MAX_STORIES` stories and
:data:`MAX_BYTES` bytes; an empty feed is not an error, just empty. A file that has not changed since
the last look (same size and modification time) is "unchanged", like an HTTP 304.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import ipaddress
import re
import socket
import threading
import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from os1.skills.news.text import clean_title, first_sentence, plain

TIMEOUT_S = 8.0
CONNECT_TIMEOUT_S = 4.0
MAX_BYTES = 8_000_000  # a feed bigger than this is read up to here (what parsed is kept)
MAX_STORIES = 200  # the newest this many stories of a feed are kept
MAX_SUMMARY_CHARS = 2000
USER_AGENT = "OS1 news reader (feedparser)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/.*)?$")


class FeedError(Exception):
    """A feed could not be read; the message says why, in words the user understands.

    ``lasting``: it will not get better by trying again (no such file, 404, not a feed), as opposed to
    the network being down or a server having a bad moment."""

    def __init__(self, message: str, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


@dataclass
class Story:
    """One entry of a feed, as read (the store adds ids and what the user did with it)."""

    key: str
    title: str
    link: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    published_at: float | None = None


@dataclass
class Fetched:
    """The outcome of looking at one feed."""

    location: str
    status: Literal["ok", "unchanged", "failed"]
    title: str = ""
    stories: list[Story] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    problem: str = ""  # what was wrong: why it failed, or what was odd about a feed read anyway
    lasting: bool = False  # a failure that retrying won't fix
    left_out: int = 0  # stories past MAX_STORIES, or unreadable entries


# -- where a feed is ------------------------------------------------------------------------------
def is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


def normalise_location(raw: str) -> str:
    """A URL as given (``feed:`` and bare domains become https), or a file path made absolute."""
    text = raw.strip().strip("<>\"'")
    if not text:
        raise FeedError("Which feed? Give me its address (https://…) or a file.", lasting=True)
    lowered = text.lower()
    if lowered.startswith("feed://"):
        text = "https://" + text[7:]
    elif lowered.startswith("feed:"):
        text = text[5:]
    elif lowered.startswith("file://"):
        return str(Path(urlparse(text).path).expanduser().resolve())
    scheme = urlparse(text).scheme.lower()
    if scheme in ("http", "https"):
        if not urlparse(text).hostname:
            raise FeedError(f"{raw} isn't a web address I can use.", lasting=True)
        return text
    if scheme and len(scheme) > 1:  # "ftp:", "mailto:" (a one-letter "scheme" is a Windows drive)
        raise FeedError(f"I can read feeds from web addresses (http or https) or files, not {scheme}:.",
                        lasting=True)
    path = Path(text).expanduser()
    if not path.exists() and not text.startswith(("/", "~", ".")) and _DOMAIN.match(text):
        return "https://" + text  # "example.com/rss.xml"
    return str(path.resolve())


def describe_location(location: str) -> str:
    """How to mention a feed that has no title yet: its host, or its file name."""
    if is_url(location):
        host = urlparse(location).hostname or location
        return host[4:] if host.startswith("www.") else host
    return Path(location).name


# -- reading the bytes ---------------------------------------------------------------------------
def _file_bytes(location: str, etag: str | None) -> tuple[bytes | None, dict[str, str], str]:
    path = Path(location)
    try:
        stat = path.stat()
        if path.is_dir():
            raise FeedError("it's a folder, not a feed", lasting=True)
        version = f"{stat.st_mtime_ns}-{stat.st_size}"
        if etag and etag == version:
            return None, {}, version
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES)
    except FileNotFoundError as exc:
        raise FeedError("there's no such file", lasting=True) from exc
    except PermissionError as exc:
        raise FeedError("I'm not allowed to read that file", lasting=True) from exc
    except OSError as exc:
        raise FeedError(f"I couldn't read the file ({exc.strerror or exc})") from exc
    return data, {}, version


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _http_problem(status: int) -> FeedError:
    if status in (404, 410):
        return FeedError(f"there's nothing at that address any more ({status})", lasting=True)
    if status in (401, 403):
        return FeedError(f"it wants a login I don't have ({status})", lasting=True)
    if status == 429:
        return FeedError("it asked me to slow down (429); I'll try again later")
    if status >= 500:
        return FeedError(f"its server had a problem ({status})")
    return FeedError(f"its server answered {status}", lasting=400 <= status < 500)


class Session:
    """HTTP clients shared by the fetches of one refresh (making one costs tens of milliseconds): one
    that follows the environment's proxy settings, and one for this computer's own addresses."""

    def __init__(self, timeout: float = TIMEOUT_S) -> None:
        self.timeout = timeout
        self._clients: dict[bool, Any] = {}
        self._lock = threading.Lock()

    def client(self, location: str) -> Any:
        import httpx

        direct = _loopback(urlparse(location).hostname or "")
        with self._lock:
            if direct not in self._clients:
                limits = httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT_S, self.timeout))
                self._clients[direct] = httpx.Client(timeout=limits, follow_redirects=True, max_redirects=5,
                                                     trust_env=not direct)
            return self._clients[direct]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, location: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """Look at one feed: "unchanged" when it hasn't changed since ``etag`` / ``last_modified``;
        "failed" with the reason in ``problem``; never raises."""
        try:
            if is_url(location):
                data, headers, new_etag, new_modified = _url_bytes(self, location, etag, last_modified)
            else:
                data, headers, new_etag = _file_bytes(location, etag)
                new_modified = None
            if data is None:
                return Fetched(location, "unchanged", etag=new_etag or etag,
                               last_modified=new_modified or last_modified)
            fetched = parse(data, location, headers)
        except FeedError as exc:
            return Fetched(location, "failed", problem=str(exc), lasting=exc.lasting)
        except Exception as exc:  # anything else (a parser crash on hostile input): a failure, not a crash
            return Fetched(location, "failed",
                           problem=f"something went wrong reading it ({type(exc).__name__})")
        fetched.etag, fetched.last_modified = new_etag, new_modified
        return fetched


def _url_bytes(session: Session, location: str, etag: str | None,
               last_modified: str | None) -> tuple[bytes | None, dict[str, str], str | None, str | None]:
    import httpx

    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = session.timeout
    try:
        with session.client(location).stream("GET", location, headers=headers) as response:
            if response.status_code == 304:
                return None, {}, etag, last_modified
            if response.status_code >= 400:
                raise _http_problem(response.status_code)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_BYTES:
                    break
            data = b"".join(chunks)[:MAX_BYTES]
            got = {k.lower(): v for k, v in response.headers.items()
                   if k.lower() in ("content-type", "content-language")}
            got["content-location"] = str(response.url)
            return data, got, response.headers.get("etag"), response.headers.get("last-modified")
    except FeedError:
        raise
    except httpx.TimeoutException as exc:
        raise FeedError(f"it took too long to answer (more than {timeout:g} s)") from exc
    except httpx.ConnectError as exc:
        reason = str(exc).lower()
        if isinstance(exc.__cause__, socket.gaierror) or "name or service" in reason \
                or "resolution" in reason:
            raise FeedError("I couldn't look up its address; am I offline?") from exc
        raise FeedError("nothing answered at its address; am I offline?") from exc
    except httpx.TooManyRedirects as exc:
        raise FeedError("it sent me round in circles (too many redirects)", lasting=True) from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FeedError(f"that address doesn't work ({exc})", lasting=True) from exc
    except httpx.HTTPError as exc:
        raise FeedError(f"the connection failed ({type(exc).__name__})") from exc


# -- parsing ---------------------------------------------------------------------------------
def _when(entry: Any) -> float | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return float(calendar.timegm(value))
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _story(entry: Any, site_names: tuple[str, ...] = ()) -> Story | None:
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "")
    summary = plain(summary)[:MAX_SUMMARY_CHARS]
    title = clean_title(entry.get("title") or "", site_names)
    if not title:
        opening = first_sentence(summary, max_words=60) or summary
        title = " ".join(opening.split()[:14])
    if not title:
        return None
    link = (entry.get("link") or "").strip()
    if not link.lower().startswith(("http://", "https://")):
        link = ""  # feedparser makes a bare <guid>1</guid> the link: not somewhere to read the story
    key = (entry.get("id") or "").strip() or link or hashlib.sha1(
        f"{title}\n{summary}".encode()).hexdigest()[:20]
    tags = [str(t.get("term", "")).strip() for t in entry.get("tags", []) or [] if t.get("term")]
    return Story(key=key[:500], title=title[:400], link=link[:1000], summary=summary, tags=tags[:10],
                 published_at=_when(entry))


def _bozo_problem(result: Any) -> str:
    import feedparser

    exc = result.get("bozo_exception")
    if exc is None:
        return ""
    if isinstance(exc, xml.sax.SAXParseException):
        return f"it isn't well-formed XML ({exc.getMessage()} at line {exc.getLineNumber()})"
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return f"its text wasn't in the encoding it declared, so I read it as {result.get('encoding')}"
    if isinstance(exc, feedparser.NonXMLContentType):
        return ""  # served with an odd content type but read fine: nothing the user needs to hear
    if isinstance(exc, feedparser.CharacterEncodingUnknown):
        return "I couldn't tell which encoding its text is in, so some letters may be wrong"
    return f"it has errors ({exc})"


def parse(data: bytes, location: str, headers: dict[str, str] | None = None) -> Fetched:
    """The stories in ``data`` (feedparser, given only the bytes), newest :data:`MAX_STORIES` of them."""
    import feedparser

    if not data.strip():
        return Fetched(location, "ok", problem="it's empty")
    headers = dict(headers or {})
    if is_url(location):
        headers.setdefault("content-location", location)
    result = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = list(result.get("entries") or [])
    if not entries and not result.get("version"):
        head = data[:2000].lower()
        if b"<html" in head or b"<!doctype html" in head:
            raise FeedError("that's a web page, not a news feed (look for an RSS or Atom link on it)",
                            lasting=True)
        raise FeedError("it isn't an RSS or Atom feed", lasting=True)
    feed = result.get("feed") or {}
    feed_title = clean_title(feed.get("title") or "")
    names = tuple(n for n in (feed_title, plain(feed.get("title") or ""), describe_location(location)) if n)
    stories: list[Story] = []
    unreadable = 0
    for entry in entries:
        try:
            story = _story(entry, names)
        except Exception:  # one odd entry must not cost the others
            story = None
        if story is None:
            unreadable += 1
        else:
            stories.append(story)
    dated = [s.published_at for s in stories if s.published_at is not None]
    for story in stories:  # an undated story is no newer than the oldest dated one beside it
        if story.published_at is None and dated:
            story.published_at = min(dated)
    left_out = unreadable
    if len(stories) > MAX_STORIES:
        stories.sort(key=lambda s: -(s.published_at or 0.0))
        left_out += len(stories) - MAX_STORIES
        stories = stories[:MAX_STORIES]
    problems = [p for p in (_bozo_problem(result),) if p]
    if len(data) >= MAX_BYTES:
        problems.append(f"it's huge, so I read only its first {MAX_BYTES / 1e6:g} MB")
    if unreadable:
        problems.append(f"{unreadable} of its entries had no title or text")
    if not stories and not problems:
        problems.append("it has no stories right now")
    return Fetched(location, "ok", title=feed_title, stories=stories,
                   problem="; ".join(problems), left_out=left_out)


def fetch(location: str, etag: str | None = None, last_modified: str | None = None,
          timeout: float = TIMEOUT_S) -> Fetched:
    """Look at one feed (see :meth:`Session.fetch`)."""
    with Session(timeout) as session:
        return session.fetch(location, etag, last_modified)
