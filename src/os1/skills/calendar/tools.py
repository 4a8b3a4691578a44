"""Tools of the calendar skill: reminders, alarms, events, the agenda, and iCalendar files.

Everything here needs the ``calendar`` scope (asked once: "Shall I keep your calendar and reminders,
and speak up on my own when something's due?"). Reminders and alarms fire through the initiative
outbox, so OS1 says them in the terminal, over the WebSocket and out loud even when nobody asked just
then. When a time could mean two moments, one short question is asked and the answer ("the later one",
"tomorrow", "pm") finishes the job. Every change is undoable. Titles and places read from calendar files
are outside content: said, never obeyed.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from os1.initiative.outbox import Outbox
from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.calendar import agenda as agenda_mod
from os1.skills.calendar import alarms, choices, events, recurrence, reminders, speech, zones
from os1.skills.calendar.ics import CalendarFileError, export_file, import_file
from os1.skills.calendar.phrases import kind_of, understand
from os1.skills.calendar.store import CalendarStore
from os1.skills.calendar.when import Parsed, When

FROM_FILES = "calendar entries imported from files"  # outside words: a calendar file can say anything
ANSWER_HINT = "Tonight. Tomorrow morning. The earlier one. The later one. This Friday. Next week."


# -- plumbing ------------------------------------------------------------------------------------------------
def _store(ctx: ToolContext) -> CalendarStore:
    return CalendarStore(ctx.runtime.store)


def _outbox(ctx: ToolContext) -> Outbox:
    return Outbox(ctx.runtime.store)


def _zone(ctx: ToolContext) -> str:
    return zones.user_zone(ctx.runtime.store.profile)


def _now(zone: str) -> datetime:
    return zones.now_in(zone)


def _profile(ctx: ToolContext) -> Any:
    return ctx.runtime.store.profile


def _moment(when: When, now: datetime, user_zone: str) -> str:
    """"tomorrow at 9 am", "in 20 minutes (at 2:40 pm)", "every Monday at 8 am, starting Monday"."""
    here = now.astimezone(ZoneInfo(user_zone))
    start = when.start.astimezone(ZoneInfo(user_zone))
    if when.rrule:
        rule = recurrence.describe(when.rrule)
        if re.search(r"FREQ=(HOURLY|MINUTELY)", when.rrule):
            return f"{rule}, starting at {speech.clock(start)}"
        return f"{rule} at {speech.clock(when.start)}, starting {speech.day(start.date(), here.date())}"
    if when.after is not None:
        return f"in {speech.span(when.after)} (at {speech.clock(start)})"
    said = speech.moment(start, here, all_day=when.all_day)
    if when.zone != user_zone and not when.all_day:
        said = f"{speech.moment(when.start, when.start, all_day=False).replace('this morning at ', 'at ')} " \
               f"{when.zone.rsplit('/', 1)[-1].replace('_', ' ')} time ({said} here)"
    return said


def _alarm_moment(when: When, now: datetime, user_zone: str) -> str:
    """"7 am tomorrow", "6:30 am every weekday", "10:20 pm (in 8 hours)"."""
    start = when.start.astimezone(ZoneInfo(user_zone))
    if when.rrule:
        return f"{speech.clock(start)} {recurrence.describe(when.rrule)}"
    if when.after is not None:
        return f"{speech.clock(start)} (in {speech.span(when.after)})"
    return f"{speech.clock(start)} {speech.on_day(start.date(), now.astimezone(ZoneInfo(user_zone)).date())}"


def _notes(when: When) -> str:
    kept = [n for n in when.notes if not n.startswith("in ") and not n.startswith("next month")]
    if not kept:
        return ""
    text = "; ".join(kept)
    return f" ({text[0].upper() + text[1:]}.)"


def _remind_clause(task: str) -> str:
    """"remind you to call Amy", "remind you about the rent", "remind you"."""
    if not task:
        return "remind you"
    text = speech.your(task)
    low = text.lower()
    if low.startswith(("about ", "that ", "of ")):
        return f"remind you {text}"
    if low.split()[0] in ("the", "a", "an", "your", "his", "her", "their"):
        return f"remind you about {text}"
    return f"remind you to {text}"


def _await_answer(ctx: ToolContext, waiting: choices.Waiting) -> None:
    """Keep the question, and have the next reply come to :func:`answer` whatever it is ("the later
    one", "the 2nd"), before any other skill can take it; a reply that isn't an answer is routed as usual."""
    choices.save(_profile(ctx), ctx.conversation_id, waiting)
    ctx.runtime.store.conversations.set_pending(ctx.conversation_id, {
        "kind": "choice", "skill": "calendar", "tool": "answer", "arguments": {}, "scopes": []})


def _ask(ctx: ToolContext, parsed: Parsed, action: str, details: dict[str, Any]) -> ToolResult:
    assert parsed.question is not None
    options = [choices.Choice(o.label, list(o.answers), o.when.to_dict()) for o in parsed.question.options]
    waiting = choices.Waiting(action, parsed.question.text, options, details)
    _await_answer(ctx, waiting)
    return ToolResult(text=parsed.question.text, data={"question": parsed.question.text,
                                                       "options": [o.label for o in options]},
                      expect=ANSWER_HINT, summary=f"asked: {parsed.question.text}")


def _ask_time(ctx: ToolContext, action: str, details: dict[str, Any], question: str) -> ToolResult:
    _await_answer(ctx, choices.Waiting(action, question, [], details))
    return ToolResult(text=question, data={"question": question},
                      expect="In 20 minutes. Tomorrow at 9. Tonight at 8. On Friday morning.")


# -- reminders and alarms ------------------------------------------------------------------------------------
def _schedule(ctx: ToolContext, kind: str, task: str, phrase: str, when: When) -> ToolResult:
    zone = _zone(ctx)
    now = _now(zone)
    if when.start <= now and not when.rrule:
        raise ToolError(f"That's in the past ({speech.moment(when.start, now)}). When should I "
                        f"{_remind_clause(task) if kind != 'alarm' else 'wake you'}?")
    row = reminders.schedule(_store(ctx), _outbox(ctx), kind=kind, task=task, phrase=phrase, when=when,
                             conversation_id=ctx.conversation_id)
    moment = _moment(when, now, zone)
    if kind == "alarm":
        text = f"Alarm set for {_alarm_moment(when, now, zone)}"
        text += f" — I'll {_remind_clause(task)}." if task else "."
    else:
        text = f"Okay — {moment}, I'll {_remind_clause(task)}."
    text = text[0].upper() + text[1:] + _notes(when)
    return ToolResult(
        text=text,
        data={"reminder_id": row.id, "due": when.start.isoformat(), "tz": when.zone, "rrule": when.rrule,
              "kind": kind, "says": row.said},
        undo={"tool": "forget_reminder", "arguments": {"reminder_id": row.id}},
        summary=f"{'alarm' if kind == 'alarm' else 'reminder'} {moment}" + (f": {task}" if task else ""),
    )


_WANTS = re.compile(r"^(i'?d like|i would like|i need|i want|can i (have|get)|could i (have|get))\s+"
                    r"(?=(a|an|my)\s)", re.I)


@tool("reversible")
def remind(ctx: ToolContext, phrase: str) -> ToolResult:
    """Set a reminder or an alarm in plain words ("remind me tomorrow at 9 to call Amy", "wake me at 7")."""
    zone = _zone(ctx)
    choices.save(_profile(ctx), ctx.conversation_id, None)  # a new request: an old question is moot
    phrase = _WANTS.sub("set ", phrase.strip(), count=1)  # "I'd like a reminder …" = "set a reminder …"
    kind = kind_of(phrase)
    request = understand(phrase, _now(zone), zone, "event" if kind == "event" else kind)
    kind = "alarm" if request.kind == "alarm" else "reminder"
    details = {"kind": kind, "task": request.what, "phrase": phrase}
    parsed = request.parsed
    if parsed.error:
        raise ToolError(f"{parsed.error} When should I {_remind_clause(request.what)}?")
    if parsed.question is not None:
        return _ask(ctx, parsed, "remind", details)
    if parsed.when is None:
        question = "What time should I wake you?" if kind == "alarm" else \
            f"When should I {_remind_clause(request.what)}?"
        return _ask_time(ctx, "remind", details, question)
    if kind == "alarm" and not parsed.when.time_said and parsed.when.after is None:
        day = speech.day(parsed.when.start.date(), _now(zone).date())
        return _ask_time(ctx, "remind", details, f"What time should I wake you {day}?")
    return _schedule(ctx, kind, request.what, phrase, parsed.when)


@tool("reversible", journaled=False)
def forget_reminder(ctx: ToolContext, reminder_id: int) -> ToolResult:
    """Take back a reminder just set."""
    row = reminders.forget(_store(ctx), _outbox(ctx), reminder_id)
    if row is None:
        raise ToolError("That reminder is gone already.")
    return ToolResult(text="I won't remind you" + (f" to {speech.your(row.task)}." if row.task else ".")
                      if row.kind != "alarm" else "Alarm off.")


@tool("read")
def list_reminders(ctx: ToolContext) -> ToolResult:
    """Say which reminders and alarms are set."""
    store, zone = _store(ctx), _zone(ctx)
    now = _now(zone)
    alarms.refresh(store, now, zone)
    items = reminders.pending(store, _outbox(ctx))
    alerts = reminders.pending(store, _outbox(ctx), kinds=("event",))
    if not items:
        tail = f" (Events will still speak up: {len(alerts)} coming.)" if alerts else ""
        return ToolResult(text="You have no reminders or alarms set." + tail, data={"reminders": []})
    lines = []
    for item in items[:12]:
        due = item.due(zone)
        when = speech.moment(due, now)
        if item.row.rrule:
            following = speech.day(due.date(), now.date())
            when = f"{recurrence.describe(item.row.rrule)} at {speech.clock(due)} (next {following})"
        if item.row.kind == "alarm":
            what = "alarm" + (f": {speech.your(item.row.task)}" if item.row.task else "")
        else:
            what = speech.your(item.row.task) or "(no text)"
        lines.append(f"- {when}: {what}")
    more = f"\n…and {len(items) - 12} more." if len(items) > 12 else ""
    extra = f"\nEvents with alerts coming up: {len(alerts)}." if alerts else ""
    count = f"{len(items)} reminder" + ("s" if len(items) != 1 else "")
    return ToolResult(text=f"You have {count} set:\n" + "\n".join(lines) + more + extra,
                      data={"reminders": [{"id": i.row.id, "kind": i.row.kind, "task": i.row.task,
                                           "next": i.next_at, "rrule": i.row.rrule} for i in items]})


def _describe(item: reminders.Pending, zone: str, now: datetime) -> str:
    due = item.due(zone)
    if item.row.kind == "alarm":
        repeat = f" ({recurrence.describe(item.row.rrule)})" if item.row.rrule else ""
        return f"your {speech.clock(due)} alarm{repeat}"
    if item.row.kind == "event":
        return f"the alert for {item.row.task}"
    if item.row.rrule:
        when = f"{recurrence.describe(item.row.rrule)} at {speech.clock(due)}"
    else:
        when = speech.moment(due, now)
    if not item.row.task:
        return f"the reminder {when}"
    return f"the reminder to {speech.your(item.row.task)} ({when})"


def _cancel(ctx: ToolContext, chosen: list[reminders.Pending], zone: str, now: datetime) -> ToolResult:
    store, outbox = _store(ctx), _outbox(ctx)
    undone = []
    for item in chosen:
        undone.append([item.row.id, reminders.cancel(store, outbox, item.row)])
    named = _describe(chosen[0], zone, now) if len(chosen) == 1 else f"{len(chosen)} reminders"
    return ToolResult(text=f"Okay, I cancelled {named}. Say “undo” to bring it back." if len(chosen) == 1
                      else f"Okay, I cancelled {named}. Say “undo” to bring them back.",
                      data={"cancelled": [i.row.id for i in chosen]},
                      undo={"tool": "restore_reminders", "arguments": {"items": undone}},
                      summary=f"cancelled {named}")


@tool("reversible")
def cancel_reminder(ctx: ToolContext, request: str) -> ToolResult:
    """Cancel a reminder or an alarm ("cancel the reminder about Amy", "cancel my 7 am alarm")."""
    store, zone = _store(ctx), _zone(ctx)
    now = _now(zone)
    items = reminders.pending(store, _outbox(ctx), kinds=("reminder", "alarm", "event"))
    asked = reminders.what_to_cancel(request)
    what, alarms_only = asked.topic, asked.alarms_only
    own = [i for i in items if i.row.kind != "event" and (i.row.kind == "alarm" or not alarms_only)]
    if asked.everything:
        if not own:
            things = "alarms" if alarms_only else "reminders"
            return ToolResult(text=f"There's nothing to cancel: no {things} are set.")
        return _cancel(ctx, own, zone, now)
    if not items:
        return ToolResult(text="There's nothing to cancel: no reminders or alarms are set.")
    if what:
        found = reminders.find(own if alarms_only else items, what, zone, now)
        mine = [i for i in found if i.row.kind != "event"]
        about_events = re.search(r"\b(event|alert|appointment|meeting)\b", what, re.I)
        if mine and len(mine) < len(found) and not about_events:
            found = mine  # "the reminder about Amy": the one they set, not an event's alert
    else:
        found = own
    if not found:
        kind = "an alarm" if alarms_only else "a reminder"
        about = f" about “{what}”" if what else ""
        return ToolResult(text=f"I couldn't find {kind}{about}. " + _listing(items, zone, now))
    if len(found) == 1:
        return _cancel(ctx, found, zone, now)
    options = []
    for index, item in enumerate(found[:4]):
        due = item.due(zone)
        words = [speech.clock(due), speech.clock(due).replace(" ", ""),
                 speech.day(due.date(), now.date()).lower(),
                 *[w for w in item.row.task.lower().split() if len(w) > 3], speech.ordinal(index + 1)]
        options.append(choices.Choice(_describe(item, zone, now), words, None, item.row.id))
    labels = [o.label for o in options]
    question = "Which one: " + ", ".join(labels[:-1]) + f" or {labels[-1]}?"
    _await_answer(ctx, choices.Waiting("cancel", question, options, {}))
    return ToolResult(text=question, expect="The earlier one. The later one. The one about Amy.")


def _listing(items: list[reminders.Pending], zone: str, now: datetime) -> str:
    shown = [_describe(i, zone, now) for i in items[:4]]
    return "You have " + (", ".join(shown) if shown else "none") + "."


@tool("reversible", journaled=False)
def restore_reminders(ctx: ToolContext, items: list[list[Any]]) -> ToolResult:
    """Bring back cancelled reminders."""
    store, outbox = _store(ctx), _outbox(ctx)
    back = 0
    for reminder_id, nudge_ids in items:
        if reminders.restore(store, outbox, int(reminder_id), [int(i) for i in nudge_ids]) is not None:
            back += 1
    return ToolResult(text="It's back on." if back == 1 else f"Brought back {back} reminders.")


# -- answers to the one short question -----------------------------------------------------------------------
@tool("reversible")
def answer(ctx: ToolContext, answer: str) -> ToolResult:
    """The answer to my question about a reminder or event ("the later one", "tomorrow", "pm")."""
    profile, zone = _profile(ctx), _zone(ctx)
    now = _now(zone)
    waiting = choices.load(profile, ctx.conversation_id)
    if waiting is None:
        return ToolResult(text="I'm not sure what that's for. Tell me the whole thing, like "
                               "“remind me tomorrow at 9 to call Amy”.", defer=True)
    if not waiting.options:  # waiting for a time
        return _answer_time(ctx, waiting, answer, now, zone)
    picked = choices.pick(waiting, answer, now, zone)
    if picked is None:
        if _something_else(ctx, answer):  # not an answer but a new request: let it be routed as usual
            return ToolResult(text="", defer=True)
        _await_answer(ctx, waiting)
        return ToolResult(text=f"Sorry, which did you mean? {waiting.question}", expect=ANSWER_HINT)
    choices.save(profile, ctx.conversation_id, None)
    if picked < 0:
        return ToolResult(text="Okay, I've left it.")
    option = waiting.options[picked]
    if waiting.action == "cancel":
        items = [i for i in reminders.pending(_store(ctx), _outbox(ctx), kinds=("reminder", "alarm", "event"))
                 if i.row.id == option.value]
        if not items:
            return ToolResult(text="That one has already gone.")
        return _cancel(ctx, items, zone, now)
    assert option.when is not None
    return _finish(ctx, waiting, When.from_dict(option.when))


def _something_else(ctx: ToolContext, text: str) -> bool:
    """Whether a reply to my question is rather a new request (long, or another skill's request)."""
    if len(text.split()) > 4:
        return True
    route = ctx.runtime.router.route(text)
    return route is not None and route.skill != "calendar"


def _answer_time(ctx: ToolContext, waiting: choices.Waiting, text: str, now: datetime,
                 zone: str) -> ToolResult:
    details = waiting.details
    parsed = understand(text, now, zone, details.get("kind", "reminder")).parsed
    if parsed.question is not None:
        return _ask(ctx, parsed, waiting.action, details)
    if parsed.when is None:
        if _something_else(ctx, text):
            return ToolResult(text="", defer=True)
        _await_answer(ctx, waiting)
        return ToolResult(text=f"Sorry, I didn't catch a time in that. {waiting.question}",
                          expect="In 20 minutes. Tomorrow at 9. Tonight at 8.")
    choices.save(_profile(ctx), ctx.conversation_id, None)
    return _finish(ctx, waiting, parsed.when)


def _finish(ctx: ToolContext, waiting: choices.Waiting, when: When) -> ToolResult:
    details = waiting.details
    if waiting.action == "event":
        return _add_event(ctx, details.get("title", ""), details.get("phrase", ""), when)
    return _schedule(ctx, details.get("kind", "reminder"), details.get("task", ""), details.get("phrase", ""),
                     when)


# -- events --------------------------------------------------------------------------------------------------
def _add_event(ctx: ToolContext, title: str, phrase: str, when: When) -> ToolResult:
    store, zone = _store(ctx), _zone(ctx)
    now = _now(zone)
    title = events.strip_alert_words(title) or "Event"
    alert = events.DEFAULT_ALERT if events.wants_alert(phrase) and not when.all_day else None
    clashes = [] if when.all_day else _clashes(store, when, zone)
    row = events.add(store, title=title, when=when, phrase=phrase, user_zone=zone, alert=alert, now=now)
    moment = _moment(when, now, zone)
    until = ""
    if when.end and not when.rrule:
        until = f" until {speech.clock(when.end.astimezone(ZoneInfo(zone)))}"
    moment = moment[3:] if moment.startswith("on ") else moment
    text = f"Added: {title}, {moment}{until}."
    if alert is not None:
        text += f" I'll remind you {speech.span(alert)} before."
    if clashes:
        others = ", ".join(f"{c.title} at {speech.clock(c.start)}" for c in clashes[:2])
        text += f" Heads up: that overlaps {others}."
    return ToolResult(text=text + _notes(when),
                      data={"uid": row.uid, "start": when.start.isoformat(), "tz": when.zone,
                            "rrule": when.rrule, "all_day": when.all_day},
                      undo={"tool": "forget_event", "arguments": {"uid": row.uid}},
                      summary=f"added {title}, {moment}")


def _clashes(store: CalendarStore, when: When, zone: str) -> list[agenda_mod.Item]:
    end = when.end or when.start + timedelta(hours=1)
    found = agenda_mod.event_items(store, when.start, end, zone)
    return [i for i in found
            if not i.all_day and i.start < end and (i.end or i.start + timedelta(hours=1)) > when.start]


@tool("reversible")
def add_event(ctx: ToolContext, phrase: str) -> ToolResult:
    """Put an event on the calendar from plain words ("lunch with Amy on Friday at 1")."""
    zone = _zone(ctx)
    choices.save(_profile(ctx), ctx.conversation_id, None)  # a new request: an old question is moot
    request = understand(phrase, _now(zone), zone, "event")
    parsed = request.parsed
    details = {"kind": "event", "title": request.what, "phrase": phrase}
    if parsed.error:
        raise ToolError(parsed.error)
    if parsed.question is not None:
        return _ask(ctx, parsed, "event", details)
    if parsed.when is None:
        return _ask_time(ctx, "event", details, f"When is {request.what or 'it'}?")
    return _add_event(ctx, request.what, phrase, parsed.when)


@tool("reversible", journaled=False)
def forget_event(ctx: ToolContext, uid: str) -> ToolResult:
    """Take back an event just added."""
    store = _store(ctx)
    row = store.event_by_uid(uid)
    if row is None:
        raise ToolError("That event is gone already.")
    events.remove(store, uid)
    return ToolResult(text=f"Took {row.summary} off your calendar.")


def _when_next(found: events.Found, now: datetime) -> str:
    return speech.moment(found.next_start, now) if found.next_start else "no date"


@tool("reversible")
def delete_event(ctx: ToolContext, what: str) -> ToolResult:
    """Take an event off the calendar ("cancel lunch with Amy", "delete the dentist appointment")."""
    store, zone = _store(ctx), _zone(ctx)
    now = _now(zone)
    parsed = understand(what, now, zone, "event").parsed
    day = parsed.when.start if parsed.when is not None else None
    words = parsed.rest if parsed.when is not None else what
    found = events.find(store, words, now, zone, day)
    if not found:
        raise ToolError(f"I couldn't find “{what}” on your calendar.")
    if len(found) > 1 and len({f.row.uid for f in found}) > 1:
        names = ", ".join(f"{f.row.summary} ({_when_next(f, now)})" for f in found[:3])
        raise ToolError(f"Which one? I found {names}. Say it with the day, like "
                        f"“cancel {found[0].row.summary} on Friday”.")
    row = found[0].row
    events.remove(store, row.uid)
    repeats = " (all of its repeats)" if row.rrule else ""
    when = f", {speech.moment(found[0].next_start, now)}" if found[0].next_start else ""
    return ToolResult(text=f"Took {row.summary}{when} off your calendar{repeats}. Say “undo” to put it back.",
                      undo={"tool": "restore_event", "arguments": {"uid": row.uid}},
                      summary=f"removed {row.summary}{when}")


@tool("reversible", journaled=False)
def restore_event(ctx: ToolContext, uid: str) -> ToolResult:
    """Put a removed event back."""
    row = events.restore(_store(ctx), uid, _zone(ctx))
    if row is None:
        raise ToolError("I can't find that event any more.")
    return ToolResult(text=f"{row.summary} is back on your calendar.")


# -- the agenda ----------------------------------------------------------------------------------------------
@tool("read")
def agenda(ctx: ToolContext, when: str) -> ToolResult:
    """Say what's on: today, tomorrow, this week, or a given day — events and reminders together."""
    store, zone = _store(ctx), _zone(ctx)
    now = _now(zone)
    alarms.refresh(store, now, zone)
    window = agenda_mod.window_of(when or "today", now, zone)
    found = agenda_mod.items(store, window, zone)
    text = agenda_mod.say(found, window, now)
    outside = any(i.kind in ("event", "task") and (row := store.event_by_uid(i.ref)) is not None
                  and row.origin != "said" for i in found)
    return ToolResult(text=text, data={"from": window.start.isoformat(), "to": window.end.isoformat(),
                                       "items": [{"start": i.start.isoformat(), "title": i.title,
                                                  "kind": i.kind, "all_day": i.all_day} for i in found]},
                      untrusted=FROM_FILES if outside else "")


# -- files ---------------------------------------------------------------------------------------------------
@tool("reversible")
async def import_calendar(ctx: ToolContext, path: str) -> ToolResult:
    """Import events from an iCalendar (.ics) file; the same events again update instead of doubling."""
    store, zone = _store(ctx), _zone(ctx)
    where = Path(path).expanduser()
    try:
        report = await asyncio.to_thread(import_file, store, where, user_zone=zone)
    except CalendarFileError as exc:
        raise ToolError(f"{exc} Nothing was changed.") from exc
    changed = bool(report.added_uids or report.previous or report.reminders)
    return ToolResult(
        text=report.describe().replace(str(Path.home()), "~"),
        data={"events": report.events, "tasks": report.tasks, "added": report.added,
              "updated": report.updated, "skipped": len(report.skipped)},
        undo={"tool": "undo_import", "arguments": {"added": report.added_uids, "previous": report.previous}}
        if changed else None,
        summary=f"imported {where.name}: {report.added} new, {report.updated} updated",
        untrusted=FROM_FILES)


@tool("reversible", journaled=False)
def undo_import(ctx: ToolContext, added: list[str], previous: list[dict[str, Any]]) -> ToolResult:
    """Take back an import: new events go, changed ones go back to how they were."""
    store, zone = _store(ctx), _zone(ctx)
    for uid in added:
        events.remove(store, uid)
        store.delete_event(uid, hard=True)
    for snapshot in previous:
        store.put_back(snapshot)
        row = store.event_by_uid(snapshot["uid"])
        if row is not None:
            alarms.refresh_event(store, row, _now(zone), zone)
    removed = f"{len(added)} event" + ("s" if len(added) != 1 else "")
    restored = f", put {len(previous)} back as they were." if previous else "."
    return ToolResult(text=f"Took back the import: removed {removed}{restored}")


def _free_path(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 1000):
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
    raise ToolError(f"{path} exists; give me another name.")


@tool("read")
async def export_calendar(ctx: ToolContext, path: str = "") -> ToolResult:
    """Save the whole calendar (events, tasks and reminders) as an iCalendar (.ics) file."""
    target = Path(path).expanduser() if path else Path.home() / "os1-calendar.ics"
    if target.is_dir():
        target = target / "os1-calendar.ics"
    if target.suffix.lower() not in (".ics", ".ical"):
        target = target.with_suffix(".ics")
    target = _free_path(target)
    try:
        report = await asyncio.to_thread(export_file, _store(ctx), target)
    except OSError as exc:
        raise ToolError(f"I couldn't write {target}: {exc.strerror or exc}.") from exc
    shown = str(target).replace(str(Path.home()), "~")
    parts = [f"{report.events} event" + ("s" if report.events != 1 else "")]
    if report.tasks:
        parts.append(f"{report.tasks} task" + ("s" if report.tasks != 1 else ""))
    if report.reminders:
        parts.append(f"{report.reminders} reminder" + ("s" if report.reminders != 1 else ""))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return ToolResult(text=f"Saved {listed} to {shown}.", data={"path": str(target)})


# -- the time zone -------------------------------------------------------------------------------------------
@tool("reversible")
def time_zone(ctx: ToolContext, zone: str = "") -> ToolResult:
    """Say or set the time zone reminders use ("my time zone is Europe/Paris")."""
    profile = _profile(ctx)
    current = zones.user_zone(profile)
    if not zone.strip():
        there = speech.clock(_now(current))
        return ToolResult(text=f"I'm using {current} for your times (it's {there} there).")
    before = profile.get(zones.PROFILE_KEY) or ""
    try:
        chosen = zones.set_user_zone(profile, zone)
    except ValueError as exc:
        raise ToolError(str(exc)) from exc
    return ToolResult(text=f"Okay, your time zone is {chosen} now (it's {speech.clock(_now(chosen))} there). "
                           "Reminders already set keep their moment.",
                      undo={"tool": "restore_time_zone", "arguments": {"zone": before}},
                      summary=f"time zone set to {chosen}")


@tool("reversible", journaled=False)
def restore_time_zone(ctx: ToolContext, zone: str = "") -> ToolResult:
    """Put the time zone back."""
    _profile(ctx).set(zones.PROFILE_KEY, zone or None)
    return ToolResult(text=f"Your time zone is {zones.user_zone(_profile(ctx))} again.")
