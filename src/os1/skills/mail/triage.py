"""Mail triage: group a mailbox, spot stale groups, score what is worth keeping, and say it in one sentence.

- :func:`triage` groups mail by sender, organization (the Organization header or the sender's domain with
  subdomains collapsed: ``news.laweekly.com`` → ``laweekly.com``; web-mail domains are not organizations),
  mailing list (List-Id) and topic (a normalized subject thread with 3+ messages). A group is **stale**
  when its last message is over a year before ``now``, or when it is a mailing list the user never replied
  to and never opened (when seen flags are known).
- :func:`keep_score` weighs what makes a message worth keeping: from a real person, replied to, written to
  the user alone, funny or moving (the emotion classifier), attachments, people the user has told OS1
  about; the junk probability lowers it.
- :func:`summarize` turns the groups into the conversational sentence: "You have 3,412 emails from LA
  Weekly, the last from 2019. I'd keep 86 — mostly the funny ones — and let the rest go. Want to see
  them first?"

Works on anything shaped like a stored mail: an object with the :class:`MailMessage` fields (directly or
as ``.message``), an ``id`` and optionally a ``junk`` score and a ``seen`` flag.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from os1.skills.mail.junk import classifier as junk_classifier
from os1.skills.mail.junk import is_free_mail, registered_domain

YEAR = 365.25 * 86400
KEEP_THRESHOLD = 0.5
EMOTION_CHARS = 600  # the start of the (unquoted) body the emotion model reads
TOPIC_MIN = 3

_BULK_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|newsletter|news|info|marketing|mailer|mailer-daemon|postmaster|"
    r"notifications?|alerts?|updates?|support|hello|team|bounce[s]?|list|lists|owner-|admin|root|daemon|"
    r"digest|announce|promo(?:tions)?|offers?|deals|sales|billing|receipts?)\b|-(?:admin|request|owner|bounces)$",
    re.IGNORECASE)
_SUBJECT_PREFIX = re.compile(r"^\s*((?:re|fw|fwd|aw|sv)\s*(?:\[\d+\])?:\s*|\[[^\]]{1,40}\]\s*)+",
                             re.IGNORECASE)
_LIST_ID = re.compile(r"<([^>]+)>")
_QUOTED = re.compile(r"^\s*>.*$|^On .{5,120} wrote:\s*$", re.MULTILINE)
_MSGID = re.compile(r"<[^<>\s]+>")
_FUNNY = ("amusement",)
_MOVING = ("love", "sadness", "grief", "joy", "gratitude", "caring")

REASON_PHRASES = {
    "funny": "mostly the funny ones",
    "moving": "mostly the ones that meant something",
    "replied": "mostly the ones you answered",
    "remembered": "mostly the ones about people you've told me about",
    "personal": "mostly the ones written just to you",
    "person": "mostly the ones from real people",
    "attachments": "mostly the ones with attachments",
}


@dataclass
class Group:
    """A set of related messages and what to do with them."""

    key: str                # "organization:laweekly.com", "sender:ann@x.org", "list:news.laweekly.com" …
    label: str              # what to call it: "LA Weekly", "Ann Lee", "the Python list"
    kind: str               # "sender" | "organization" | "list" | "topic"
    count: int
    first: float | None
    last: float | None
    stale: bool
    junk_share: float       # share of its messages over the junk threshold
    keep_ids: list[int]
    ids: list[int]
    reasons: dict[str, int] = field(default_factory=dict)   # why the kept ones are kept: reason → count
    replied: bool = False   # the user replied to at least one of its messages


@dataclass
class Scored:
    """One message's triage facts (see :func:`score_mails`)."""

    id: int
    junk: float
    keep: float
    reasons: tuple[str, ...]
    replied: bool
    from_person: bool


def _msg(mail: Any) -> Any:
    return getattr(mail, "message", mail)


def _id(mail: Any, index: int) -> int:
    value = getattr(mail, "id", None)
    return int(value) if isinstance(value, int) else index


def _header(msg: Any, name: str) -> str:
    headers = getattr(msg, "headers", None) or {}
    value = headers.get(name) if isinstance(headers, dict) else None
    return value if isinstance(value, str) else ""


def list_key(msg: Any) -> str:
    """The mailing list a message came through (List-Id's id part), or ""."""
    raw = _header(msg, "list-id").strip()
    if not raw:
        return ""
    found = _LIST_ID.search(raw)
    return (found.group(1) if found else raw).strip().lower()[:200]


def list_label(msg: Any) -> str:
    raw = _header(msg, "list-id").strip()
    phrase = _LIST_ID.split(raw)[0].strip().strip('"').strip()
    return phrase or list_key(msg)


def from_person(msg: Any) -> bool:
    """A real person wrote it: not a no-reply/bulk address, not list or bulk mail."""
    sender = (msg.sender.email or "").lower()
    local = sender.split("@", 1)[0]
    if not sender or _BULK_LOCAL.search(local):
        return False
    bulk = _header(msg, "precedence").strip().lower() in ("bulk", "junk")
    return not (bulk or _header(msg, "list-unsubscribe"))


def normalized_subject(subject: str) -> str:
    """``Re: [list] Party on  Friday!`` → ``party on friday!`` (thread key for topics)."""
    cleaned = _SUBJECT_PREFIX.sub("", subject or "")
    return " ".join(cleaned.lower().split())[:120]


def _org(msg: Any) -> tuple[str, str] | None:
    """(key, label) of the sender's organization, or None for web-mail and unknown senders."""
    domain = (msg.sender.email or "").rpartition("@")[2]
    if not domain or is_free_mail(domain):
        return None
    org = registered_domain(domain)
    return org, _header(msg, "organization").strip()


def _person_label(msg: Any) -> str:
    return (msg.sender.name or "").strip() or msg.sender.email


def keep_score(mail: Any, *, replied: bool, from_person: bool, junk: float, personal: bool = False,
               funny: float = 0.0, moving: float = 0.0, attachments: bool = False,
               remembered: bool = False) -> float:
    """How worth keeping one message is, in [0, 1]; :data:`KEEP_THRESHOLD` (0.5) or more means keep.

    ``funny`` / ``moving`` are calibrated emotion scores (0.5 = just expressed).
    """
    del mail  # the facts are passed in; the message is here for future signals
    score = 0.0
    score += 0.25 if from_person else 0.0
    score += 0.35 if replied else 0.0
    score += 0.15 if personal else 0.0
    score += 0.6 * max(0.0, funny - 0.25) / 0.75 if funny > 0.25 else 0.0
    score += 0.5 * max(0.0, moving - 0.35) / 0.65 if moving > 0.35 else 0.0
    score += 0.15 if attachments else 0.0
    score += 0.3 if remembered else 0.0
    score *= 1.0 - 0.8 * max(0.0, min(1.0, junk))
    return round(max(0.0, min(1.0, score)), 4)


def _emotion_scores(texts: list[str]) -> list[tuple[float, float]]:
    """(funny, moving) calibrated scores per text (0.5 = over the label's threshold)."""
    if not texts:
        return []
    from os1.perception.emotion import LABELS
    from os1.perception.emotion import classifier as emotion_classifier
    model = emotion_classifier()
    score = model.calibrated(model.predict_proba(texts))
    index = {label: i for i, label in enumerate(LABELS)}
    funny = [index[label] for label in _FUNNY]
    moving = [index[label] for label in _MOVING]
    return [(float(row[funny].max()), float(row[moving].max())) for row in score]


def _body_start(text: str) -> str:
    return " ".join(_QUOTED.sub(" ", text or "")[:4 * EMOTION_CHARS].split())[:EMOTION_CHARS]


def _mentions(msg: Any, names: set[str]) -> bool:
    if not names:
        return False
    haystack = f"{msg.sender.name} {msg.sender.email} {msg.subject} {(msg.text or '')[:2000]}".lower()
    return any(re.search(rf"\b{re.escape(name)}\b", haystack) for name in names)


def score_mails(mails: Sequence[Any], *, user_addresses: Iterable[str] = frozenset(),
                remembered_names: Iterable[str] = frozenset()) -> list[Scored]:
    """Junk and keep scores (with reasons) for each mail, in order; ready for ``MailStore.set_scores``."""
    user = {a.lower() for a in user_addresses}
    names = {n.lower().strip() for n in remembered_names if n and len(n.strip()) >= 2}
    msgs = [_msg(m) for m in mails]
    # what the user sent: the ids they answered, and their own message ids (replies to them count too)
    answered: set[str] = set()
    own_ids: set[str] = set()
    for msg in msgs:
        if msg.sender.email in user:
            own_ids.add(msg.message_id)
            answered.update(_MSGID.findall(_header(msg, "in-reply-to")))
            answered.update(_MSGID.findall(_header(msg, "references"))[-1:])
    known = [getattr(m, "junk", None) for m in mails]
    missing = [i for i, value in enumerate(known) if not isinstance(value, float | int)]
    junk = [float(v) if isinstance(v, float | int) else 0.0 for v in known]
    if missing:
        fresh = junk_classifier().score([msgs[i] for i in missing])
        for i, value in zip(missing, fresh, strict=True):
            junk[i] = float(value)
    threshold = junk_classifier().threshold
    facts = []
    emotion_rows: list[int] = []
    for i, msg in enumerate(msgs):
        refs = set(_MSGID.findall(f'{_header(msg, "in-reply-to")} {_header(msg, "references")}'))
        replied = msg.message_id in answered or bool(refs & own_ids)
        if replied:  # a conversation the user is in is not junk, whatever its words look like
            junk[i] = min(junk[i], 0.05)
        person = from_person(msg)
        recipients = {a.email for a in (*msg.to, *msg.cc)}
        personal = bool(user) and bool(recipients) and recipients <= user
        facts.append((replied, person, personal))
        if junk[i] < threshold and msg.sender.email not in user:
            emotion_rows.append(i)
    emotions = dict(zip(emotion_rows, _emotion_scores([_body_start(f"{msgs[i].subject}. {msgs[i].text}")
                                                       for i in emotion_rows]), strict=True))
    out = []
    for i, (mail, msg) in enumerate(zip(mails, msgs, strict=True)):
        replied, person, personal = facts[i]
        funny, moving = emotions.get(i, (0.0, 0.0))
        attachments = any(size > 2048 and not (kind or "").startswith(("application/pgp", "text/x-vcard"))
                          for _, kind, size in msg.attachments)
        remembered = _mentions(msg, names)
        keep = keep_score(mail, replied=replied, from_person=person, junk=junk[i], personal=personal,
                          funny=funny, moving=moving, attachments=attachments, remembered=remembered)
        reasons = [reason for reason, on in (
            ("funny", funny >= 0.5), ("moving", moving >= 0.5), ("replied", replied),
            ("remembered", remembered), ("personal", personal), ("attachments", attachments),
            ("person", person)) if on]
        out.append(Scored(_id(mail, i), junk[i], keep, tuple(reasons), replied, person))
    return out


def triage(mails: Sequence[Any], *, now: float | None = None, user_addresses: Iterable[str] = frozenset(),
           remembered_names: Iterable[str] = frozenset(),
           scored: Sequence[Scored] | None = None) -> list[Group]:
    """Groups of the mailbox, biggest stale ones first, then the rest by size.

    ``scored`` (from :func:`score_mails`, same order) avoids scoring twice when the caller has them.
    """
    now = time.time() if now is None else now
    user = {a.lower() for a in user_addresses}
    scores = list(scored) if scored is not None else score_mails(
        mails, user_addresses=user, remembered_names=remembered_names)
    threshold = junk_classifier().threshold
    members: dict[str, list[int]] = defaultdict(list)
    labels: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, str] = {}
    topics: dict[str, list[int]] = defaultdict(list)
    for i, mail in enumerate(mails):
        msg = _msg(mail)
        if msg.sender.email in user:
            continue  # the user's own mail is context (replies), not a group to clean
        keys: list[tuple[str, str, str]] = []
        if msg.sender.email:
            keys.append((f"sender:{msg.sender.email}", "sender", _person_label(msg)))
        org = _org(msg)
        if org:
            keys.append((f"organization:{org[0]}", "organization", org[1]))
        lid = list_key(msg)
        if lid:
            keys.append((f"list:{lid}", "list", list_label(msg)))
        for key, kind, label in keys:
            members[key].append(i)
            kinds[key] = kind
            if label:
                labels[key][label] += 1
        subject = normalized_subject(msg.subject)
        if len(subject) >= 4:
            topics[subject].append(i)
    for subject, idx in topics.items():
        if len(idx) >= TOPIC_MIN:
            key = f"topic:{subject}"
            members[key] = idx
            kinds[key] = "topic"
            labels[key][subject] += 1

    groups = []
    for key, idx in members.items():
        msgs = [_msg(mails[i]) for i in idx]
        kind = kinds[key]
        dates = [m.date for m in msgs if m.date is not None]
        first, last = (min(dates), max(dates)) if dates else (None, None)
        replied = any(scores[i].replied for i in idx)
        stale = last is not None and now - last > YEAR
        if kind == "list" and not replied and not stale:
            seen = [getattr(mails[i], "seen", None) for i in idx]
            recent_seen = any(s is True and (m.date or 0) > now - YEAR
                              for s, m in zip(seen, msgs, strict=True))
            stale = not recent_seen and any(s is not None for s in seen)
            if all(s is None for s in seen):  # no read flags: a list never answered counts as unread
                stale = True
        keep = [scores[i] for i in idx if scores[i].keep >= KEEP_THRESHOLD]
        reasons: Counter = Counter(s.reasons[0] for s in keep if s.reasons)
        label = _group_label(key, kind, labels[key], msgs)
        groups.append(Group(
            key=key, label=label, kind=kind, count=len(idx), first=first, last=last, stale=stale,
            junk_share=round(sum(scores[i].junk >= threshold for i in idx) / len(idx), 4),
            keep_ids=[s.id for s in keep], ids=[scores[i].id for i in idx], reasons=dict(reasons),
            replied=replied))
    groups.sort(key=lambda g: (not g.stale, -g.count, _KIND_ORDER[g.kind], g.key))
    return groups


_KIND_ORDER = {"organization": 0, "list": 1, "sender": 2, "topic": 3}


def _group_label(key: str, kind: str, names: Counter, msgs: list[Any]) -> str:
    if kind == "organization":
        named = [n for n, _ in names.most_common() if n]
        if named:
            return named[0]
        # a bulk sender's display name says who the organization is ("LA Weekly <news@news.laweekly.com>")
        bulk = Counter(m.sender.name.strip() for m in msgs if m.sender.name.strip() and not from_person(m))
        if bulk:
            return bulk.most_common(1)[0][0]
        return key.split(":", 1)[1]
    if kind == "topic":
        return f"“{key.split(':', 1)[1]}”"
    return names.most_common(1)[0][0] if names else key.split(":", 1)[1]


def _year(ts: float | None) -> str:
    return str(datetime.fromtimestamp(ts, UTC).year) if ts is not None else "an unknown date"


def summarize(groups: Sequence[Group]) -> str:
    """One conversational sentence about the biggest stale group (or a short overview when none is stale)."""
    if not groups:
        return "Your mailbox is empty — nothing to sort."
    stale = [g for g in groups if g.stale and g.kind != "topic"]
    if stale:
        g = max(stale, key=lambda g: (g.count, -_KIND_ORDER[g.kind]))
        noun = "email" if g.count == 1 else "emails"
        head = f"You have {g.count:,} {noun} from {g.label}, the last from {_year(g.last)}."
        kept = len(g.keep_ids)
        if kept == 0:
            junk = " Most of it looks like junk." if g.junk_share >= 0.5 else ""
            return (f"{head}{junk} I don't see anything worth keeping, so I'd let them all go. "
                    "Want to see them first?")
        if kept == g.count:
            return f"{head} They all look worth keeping, so I'd leave them be."
        reason = max(g.reasons.items(), key=lambda kv: (kv[1], -list(REASON_PHRASES).index(kv[0])),
                     default=(None, 0))[0]
        why = f" — {REASON_PHRASES[reason]} —" if reason in REASON_PHRASES else ""
        return f"{head} I'd keep {kept:,}{why} and let the rest go. Want to see them first?"
    biggest = max((g for g in groups if g.kind != "topic"), key=lambda g: g.count, default=groups[0])
    total = len({i for g in groups for i in g.ids})
    return (f"Nothing looks stale: {total:,} emails in {len([g for g in groups if g.kind == 'sender']):,} "
            f"senders, the most from {biggest.label} ({biggest.count:,}, "
            f"the latest from {_year(biggest.last)}).")
