"""Duplicate merging: same person merged, different people kept apart (a wrong merge is worse)."""

from __future__ import annotations

from os1.skills.contacts.merge import clearly_different, given_compatible, merge_duplicates, name_tokens
from os1.skills.contacts.model import Contact, normalize_email, phone_key


def C(name: str = "", emails=(), phones=(), **kw) -> Contact:
    return Contact(name=name, emails=list(emails), phones=list(phones), **kw)


def names(contacts):
    return sorted(c.name for c in contacts)


def test_same_email_case_tags_and_gmail_dots_merge_and_keep_everything():
    merged, notes = merge_duplicates(
        [
            C(
                "John Smith",
                ["John.Smith@Gmail.com"],
                ["+1 555 123 4567"],
                sources=["vcard:a.vcf"],
                notes="chess",
            ),
            C(
                "Johnny",
                ["johnsmith+lists@gmail.com"],
                sources=["mail"],
                messages_from=4,
                messages_to=2,
                last_contact=200.0,
                first_contact=100.0,
            ),
            C("", ["jsmith@work.example"], ["(555) 123-4567"], sources=["vcard:b.vcf"]),
        ]
    )
    assert len(merged) == 1
    john = merged[0]
    assert john.name == "John Smith"
    assert john.emails == ["John.Smith@Gmail.com", "jsmith@work.example"]
    assert john.phones == ["+1 555 123 4567"] and "Johnny" in john.nicknames
    assert john.sources == ["vcard:a.vcf", "mail", "vcard:b.vcf"]
    assert (john.messages_from, john.messages_to, john.last_contact) == (4, 2, 200.0)
    assert len(notes) == 2 and all(n.startswith("Merged") for n in notes)
    assert "same address" in notes[0] and "same phone" in notes[1]


def test_names_in_another_order_case_or_accents_merge():
    merged, notes = merge_duplicates(
        [
            C("Smith, John", ["a@x.example"]),
            C("john SMITH", ["b@y.example"]),
            C("José Núñez"),
            C("Jose Nunez", phones=["0611"]),
            C("Dr. Jose Nunez"),
        ]
    )
    assert names(merged) == ["José Núñez", "Smith, John"]  # accents and capitals are kept
    assert {len(c.emails) for c in merged} == {2, 0}
    assert all(c.nicknames == [] for c in merged)  # spelling variants are not nicknames
    assert sum("same name" in n for n in notes) == 3


def test_family_sharing_a_landline_or_an_address_stays_apart():
    merged, notes = merge_duplicates(
        [
            C("John Doe", phones=["+1 555 000 1234"]),
            C("Jane Doe", phones=["555-000-1234"]),
            C("Jane Doe", ["family@doe.example"]),
            C("John Doe", ["family@doe.example"]),
        ]
    )
    assert names(merged) == ["Jane Doe", "John Doe"]
    assert any(n.startswith("Kept") and "apart" in n for n in notes)


def test_initial_merges_only_when_the_email_agrees():
    by_domain, notes = merge_duplicates(
        [C("John Smith", ["john@acme.example"]), C("J. Smith", ["js@acme.example"])]
    )
    assert len(by_domain) == 1 and "acme.example" in notes[0]
    by_local, _ = merge_duplicates(
        [C("John Smith", ["jsmith@gmail.com"]), C("J. Smith", ["jsmith@work.example"])]
    )
    assert len(by_local) == 1
    webmail_only, _ = merge_duplicates([C("John Smith", ["john@gmail.com"]), C("J. Smith", ["js@gmail.com"])])
    assert len(webmail_only) == 2  # sharing gmail.com proves nothing
    no_email, _ = merge_duplicates([C("John Smith"), C("J. Smith")])
    assert len(no_email) == 2
    other_initial, _ = merge_duplicates(
        [C("John Smith", ["john@acme.example"]), C("K. Smith", ["k@acme.example"])]
    )
    assert len(other_initial) == 2


def test_nicknames_and_first_names_alone_need_email_agreement():
    merged, notes = merge_duplicates(
        [C("Robert Miller", ["rmiller@corp.example"]), C("Bob Miller", ["bob@corp.example"])]
    )
    assert len(merged) == 1 and "same first name" in notes[0]
    merged, _ = merge_duplicates([C("Robert Miller", ["rm@a.example"]), C("Bob Miller", ["bob@b.example"])])
    assert len(merged) == 2
    merged, _ = merge_duplicates(
        [C("Anna Berg", ["anna@studio.example"]), C("Anna", ["hello@studio.example"])]
    )
    assert len(merged) == 1
    merged, _ = merge_duplicates([C("Anna"), C("Anna")])
    assert len(merged) == 2  # one word is not enough to call it the same person


def test_a_chain_cannot_fuse_two_different_people():
    merged, _ = merge_duplicates(
        [
            C("Jane Doe", ["jane@doe.example"]),
            C("", ["jane@doe.example"], ["555 111 2222"]),
            C("John Doe", phones=["555-111-2222"]),
        ]
    )
    assert names(merged) == ["Jane Doe", "John Doe"]


def test_groups_and_places_are_not_merged_by_name_or_phone():
    merged, _ = merge_duplicates(
        [
            C("Book Club", kind="group"),
            C("Book Club", kind="group"),
            C("Office", phones=["555 999 0000"], kind="location"),
            C("Reception", phones=["555 999 0000"], kind="location"),
        ]
    )
    assert len(merged) == 4
    merged, _ = merge_duplicates(
        [C("Book Club", kind="group", uid="u1"), C("Book Club", kind="group", uid="u1")]
    )
    assert len(merged) == 1


def test_a_company_line_does_not_swallow_a_person():
    merged, _ = merge_duplicates(
        [C("Acme Corp", phones=["555 123 0000"], kind="org"), C("Paul Jones", phones=["555 123 0000"])]
    )
    assert len(merged) == 2


def test_helpers():
    assert name_tokens("Smith, Dr. John") == ["john", "smith"]
    assert name_tokens("Zoë  Ångström") == ["zoe", "angstrom"]
    assert given_compatible("j", "john") and given_compatible("bob", "robert")
    assert given_compatible("chris", "christopher") and not given_compatible("jo", "john")
    assert clearly_different(["jane", "doe"], ["john", "doe"]) and not clearly_different(
        ["jane"], ["john", "doe"]
    )
    assert normalize_email("J.Doe+x@GoogleMail.com") == "jdoe@gmail.com"
    assert normalize_email("a.b+tag@work.example") == "a.b@work.example"
    assert phone_key("+49 30 1234567") == phone_key("030 1234567") == phone_key("0049-30-1234567")
    assert phone_key("tel:+1-555-123-4567") == phone_key("(555) 123-4567")


def test_proposed_cleaned_list_from_cards_and_mail():
    from email.utils import formatdate
    from pathlib import Path

    from os1.skills.contacts.cleanup import propose, tidy_name
    from os1.skills.contacts.from_mail import from_mail
    from os1.skills.contacts.vcards import export_vcards, import_vcards
    from os1.skills.mail.message import parse_message

    now, day, me = 1_750_000_000.0, 86400.0, "theo@home.example"

    def mail(sender, to, days_ago):
        head = f"From: {sender}\r\nTo: {to}\r\nDate: {formatdate(now - days_ago * day)}\r\nSubject: hi\r\n"
        return parse_message((head + "\r\nhello\r\n").encode())

    mails = [mail('"SMITH, JOHN" <John.Smith@acme.example>', me, d) for d in range(1, 30, 3)]
    mails += [mail(me, "john.smith@acme.example", d) for d in range(2, 30, 3)]
    mails += [
        mail("Paul <paul@example.org>", me, 400),
        mail("Ana <ana@example.es>", me, 10),
        mail(me, "ana@example.es", 9),
    ]
    cards = import_vcards(Path(__file__).parent.parent / "fixtures" / "contacts" / "v30_several.vcf")[0]
    cards += import_vcards(Path(__file__).parent.parent / "fixtures" / "contacts" / "garbage.vcf")[0]
    proposal = propose(cards + from_mail(mails, [me]), now=now)
    by_name = {c.name: c for c in proposal.contacts}
    john = by_name["John Smith"]
    assert john.tier == "close" and john.messages_from == 10 and "vcard:v30_several.vcf" in john.sources
    assert "Paul Jones" in by_name and by_name["Paul Jones"].messages_from == 1  # card + mail merged
    assert by_name["Ana"].tier == "acquaintance"  # one message each way is not yet a friendship
    assert proposal.contacts[0] is john
    assert proposal.before == len(proposal.contacts) + len(proposal.merges)
    assert proposal.summary.startswith(f"I went through your {proposal.before} contacts")
    assert "The closest: John Smith." in proposal.summary
    assert tidy_name("SMITH, JOHN") == "John Smith" and tidy_name("  ana   lópez ") == "Ana López"
    assert (
        tidy_name("McDonald, Ian") == "Ian McDonald" and tidy_name("van der Berg") == "van der Berg"
    )  # mixed case is left alone
    again, reasons = import_vcards(export_vcards(proposal.contacts))
    assert reasons == [] and [c.name for c in again] == [c.name for c in proposal.contacts]
