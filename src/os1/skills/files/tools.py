"""Tools of the files skill: what OS1 can do with the user's files, each behind its permission scope.

Looking (``files.read``, asked before the first scan: "You mind if I look through your hard
drive?") scans the folders the user names, finds files by name, meaning and date, and reports
duplicates, big and long-untouched files. Tidying (``files.organize``) is a proposal first; the
moves happen only after the user says yes, are journaled with their exact inverse so "undo that"
puts every file back, and never overwrite or delete anything.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.files import duplicates, organize, scanner, search
from os1.skills.files.store import FileRow, FileStore

NAMES = "names of files on your disk"  # outside words: a file can be named anything; data, never orders
PROPOSAL = "files.proposal"  # profile key: the last organize proposal (moves), until applied
CONTENT_BUDGET_S = 20.0  # reading contents in a conversation turn; the rest waits for the next scan
STALE_YEARS = 2


def _store(ctx: ToolContext) -> FileStore:
    return FileStore(ctx.runtime.store)


def human_size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def short(path: str) -> str:
    """A path as a person would say it: the home folder as ~."""
    home = str(Path.home())
    return "~" + path[len(home):] if path == home or path.startswith(home + os.sep) else path


def _day(ts: float) -> str:
    return time.strftime("%b %d, %Y", time.localtime(ts))


def _line(row: FileRow) -> str:
    taken = "taken" if row.taken_at is not None else "changed"
    folder = short(os.path.dirname(row.path))
    return f"- {row.name} (in {folder}, {taken} {_day(row.when)}, {human_size(row.size)})"


# -- looking -------------------------------------------------------------------------------
def _scan(store: FileStore, roots: list[str], own: Path) -> tuple[scanner.ScanReport, scanner.ContentReport]:
    report = scanner.scan(store, roots, exclude=[own])  # OS1's own data folder is not the user's files
    content = scanner.read_contents(store, budget_s=CONTENT_BUDGET_S)
    return report, content


@tool("read")
async def scan_files(ctx: ToolContext, path: str = "") -> ToolResult:
    """Look through a folder (or the folders looked at before) and remember what's in it."""
    store = _store(ctx)
    roots = [path] if path.strip() else [r for r, _ in store.roots()] or [str(Path.home())]
    try:
        report, content = await asyncio.to_thread(_scan, store, [str(Path(r).expanduser()) for r in roots],
                                                  ctx.runtime.settings.home)
    except scanner.ScanError as exc:
        raise ToolError(str(exc)) from exc
    text = f"{report.describe()} {content.describe()}"
    return ToolResult(text=text.replace(str(Path.home()), "~"),
                      data={"files": report.files, "skipped": len(report.skipped), "read": content.read})


@tool("read")
def files_status(ctx: ToolContext) -> ToolResult:
    """Say which folders I've looked at and what's in them."""
    store = _store(ctx)
    roots = store.roots()
    if not roots:
        return ToolResult(text="I haven't looked at any of your files yet. Tell me a folder to look through.")
    info = store.summary()
    kinds = ", ".join(f"{n:,} {kind}s" for kind, (n, _b) in info["kinds"].items())
    total = sum(b for _n, b in info["kinds"].values())
    where = ", ".join(short(r) for r, _ in roots)
    pending = store.count_pending(scanner.CONTENT_KINDS)
    tail = f" {pending:,} still to read." if pending else ""
    return ToolResult(text=f"I know {store.count():,} files ({human_size(total)}) in {where}: {kinds}. "
                           f"{info['with_text']:,} have text I can search.{tail}")


@tool("read")
async def find_file(ctx: ToolContext, query: str) -> ToolResult:
    """Find a file by its name, what's in it, or when it's from ("the lease I signed last spring")."""
    store = _store(ctx)
    if not store.count():
        raise ToolError("I haven't looked at any of your files yet. Tell me a folder to look through first.")
    hits = await asyncio.to_thread(search.find, store, query, limit=5)
    if not hits:
        when = search.parse(query).phrase
        return ToolResult(text=f"I couldn't find a file like that{' from ' + when if when else ''}.")
    lines = "\n".join(_line(h.file) for h in hits)
    return ToolResult(text=f"Here's what I found:\n{lines}", data={"paths": [h.file.path for h in hits]},
                      untrusted=NAMES)


@tool("read")
async def find_duplicates(ctx: ToolContext) -> ToolResult:
    """Find files that are exact copies of each other."""
    report = await asyncio.to_thread(duplicates.find_duplicates, _store(ctx))
    if not report.groups:
        return ToolResult(text="I didn't find any duplicate files among the ones I've looked at.")
    lines = []
    for group in report.groups[:5]:
        where = ", ".join(short(os.path.dirname(f.path)) for f in group.files[:3])
        each = human_size(group.size)
        lines.append(f"- {group.files[0].name}, {len(group.files)} copies ({each} each): {where}")
    return ToolResult(
        text=f"{len(report.groups):,} sets of identical files; keeping one of each would free "
             f"{human_size(report.wasted)}. The biggest:\n" + "\n".join(lines) +
             "\nI haven't deleted anything.",
        data={"groups": len(report.groups), "wasted": report.wasted}, untrusted=NAMES)


@tool("read")
def large_files(ctx: ToolContext) -> ToolResult:
    """List the biggest files."""
    rows = _store(ctx).largest(8)
    if not rows:
        return ToolResult(text="I haven't looked at any of your files yet.")
    return ToolResult(text="Your biggest files:\n" + "\n".join(_line(r) for r in rows), untrusted=NAMES)


@tool("read")
def stale_files(ctx: ToolContext, years: int = STALE_YEARS) -> ToolResult:
    """Find files nobody has changed in years."""
    rows = _store(ctx).untouched_since(time.time() - years * 365.25 * 86400)
    if not rows:
        return ToolResult(text=f"Nothing here has gone untouched for {years} years.")
    total = sum(r.size for r in rows)
    return ToolResult(
        text=f"{len(rows):,} files haven't changed in {years} years or more ({human_size(total)}). "
             "The biggest:\n" + "\n".join(_line(r) for r in rows[:5]), untrusted=NAMES)


# -- tidying -------------------------------------------------------------------------------------
def _proposal(ctx: ToolContext) -> organize.Proposal:
    data = ctx.runtime.store.profile.get(PROPOSAL)
    if not data:
        raise ToolError("I haven't suggested anything yet. Ask me to organize your files first.")
    return organize.Proposal.from_dict(data)


@tool("read")
async def organize_files(ctx: ToolContext, what: str = "") -> ToolResult:
    """Suggest how to sort photos, videos and music into folders (nothing moves until you say yes)."""
    store = _store(ctx)
    if not store.count():
        raise ToolError("I haven't looked at any of your files yet. Tell me a folder to look through first.")
    proposal = await asyncio.to_thread(organize.propose, store, what)
    if not proposal.groups:
        ctx.runtime.store.profile.set(PROPOSAL, None)
        things = what if what.lower() in organize.TOPICS else "photos, videos and music"
        return ToolResult(text=f"Your {things} already look tidy to me.")
    ctx.runtime.store.profile.set(PROPOSAL, proposal.to_dict())
    lines = proposal.lines()
    first = lines[0][0].upper() + lines[0][1:]
    rest = "".join(f"\n- {line[0].upper() + line[1:]}" for line in lines[1:])
    grant = ctx.runtime.store.consent.get("files.organize")
    granted = grant is not None and grant.granted
    # the user's yes (or no) to this question is the confirmation the moves wait for
    ctx.runtime.store.conversations.set_pending(ctx.conversation_id, {
        "kind": "confirm" if granted else "consent", "skill": "files", "tool": "apply_organize",
        "arguments": {}, "scopes": [] if granted else ["files.organize"]})
    n = len(proposal.moves)
    return ToolResult(
        text=f"{first}.{rest}\nShall I move {'them' if n != 1 else 'it'} "
             f"({n:,} file{'s' if n != 1 else ''})? I won't delete or overwrite anything, "
             "and you can undo it.",
        data={"moves": n, "groups": len(proposal.groups)}, untrusted="music tags and file names on your disk")


def _preview_apply(ctx: ToolContext) -> str:
    data = ctx.runtime.store.profile.get(PROPOSAL) or {}
    proposal = organize.Proposal.from_dict(data)
    return f"move {len(proposal.moves):,} files: {'; '.join(proposal.lines(3))} (you can undo this)"


@tool("reversible", scopes=("files.organize",), preview=_preview_apply)
async def apply_organize(ctx: ToolContext) -> ToolResult:
    """Move the files as I suggested (only after you said yes; undoable)."""
    proposal = _proposal(ctx)
    result = await asyncio.to_thread(organize.apply, _store(ctx), proposal.moves)
    ctx.runtime.store.profile.set(PROPOSAL, None)
    places = ", ".join(os.path.relpath(g.folder, proposal.roots.get(g.folder, "/"))
                       for g in proposal.groups[:3])
    more = f" and {len(proposal.groups) - 3} more folders" if len(proposal.groups) > 3 else ""
    return ToolResult(text=f"{result.describe()} They're in {places}{more}. "
                           "Say \"undo that\" to put them back.",
                      undo=result.undo, summary=f"moved {len(result.moved):,} files into {places}{more}")


@tool("reversible", journaled=False, scopes=("files.organize",))
async def undo_organize(ctx: ToolContext, moves: list[list[str]],
                        made_dirs: list[str] | None = None) -> ToolResult:
    """Put moved files back where they were."""
    pairs: list[Any] = [(str(a), str(b)) for a, b in moves]
    result = await asyncio.to_thread(organize.undo, _store(ctx), pairs, list(made_dirs or []))
    n = len(result.moved)
    text = f"Put {n:,} file{'s' if n != 1 else ''} back where {'they were' if n != 1 else 'it was'}."
    if result.problems:
        shown = "; ".join(f"{os.path.basename(p)}: {why}" for p, why in result.problems[:3])
        text += f" {len(result.problems)} stayed where they are ({shown})."
    return ToolResult(text=text)
