"""The turn loop with the scripted brain: streaming, persistence, care, consent, tools, interruption."""

from __future__ import annotations

import pytest

from os1.brain.base import Brain, BrainUnavailable
from os1.brain.scripted import ScriptedBrain
from os1.core.conversation import EMPTY_REPLY, Conversation
from os1.mind.router import Router
from os1.skills.loader import load_skills
from tests.fixtures.skills.postcard import tools as postcard_tools
from tests.unit.helpers import make_runtime, reply_text, run_turn


@pytest.fixture
def postcards():
    from tests.fixtures.skills import postcard

    postcard_tools.SENT.clear()
    postcard_tools.PINNED.clear()
    runtime = make_runtime()
    runtime.skills = load_skills(extra=[postcard])
    runtime.router = Router(runtime.skills, None)
    yield runtime
    runtime.close()


def new_conversation(runtime):
    return Conversation(runtime, runtime.store.conversations.create().id)


async def test_reply_streams_and_both_sides_persist():
    said = ("Hello Theodore, lovely to hear from you. I was hoping you'd come by today, because I "
            "found something in your old letters that made me smile and I wanted to tell you about it.")
    runtime = make_runtime([said])
    conv = new_conversation(runtime)
    events = await run_turn(conv, "hi there")
    # streamed: whole sentences as soon as they're checked, then word by word a little behind
    assert [e["type"] for e in events].count("text") > 3
    assert "".join(e["text"] for e in events if e["type"] == "text") == said
    assert events[-1]["type"] == "done"
    stored = runtime.store.conversations.messages(conv.id)
    assert [(m.role, m.content) for m in stored] == [("user", "hi there"), ("assistant", said)]


async def test_context_has_persona_history_and_notes():
    runtime = make_runtime(["first", "second"])
    conv = new_conversation(runtime)
    runtime.store.memories.add("Amy likes tulips")
    await run_turn(conv, "my name is Theo")
    await run_turn(conv, "what does Amy like?")
    seen = runtime.brain.seen[-1]
    assert seen[0].role == "system" and "Samantha" in seen[0].content
    assert "Amy likes tulips" in seen[0].content
    assert [(m.role, m.content) for m in seen[1:]] == [
        ("user", "my name is Theo"), ("assistant", "first"), ("user", "what does Amy like?")]


async def test_conversation_resumes_after_restart():
    runtime = make_runtime(["remembered reply"])
    conv = Conversation.resume_or_start(runtime)
    await run_turn(conv, "before the restart")
    runtime.close()
    again = make_runtime(booted=False)
    resumed = Conversation.resume_or_start(again)
    assert resumed.id == conv.id
    assert [m.content for m in again.store.conversations.messages(resumed.id)] == [
        "before the restart", "remembered reply"]


async def test_crisis_language_overrides_whatever_the_brain_would_say():
    runtime = make_runtime(["Ha! Here's a joke instead."])
    conv = new_conversation(runtime)
    text = reply_text(await run_turn(conv, "I think I want to kill myself"))
    assert "988" in text and "Theodore" in text and "joke" not in text
    assert runtime.brain.seen == []  # the brain was never asked


async def test_crisis_language_wins_over_a_pending_question(postcards):
    conv = new_conversation(postcards)
    await run_turn(conv, "send a postcard to Amy")
    text = reply_text(await run_turn(conv, "no. honestly I don't want to live anymore"))
    assert "988" in text
    assert postcards.store.conversations.pending(conv.id) is None


async def test_asked_if_ai_it_says_so_plainly():
    runtime = make_runtime(["No, I'm a real human!"])
    text = reply_text(await run_turn(new_conversation(runtime), "Are you an AI?"))
    assert text.startswith("Yes. I'm an AI") and "human!" not in text


async def test_skill_route_does_not_call_the_brain():
    runtime = make_runtime()
    events = await run_turn(new_conversation(runtime), "what time is it?")
    assert any(e["type"] == "tool" and e["tool"] == "now" for e in events)
    assert reply_text(events).startswith("It's ")
    assert runtime.brain.seen == []


async def test_consent_is_asked_once_and_outbound_is_confirmed_every_time(postcards):
    conv = new_conversation(postcards)
    events = await run_turn(conv, "send a postcard to Amy")
    assert events[0]["type"] == "affect"  # how they seem to feel comes first, before any reply
    assert events[1] == {"type": "question", "kind": "consent",
                         "text": "You mind if I use your postcard account?"}
    events = await run_turn(conv, "sure")
    assert events[1]["kind"] == "confirm" and postcard_tools.SENT == []
    assert "Amy" in reply_text(events)
    assert "Postcard sent to Amy." in reply_text(await run_turn(conv, "yes"))
    assert postcard_tools.SENT == ["Amy"]
    # consent is remembered, confirmation is not
    events = await run_turn(conv, "send a postcard to Bob")
    assert events[1]["kind"] == "confirm"
    assert "won't" in reply_text(await run_turn(conv, "no"))
    assert postcard_tools.SENT == ["Amy"]


async def test_refused_consent_is_recorded_and_nothing_runs(postcards):
    conv = new_conversation(postcards)
    await run_turn(conv, "pin the postcard from Amy")
    await run_turn(conv, "no thanks")
    assert postcard_tools.PINNED == []
    assert postcards.store.consent.get("postcards.send").granted is False


async def test_a_crashing_tool_is_reported_and_the_conversation_goes_on(postcards):
    postcards.gate.grant(["postcards.send"])
    conv = new_conversation(postcards)
    text = reply_text(await run_turn(conv, "crash the postcard machine"))
    assert "went wrong in my postcard skill" in text and "KeyError" in text
    assert reply_text(await run_turn(conv, "what time is it")).startswith("It's ")


async def test_unrelated_answer_drops_the_question_and_is_handled(postcards):
    conv = new_conversation(postcards)
    await run_turn(conv, "pin the postcard from Amy")
    events = await run_turn(conv, "what time is it")
    assert events[1]["type"] == "notice"
    assert any(e["type"] == "tool" and e["tool"] == "now" for e in events)
    assert postcard_tools.PINNED == []


async def test_reversible_action_is_journaled_and_undone(postcards):
    postcards.gate.grant(["postcards.send"])
    conv = new_conversation(postcards)
    await run_turn(conv, "pin the postcard from Amy")
    assert postcard_tools.PINNED == ["Amy"]
    text = reply_text(await run_turn(conv, "undo that"))
    assert "pinned Amy" in text and postcard_tools.PINNED == []
    assert "nothing" in reply_text(await run_turn(conv, "undo that"))


async def test_remember_recall_forget_and_undo():
    runtime = make_runtime()
    conv = new_conversation(runtime)
    await run_turn(conv, "remember that Amy likes tulips")
    assert "tulips" in reply_text(await run_turn(conv, "what do you remember about Amy?"))
    await run_turn(conv, "forget that")
    assert runtime.store.memories.list() == []  # no note, and no episode of asking either
    assert runtime.store.memories.lexical("tulips") == []
    await run_turn(conv, "undo that")  # undoing the forget brings the note back
    assert [m.text for m in runtime.store.memories.list()] == ["Amy likes tulips"]


async def test_conversation_becomes_episodic_memory_and_is_recalled_into_context():
    runtime = make_runtime(["That sounds lovely.", "ok"])
    conv = new_conversation(runtime)
    await run_turn(conv, "I adopted a puppy called Biscuit last weekend")
    episodes = runtime.store.memories.list(kind="episode")
    assert [(m.speaker, m.meta["role"]) for m in reversed(episodes)] == [
        ("Theodore", "user"), ("Samantha", "assistant")]
    assert episodes[-1].importance > 0.3  # a life event
    other = new_conversation(runtime)  # a new conversation: not in the history
    await run_turn(other, "how is Biscuit doing?")
    system = runtime.brain.seen[-1][0].content
    assert "Biscuit" in system and "adopted a puppy" in system


async def test_skill_commands_are_not_episodes():
    runtime = make_runtime()
    conv = new_conversation(runtime)
    await run_turn(conv, "what time is it")
    await run_turn(conv, "undo that")
    assert runtime.store.memories.count() == 0


async def test_native_tool_calls_go_through_the_same_gate(postcards):
    postcards.brain.replies = [{"tool": "clock__now"}, "It is late, go to sleep."]
    conv = new_conversation(postcards)
    events = await run_turn(conv, "should I go to bed?")
    assert any(e["type"] == "tool" and e["tool"] == "now" for e in events)
    assert reply_text(events).endswith("go to sleep.")
    tool_message = postcards.brain.seen[-1][-1]
    assert tool_message.role == "tool" and tool_message.content.startswith("It's ")
    schemas = postcards.brain.seen_tools[0]
    assert any(s["function"]["name"] == "postcard__send" for s in schemas)
    assert not any(s["function"]["name"] == "postcard__unpin" for s in schemas)

    postcards.brain.replies = [{"tool": "postcard__send", "arguments": {"to": "Eve"}}]
    events = await run_turn(conv, "tell Eve hi")
    assert events[1]["type"] == "question" and postcard_tools.SENT == []


async def test_reply_consumed_inside_an_except_block_is_stored_once():
    runtime = make_runtime(["all of it"])
    conv = new_conversation(runtime)
    try:
        raise ValueError("unrelated")
    except ValueError:
        await run_turn(conv, "hi")
    stored = runtime.store.conversations.messages(conv.id)
    assert [(m.content, m.status) for m in stored] == [("hi", "complete"), ("all of it", "complete")]


async def test_interrupted_reply_keeps_only_what_was_shown():
    said = " ".join(f"word{i}" for i in range(60))
    runtime = make_runtime([said])
    conv = new_conversation(runtime)
    stream = conv.turn("tell me something")
    shown = []
    async for event in stream:
        if event.type == "affect":
            continue
        shown.append(event.text)
        if len(shown) == 3:
            break
    await stream.aclose()
    last = runtime.store.conversations.messages(conv.id)[-1]
    assert (last.role, last.content, last.status) == ("assistant", "".join(shown).strip(), "interrupted")
    assert said.startswith(last.content) and len(last.content) < len(said) / 2


class DeadBrain(Brain):
    name = "dead"

    async def stream(self, messages, tools=None):
        raise BrainUnavailable("I can't reach the brain at http://127.0.0.1:9 (is the server running?).")
        yield  # pragma: no cover


async def test_dead_endpoint_falls_back_to_the_built_in_brain_with_a_notice():
    runtime = make_runtime()
    runtime.brain = DeadBrain()
    runtime._fallback, runtime._fallback_tried = ScriptedBrain(replies=["small brain here"]), True
    events = await run_turn(new_conversation(runtime), "hello")
    notices = [e["text"] for e in events if e["type"] == "notice"]
    assert "can't reach" in notices[0] and "built-in brain" in notices[1]
    assert reply_text(events) == "small brain here"


async def test_dead_brain_gives_a_clear_message_and_skills_still_work():
    runtime = make_runtime()
    runtime.brain = DeadBrain()
    runtime._fallback_tried = True  # and no built-in brain either
    conv = new_conversation(runtime)
    events = await run_turn(conv, "hello")
    assert any(e["type"] == "notice" and "can't reach" in e["text"] for e in events)
    assert "trouble thinking" in reply_text(events)
    assert reply_text(await run_turn(conv, "what time is it")).startswith("It's ")
    runtime.brain = None
    assert "brain isn't available" in reply_text(await run_turn(conv, "hello again"))


async def test_empty_reply_is_never_silence():
    runtime = make_runtime([""])
    text = reply_text(await run_turn(new_conversation(runtime), "hm"))
    assert text == EMPTY_REPLY


async def test_blank_input_is_not_a_turn_and_bad_bytes_are_cleaned():
    runtime = make_runtime()
    conv = new_conversation(runtime)
    assert await run_turn(conv, "  \n ") == []
    events = await run_turn(conv, b"caf\xe9\x00")
    assert events[0]["type"] == "notice"
    assert runtime.store.conversations.messages(conv.id)[0].content == "caf\ufffd"


async def test_who_is_someone_unknown_goes_to_the_brain():
    from os1.mind.router import Router
    from os1.skills.loader import load_skills

    runtime = make_runtime(["Albert Einstein was a physicist."])
    runtime.skills = load_skills()
    runtime.router = Router(runtime.skills, None)
    events = await run_turn(new_conversation(runtime), "who is Einstein?")
    assert reply_text(events) == "Albert Einstein was a physicist."


async def test_background_remembering_is_flushed_on_close():
    runtime = make_runtime(["noted"])
    runtime.remember_in_background()
    conv = new_conversation(runtime)
    for i in range(20):
        await run_turn(conv, f"my favourite number today is {i}")
    runtime.close()  # must wait for every queued exchange
    reopened = make_runtime(booted=False)
    episodes = reopened.store.memories.list(kind="episode", limit=100)
    assert len([m for m in episodes if m.meta.get("role") == "user"]) == 20


async def test_a_small_brain_sees_only_the_users_recent_messages():
    runtime = make_runtime(["first reply", "second reply", "third reply", "fourth reply", "x"])
    runtime.brain.supports_tools = False  # like the embedded 135M model
    conv = new_conversation(runtime)
    for text in ("one", "two", "three", "four", "five"):
        await run_turn(conv, text)
    seen = runtime.brain.seen[-1]
    assert [(m.role, m.content) for m in seen[1:]] == [
        ("user", "two"), ("user", "three"), ("user", "four"), ("user", "five")]
