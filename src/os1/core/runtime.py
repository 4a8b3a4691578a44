"""The runtime: one OS1 mind's parts, opened once per process and shared by every conversation.

Opening never fails because of the brain: a dead or misconfigured backend
falls back to the embedded one, and if that is missing too OS1 still runs its
skills and says plainly that it cannot think freely right now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from os1.brain import registry
from os1.brain.base import Brain, BrainUnavailable
from os1.core.config import BrainSettings, Settings, load_settings
from os1.guard.consent import ConsentGate
from os1.memory.system import MemorySystem
from os1.mind.encoder import Encoder, shared_encoder
from os1.mind.router import Router
from os1.persona.profile import Profile
from os1.skills.loader import SkillSet, load_skills
from os1.storage.base import Store
from os1.storage.sqlite import open_store

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    store: Store
    skills: SkillSet
    router: Router
    gate: ConsentGate
    brain: Brain | None
    memory: MemorySystem
    brain_notice: str = ""
    _profile: Profile | None = field(default=None, repr=False)
    _fallback: Brain | None = field(default=None, repr=False)
    _fallback_tried: bool = field(default=False, repr=False)
    _writer: ThreadPoolExecutor | None = field(default=None, repr=False)
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run ``closer`` when the runtime closes, before the store does (a skill's player, say)."""
        self._closers.append(closer)

    def fallback_brain(self) -> Brain | None:
        """The embedded brain, to answer when a configured endpoint dies mid-session."""
        if self.brain is None or self.brain.name == "embedded":
            return None
        if not self._fallback_tried:
            self._fallback_tried = True
            try:
                self._fallback = registry.create(
                    BrainSettings(context_tokens=self.settings.brain.context_tokens))
            except BrainUnavailable as exc:
                log.warning("no fallback brain: %s", exc)
        return self._fallback

    @property
    def profile(self) -> Profile:
        if self._profile is None:
            self._profile = Profile.load(self.store.profile)
        return self._profile

    def save_profile(self, profile: Profile) -> None:
        profile.save(self.store.profile)
        self._profile = profile

    def reload_profile(self) -> Profile:
        self._profile = None
        return self.profile

    def remember_in_background(self) -> None:
        """Servers: write memories from one background thread, so a reply's ``done`` never waits
        for remembering (the chat and tests keep the simpler, immediate writes)."""
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="os1-memory",
                                              initializer=_lower_priority)

    def after_reply(self, job: Callable[[], None]) -> None:
        """Run ``job`` (remembering a finished exchange) now, or on the background writer."""
        if self._writer is None:
            job()
        else:
            self._writer.submit(job)

    def flush_memories(self) -> None:
        """Wait until every exchange handed to the background writer so far is remembered."""
        if self._writer is not None:
            self._writer.submit(lambda: None).result()

    def close(self) -> None:
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # one part failing to close must not keep the rest open
                log.exception("could not close %r", closer)
        self._closers.clear()
        if self._writer is not None:
            self._writer.shutdown(wait=True)  # nothing said may be left unremembered
            self._writer = None
        self.store.close()


def _lower_priority() -> None:
    """Remembering can wait a moment; answering can't: the writer thread runs at a lower priority."""
    import contextlib
    import os
    import threading

    with contextlib.suppress(AttributeError, OSError):  # Linux sets niceness per thread
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def make_brain(settings: BrainSettings) -> tuple[Brain | None, str]:
    """The configured brain, or a fallback and a notice saying why."""
    try:
        return registry.create(settings), ""
    except BrainUnavailable as exc:
        reason = str(exc)
    if settings.name != "embedded":
        try:
            brain = registry.create(BrainSettings(context_tokens=settings.context_tokens))
            return brain, f"{reason} I'm using my small built-in brain instead."
        except BrainUnavailable as exc:
            reason += f" The built-in brain is unavailable too: {exc}"
    return None, f"{reason} I can still use my skills, but I can't chat freely until that's fixed."


def open_runtime(
    settings: Settings | None = None,
    brain: Brain | None = None,
    encoder: Encoder | None = None,
) -> Runtime:
    settings = settings or load_settings()
    store = open_store(settings.db_path)
    skills = load_skills()
    for name, reason in skills.broken.items():
        log.warning("skill %s is unavailable: %s", name, reason)
    encoder = (encoder or shared_encoder()) if settings.router == "embedding" else None
    notice = ""
    if brain is None:
        brain, notice = make_brain(settings.brain)
    return Runtime(
        settings=settings,
        store=store,
        skills=skills,
        router=Router(skills, encoder),
        gate=ConsentGate(store.consent),
        brain=brain,
        memory=MemorySystem(store, encoder),
        brain_notice=notice,
    )
