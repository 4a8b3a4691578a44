"""Benchmark for document simplification (issue 6): readability gain, safety, speed.

For each document in ``docs_dir`` (any format :func:`os1.skills.documents.extract.extract` reads)
the text is simplified at level 1 and at level 2 and measured:

- ``fk_before`` / ``fk_after`` / ``fk_drop``: Flesch–Kincaid grade (textstat 0.7.8);
- ``nonwords_introduced``: words in the output that the source never had and that wordfreq does not
  know as English (Zipf < 2.5). Checked here, independently of the simplifier's own lexicon;
- ``names_changed``: names in the source (capitalised words mid-sentence, or capitalised words the
  text never writes in lower case) that do not survive, in order, in the output;
- ``numbers_changed``: digit tokens (years, amounts, section numbers) lost, added or reordered;
- ``simplify_swaps``, ``simplify_splits``, ``simplify_words``, ``simplify_words_per_s`` (simplification
  time, grades excluded; prefixed so they do not collide with other benches' keys in one dict).

Aggregate keys are over all documents together (grades on the concatenated text); each document's
values are repeated with a short name prefix (``pride_fk_drop``), and level-2 values with ``l2_``.
"""

from __future__ import annotations

import difflib
import re
import time
from pathlib import Path
from typing import Any

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
DIGITS = re.compile(r"\d+")
NONWORD_ZIPF = 2.5


def _short_name(path: Path) -> str:
    stem = re.sub(r"^pg\d+_", "", path.stem.lower())
    return re.sub(r"[^a-z0-9]+", "_", stem).split("_")[0] or "doc"


def _read(path: Path, max_words: int | None) -> str:
    try:
        from os1.skills.documents.extract import extract

        text = extract(path).text
    except ImportError:  # before the documents reader existed: PDFs via pypdfium2, text as is
        if path.suffix.lower() == ".pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            text = "\n\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
    if max_words is not None:
        for count, m in enumerate(re.finditer(r"\S+", text), start=1):
            if count >= max_words:
                return text[: m.end()]
    return text


def _capitalised_names(text: str) -> list[str]:
    """Source names, found without the simplifier's rules: capitalised words not right after a
    sentence end, plus capitalised words that never appear in lower case anywhere in the text."""
    lower = {w for w in WORD.findall(text) if w.islower()}
    names = []
    for m in WORD.finditer(text):
        w = m.group()
        if not w[0].isupper():
            continue
        before = text[max(0, m.start() - 4): m.start()].rstrip(" “\"‘'(_[")
        sentence_start = not before or before[-1] in ".!?:\n"
        if not sentence_start or w.lower() not in lower:
            names.append(w)
    return names


def _missing_in_order(needed: list[str], have: list[str]) -> int:
    missing = 0
    j = 0
    for w in needed:
        k = j
        while k < len(have) and have[k] != w:
            k += 1
        if k < len(have):
            j = k + 1
        else:
            missing += 1
    return missing


def check(source: str, output: str) -> dict[str, Any]:
    """Independent safety checks of one simplification."""
    from wordfreq import zipf_frequency

    source_words = {w.lower() for w in WORD.findall(source)}
    new_words = sorted({w.lower() for w in WORD.findall(output)} - source_words)
    nonwords = [w for w in new_words if zipf_frequency(w, "en") < NONWORD_ZIPF]
    names_changed = _missing_in_order(_capitalised_names(source),
                                      [w for w in WORD.findall(output) if w[0].isupper()])
    a, b = DIGITS.findall(source), DIGITS.findall(output)
    numbers_changed = sum(max(i2 - i1, j2 - j1)
                          for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False)
                          .get_opcodes() if op != "equal")
    return {"nonwords_introduced": len(nonwords), "nonwords": nonwords[:20],
            "names_changed": names_changed, "numbers_changed": numbers_changed}


def _one(text: str, level: int) -> dict[str, Any]:
    from os1.skills.documents.simplify import grade, simplify

    start = time.perf_counter()
    result = simplify(text, level=level, measure=False)
    seconds = time.perf_counter() - start
    before, after = grade(text), grade(result.text)
    words = len(WORD.findall(text))
    out = {"fk_before": round(before, 2), "fk_after": round(after, 2), "fk_drop": round(before - after, 2),
           "swaps": len(result.swaps), "splits": result.splits, "words": words,
           "seconds": round(seconds, 2), "words_per_s": round(words / max(seconds, 1e-9))}
    out.update(check(text, result.text))
    out["examples"] = result.swaps[:: max(1, len(result.swaps) // 12)][:12]
    out["_text"] = result.text
    return out


def run(docs_dir: Path, *, max_words: int | None = None, levels: tuple[int, ...] = (1, 2)) -> dict[str, Any]:
    """Simplify every readable document in ``docs_dir``; a flat dict of measurements."""
    from os1.skills.documents.simplify import grade

    paths = sorted(p for p in Path(docs_dir).iterdir() if p.is_file() and not p.name.startswith("."))
    texts = {}
    for p in paths:
        try:
            texts[_short_name(p)] = _read(p, max_words)
        except Exception as exc:  # an unreadable file is reported, the rest is measured
            texts[_short_name(p)] = ""
            print(f"simplify bench: skipped {p.name}: {exc}")
    result: dict[str, Any] = {"simplify_documents": len([t for t in texts.values() if t])}
    for level in levels:
        prefix = "" if level == 1 else f"l{level}_"
        per = {name: _one(text, level) for name, text in texts.items() if text}
        words = sum(r["words"] for r in per.values())
        seconds = sum(r["seconds"] for r in per.values())
        before = grade("\n\n".join(texts[n] for n in per))
        after = grade("\n\n".join(r["_text"] for r in per.values()))
        result.update({
            f"{prefix}fk_before": round(before, 2), f"{prefix}fk_after": round(after, 2),
            f"{prefix}fk_drop": round(before - after, 2),
            f"{prefix}nonwords_introduced": sum(r["nonwords_introduced"] for r in per.values()),
            f"{prefix}names_changed": sum(r["names_changed"] for r in per.values()),
            f"{prefix}numbers_changed": sum(r["numbers_changed"] for r in per.values()),
            f"{prefix}simplify_swaps": sum(r["swaps"] for r in per.values()),
            f"{prefix}simplify_splits": sum(r["splits"] for r in per.values()),
            f"{prefix}simplify_words": words,
            f"{prefix}simplify_words_per_s": round(words / max(seconds, 1e-9)),
        })
        for name, r in per.items():
            for key, value in r.items():
                if not key.startswith("_"):
                    generic = key in ("swaps", "splits", "words", "words_per_s", "seconds", "examples")
                    result[f"{prefix}{name}_{'simplify_' if generic else ''}{key}"] = value
    return result


if __name__ == "__main__":  # python -m os1.bench.simplify [docs_dir] [max_words]
    import json
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/documents")
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    print(json.dumps(run(folder, max_words=limit), indent=1, ensure_ascii=False))
