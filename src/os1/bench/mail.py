"""`os1 bench mail`: how well OS1 tells junk from real mail, and how fast it imports and triages a mailbox.

``run(corpus)`` reads a labelled corpus (one folder per label, raw RFC 822 messages inside; a folder whose
name starts with ``spam`` is junk, anything else legitimate), parses every message, stores it in a
temporary mail store (when the mail store is available), scores junk and keep-worthiness and groups the
mailbox (:mod:`os1.skills.mail.triage`), then reports junk precision / recall / F1 at the shipped threshold
and messages per second for the whole import + triage. ``heldout_only`` keeps the files the junk model
never saw (:func:`os1.skills.mail.junk.split_of` says "test"). ``generate(n)`` times the same pipeline on
``n`` synthetic messages. Unreadable files are skipped and counted with a reason.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from os1.skills.mail.junk import classifier, split_of
from os1.skills.mail.message import parse_message
from os1.skills.mail.triage import score_mails, summarize, triage

MAX_FILE = 64 * 1024 * 1024


def read_corpus(root: Path, *, heldout_only: bool = False,
                warn: Callable[[str], None] = lambda _: None) -> tuple[list[tuple[str, bytes, int]], Counter]:
    """(name, raw bytes, is_junk) for every readable file under ``root/<label>/``, and skip reasons."""
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder (expected one folder per label, messages inside)")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise ValueError(f"{root} has no label folders (e.g. ham/ and spam/ with raw messages inside)")
    items: list[tuple[str, bytes, int]] = []
    skipped: Counter = Counter()
    for folder in folders:
        junk = int(folder.name.lower().startswith("spam"))
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith(".") or path.name == "cmds":
                continue
            if heldout_only and split_of(path.name) != "test":
                continue
            name = f"{folder.name}/{path.relative_to(folder)}"
            try:
                size = path.stat().st_size
                if size > MAX_FILE:
                    raise ValueError(f"larger than {MAX_FILE // 2**20} MB")
                raw = path.read_bytes()
            except (OSError, ValueError) as exc:
                reason = "too large" if isinstance(exc, ValueError) else "unreadable"
                skipped[reason] += 1
                warn(f"skipped {name}: {exc}")
                continue
            if not raw.strip():
                skipped["empty"] += 1
                warn(f"skipped {name}: empty file")
                continue
            items.append((name, raw, junk))
    return items, skipped


def _store(tmp: Path) -> Any | None:
    """A MailStore over a fresh SQLite file, or None when the mail store is not installed."""
    try:
        from os1.skills.mail.store import MailStore
        from os1.storage.sqlite import open_store
    except ImportError:
        return None
    return MailStore(open_store(tmp / "bench.sqlite"))


def pipeline(raws: list[bytes], *, progress: Callable[[str], None] = lambda _: None,
             now: float | None = None) -> dict[str, Any]:
    """Parse, store, score and group ``raws``; the junk scores (in order), timings and the summary."""
    started = time.perf_counter()
    messages = []
    for n, raw in enumerate(raws, start=1):
        messages.append(parse_message(raw))
        if n % 2000 == 0:
            progress(f"{n:,} parsed")
    parsed = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="os1-bench-mail-") as tmp:
        store = _store(Path(tmp))
        mails: list[Any] = messages
        stored = False
        if store is not None:
            ids = [store.add(m, source="bench", raw=raw) for m, raw in zip(messages, raws, strict=True)]
            fetched = [store.get(i) if i is not None else None for i in ids]
            if all(f is not None for f in fetched):
                mails, stored = fetched, True
        stored_at = time.perf_counter()
        progress(f"{len(messages):,} stored" if stored else "mail store not available: triage in memory")
        scored = score_mails(mails)
        groups = triage(mails, now=now, scored=scored)
        if stored and store is not None and hasattr(store, "set_scores"):
            store.set_scores({s.id: (s.junk, s.keep) for s in scored})
        done = time.perf_counter()
    elapsed = done - started
    return {
        "junk": [s.junk for s in scored], "groups": len(groups), "stale_groups": sum(g.stale for g in groups),
        "kept": sum(s.keep >= 0.5 for s in scored), "summary": summarize(groups), "stored": stored,
        "seconds": elapsed, "parse_s": parsed - started, "store_s": stored_at - parsed,
        "triage_s": done - stored_at,
    }


def run(corpus: Path, *, heldout_only: bool = False, progress: Callable[[str], None] = lambda _: None,
        warn: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Junk precision / recall / F1 and import + triage speed over a labelled corpus folder."""
    items, skipped = read_corpus(corpus, heldout_only=heldout_only, warn=warn)
    if not items:
        where = " in the held-out split" if heldout_only else ""
        raise ValueError(f"{corpus}: no readable message{where}")
    progress(f"{len(items):,} messages ({sum(j for _, _, j in items):,} labelled junk)")
    out = pipeline([raw for _, raw, _ in items], progress=progress)
    threshold = classifier().threshold
    tp = fp = fn = 0
    wrong = []
    for (name, _, junk), p in zip(items, out["junk"], strict=True):
        said = p >= threshold
        tp += said and junk
        fp += said and not junk
        fn += (not said) and junk
        if said != bool(junk):
            wrong.append(f"{name} ({p:.2f})")
    if wrong:
        warn("misclassified: " + ", ".join(wrong[:30]) + (" …" if len(wrong) > 30 else ""))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "messages": len(items), "junk_messages": sum(j for _, _, j in items),
        "messages_per_s": round(len(items) / out["seconds"], 1), "seconds": round(out["seconds"], 2),
        "parse_s": round(out["parse_s"], 2), "store_s": round(out["store_s"], 2),
        "triage_s": round(out["triage_s"], 2), "stored": out["stored"],
        "skipped": sum(skipped.values()), "skipped_reasons": dict(skipped), "threshold": round(threshold, 3),
        "false_positives": fp, "false_negatives": fn, "heldout_only": heldout_only,
        "groups": out["groups"], "stale_groups": out["stale_groups"], "kept": out["kept"],
    }


_FIRST = ("Ann", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luis")
_WORDS = ("meeting", "notes", "budget", "review", "party", "friday", "lunch", "project", "deadline",
          "photos", "trip", "weekend", "report", "draft", "slides", "launch", "invoice", "concert",
          "tickets", "dinner", "recipe", "garden", "moving", "family", "birthday")


def synthetic(n: int, seed: int = 5) -> list[bytes]:
    """``n`` varied raw messages: an old employer, newsletters, friends, and some spam."""
    rng = random.Random(seed)
    start = datetime(2012, 1, 1, tzinfo=UTC).timestamp()
    span = datetime(2024, 1, 1, tzinfo=UTC).timestamp() - start
    out = []
    for i in range(n):
        kind = rng.random()
        when = format_datetime(datetime.fromtimestamp(start + rng.random() * span, UTC))
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 300)))
        first = rng.choice(_FIRST)
        headers = [f"Message-ID: <syn{i}@bench.example>", f"Date: {when}", "To: me@home.example"]
        if kind < 0.4:
            headers += [f"From: {first} Work <{first.lower()}@mail.oldjob.example>",
                        f"Subject: {rng.choice(_WORDS)} {rng.choice(_WORDS)} update"]
        elif kind < 0.7:
            headers += ["From: LA Weekly <news@news.laweekly.example>",
                        "List-Id: LA Weekly <news.laweekly.example>",
                        "List-Unsubscribe: <mailto:unsub@laweekly.example>", "Precedence: bulk",
                        f"Subject: This week: {rng.choice(_WORDS)}"]
        elif kind < 0.9:
            headers += [f"From: {first} <{first.lower()}{i % 50}@gmail.com>",
                        f"Subject: Re: {rng.choice(_WORDS)}", "In-Reply-To: <x@home.example>"]
        else:
            headers += [f"From: <deal{i}@cheap-offers.example>", "Subject: FREE MONEY!!! Act now",
                        "X-Mailer: Microsoft Outlook Express 6.00"]
            words = "CLICK HERE to earn $$$ cash, free offer, guaranteed income! " + words
        out.append(("\r\n".join(headers) + "\r\n\r\n" + words + "\r\n").encode())
    return out


def generate(n: int, *, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Import + triage speed on ``n`` synthetic messages."""
    if n <= 0:
        raise ValueError("--generate needs a positive number of messages")
    raws = synthetic(n)
    progress(f"{n:,} synthetic messages made")
    out = pipeline(raws, progress=progress, now=datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    return {
        "generated": n, "generated_messages_per_s": round(n / out["seconds"], 1),
        "generated_seconds": round(out["seconds"], 2), "generated_parse_s": round(out["parse_s"], 2),
        "generated_store_s": round(out["store_s"], 2), "generated_triage_s": round(out["triage_s"], 2),
        "generated_stored": out["stored"], "generated_summary": out["summary"],
    }
