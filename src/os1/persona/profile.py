"""The user's profile and the OS's own identity, as saved after first boot."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from os1.storage.base import ProfileRepo

TRAIT_NAMES = ("warmth", "curiosity", "playfulness", "directness")


@dataclass
class Profile:
    user_name: str = ""
    sociability: str = ""  # "social", "private" or the user's own words
    mother: str | None = None  # None when skipped
    wants_help_with: str = ""
    voice: str = "female"  # "male" | "female"
    os_name: str = ""
    traits: dict[str, float] = field(default_factory=dict)
    booted_at: float | None = None

    @property
    def booted(self) -> bool:
        return bool(self.booted_at and self.os_name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def load(cls, repo: ProfileRepo) -> Profile:
        data = repo.get("profile") or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, repo: ProfileRepo) -> None:
        repo.set("profile", self.to_dict())
