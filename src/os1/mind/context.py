"""The context builder: the one place that decides what the brain sees for a turn.

Persona and profile → system prompt; notes the user asked to keep (and, from
the memory issue on, retrieved memories); the conversation so far; the new
message. Then it is fitted to the brain's window, newest first.
"""

from __future__ import annotations

from os1.brain.base import Brain, Message
from os1.brain.budget import fit
from os1.persona.profile import Profile
from os1.persona.prompts import system_prompt
from os1.storage.base import Store

HISTORY_LIMIT = 40
NOTES_LIMIT = 8


def build(
    store: Store, profile: Profile, brain: Brain, conversation_id: str, user_text: str
) -> list[Message]:
    notes = [m.text for m in store.memories.search(user_text, limit=NOTES_LIMIT)]
    if len(notes) < 3:  # always keep the newest few notes in view
        notes += [m.text for m in store.memories.list(kind="note", limit=3) if m.text not in notes]
    messages = [Message("system", system_prompt(profile, notes))]
    history = store.conversations.messages(conversation_id, limit=HISTORY_LIMIT)
    # the newest stored message is the user's current one; it is appended below
    if history and history[-1].role == "user" and history[-1].content == user_text:
        history = history[:-1]
    for stored in history:
        if stored.role in ("user", "assistant") and stored.content:
            content = stored.content
            if stored.status == "interrupted":
                content += " [interrupted]"
            messages.append(Message(stored.role, content))
    messages.append(Message("user", user_text))
    return fit(messages, brain.context_tokens, brain.max_reply_tokens, brain.count_tokens)
