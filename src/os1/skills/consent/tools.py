"""Tools of the consent skill: the permission ledger and the undo journal, by conversation."""

from __future__ import annotations

from os1.guard.journal import undo_last as undo_last_entry
from os1.skills.base import ToolContext, ToolResult, tool


@tool("read")
def list_permissions(ctx: ToolContext) -> ToolResult:
    """List the permissions you have granted or refused."""
    grants = ctx.runtime.store.consent.list()
    if not grants:
        return ToolResult(text="You haven't given me access to anything yet.")
    allowed = [g.scope for g in grants if g.granted]
    refused = [g.scope for g in grants if not g.granted]
    text = "You've allowed: " + (", ".join(allowed) or "nothing") + "."
    if refused:
        text += " Refused or taken back: " + ", ".join(refused) + "."
    return ToolResult(text=text, data={"allowed": allowed, "refused": refused})


@tool("reversible")
def revoke(ctx: ToolContext, scope: str) -> ToolResult:
    """Take back a permission."""
    scope = scope.strip().lower()
    if not ctx.runtime.gate.revoke(scope):
        return ToolResult(text=f"I didn't have {scope} permission, so there's nothing to take back.")
    return ToolResult(
        text=f"Done. I no longer have {scope} permission; I'll ask before using it again.",
        undo={"tool": "regrant", "arguments": {"scope": scope}},
        summary=f"revoked {scope}",
    )


@tool("reversible", journaled=False)
def regrant(ctx: ToolContext, scope: str) -> ToolResult:
    """Give back a permission that was revoked (used by undo)."""
    ctx.runtime.gate.grant([scope])
    return ToolResult(text=f"I have {scope} permission again.")


@tool("reversible", journaled=False)
async def undo_last(ctx: ToolContext) -> ToolResult:
    """Undo the last change I made."""
    runtime = ctx.runtime
    return ToolResult(text=await undo_last_entry(runtime.store.journal, runtime.skills, ctx))
