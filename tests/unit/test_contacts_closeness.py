"""Closeness: frequency, recency, reciprocity and personal mail tell friends from acquaintances."""

from __future__ import annotations

from os1.skills.contacts.closeness import HALF_LIFE_DAYS, rank, score
from os1.skills.contacts.model import Contact

NOW = 1_750_000_000.0
DAY = 86400.0


def person(name, got, sent, days_ago, personal=1.0):
    total = got + sent
    return Contact(
        name=name,
        emails=[f"{name.lower()}@x.example"],
        messages_from=got,
        messages_to=sent,
        personal_from=round(got * personal),
        personal_to=round(sent * personal),
        last_contact=None if days_ago is None else NOW - days_ago * DAY,
        first_contact=None if total == 0 else NOW - 900 * DAY,
    )


def test_tiers_for_typical_people():
    best = person("Best", 60, 60, 3)
    friend = person("Friend", 6, 5, 20)
    old_colleague = person("Colleague", 120, 80, 4 * 365, personal=0.1)
    newsletter_ish = person("Fan", 25, 0, 2, personal=0.2)
    stranger = person("Once", 1, 0, 700)
    card_only = person("Card", 0, 0, None)
    tiers = {
        c.name: c.tier for c in rank([stranger, card_only, old_colleague, newsletter_ish, friend, best], NOW)
    }
    assert tiers == {
        "Best": "close",
        "Friend": "friend",
        "Colleague": "acquaintance",
        "Fan": "acquaintance",
        "Once": "unknown",
        "Card": "unknown",
    }


def test_order_is_closest_first_and_scores_stay_in_range():
    people = [
        person("A", 2, 1, 400),
        person("B", 30, 30, 10),
        person("C", 10, 10, 10),
        person("D", 0, 0, None),
    ]
    ranked = rank(people, NOW)
    assert [c.name for c in ranked] == ["B", "C", "A", "D"]
    assert all(0.0 <= c.closeness <= 1.0 for c in ranked)
    assert ranked[0].closeness > ranked[1].closeness > ranked[2].closeness > ranked[3].closeness == 0.0


def test_each_factor_moves_the_score_the_right_way():
    base = score(person("P", 10, 10, 30), NOW)[0]
    assert score(person("P", 40, 40, 30), NOW)[0] > base  # more mail
    assert score(person("P", 10, 10, 300), NOW)[0] < base  # older
    assert score(person("P", 20, 0, 30), NOW)[0] < base  # one-way
    assert score(person("P", 10, 10, 30, personal=0.0), NOW)[0] < base  # only group mail
    fresh, half = score(person("P", 10, 10, 0), NOW)[0], score(person("P", 10, 10, HALF_LIFE_DAYS), NOW)[0]
    assert 0.55 < half / fresh < 0.7  # recency halves after the half-life (a floor keeps old friends visible)


def test_one_way_mail_never_makes_a_friend():
    _, tier, why = score(person("Fan", 200, 0, 1), NOW)
    assert tier == "acquaintance" and "never wrote back" in why
    _, tier, why = score(person("Crush", 0, 90, 1), NOW)
    assert tier == "acquaintance" and "never heard back" in why


def test_why_is_one_readable_line():
    _, _, why = score(person("Best", 60, 50, 3), NOW)
    assert (
        why
        == "You wrote to each other 110 times (60 from them, 50 from you), mostly one-to-one, "
        "last in touch 3 days ago."
    )
    assert "\n" not in why
    _, _, why = score(person("Card", 0, 0, None), NOW)
    assert "address book" in why
