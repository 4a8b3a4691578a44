"""Facts and people: rule-based extraction, supersession, corrections, the people graph, the skill."""

from __future__ import annotations

import time

import pytest

from os1.core.conversation import Conversation
from os1.memory.facts import USER, FactKeeper, extract, render
from os1.storage.sqlite import SQLiteStore
from tests.unit.helpers import make_runtime, reply_text, run_turn

DAY = 86400.0
T0 = time.time() - 200 * DAY


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "os1.db")
    yield s
    s.close()


@pytest.fixture
def keeper(store):
    return FactKeeper(store)


def tell(store, keeper, text, day=0.0, role="user", kind="episode"):
    memory = store.memories.add(text, kind=kind, source="conversation", speaker="Theodore",
                                occurred_at=T0 + day * DAY, meta={"role": role})
    keeper.observe(memory)
    return memory


def triples(text):
    return {(c.subject, c.predicate, c.object) for c in extract(text) if not c.retract}


def current(store, subject, predicate):
    return [f.object for f in store.facts.current(subject, predicate)]


# -- extraction -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    # names and relations
    ("my sister Amy likes tulips", {("Amy", "relation", "sister"), ("Amy", "likes", "tulips")}),
    ("Amy is my neighbour", {("Amy", "relation", "neighbour")}),
    ("Amy's my neighbor.", {("Amy", "relation", "neighbour")}),
    ("I had lunch with my boss, Tom, and it went fine", {("Tom", "relation", "boss")}),
    ("my wife's name is Catherine", {("Catherine", "relation", "wife")}),
    ("my best friend is called jess", {("Jess", "relation", "best friend")}),
    ("I met Amy, my new neighbour, today", {("Amy", "relation", "neighbour")}),
    ("Amy is a friend of mine", {("Amy", "relation", "friend")}),
    ("Amy is one of my best friends", {("Amy", "relation", "best friend")}),
    ("my kids, Sam and Lily, are coming over", {("Sam", "relation", "child"), ("Lily", "relation", "child")}),
    ("Tom was my boss", {("Tom", "relation", "former boss")}),
    ("My boss Sarah Connor is tough", {("Sarah Connor", "relation", "boss")}),
    ("This is my friend Sarah", {("Sarah", "relation", "friend")}),
    ("my brother Paul lives in Boston", {("Paul", "relation", "brother"), ("Paul", "lives_in", "Boston")}),
    ("my husband, David, works at a hospital",
     {("David", "relation", "husband"), ("David", "works_at", "a hospital")}),
    # the user: name, job, workplace, home
    ("my name is Theodore", {(USER, "name", "Theodore")}),
    ("Hi, I'm Theodore.", {(USER, "name", "Theodore")}),
    ("I work at LA Weekly", {(USER, "works_at", "LA Weekly")}),
    ("I'm a writer", {(USER, "job", "writer")}),
    ("I am a software engineer at Google",
     {(USER, "job", "software engineer"), (USER, "works_at", "Google")}),
    ("I got a new job at the Times", {(USER, "works_at", "the Times")}),
    ("I work in marketing", {(USER, "works_in", "marketing")}),
    ("I'm retired", {(USER, "job", "retired")}),
    ("I live in Los Angeles", {(USER, "lives_in", "Los Angeles")}),
    ("I moved to Portland last year with my wife", {(USER, "lives_in", "Portland")}),
    ("I've been living in New York City for ten years", {(USER, "lives_in", "New York City")}),
    ("I live in San Francisco, California.", {(USER, "lives_in", "San Francisco, California")}),
    ("I live in Portland, Amy lives in Boston.",
     {(USER, "lives_in", "Portland"), ("Amy", "lives_in", "Boston")}),
    ("I'm from Ohio", {(USER, "from", "Ohio")}),
    ("I grew up in Texas", {(USER, "grew_up_in", "Texas")}),
    # preferences
    ("I love tulips", {(USER, "likes", "tulips")}),
    ("I hate mornings", {(USER, "dislikes", "mornings")}),
    ("I really don't like mornings", {(USER, "dislikes", "mornings")}),
    ("I can’t stand cilantro", {(USER, "dislikes", "cilantro")}),
    ("I'm a big fan of jazz", {(USER, "likes", "jazz")}),
    ("I love tulips so much", {(USER, "likes", "tulips")}),
    ("I'm allergic to peanuts", {(USER, "allergic_to", "peanuts")}),
    ("my favourite band is Radiohead", {(USER, "favourite_band", "Radiohead")}),
    ("my favorite color is teal", {(USER, "favourite_color", "teal")}),
    ("Radiohead is my favourite band", {(USER, "favourite_band", "Radiohead")}),
    # people's attributes
    ("Amy likes tulips", {("Amy", "likes", "tulips")}),
    ("Paul works at a bank", {("Paul", "works_at", "a bank")}),
    ("Amy is a nurse", {("Amy", "job", "nurse")}),
    ("my mom loves gardening", {("@mother", "likes", "gardening")}),
    ("Mom loves gardening", {("@mother", "likes", "gardening")}),
    ("my sister Amy's favourite flower is the tulip", {("Amy", "favourite_flower", "the tulip")}),
    # dates
    ("my birthday is May 3", {(USER, "birthday", "May 3")}),
    ("my birthday is on the 3rd of May", {(USER, "birthday", "May 3")}),
    ("Amy's birthday is in June", {("Amy", "birthday", "June")}),
    ("my sister's birthday is in May", {("@sister", "birthday", "May")}),
    ("I was born on May 3, 1990", {(USER, "birthday", "May 3"), (USER, "birth_year", "1990")}),
    ("our anniversary is June 12", {(USER, "anniversary", "June 12")}),
    # pets
    ("I have a dog named Rex", {("Rex", "relation", "dog")}),
    ("I have a cat named Luna and a dog named Max",
     {("Luna", "relation", "cat"), ("Max", "relation", "dog")}),
    ("my dog Rex is sick", {("Rex", "relation", "dog")}),
    ("I have two cats", {(USER, "has_pet", "two cats")}),
])
def test_extraction_table(text, expected):
    assert triples(text) == expected


@pytest.mark.parametrize("text", [
    "I love you", "I love it", "I like it when it rains", "I love how you talk", "I'd love to visit Japan",
    "I'm a bit tired", "I'm a mess", "I'm a morning person", "I'm American", "my brother is American",
    "I'm a teacher's pet", "I'm Sad", "Hi, I'm tired", "call me tomorrow", "My name is not important",
    "I told my sister about Monday", "my sister in Boston called", "Yesterday, my boss yelled at me",
    "Honestly, my sister is amazing", "Thanks, my friend", "God is my rock", "Life is my teacher",
    "Monday is my favourite day", "Everyone likes tulips", "Nobody is my friend", "she is my sister",
    "I live in fear", "I live in a small apartment", "I work at home", "I work at night",
    "I work for myself", "I used to work at Google", "I lived in Paris",
    "If I lived in Paris I'd be happy", "I want to move to Portland", "I'm moving to Portland",
    "do you think Amy likes tulips?", "Does Amy live in Boston", "Jess said I'm a writer",
    "I like to think we are friends", "I think I like her", "The weather in May is nice",
    "May I ask you something", "I will be in Boston on Monday", "I'm a dad", "",
])
def test_sentences_that_say_nothing_certain_yield_nothing(text):
    assert triples(text) == set()


def test_extraction_is_fast():
    sentences = ["my sister Amy likes tulips and I live in Portland",
                 "I had a long day at work, my boss Tom was in a mood.",
                 "What should I cook tonight? Something with mushrooms maybe.",
                 "I moved to Portland last year and I'm a writer at LA Weekly"] * 50
    start = time.perf_counter()
    for sentence in sentences:
        extract(sentence)
    per_sentence_ms = (time.perf_counter() - start) * 1000 / len(sentences)
    assert per_sentence_ms < 1.0, per_sentence_ms


def test_only_the_user_and_notes_are_mined(store, keeper):
    tell(store, keeper, "I live in Los Angeles", role="assistant")
    tell(store, keeper, "I live in Los Angeles", kind="reflection", role="")
    assert store.facts.current() == []
    note = store.memories.add("Amy likes tulips", kind="note", source="user")
    assert [f.text for f in keeper.observe(note)] == ["Amy likes tulips."]


# -- storage: supersession, duplicates, people -------------------------------------
def test_moving_supersedes_where_the_user_lives(store, keeper):
    tell(store, keeper, "I live in LA", day=0)
    moved = tell(store, keeper, "I moved to Portland", day=30)
    [now] = store.facts.current(USER, "lives_in")
    assert (now.object, now.memory_id, now.valid_from) == ("Portland", moved.id, moved.occurred_at)
    old = next(f for f in store.facts.history(USER) if f.object == "LA")
    assert old.valid_to == moved.occurred_at and old.superseded_by == now.id
    assert keeper.summary() == ["The user lives in Portland."]


def test_an_old_statement_learned_late_is_stored_as_already_superseded(store, keeper):
    tell(store, keeper, "I moved to Portland", day=30)
    tell(store, keeper, "I live in LA", day=0)  # ingested later, said earlier
    assert current(store, USER, "lives_in") == ["Portland"]
    old = next(f for f in store.facts.history(USER) if f.object == "LA")
    assert old.valid_to is not None and old.superseded_by is not None


def test_identical_facts_are_not_duplicated_and_likes_accumulate(store, keeper):
    tell(store, keeper, "I love tulips")
    tell(store, keeper, "I really love tulips!", day=1)
    tell(store, keeper, "I love jazz", day=2)
    assert sorted(current(store, USER, "likes")) == ["jazz", "tulips"]
    assert len(store.facts.history()) == 2
    tell(store, keeper, "I hate jazz", day=3)  # the opposite closes the like
    assert current(store, USER, "likes") == ["tulips"] and current(store, USER, "dislikes") == ["jazz"]


def test_people_graph_relations_and_mentions(store, keeper):
    tell(store, keeper, "my sister Amy likes tulips", day=0)
    tell(store, keeper, "Amy called me today", day=1)  # a mention without a fact
    tell(store, keeper, "Amy is my neighbour", day=2)
    amy = store.people.get("Amy")
    assert (amy.relation, amy.mentions) == ("neighbour", 3)
    assert amy.first_seen == T0 and amy.last_seen == T0 + 2 * DAY
    assert current(store, "Amy", "relation") == ["neighbour"]
    assert "Amy is the user's neighbour." in keeper.summary()


def test_someone_known_by_relation_gets_their_facts_once_named(store, keeper):
    tell(store, keeper, "my sister's birthday is in May", day=0)
    assert current(store, "user's sister", "birthday") == ["May"]
    tell(store, keeper, "my sister Amy is visiting", day=1)
    assert current(store, "Amy", "birthday") == ["May"] and store.facts.current("user's sister") == []
    tell(store, keeper, "my sister loves gardening", day=2)  # now resolves to Amy
    assert current(store, "Amy", "likes") == ["gardening"]


def test_a_new_boss_makes_the_old_one_former(store, keeper):
    tell(store, keeper, "my boss Tom is nice", day=0)
    tell(store, keeper, "my new boss, Sarah, starts Monday", day=5)
    assert current(store, "Sarah", "relation") == ["boss"]
    assert current(store, "Tom", "relation") == ["former boss"]
    assert store.people.get("Tom").relation == "former boss"


def test_ending_a_fact_without_a_successor(store, keeper):
    tell(store, keeper, "I live in LA and I work at LA Weekly", day=0)
    tell(store, keeper, "I don't live in LA anymore", day=1)
    assert current(store, USER, "lives_in") == [] and current(store, USER, "works_at") == ["LA Weekly"]
    tell(store, keeper, "Amy is my sister", day=2)
    tell(store, keeper, "Amy isn't my sister, she's my neighbour", day=3)
    assert current(store, "Amy", "relation") == ["neighbour"]


def test_summary_speaks_of_the_user_first_then_people(store, keeper):
    tell(store, keeper, "my sister Amy likes tulips", day=0)
    tell(store, keeper, "I'm a writer and I live in Portland", day=1)
    lines = keeper.summary()
    assert lines[:2] == ["The user is a writer.", "The user lives in Portland."]
    assert set(lines[2:]) == {"Amy is the user's sister.", "Amy likes tulips."}
    assert len(keeper.summary(limit=1)) == 1


def test_render_speaks_to_the_user():
    assert render(USER, "lives_in", "Portland", you=True) == "You live in Portland."
    assert render("Amy", "relation", "neighbour", you=True) == "Amy is your neighbour."
    assert render(USER, "likes", "my job") == "The user likes their job."
    assert render("user's sister", "birthday", "May 3", you=True) == "Your sister's birthday is on May 3."
    assert render(USER, "job", "engineer") == "The user is an engineer."


# -- corrections ------------------------------------------------------------------
def test_correction_supersedes_a_relation_and_updates_people(store, keeper):
    tell(store, keeper, "my sister Amy likes tulips")
    [fact] = keeper.correct("no, Amy is my neighbour")
    assert (fact.subject, fact.object, fact.confidence) == ("Amy", "neighbour", 0.95)
    assert [f.object for f in keeper.last.closed] == ["sister"]
    assert store.people.get("Amy").relation == "neighbour"
    assert current(store, "Amy", "relation") == ["neighbour"]


def test_correction_of_work_and_of_a_taste(store, keeper):
    tell(store, keeper, "I work at LA Weekly and I love tulips")
    keeper.correct("actually I work at the Times")
    assert current(store, USER, "works_at") == ["the Times"]
    keeper.correct("no, I love roses")  # a correction replaces even a multi-valued fact
    assert current(store, USER, "likes") == ["roses"]
    keeper.correct("actually I also love lilies")
    assert sorted(current(store, USER, "likes")) == ["lilies", "roses"]


def test_naming_a_relation_in_a_correction_takes_it_from_the_wrong_person(store, keeper):
    tell(store, keeper, "my sister Emma is visiting")
    added = keeper.correct("that's wrong, my sister is called Amy")
    assert [(f.subject, f.object) for f in added] == [("Amy", "sister")]
    assert current(store, "Emma", "relation") == [] and store.people.get("Emma") is None
    assert store.people.get("Amy").relation == "sister"


def test_a_correction_with_nothing_recognisable_is_none(store, keeper):
    assert keeper.correct("no, that's not what I meant at all") is None
    assert [f.object for f in keeper.correct("no, I live in LA")] == ["LA"]
    assert keeper.correct("no, I live in LA") == []  # already right: nothing new
    assert current(store, USER, "lives_in") == ["LA"]


# -- the skill through the turn loop ---------------------------------------------
async def test_what_do_you_know_correct_and_undo_through_the_conversation():
    runtime = make_runtime(["Tulips are lovely.", "Sounds nice."])
    conv = Conversation(runtime, runtime.store.conversations.create().id)
    await run_turn(conv, "my sister Amy likes tulips")  # the brain answers; the fact keeper listens
    await run_turn(conv, "I live in Portland")
    text = reply_text(await run_turn(conv, "who is Amy?"))
    assert "Amy is your sister" in text and "“my sister Amy likes tulips”" in text
    text = reply_text(await run_turn(conv, "what do you know about me"))
    assert "You live in Portland" in text and "Amy (your sister)" in text
    assert "You said: " not in text  # the OS's own words are never facts

    text = reply_text(await run_turn(conv, "no, Amy is my neighbour"))
    assert "Amy is your neighbour" in text and "Amy is your sister" in text
    assert runtime.store.people.get("Amy").relation == "neighbour"
    text = reply_text(await run_turn(conv, "tell me what you know about my neighbour"))
    assert "Amy is your neighbour" in text

    original = [f.id for f in runtime.store.facts.history("Amy") if f.object == "sister"]
    assert "Undone" in reply_text(await run_turn(conv, "undo that"))
    assert [f.object for f in runtime.store.facts.current("Amy", "relation")] == ["sister"]
    # the original fact is current again: no copy, and the correction is gone from history
    assert [f.id for f in runtime.store.facts.current("Amy", "relation")] == original
    assert [f.object for f in runtime.store.facts.history("Amy") if f.predicate == "relation"] == [
        "sister"]
    assert runtime.store.people.get("Amy").relation == "sister"
    assert runtime.brain.seen and len(runtime.brain.seen) == 2  # only the two chatty turns


async def test_unknown_person_and_unrecognised_correction():
    runtime = make_runtime()
    runtime.brain.supports_tools = False  # like the embedded brain: memory answers, honestly
    conv = Conversation(runtime, runtime.store.conversations.create().id)
    assert "haven't told me anything about Bob" in reply_text(await run_turn(conv, "who is Bob"))
    assert "haven't told me much" in reply_text(await run_turn(conv, "what do you know about me?"))
