"""Sentences of a document, each remembering where it came from (block, page, section, chapter).

:func:`split_sentences` is a rule-based splitter that knows abbreviations ("Mr.", "e.g.", "U.S."),
initials ("J. R. Smith"), decimals and numbers ("3.5", "No. 7"), ellipses, and quotations: a
sentence ending inside a quote stays with its attribution ("“Go,” she said.") and a quote's
closing mark stays with the sentence it ends. It also splits sentences that were glued together
without a space ("community.Dr Venter"), which happens in scraped text and PDFs.

:func:`split_passages` turns a Document into a flat list of :class:`Passage` (one per sentence;
headings are one passage each) that ranking, condensing, highlighting and reading aloud share.
A passage's page is the page its sentence starts on, even inside a paragraph that runs over a
page break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from os1.skills.documents.model import Block, Document


@dataclass
class Passage:
    text: str
    block: int  # index into Document.blocks
    page: int | None = None
    section: str = ""
    chapter: str = ""
    index: int = 0  # position in the passage list
    heading: bool = False  # the passage is a heading


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "rev",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "supt",
        "insp",
        "hon",
        "messrs",
        "mme",
        "mlle",
        "vs",
        "etc",
        "al",
        "fig",
        "figs",
        "eq",
        "eqs",
        "ref",
        "refs",
        "vol",
        "vols",
        "no",
        "nos",
        "pp",
        "ch",
        "sec",
        "art",
        "dept",
        "univ",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thurs",
        "fri",
        "sat",
        "sun",
        "approx",
        "est",
        "ave",
        "blvd",
        "rd",
        "cf",
        "viz",
        "ca",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "ph.d",
        "b.a",
        "m.a",
        "b.sc",
        "m.sc",
        "d.c",
        "n.y",
        "l.a",
    ]
)
# Abbreviations that often END a sentence too: only treat them as non-final before a lowercase word
# or a number.
_SOFT_ABBREVIATIONS = frozenset(
    {"etc", "al", "inc", "ltd", "co", "corp", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c", "n.y", "l.a"}
)

_OPEN = "\"'“‘«([{"
_CLOSE = "\"'”’»)]}"

# Candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then the next
# sentence's first character (optionally after opening quotes/brackets).
_BOUNDARY = re.compile(r"([.!?…]+|\.\.\.)([\"'”’»)\]]*)(\s+)(?=([\"'“‘«(\[]*)(\S))")
# Glued sentences: "word.Next" with a lowercase letter(s) before and an uppercase+lowercase after.
_GLUED = re.compile(r"(?<=[a-z0-9%)\"”’][.!?])(?=[A-Z][a-z])|(?<=[a-z][.!?][\"”’])(?=[A-Z][a-z])")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; whitespace is normalised, nothing else is changed."""
    text = " ".join(text.split())
    if not text:
        return []
    text = _unglue(text)
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end(2)
        punct = m.group(1)
        nxt = m.group(5)
        before = text[start : m.start(1)]
        if not _is_boundary(before, punct, m.group(2), nxt, text, m.end()):
            continue
        sent = text[start:end].strip()
        if sent:
            out.append(sent)
        start = m.end(3)
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return _merge_fragments(out)


def _unglue(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        return " "

    # Only split "abc.Def" when the token before the dot is a real lowercase word (not "e.g" or "U.S").
    pieces = []
    last = 0
    for m in _GLUED.finditer(text):
        i = m.start()
        word = re.search(r"(\S+)$", text[last:i])
        token = word.group(1) if word else ""
        core = token.rstrip('.!?"”’').lower()
        if "." in core or core in _ABBREVIATIONS or re.search(r"https?:|www|@|/", token):
            continue
        pieces.append(text[last:i])
        pieces.append(fix(m))
        last = i
    pieces.append(text[last:])
    return "".join(pieces)


def _is_boundary(before: str, punct: str, closers: str, nxt: str, text: str, pos: int) -> bool:
    if punct.startswith(".") and punct == "." and not closers:
        word = re.search(r"(\S+)$", before)
        token = word.group(1) if word else ""
        core = token.lstrip(_OPEN).lower()
        if core in _ABBREVIATIONS:
            if core in _SOFT_ABBREVIATIONS:
                return not (nxt.islower() or nxt.isdigit()) and not _looks_like_name(text, pos)
            return False
        if re.fullmatch(r"[a-z]", core) and token[-1:].isupper():  # an initial: "J. Smith"
            return False
        if re.fullmatch(r"([a-z]\.)+[a-z]", core):  # "U.S", "e.g", "Ph.D"
            return nxt.isupper() and core in {"u.s", "u.k"} and not _looks_like_name(text, pos)
        if re.fullmatch(r"(no|nos|p|pp|art|fig|vol|ch|sec)", core):
            return False
    # "“Why?” she asked." / "and so on... then": a lowercase word continues the sentence.
    return not nxt.islower()


def _looks_like_name(text: str, pos: int) -> bool:
    """After 'U.S.' or 'Inc.', a following capitalised word that is a common continuation."""
    nxt = re.match(r"[\"'“‘(\[]*(\w+)", text[pos:])
    return bool(
        nxt
        and nxt.group(1)
        in {"Army", "Navy", "Air", "Senate", "House", "government", "President", "Supreme", "Department"}
    )


def _merge_fragments(sents: list[str]) -> list[str]:
    """Glue back pieces that are not sentences on their own (a lone closing quote, '1.' list marks)."""
    out: list[str] = []
    for s in sents:
        if (out and (len(s) <= 2 and not any(ch.isalnum() for ch in s))) or (
            out and re.fullmatch(r"\(?\d{1,3}[.)]", out[-1])
        ):
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return out


def split_passages(doc: Document) -> list[Passage]:
    """Every sentence of ``doc`` (and every heading) as a Passage, in document order."""
    out: list[Passage] = []
    for bi, block in enumerate(doc.blocks):
        if block.kind == "heading":
            out.append(
                Passage(block.text, bi, block.page, block.section, block.chapter, len(out), heading=True)
            )
            continue
        sents = split_sentences(block.text)
        for sent, page in zip(sents, _start_pages(block, sents), strict=True):
            out.append(Passage(sent, bi, page, block.section, block.chapter, len(out)))
    return out


def _start_pages(block: Block, sents: list[str]) -> list[int | None]:
    """The page each sentence of ``block`` starts on, using the block's page breaks (PDFs).

    Sentences keep every non-space character of the block in order (splitting only changes
    spaces), so a sentence's start is found by counting non-space characters.
    """
    if not block.page_breaks:
        return [block.page] * len(sents)
    marks = [(_visible(block.text[:offset]), page) for offset, page in sorted(block.page_breaks)]
    pages: list[int | None] = []
    seen = 0  # non-space characters before the current sentence
    for sent in sents:
        page = block.page
        for mark, next_page in marks:
            if seen >= mark:
                page = next_page
        pages.append(page)
        seen += _visible(sent)
    return pages


def _visible(text: str) -> int:
    """How many non-space characters ``text`` has."""
    return sum(1 for ch in text if not ch.isspace())
