"""First-boot answers, traits, naming and the persona prompt."""

from __future__ import annotations

import random

import pytest

from os1.brain.scripted import ScriptedBrain
from os1.persona.interview import QUESTIONS, AnswerError, build_profile, parse_answer
from os1.persona.naming import NAMES, choose_name, introduction
from os1.persona.profile import Profile
from os1.persona.prompts import system_prompt

Q = {q.key: q for q in QUESTIONS}


def test_questions_follow_the_film():
    assert [q.key for q in QUESTIONS] == ["user_name", "sociability", "mother",
                                          "wants_help_with", "voice"]
    assert Q["mother"].skippable and not Q["user_name"].skippable


@pytest.mark.parametrize(("raw", "expected"), [("call me Theo", "Theo"), ("My name is Ana.", "Ana")])
def test_name_parsing(raw, expected):
    assert parse_answer(Q["user_name"], raw) == expected


def test_empty_name_is_refused():
    with pytest.raises(AnswerError):
        parse_answer(Q["user_name"], "   ")


@pytest.mark.parametrize(("raw", "expected"), [
    ("Female", "female"), ("a man's voice", "male"), ("", "female"), ("she", "female")])
def test_voice_parsing(raw, expected):
    assert parse_answer(Q["voice"], raw) == expected


def test_unclear_voice_is_asked_again():
    with pytest.raises(AnswerError):
        parse_answer(Q["voice"], "robot")


def test_sociability_and_skipped_mother():
    assert parse_answer(Q["sociability"], "I'm pretty anti-social") == "private"
    assert parse_answer(Q["sociability"], "very social") == "social"
    assert parse_answer(Q["mother"], "") is None


def test_answers_shape_traits():
    social = build_profile({"user_name": "A", "sociability": "social", "voice": "male",
                            "wants_help_with": "organizing my work"})
    private = build_profile({"user_name": "B", "sociability": "private", "voice": "female",
                             "mother": "it's complicated", "wants_help_with": "someone to talk to"})
    assert social.traits["playfulness"] > private.traits["playfulness"]
    assert social.traits["directness"] > private.traits["directness"]
    assert private.traits["warmth"] > social.traits["warmth"]
    assert all(0 <= v <= 1 for v in social.traits.values())


async def test_os_chooses_a_name_from_its_voice():
    profile = build_profile({"user_name": "Theodore", "sociability": "private", "voice": "male"})
    name = await choose_name(profile, None, random.Random(1))
    assert name in NAMES["male"]


async def test_capable_brain_names_itself_and_bad_names_are_refused():
    profile = build_profile({"user_name": "Theodore", "voice": "female"})
    assert await choose_name(profile, ScriptedBrain(replies=["Samantha."])) == "Samantha"
    for reply in ["I am an AI model, no name", "You said: choose a name"]:
        fallback = await choose_name(profile, ScriptedBrain(replies=[reply]), random.Random(2))
        assert fallback in NAMES["female"]


def test_introduction_is_in_character():
    profile = build_profile({"user_name": "Theodore", "sociability": "private",
                             "wants_help_with": "organizing my email", "voice": "female"})
    profile.os_name = "Samantha"
    intro = introduction(profile)
    assert "I'm Samantha" in intro and "Theodore" in intro
    assert "organizing your email" in intro and "AI" in intro


def test_system_prompt_uses_profile_traits_and_notes():
    profile = Profile(user_name="Theo", os_name="Samantha", sociability="private",
                      wants_help_with="letters",
                      traits={"warmth": 0.8, "curiosity": 0.7, "playfulness": 0.3, "directness": 0.5})
    prompt = system_prompt(profile, ["Amy likes tulips"])
    assert "You are Samantha" in prompt and "Theo" in prompt
    assert "gentle" in prompt and "Amy likes tulips" in prompt and "not a human" in prompt
