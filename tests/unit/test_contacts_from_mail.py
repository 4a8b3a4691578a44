"""Contacts derived from mail headers, parsed by the real mail parser."""

from __future__ import annotations

from email.utils import formatdate

from os1.skills.contacts.from_mail import (
    from_mail,
    from_mail_report,
    guess_user_addresses,
    is_automated_address,
    is_bulk,
)
from os1.skills.mail.message import parse_message

ME = "theo@home.example"
DAY = 86400.0
T0 = 1_700_000_000.0


def mail(sender: str, to: str, when: float, cc: str = "", extra: str = "") -> object:
    lines = [f"From: {sender}", f"To: {to}", f"Date: {formatdate(when)}", "Subject: hi",
             f"Message-ID: <{hash((sender, to, when, cc))}@x>"]
    if cc:
        lines.append(f"Cc: {cc}")
    if extra:
        lines.append(extra)
    return parse_message(("\r\n".join(lines) + "\r\n\r\nbody\r\n").encode())


def by_email(contacts):
    return {c.emails[0]: c for c in contacts}


def test_counts_both_directions_names_and_dates():
    mails = [
        mail('"Amy Lee" <Amy@Friends.example>', f"Theodore <{ME}>", T0),
        mail('"Amy Lee" <amy@friends.example>', ME, T0 + 10 * DAY),
        mail(f"Theodore <{ME}>", "Amy <amy@friends.example>", T0 + 11 * DAY),
        mail(f"Theodore <{ME}>", '"Lee, Amy" <amy@friends.example>, Paul <paul@work.example>', T0 + 12 * DAY),
        mail("Paul <paul@work.example>", ME, T0 + 5 * DAY),
    ]
    contacts = by_email(from_mail(mails, [ME]))
    amy = contacts["amy@friends.example"]
    assert (amy.messages_from, amy.messages_to) == (2, 2)
    assert amy.name == "Amy Lee"  # the most frequent spelling ("Lee, Amy" is read as "Amy Lee")
    assert amy.first_contact == T0 and amy.last_contact == T0 + 12 * DAY
    assert amy.sources == ["mail"]
    paul = contacts["paul@work.example"]
    assert (paul.messages_from, paul.messages_to) == (1, 1)
    assert ME not in contacts


def test_personal_versus_group_mail():
    crowd = ", ".join(f"p{i}@team.example" for i in range(6))
    mails = [mail("Boss <boss@team.example>", f"{ME}, {crowd}", T0),
             mail("Boss <boss@team.example>", ME, T0 + DAY)]
    boss = by_email(from_mail(mails, [ME]))["boss@team.example"]
    assert boss.messages_from == 2 and boss.personal_from == 1


def test_bulk_lists_and_robots_are_ignored():
    mails = [
        mail("News <news@shop.example>", ME, T0, extra="List-Unsubscribe: <mailto:u@shop.example>"),
        mail("Dev List <dev@lists.example>", ME, T0, extra="List-Id: <dev.lists.example>"),
        mail("Promo <promo@shop.example>", ME, T0, extra="Precedence: bulk"),
        mail("GitHub <noreply@github.com>", ME, T0),
        mail("Mail Delivery <MAILER-DAEMON@mx.example>", ME, T0),
        mail("Real Person <real@person.example>", ME, T0),
    ]
    report = from_mail_report(mails, [ME])
    assert [c.emails for c in report.contacts] == [["real@person.example"]]
    assert report.ignored_bulk == 3 and report.ignored_automated == 2 and report.received == 1


def test_posts_to_a_mailing_list_are_not_a_person():
    post = "List-Id: <dev>\r\nList-Post: <mailto:dev@lists.example>"
    mails = [mail("Dev <dev@lists.example>", ME, T0, extra=post),
             mail(ME, "dev@lists.example, Ann <ann@x.example>", T0)]
    assert [c.emails for c in from_mail(mails, [ME])] == [["ann@x.example"]]


def test_mail_that_did_not_reach_the_user_by_name_is_not_counted():
    report = from_mail_report([mail("Someone <s@x.example>", "other@x.example", T0)], [ME])
    assert report.contacts == [] and report.ignored_other == 1


def test_user_addresses_are_guessed_when_not_given():
    mails = [mail(f"A <a{i}@x.example>", ME, T0 + i) for i in range(3)]
    mails.append(mail(ME, "a0@x.example", T0 + 9))
    assert guess_user_addresses(mails) == {ME}
    contacts = by_email(from_mail(mails))
    assert contacts["a0@x.example"].messages_to == 1 and ME not in contacts


def test_broken_headers_and_stand_ins_do_not_crash():
    broken = parse_message(b"From: <<<>>>\r\nTo: ;;;\r\nDate: yesterday-ish\r\n\r\nx")
    report = from_mail_report([broken], [ME])
    assert report.contacts == []

    class Addr:
        def __init__(self, name, email):
            self.name, self.email = name, email

    class Stub:
        sender = Addr("Kim", "kim@x.example")
        to = (Addr("", ME),)
        cc = ()
        date = None
        headers = None

    kim = from_mail([Stub()], [ME])[0]
    assert kim.name == "Kim" and kim.last_contact is None and kim.messages_from == 1


def test_helpers():
    assert is_automated_address("no-reply@x.com") and is_automated_address("donotreply@x.com")
    assert is_automated_address("dev-bounces+theo=home@lists.example")
    assert not is_automated_address("nora@x.com") and not is_automated_address("john.smith@x.com")
    assert is_bulk({"List-Id": "<x>"}) and is_bulk({"precedence": "Bulk"})
    assert is_bulk({"auto-submitted": "auto-replied"}) and not is_bulk({"auto-submitted": "no"})
    assert not is_bulk({"in-reply-to": "<a@b>"})
