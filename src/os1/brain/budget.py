"""Context-window budgeting: make a message list fit the brain's window.

The system message and the newest user message are always kept; older turns
are dropped oldest first; a single message that alone is too long (a 1 MB
paste) is cut in the middle with a marker, so the model sees its beginning
and its end.
"""

from __future__ import annotations

from collections.abc import Callable

from os1.brain.base import Message

PER_MESSAGE_OVERHEAD = 4  # role markers of the chat template
CUT_MARKER = "\n[… {n} characters left out …]\n"


def shorten(text: str, max_tokens: int, count: Callable[[str], int]) -> str:
    """Cut the middle of ``text`` until it takes at most ``max_tokens``."""
    if count(text) <= max_tokens:
        return text
    keep = max(16, max_tokens * 3)  # ~3 characters per token is a safe start
    while keep > 16:
        head, tail = text[: keep // 2], text[-keep // 2 :]
        candidate = head + CUT_MARKER.format(n=len(text) - len(head) - len(tail)) + tail
        if count(candidate) <= max_tokens:
            return candidate
        keep = int(keep * 0.8)
    return text[:16]


def fit(messages: list[Message], window: int, reserve: int, count: Callable[[str], int]) -> list[Message]:
    """Return ``messages`` trimmed so that they and ``reserve`` reply tokens fit ``window``."""
    if not messages:
        return []
    budget = window - reserve
    system = [m for m in messages[:1] if m.role == "system"]
    rest = messages[len(system) :]
    cost = [count(m.content) + PER_MESSAGE_OVERHEAD for m in rest]
    used = sum(count(m.content) + PER_MESSAGE_OVERHEAD for m in system)

    if system and used > budget // 2:  # an overlong system prompt gives up to half the window
        system = [Message("system", shorten(system[0].content, budget // 2, count))]
        used = count(system[0].content) + PER_MESSAGE_OVERHEAD

    kept: list[Message] = []
    for message, c in zip(reversed(rest), reversed(cost), strict=True):
        if used + c <= budget:
            kept.append(message)
            used += c
        elif not kept:  # the newest message alone is too long: shorten it
            room = max(16, budget - used - PER_MESSAGE_OVERHEAD)
            kept.append(
                Message(message.role, shorten(message.content, room, count),
                        message.tool_calls, message.tool_call_id)
            )
            break
        else:
            break
    kept.reverse()
    # a conversation shown to the model should not start with an orphan assistant turn
    while kept and kept[0].role in ("assistant", "tool") and len(kept) > 1:
        kept.pop(0)
    return system + kept
