"""``os1 bench documents``: the parts of issue 6 that have targets, run together into one JSON line.

- ``--frank DIR``: 3-sentence condensed versions of FRANK articles against their reference summaries
  (ROUGE-1/2/L F1), beside Lead-3 in the same run (:mod:`os1.bench.summaries`);
- ``--docs DIR``: simpler words on the long documents (Flesch–Kincaid drop, non-words, names and numbers
  kept; :mod:`os1.bench.simplify`) and reading speed (300-page PDF to first audio, a condensed audiobook;
  :mod:`os1.bench.reading`);
- ``--files DIR`` / ``--generate-files N``: the file scan's metadata rate (:mod:`os1.bench.files`).

Each part's keys go into one flat object; a part that fails is reported as ``<part>_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _part(name: str, run: Callable[[], dict[str, Any]], result: dict[str, Any],
          echo: Callable[[str], None]) -> None:
    echo(f"… {name}")
    try:
        result.update(run())
    except Exception as exc:  # one part failing must not hide the others' numbers
        log.exception("bench part %s failed", name)
        result[f"{name}_error"] = f"{type(exc).__name__}: {exc}"


def run(*, frank: Path | None = None, docs: Path | None = None, files: Path | None = None,
        generate_files: int = 0, limit: int | None = None, audiobook: bool = True,
        echo: Callable[[str], None] = print) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if files is not None or generate_files:
        from os1.bench import files as files_bench

        _part("files", lambda: files_bench.run(files, generate=generate_files), result, echo)
    if docs is not None:
        from os1.bench import reading, simplify

        _part("simplify", lambda: simplify.run(docs), result, echo)
        book = next(iter(sorted(docs.glob("*.txt"))), None)  # the 300-page PDF is made from it
        if book is None:
            result["reading_error"] = f"no .txt book in {docs} to make the 300-page PDF and audiobook from"
        else:
            _part("reading", lambda: reading.run(book, with_audiobook=audiobook), result, echo)
    if frank is not None:  # last: its ROUGE keys are the headline
        from os1.bench import summaries

        _part("summaries", lambda: summaries.run(frank, limit=limit), result, echo)
    return result
