"""Finding and creating brains through the ``os1.brains`` entry-point group.

Built-in backends register in OS1's own ``pyproject.toml`` exactly as a
third-party package would. Each entry point is loaded inside its own guard: a
broken plugin is reported and skipped, it never breaks the others.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

from os1.brain.base import Brain, BrainUnavailable
from os1.core.config import BrainSettings

log = logging.getLogger(__name__)
GROUP = "os1.brains"


def available() -> dict[str, str]:
    """Names of registered brains and where they live (nothing is imported)."""
    return {ep.name: ep.value for ep in entry_points(group=GROUP)}


def create(settings: BrainSettings) -> Brain:
    """Create the brain named in ``settings``; raises :class:`BrainUnavailable` with a reason."""
    matches = [ep for ep in entry_points(group=GROUP) if ep.name == settings.name]
    if not matches:
        names = ", ".join(sorted(available())) or "none"
        raise BrainUnavailable(f"There is no brain called {settings.name!r}; known: {names}.")
    try:
        cls = matches[0].load()
    except Exception as exc:
        log.warning("brain plugin %s failed to load: %s", settings.name, exc)
        raise BrainUnavailable(f"The brain plugin {settings.name!r} failed to load: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Brain)):
        raise BrainUnavailable(f"The brain plugin {settings.name!r} is not a Brain class.")
    return cls(settings)
