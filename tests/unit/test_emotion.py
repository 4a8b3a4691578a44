"""The shipped text emotion classifier: loading, labels, Ekman head, OS1 states, loneliness."""

from __future__ import annotations

import time

import numpy as np
import pytest

from os1.perception import emotion
from os1.perception.emotion import (
    EKMAN_GROUP,
    EKMAN_LABELS,
    LABELS,
    STATES,
    EmotionClassifier,
    EmotionModelError,
    classifier,
)


@pytest.fixture(scope="module")
def clf() -> EmotionClassifier:
    return EmotionClassifier.load()


def test_label_lists_and_the_ekman_grouping():
    assert len(LABELS) == 28 and LABELS[0] == "admiration" and LABELS[-1] == "neutral"
    assert LABELS.index("fear") == 14 and LABELS.index("sadness") == 25  # emotions.txt order
    assert set(EKMAN_GROUP) == set(LABELS) and set(EKMAN_GROUP.values()) == set(EKMAN_LABELS)
    assert EKMAN_GROUP["nervousness"] == "fear" and EKMAN_GROUP["grief"] == "sadness"
    assert STATES == ("fear", "nervousness", "excitement", "sadness", "loneliness", "joy", "anger", "neutral")


def test_loads_fast_from_the_package():
    start = time.perf_counter()
    model = EmotionClassifier.load()
    assert time.perf_counter() - start < 1.0  # about 0.04 s here
    assert model.coef.shape[1] == 28 and model.ekman_coef.shape[1] == 7
    assert classifier() is classifier()


def test_predict_proba_shape_and_range(clf):
    proba = clf.predict_proba(["I am happy", "", "???", "ünïcödé 🙂 text"])
    assert proba.shape == (4, 28) and proba.dtype == np.float32
    assert ((proba >= 0) & (proba <= 1)).all()
    assert clf.predict_proba([]).shape == (0, 28)
    assert clf.ekman_proba(["fine"]).shape == (1, 7)
    with pytest.raises(TypeError):
        clf.predict_proba("one string, not a list")


@pytest.mark.parametrize(("text", "label", "ekman"), [
    ("Thank you so much for your help, I really appreciate it!", "gratitude", "joy"),
    ("I'm terrified of what the scan will show tomorrow.", "fear", "fear"),
    ("I'm so nervous about my job interview.", "nervousness", "fear"),
    ("My grandmother passed away last night and I miss her so much.", "sadness", "sadness"),
    ("This is absolutely infuriating, they lied to us again.", "anger", "anger"),
    ("The meeting has been moved to 3pm on Thursday.", "neutral", "neutral"),
])
def test_clear_sentences_get_their_label(clf, text, label, ekman):
    assert label in clf.labels([text])[0]
    assert ekman in clf.ekman_labels([text])[0]


def test_every_text_gets_at_least_one_label(clf):
    for found in clf.labels(["", "hmm", "x" * 5000, "\t\n"]):
        assert found and set(found) <= set(LABELS)


def test_states_are_the_eight_in_range(clf):
    states = clf.states("We're going to Japan next week!!! I can't wait!")
    assert tuple(states) == STATES
    assert all(0.0 <= v <= 1.0 for v in states.values())
    assert states["excitement"] >= 0.5 and max(states, key=states.get) == "excitement"
    assert clf.states("I'm so scared, I think someone is in the house")["fear"] >= 0.5
    calm = clf.states("The meeting has been moved to 3pm on Thursday.")
    assert max(calm, key=calm.get) == "neutral"
    assert clf.states("This is absolutely infuriating")["neutral"] < 0.2  # a clear feeling is not neutral


@pytest.mark.parametrize("text", [
    "I feel so lonely, I have no one to talk to.",
    "I miss having someone to come home to.",
    "I've been alone all weekend and it's getting to me.",
    "Nobody ever calls me anymore.",
])
def test_loneliness_from_words_and_sadness(clf, text):
    states = clf.states(text)
    assert states["loneliness"] >= 0.5, states


@pytest.mark.parametrize("text", [
    "Leave me alone!",
    "You're not alone in this.",
    "I need some time alone to focus.",
    "We had a great dinner with friends.",
])
def test_not_loneliness(clf, text):
    assert clf.states(text)["loneliness"] < 0.35


def test_loneliness_function_weighs_sadness():
    assert emotion.loneliness("I'm home alone", 0.9) > emotion.loneliness("I'm home alone", 0.0)
    assert emotion.loneliness("so lonely", 0.0) >= 0.5
    assert emotion.loneliness("nice weather", 1.0) < 0.2


def test_a_missing_or_broken_model_is_a_clear_error(tmp_path):
    with pytest.raises(EmotionModelError, match="missing"):
        EmotionClassifier.load(tmp_path / "nope.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(EmotionModelError, match="unreadable"):
        EmotionClassifier.load(broken)


def test_the_numpy_features_match_scikit_learn():
    """The runtime reimplements TfidfVectorizer; check it against the real thing when available."""
    text_module = pytest.importorskip("sklearn.feature_extraction.text")
    corpus = ["Hello there, General Kenobi!", "I'm SO happy :) a b", "it's   a\ttest\nof spaces", "ok", "a",
              "ünïcödé 🙂 emoji", "hello hello there"]
    for analyzer, ngrams in (("word", (1, 2)), ("char_wb", (2, 5))):
        vec = text_module.TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
        expected = vec.fit_transform(corpus).toarray()
        block = emotion._Tfidf(vec.vocabulary_, vec.idf_, analyzer, ngrams, True, 0)
        for row, text in zip(expected, corpus, strict=True):
            got = np.zeros_like(row)
            columns, values = block.row(text)
            got[columns] = values
            np.testing.assert_allclose(got, row, atol=1e-6)
