"""vCard import (3.0, 4.0, 2.1, garbage) and export that round-trips through the importer."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.skills.contacts.model import Contact, phone_digits
from os1.skills.contacts.vcards import export_vcards, import_vcards, read_vcards

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contacts"


def test_vcard_30_file_with_several_cards():
    result = read_vcards(FIXTURES / "v30_several.vcf")
    assert (result.cards, len(result.contacts), result.skipped_cards) == (3, 3, 0)
    assert result.ignored_binary == 1  # the photo is not kept
    john, zoe, club = result.contacts
    assert john.name == "John Smith"
    assert john.emails == ["john.smith@acme.example", "jsmith@home.example"]  # grouped item1./item2. too
    assert john.phones == ["+1 (555) 123-4567", "555-987-6543"]
    assert john.org == "Acme Corp; Research" and john.title == "Engineer"
    assert john.nicknames == ["Johnny", "JS"] and john.groups == ["Friends", "Work"]
    assert john.notes == "Met at the 2019 conference, likes chess.\nCall after 6."
    assert john.addresses == [";;12 Elm Street;Springfield;IL;62701;USA"]
    assert john.sources == ["vcard:v30_several.vcf"] and john.uid == "card-john-smith"
    assert zoe.name == "Zoë Müller"
    assert club.kind == "group" and club.members == ["urn:uuid:card-john-smith"]


def test_vcard_40_file():
    ana, bakery = import_vcards(FIXTURES / "v40.vcf")[0]
    assert ana.name == "Ana García"  # the FN without a LANGUAGE wins
    assert ana.phones == ["+34-600-123-456"]  # tel: URI unwrapped
    assert ana.emails == ["ana@example.es"] and ana.org == "Universidad Ejemplo"
    assert bakery.kind == "org" and bakery.org == "Corner Bakery, Ltd."


def test_garbage_lines_and_broken_cards_are_skipped_with_reasons():
    result = read_vcards(FIXTURES / "garbage.vcf")
    names = [c.name for c in result.contacts]
    assert names == ["Paul Jones", "René François", "Last Card Without End"]  # 2.1 quoted-printable decoded
    assert result.contacts[0].phones == ["555 111 2222"]  # the card survives its garbage line
    assert result.cards == 5 and result.skipped_cards == 2 and result.garbage_lines == 3
    text = "\n".join(result.reasons)
    assert "line 6: not a vCard property" in text
    assert "line 1: outside any card" in text and "line 9: outside any card" in text
    assert "card at line 10: cannot be parsed" in text
    assert "card at line 22: has no name, email or phone" in text
    assert "no END:VCARD" in text


def test_text_bytes_and_folders_are_accepted(tmp_path):
    text = (FIXTURES / "v40.vcf").read_text(encoding="utf-8")
    assert len(import_vcards(text)[0]) == 2
    assert len(import_vcards(text.encode("utf-8"))[0]) == 2
    (tmp_path / "a.vcf").write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.VCF").write_bytes((FIXTURES / "v30_several.vcf").read_bytes())
    assert len(import_vcards(tmp_path)[0]) == 5


def test_unreadable_input_never_raises(tmp_path):
    contacts, reasons = import_vcards(tmp_path / "missing.vcf")
    assert contacts == [] and "cannot be read" in reasons[0]
    contacts, reasons = import_vcards(b"\xff\xfe\x00garbage\x00" * 3 + b"\nBEGIN:VCARD\n")
    assert contacts == []
    latin = "BEGIN:VCARD\nVERSION:3.0\nFN:Jos\xe9 Pe\xf1a\nEND:VCARD\n".encode("cp1252")
    path = tmp_path / "latin.vcf"
    path.write_bytes(latin)
    contacts, reasons = import_vcards(path)
    assert contacts[0].name == "José Peña" and "Windows-1252" in reasons[0]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_round_trips_through_the_importer(version):
    original = import_vcards(FIXTURES / "v30_several.vcf")[0] + import_vcards(FIXTURES / "v40.vcf")[0]
    original.append(Contact(name="Émile O'Brien-Łukasz; the \"Third\"", emails=["e@x.example"],
                            notes=("line one\nline two, with; punctuation \\ and a  long tail " * 3).strip()))
    text = export_vcards(original, version=version)
    assert f"VERSION:{version}" in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    again, reasons = import_vcards(text)
    assert reasons == []
    assert len(again) == len(original)
    for before, after in zip(original, again, strict=True):
        assert after.name == before.name
        assert after.emails == before.emails
        assert [phone_digits(p) for p in after.phones] == [phone_digits(p) for p in before.phones]
        assert (after.org, after.notes, after.kind) == (before.org, before.notes, before.kind)
        assert after.nicknames == before.nicknames and after.groups == before.groups
        assert after.members == before.members
        assert (after.addresses, after.title, after.uid) == (before.addresses, before.title, before.uid)


def test_export_refuses_unknown_version():
    with pytest.raises(ValueError, match=r"3\.0 or 4\.0"):
        export_vcards([], version="2.1")
