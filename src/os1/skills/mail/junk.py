"""Junk mail (spam, scams, unsolicited promotions) detection with a small shipped linear model.

The model is a logistic regression over two TF-IDF blocks, trained by ``scripts/train_junk.py`` on
the public SpamAssassin corpus and shipped as ``skills/mail/models/junk.npz`` (numpy arrays, no
pickle). At run time only numpy is needed, loading takes a few milliseconds and scoring a message
well under a millisecond.

- the **body** block: word unigrams and bigrams of the plain text (capped), plus the domains of
  the links it contains;
- the **meta** block: subject words, sender domain and address shape, selected headers
  (List-Id, List-Unsubscribe, Precedence, X-Mailer, a Reply-To that differs from From, how many
  recipients), the content type, attachments, and binned counts: links, ALL-CAPS share, money
  words, exclamation marks, length.

Legitimate bulk mail (mailing lists, newsletters the user subscribed to) is ham in the training
data, so list headers alone do not make a message junk. :func:`tokens` is the single feature
function used by both training and run time, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from os1.perception.tfidf import SavedTfidf, decode_terms, load_weights

if TYPE_CHECKING:
    from os1.skills.mail.message import MailMessage

MODEL_FILE = Path(__file__).parent / "models" / "junk.npz"
BODY_CHARS = 20_000  # the body text the features look at (the start of it)

_WORD = re.compile(r"[a-z0-9$€£][a-z0-9'$€£%.-]*[a-z0-9%]|[a-z$€£]", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)([a-z0-9.-]+)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+\.[\w.-]+)")
_MONEY = re.compile(
    r"\$\s?\d|\d\s?(?:usd|dollars)\b|\b(?:free|cash|money|income|earn|profit|credit|loan|mortgage|"
    r"debt|guarantee[d]?|winner|won|prize|bonus|discount|save|savings|offer|price|cheap|order now|"
    r"risk[- ]free|no cost|million|investment|refinanc\w*|viagra|casino)\b", re.IGNORECASE)
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_LETTER_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
_SUBJECT_PREFIX = re.compile(r"^\s*((?:re|fw|fwd|aw|sv)\s*(?:\[\d+\])?:\s*)+", re.IGNORECASE)
_LIST_TAG = re.compile(r"^\s*\[[^\]]{1,40}\]\s*")
_FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
    "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "web.de", "mail.com",
    "yandex.ru", "mail.ru", "proton.me", "protonmail.com", "comcast.net", "earthlink.net",
})
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go"})


def registered_domain(host: str) -> str:
    """``news.laweekly.com`` → ``laweekly.com``; ``mail.bbc.co.uk`` → ``bbc.co.uk`` (a small heuristic)."""
    labels = [label for label in host.lower().strip(".").split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_free_mail(domain: str) -> bool:
    """A web-mail provider, where a domain says nothing about the organization."""
    return registered_domain(domain) in _FREE_MAIL


def split_of(name: str) -> str:
    """The deterministic split of a corpus file by its name: "train" (70 %), "tune" or "test" (15 % each)."""
    bucket = int(hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "tune" if bucket < 85 else "test"


def _bin(value: float, edges: Sequence[float]) -> int:
    for index, edge in enumerate(edges):
        if value <= edge:
            return index
    return len(edges)


def _header(msg: MailMessage, name: str) -> str:
    value = msg.headers.get(name) if isinstance(msg.headers, dict) else None
    return value if isinstance(value, str) else ""


def tokens(msg: MailMessage) -> tuple[list[str], list[str]]:
    """The (body, meta) feature tokens of one message; shared by training and run time."""
    text = (msg.text or "")[:BODY_CHARS]
    subject = msg.subject or ""
    body = [w.lower() for w in _WORD.findall(text)]
    body_tokens = body + [f"{a} {b}" for a, b in itertools.pairwise(body)]
    urls = [registered_domain(host) for host in _URL.findall(text)]
    body_tokens += [f"url:{host}" for host in urls]

    meta: list[str] = []
    subject_clean = _LIST_TAG.sub("", _SUBJECT_PREFIX.sub("", subject))
    meta += [f"s:{w.lower()}" for w in _WORD.findall(subject_clean)]
    if _SUBJECT_PREFIX.match(subject):
        meta.append("s:is-reply")
    if _LIST_TAG.match(_SUBJECT_PREFIX.sub("", subject)):
        meta.append("s:list-tag")
    if not subject.strip():
        meta.append("s:empty")
    letters = [c for c in subject_clean if c.isalpha()]
    if len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        meta.append("s:caps")
    if "!" in subject:
        meta.append("s:excl")
    if re.search(r"\s{4,}\S+$", subject) or re.search(r"\b[a-z0-9]{6,}\d{3,}\b", subject_clean.lower()):
        meta.append("s:tracking-junk")
    if _MONEY.search(subject):
        meta.append("s:money")

    sender = msg.sender.email or ""
    local, _, domain = sender.rpartition("@")
    if not sender or not domain:
        meta.append("from:none")
    else:
        digits = sum(c.isdigit() for c in local)
        meta.append(f"flocal-digits:{_bin(digits, (0, 2, 4))}")
    if not msg.sender.name:
        meta.append("from:no-name")
    else:
        meta += [f"fn:{w.lower()}" for w in _WORD.findall(msg.sender.name)[:4]]

    for name in ("list-id", "list-unsubscribe", "in-reply-to", "references", "organization"):
        if _header(msg, name):
            meta.append(f"h:{name}")
    precedence = _header(msg, "precedence").strip().lower()
    if precedence:
        meta.append(f"h:precedence:{precedence[:10]}")
    mailer = _header(msg, "x-mailer").strip().lower()
    if mailer:
        first = re.split(r"[\s/(;,]+", mailer, maxsplit=1)[0][:20]
        meta.append(f"h:x-mailer:{first}")
    else:
        meta.append("h:no-x-mailer")
    reply_to = _EMAIL.search(_header(msg, "reply-to").lower())
    if reply_to and domain and registered_domain(reply_to.group(1)) != registered_domain(domain):
        meta.append("h:reply-to-elsewhere")
    content_type = _header(msg, "content-type").split(";", 1)[0].strip().lower()
    if content_type.startswith("multipart/mixed"):  # html vs plain is left out: it says more about the era
        meta.append("ct:mixed")
    recipients = len(msg.to) + len(msg.cc)
    meta.append(f"rcpt:{_bin(recipients, (0, 1, 3, 10))}")
    if not msg.to:
        meta.append("h:no-to")
    if msg.date is None:
        meta.append("h:no-date")
    for _, kind, _size in msg.attachments[:10]:
        meta.append(f"att:{(kind or '').split('/', 1)[0].lower()}")

    words = _LETTER_WORD.findall(text)
    caps = len(_CAPS_WORD.findall(text))
    meta.append(f"caps:{_bin(caps / max(1, len(words)), (0.02, 0.05, 0.1, 0.2))}")
    meta.append(f"money:{_bin(len(_MONEY.findall(text)), (0, 1, 3, 8))}")
    meta.append(f"excl:{_bin(text.count('!'), (0, 2, 6))}")
    meta.append(f"links:{_bin(len(urls), (0, 1, 3, 10))}")
    meta.append(f"link-density:{_bin(len(urls) / max(1, len(words)) * 100, (0, 0.5, 2, 5))}")
    if text.count("\n>") >= 2 or text.startswith(">"):
        meta.append("body:quotes")
    if any(n.lower().startswith("html") or "html" in n.lower() for n in msg.notes):
        meta.append("body:html-note")
    return body_tokens, meta


class JunkModelError(RuntimeError):
    """The shipped junk weights are missing or unreadable (a broken install)."""


class JunkClassifier:
    """P(junk) for mail messages; make one with :meth:`load` or share :func:`classifier`."""

    def __init__(self, body: SavedTfidf, meta_block: SavedTfidf, coef: np.ndarray, intercept: float,
                 threshold: float, meta: dict) -> None:
        self.body = body
        self.meta_block = meta_block
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.meta = meta

    @classmethod
    def load(cls, path: str | Path | None = None) -> JunkClassifier:
        """The shipped weights (or those at ``path``, as written by scripts/train_junk.py)."""
        path = Path(path) if path is not None else MODEL_FILE
        try:
            arrays, meta = load_weights(path)
            body_vocab = decode_terms(arrays["body_vocab"])
            meta_vocab = decode_terms(arrays["meta_vocab"])
            body = SavedTfidf(body_vocab, arrays["body_idf"], 0)
            meta_block = SavedTfidf(meta_vocab, arrays["meta_idf"], len(body_vocab))
            width = len(body_vocab) + len(meta_vocab)
            if arrays["coef"].shape != (width,):
                raise ValueError(f"coef has shape {arrays['coef'].shape}, expected ({width},)")
            return cls(body, meta_block, arrays["coef"], float(arrays["intercept"]),
                       float(arrays["threshold"]), meta)
        except FileNotFoundError as exc:
            raise JunkModelError(f"the junk model is missing: {path} (reinstall OS1)") from exc
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise JunkModelError(f"the junk model {path} is unreadable: {exc}") from exc

    def decision(self, message: MailMessage) -> float:
        """The linear score (log-odds) of one message."""
        body_tokens, meta_tokens = tokens(message)
        c1, v1 = self.body.row_of(body_tokens)
        c2, v2 = self.meta_block.row_of(meta_tokens)
        columns = c1 + c2
        if not columns:
            return self.intercept
        return float(np.asarray(v1 + v2, dtype=np.float32) @ self.coef[columns]) + self.intercept

    def score(self, messages: Sequence[MailMessage]) -> np.ndarray:
        """P(junk) in [0, 1] for each message (a message that cannot be read scores 0.5)."""
        out = np.empty(len(messages), dtype=np.float64)
        for i, message in enumerate(messages):
            try:
                z = self.decision(message)
            except (AttributeError, TypeError, ValueError):
                z = 0.0
            out[i] = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
        return out

    def is_junk(self, messages: Sequence[MailMessage]) -> np.ndarray:
        """True where P(junk) reaches the tuned threshold."""
        return self.score(messages) >= self.threshold


@functools.cache
def classifier() -> JunkClassifier:
    """The process-wide junk classifier, loaded on first use."""
    return JunkClassifier.load()
