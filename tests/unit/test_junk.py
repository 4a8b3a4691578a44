"""The shipped junk classifier: loads fast with numpy alone, separates junk from real mail (lists too)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from os1.skills.mail import junk
from os1.skills.mail.junk import JunkClassifier, JunkModelError, registered_domain, split_of, tokens
from os1.skills.mail.message import parse_message

CORPUS = Path(__file__).parents[1] / "fixtures" / "mail" / "corpus"


def messages(label: str) -> list:
    return [parse_message(p.read_bytes()) for p in sorted((CORPUS / label).glob("*.eml"))]


def test_loads_fast_and_is_cached():
    started = time.perf_counter()
    model = JunkClassifier.load()
    assert time.perf_counter() - started < 1.0
    assert 0.05 < model.threshold < 0.95
    assert model.meta["heldout"]["f1"] >= 0.97
    assert junk.classifier() is junk.classifier()


def test_junk_scores_high_and_real_mail_low_including_lists_and_newsletters():
    model = junk.classifier()
    spam = model.score(messages("spam"))
    ham = model.score(messages("ham"))  # a friend, a colleague, a mailing list post, a newsletter
    assert spam.shape == (3,) and ham.shape == (4,)
    assert (spam >= model.threshold).all(), spam
    assert (ham < model.threshold).all(), ham
    assert spam.min() > 0.9 and ham.max() < 0.3
    assert list(model.is_junk(messages("spam"))) == [True, True, True]


def test_a_message_with_nothing_in_it_still_scores():
    empty = parse_message(b"")
    scores = junk.classifier().score([empty, parse_message(b"\x00\xff garbage\r\n\r\n")])
    assert scores.shape == (2,) and np.isfinite(scores).all() and ((scores >= 0) & (scores <= 1)).all()


def test_features_see_headers_and_shapes():
    msg = parse_message(
        b"From: <win12345@x.example>\r\nReply-To: <pay@elsewhere.example>\r\nSubject: FREE CASH NOW!\r\n"
        b"To: a@b.example\r\n\r\nEarn $500 today! Click http://www.x.example/a and http://y.example/b\r\n")
    body, meta = tokens(msg)
    assert {"s:caps", "s:excl", "s:money", "h:reply-to-elsewhere", "from:no-name"} <= set(meta)
    assert "url:x.example" in body and "url:y.example" in body and "click" in body


def test_registered_domain_collapses_subdomains():
    assert registered_domain("news.laweekly.com") == "laweekly.com"
    assert registered_domain("mail.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("Example.ORG.") == "example.org"


def test_split_is_deterministic_and_about_70_15_15():
    names = [f"{i:05d}.{i * 7919:x}" for i in range(3000)]
    splits = [split_of(n) for n in names]
    assert splits == [split_of(n) for n in names]
    share = {s: splits.count(s) / len(splits) for s in ("train", "tune", "test")}
    assert abs(share["train"] - 0.70) < 0.04 and abs(share["test"] - 0.15) < 0.03


def test_a_missing_or_broken_model_is_a_clear_error(tmp_path):
    with pytest.raises(JunkModelError, match="missing"):
        JunkClassifier.load(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, coef=np.zeros(3))
    with pytest.raises(JunkModelError, match="unreadable"):
        JunkClassifier.load(bad)
