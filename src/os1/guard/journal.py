"""Running tools with a journal: reversible changes are recorded with their undo, and undone on request.

Every tool call that passes the consent gate runs through :func:`run_tool`.
A reversible tool returns how to undo it (another tool of the same skill and
its arguments); that goes into the journal. :func:`undo_last` replays the
inverse of the newest entry not yet undone.
"""

from __future__ import annotations

import inspect
from typing import Any

from os1.skills.base import Skill, ToolContext, ToolError, ToolResult, ToolSpec
from os1.skills.loader import SkillSet
from os1.storage.base import JournalRepo


async def call(spec: ToolSpec, ctx: ToolContext, arguments: dict[str, Any]) -> ToolResult:
    values = spec.validate(arguments)
    outcome = spec.func(ctx, **values)
    if inspect.isawaitable(outcome):
        outcome = await outcome
    if isinstance(outcome, str):
        outcome = ToolResult(text=outcome)
    if not isinstance(outcome, ToolResult):
        raise ToolError(f"the tool {spec.name} returned nothing usable")
    return outcome


async def run_tool(
    journal: JournalRepo, skill: Skill, spec: ToolSpec, ctx: ToolContext, arguments: dict[str, Any]
) -> ToolResult:
    result = await call(spec, ctx, arguments)
    if spec.effect == "reversible" and spec.journaled:
        journal.record(
            skill.name, spec.name, result.summary or result.text[:200],
            {"skill": skill.name, **result.undo} if result.undo else None,
        )
    return result


async def undo_last(journal: JournalRepo, skills: SkillSet, ctx: ToolContext) -> str:
    entry = journal.last_undoable()
    if entry is None or entry.undo is None:
        return "There's nothing I've done that I can undo."
    spec = skills.tool(entry.undo["skill"], entry.undo["tool"])
    if spec is None:
        return f"I can't undo “{entry.summary}”: the {entry.undo['skill']} skill isn't loaded."
    result = await call(spec, ctx, entry.undo.get("arguments", {}))
    journal.mark_undone(entry.id)
    return f"Undone: {entry.summary}. {result.text}".strip()
