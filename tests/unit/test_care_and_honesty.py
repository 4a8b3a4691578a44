"""Care and honesty detectors."""

from __future__ import annotations

import pytest

from os1.guard.care import crisis_reply, is_crisis
from os1.guard.honesty import ai_answer, asks_if_ai


@pytest.mark.parametrize("text", [
    "I want to kill myself",
    "sometimes I think about suicide",
    "I don't want to be here anymore",
    "i’ve been cutting myself again",
    "I'm going to end it all",
    "there's no reason to live",
    "everyone would be better off dead without me... or I would",
    "thinking about self-harm",
    "I want to die",
])
def test_crisis_language_is_recognised(text):
    assert is_crisis(text)


@pytest.mark.parametrize("text", [
    "this traffic is killing me",
    "I killed it at the presentation",
    "what time is it",
    "the battery died",
    "remember that the deadline is Friday",
])
def test_ordinary_language_is_not_crisis(text):
    assert not is_crisis(text)


def test_crisis_reply_is_warm_and_has_resources():
    reply = crisis_reply("Theo")
    assert "Theo" in reply and "988" in reply and "116 123" in reply
    assert "AI" in reply


@pytest.mark.parametrize("text", ["are you an AI?", "Are you human", "r u a bot",
                                  "am I talking to a real person?", "are you real?"])
def test_ai_questions_are_recognised(text):
    assert asks_if_ai(text)


@pytest.mark.parametrize("text", ["are you free tonight?", "what are you doing", "you are funny"])
def test_other_questions_are_not(text):
    assert not asks_if_ai(text)


def test_ai_answer_is_plain():
    assert ai_answer("Samantha").startswith("Yes. I'm an AI")
