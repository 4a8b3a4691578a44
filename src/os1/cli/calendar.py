"""``os1 calendar``: reminders, alarms, events and .ics files from the shell.

The same things work in conversation ("remind me tomorrow at nine to call Amy", "what's on this week?",
"import ~/work.ics"); these commands suit scripts and big imports. Changes are journaled, so ``os1 undo``
takes them back. The first use asks the calendar question ("Shall I keep your calendar and reminders…")
unless it was answered yes before (``--yes`` answers it). Reminders are said by OS1 when due, in the chat,
over the server's WebSocket and out loud, whichever is running.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import click

from os1.cli.skill_support import ask_consent, open_db

QUESTION = "Shall I keep your calendar and reminders for you, and speak up on my own when something's due?"
SCOPE = "calendar"


def _ctx(db: Any) -> Any:
    from os1.skills.base import ToolContext

    return ToolContext(SimpleNamespace(store=db), "cli")  # type: ignore[arg-type]


def _consent(db: Any, yes: bool) -> None:
    """Ask the calendar question unless it was answered yes before (``--yes`` answers it)."""
    ask_consent(db, SCOPE, QUESTION, yes=yes, refusal="Okay, I won't.")


def _run(db: Any, name: str, **arguments: Any) -> Any:
    """Call a calendar tool; its undo goes into the journal (``os1 undo``); a ToolError is one clear line."""
    from os1.skills.base import ToolError
    from os1.skills.calendar import tools

    func = getattr(tools, name)
    try:
        result = func(_ctx(db), **arguments)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
    except ToolError as exc:
        raise click.ClickException(str(exc)) from exc
    if result.undo:
        db.journal.record("calendar", name, result.summary or result.text[:200],
                          {"skill": "calendar", **result.undo})
    return result


def _settle_question(db: Any, result: Any) -> Any:
    """OS1 asked which of two moments was meant: ask here too, then finish with the answer."""
    from os1.skills.calendar import choices

    while result.data.get("question"):
        waiting = choices.load(db.profile, "cli")
        if waiting is None:
            break
        click.echo(result.text)
        if waiting.options:
            for number, option in enumerate(waiting.options, 1):
                click.echo(f"  {number}. {option.label}")
            picked = click.prompt("Which one", type=click.IntRange(1, len(waiting.options)), default=1)
            answer = ("the first one", "the second one", "the third one", "the fourth one")[picked - 1]
            if picked > 2:
                answer = waiting.options[picked - 1].label
        else:
            answer = click.prompt("When", default="", show_default=False)
            if not answer.strip():
                choices.save(db.profile, "cli", None)
                raise click.ClickException("Nothing set: no time given.")
        result = _run(db, "answer", answer=answer)
    return result


def _bar() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True)


@click.group("calendar")
def calendar_group() -> None:
    """Your calendar: reminders, alarms, events, the agenda, and .ics files in and out.

    \b
    os1 calendar remind "tomorrow at nine to call Amy"    also: "wake me at 7", "every Monday at 8 …"
    os1 calendar add "lunch with Amy on Friday at 1"       an event (with an alert 15 minutes before)
    os1 calendar agenda [--days 7] [--date friday]         what's on, events and reminders together
    os1 calendar reminders                                  what's set, with ids
    os1 calendar cancel ID                                  cancel a reminder (os1 undo brings it back)
    os1 calendar import FILE.ics …                          repeats, time zones, alarms; re-import updates
    os1 calendar export FILE.ics                            everything, as one valid iCalendar file
    os1 calendar timezone [ZONE]                            the zone your times are in
    """


@calendar_group.command("remind", short_help="Set a reminder or an alarm in plain words.")
@click.argument("phrase", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Answer yes to the calendar question.")
def remind_command(phrase: tuple[str, ...], yes: bool) -> None:
    """Set a reminder or an alarm: os1 calendar remind "tomorrow at nine to call Amy".

    The words "remind me" are optional. "wake me at 7" or "alarm at 6:30" sets an alarm; "every
    weekday at 7", "on the 1st of every month" repeat. If a time could mean two moments ("at 9" after
    9 am), you are asked which.
    """
    from os1.skills.calendar.phrases import kind_of

    text = " ".join(phrase)
    if kind_of(text) == "event":
        text = f"remind me {text}"
    with open_db() as db:
        _consent(db, yes)
        result = _settle_question(db, _run(db, "remind", phrase=text))
        click.echo(result.text)


@calendar_group.command("add", short_help="Put an event on the calendar in plain words.")
@click.argument("phrase", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Answer yes to the calendar question.")
def add_command(phrase: tuple[str, ...], yes: bool) -> None:
    """Add an event: os1 calendar add "dentist next Tuesday 3pm for an hour".

    It gets an alert 15 minutes before (say "without a reminder" to leave it out). A day without a time
    makes an all-day event.
    """
    with open_db() as db:
        _consent(db, yes)
        result = _settle_question(db, _run(db, "add_event", phrase=" ".join(phrase)))
        click.echo(result.text)


def _parse_day(text: str, zone: str) -> date:
    from os1.skills.calendar import zones
    from os1.skills.calendar.when import parse

    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    now = zones.now_in(zone)
    parsed = parse(text, now, zone, "event")
    if parsed.when is not None:
        return parsed.when.start.astimezone(ZoneInfo(zone)).date()
    if parsed.question is not None:
        return parsed.question.options[0].when.start.astimezone(ZoneInfo(zone)).date()
    raise click.BadParameter(f"{text!r} isn't a day I can read (try 2026-04-03, tomorrow or friday).")


@calendar_group.command("agenda", short_help="What's on: events and reminders together.")
@click.option("--days", default=1, show_default=True, type=click.IntRange(1, 366), help="How many days.")
@click.option("--date", "day", help="Start on this day (2026-04-03, tomorrow, friday …); default: now.")
@click.option("--say", is_flag=True, help="Print it the way OS1 says it, in a few sentences.")
def agenda_command(days: int, day: str | None, say: bool) -> None:
    """What's on, from now (or --date) for --days days: events (repeats expanded) and reminders."""
    from os1.skills.calendar import agenda, alarms, speech, zones
    from os1.skills.calendar.store import CalendarStore

    with open_db() as db:
        _consent(db, False)
        zone = zones.user_zone(db.profile)
        now = zones.now_in(zone)
        where = ZoneInfo(zone)
        if day:
            first = _parse_day(day, zone)
            start = datetime.combine(first, datetime.min.time(), tzinfo=where)
            if first == now.date():
                start = max(now, start)
        else:
            first, start = now.date(), now
        end = datetime.combine(first + timedelta(days=days), datetime.min.time(), tzinfo=where)
        store = CalendarStore(db)
        alarms.refresh(store, now, zone)
        label = speech.day(first, now.date())
        if days > 1:
            label = f"the {days} days from {label}"
        window = agenda.Window(start, end, label)
        found = agenda.items(store, window, zone)
    if say:
        click.echo(agenda.say(found, window, now))
        return
    if not found:
        click.echo(f"Nothing on {label}.")
        return
    current = None
    for item in found:
        if item.start.date() != current:
            current = item.start.date()
            click.echo(f"{current:%a %Y-%m-%d} ({speech.day(current, now.date())})")
        same_day = item.end is not None and item.end.date() == item.start.date()
        at = "all day" if item.all_day else f"{item.start:%H:%M}" + (f"–{item.end:%H:%M}" if same_day else "")
        where_ = f"  @ {item.location}" if item.location else ""
        kind = "" if item.kind == "event" else f"  [{item.kind}]"
        click.echo(f"  {at:<11} {item.title}{where_}{kind}")


@calendar_group.command("reminders", short_help="List the reminders and alarms that are set.")
@click.option("--all", "show_all", is_flag=True, help="Also events' alerts.")
def reminders_command(show_all: bool) -> None:
    """The reminders and alarms still to come, soonest first, with the ids `cancel` takes."""
    from os1.initiative.outbox import Outbox
    from os1.skills.calendar import alarms, recurrence, reminders, zones
    from os1.skills.calendar.store import CalendarStore

    with open_db() as db:
        _consent(db, False)
        zone = zones.user_zone(db.profile)
        store = CalendarStore(db)
        alarms.refresh(store, zones.now_in(zone), zone)
        kinds = ("reminder", "alarm", "event") if show_all else ("reminder", "alarm")
        items = reminders.pending(store, Outbox(db), kinds=kinds)
    if not items:
        click.echo("No reminders or alarms set.")
        return
    for item in items:
        due = item.due(zone)
        repeat = f"  ({recurrence.describe(item.row.rrule)})" if item.row.rrule else ""
        what = item.row.task or ("(alarm)" if item.row.kind == "alarm" else "(reminder)")
        click.echo(f"#{item.row.id:<4} {due:%a %Y-%m-%d %H:%M} {item.row.kind:8} {what}{repeat}")


@calendar_group.command("cancel", short_help="Cancel a reminder or alarm by id (os1 undo brings it back).")
@click.argument("reminder_id", type=int)
def cancel_command(reminder_id: int) -> None:
    """Cancel reminder REMINDER_ID (see `os1 calendar reminders`); `os1 undo` brings it back."""
    from os1.initiative.outbox import Outbox
    from os1.skills.calendar import reminders
    from os1.skills.calendar.store import CalendarStore

    with open_db() as db:
        _consent(db, False)
        store = CalendarStore(db)
        row = store.reminder(reminder_id)
        if row is None or row.cancelled_at is not None:
            raise click.ClickException(f"There's no reminder #{reminder_id} set "
                                       "(see: os1 calendar reminders).")
        nudges = reminders.cancel(store, Outbox(db), row)
        what = row.task or row.kind
        db.journal.record("calendar", "cancel_reminder", f"cancelled {row.kind} #{row.id}: {what}",
                          {"skill": "calendar", "tool": "restore_reminders",
                           "arguments": {"items": [[row.id, nudges]]}})
    click.echo(f"Cancelled #{row.id}: {what}. (os1 undo brings it back.)")


@calendar_group.command("delete", short_help="Take an event off the calendar (os1 undo puts it back).")
@click.argument("what", nargs=-1, required=True)
def delete_command(what: tuple[str, ...]) -> None:
    """Take an event off the calendar: os1 calendar delete "lunch with Amy on Friday"."""
    with open_db() as db:
        _consent(db, False)
        click.echo(_run(db, "delete_event", what=" ".join(what)).text)


@calendar_group.command("import", short_help="Import .ics files (re-importing updates, never doubles).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Answer yes to the calendar question.")
def import_command(files: tuple[Path, ...], yes: bool) -> None:
    """Import events, tasks and alarms from iCalendar FILES.

    Repeats, exceptions and time zones are kept; the same event (same UID) imported again is updated.
    A file that is not a calendar is refused; inside one, what can't be read is skipped and said why
    (unknown time zones use yours, broken repeat rules keep the first time). `os1 undo` takes back the
    last import.
    """
    from os1.skills.calendar import ics, zones
    from os1.skills.calendar.store import CalendarStore

    failed = 0
    with open_db() as db:
        _consent(db, yes)
        zone = zones.user_zone(db.profile)
        store = CalendarStore(db)
        for path in files:
            try:
                with _bar() as bar:
                    task = bar.add_task(f"importing {path.name}", total=None)

                    def step(done: int, total: int, bar: Any = bar, task: Any = task) -> None:
                        bar.update(task, completed=done, total=total)

                    report = ics.import_file(store, path.expanduser(), user_zone=zone, progress=step)
            except ics.CalendarFileError as exc:
                click.secho(f"{path}: {exc} Nothing was changed.", fg="red", err=True)
                failed += 1
                continue
            click.echo(report.describe())
            if report.added_uids or report.previous or report.reminders:
                db.journal.record("calendar", "import_calendar", f"imported {path.name}: {report.added} new, "
                                  f"{report.updated} updated",
                                  {"skill": "calendar", "tool": "undo_import",
                                   "arguments": {"added": report.added_uids, "previous": report.previous}})
    if failed:
        raise SystemExit(1)


@calendar_group.command("export", short_help="Write everything to one .ics file.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--no-reminders", is_flag=True, help="Only events and tasks, not reminders and alarms.")
def export_command(file: Path, force: bool, no_reminders: bool) -> None:
    """Write every event, task and reminder to FILE as one valid iCalendar file (re-importable)."""
    from os1.skills.calendar import ics
    from os1.skills.calendar.store import CalendarStore

    target = file.expanduser()
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists. Use --force to replace it, or another name.")
    with open_db() as db:
        _consent(db, False)
        try:
            report = ics.export_file(CalendarStore(db), target, include_reminders=not no_reminders)
        except OSError as exc:
            raise click.ClickException(f"I couldn't write {target}: {exc.strerror or exc}.") from exc
    counts = ", ".join(_count(n, thing) for n, thing in ((report.events, "event"), (report.tasks, "task")))
    click.echo(f"Wrote {counts} and {_count(report.reminders, 'reminder')} to {target}.")


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


@calendar_group.command("timezone", short_help="Show or set the zone your times are in.")
@click.argument("zone", required=False)
def timezone_command(zone: str | None) -> None:
    """Show the time zone reminders use, or set it: os1 calendar timezone Europe/Paris (or "New York")."""
    with open_db() as db:
        click.echo(_run(db, "time_zone", zone=zone or "").text)
