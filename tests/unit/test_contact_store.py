"""The contact store: migration 5, save/get/list/find, and an undoable "apply the cleaned list"."""

from __future__ import annotations

import json

import pytest

from os1.skills.contacts.model import Contact
from os1.skills.contacts.store import ContactStore
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite import SQLiteStore


@pytest.fixture
def db(tmp_path):
    store = SQLiteStore(tmp_path / "os1.db")
    yield store
    store.close()


def test_migration_adds_the_contacts_table(db):
    assert db.schema_version == len(MIGRATIONS) >= 5
    assert db.one("SELECT count(*) FROM contacts") == (0,)


def test_save_get_update_and_lookups(db):
    contacts = ContactStore(db)
    amy = Contact(name="Amy Lee", emails=["Amy.Lee@Gmail.com"], phones=["555 1234"], nicknames=["Ames"],
                  org="Studio; Design", closeness=0.8, tier="close", sources=["mail"], last_contact=123.0)
    amy_id = contacts.save(amy)
    assert amy.id == amy_id
    got = contacts.get(amy_id)
    assert got == amy  # every field survives the round trip
    amy.notes = "likes tea"
    assert contacts.save(amy) == amy_id and contacts.get(amy_id).notes == "likes tea"
    assert contacts.count() == 1
    assert contacts.by_email("amylee+x@googlemail.com").id == amy_id
    assert contacts.by_email("lee@gmail.com") is None
    assert [c.id for c in contacts.find("ames")] == [amy_id]
    assert [c.id for c in contacts.find("STUDIO")] == [amy_id]
    assert contacts.get(9999) is None


def test_list_is_closest_first_and_filters_by_tier(db):
    contacts = ContactStore(db)
    contacts.save_many([Contact(name="Zed", closeness=0.1, tier="acquaintance"),
                        Contact(name="Ann", closeness=0.9, tier="close"),
                        Contact(name="bob", closeness=0.1, tier="acquaintance")])
    assert [c.name for c in contacts.list()] == ["Ann", "bob", "Zed"]
    assert [c.name for c in contacts.list(tier="acquaintance", limit=1, offset=1)] == ["Zed"]
    assert contacts.count("close") == 1


def test_replace_all_is_undoable_exactly(db):
    contacts = ContactStore(db)
    old = [Contact(name="John Smith", emails=["j@x.example"]),
           Contact(name="J. Smith", emails=["j@x.example"]), Contact(name="Paul", phones=["555"])]
    contacts.save_many(old)
    before = contacts.list()
    cleaned = [Contact(id=old[0].id, name="John Smith", emails=["j@x.example"], sources=["merged"]),
               Contact(name="Paul Jones", phones=["555"], closeness=0.4, tier="friend")]
    undo = contacts.replace_all(cleaned)
    json.dumps(undo)  # goes into the action journal
    assert contacts.count() == 2
    assert cleaned[0].id == old[0].id and cleaned[1].id is not None
    assert [c.name for c in contacts.list()] == ["Paul Jones", "John Smith"]
    assert contacts.restore(undo) == 3
    assert contacts.list() == before


def test_delete_and_restore_deleted(db):
    contacts = ContactStore(db)
    ids = contacts.save_many([Contact(name="A"), Contact(name="B")])
    undo = contacts.delete([ids[0]])
    assert [c.name for c in contacts.list()] == ["B"]
    assert contacts.restore_deleted(undo) == 1
    assert contacts.get(ids[0]).name == "A"


def test_contacts_are_in_the_export(db):
    ContactStore(db).save(Contact(name="Amy", emails=["a@x.example"]))
    rows = db.export()["contacts"]
    assert len(rows) == 1 and rows[0]["name"] == "Amy"
    assert json.loads(rows[0]["data"])["emails"] == ["a@x.example"]
