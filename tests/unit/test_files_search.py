"""Finding files: time words, kind words, names (fuzzy), content (FTS5) and meaning (MiniLM)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from os1.skills.files import scanner, search
from os1.skills.files.store import FileStore
from os1.storage.sqlite import open_store
from tests.fixtures.files.make import home_tree, text

NOW = datetime(2025, 11, 3, 10, 0)


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    db = FileStore(open_store(tmp_path / "os1.sqlite"))
    root = home_tree(tmp_path / "home")
    text(root / "Documents" / "budget_2021.xlsx.txt", "numbers", datetime(2021, 2, 1))
    scanner.scan(db, [root])
    scanner.read_contents(db, ocr=False)
    return db


def _window(query: str) -> tuple[datetime, datetime] | None:
    q = search.parse(query, NOW)
    if q.start is None or q.end is None:
        return None
    return datetime.fromtimestamp(q.start), datetime.fromtimestamp(q.end)


def test_time_words() -> None:
    assert _window("the lease I signed last spring") == (datetime(2025, 3, 1), datetime(2025, 6, 1))
    assert _window("photos from this summer") == (datetime(2025, 6, 1), datetime(2025, 9, 1))
    assert _window("the letter from last winter") == (datetime(2024, 12, 1), datetime(2025, 3, 1))
    assert _window("pictures from the autumn of 2019") == (datetime(2019, 9, 1), datetime(2019, 12, 1))
    assert _window("photos from 2019") == (datetime(2019, 1, 1), datetime(2020, 1, 1))
    assert _window("the report in march") == (datetime(2025, 3, 1), datetime(2025, 4, 1))  # timeparse
    assert _window("the budget spreadsheet") is None
    spring_in_april = search.parse("last spring", datetime(2025, 4, 20))
    assert datetime.fromtimestamp(spring_in_april.start or 0) == datetime(2024, 3, 1)  # this one isn't over


def test_query_words_and_kind() -> None:
    q = search.parse("find the lease I signed last spring", NOW)
    assert q.words == ["lease", "signed"] and q.kind is None and q.phrase == "last spring"
    q = search.parse("photos from 2019", NOW)
    assert q.words == [] and q.kind == "image"


def test_the_lease_i_signed_last_spring(store: FileStore) -> None:
    hits = search.find(store, "the lease I signed last spring", encoder=False, now=NOW)
    assert [Path(h.file.path).name for h in hits] == ["lease_agreement.txt"]  # not the 2019 lease
    both = search.find(store, "lease", encoder=False, now=NOW)
    assert {Path(h.file.path).name for h in both[:2]} == {"lease_agreement.txt", "lease_2019.txt"}


def test_by_name_with_a_typo_and_by_content(store: FileStore) -> None:
    hits = search.find(store, "budgt", encoder=False, now=NOW)
    assert Path(hits[0].file.path).name.startswith("budget") and hits[0].why == "name"
    soup = search.find(store, "garlic basil", encoder=False, now=NOW)
    assert Path(soup[0].file.path).name == "recipes.txt" and soup[0].why == "content"


def test_kind_and_date_only_lists_the_files(store: FileStore) -> None:
    hits = search.find(store, "photos from 2019", encoder=False, now=NOW)
    assert sorted(Path(h.file.path).name for h in hits) == ["IMG_0001.jpg", "IMG_0002.jpg"]
    assert search.find(store, "photos from 2015", encoder=False, now=NOW) == []
    assert search.find(store, "the", encoder=False, now=NOW) == []


def test_meaning_finds_what_no_word_matches(store: FileStore) -> None:
    """'apartment rental contract' shares no word with the lease; the MiniLM encoder still finds it."""
    assert search.find(store, "apartment rental contract", encoder=False, now=NOW) == []
    hits = search.find(store, "apartment rental contract", now=NOW)
    assert hits and Path(hits[0].file.path).name.startswith("lease") and hits[0].why == "meaning"


def test_from_2019_means_made_in_2019_or_named_after_it(tmp_path: Path) -> None:
    db = FileStore(open_store(tmp_path / "os1.sqlite"))
    text(tmp_path / "me" / "tax_return_2019.txt", "income and deductions", datetime(2020, 3, 20))
    text(tmp_path / "me" / "tax_notes.txt", "to do", datetime(2019, 12, 1))
    text(tmp_path / "me" / "tax_2023.txt", "to do", datetime(2023, 12, 1))
    scanner.scan(db, [tmp_path / "me"])
    hits = search.find(db, "my tax return from 2019", encoder=False, now=NOW)
    assert [Path(h.file.path).name for h in hits] == ["tax_return_2019.txt", "tax_notes.txt"]
