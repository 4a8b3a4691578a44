"""Natural-language times: the moments reminders land on, DST, zones, repeats, and when OS1 asks instead."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from os1.initiative.outbox import next_occurrence
from os1.skills.calendar import choices, speech
from os1.skills.calendar.phrases import understand
from os1.skills.calendar.when import parse

PARIS = "Europe/Paris"
# Wednesday 25 March 2026, 14:20 in Paris; the clocks go forward on Sunday 29 March at 02:00
NOW = datetime(2026, 3, 25, 14, 20, tzinfo=ZoneInfo(PARIS))


def at(text: str, now: datetime = NOW, kind: str = "") -> datetime:
    request = understand(text, now, PARIS, kind)
    assert request.parsed.question is None, request.parsed.question
    assert request.parsed.when is not None, (text, request.parsed)
    return request.parsed.when.start


def local(*args: int, zone: str = PARIS) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(("text", "expected"), [
    ("remind me tomorrow at nine to call Amy", local(2026, 3, 26, 9, 0)),
    ("remind me in 20 minutes to check the oven", local(2026, 3, 25, 14, 40)),
    ("remind me on the 3rd of December to pay rent", local(2026, 12, 3, 9, 0)),
    ("remind me in an hour and a half to leave", local(2026, 3, 25, 15, 50)),
    ("remind me tomorrow morning to water the plants", local(2026, 3, 26, 9, 0)),
    ("remind me at noon to eat", local(2026, 3, 26, 12, 0)),  # noon has passed today
    ("remind me next Tuesday at 3:30pm to call Bob", local(2026, 3, 31, 15, 30)),
    ("remind me on Dec 3rd at 10 to buy gifts", local(2026, 12, 3, 10, 0)),
    ("remind me this evening to call dad", local(2026, 3, 25, 18, 0)),
    ("remind me in 2 weeks to renew my passport", local(2026, 4, 8, 14, 20)),  # same wall-clock time
    ("remind me tomorow at 8 to feed the cat", local(2026, 3, 26, 8, 0)),  # typo
    ("remind me on thrusday at 4 to pay Joe", local(2026, 3, 26, 16, 0)),  # typo; 4 → pm
    ("remind me in twenty-five minutes to stir", local(2026, 3, 25, 14, 45)),
    ("remind me at quarter to six to start the oven", local(2026, 3, 25, 17, 45)),
    ("remind me on March 3rd to renew the insurance", local(2027, 3, 3, 9, 0)),  # passed: next year
    ("remind me tomorrow at nine fifteen to call", local(2026, 3, 26, 9, 15)),  # spoken clock times
    ("remind me at seven forty-five pm to call", local(2026, 3, 25, 19, 45)),
    ("remind me at 1530 to call the garage", local(2026, 3, 25, 15, 30)),
    ("remind me on the 2nd Tuesday of next month", local(2026, 4, 14, 9, 0)),
    ("remind me on the last Friday of the month to do payroll", local(2026, 3, 27, 9, 0)),
])
def test_reminder_phrases_land_where_a_person_expects(text: str, expected: datetime) -> None:
    assert at(text) == expected


def test_the_task_keeps_the_users_own_words() -> None:
    assert understand("remind me tomorrow at nine to call Amy", NOW, PARIS).what == "call Amy"
    assert understand("tomorrow at 9 remind me to call my Mom", NOW, PARIS).what == "call my Mom"
    assert understand("remind me about the meeting at 5pm", NOW, PARIS).what == "about the meeting"
    event = understand("lunch with Amy on Friday at 1", NOW, PARIS)
    assert (event.kind, event.what) == ("event", "Lunch with Amy")
    assert event.parsed.when is not None and event.parsed.when.start == local(2026, 3, 27, 13, 0)


def test_wake_me_is_an_alarm_and_bare_hours_are_morning() -> None:
    request = understand("wake me at 7", NOW, PARIS)
    assert request.kind == "alarm" and request.what == ""
    assert request.parsed.when is not None and request.parsed.when.start == local(2026, 3, 26, 7, 0)
    assert at("set an alarm for 6", kind="alarm") == local(2026, 3, 26, 6, 0)  # not 6 pm


def test_events_have_lengths_ranges_and_all_day() -> None:
    dentist = understand("dentist next Tuesday 3pm for an hour", NOW, PARIS).parsed.when
    assert dentist is not None and dentist.start == local(2026, 3, 31, 15, 0)
    assert dentist.end == local(2026, 3, 31, 16, 0)
    meeting = understand("team meeting tomorrow from 11 to 1pm", NOW, PARIS, "event").parsed.when
    assert meeting is not None and meeting.end is not None
    assert (meeting.start.hour, meeting.end.hour) == (11, 13)
    birthday = understand("Mom's birthday on May 3", NOW, PARIS, "event").parsed.when
    assert birthday is not None and birthday.all_day and birthday.start.date().isoformat() == "2026-05-03"
    assert at("dinner with Sam on Saturday at 8", kind="event").hour == 20  # dinner: pm


def test_repeats_become_rules_starting_at_the_first_occurrence() -> None:
    cases = {
        "remind me every Monday at 8 to take out the trash": ("FREQ=WEEKLY;BYDAY=MO",
                                                              local(2026, 3, 30, 8, 0)),
        "remind me every weekday at 7 to stretch": ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                                                    local(2026, 3, 26, 7, 0)),
        "remind me every other Tuesday at 6 to go to book club": ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                                                                  local(2026, 3, 31, 18, 0)),
        "remind me on the 1st of every month to pay rent": ("FREQ=MONTHLY;BYMONTHDAY=1",
                                                            local(2026, 4, 1, 9, 0)),
        "remind me every 2 hours to drink water": ("FREQ=HOURLY;INTERVAL=2", local(2026, 3, 25, 16, 20)),
        "remind me weekly on Fridays to send the report": ("FREQ=WEEKLY;BYDAY=FR", local(2026, 3, 27, 9, 0)),
        "remind me every 2nd Tuesday to go to the club": ("FREQ=MONTHLY;BYDAY=2TU", local(2026, 4, 14, 9, 0)),
    }
    for text, (rule, first) in cases.items():
        when = understand(text, NOW, PARIS).parsed.when
        assert when is not None and (when.rrule, when.start) == (rule, first), text


def test_the_31st_of_every_month_falls_on_the_last_day_of_shorter_months() -> None:
    when = understand("remind me on the 31st of every month to pay rent", NOW, PARIS).parsed.when
    assert when is not None and "BYSETPOS=-1" in when.rrule
    april = next_occurrence(when.rrule, when.start.timestamp(), when.start.timestamp(), PARIS)
    assert april is not None
    assert datetime.fromtimestamp(april, ZoneInfo(PARIS)).date().isoformat() == "2026-04-30"


# -- daylight saving time ------------------------------------------------------------------------------------
def test_a_time_the_clocks_skip_moves_forward_and_says_so() -> None:
    when = understand("remind me on Sunday at 2:30 am to check the clocks", NOW, PARIS).parsed.when
    assert when is not None and when.start == local(2026, 3, 29, 3, 30)
    assert when.start.utcoffset() == timedelta(hours=2)
    assert any("clocks go forward" in note for note in when.notes)


def test_spans_of_hours_are_exact_across_the_change_and_days_keep_the_clock() -> None:
    assert at("remind me in 100 hours") == local(2026, 3, 29, 19, 20)  # 100 real hours: one was skipped
    assert at("remind me in 5 days") == local(2026, 3, 30, 14, 20)  # same wall-clock time after the change


def test_a_daily_reminder_stays_at_nine_after_the_clocks_change() -> None:
    when = understand("remind me every day at 9 to take my pills", NOW, PARIS).parsed.when
    assert when is not None and when.start == local(2026, 3, 26, 9, 0)
    moment: float | None = when.start.timestamp()
    for _ in range(5):  # Thursday … Monday, across Sunday's change
        assert moment is not None
        moment = next_occurrence(when.rrule, when.start.timestamp(), moment, PARIS)
        assert moment is not None and datetime.fromtimestamp(moment, ZoneInfo(PARIS)).hour == 9


def test_a_time_that_happens_twice_when_the_clocks_go_back_is_the_first_one() -> None:
    october = datetime(2026, 10, 24, 12, 0, tzinfo=ZoneInfo(PARIS))  # the clocks go back on the 25th at 3:00
    start = at("remind me tomorrow at 2:30 am to check the boiler", now=october)
    assert start.utcoffset() == timedelta(hours=2)  # 2:30 summer time, the first of the two


# -- zones ---------------------------------------------------------------------------------------------------
def test_a_named_zone_is_kept_for_the_reminder() -> None:
    when = understand("remind me at 9am New York time to call Dan", NOW, PARIS).parsed.when
    assert when is not None and when.zone == "America/New_York"
    assert when.start == local(2026, 3, 26, 9, 0, zone="America/New_York")
    london = understand("remind me tomorrow at 3pm London time", NOW, PARIS).parsed.when
    assert london is not None and london.zone == "Europe/London"


# -- asking when it matters ----------------------------------------------------------------------------------
def test_at_nine_after_nine_am_asks_tonight_or_tomorrow_morning() -> None:
    question = parse("remind me at 9 to call mom", NOW, PARIS).question
    assert question is not None and question.text == "Tonight at 9 pm or tomorrow at 9 am?"
    assert [o.when.start for o in question.options] == [local(2026, 3, 25, 21, 0), local(2026, 3, 26, 9, 0)]
    early = datetime(2026, 3, 25, 7, 0, tzinfo=ZoneInfo(PARIS))
    assert at("remind me at 9 to call mom", now=early) == local(2026, 3, 25, 9, 0)  # no question needed
    late = datetime(2026, 3, 25, 22, 0, tzinfo=ZoneInfo(PARIS))
    assert at("remind me at 9 to call mom", now=late) == local(2026, 3, 26, 9, 0)


def test_next_friday_midweek_asks_but_on_a_friday_it_is_a_week_away() -> None:
    question = parse("remind me next Friday to pay", NOW, PARIS).question
    assert question is not None
    assert question.text == "Do you mean this Friday (the 27th) or Friday, April 3rd?"
    friday = datetime(2026, 3, 27, 10, 0, tzinfo=ZoneInfo(PARIS))
    assert at("remind me next Friday to pay", now=friday) == local(2026, 4, 3, 9, 0)
    saturday = datetime(2026, 3, 28, 10, 0, tzinfo=ZoneInfo(PARIS))
    assert at("remind me next Friday to pay", now=saturday) == local(2026, 4, 3, 9, 0)
    assert at("remind me on Friday at 5", now=friday) == local(2026, 3, 27, 17, 0)  # today, still ahead


def test_the_31st_in_a_30_day_month_asks_which() -> None:
    april = datetime(2026, 4, 10, 12, 0, tzinfo=ZoneInfo(PARIS))
    question = parse("remind me on the 31st to pay rent", april, PARIS).question
    assert question is not None and question.text.startswith("April has no 31st.")
    assert [o.when.start.date().isoformat() for o in question.options] == ["2026-04-30", "2026-05-31"]
    assert at("remind me on the 31st to pay rent") == local(2026, 3, 31, 9, 0)  # March has one


def test_tomorrow_after_midnight_asks_which_day_and_numeric_dates_ask_when_they_could_swap() -> None:
    night = datetime(2026, 3, 26, 1, 30, tzinfo=ZoneInfo(PARIS))
    question = parse("remind me tomorrow at 9 to call Amy", night, PARIS).question
    assert question is not None and len(question.options) == 2
    assert parse("remind me on 3/4 to call Jen", NOW, PARIS).question is not None
    assert at("remind me on 4/30 to pay the nanny") == local(2026, 4, 30, 9, 0)


def test_answers_pick_the_option_they_mean() -> None:
    question = parse("remind me at 9 to call mom", NOW, PARIS).question
    assert question is not None
    waiting = choices.Waiting("remind", question.text,
                              [choices.Choice(o.label, list(o.answers), o.when.to_dict())
                               for o in question.options],
                              {"kind": "reminder"})
    for said, expected in [("the later one", 1), ("earlier", 0), ("tonight", 0), ("pm", 0),
                           ("tomorrow morning", 1), ("9 am", 1), ("make it 9 pm please", 0), ("neither", -1),
                           ("whenever you like", None)]:
        assert choices.pick(waiting, said, NOW, PARIS) == expected, said


def test_nonsense_dates_are_errors_not_guesses() -> None:
    assert parse("remind me on the 30th of February", NOW, PARIS).error == "There's no February 30th."
    nothing = parse("remind me to call Amy", NOW, PARIS)
    assert nothing.when is None and nothing.question is None and not nothing.error


# -- how it is said ------------------------------------------------------------------------------------------
def test_what_os1_says_when_a_reminder_fires() -> None:
    nine = local(2026, 3, 26, 9, 0)
    assert speech.reminder_text("call Amy", nine) == "It's nine o'clock — time to call Amy."
    assert speech.reminder_text("call my mom", local(2026, 3, 26, 9, 30)) == \
        "It's half past nine — time to call your mom."
    assert speech.reminder_text("check the oven", nine, after=timedelta(minutes=20)) == \
        "It's been 20 minutes — time to check the oven."
    assert speech.reminder_text("", local(2026, 3, 26, 7, 0), kind="alarm") == \
        "Good morning! It's seven o'clock — time to get up."
    assert speech.reminder_text("that the plumber comes", nine) == \
        "It's nine o'clock — just a reminder: the plumber comes."
    assert speech.clock_words(local(2026, 3, 26, 21, 45)) == "quarter to ten"
    assert speech.clock(local(2026, 3, 26, 21, 5)) == "9:05 pm"


def test_the_benchmark_phrase_set_is_well_formed_and_judged_strictly() -> None:
    from os1.bench.calendar import Phrase, judge, load_phrases

    phrases = load_phrases()
    assert len(phrases) >= 100 and sum(p.expected == "ASK" for p in phrases) >= 5
    assert {p.kind for p in phrases} == {"reminder", "alarm", "event"}
    right = Phrase("remind me tomorrow at nine to call Amy", "reminder", "2026-03-26 09:00")
    assert judge(right)[0]
    assert not judge(Phrase(right.text, "reminder", "2026-03-26 21:00"))[0]  # the wrong hour
    assert not judge(Phrase(right.text, "alarm", "2026-03-26 09:00"))[0]  # the wrong kind
    assert not judge(Phrase(right.text, "reminder", "ASK"))[0]  # no question was needed
    assert not judge(Phrase("remind me every day at 9", "reminder", "2026-03-26 09:00"))[0]  # rule missing
