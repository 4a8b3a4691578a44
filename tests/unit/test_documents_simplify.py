"""Simplification: common words for rare ones, long sentences split, names and numbers untouched."""

from __future__ import annotations

import re
import time

import pytest

from os1.bench.simplify import check
from os1.skills.documents.lexicon import zipf
from os1.skills.documents.simplify import WORD, grade, simplify

STORY = (
    "Mr. Darcy, who had inquired about Netherfield in 1811, paid £4,000 on 12 March 1813; she thought "
    "him conceited and disagreeable, and she told her sister so in the twenty letters she wrote that "
    "year.\n\n"
    "“I detest such behaviour,” said Elizabeth, “and I shall never forgive him.”\n\n"
    "The ladies were tiresome; they spoke of nothing but ribbons and officers, and they quarrelled "
    "about the ball at Meryton for the whole of the evening, until their mother sent them to bed."
)


def test_the_example_from_the_brief() -> None:
    result = simplify("He was ostentatious.")
    assert result.text == "He was showy."
    assert result.swaps == [("ostentatious", "showy")]


@pytest.mark.parametrize(("source", "expected"), [
    ("She detested him.", "She hated him."),  # past tense kept
    ("He inquired after her health.", "He asked after her health."),
    ("She ignored his entreaties.", "She ignored his appeals."),  # plural kept
    ("He procured the horses.", "He secured the horses."),
    ("He ascertained the facts.", "He found out the facts."),  # phrasal verb, head inflected
    ("Detest him if you must. I detest nobody.", "Hate him if you must. I hate nobody."),  # capital kept
    # a capitalised first word the text never writes in lower case may be a name: left alone
    ("Detest him if you must.", "Detest him if you must."),
])
def test_swaps_keep_inflection_and_capitals(source: str, expected: str) -> None:
    assert simplify(source).text == expected


def test_names_numbers_and_dates_survive() -> None:
    result = simplify(STORY, level=2)
    for kept in ("Mr. Darcy", "Netherfield", "1811", "£4,000", "12 March 1813", "twenty", "Elizabeth",
                 "Meryton"):
        assert kept in result.text
    safety = check(STORY, result.text)
    assert safety["nonwords_introduced"] == 0
    assert safety["names_changed"] == 0
    assert safety["numbers_changed"] == 0


def test_speaker_tags_and_forms_of_address_are_left_alone() -> None:
    assert simplify("The apothecary came.").text == "The pharmacist came."
    assert simplify("“Yes,” replied the apothecary.").text == "“Yes,” replied the apothecary."
    assert simplify("“Mamma,” cried Lydia, “my aunt says so.”").swaps == []


def test_no_non_words_and_no_vulgar_or_false_friends() -> None:
    text = ("She gave him a most flaming character. She was cheerful and fashionable. He was an adept "
            "at chess. Her feverish cheeks alarmed them.")
    result = simplify(text, level=2)
    banned = {"fucking", "gay", "mod", "wizard", "hectic"}
    assert not banned & {w.lower() for w in WORD.findall(result.text)}
    for word in set(WORD.findall(result.text)) - set(WORD.findall(text)):
        assert zipf(word) >= 2.5, word


@pytest.mark.parametrize("text", [
    "He was a self-conceited man.",  # part of a hyphenated compound
    "She was _conceited_ indeed.",  # emphasis markers
    "The 2conceited flag was set.",  # glued to a digit: a code, not a word
    "Mr. Conceited was at home.",  # a name
])
def test_words_touching_marks_digits_or_names_are_kept(text: str) -> None:
    assert simplify("He was conceited.").text == "He was vain."  # the same word alone is swapped
    assert simplify(text, level=2).text == text


def test_compound_terms_and_references_are_not_touched() -> None:
    assert simplify("A bounding box is drawn around tokens and bounding boxes.", level=2).swaps == []
    reference = "Lo, K., and Wang, L. 2020. Ostentatious Parsers for Conceited Documents. In Proceedings."
    assert simplify(reference, level=2).text == reference


def test_long_sentences_split_at_safe_points() -> None:
    long = ("She had always been fond of reading novels in the evening by the fire; she found them a "
            "great comfort when the weather was too wet for walking.")
    result = simplify(long)
    assert result.splits == 1
    assert "evening by the fire. She found them" in result.text
    short = "She read novels; he walked."
    assert simplify(short).text == short  # short sentences stay as they are
    inside = ("They walked together for a long while in the garden (which was large; it had a pond and "
              "many old trees) and talked of nothing at all for an hour.")
    assert simplify(inside).splits == 0  # never inside brackets


def test_and_before_a_new_subject_is_dropped_but_but_is_kept() -> None:
    text = ("The whole family in short were properly overjoyed on the occasion of the news from town, "
            "and they talked of nothing else all through the long evening after dinner.")
    assert "town. They talked" in simplify(text).text
    text2 = ("The whole family in short were properly overjoyed on the occasion of the news from town, "
             "but the father said nothing at all through the long evening after dinner.")
    assert "town. But the father" in simplify(text2).text


def test_speaker_tag_between_two_quoted_sentences_ends_the_first() -> None:
    text = ("“My dear,” replied her husband, “I have two small favours to request of you this morning, "
            "and I hope you will grant them both.”")
    assert "replied her husband. “I have" in simplify(text).text


def test_punctuation_and_paragraphs_are_kept() -> None:
    result = simplify(STORY)
    assert result.text.count("\n\n") == STORY.count("\n\n")
    # only split points change punctuation: ";" or "," becomes "."
    strip = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\s+")
    before = strip.sub("", STORY)
    after = strip.sub("", result.text)
    assert len(before) == len(after) or result.splits > 0
    assert sum(a != b for a, b in zip(before, after, strict=False)) <= result.splits
    assert "“I detest such behaviour,” said Elizabeth" not in result.text  # swapped inside the quote
    assert "said Elizabeth" in result.text


def test_level_two_does_more_and_reads_easier() -> None:
    one = simplify(STORY, level=1)
    two = simplify(STORY, level=2)
    assert two.splits >= one.splits
    assert len(two.swaps) >= len(one.swaps)
    assert two.grade_after <= one.grade_after < one.grade_before
    assert one.grade_before == pytest.approx(grade(STORY))


def test_empty_and_plain_text() -> None:
    assert simplify("").text == ""
    assert simplify("   \n\n ").text == "   \n\n "
    plain = "The cat sat on the mat."
    result = simplify(plain)
    assert result.text == plain and result.swaps == [] and result.splits == 0


def test_checker_catches_what_it_guards() -> None:
    assert check("He was vain.", "He was vxqzt.")["nonwords_introduced"] == 1
    assert check("She met Mr. Darcy here.", "She met Mr. Smith here.")["names_changed"] == 1
    assert check("It cost 40 pounds in 1811.", "It cost 14 pounds in 1811.")["numbers_changed"] == 1
    assert check("It cost 40 pounds.", "It cost 40 pounds.")["numbers_changed"] == 0


def test_twelve_thousand_words_simplify_quickly() -> None:
    words = STORY.split()
    text = []
    for i in range(12_000 // len(words) + 1):
        text.append(STORY.replace("twenty", f"chapter {i}"))
    big = "\n\n".join(text)
    assert len(big.split()) >= 12_000
    simplify("warm up")  # WordNet loads once per process (about a second)
    start = time.perf_counter()
    result = simplify(big, level=2, measure=False)
    assert time.perf_counter() - start < 20.0
    assert result.splits > 100


def test_parser_splits_semicolons_and_speaker_tags() -> None:
    text = ("Mr. Bennet missed his second daughter exceedingly; his affection for her drew him oftener from "
            "home than anything else could do.")
    assert "exceedingly. His affection" in simplify(text).text
    tag = ("“Your examination of Mr. Darcy is over, I assume,” said Miss Bingley; "
           "“and pray what is the result?”")
    assert simplify(tag).text.endswith("said Miss Bingley. “Pray what is the result?”")
    # the first quote is not a sentence ("If ..."): the tag stays inside one sentence
    cond = "“If you will thank me,” he replied, “let it be for yourself alone, and not for my sake at all.”"
    assert "he replied, “let it be" in simplify(cond).text


def test_rule_based_fallback_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    from os1.skills.documents import syntax

    monkeypatch.setattr(syntax, "parser", lambda: None)
    long = ("She had always been fond of reading novels in the evening by the fire; she found them a "
            "great comfort when the weather was too wet for walking.")
    result = simplify(long)
    assert "evening by the fire. She found them" in result.text
    assert simplify("She detested him.").text == "She hated him."


def test_tags_make_swaps_safer() -> None:
    from os1.skills.documents.simplify import _tagged_readings

    noun = [("n", "rebuke", "s")]
    assert _tagged_readings("rebukes", "NNS", "dobj", noun) == noun  # tag and guess agree
    assert _tagged_readings("rebukes", "VBZ", "ROOT", noun) == []  # they disagree: no swap
    assert _tagged_readings("despatched", "VBN", "amod", []) == []  # a participle used as an adjective
    assert _tagged_readings("detested", "VBD", "ROOT", [])[0][:2] == ("v", "detest")  # the tag decides
    verb = [("v", "detest", "")]
    assert _tagged_readings("detest", "RBS", "", verb) == verb  # a tag the word cannot have: ignored


def test_semicolon_before_an_aside_stays() -> None:
    text = ("He looked serious as usual; and, she thought, more as he had been used to look in "
            "Hertfordshire, than as she had seen him at Pemberley.")
    assert "She thought, more" not in simplify(text, level=2).text


@pytest.mark.parametrize(("source", "expected"), [
    # ", and" between two full statements that the long sentence's parse missed: each side parsed alone
    ("He then handed her in, Maria followed, and the door was on the point of being closed, when he "
     "suddenly reminded them, with some alarm, that they had hitherto forgotten to leave any message for "
     "the ladies of Rosings.",
     "He then handed her in, Maria followed. The door was on the point of being closed, when he "
     "suddenly reminded them, with some alarm, that they had hitherto forgotten to leave any message for "
     "the ladies of Rosings."),
    # guard: the left side ends in a list ("youth, health, and good humour" is no sentence break)
    ("And what claims has Lydia, what attractions has she beyond youth, health, and good humour, that could "
     "make him for her sake forego every chance of benefiting himself by marrying well?", None),
    # guard: a phrase after a comma may belong to the left clause ("surprised ..., by the sight of")
    ("Whilst wandering on in this slow manner, they were again surprised, and Elizabeth’s astonishment was "
     "quite equal to what it had been at first, by the sight of Mr. Darcy approaching them.", None),
    # guard: after "This is because" the second clause may belong to the reason too
    ("It is only that he has better means of having it than many others, because he is rich, and many "
     "others are poor.",
     "It is only that he has better means of having it than many others. This is because he is rich, and "
     "many others are poor."),
    # a second look at the new, shorter sentences: "Mr. Darcy, who ..." now opens one
    ("The evening passed very quietly at the house; and Mr. Darcy, who had been standing near them all "
     "evening, said nothing to anyone.",
     "The evening passed very quietly at the house. Mr. Darcy had been standing near them all evening. He "
     "said nothing to anyone."),
])
def test_level_two_comma_clauses_and_second_look(source: str, expected: str | None) -> None:
    out = simplify(source, level=2, measure=False).text
    if expected is None:
        # still one sentence (words may be swapped)
        assert ", and " in out and len(re.findall(r"(?<!Mr)[.!?]", out)) == 1
    else:
        assert out == expected
