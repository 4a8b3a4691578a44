"""Settings: where OS1 keeps its data and which brain it talks to.

Resolution order, strongest first: environment variables, then
``$OS1_HOME/config.toml``, then defaults. The data directory comes from
``OS1_HOME`` (so tests and several users can each have their own) or the
platform's user-data directory.

Environment variables:

- ``OS1_HOME``            data directory
- ``OS1_BRAIN``           ``embedded`` (default), ``scripted``, ``openai-compatible``,
                          or directly an endpoint URL such as ``http://localhost:11434/v1``
- ``OS1_BRAIN_URL``       base URL of an OpenAI-compatible endpoint
- ``OS1_BRAIN_MODEL``     model name at that endpoint
- ``OS1_BRAIN_API_KEY``   key for that endpoint (``OPENAI_API_KEY`` is read too); never logged
- ``OS1_CONTEXT_TOKENS``  context window of the embedded brain (default 2048)
- ``OS1_BRAIN_TIMEOUT``   seconds to wait for an endpoint (default 60)
- ``OS1_ROUTER``          ``embedding`` (default) or ``patterns`` (no embedding model)
- ``OS1_VOICE``           the spoken voice: ``joe`` (Piper), ``espeak-female``, ``espeak-male``,
                          ``espeak:<voice>`` or ``piper:/path/to/voice.onnx`` (default: from the
                          first-boot answer — female uses espeak-ng until a Piper voice is configured)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

DEFAULT_CONTEXT_TOKENS = 2048


class ConfigError(Exception):
    """The configuration cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class BrainSettings:
    name: str = "embedded"
    url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    context_tokens: int = DEFAULT_CONTEXT_TOKENS
    timeout_s: float = 60.0


@dataclass(frozen=True)
class Settings:
    home: Path
    brain: BrainSettings
    router: str = "embedding"
    voice: str | None = None

    @property
    def db_path(self) -> Path:
        return self.home / "os1.db"

    @property
    def token_path(self) -> Path:
        return self.home / "server_token"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"


def data_home() -> Path:
    env = os.environ.get("OS1_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("os1", appauthor=False))


def _read_config_file(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}). Fix or remove it.") from exc


def _int(value: object, name: str) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def _float(value: object, name: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a number of seconds, got {value!r}") from exc


def _text(value: object, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ConfigError(f"{name} must be text, got {value!r}")


def load_settings(home: Path | None = None) -> Settings:
    home = home or data_home()
    file_cfg = _read_config_file(home / "config.toml")
    brain_cfg = file_cfg.get("brain", {}) if isinstance(file_cfg.get("brain"), dict) else {}
    env = os.environ

    name = env.get("OS1_BRAIN") or _text(brain_cfg.get("name"), "[brain] name") or "embedded"
    url = env.get("OS1_BRAIN_URL") or _text(brain_cfg.get("url"), "[brain] url")
    if name.startswith(("http://", "https://")):
        url, name = name, "openai-compatible"
    api_key = (
        env.get("OS1_BRAIN_API_KEY")
        or env.get("OPENAI_API_KEY")
        or _text(brain_cfg.get("api_key"), "[brain] api_key")
    )
    context = env.get("OS1_CONTEXT_TOKENS") or brain_cfg.get("context_tokens")
    timeout = env.get("OS1_BRAIN_TIMEOUT") or brain_cfg.get("timeout_s") or 60.0
    timeout_name = "OS1_BRAIN_TIMEOUT" if env.get("OS1_BRAIN_TIMEOUT") else "[brain] timeout_s"
    brain = BrainSettings(
        name=name,
        url=url,
        model=env.get("OS1_BRAIN_MODEL") or _text(brain_cfg.get("model"), "[brain] model"),
        api_key=api_key,
        context_tokens=(
            _int(context, "OS1_CONTEXT_TOKENS") if context else DEFAULT_CONTEXT_TOKENS
        ),
        timeout_s=_float(timeout, timeout_name),
    )
    router = env.get("OS1_ROUTER") or file_cfg.get("router", "embedding")
    if router not in ("embedding", "patterns"):
        raise ConfigError(f"OS1_ROUTER must be 'embedding' or 'patterns', got {router!r}")
    voice = env.get("OS1_VOICE") or _text(file_cfg.get("voice"), "voice")
    return Settings(home=home, brain=brain, router=router, voice=voice)
