"""``os1 bench stt``: word error rate and real-time factor of speech to text on a manifest.

The manifest is a TSV file with a header holding at least the columns ``path``
(relative to the manifest) and ``reference`` (what was said); other columns are
ignored. ``.raw``/``.pcm`` files are headerless s16le 16 kHz mono. Rows whose
file is missing or unreadable are skipped (and named through ``warn``).

WER is corpus-level (all errors / all reference words) on normalized text:
lower case, hyphens as spaces, punctuation and apostrophes removed, a few
abbreviations spelled out ("Mr." -> "mister") and numbers written as words
("10" -> "ten", "3.5" -> "three point five") on both sides. RTF is the total
transcription time over the total audio duration; loading the model (plus
one warm-up decode) is timed separately as ``load_s``.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from os1.perception.audio import AudioError, load_audio
from os1.perception.stt import load_stt

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"), (100, "hundred"))
_ORDINAL_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                      "nine": "ninth", "twelve": "twelfth"}
_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "vs": "versus", "st": "saint",
                  "ok": "okay", "%": "percent", "&": "and"}


def number_words(n: int) -> str:
    """Cardinal number in English words (no "and"): 1905 -> "one thousand nine hundred five"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (" " + _ONES[ones] if ones else "")
    for value, word in _SCALES:
        if n >= value:
            head, rest = divmod(n, value)
            return f"{number_words(head)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def _ordinal(words: str) -> str:
    *head, last = words.split()
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*head, last])


def _number(match: re.Match[str]) -> str:
    whole, fraction, suffix = match.group(1).replace(",", ""), match.group(2), match.group(3)
    if len(whole) > 12:
        return " ".join(_ONES[int(d)] for d in whole)
    text = number_words(int(whole))
    if fraction:
        text += " point " + " ".join(_ONES[int(d)] for d in fraction)
    elif suffix:
        text = _ordinal(text)
    return f" {text} "


_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(st|nd|rd|th)?\b")


def normalize(text: str) -> str:
    """Text for WER: lower case, words only, numbers and common abbreviations spelled out."""
    text = text.lower().replace("’", "'")
    text = _NUMBER.sub(_number, text)
    text = re.sub(r"[%&]", lambda m: f" {_ABBREVIATIONS[m.group(0)]} ", text)
    text = re.sub(r"[-‐–—_/]", " ", text)
    text = re.sub(r"'", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    words = [_ABBREVIATIONS.get(w, w) for w in text.split()]
    return " ".join(words)


def read_manifest(manifest: Path) -> list[tuple[Path, str]]:
    """(audio path, reference) rows; ValueError when the file is not such a TSV."""
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{manifest} could not be read as a text TSV file ({exc})") from None
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if "path" not in columns or "reference" not in columns:
        raise ValueError(f"{manifest} is not a speech manifest: it needs a header with the tab-separated "
                         f"columns 'path' and 'reference' (found: {', '.join(columns) or 'nothing'})")
    reader.fieldnames = columns
    rows = []
    for row in reader:
        path = (row.get("path") or "").strip()
        if path:
            rows.append((manifest.parent / path, (row.get("reference") or "").strip()))
    return rows


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    """Corpus WER on normalized text: (substitutions + deletions + insertions) / reference words."""
    import jiwer

    errors = words = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        ref, hyp = normalize(reference), normalize(hypothesis)
        if not ref:
            errors += len(hyp.split())
            continue
        out = jiwer.process_words(ref, hyp or "")
        errors += out.substitutions + out.deletions + out.insertions
        words += out.substitutions + out.deletions + out.hits
    if words == 0:
        return 0.0 if errors == 0 else 1.0
    return errors / words


def run(manifest: Path, engine: str = "whisper", progress: Callable[[str], None] | None = None,
        warn: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Transcribe every row of ``manifest``; return the metrics (see the module docstring)."""
    rows = read_manifest(manifest)
    started = time.perf_counter()
    stt = load_stt(engine)
    if hasattr(stt, "warm_up"):
        stt.warm_up()
    load_s = time.perf_counter() - started
    if stt.name != engine and warn:
        warn(f"{engine} is not available here; using {stt.name}")
    references: list[str] = []
    hypotheses: list[str] = []
    audio_s = transcribe_s = 0.0
    skipped = 0
    for path, reference in rows:
        try:
            audio = load_audio(path)
        except AudioError as exc:
            skipped += 1
            if warn:
                warn(f"skipped {path}: {exc}")
            continue
        t0 = time.perf_counter()
        transcript = stt.transcribe(audio)
        transcribe_s += time.perf_counter() - t0
        audio_s += audio.duration
        references.append(reference)
        hypotheses.append(transcript.text)
        if progress:
            progress(f"{path.name}: {transcript.text!r}")
    return {
        "wer": round(word_error_rate(references, hypotheses), 4) if references else None,
        "rtf": round(transcribe_s / audio_s, 4) if audio_s else None,
        "utterances": len(references),
        "engine": stt.name,
        "audio_s": round(audio_s, 2),
        "transcribe_s": round(transcribe_s, 3),
        "load_s": round(load_s, 3),
        "skipped": skipped,
    }
