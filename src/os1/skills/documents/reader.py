"""Reading a document aloud, streamed, with spoken controls ("skip this part", "simpler", "go back" …).

What to read is a list (or a lazy iterable) of :class:`ReadItem` — usually paragraphs of a
condensed document. :func:`items_from_path` reads a file lazily (a long PDF's first pages on their
own, so reading starts within ~2 s even for 300 pages) and :func:`document_items` condenses a
:class:`Document` part by part (chapter by chapter), so the first words are spoken long before the
last chapter is condensed. :class:`ReadingSession` speaks items sentence by sentence with OS1's
voice (Piper joe via ``expression.tts``; espeak-ng when Piper is missing), synthesizing the next
sentence while the current one plays; a lazy source is prepared in a background thread.

Driving a session
-----------------
From a plain loop (CLI; controls may come from another thread, e.g. a keyboard reader)::

    session = ReadingSession(items_from_path("book.pdf", ratio=0.1), voice="joe")
    session.prepare()                       # optional: load the voice while the file is read
    for chunk in session.chunks():          # blocks while paused, ends on stop() or at the end
        play(chunk.samples, chunk.rate)     # chunk.sentence: text, chapter, page, level
    session.close()
    # text only (no audio): while (s := session.next_sentence()) is not None: print(s.text)

From an asyncio loop (voice pipeline)::

    async for chunk in session.audio(realtime=True):   # realtime: paced to playback, 0.5 s ahead
        await push(chunk.samples, chunk.rate)

Controls, callable at any time from the loop or another thread (each returns at once):
``skip()`` (to the next part: chapter, or paragraph when there are no chapters), ``back()``
(previous sentence, then on; twice = two back), ``repeat()`` (this sentence again), ``simpler()``
(this sentence and the rest re-rendered at simplify level + 1 with ``simplify.simplify``; False
when no simplifier is available), ``pause()``/``resume()`` (resume restarts the interrupted
sentence), ``stop()``, ``last_hard_word()`` -> (word, plainer word or meaning | None) for "what
was that word?" (the rarest word by wordfreq Zipf of the sentence just heard; the synonym and
meaning come from ``lexicon``'s WordNet), ``position`` (the Sentence being read). ``handle(text)``
does all of this from what the user said or typed: it returns a short reply to say/print, or None
when the text is not a reading command (:func:`parse_command` gives just the command name), so a
caller can try ``handle`` first and pass anything else on to the brain.

After skip/back/repeat/simpler/pause/stop, the consumer should drop any audio of this session it
has buffered but not played yet; the next chunk already reflects the change (a chunk that was
being synthesized when a control arrived is thrown away, never yielded). A file that can't be read
raises ``DocumentError`` from the first ``chunks()``/``audio()``/``next_sentence()`` call.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import logging
import re
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from os1.expression.sentences import speakable, split_sentences
from os1.expression.style import SpeechStyle
from os1.skills.documents.model import Document

log = logging.getLogger(__name__)

READING_STYLE = SpeechStyle(pace=1.0, pause_s=0.3)
FALLBACK_VOICE = "espeak-male"
PART_WORDS = 2500  # a part condensed at once when a document has no chapters
FIRST_PART_WORDS = 800  # the first part is small so speech starts quickly
QUICK_WORDS = 150  # condense without MiniLM (whose first load takes seconds) until this much is ready
HEAD_PAGES = 12  # a long PDF's first pages are extracted on their own, so reading starts at once
READ_AHEAD = 30  # items prepared (condensed, extracted) ahead of the one being read
WORD_GRACE_S = 1.2  # "what was that word?" this soon after a sentence starts means the one before

# --- commands ----------------------------------------------------------------------------

_FILLER = re.compile(r"\b(please|okay|ok|os1|hey|um|uh|now|just|can you|could you|would you)\b")
_COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx)) for name, rx in (
    ("word", r"^(what|which) (was|is|were) (that|the|this) (last |hard |big |long )?word"
             r"|^what (does|did) (that|the|this) (last |hard )?word mean"
             r"|^what does \w[\w'-]* mean$|^what('s| is) \w[\w'-]*$|^what('s| is) the meaning of"
             r"|^define\b|^(that|what a) (hard |big )?word$|^meaning$"),
    ("simpler", r"^(simpler|more simply|simplify|easier|plainer)\b|^(make|say|put|read) (it|that|this)"
                r"( \w+)? (simpler|easier|more simply|plainer|in plain english)"
                r"|^in (plain|simple|simpler) (english|words|terms)"
                r"|^(that'?s|this is|it'?s) too (hard|difficult|complicated)"
                r"|^i (don'?t|do not|didn'?t) (understand|get it)|^(explain|read) (it )?(simpler|more simply)"
                r"|^dumb(ed)? it down|^(less|not so) (complicated|difficult)"),
    ("skip", r"^skip\b|^(next|another) (part|chapter|section|bit)|^(move|jump|skip) (on|ahead|forward)\b"
             r"|^(go|move|jump) to the next (part|chapter|section)|^(this is )?boring|^fast forward"
             r"|^pass$|^next$"),
    ("back", r"^(go|jump|skip|move) back\b|^back( up)?$|^rewind|^previous( sentence| part)?$"
             r"|^(back|go back) (a|one) (bit|sentence)|^wait,? go back"),
    ("repeat", r"^(say|read) (that|it|this) again|^repeat( that| it| this)?$|^again$"
               r"|^what did (you|it|he|she) (just )?say|^(sorry|pardon)\??$|^come again|^one more time$"),
    ("pause", r"^pause\b|^hold on$|^hold it$|^wait( a (moment|minute|second|sec))?$"
              r"|^(a|one) (moment|minute|second|sec)$"
              r"|^(give me|hang on)( a)?( (moment|minute|second|sec))?$|^just a (moment|minute|second|sec)$"),
    ("resume", r"^(resume|continue|carry on|go on|keep going|keep reading|unpause)\b|^play$"
               r"|^(go|read) on$|^go ahead$|^(start|begin) (reading )?again$|^where were we"),
    ("stop", r"^stop\b|^(that'?s|that is) enough|^enough\b|^quit\b"
             r"|^(stop|end|close|finish) (reading|the book)"
             r"|^i'?m done|^(be )?quiet$|^shut up$|^(no more|thanks,? that'?s all|that'?s all)$"),
))
COMMANDS = tuple(name for name, _ in _COMMANDS)
_WHAT_DOES = re.compile(r"^what does (?!that\b|the\b|this\b|it\b)(\w[\w'-]*) mean|^what is the meaning of "
                        r"(?!that\b|the\b|this\b|it\b)(\w[\w'-]*)|^define (\w[\w'-]*)")


def _normalize(text: str) -> str:
    t = (text or "").lower().replace("’", "'").strip()
    t = re.sub(r"[^\w' ,?-]", " ", t)
    t = _FILLER.sub(" ", t)
    return re.sub(r"[\s,]+", " ", t).strip(" ?-")


def parse_command(text: str) -> str | None:
    """The reading command in what the user said or typed, or None.

    One of :data:`COMMANDS`: "skip", "simpler", "back", "repeat", "word", "pause", "resume", "stop".
    Only short utterances count (at most 9 words), so ordinary questions are not taken as commands.
    """
    t = _normalize(text)
    if not t or len(t.split()) > 9:
        return None
    for name, pattern in _COMMANDS:
        if pattern.search(t):
            return name
    return None


# --- what to read ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadItem:
    text: str
    chapter: str = ""
    page: int | None = None
    heading: bool = False  # a chapter title, read as "Chapter 3."


@dataclass(frozen=True)
class Sentence:
    text: str  # as spoken
    item: int  # index of its ReadItem
    index: int  # position within the item (at the simplify level it was rendered at)
    chapter: str
    page: int | None
    level: int  # simplify level: 0 = the document's own words
    heading: bool = False


@dataclass(frozen=True)
class Chunk:
    sentence: Sentence
    samples: np.ndarray  # float32 mono, the sentence and the pause after it
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / float(self.rate) if self.rate else 0.0


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman(s: str) -> int | None:
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def spoken_heading(title: str) -> str:
    """A heading as it should sound: "CHAPTER XIV." -> "Chapter 14."."""
    words = title.strip().strip("[](){}*_ ").rstrip(".:").split()
    out = []
    for w in words:
        n = _roman(w.upper().strip(".,:")) if w.isupper() or w.upper() == w else None
        out.append(str(n) if n is not None and out else (w.capitalize() if w.isupper() and len(w) > 1 else w))
    text = " ".join(out)
    return text + "." if text and text[-1].isalnum() else text


_PAGE_REF = re.compile(r"^(\d+|[ivxlc]{2,}|v|[IVXLC]{2,})$")


def _listing(sentence: str) -> bool:
    """A run of page numbers (a table of contents, a list of illustrations), not prose."""
    tokens = sentence.split()
    numbers = sum(1 for t in tokens if _PAGE_REF.match(t.strip(".,;:()[]")))
    return numbers >= 2 and numbers >= 0.15 * len(tokens)


def speech_sentences(item: ReadItem) -> list[str]:
    """The sentences a voice says for one item (markdown, symbols and page-number listings left out)."""
    if item.heading:
        return [spoken_heading(item.text)] if any(c.isalnum() for c in item.text) else []
    out = (speakable(s) for s in split_sentences(item.text))
    return [s for s in out if any(c.isalpha() for c in s) and not _listing(s)]


def items_from_passages(passages: Sequence[Any]) -> list[ReadItem]:
    """Read items from passages (``passages.Passage``: text, block, page, chapter, heading), in order.

    Consecutive sentences of one block become one item (a paragraph); a chapter title item is put
    in front of each chapter's first sentence. Heading passages themselves are not read twice.
    """
    items: list[ReadItem] = []
    chapter: str | None = None
    block: int | None = None
    buf: list[str] = []
    page: int | None = None

    def flush() -> None:
        nonlocal buf
        if buf:
            items.append(ReadItem(" ".join(buf), chapter or "", page))
        buf = []

    for p in passages:
        ch = getattr(p, "chapter", "") or ""
        if ch != (chapter or "") or chapter is None:
            flush()
            chapter = ch
            block = None
            if ch:
                items.append(ReadItem(ch, ch, getattr(p, "page", None), heading=True))
        if getattr(p, "heading", False):
            flush()
            block = None
            continue
        b = getattr(p, "block", None)
        if b != block:
            flush()
            block, page = b, getattr(p, "page", None)
        buf.append(p.text.strip())
    flush()
    return items


def _passages_of(doc: Document) -> list[Any]:
    try:
        from os1.skills.documents.passages import split_passages
    except ImportError:  # pragma: no cover - the documents helper's module is missing
        split_passages = None
    if split_passages is not None:
        return split_passages(doc)
    from types import SimpleNamespace

    return [SimpleNamespace(text=s, block=i, page=b.page, chapter=b.chapter, heading=b.kind == "heading")
            for i, b in enumerate(doc.blocks)
            for s in ([b.text] if b.kind == "heading" else split_sentences(b.text))]


def _parts(passages: list[Any], part_words: int, first_words: int) -> Iterator[list[Any]]:
    """Chapters (cut further when long, and the first part kept short); fixed-size parts otherwise."""
    part: list[Any] = []
    words = 0
    limit = first_words
    chapter = None
    for p in passages:
        ch = getattr(p, "chapter", "")
        if part and ((ch and ch != chapter) or words >= limit):
            yield part
            part, words, limit = [], 0, part_words
        chapter = ch
        part.append(p)
        words += len(p.text.split())
    if part:
        yield part


def _condense(passages: list[Any], ratio: float, interests: Sequence[str], quick: bool = False) -> list[Any]:
    try:
        from os1.skills.documents.condense import condense
    except ImportError:
        condense = None
    body = [p for p in passages if not getattr(p, "heading", False)]
    if not body:
        return passages
    if condense is not None:
        extra = {"embeddings": False} if quick else {}  # no MiniLM load before the first words
        try:
            return list(condense(passages, ratio=ratio, interests=tuple(interests), **extra).passages)
        except TypeError:
            return list(condense(passages, ratio=ratio, interests=tuple(interests)).passages)
    # fallback until condense() exists: evenly spaced sentences up to the ratio of the words
    total = sum(len(p.text.split()) for p in body)
    keep_words = max(1, round(total * ratio))
    step = max(1, round(1 / max(ratio, 1e-3)))
    chosen = body[::step]
    out, words = [], 0
    for p in chosen:
        if words >= keep_words:
            break
        out.append(p)
        words += len(p.text.split())
    return out


def document_items(doc: Document, *, ratio: float | None = None, interests: Sequence[str] = (),
                   lazy: bool = True, part_words: int = PART_WORDS,
                   first_part_words: int = FIRST_PART_WORDS) -> Iterator[ReadItem]:
    """What to read of ``doc``: all of it (``ratio=None``) or condensed to ``ratio`` of its words.

    ``lazy``: condense chapter by chapter (long chapters, and documents without chapters, in
    parts of ``part_words``; the very first part only ``first_part_words``) as the reader gets
    there, so speech starts at once. ``lazy=False`` condenses the whole document in one go (for
    an audiobook: ranking sees the whole book).
    """
    passages = _passages_of(doc)
    if ratio is None or ratio >= 1:
        yield from items_from_passages(passages)
        return
    if not lazy:
        yield from items_from_passages(_condense(passages, ratio, interests))
        return
    previous = None
    said = 0  # words of speakable text yielded: no MiniLM load until the reading has begun
    for part in _parts(passages, part_words, first_part_words):
        chosen = _condense(part, ratio, interests, quick=said < QUICK_WORDS)
        items = items_from_passages(chosen)
        said += sum(len(" ".join(speech_sentences(i)).split()) for i in items if not i.heading)
        if previous and items and items[0].heading and items[0].chapter == previous:
            items = items[1:]  # a chapter cut into parts gets one title
        if items:
            previous = items[-1].chapter
        yield from items


class FileItems:
    """Items of a file, extracted on the first pull (so a session can load its voice meanwhile).

    A long PDF is read in two steps: its first ``HEAD_PAGES`` pages at once (the reading starts
    from pages 1 … HEAD_PAGES − 1), then the whole file, continuing from the first block that
    starts on a later page.
    """

    def __init__(self, path: str | Path, kwargs: dict[str, Any]) -> None:
        self.path, self.kwargs = Path(path), kwargs
        self.max_pages: int | None = kwargs.pop("max_pages", None)
        self.document: Document | None = None
        self.extract_s = 0.0
        self._it: Iterator[ReadItem] | None = None

    def __iter__(self) -> Iterator[ReadItem]:
        if self._it is None:
            self._it = self._items()
        return self._it

    def __next__(self) -> ReadItem:
        return next(iter(self))

    def _extract(self, max_pages: int | None) -> Document:
        from os1.skills.documents.extract import extract

        t0 = time.perf_counter()
        self.document = extract(self.path, max_pages=max_pages)
        self.extract_s += time.perf_counter() - t0
        return self.document

    def _items(self) -> Iterator[ReadItem]:
        limit = self.max_pages
        if self.path.suffix.lower() != ".pdf" or (limit is not None and limit <= 2 * HEAD_PAGES):
            yield from document_items(self._extract(limit), **self.kwargs)
            return
        head = self._extract(HEAD_PAGES)
        if not head.pages or head.pages <= HEAD_PAGES:
            yield from document_items(head, **self.kwargs)
            return
        cut = HEAD_PAGES - 1  # the last page read may end mid-paragraph: it is read with the rest
        first = [b for b in head.blocks if b.page is not None and b.page < cut]
        last_chapter = ""
        for item in document_items(replace(head, blocks=first), **self.kwargs):
            last_chapter = item.chapter
            yield item
        full = self._extract(limit)
        rest = [b for b in full.blocks if b.page is None or b.page >= cut]
        for n, item in enumerate(document_items(replace(full, blocks=rest), **self.kwargs)):
            if n == 0 and item.heading and item.chapter == last_chapter:
                continue  # the chapter in progress is not announced again
            yield item


def items_from_path(path: str | Path, *, ratio: float | None = None, interests: Sequence[str] = (),
                    max_pages: int | None = None) -> FileItems:
    """Lazy items of a file: extracted (``extract.extract``) and condensed part by part when the
    session first needs them; ``.document`` is the Document once read. DocumentError surfaces from
    the session's first chunk/sentence."""
    return FileItems(path, {"ratio": ratio, "interests": interests, "max_pages": max_pages})


# --- hard words ---------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def _zipf(word: str) -> float:
    try:
        from os1.skills.documents.lexicon import zipf
    except ImportError:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, "en"))
    return float(zipf(word))


def hard_words(sentence: str, *, common: float = 5.0) -> list[tuple[float, str]]:
    """(Zipf, word) for the sentence's real words rarer than ``common``, rarest first; names left out."""
    found: dict[str, float] = {}
    for i, m in enumerate(_WORD.finditer(sentence)):
        w = m.group(0).strip("'-")
        if len(w) < 4:
            continue
        if w[0].isupper() and (i > 0 or w[1:].lower() != w[1:]):
            continue  # a name (capitalised mid-sentence)
        z = _zipf(w.lower())
        if 0 < z < common:  # 0: not a word wordfreq knows (a name or a typo), not worth explaining
            found.setdefault(w.lower() if i == 0 else w, z)
    return sorted((z, w) for w, z in found.items())


def hard_word(sentence: str) -> str | None:
    """The rarest real word of a sentence (wordfreq Zipf), names left out; None if all are common."""
    words = hard_words(sentence)
    return words[0][1] if words else None


def plain_meaning(word: str) -> tuple[str | None, str | None]:
    """(a commoner synonym, a short WordNet meaning) for ``word``; (None, None) when unknown.

    Uses the simplify helper's lexicon (its own ``plain``/``synonyms`` when it has them, else its
    WordNet reader); degrades to (None, None) when the lexicon is not there.
    """
    try:
        lexicon = importlib.import_module("os1.skills.documents.lexicon")
    except ImportError:
        return None, None
    for name in ("plain_meaning", "plain"):
        fn = getattr(lexicon, name, None)
        if callable(fn):
            try:
                got = fn(word)
            except Exception:
                got = None
            if isinstance(got, tuple) and len(got) == 2:
                return got
            if isinstance(got, str) and got:
                return got, None
    try:
        wn = lexicon.wordnet()
    except Exception:
        return None, None
    own = _zipf(word)
    best_sense: tuple[int, Any] | None = None
    for pos in ("a", "v", "n", "r"):
        for base, _form in wn.lemmatize(word, pos):
            for synset in wn.synsets(base, pos)[:2]:
                sense_no, tagged = wn.sense_info(base, synset.offset)
                score = tagged * 10 - sense_no
                if best_sense is None or score > best_sense[0]:
                    best_sense = (score, (base, synset))
    if best_sense is None:
        return None, None
    base, synset = best_sense[1]
    candidates = [w for w in synset.lemmas if w != base and " " not in w and "-" not in w]
    for off, pos in synset.related("&") + synset.related("@"):  # similar-to / hypernym
        try:
            candidates += [w for w in wn.synset(pos, off).lemmas if " " not in w and "-" not in w]
        except (KeyError, ValueError):
            continue
    scored = sorted(((_zipf(w), w) for w in dict.fromkeys(candidates)), reverse=True)
    synonym = next((w for z, w in scored if z > max(own, 2.5) + 0.3), None)
    gloss = synset.gloss.split(";")[0].split('"')[0].strip() or None
    return synonym, gloss


def explain_word(word: str) -> str:
    """The spoken answer to "what was that word?" for ``word``."""
    synonym, gloss = plain_meaning(word)
    if synonym and gloss:
        return f"“{word}”: a plainer word is “{synonym}”. It means {gloss}."
    if synonym:
        return f"“{word}”: a plainer word is “{synonym}”."
    if gloss:
        return f"“{word}” means {gloss}."
    return f"That was “{word}”. I don't have a plainer word for it."


# --- the session ---------------------------------------------------------------------------------

Simplifier = Callable[[str, int], Any]  # (text, level) -> str or Simplified(text=...)


def _default_simplifier() -> Simplifier | None:
    try:
        module = importlib.import_module("os1.skills.documents.simplify")
    except ImportError:
        return None
    fn = getattr(module, "simplify", None)
    if not callable(fn):
        return None
    return lambda text, level: fn(text, level=level)


@dataclass
class _Pending:
    gen: int
    sentence: Sentence
    future: concurrent.futures.Future[np.ndarray]


class ReadingSession:
    """Reads items aloud sentence by sentence; controls change what comes next at any moment."""

    def __init__(self, items: Iterable[ReadItem], *, voice: Any = None, simplify: Simplifier | None = None,
                 level: int = 0, style: SpeechStyle = READING_STYLE) -> None:
        """``voice``: a name for ``expression.tts.load_tts`` (None = Piper joe), or a TTS object with
        ``synthesize(text, style) -> Audio``; loaded on first use (or by :meth:`prepare`), falling back
        to espeak-ng when Piper cannot run. ``simplify``: (text, level) -> str | Simplified; None
        uses ``skills.documents.simplify`` when installed. ``level``: start already simplified."""
        self.source = items  # e.g. items_from_path(...), whose .document is the Document once read
        self._items: list[ReadItem] = list(items) if isinstance(items, (list, tuple)) else []
        self._exhausted = isinstance(items, (list, tuple))
        self._wanted = 0  # the furthest item index asked for
        self._error: BaseException | None = None  # what stopped the items (e.g. DocumentError)
        self._voice_spec = voice
        self._tts: Any = None if voice is None or isinstance(voice, str) else voice
        self._voice_lock = threading.Lock()
        self._simplify = simplify
        self._level = level
        self.style = style
        self.notices: list[str] = []  # things worth telling the user (voice fallback, failures)
        self._rendered: dict[int, tuple[int, list[str]]] = {}
        self._cursor = (0, 0)
        self._current: Sentence | None = None
        self._current_end: float | None = None  # monotonic time its audio should end (realtime)
        self._anchor: tuple[int, int] | None = None  # where the last control moved to (nothing read since)
        self._retail: tuple[int, int] | None = None  # (item, sentence) from which "simpler" re-renders
        self._recent: deque[tuple[Sentence, float]] = deque(maxlen=3)
        self._gen = 0
        self._paused = False
        self._stopped = False
        self._cond = threading.Condition(threading.RLock())
        self._pending: _Pending | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="os1-reader-voice")
        self._planner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="os1-reader-plan")
        self._planning: concurrent.futures.Future[None] | None = None
        self.started_at = time.monotonic()
        self.first_audio_at: float | None = None
        self.spoken_seconds = 0.0
        self._feeder: threading.Thread | None = None
        if not self._exhausted:  # a lazy source is read (extracted, condensed) ahead in a thread
            self._feeder = threading.Thread(target=self._feed, args=(iter(items),), name="os1-reader-items",
                                            daemon=True)
            self._feeder.start()

    # -- voice --
    @property
    def rate(self) -> int:
        return int(self._load_voice().sample_rate)

    def prepare(self) -> concurrent.futures.Future[Any]:
        """Start loading the voice in the background now (it takes a second or two)."""
        return self._pool.submit(self._load_voice)

    def _load_voice(self) -> Any:
        with self._voice_lock:
            if self._tts is None:
                from os1.expression.tts import TTSUnavailable, load_tts

                try:
                    self._tts = load_tts(self._voice_spec)
                except TTSUnavailable as exc:
                    if self._voice_spec not in (None, "", "joe", "piper", "male"):
                        raise
                    self._tts = load_tts(FALLBACK_VOICE)
                    self.notices.append(f"Reading with espeak-ng: {exc}")
            return self._tts

    def _synth(self, sentence: Sentence) -> np.ndarray:
        tts = self._load_voice()
        try:
            audio = tts.synthesize(sentence.text, self.style)
        except Exception as exc:
            log.exception("could not speak a sentence")
            self.notices.append(f"I couldn't say one sentence ({exc}); skipped it.")
            return np.zeros(0, dtype=np.float32)
        samples = np.asarray(audio.samples, dtype=np.float32)
        extra = 0.35 if sentence.index == 0 and sentence.item > 0 else 0.0  # a new paragraph
        if sentence.heading:
            extra = 0.8
        if extra:
            samples = np.concatenate([samples, np.zeros(round(extra * audio.rate), dtype=np.float32)])
        return samples

    # -- plan --
    def _feed(self, source: Iterator[ReadItem]) -> None:
        """Pull items into the list, up to READ_AHEAD beyond the furthest one asked for."""
        try:
            for item in source:
                with self._cond:
                    self._items.append(item)
                    self._cond.notify_all()
                    while not self._stopped and len(self._items) > self._wanted + self._read_ahead():
                        self._cond.wait(0.5)
                    if self._stopped:
                        return
        except Exception as exc:  # surfaces where the reading needs the item
            with self._cond:
                self._error = exc
        finally:
            with self._cond:
                self._exhausted = True
                self._cond.notify_all()

    def _read_ahead(self) -> int:
        # nothing extra before the first words: condensing the next part would slow them down
        return READ_AHEAD if self.first_audio_at is not None or self._stopped else 0

    def _item(self, i: int) -> ReadItem | None:
        with self._cond:
            if i > self._wanted:
                self._wanted = i
                self._cond.notify_all()
            while i >= len(self._items) and not self._exhausted:
                self._cond.wait(0.5)
            if i >= len(self._items) and self._error is not None:
                raise self._error
            return self._items[i] if i < len(self._items) else None

    def _simplified(self, text: str, level: int) -> str:
        fn = self._simplify or _default_simplifier()
        if fn is None or level <= 0:
            return text
        try:
            out = fn(text, level)
        except Exception as exc:
            log.exception("simplify failed")
            self.notices.append(f"I couldn't simplify a paragraph ({exc}); read it as written.")
            return text
        return str(getattr(out, "text", out))

    def _sentences_of(self, i: int) -> list[str] | None:
        item = self._item(i)
        if item is None:
            return None
        cached = self._rendered.get(i)
        if cached is not None and cached[0] == self._level:
            return cached[1]
        if cached is not None and self._retail is not None and self._retail[0] == i and not item.heading:
            k = self._retail[1]  # "simpler" mid-item: the sentence being read and the rest of it
            new = speech_sentences(ReadItem(self._simplified(" ".join(cached[1][k:]), self._level)))
            self._rendered[i] = (self._level, cached[1][:k] + new)
            return self._rendered[i][1]
        if item.heading or self._level <= 0:
            sents = speech_sentences(item)
        else:
            plain = self._simplified(item.text, self._level)
            sents = speech_sentences(ReadItem(plain, item.chapter, item.page))
        self._rendered[i] = (self._level, sents)
        return sents

    def _plan(self) -> _Pending | None:
        """The next sentence (and its synthesis started), or None at the end."""
        with self._cond:
            if self._stopped:
                return None
            while True:
                i, k = self._cursor
                sents = self._sentences_of(i)
                if sents is None:
                    return None
                if k < len(sents):
                    item = self._items[i]
                    s = Sentence(sents[k], i, k, item.chapter, item.page, self._level, item.heading)
                    self._cursor = (i, k + 1)
                    return _Pending(self._gen, s, self._pool.submit(self._synth, s))
                self._cursor = (i + 1, 0)

    def _take(self) -> _Pending | None:
        planning = self._planning
        if planning is not None:
            planning.result()  # the next sentence is being planned (items read, simplified): wait
        with self._cond:
            if self._pending is not None and self._pending.gen == self._gen:
                p, self._pending = self._pending, None
                return p
            self._pending = None
        return self._plan()

    def _prefetch(self) -> None:
        p = self._plan()
        with self._cond:
            self._pending = p

    def _prefetch_soon(self) -> None:
        """Plan the next sentence and start its synthesis in the planner thread (returns at once)."""
        try:
            self._planning = self._planner.submit(self._prefetch)
        except RuntimeError:  # stopped: the planner is shut down
            self._planning = None

    def _deliver(self, p: _Pending, samples: np.ndarray, rate: int, end: float | None) -> Chunk | None:
        with self._cond:
            if p.gen != self._gen or self._paused or self._stopped:
                return None
            now = time.monotonic()
            self._current, self._current_end, self._anchor = p.sentence, end, None
            self._recent.append((p.sentence, now))
            if self.first_audio_at is None and len(samples):
                self.first_audio_at = now
                self._cond.notify_all()  # the items thread may read ahead now
            self.spoken_seconds += len(samples) / float(rate)
            return Chunk(p.sentence, samples, rate)

    def _moved(self, cursor: tuple[int, int]) -> None:
        self._cursor = self._anchor = cursor
        self._gen += 1
        self._pending = None
        self._cond.notify_all()

    # -- driving --
    def next_sentence(self) -> Sentence | None:
        """Text-only reading: the next sentence (no audio is made), or None when paused/stopped/done."""
        with self._cond:
            if self._paused or self._stopped:
                return None
            while True:
                i, k = self._cursor
                sents = self._sentences_of(i)
                if sents is None:
                    return None
                if k < len(sents):
                    item = self._items[i]
                    s = Sentence(sents[k], i, k, item.chapter, item.page, self._level, item.heading)
                    self._cursor = (i, k + 1)
                    self._current, self._anchor = s, None
                    self._recent.append((s, time.monotonic()))
                    return s
                self._cursor = (i + 1, 0)

    def chunks(self) -> Iterator[Chunk]:
        """Audio sentence by sentence (blocking); waits while paused; ends at the end or on stop()."""
        while True:
            with self._cond:
                while self._paused and not self._stopped:
                    self._cond.wait(0.5)
                if self._stopped:
                    return
            p = self._take()
            if p is None:
                return
            samples = p.future.result()
            self._prefetch_soon()
            chunk = self._deliver(p, samples, self.rate, None)
            if chunk is not None:
                yield chunk

    async def audio(self, *, realtime: bool = False, lead_s: float = 0.5) -> AsyncIterator[Chunk]:
        """Audio sentence by sentence for an asyncio consumer; synthesis runs in a worker thread.

        ``realtime``: yield each chunk only ``lead_s`` before the previous one ends playing (as if
        played from the moment it was yielded), so ``position`` and "what was that word?" follow
        what the listener hears and a control never has minutes of buffered audio to undo.
        """
        play_end = 0.0
        while True:
            while self._paused and not self._stopped:
                await asyncio.sleep(0.05)
            if self._stopped:
                return
            p = await asyncio.to_thread(self._take)  # the first call may load the voice
            if p is None:
                return
            samples = await asyncio.wrap_future(p.future)
            self._prefetch_soon()
            if realtime:
                wait = play_end - lead_s - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            rate = self.rate
            start = max(time.monotonic(), play_end)
            chunk = self._deliver(p, samples, rate, start + len(samples) / rate if realtime else None)
            if chunk is not None:
                play_end = start + chunk.seconds
                yield chunk

    # -- controls --
    @property
    def position(self) -> Sentence | None:
        """The sentence being read now (the last one handed out)."""
        return self._current

    @property
    def level(self) -> int:
        return self._level

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def finished(self) -> bool:
        """Stopped, or every item has been handed out."""
        with self._cond:
            return self._stopped or (self._sentences_of(self._cursor[0]) is None and self._pending is None)

    def _part(self, i: int) -> str | None:
        item = self._item(i)
        return None if item is None else (item.chapter or f"\0{i}")

    def _here(self) -> tuple[int, int] | None:
        """Where the listener is: the sentence being read, or where a control just moved to."""
        if self._anchor is not None:
            return self._anchor
        return (self._current.item, self._current.index) if self._current else None

    def skip(self) -> None:
        """Go to the next part: the next chapter, or the next paragraph when there are no chapters."""
        with self._cond:
            here = self._here()
            base = here[0] if here else self._cursor[0]
            part = self._part(base)
            j = base + 1
            while self._item(j) is not None and self._part(j) == part:
                j += 1
            self._moved((j, 0))

    def back(self) -> None:
        """Back one sentence from the one being read (again: one more), then on from there."""
        with self._cond:
            here = self._here()
            if here is None:
                return
            item, index = here
            if index > 0:
                self._moved((item, index - 1))
                return
            j = item - 1
            while j >= 0:
                sents = self._sentences_of(j)
                if sents:
                    self._moved((j, len(sents) - 1))
                    return
                j -= 1
            self._moved((item, 0))

    def repeat(self) -> None:
        """Read the current sentence again."""
        with self._cond:
            if self._current is not None:
                self._moved((self._current.item, self._current.index))

    def simpler(self) -> bool:
        """Re-read from the current sentence one simplify level simpler; False if no simplifier."""
        if (self._simplify or _default_simplifier()) is None:
            return False
        with self._cond:  # the re-rendering itself happens where the next sentence is planned
            self._level += 1
            here = self._here()
            self._retail = here
            self._moved(here if here is not None else self._cursor)
            return True

    def pause(self) -> None:
        """Stop talking; :meth:`resume` starts again at the interrupted sentence."""
        with self._cond:
            if self._paused:
                return
            self._paused = True
            cur = self._current
            if cur is not None and (self._current_end is None or time.monotonic() < self._current_end):
                self._moved((cur.item, cur.index))
            else:
                self._moved(self._cursor)

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def stop(self) -> None:
        """End the reading; the generators return."""
        with self._cond:
            self._stopped = True
            self._moved(self._cursor)
        self._pool.shutdown(wait=False)  # a sentence being made finishes unseen
        self._planner.shutdown(wait=False)

    def last_hard_word(self) -> tuple[str, str | None] | None:
        """(rarest word of the sentence just heard, a plainer word or its meaning), or None."""
        with self._cond:
            recent = list(self._recent)
        if not recent:
            return None
        sentence, started = recent[-1]
        if len(recent) > 1 and time.monotonic() - started < WORD_GRACE_S and self._current_end is not None:
            sentence = recent[-2][0]
        words = hard_words(sentence.text)
        if not words:
            for s, _t in reversed(recent[:-1]):
                words = hard_words(s.text)
                if words:
                    break
        if not words:
            return None
        # the rarest word, or a nearly as rare one that can be explained (not an odd old spelling)
        for z, word in words[:3]:
            if z > words[0][0] + 1.0:
                break
            synonym, gloss = plain_meaning(word)
            if synonym or gloss:
                return word, synonym or gloss
        return words[0][1], None

    def handle(self, text: str) -> str | None:
        """Act on what the user said or typed; the short reply to give, or None if it isn't a command."""
        command = parse_command(text)
        if command is None:
            return None
        if command == "word":
            m = _WHAT_DOES.search(_normalize(text))
            if m:
                return explain_word(next(g for g in m.groups() if g))
            found = self.last_hard_word()
            if not found:
                return "There wasn't a hard word in that sentence."
            return explain_word(found[0])
        if command == "simpler":
            return "Simpler, then." if self.simpler() else "I can't make it simpler here, sorry."
        if command == "skip":
            self.skip()
            return "Skipping ahead."
        if command == "back":
            self.back()
            return "Going back."
        if command == "repeat":
            self.repeat()
            return "Again:"
        if command == "pause":
            self.pause()
            return "Paused. Say “go on” when you're ready."
        if command == "resume":
            self.resume()
            return "Going on."
        self.stop()
        return "Stopped reading."

    def close(self, timeout: float = 10.0) -> None:
        """Stop, and wait (up to ``timeout``) for the sentence being made and the part being condensed."""
        self.stop()
        if self._feeder is not None:
            self._feeder.join(timeout)
        self._planner.shutdown(wait=True)
        self._pool.shutdown(wait=True)
