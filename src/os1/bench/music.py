"""``os1 bench music``: exact music requests resolved among 10,000 tracks, and real files indexed.

A seeded synthetic library (:mod:`os1.bench.music_library`: tags only, written straight into a
temporary OS1 database) gets vectors for its titles and lyrics like a real scan, then every request
of :mod:`os1.bench.music_requests` (≥ 300, ten kinds) is resolved and judged: the right track (a
duplicate copy of it counts), the right album or artist, or — when the request truly can't tell two
songs apart — a question offering just those songs, whose follow-up answer must then pick the right
one. A question when the request was clear counts as wrong. Times are per request, index warm.

The real-file part scans a folder of real audio files (default ``../shared/data/music/mutagen``,
mutagen's own test files: odd tags, truncated and empty files) and reports what was read, what was
skipped, and why.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from os1.bench.music_library import SynthLibrary, generate
from os1.bench.music_requests import CATEGORIES, Case, make_cases
from os1.skills.music import index as music_index
from os1.skills.music import library, names
from os1.skills.music.resolve import Resolution, choose, resolve
from os1.skills.music.store import MusicStore, TrackInfo
from os1.storage.sqlite import open_store

DEFAULT_REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "music" / "mutagen"


def store_library(db: Any, lib: SynthLibrary) -> list[int]:
    """Write the synthetic tracks into ``db`` as a scan would; returns their ids in order."""
    store = MusicStore(db)
    infos = [TrackInfo(path=t.path, size=int(t.duration * t.bitrate / 8), mtime=0.0, format=t.format,
                       title=t.title, artist=t.artist, album=t.album, album_artist=t.album_artist,
                       genre=t.genre, year=t.year, track_no=t.track_no, disc_no=t.disc_no,
                       duration=t.duration, bitrate=t.bitrate, lyrics=t.lyrics) for t in lib.tracks]
    ids: list[int] = []
    for start in range(0, len(infos), 1000):
        ids += store.save(infos[start:start + 1000])
    library.mark_duplicates(store)
    store.bump()
    return ids


def judge(case: Case, result: Resolution) -> tuple[bool, bool | None]:
    """(right?, follow-up right? — None when no question was expected)."""
    if case.expect == "track":
        return result.kind == "track" and bool(result.tracks) and result.tracks[0].id in case.ids, None
    if case.expect == "album":
        ok = (result.kind == "album" and names.fold(result.album) == names.fold(case.album)
              and names.fold(result.artist) == names.fold(case.artist))
        return ok, None
    if case.expect == "artist":
        return result.kind == "artist" and result.artist == case.artist, None
    if result.kind != "question" or len(result.options) < 2:
        return False, False
    offered = [frozenset(o.ids) for o in result.options]
    right = all(any(set(ids) & choice for choice in case.choices) for ids in offered) and len(offered) == len(
        case.choices)
    picked = choose(result.options, case.answer)
    follow = picked is not None and bool(set(result.options[picked].ids) & case.answer_ids)
    return right, follow


def _describe(result: Resolution) -> str:
    if result.kind == "question":
        return f"question: {result.question}"
    if result.kind == "track" and result.tracks:
        t = result.tracks[0]
        return f"track {t.id}: {t.title} by {t.artist} ({result.why}, {result.score:.0f})"
    if result.kind in ("album", "artist"):
        return f"{result.kind}: {result.album or result.artist}"
    return f"{result.kind}: {result.text}"


def real_files(folder: Path) -> dict[str, Any]:
    """Scan a folder of real audio files into a scratch database: read, skipped and why."""
    with tempfile.TemporaryDirectory(prefix="os1-bench-music-real-") as tmp:
        db = open_store(Path(tmp) / "real.sqlite")
        try:
            report = library.scan(db, [folder], encoder=False, mood=False)
            summary = MusicStore(db).summary()
        finally:
            db.close()
    reasons: Counter[str] = Counter()
    for _path, reason in report.unreadable:
        reasons[reason.split(" (")[0].split(":")[0]] += 1
    for ext, n in report.other_files.items():
        reasons[f"not an audio file type ({ext})"] += n
    for _path, reason in report.skipped:
        reasons[reason] += 1
    return {
        "real_files": report.files + sum(report.other_files.values()),
        "real_files_read": int(summary["playable"]),
        "real_files_skipped": len(report.unreadable) + sum(report.other_files.values()) + len(report.skipped),
        "real_skipped_reasons": "; ".join(f"{n}x {r}" for r, n in reasons.most_common()),
        "real_tagless": report.tagless,
        "real_duplicates": report.duplicates,
        "real_scan_s": round(report.seconds, 2),
    }


def run(tracks: int = 10_000, seed: int = 7, real: Path | None = DEFAULT_REAL, encoder: Any = None,
        per_category: int = 40, echo: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Flat metrics (see the module docstring). ``encoder``: None (shared MiniLM), False (none)."""
    say = echo or (lambda _m: None)
    out: dict[str, Any] = {"tracks": tracks, "seed": seed}
    started = time.perf_counter()
    lib = generate(tracks, seed)
    out["generate_s"] = round(time.perf_counter() - started, 2)
    with tempfile.TemporaryDirectory(prefix="os1-bench-music-") as tmp:
        db = open_store(Path(tmp) / "bench.sqlite")
        try:
            started = time.perf_counter()
            ids = store_library(db, lib)
            out["store_s"] = round(time.perf_counter() - started, 2)
            out["tracks"] = len(ids)
            store = MusicStore(db)
            out["duplicates_found"] = int(store.summary()["duplicates"])
            say(f"{len(ids):,} tracks stored; giving titles and lyrics their meaning vectors …")
            started = time.perf_counter()
            out["embedded"] = library.embed_missing(
                store, encoder, lambda _p, done, total, _d: say(f"  {done:,}/{total:,}") if done % 2048 == 0
                else None)
            out["embed_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            music_index.current(db)
            out["index_build_s"] = round(time.perf_counter() - started, 2)
            cases = make_cases(lib, ids, seed, per_category)
            resolve(db, "warm up the encoder", encoder=encoder)
            out.update(_evaluate(db, cases, encoder, say))
        finally:
            music_index.forget(db)
            db.close()
    if real is not None:
        if real.is_dir():
            out.update(real_files(real))
        else:
            say(f"no real files at {real}: skipped that part")
    return out


def _evaluate(db: Any, cases: list[Case], encoder: Any, say: Callable[[str], None]) -> dict[str, Any]:
    times: list[float] = []
    right_by: dict[str, list[bool]] = defaultdict(list)
    follow: list[bool] = []
    questions = 0
    misses: list[str] = []
    for case in cases:
        started = time.perf_counter()
        result = resolve(db, case.request, encoder=encoder)
        times.append((time.perf_counter() - started) * 1000)
        ok, followed = judge(case, result)
        right_by[case.category].append(ok)
        questions += result.kind == "question"
        if followed is not None:
            follow.append(followed)
            if ok and not followed:
                misses.append(f"  [follow-up] {case.request!r} → {result.question} — {case.answer!r} "
                              "picked the wrong one")
        if not ok:
            misses.append(f"  [{case.category}] {case.request!r} → {_describe(result)}")
    right = [ok for oks in right_by.values() for ok in oks]
    for line in misses[:40]:
        say(line)
    ms = np.array(times)
    out: dict[str, Any] = {
        "requests": len(cases),
        "resolve_accuracy": round(sum(right) / len(right), 4) if right else 0.0,
        "resolve_p50_ms": round(float(np.percentile(ms, 50)), 2),
        "resolve_p95_ms": round(float(np.percentile(ms, 95)), 2),
        "resolve_max_ms": round(float(ms.max()), 2),
        "questions_asked": questions,
        "clarify_followup_accuracy": round(sum(follow) / len(follow), 4) if follow else 0.0,
    }
    for category in CATEGORIES:
        oks = right_by.get(category, [])
        out[f"acc_{category}"] = round(sum(oks) / len(oks), 4) if oks else None
        out[f"n_{category}"] = len(oks)
    return out
