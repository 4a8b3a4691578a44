"""Tools of the capabilities skill."""

from __future__ import annotations

from os1.skills.base import ToolContext, ToolResult, tool


@tool("read")
def what_can_you_do(ctx: ToolContext) -> ToolResult:
    """Describe the skills I have, with an example request for each."""
    skills = ctx.runtime.skills
    lines = []
    for skill in sorted(skills.skills.values(), key=lambda s: s.name):
        if skill.name == "capabilities":
            continue
        example = f" — try “{skill.examples[0]}”" if skill.examples else ""
        lines.append(f"• {skill.description.rstrip('.')}{example}")
    text = "We can just talk, about anything. I can also:\n" + "\n".join(lines)
    if skills.broken:
        text += " Some skills didn't load: " + ", ".join(
            f"{name} ({reason})" for name, reason in skills.broken.items()
        ) + "."
    return ToolResult(text=text, data={"skills": sorted(skills.skills), "broken": skills.broken})
