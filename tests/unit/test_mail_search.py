"""Hybrid mail search: BM25 alone, sender filters, newest-first, and MiniLM fused in when it loads."""

from __future__ import annotations

import pytest

from os1.mind.encoder import EncoderUnavailable, shared_encoder
from os1.skills.mail.message import parse_message
from os1.skills.mail.search import search, search_hits
from os1.skills.mail.store import MailStore
from os1.storage.sqlite import SQLiteStore

MAILS = [
    ("Paul Anderson <paul@example.org>", "Party on Saturday", "We're having a party at the beach house.", 5),
    ("Paul Anderson <paul@example.org>", "Quarterly budget", "The numbers for the third quarter are in.", 4),
    ("Mom <catherine.t@family.example>", "Sunday dinner", "Coming for dinner on Sunday? Love, Mom", 6),
    ("Mom <catherine.t@family.example>", "Your old photos", "I found a box of your childhood photos.", 2),
    ("LA Weekly <news@laweekly.example>", "Best shows this week", "Concerts, gigs and a rooftop party.", 3),
    ("Amy <amy@example.com>", "Birthday celebration", "Let's celebrate my birthday with cake.", 1),
]


@pytest.fixture
def store(tmp_path):
    db = SQLiteStore(tmp_path / "os1.db")
    mail = MailStore(db)
    for n, (sender, subject, body, day) in enumerate(MAILS):
        raw = (f"From: {sender}\nTo: theo@example.com\nSubject: {subject}\nMessage-ID: <s{n}@x>\n"
               f"Date: Mon, 0{day} Jan 2024 10:00:00 +0000\n\n{body}\n").encode()
        mail.add(parse_message(raw), source="files:/t", raw=raw)
    yield mail
    db.close()


def subjects(store: MailStore, ids: list[int]) -> list[str]:
    return [store.get(i).subject for i in ids]


def test_lexical_with_sender(store):
    assert subjects(store, search(store, "the email from Paul about the party", encoder=False))[0] == \
        "Party on Saturday"
    only_paul = search(store, "party", sender="paul", encoder=False)
    assert subjects(store, only_paul) == ["Party on Saturday"]
    assert search(store, "party", sender="nobody@nowhere", encoder=False) == []


def test_sender_only_gives_newest_first(store):
    assert subjects(store, search(store, "read me the last one", sender="family.example", encoder=False)) == [
        "Sunday dinner", "Your old photos"]
    assert subjects(store, search(store, "", sender="mom", limit=1, encoder=False)) == ["Sunday dinner"]


def test_trashed_mail_is_left_out_unless_asked(store):
    party = search(store, "party", sender="paul", encoder=False)[0]
    store.set_status([party], "trashed")
    assert party not in search(store, "party", encoder=False)
    assert party in search(store, "party", encoder=False, include_trashed=True)
    store.set_status([party], "archived")
    assert party in search(store, "party", encoder=False)


def test_hits_say_where_the_rank_came_from(store):
    hits = search_hits(store, "party", encoder=False)
    assert hits[0].lexical_rank == 1 and hits[0].dense_rank is None
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_minilm_finds_meaning_without_shared_words(store):
    encoder = shared_encoder()
    try:
        encoder.encode(["warm up"])
    except EncoderUnavailable as exc:
        pytest.skip(f"MiniLM is not available here: {exc}")
    # no mail contains "festivities": BM25 alone finds nothing, the dense side still ranks by meaning
    assert search(store, "festivities", encoder=False) == []
    found = subjects(store, search(store, "birthday festivities", limit=3))
    assert found[0] == "Birthday celebration"
    hits = search_hits(store, "beach party", limit=3)
    assert store.get(hits[0].id).subject == "Party on Saturday"
    assert hits[0].lexical_rank == 1 and hits[0].dense_rank is not None


def test_a_broken_encoder_falls_back_to_lexical(store):
    class Broken:
        def encode(self, texts):
            raise EncoderUnavailable("no model here")

    assert subjects(store, search(store, "party", sender="paul", encoder=Broken())) == ["Party on Saturday"]
