"""The scheduler: claims the nudges that are due and says them to whoever is listening.

Front-ends attach *outlets* while they are open (the terminal chat, each server WebSocket, a voice
session). :meth:`Scheduler.tick` claims what is due (atomically: another process sharing the
database can't say it too), stores what OS1 says as its own message in the conversation, and hands
an :class:`~os1.core.events.Initiative` event to every outlet. With no outlet attached nothing is
claimed: a reminder that falls due while OS1 is closed is said, as missed, when someone opens it.

:meth:`Scheduler.run` is the loop for an asyncio front-end (the server); :meth:`Scheduler.start_thread`
runs the same loop in a daemon thread for a blocking one (the terminal chat waits in ``input()``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from os1.core.events import Initiative
from os1.expression.times import clock_phrase
from os1.initiative.outbox import Nudge, Outbox, on_schedule
from os1.storage.base import StorageError

if TYPE_CHECKING:
    from os1.core.runtime import Runtime

log = logging.getLogger(__name__)
POLL_S = 5.0  # how often another process's new nudges are noticed (in-process ones wake it at once)
LATE_S = 120.0  # later than this, a nudge is said as missed ("Earlier, at nine, …")
UPKEEP_S = 3600.0  # how often skills top up what they schedule ahead (Skill.upkeep)


@dataclass(frozen=True)
class Outlet:
    """Somewhere OS1 can speak up: ``say`` must not block (queue it) and returns False if it can't."""

    name: str
    say: Callable[[Initiative], bool]


def spoken_text(nudge: Nudge, now: float) -> str:
    """What to say for ``nudge`` at ``now``: its own words on time, or a missed-moment version late."""
    if now - nudge.due_at <= LATE_S:
        return nudge.text
    late = str(nudge.data.get("late_text") or "").strip()
    if late:
        return late
    due = nudge.due
    when = clock_phrase(due) if due.date() == datetime.fromtimestamp(now, due.tzinfo).date() \
        else f"{due.strftime('%A')} at {clock_phrase(due)}"
    return f"Earlier ({when}): {nudge.text}"


class Scheduler:
    def __init__(self, runtime: Runtime, *, poll_s: float | None = None, claimer: str | None = None) -> None:
        self.runtime = runtime
        self.outbox = Outbox(runtime.store)
        self.poll_s = poll_s if poll_s is not None else float(os.environ.get("OS1_INITIATIVE_POLL_S", POLL_S))
        self.claimer = claimer or f"{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._outlets: dict[int, Outlet] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unhook = on_schedule(self.poke)
        self._upkept_at = 0.0

    # -- outlets --------------------------------------------------------------
    def attach(self, outlet: Outlet) -> Callable[[], None]:
        """Start telling ``outlet``; returns the function that detaches it."""
        key = id(outlet)
        with self._lock:
            self._outlets[key] = outlet
        self.poke()  # someone is listening now: say what was missed

        def detach() -> None:
            with self._lock:
                self._outlets.pop(key, None)

        return detach

    @property
    def listening(self) -> bool:
        with self._lock:
            return bool(self._outlets)

    def poke(self) -> None:
        """Look again now (a nudge was just scheduled, or an outlet attached)."""
        self._wake.set()

    # -- one step ---------------------------------------------------------------
    def tick(self, now: float | None = None) -> list[Initiative]:
        """Claim and say every nudge due by ``now``; returns what was said."""
        with self._lock:
            outlets = list(self._outlets.values())
        if not outlets:
            return []
        now = time.time() if now is None else now
        said: list[Initiative] = []
        for nudge in self.outbox.claim_due(self.claimer, now):
            event = self._say(nudge, now, outlets)
            if event is not None:
                said.append(event)
        return said

    def _say(self, nudge: Nudge, now: float, outlets: list[Outlet]) -> Initiative | None:
        text = spoken_text(nudge, now)
        conversations = self.runtime.store.conversations
        conversation_id = nudge.conversation_id
        if not conversation_id or conversations.get(conversation_id) is None:
            latest = conversations.latest()
            conversation_id = latest.id if latest is not None else conversations.create("Conversation").id
        message = conversations.add_message(conversation_id, "assistant", text)
        event = Initiative(text=text, kind=nudge.kind, nudge_id=nudge.id, message_id=message.id,
                           conversation_id=conversation_id, due_at=nudge.due_at,
                           late=now - nudge.due_at > LATE_S, source=nudge.source)
        told = []
        for outlet in outlets:
            try:
                if outlet.say(event):
                    told.append(outlet.name)
            except Exception:  # one broken outlet must not keep the others from hearing it
                log.exception("outlet %s could not say nudge %s", outlet.name, nudge.id)
        if told:
            self.outbox.mark_delivered(nudge.id, ", ".join(told))
            return event
        conversations.delete_messages([message.id])  # nobody heard it: say it again later
        self.outbox.release(nudge.id)
        return None

    def seconds_to_next(self, now: float | None = None) -> float:
        now = time.time() if now is None else now
        nxt = self.outbox.next_due_at()
        if nxt is None:
            return self.poll_s
        return max(0.0, min(self.poll_s, nxt - now))

    def upkeep(self) -> None:
        """Let each skill top up what it schedules ahead (at start-up, then hourly)."""
        self._upkept_at = time.monotonic()
        for skill in self.runtime.skills.skills.values():
            if skill.upkeep is None:
                continue
            try:
                skill.upkeep(self.runtime)
            except Exception:  # one skill's upkeep failing must not stop the reminders of others
                log.exception("upkeep of skill %s failed", skill.name)

    def _safe_tick(self) -> float:
        try:
            if time.monotonic() - self._upkept_at >= UPKEEP_S or not self._upkept_at:
                self.upkeep()
            self.tick()
            return self.seconds_to_next()
        except StorageError as exc:  # the database is busy or gone for a moment: try again later
            log.warning("initiative: %s", exc)
            return self.poll_s
        except Exception:
            log.exception("initiative tick failed")
            return self.poll_s

    # -- loops ---------------------------------------------------------------------
    async def run(self) -> None:
        """Say nudges as they fall due, until cancelled (asyncio front-ends)."""
        try:
            while not self._stop.is_set():
                wait = await asyncio.to_thread(self._safe_tick)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.to_thread(self._wake.wait, wait), wait + 1)
                self._wake.clear()
        finally:
            self._wake.set()  # let the waiting thread go

    def start_thread(self) -> None:
        """Run the loop in a daemon thread (blocking front-ends such as the terminal chat)."""
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.is_set():
                wait = self._safe_tick()
                self._wake.wait(wait)
                self._wake.clear()

        self._thread = threading.Thread(target=loop, name="os1-initiative", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._unhook()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
