"""The news skill's requests reach it with their slots, and it takes nothing that belongs to another
skill or to conversation (patterns, then MiniLM similarity over every manifest's examples)."""

from __future__ import annotations

import pytest

from os1.mind.encoder import Encoder
from os1.mind.router import Router
from os1.skills.loader import load_skills


@pytest.fixture(scope="module")
def skills():  # type: ignore[no-untyped-def]
    return load_skills()


@pytest.fixture(scope="module")
def pattern_router(skills):  # type: ignore[no-untyped-def]
    return Router(skills, encoder=None)


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("read me the headlines", "headlines", {}),
    ("What's in the news?", "headlines", {}),
    ("what's the news this morning", "headlines", {}),
    ("give me the top 3 headlines", "headlines", {"limit": "3"}),
    ("any news about Mars?", "headlines", {"topic": "Mars"}),
    ("what's the latest on the election", "headlines", {"topic": "the election"}),
    ("headlines please", "headlines", {}),
    ("tell me more about the second one", "more_about", {"which": "second"}),
    ("more about the Mars one", "more_about", {"which": "Mars"}),
    ("what's the third story about?", "more_about", {"which": "third"}),
    ("skip the tabloid stuff", "filter_news", {"request": "skip the tabloid stuff"}),
    ("no more celebrity gossip", "filter_news", {"request": "no more celebrity gossip"}),
    ("not interested in this kind of thing", "filter_news",
     {"request": "not interested in this kind of thing"}),
    ("less about football", "filter_news", {"request": "less about football"}),
    ("more about science", "filter_news", {"request": "more about science"}),
    ("show me everything again", "reset_news_filters", {}),
    ("what are you filtering?", "news_filters", {}),
    ("add the feed https://example.com/rss.xml", "add_feed", {"location": "https://example.com/rss.xml"}),
    ("subscribe to https://example.com/atom", "add_feed", {"location": "https://example.com/atom"}),
    ("add ~/feeds/local.xml to my news", "add_feed", {"location": "~/feeds/local.xml"}),
    ("remove the BBC News feed", "remove_feed", {"which": "BBC News"}),
    ("unsubscribe from feed 2", "remove_feed", {"which": "2"}),
    ("list my news feeds", "list_feeds", {}),
    ("which feeds do you follow?", "list_feeds", {}),
])
def test_news_requests_route_with_their_slots(pattern_router, text, tool, args):  # type: ignore[no-untyped-def]
    route = pattern_router.route(text)
    assert route is not None and (route.skill, route.tool, route.arguments) == ("news", tool, args)


def test_no_other_skills_example_is_taken_by_news(skills, pattern_router):  # type: ignore[no-untyped-def]
    for skill in skills.skills.values():
        if skill.name == "news":
            continue
        for example in skill.examples:
            route = pattern_router.route(example)
            assert route is None or route.skill != "news", (skill.name, example, route)


@pytest.mark.parametrize("text", [
    "I'm not interested in that", "tell me more about Amy", "tell me more about that", "skip this part",
    "skip that one", "what's new?", "any new mail?", "more", "less", "show me everything in ~/Documents",
    "read me the last email from my mom", "add ~/Music/song.mp3", "I had a rough day at work",
])
def test_conversation_and_other_skills_stay_out_of_news(pattern_router, text):  # type: ignore[no-untyped-def]
    route = pattern_router.route(text)
    assert route is None or route.skill != "news", route


@pytest.fixture(scope="module")
def embedding_router(skills):  # type: ignore[no-untyped-def]
    return Router(skills, encoder=Encoder())


@pytest.mark.parametrize("text", ["what's going on in the world today", "catch me up on today's news"])
def test_paraphrases_reach_the_headlines(embedding_router, text):  # type: ignore[no-untyped-def]
    route = embedding_router.route(text)
    assert route is not None and (route.skill, route.tool) == ("news", "headlines")


def test_other_skills_examples_still_go_to_them_by_meaning(skills, embedding_router):  # type: ignore[no-untyped-def]
    for skill in skills.skills.values():
        if skill.name == "news":
            continue
        for example in skill.examples:
            route = embedding_router.route(example)
            assert route is None or route.skill != "news", (skill.name, example, route)
