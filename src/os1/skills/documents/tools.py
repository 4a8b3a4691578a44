"""Tools of the documents skill: "read that to me in the car", and the conversation around it.

A document the user points to is opened (``documents.read``), and from then on it is "this document"
in the conversation: what it is about and the part about anything, with page references; its best parts
(highlighted copies saved beside a condensed text); the same in simpler words; and a reading aloud that
streams sentence by sentence — in a voice conversation it is spoken, and "skip this part", "go back",
"simpler" and "what was that word?" work mid-way, because the reading resumes from what was actually
heard. "In the car" also saves an audio file with chapter marks. A document's words are outside content:
shown and spoken, never obeyed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.documents import library
from os1.skills.documents.library import Opened, ReadingState
from os1.skills.documents.model import DocumentError, where

log = logging.getLogger(__name__)
DEFAULT_RATIO = 0.10  # "the 10 % that matters"
LONG_WORDS = 3000  # longer than this, reading and simplifying start from the best parts
READ_AT_ONCE = 6  # passages shown for "read me the part about …"
# what a listener says over a reading: primes speech recognition (tiny.en hears "skip" as "get" without it)
READING_COMMANDS = "Skip this part. Go back. Simpler. What was that word? Stop reading. Keep reading."


# -- which document -------------------------------------------------------------------------------------
def _path(ctx: ToolContext, path: str) -> Path:
    if path:
        return Path(path).expanduser()
    current = library.open_path(ctx.runtime.store.profile, ctx.conversation_id)
    if current is None:
        raise ToolError("Which document? Tell me where it is, like “open ~/Downloads/report.pdf”.")
    return current


async def _open(ctx: ToolContext, path: str = "") -> Opened:
    where_ = _path(ctx, path)
    try:
        opened = await asyncio.to_thread(library.load, where_)
    except DocumentError as exc:
        raise ToolError(str(exc)) from exc
    library.set_open(ctx.runtime.store.profile, ctx.conversation_id, where_)
    return opened


def _interests(ctx: ToolContext) -> list[str]:
    """What the user cares about, from memory: their likes weigh in when ranking passages."""
    try:
        facts = ctx.runtime.store.facts.current(subject="user", predicate="likes")
    except Exception:  # ranking works without it
        return []
    return [f.object for f in facts if f.object][:20]


def _outside(opened: Opened) -> str:
    return f"the document {opened.name}"


def _quote(passages: list, limit: int | None = None) -> str:
    lines = []
    for passage in passages[:limit]:
        ref = where(passage)
        lines.append(f"{passage.text}" + (f" ({ref})" if ref else ""))
    return "\n".join(lines)


# -- opening and asking ---------------------------------------------------------------------------------
@tool("read")
async def open_document(ctx: ToolContext, path: str) -> ToolResult:
    """Open a document (PDF, Word, EPUB, HTML, Markdown or text) so we can talk about it."""
    opened = await _open(ctx, path)
    doc = opened.document
    size = f"{doc.pages} pages, " if doc.pages else ""
    parts = len([s for s in doc.sections if s.level <= 1])
    structure = f", {parts} chapters or sections" if parts > 1 else ""
    notes = f" Note: {'; '.join(doc.warnings[:3])}." if doc.warnings else ""
    return ToolResult(
        text=(f"I've got “{opened.name}”: {size}{doc.words:,} words{structure}.{notes} Ask me what it's "
              "about, for the best parts, or to read it to you."),
        data={"pages": doc.pages, "words": doc.words, "sections": len(doc.sections)},
    )


@tool("read")
async def about_document(ctx: ToolContext, path: str = "") -> ToolResult:
    """What the document is about, in its own most central sentences, with page references."""
    from os1.skills.documents.condense import about

    opened = await _open(ctx, path)
    passages = await asyncio.to_thread(about, opened.document, 3)
    if not passages:
        return ToolResult(text=f"“{opened.name}” has no text I could read.")
    return ToolResult(text=f"“{opened.name}”, in its own words:\n{_quote(passages)}",
                      untrusted=_outside(opened))


@tool("read")
async def read_part(ctx: ToolContext, query: str, path: str = "") -> ToolResult:
    """Read the part of the document about something, with page references."""
    from os1.skills.documents.condense import find_part

    opened = await _open(ctx, path)
    passages = await asyncio.to_thread(find_part, opened.document, query, READ_AT_ONCE)
    if not passages:
        return ToolResult(text=f"I couldn't find anything about “{query}” in “{opened.name}”.")
    first = where(passages[0])
    head = f"Here's the part about {query}" + (f" ({first})" if first else "") + ":"
    return ToolResult(text=f"{head}\n{_quote(passages)}", untrusted=_outside(opened))


# -- best parts and simpler words -----------------------------------------------------------------------
def _make_best_parts(ctx: ToolContext, opened: Opened, ratio: float) -> tuple[list, list[str]]:
    from os1.skills.documents.condense import condense
    from os1.skills.documents.highlight import highlighted_html, highlighted_pdf

    doc = opened.document
    condensed = condense(opened.passages, ratio=ratio, interests=_interests(ctx))
    folder = library.output_dir(ctx.runtime.settings.home, doc)
    made: list[str] = []
    text_path = folder / "best-parts.txt"
    text_path.write_text(_condensed_text(condensed.passages), encoding="utf-8")
    made.append(str(text_path))
    html_path = folder / "highlighted.html"
    html_path.write_text(highlighted_html(doc, condensed.passages), encoding="utf-8")
    made.append(str(html_path))
    if doc.format == "pdf" and doc.path is not None:
        try:
            pdf_path = folder / "highlighted.pdf"
            highlighted_pdf(doc.path, condensed.passages, pdf_path)
            made.append(str(pdf_path))
        except Exception as exc:  # the HTML copy is still there
            log.warning("no highlighted PDF for %s: %s", doc.path, exc)
    return condensed.passages, made


def _condensed_text(passages: list) -> str:
    out: list[str] = []
    chapter = None
    for passage in passages:
        if passage.chapter and passage.chapter != chapter:
            chapter = passage.chapter
            out.append(f"\n{chapter}\n")
        out.append(passage.text)
    return "\n".join(out).strip() + "\n"


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}" + ("" if n == 1 else "s")


def _ratio(percent: str | None, ratio: float | None) -> float:
    if percent:
        value = float(percent) / 100
    elif ratio:
        value = ratio if ratio <= 1 else ratio / 100
    else:
        value = DEFAULT_RATIO
    if not 0 < value <= 1:
        raise ToolError("Tell me how much to keep as a share, like “the 10 % that matters”.")
    return value


@tool("read")
async def best_parts(ctx: ToolContext, path: str = "", percent: str | None = None,
                     ratio: float | None = None) -> ToolResult:
    """Find the best parts of the document: a condensed version and a highlighted copy."""
    opened = await _open(ctx, path)
    share = _ratio(percent, ratio)
    chosen, made = await asyncio.to_thread(_make_best_parts, ctx, opened, share)
    if not chosen:
        return ToolResult(text=f"“{opened.name}” has no text I could condense.")
    words = sum(len(p.text.split()) for p in chosen)
    lines = _quote(chosen, limit=3)
    files = "\n".join(f"  {m}" for m in made)
    state = library.reading(ctx.runtime.store.profile, ctx.conversation_id)
    if state is not None and state.path == str(library.open_path(ctx.runtime.store.profile,
                                                                   ctx.conversation_id)):
        state.ratio = share
        library.set_reading(ctx.runtime.store.profile, ctx.conversation_id, state)
    return ToolResult(
        text=(f"The best {round(share * 100)} % of “{opened.name}”: {len(chosen)} passages, {words:,} words "
              f"(of {opened.document.words:,}). It starts:\n{lines}\nSaved:\n{files}\n"
              "Say “read that to me” to hear it."),
        data={"passages": len(chosen), "words": words, "files": made},
        untrusted=_outside(opened),
    )


@tool("read")
async def simpler_words(ctx: ToolContext, path: str = "") -> ToolResult:
    """Say the document (or the reading in progress) in simpler words."""
    profile = ctx.runtime.store.profile
    state = library.reading(profile, ctx.conversation_id)
    if state is not None and not path:
        state.level = min(state.level + 1, 2)
        state.position = _heard_position(ctx, state)
        library.set_reading(profile, ctx.conversation_id, state)
        opened = await _open(ctx, state.path)
        return _reading_result(ctx, opened, state, intro="Okay, in simpler words.")
    from os1.skills.documents.simplify import simplify

    opened = await _open(ctx, path)
    if opened.document.words > LONG_WORDS:  # a long one: its best parts, in simpler words
        chosen, _made = await asyncio.to_thread(_make_best_parts, ctx, opened, DEFAULT_RATIO)
    else:
        chosen = [p for p in opened.passages if not p.heading]
    text = _condensed_text(chosen)
    result = await asyncio.to_thread(simplify, text, level=1)
    folder = library.output_dir(ctx.runtime.settings.home, opened.document)
    out = folder / "best-parts-simpler.txt"
    out.write_text(result.text, encoding="utf-8")
    swaps = ", ".join(f"{a} → {b}" for a, b in result.swaps[:5])
    return ToolResult(
        text=(f"Simpler now: reading grade {result.grade_before:.1f} → {result.grade_after:.1f}, "
              f"{_count(len(result.swaps), 'word')} swapped" + (f" ({swaps}, …)" if swaps else "") +
              f", {_count(result.splits, 'long sentence')} split. Saved as {out}."),
        data={"grade_before": result.grade_before, "grade_after": result.grade_after, "file": str(out)},
    )


# -- reading aloud --------------------------------------------------------------------------------------
def _sentences(ctx: ToolContext, opened: Opened, state: ReadingState) -> list:
    if state.ratio is None:
        return [p for p in opened.passages if not p.heading]
    from os1.skills.documents.condense import condense

    return list(condense(opened.passages, ratio=state.ratio, interests=_interests(ctx)).passages)


def _heard_position(ctx: ToolContext, state: ReadingState) -> int:
    """Where a reading stopped: just after the last of its sentences that the user actually heard (the
    stored reply keeps only what was heard when they cut in)."""
    try:
        opened = library.load(Path(state.path))
    except DocumentError:
        return state.position
    sentences = _sentences(ctx, opened, state)
    said = _last_reply(ctx)
    if not said:
        return state.position
    heard = _norm(said)
    position = state.position
    for index in range(state.position, len(sentences)):
        text = _norm(sentences[index].text)
        if not text or text[-60:] not in heard:
            break  # the reading goes in order: the first sentence not heard is where it stopped
        position = index + 1
    return position


def _last_reply(ctx: ToolContext) -> str:
    for message in reversed(ctx.runtime.store.conversations.messages(ctx.conversation_id, limit=6)):
        if message.role == "assistant":
            return message.content
    return ""


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _reading_result(ctx: ToolContext, opened: Opened, state: ReadingState, intro: str) -> ToolResult:
    sentences = _sentences(ctx, opened, state)
    state.total = len(sentences)
    if state.position >= len(sentences):
        library.set_reading(ctx.runtime.store.profile, ctx.conversation_id, None)
        return ToolResult(text=f"That's the end of “{opened.name}”.")
    library.set_reading(ctx.runtime.store.profile, ctx.conversation_id, state)
    return ToolResult(
        text=intro + "\n",
        stream=_read(sentences, state),
        remember_as=f"(I read “{opened.name}” aloud to you"
                    + (f", from {where(sentences[state.position])}" if where(sentences[state.position])
                       else "") + ".)",
        untrusted=_outside(opened),
        expect=READING_COMMANDS,
    )


async def _read(sentences: list, state: ReadingState) -> AsyncIterator[str]:
    """The reading itself, a sentence at a time; a new chapter is announced."""
    simplify = None
    if state.level:
        from os1.skills.documents.simplify import simplify as simplify_fn

        simplify = simplify_fn
    chapter = sentences[state.position - 1].chapter if state.position else None
    for index in range(state.position, len(sentences)):
        passage = sentences[index]
        text = passage.text
        if passage.chapter and passage.chapter != chapter:
            chapter = passage.chapter
            yield f"\n\n{chapter}.\n\n"
        if simplify is not None:
            text = (await asyncio.to_thread(simplify, text, level=state.level)).text
        yield text + " "
        await asyncio.sleep(0)


def _render_for_car(path: Path, state: ReadingState, out: Path,
                    conversation_id: str) -> subprocess.Popen[bytes]:
    """The audio file for the car, made by ``os1 docs read … --out`` in a process of its own (at a lower
    priority): a book takes minutes, and it must finish even if this conversation's process ends. When
    it is done, OS1 says so on its own (``--announce``: a nudge in the outbox)."""
    nice = ["nice", "-n", "5"] if shutil.which("nice") else []
    args = [*nice, sys.executable, "-m", "os1", "docs", "read", str(path), "--out", str(out),
            "--announce", conversation_id]
    args += ["--percent", f"{state.ratio * 100:g}"] if state.ratio else ["--all"]
    args += ["--simpler"] * state.level
    with open(out.with_suffix(".log"), "wb") as log_file:  # what went wrong, if anything
        return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)


@tool("read")
async def read_aloud(ctx: ToolContext, path: str = "", place: str = "") -> ToolResult:
    """Read the document aloud (its best parts if you asked for them); in the car, also as an audio file."""
    profile = ctx.runtime.store.profile
    opened = await _open(ctx, path)
    previous = library.reading(profile, ctx.conversation_id)
    resolved = str(_path(ctx, path).resolve())
    if previous is not None and previous.path == resolved:
        state = previous
        state.position = 0
    else:
        big = opened.document.words > LONG_WORDS
        state = ReadingState(path=resolved, ratio=DEFAULT_RATIO if big else None)
    intro = f"Reading “{opened.name}”" + (f", the best {round(state.ratio * 100)} %" if state.ratio else "")
    if place.strip():
        folder = library.output_dir(ctx.runtime.settings.home, opened.document)
        out = folder / f"{library.slug(opened.name)}.mp3"
        _render_for_car(Path(resolved), state, out, ctx.conversation_id)
        intro += (f". I'm also saving it as an audio file with chapters for the car: {out} "
                  "(I'll tell you when it's ready)")
    hint = "" if previous is not None else " Stop me any time."
    return _reading_result(ctx, opened, state, intro=intro + "." + hint)


@tool("read")
async def reading_control(ctx: ToolContext, command: str) -> ToolResult:
    """Skip ahead, go back, explain the last hard word, or stop, while I'm reading to you."""
    result = await _control(ctx, command)
    if not result.defer:
        result.expect = READING_COMMANDS  # still reading, or about to go on
    return result


async def _control(ctx: ToolContext, command: str) -> ToolResult:
    profile = ctx.runtime.store.profile
    state = library.reading(profile, ctx.conversation_id)
    if state is None:
        return ToolResult(text="I'm not reading anything to you right now. Give me a document and say "
                               "“read that to me”.", defer=True)
    command = command.lower()
    heard = state.position = _heard_position(ctx, state)
    library.set_reading(profile, ctx.conversation_id, state)  # a question in between keeps the place
    opened = await _open(ctx, state.path)
    sentences = _sentences(ctx, opened, state)
    if command.startswith(("stop", "pause")):
        return ToolResult(text="Okay, I'll stop here. Say “keep reading” when you want more.")
    if command.startswith("what"):
        return _explain_word(sentences, max(heard - 1, 0))
    if command.startswith("skip"):
        state.position = _next_part(sentences, heard)
        intro = "Skipping ahead."
    elif command.startswith(("go back", "back", "say that", "repeat")):
        state.position = max(heard - 2, 0)
        intro = "Going back."
    else:  # keep reading / go on / continue
        state.position = heard
        intro = "Going on."
    return _reading_result(ctx, opened, state, intro=intro)


def _next_part(sentences: list, position: int) -> int:
    """The start of the next chapter or section after ``position`` (or a few paragraphs on)."""
    if position >= len(sentences):
        return position
    here = sentences[min(position, len(sentences) - 1)]
    for index in range(position, len(sentences)):
        other = sentences[index]
        if (other.chapter, other.section) != (here.chapter, here.section):
            return index
    return min(position + 8, len(sentences))


def _explain_word(sentences: list, index: int) -> ToolResult:
    from os1.skills.documents.hard_words import explain_word, hard_word

    if not sentences:
        return ToolResult(text="I haven't read anything yet.")
    for back in range(3):  # the last sentence heard, or the one before if it had no hard word
        sentence = sentences[max(min(index, len(sentences) - 1) - back, 0)].text
        word = hard_word(sentence)
        if word is not None:
            return ToolResult(text=explain_word(word) + " Say “keep reading” to go on.")
    return ToolResult(text="There wasn't a hard word in the last bit, I think. Say “keep reading” to go on.")
