"""The context builder: the one place that decides what the brain sees for a turn.

Persona and profile → system prompt (with one line on how the user seems to feel
this turn, when the affect estimate is confident); what OS1 knows about the user (current
facts), memories retrieved for this message (hybrid retrieval), notes they asked
it to keep; the conversation so far; the new message. Then it is fitted to the
brain's window, newest first.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from os1.brain.base import Brain, Message
from os1.brain.budget import fit
from os1.guard import untrusted
from os1.memory.system import MemorySystem
from os1.persona.profile import Profile
from os1.persona.prompts import feeling_guidance, system_prompt
from os1.storage.base import Store

if TYPE_CHECKING:
    from os1.perception.affect import AffectEstimate

HISTORY_LIMIT = 40
SMALL_BRAIN_HISTORY = 3  # a 135M model sees only the user's last few messages: shown its own
# replies it copies them (5 of 7 replies near-identical in a LoCoMo sample; 7 of 7 distinct without)
NOTES_LIMIT = 8
RECALLED = 5
RECALL_POOL = 20  # on every turn: a smaller pool than the benchmark's 200 (~1.5 ms instead of 6 ms)
RECALLED_CHARS = 240


def _recalled_lines(memory: MemorySystem, user_text: str, shown: set[str], own_words: bool) -> list[str]:
    """Recalled memories as prompt lines; ``own_words=False`` leaves out what the OS itself said
    (a small brain's past inventions must not come back as memories)."""
    lines = []
    for hit in memory.recall(user_text, k=RECALLED * 2 + len(shown) // 2,
                             kinds=("episode", "reflection"), candidates=RECALL_POOL):
        text = hit.memory.text.strip()
        if text in shown or (not own_words and hit.memory.meta.get("role") == "assistant"):
            continue
        when = time.strftime("%b %d", time.localtime(hit.memory.occurred_at))
        if hit.memory.kind == "reflection":
            lines.append(f"(something you noticed, {when}) {text[:RECALLED_CHARS]}")
            continue
        who = f"{hit.memory.speaker}: " if hit.memory.speaker else ""
        lines.append(f"[{when}] {who}{text[:RECALLED_CHARS]}")
        if len(lines) >= RECALLED:
            break
    return lines


def build(
    store: Store, profile: Profile, brain: Brain, conversation_id: str, user_text: str,
    memory: MemorySystem | None = None, affect: AffectEstimate | None = None,
    outside: dict[int, str] | None = None,
) -> list[Message]:
    """``outside``: ids of stored replies that carried outside words (an email), and their source;
    they are shown to the brain wrapped as quoted data (see :mod:`os1.guard.untrusted`)."""
    def asked_to_keep(m: object) -> bool:
        return m.kind == "note" and m.source == "user"  # type: ignore[attr-defined]

    note_ids = [mid for mid, _ in store.memories.lexical(user_text, NOTES_LIMIT, kinds=("note",))]
    notes = [m.text for m in store.memories.get_many(note_ids) if asked_to_keep(m)]
    if len(notes) < 3:  # always keep the newest few notes in view
        notes += [m.text for m in store.memories.list(kind="note", limit=6)
                  if asked_to_keep(m) and m.text not in notes][:3]
    capable = brain.supports_tools
    history = store.conversations.messages(conversation_id, limit=HISTORY_LIMIT)
    # the newest stored message is the user's current one; it is appended below
    if history and history[-1].role == "user" and history[-1].content == user_text:
        history = history[:-1]
    if not capable:
        history = [m for m in history if m.role == "user"][-SMALL_BRAIN_HISTORY:]
    facts: list[str] = []
    recalled: list[str] = []
    if memory is not None:
        facts = memory.facts.summary() if hasattr(memory.facts, "summary") else []
        recalled = _recalled_lines(memory, user_text, {m.content.strip() for m in history}, capable)
    feeling = feeling_guidance(affect.state, affect.cues) if affect is not None and affect.expressed else None
    messages = [Message("system", system_prompt(profile, notes, facts, recalled, feeling))]
    for stored in history:
        if stored.role in ("user", "assistant") and stored.content:
            content = stored.content
            if stored.status == "interrupted":
                content += " [interrupted]"
            if outside and stored.id in outside:
                content = untrusted.wrap(content, outside[stored.id])
            messages.append(Message(stored.role, content))
    messages.append(Message("user", user_text))
    return fit(messages, brain.context_tokens, brain.max_reply_tokens, brain.count_tokens)
