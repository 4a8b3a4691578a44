"""Export everything OS1 knows to one archive, and erase it all.

The archive is a zip with ``data.json`` (every table, as rows), ``profile.json``
and a short README; secrets (API keys, the server token) are never included.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

from os1 import __version__
from os1.core.config import Settings
from os1.storage.base import Store

README = """OS1 export
==========
data.json     every table of the OS1 database (profile, conversations, messages,
              memories, consent ledger, action journal), one list of rows each
profile.json  who you are to OS1 and who OS1 is to you
Secrets (API keys, the server token) are not included.
"""


def default_export_path() -> Path:
    return Path.cwd() / time.strftime("os1-export-%Y%m%d-%H%M%S.zip")


def write_archive(store: Store, path: Path) -> dict[str, int]:
    data = store.export()
    profile = store.profile.get("profile") or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("data.json", json.dumps(
            {"os1_version": __version__, "exported_at": time.time(), "tables": data},
            ensure_ascii=False, indent=1))
        archive.writestr("profile.json", json.dumps(profile, ensure_ascii=False, indent=1))
    partial.replace(path)
    return {table: len(rows) for table, rows in data.items()}


def erase_everything(settings: Settings) -> list[Path]:
    """Delete the database (with its WAL files) and the server token. Returns what was removed."""
    removed = []
    db = settings.db_path
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                 settings.token_path):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
