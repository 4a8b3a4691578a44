"""Loading skills from the ``os1.skills`` entry-point group, each inside its own guard.

An entry point names a package; the package folder holds ``manifest.toml`` and
``tools.py``. A skill that fails to import, has a bad manifest or a missing
dependency is reported in :attr:`SkillSet.broken` and left out; the others load.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from os1.skills.base import Intent, Skill, ToolSpec

log = logging.getLogger(__name__)
GROUP = "os1.skills"


class SkillLoadError(Exception):
    pass


@dataclass
class SkillSet:
    skills: dict[str, Skill] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # name -> reason
    _schemas: list[dict[str, Any]] | None = field(default=None, repr=False)

    def tool(self, skill: str, tool: str) -> ToolSpec | None:
        found = self.skills.get(skill)
        return found.tools.get(tool) if found else None

    def tool_schemas(self) -> list[dict[str, Any]]:
        """OpenAI tool schemas of every user-facing tool (one with an intent), built once."""
        if self._schemas is None:
            self._schemas = [
                spec.openai_schema(skill.name)
                for skill in self.skills.values()
                for spec in skill.tools.values()
                if spec.name in {intent.tool for intent in skill.intents}
            ]
        return self._schemas


def skill_from_package(package: ModuleType) -> Skill:
    folder = Path(package.__file__ or "").parent
    manifest_path = folder / "manifest.toml"
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SkillLoadError(f"manifest {manifest_path} unreadable: {exc}") from exc
    for missing in [d for d in manifest.get("dependencies", []) if importlib.util.find_spec(d) is None]:
        raise SkillLoadError(f"needs the Python package {missing!r}, which is not installed")
    tools_module = importlib.import_module(f"{package.__name__}.tools")
    tools = {
        spec.name: spec
        for obj in vars(tools_module).values()
        if (spec := getattr(obj, "__os1_tool__", None)) is not None
    }
    intents = []
    for raw in manifest.get("intents", []):
        if raw.get("tool") not in tools:
            raise SkillLoadError(f"intent names unknown tool {raw.get('tool')!r}")
        intents.append(
            Intent(tool=raw["tool"], examples=tuple(raw.get("examples", [])),
                   patterns=tuple(raw.get("patterns", [])))
        )
    upkeep = None
    if importlib.util.find_spec(f"{package.__name__}.initiative") is not None:
        upkeep = getattr(importlib.import_module(f"{package.__name__}.initiative"), "upkeep", None)
    try:
        return Skill(
            name=manifest["name"],
            description=manifest["description"],
            scopes=tuple(manifest.get("scopes", [])),
            consent_question=manifest.get("consent_question", ""),
            consent_questions={str(k): str(v) for k, v in manifest.get("consent_questions", {}).items()},
            dependencies=tuple(manifest.get("dependencies", [])),
            intents=tuple(intents),
            tools=tools,
            remember_exchanges=bool(manifest.get("remember_exchanges", True)),
            upkeep=upkeep,
        )
    except KeyError as exc:
        raise SkillLoadError(f"manifest is missing {exc}") from exc


def load_skills(extra: list[ModuleType] | None = None) -> SkillSet:
    result = SkillSet()
    candidates: list[tuple[str, object]] = [(ep.name, ep) for ep in entry_points(group=GROUP)]
    candidates += [(m.__name__, m) for m in extra or []]
    for name, source in candidates:
        try:
            package = source if isinstance(source, ModuleType) else source.load()  # type: ignore[attr-defined]
            skill = skill_from_package(package)
            result.skills[skill.name] = skill
        except Exception as exc:  # one broken skill must not break OS1
            log.warning("skill %s not loaded: %s", name, exc)
            result.broken[name] = f"{type(exc).__name__}: {exc}"
    return result
