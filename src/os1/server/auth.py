"""Token auth for the OS1 server: one secret in the data directory, sent as a bearer token.

The token lives in ``settings.token_path`` (mode 0600), is created on first use
and reused afterwards, so every terminal and device on the machine (or one the
user copied it to) can join the same mind. It is compared in constant time and
never logged or printed by the server itself (``os1 token`` prints it on request).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from os1.core.config import Settings

TOKEN_BYTES = 32


class TokenError(Exception):
    """The token file cannot be read or written; the message says what to do."""


def load_or_create_token(settings: Settings) -> str:
    """The server token from ``settings.token_path``, created (mode 0600) if missing or empty."""
    path = settings.token_path
    existing = _read(path)
    if existing:
        _tighten(path)
        return existing
    token = secrets.token_urlsafe(TOKEN_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # present but empty: replace it atomically
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".server_token.")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp files are 0600
                fh.write(token + "\n")
            os.replace(tmp, path)
            return token
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it a moment ago: use theirs
        return _read(path) or token
    except OSError as exc:
        raise TokenError(f"Cannot create the server token file {path}: {exc}") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(
            f"Cannot read the server token file {path}: {exc}. "
            "Fix its permissions, or delete it and a new token will be made."
        ) from exc


def _tighten(path: Path) -> None:
    """Keep the token readable by its owner only, even if someone loosened the mode."""
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison that also copes with non-ASCII input."""
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def bearer_token(authorization: str | None) -> str | None:
    """The token from an ``Authorization: Bearer <token>`` header value, if there is one."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


MISSING_TOKEN = (
    "This OS1 server needs its token: send the header 'Authorization: Bearer <token>'. "
    "`os1 token` on the server's machine prints it."
)
WRONG_TOKEN = (
    "The token was not accepted. Use the one `os1 token` prints on the server's machine "
    "(it changes only if its file is deleted)."
)


def require_token(token: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency that lets a request through only with the right bearer token."""
    scheme = HTTPBearer(
        auto_error=False,
        description="The token `os1 token` prints (stored in OS1_HOME/server_token).",
    )

    async def check(
        credentials: HTTPAuthorizationCredentials | None = Depends(scheme),  # noqa: B008
    ) -> None:
        if credentials is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, MISSING_TOKEN, {"WWW-Authenticate": "Bearer"}
            )
        if not token_matches(credentials.credentials, token):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, WRONG_TOKEN, {"WWW-Authenticate": "Bearer"}
            )

    return check
