"""The turn loop: one user message in, a stream of events out, everything persisted.

sense (clean the text) → feel (the affect of the words, and of the voice when the turn
was spoken: an ``affect`` event, stored for the mood timeline) → care (crisis language) →
a pending question's answer →
honesty ("are you an AI?") → router → skill behind the consent gate, or the
brain (with native tool calls through the same gate) → store the reply.

If the consumer stops listening mid-reply (Ctrl-C, a closed socket), the part
that was already shown is stored, marked ``interrupted``: nothing already said
is lost, and nothing unsaid is remembered as said.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from os1.brain.base import Brain, BrainUnavailable, Message, TextDelta, ToolCall
from os1.core.events import Affect, Event, Notice, Question, TextChunk, ToolUsed, TurnDone
from os1.core.runtime import Runtime
from os1.expression.style import style_for
from os1.guard import untrusted
from os1.guard.care import SAID_WRONG, OutputScreen, crisis_reply, is_crisis
from os1.guard.consent import answer_kind
from os1.guard.honesty import ai_answer, asks_if_ai
from os1.guard.journal import run_tool
from os1.memory.growth import Growth
from os1.mind import context
from os1.perception import affect
from os1.perception.prosody import Baseline
from os1.perception.text import clean
from os1.skills.base import Skill, ToolContext, ToolError, ToolResult, ToolSpec

if TYPE_CHECKING:
    from os1.perception.prosody import ProsodyFeatures

log = logging.getLogger(__name__)
MAX_TOOL_ROUNDS = 3


@dataclass
class _Reply:
    """What a brain reply has shown so far, and whether it already stored itself."""

    shown: list[str] = field(default_factory=list)
    finished: bool = False
# a paced stream comes a little faster than OS1's voice reads (Piper joe: ~2.9 words/s), so the voice never
# runs dry; it drifts ahead by ~10 % (a few minutes of audio in an hour's reading), never a whole book
SPOKEN_WORDS_PER_S = 3.2
STREAM_LEAD_S = 10.0  # how far ahead of the voice it may start
EMPTY_REPLY = "Sorry, I lost my words for a second there. Could you say that again?"


class Conversation:
    def __init__(self, runtime: Runtime, conversation_id: str) -> None:
        self.runtime = runtime
        self.id = conversation_id
        self._user_text = ""
        self._remember = True  # whether this turn's exchange goes into the memory stream
        self._affect: affect.AffectEstimate | None = None  # how the user seems to feel this turn
        # voice: hold a reply's memory until it has been spoken, then keep what was heard (settle)
        self.hold_memories = False
        self._held: tuple[int, str, str, str] | None = None  # message id, user text, reply, status
        self._remember_text = ""  # what memory keeps of this turn's reply when not the reply itself
        self.paced_streams = False  # voice: a long tool answer (a reading) comes at speaking pace
        self.listening_hint = ""  # what the user is likely to say next (from the last tool used)

    @classmethod
    def resume_or_start(cls, runtime: Runtime) -> Conversation:
        latest = runtime.store.conversations.latest()
        if latest is None:
            latest = runtime.store.conversations.create("Conversation")
        return cls(runtime, latest.id)

    @property
    def _store(self):  # type: ignore[no-untyped-def]
        return self.runtime.store

    # -- the turn ---------------------------------------------------------
    async def turn(self, raw: str | bytes, *,
                   prosody: ProsodyFeatures | None = None) -> AsyncIterator[Event]:
        """One user message (typed, or a transcript with the ``prosody`` of how it was said)."""
        cleaned = clean(raw)
        if cleaned.empty:
            return
        for note in cleaned.notes:
            yield Notice(f"Note: {note}.")
        text = cleaned.text
        self._user_text = text
        self._remember = True
        self._remember_text = ""
        self.listening_hint = ""  # transcribed already: a new hint comes with this turn's tool, if any
        self._read_outside = ""  # outside content read during this turn
        self._affect = None
        # off the event loop: a background memory writer may hold the database for a moment, and a
        # voice session must keep listening meanwhile
        stored = await asyncio.to_thread(self._begin, text)
        felt = await self._feel(text, prosody, stored.id)
        if felt is not None:
            yield felt
        profile = self.runtime.profile

        if is_crisis(text):
            self._store.conversations.set_pending(self.id, None)
            async for event in self._say(crisis_reply(profile.user_name or None)):
                yield event
            return

        pending = self._store.conversations.pending(self.id)
        if pending and pending.get("kind") == "choice":  # a skill asked which one: it reads the reply
            self._store.conversations.set_pending(self.id, None)
            chosen = await self._choice(pending, text)
            if chosen is not None:
                async with aclosing(self._present(*chosen)) as presenting:
                    async for event in presenting:
                        yield event
                return
            pending = None  # not an answer after all: a new request, routed as usual
        if pending:
            self._store.conversations.set_pending(self.id, None)
            answer = answer_kind(text)
            if answer != "other":
                async with aclosing(self._answer_pending(pending, answer == "yes")) as answering:
                    async for event in answering:
                        yield event
                return
            yield Notice("I'll leave that earlier request for now.")

        if asks_if_ai(text):
            async for event in self._say(ai_answer(profile.os_name or "OS1")):
                yield event
            return

        route = await asyncio.to_thread(self.runtime.router.route, text)
        if route is not None:
            skill = self.runtime.skills.skills[route.skill]
            async with aclosing(self._act(skill, skill.tools[route.tool], route.arguments)) as acting:
                async for event in acting:  # closed at once if the listener goes away mid-reply
                    yield event
            return

        async with aclosing(self._think(text)) as thinking:
            async for event in thinking:
                yield event

    def _begin(self, text: str) -> Any:
        """Store the user's message, and see whether outside words are still in the brain's view."""
        self._tainted = untrusted.Tainted(self._store.profile, self.id)
        visible = [m.id for m in self._store.conversations.messages(self.id, limit=context.HISTORY_LIMIT)]
        self._tainted_by = self._tainted.source_in(visible)  # outside words still in the brain's view
        return self._store.conversations.add_message(self.id, "user", text)

    # -- feeling ------------------------------------------------------------
    async def _feel(self, text: str, prosody: ProsodyFeatures | None, message_id: int) -> Affect | None:
        """Estimate and store the turn's affect (off the event loop); None if that failed."""
        try:
            estimate = await asyncio.to_thread(self._estimate_affect, text, prosody, message_id)
        except Exception:  # feeling is a refinement: never let it cost the user the reply
            log.exception("could not estimate the affect of this turn")
            return None
        self._affect = estimate
        style = style_for(estimate)
        return Affect(estimate.state, estimate.confidence, estimate.cues, style.pace, style.pause_s,
                      estimate.source)

    def _estimate_affect(self, text: str, prosody: ProsodyFeatures | None,
                         message_id: int) -> affect.AffectEstimate:
        repo = self._store.affect
        baseline = Baseline.load(repo) if prosody is not None and prosody.usable else None
        estimate = affect.estimate(text, prosody, baseline)
        if baseline is not None and prosody is not None:
            baseline.update(prosody)  # after judging: an unusual turn is compared with the usual
            baseline.save(repo)
        repo.add(estimate, message_id=message_id, conversation_id=self.id, prosody=prosody)
        return estimate

    @property
    def last_affect(self) -> affect.AffectEstimate | None:
        """The affect estimate of the current (or last) turn."""
        return self._affect

    def _emotion(self) -> str | None:
        return self._affect.state if self._affect is not None else None

    # -- skills -------------------------------------------------------------
    async def _act(self, skill: Skill, spec: ToolSpec, arguments: dict[str, Any],
                   confirmed: bool = False) -> AsyncIterator[Event]:
        self._remember = skill.remember_exchanges
        # a request the user made themselves (router, or their answer to a question): not tainted
        decision = self.runtime.gate.decide(skill, spec, arguments, preview=self._preview(spec, arguments))
        if decision.kind == "consent" or (decision.kind == "confirm" and not confirmed):
            self._store.conversations.set_pending(self.id, {
                "kind": decision.kind, "skill": skill.name, "tool": spec.name,
                "arguments": arguments, "scopes": decision.scopes,
            })
            yield Question(decision.kind, decision.question)
            async for event in self._say(decision.question):
                yield event
            return
        result = await self._run(skill, spec, arguments)
        async with aclosing(self._present(skill, spec, result)) as presenting:
            async for event in presenting:
                yield event

    async def _choice(self, pending: dict[str, Any], text: str) -> tuple[Skill, ToolSpec, ToolResult] | None:
        """The reply to a skill's "which one?" goes to the tool that asked (``answer=text``); None if
        that tool says it isn't an answer (``defer``), so the reply is routed like any other."""
        skill = self.runtime.skills.skills.get(pending.get("skill", ""))
        spec = skill.tools.get(pending.get("tool", "")) if skill else None
        if skill is None or spec is None:
            return None
        result = await self._run(skill, spec, {**pending.get("arguments", {}), "answer": text})
        if result.defer:
            return None
        self._remember = skill.remember_exchanges
        return skill, spec, result

    async def _present(self, skill: Skill, spec: ToolSpec, result: ToolResult) -> AsyncIterator[Event]:
        """Say what a tool found or did (or let a capable brain answer, if the tool deferred)."""
        self.listening_hint = result.expect
        if result.untrusted:
            self._read_outside = result.untrusted
        if result.remember_as:
            self._remember_text = result.remember_as  # e.g. "(I played “Lua” for you.)", not the reply
        brain = self.runtime.brain
        if result.defer and spec.effect == "read" and brain is not None and brain.supports_tools:
            self._remember = True  # it became a conversation after all
            async with aclosing(self._think(self._user_text)) as thinking:
                async for event in thinking:
                    yield event
            return
        yield ToolUsed(skill.name, spec.name, spec.effect)
        if result.stream is not None:
            async with aclosing(self._say_streaming(result)) as reading:
                async for event in reading:
                    yield event
            return
        async for event in self._say(result.text):
            yield event

    async def _run(self, skill: Skill, spec: ToolSpec, arguments: dict[str, Any]) -> ToolResult:
        ctx = ToolContext(self.runtime, self.id)
        try:
            return await run_tool(self._store.journal, skill, spec, ctx, arguments)
        except ToolError as exc:
            return ToolResult(text=str(exc))
        except Exception as exc:  # a broken skill must not break the conversation
            log.exception("tool %s.%s failed", skill.name, spec.name)
            return ToolResult(
                text=f"Something went wrong in my {skill.name} skill ({type(exc).__name__}: {exc}).")

    async def _answer_pending(self, pending: dict[str, Any], yes: bool) -> AsyncIterator[Event]:
        skill = self.runtime.skills.skills.get(pending.get("skill", ""))
        spec = skill.tools.get(pending.get("tool", "")) if skill else None
        if skill is None or spec is None:
            async for event in self._say("I can't do that any more: that skill isn't loaded."):
                yield event
            return
        self._remember = skill.remember_exchanges
        if not yes:
            if pending["kind"] == "consent":
                for scope in pending.get("scopes", []):
                    self.runtime.store.consent.set(scope, False)
            async for event in self._say("Okay, I won't. Just ask if you change your mind."):
                yield event
            return
        if pending["kind"] == "consent":
            self.runtime.gate.grant(list(pending.get("scopes", [])))
        async with aclosing(self._act(skill, spec, dict(pending.get("arguments", {})),
                                      confirmed=pending["kind"] == "confirm")) as acting:
            async for event in acting:
                yield event

    # -- the brain ----------------------------------------------------------
    async def _think(self, text: str) -> AsyncIterator[Event]:
        brain = self.runtime.brain
        if self.runtime.brain_notice:
            yield Notice(self.runtime.brain_notice, "warning")
        if brain is None:
            async for event in self._say(
                "I can't think freely right now because my brain isn't available, "
                "but I can still do things. Ask me what I can do."
            ):
                yield event
            return
        reply = _Reply()
        try:
            try:
                async with aclosing(self._reply_with(brain, text, reply)) as events:
                    async for event in events:
                        yield event
            except BrainUnavailable as exc:
                yield Notice(str(exc), "warning")
                fallback = None if reply.shown else self.runtime.fallback_brain()
                if fallback is None:
                    raise
                yield Notice("I'm answering with my small built-in brain for now.")
                async with aclosing(self._reply_with(fallback, text, reply)) as events:
                    async for event in events:
                        yield event
        except BrainUnavailable as exc:
            if reply.shown:
                yield Notice(f"My reply was cut short: {exc}", "warning")
            else:
                reply.finished = True
                async for event in self._say(
                    "I'm having trouble thinking right now, so I couldn't answer that. "
                    "My skills still work; ask me what I can do."
                ):
                    yield event
                return
        except BaseException:
            if not reply.finished and reply.shown:
                # the listener went away mid-reply: keep exactly what was shown
                self._finish_now("".join(reply.shown).strip(), "interrupted")
            raise
        if reply.finished:
            return
        text_out = "".join(reply.shown).strip()
        if not text_out:
            text_out = EMPTY_REPLY
            yield TextChunk(text_out)
        reply.finished = True
        yield await self._finish(text_out)

    async def _reply_with(self, brain: Brain, text: str, reply: _Reply) -> AsyncIterator[Event]:
        """Stream one brain's answer, running native tool calls; raises BrainUnavailable."""
        tools = self.runtime.skills.tool_schemas() if brain.supports_tools else None
        messages = await asyncio.to_thread(
            context.build, self._store, self.runtime.profile, brain, self.id, text,
            self.runtime.memory, self._affect, self._tainted.replies,
        )
        for _ in range(MAX_TOOL_ROUNDS):
            calls: list[ToolCall] = []
            screen = OutputScreen()  # nothing that encourages self-harm is ever shown or spoken
            async with aclosing(brain.stream(messages, tools)) as deltas:
                async for delta in deltas:
                    if isinstance(delta, TextDelta):
                        safe = screen.feed(delta.text)
                        if screen.blocked:
                            break
                        if safe:
                            reply.shown.append(safe)
                            yield TextChunk(safe)
                    else:
                        calls.append(delta)
            rest = screen.finish()
            if rest:
                reply.shown.append(rest)
                yield TextChunk(rest)
            if screen.blocked:
                log.warning("a brain reply encouraged self-harm; it was stopped and replaced with care")
                care = ("\n" if reply.shown else "") + SAID_WRONG
                reply.shown.append(care)
                yield TextChunk(care)
                return
            if not calls:
                return
            messages.append(Message("assistant", "".join(reply.shown), tuple(calls)))
            for call in calls:
                outcome = await self._native_call(call)
                if isinstance(outcome, Question):
                    reply.finished = True
                    yield outcome
                    async for event in self._say(outcome.text, prefix=reply.shown):
                        yield event
                    return
                yield ToolUsed(*outcome[:3])
                messages.append(Message("tool", outcome[3], tool_call_id=call.id))

    async def _native_call(self, call: ToolCall) -> tuple[str, str, str, str] | Question:
        skill_name, _, tool_name = call.name.partition("__")
        skill = self.runtime.skills.skills.get(skill_name)
        spec = skill.tools.get(tool_name) if skill else None
        if skill is None or spec is None:
            return (skill_name, tool_name, "read", f"There is no tool called {call.name}.")
        decision = self.runtime.gate.decide(skill, spec, call.arguments,
                                            preview=self._preview(spec, call.arguments),
                                            tainted_by=self._read_outside or self._tainted_by)
        if decision.kind != "go":
            self._store.conversations.set_pending(self.id, {
                "kind": decision.kind, "skill": skill.name, "tool": spec.name,
                "arguments": call.arguments, "scopes": decision.scopes,
            })
            return Question(decision.kind, decision.question)
        result = await self._run(skill, spec, call.arguments)
        if not result.untrusted:
            return (skill.name, spec.name, spec.effect, result.text)
        self._read_outside = result.untrusted  # from here on this turn is tainted
        return (skill.name, spec.name, spec.effect, untrusted.wrap(result.text, result.untrusted))

    def _preview(self, spec: ToolSpec, arguments: dict[str, Any]) -> str:
        """The tool's own description of exactly what it will do (for confirmations), if it has one."""
        if spec.preview is None:
            return ""
        try:
            return spec.preview(ToolContext(self.runtime, self.id), **spec.validate(arguments))
        except Exception:  # a preview must never block the question itself
            log.exception("preview of %s failed", spec.name)
            return ""

    # -- output -------------------------------------------------------------
    async def _say(self, text: str, prefix: list[str] | None = None) -> AsyncIterator[Event]:
        yield TextChunk(text if not prefix else "\n" + text)
        full = ("".join(prefix or []) + "\n" + text).strip() if prefix else text
        yield await self._finish(full)

    async def _say_streaming(self, result: ToolResult) -> AsyncIterator[Event]:
        """A tool's long answer (a reading) piece by piece; if the listener goes away or cuts in, what
        was shown is stored. Memory keeps ``remember_as`` (e.g. "read you chapter 3 of …"), not pages."""
        assert result.stream is not None
        shown = [result.text]
        if result.remember_as:
            self._remember_text = result.remember_as
        yield TextChunk(result.text)
        started, words = time.monotonic(), len(result.text.split())
        try:
            async with aclosing(result.stream) as pieces:  # type: ignore[type-var]
                async for piece in pieces:
                    shown.append(piece)
                    yield TextChunk(piece)
                    if self.paced_streams:  # stay a few sentences ahead of the voice, not a book ahead
                        words += len(piece.split())
                        ahead = words / SPOKEN_WORDS_PER_S - (time.monotonic() - started)
                        if ahead > STREAM_LEAD_S:
                            await asyncio.sleep(ahead - STREAM_LEAD_S)
        except BaseException:
            self._finish_now("".join(shown).strip(), "interrupted")
            raise
        yield await self._finish("".join(shown).strip())

    async def _finish(self, reply: str, status: str = "complete") -> TurnDone:
        """Store the reply and remember the exchange (off the event loop: it embeds)."""
        return await asyncio.to_thread(self._finish_now, reply, status)

    def _finish_now(self, reply: str, status: str = "complete") -> TurnDone:
        stored = self._store.conversations.add_message(self.id, "assistant", reply, status=status)
        if self._read_outside:  # the reply carries outside words: remember it as such
            self._tainted.add(stored.id, self._read_outside)
        if self.hold_memories:
            self._held = (stored.id, self._user_text if self._remember else "", reply, status)
        elif self._remember:
            self.runtime.after_reply(partial(self._remember_exchange, self._user_text,
                                             self._remember_text or reply, status, self._emotion()))
        return TurnDone(stored.id, reply, status)

    def settle(self, heard: str | None) -> Callable[[], None] | None:
        """Voice: the last reply was played to the end (``heard`` None) or cut off after ``heard``.

        The stored reply keeps only the words the user heard, and only those are remembered. Returns
        the database work to do (run it off the event loop), or None if nothing was held.
        """
        if self._held is None:
            return None
        held, self._held = self._held, None
        return partial(self._settle_now, held, heard, self._emotion(), self._remember_text)

    def _settle_now(self, held: tuple[int, str, str, str], heard: str | None, emotion: str | None,
                    remember_text: str = "") -> None:
        message_id, user_text, reply, status = held
        if heard is not None and (heard.strip() != reply.strip() or status != "interrupted"):
            reply, status = heard.strip(), "interrupted"
            self._store.conversations.amend_message(message_id, reply, status)
        if user_text:
            self.runtime.after_reply(partial(self._remember_exchange, user_text, remember_text or reply,
                                             status, emotion))

    def _remember_exchange(self, user_text: str, reply: str, status: str, emotion: str | None = None) -> None:
        runtime = self.runtime
        try:
            profile = runtime.profile
            runtime.memory.record_exchange(self.id, user_text, reply, profile.user_name, profile.os_name,
                                           emotion=emotion)
        except Exception:  # remembering must never cost the user the reply itself
            log.exception("could not record the exchange in memory")
        try:
            if status == "complete" and Growth(self._store).observe_exchange(user_text, reply):
                runtime.reload_profile()  # traits moved: don't let a cached profile undo it
        except Exception:
            log.exception("could not update growth")

