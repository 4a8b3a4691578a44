"""Triage on a small hand-made mailbox: an old employer's pile is stale, a friend's mail is kept."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from os1.skills.mail.message import parse_message
from os1.skills.mail.triage import (
    KEEP_THRESHOLD,
    from_person,
    keep_score,
    list_key,
    normalized_subject,
    score_mails,
    summarize,
    triage,
)

ME = "theo@home.example"
NOW = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
COLLEAGUES = ("Ann Park", "Bo Chen", "Cy Ruiz", "Di Moss")
TOPICS = ("quarterly budget figures", "server migration plan", "office move logistics",
          "vendor contract review")


def raw(mid: str, sender: str, subject: str, when: datetime, body: str, *, to: str = ME,
        extra: str = "") -> bytes:
    return (f"Message-ID: <{mid}>\r\nFrom: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: {format_datetime(when)}\r\n{extra}\r\n{body}\r\n").encode()


def mailbox() -> list:
    out = []
    # an old employer: 200 messages from colleagues at initech, 2015-2018, to the whole team
    for i in range(200):
        who = COLLEAGUES[i % 4]
        sender = f"{who} <{who.split()[0].lower()}@mail.initech.example>"
        when = datetime(2015 + i % 4, 1 + i % 12, 1 + i % 27, 9, tzinfo=UTC)
        out.append(raw(f"ini{i}@initech.example", sender, f"{TOPICS[i % 4]} ({i})", when,
                       f"Team, please find the latest numbers for item {i} in the shared folder.",
                       to="staff@initech.example",
                       extra="Organization: Initech\r\nCc: theo@home.example\r\n"))
    # three of them the user answered (and the colleague's reply back is personal)
    for i in range(3):
        when = datetime(2017, 3, 2 + i, 10, tzinfo=UTC)
        out.append(raw(f"me{i}@home.example", f"Theo <{ME}>", f"Re: {TOPICS[i]} ({i})", when, "Sounds good.",
                       to="ann@mail.initech.example", extra=f"In-Reply-To: <ini{i}@initech.example>\r\n"))
    # one colleague's mail that is simply funny
    out.append(raw("ini-funny@initech.example", "Bo Chen <bo@mail.initech.example>", "the printer",
                   datetime(2016, 4, 1, tzinfo=UTC),
                   "Haha, the printer ate my report again and printed a cat picture instead. Hilarious, lol!",
                   extra="Organization: Initech\r\n"))
    # a newsletter the user reads (and once answered), still coming
    for i in range(12):
        out.append(raw(f"nl{i}@weekly.example", "The Weekly <editor@news.weekly.example>",
                       f"This week in books, issue {i}", datetime(2024, 1 + i, 5, tzinfo=UTC),
                       "New novels, a long interview and the letters page.",
                       extra="List-Id: The Weekly <readers.weekly.example>\r\n"
                             "List-Unsubscribe: <mailto:leave@weekly.example>\r\n"))
    out.append(raw("me-nl@home.example", f"Theo <{ME}>", "Re: This week in books, issue 3",
                   datetime(2024, 4, 6, tzinfo=UTC), "Loved the interview.", to="editor@news.weekly.example",
                   extra="In-Reply-To: <nl3@weekly.example>\r\n"))
    # a friend's personal mail, which the user answered
    out.append(raw("me-f@home.example", f"Theo <{ME}>", "dinner?", datetime(2024, 9, 1, tzinfo=UTC),
                   "Dinner on Friday?", to="amy@gmail.com"))
    out.append(raw("amy1@gmail.com", "Amy <amy@gmail.com>", "Re: dinner?", datetime(2024, 9, 2, tzinfo=UTC),
                   "Yes! I'd love that, I've missed you so much. See you Friday.",
                   extra="In-Reply-To: <me-f@home.example>\r\n"))
    return [parse_message(r) for r in out]


def test_the_old_employer_is_the_stale_group_and_the_summary_says_so():
    mails = mailbox()
    groups = triage(mails, now=NOW, user_addresses={ME}, remembered_names={"amy"})
    org = next(g for g in groups if g.key == "organization:initech.example")
    assert org.kind == "organization" and org.label == "Initech"
    # mail.initech.example collapsed to initech.example; the user's own replies are not in the group
    assert org.count == 201 and org.stale
    assert datetime.fromtimestamp(org.last, UTC).year == 2018
    assert 1 <= len(org.keep_ids) <= 10  # the answered ones (and the funny one), not the pile
    assert groups[0] is org  # the biggest stale group comes first
    sentence = summarize(groups)
    assert sentence.startswith("You have 201 emails from Initech, the last from 2018.")
    assert f"I'd keep {len(org.keep_ids)}" in sentence and sentence.endswith("Want to see them first?")


def test_the_friend_is_kept_and_the_newsletter_the_user_reads_is_not_stale():
    mails = mailbox()
    groups = {g.key: g for g in triage(mails, now=NOW, user_addresses={ME}, remembered_names={"amy"})}
    friend = groups["sender:amy@gmail.com"]
    assert not friend.stale and friend.keep_ids == friend.ids and len(friend.ids) == 1
    assert "organization:gmail.com" not in groups  # web mail is not an organization
    newsletter = groups["list:readers.weekly.example"]
    assert newsletter.count == 12 and newsletter.replied and not newsletter.stale
    assert groups["organization:weekly.example"].label == "The Weekly"
    scored = {s.id: s for s in score_mails(mails, user_addresses={ME}, remembered_names={"amy"})}
    amy = scored[len(mails) - 1]
    assert amy.replied and amy.from_person and "replied" in amy.reasons and amy.keep >= KEEP_THRESHOLD


def test_a_list_the_user_never_answered_is_stale_even_when_recent():
    mails = [m for m in mailbox() if m.message_id != "<me-nl@home.example>"]
    groups = {g.key: g for g in triage(mails, now=NOW, user_addresses={ME})}
    assert groups["list:readers.weekly.example"].stale


def test_nothing_stale_gives_an_overview():
    mails = [m for m in mailbox() if m.message_id.startswith(("<amy", "<me-f"))]
    sentence = summarize(triage(mails, now=NOW, user_addresses={ME}))
    assert sentence.startswith("Nothing looks stale") and "Amy" in sentence
    assert summarize([]) == "Your mailbox is empty — nothing to sort."


def test_keep_score_weighs_people_replies_and_junk():
    base = dict(mail=None, personal=False)
    assert keep_score(replied=True, from_person=True, junk=0.0, **base) >= KEEP_THRESHOLD
    assert keep_score(replied=False, from_person=True, junk=0.0, **base) < KEEP_THRESHOLD
    assert keep_score(replied=False, from_person=False, junk=0.0, funny=0.9, **base) >= KEEP_THRESHOLD
    assert (keep_score(replied=True, from_person=True, junk=0.95, **base)
            < keep_score(replied=True, from_person=True, junk=0.0, **base))


def test_helpers():
    assert normalized_subject("Re: FWD: [Python-Dev]  Party on  Friday") == "party on friday"
    msg = parse_message(b"From: News <noreply@x.example>\r\nList-Id: X news <news.x.example>\r\n\r\nhi\r\n")
    assert list_key(msg) == "news.x.example" and not from_person(msg)
    assert from_person(parse_message(b"From: Ann <ann@x.example>\r\n\r\nhi\r\n"))
