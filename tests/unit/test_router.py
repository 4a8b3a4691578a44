"""The intent router: slot patterns, and MiniLM similarity with the real packaged model."""

from __future__ import annotations

import pytest

from os1.mind.encoder import Encoder
from os1.mind.router import Router
from os1.skills.loader import load_skills


@pytest.fixture(scope="module")
def pattern_router():
    return Router(load_skills(), encoder=None)


@pytest.mark.parametrize(("text", "skill", "tool", "args"), [
    ("What time is it?", "clock", "now", {}),
    ("hey, what's the date today please", "clock", "now", {}),
    ("remember that Amy likes tulips", "remember", "remember", {"fact": "Amy likes tulips"}),
    ("Please remember: my locker is 42", "remember", "remember", {"fact": "my locker is 42"}),
    ("what do you remember about Amy?", "remember", "recall", {"query": "Amy"}),
    ("undo that", "consent", "undo_last", {}),
    ("revoke files.read", "consent", "revoke", {"scope": "files.read"}),
    ("what can you do?", "capabilities", "what_can_you_do", {}),
])
def test_patterns_route_with_slots(pattern_router, text, skill, tool, args):
    route = pattern_router.route(text)
    assert route is not None and (route.skill, route.tool, route.arguments) == (skill, tool, args)


@pytest.mark.parametrize("text", ["hello, how are you?", "I had a rough day at work",
                                  "tell me a story about the sea", "x" * 600])
def test_conversation_is_not_routed(pattern_router, text):
    assert pattern_router.route(text) is None


@pytest.fixture(scope="module")
def embedding_router():
    return Router(load_skills(), encoder=Encoder())


@pytest.mark.parametrize(("text", "tool"), [
    ("do you happen to know the hour", "now"),
    ("which weekday is it", "now"),
    ("what sort of things are you able to help with", "what_can_you_do"),
    ("what have I let you access", "list_permissions"),
])
def test_paraphrases_route_by_embedding(embedding_router, text, tool):
    route = embedding_router.route(text)
    assert route is not None and route.tool == tool and route.how == "embedding"


@pytest.mark.parametrize("text", ["I miss my mother", "the sunset was beautiful tonight",
                                  "can you write me a poem about rain"])
def test_embedding_router_leaves_conversation_to_the_brain(embedding_router, text):
    assert embedding_router.route(text) is None


def test_embedding_route_needing_a_missing_slot_falls_back_to_the_brain(embedding_router):
    # close to the "make a note that ..." examples, but there is nothing to note
    for text in ("make a note", "could you note"):
        route = embedding_router.route(text)
        assert route is None or route.tool != "remember"


@pytest.mark.parametrize("text", ["I am going to the dentist on friday", "I went to the dentist on friday",
                                  "we're having lunch with Amy on Friday at 1"])
def test_telling_about_ones_day_is_never_a_change_by_similarity(embedding_router, text):
    route = embedding_router.route(text)
    assert route is None or embedding_router.skills.tool(route.skill, route.tool).effect == "read"


def test_asking_in_the_first_person_still_routes(embedding_router):
    route = embedding_router.route("I want to add lunch with Amy on Friday to my calendar")
    assert route is not None and (route.skill, route.tool) == ("calendar", "add_event")
