"""First boot: answers → profile → the OS names itself → its introduction starts the first conversation."""

from __future__ import annotations

import random

from os1.core.runtime import Runtime
from os1.persona.interview import build_profile
from os1.persona.naming import choose_name, introduction
from os1.persona.profile import Profile


async def complete_first_boot(
    runtime: Runtime, answers: dict[str, str | None], rng: random.Random | None = None
) -> tuple[Profile, str, str]:
    """Save the profile, let the OS choose its name; return (profile, introduction, conversation id).

    Raises :class:`os1.persona.interview.AnswerError` for an unusable answer.
    """
    profile = build_profile(answers)
    profile.os_name = await choose_name(profile, runtime.brain, rng)
    runtime.save_profile(profile)
    intro = introduction(profile)
    conversation = runtime.store.conversations.create("First conversation")
    runtime.store.conversations.add_message(conversation.id, "assistant", intro)
    return profile, intro, conversation.id
