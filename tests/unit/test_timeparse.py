"""Time words in questions become windows of time."""

from __future__ import annotations

from datetime import datetime

import pytest

from os1.memory.timeparse import window

NOW = datetime(2026, 11, 22, 15, 0)  # a Sunday


def day(text: str) -> tuple[str, str]:
    found = window(text, NOW)
    assert found is not None, text
    return (datetime.fromtimestamp(found.start).strftime("%Y-%m-%d"),
            datetime.fromtimestamp(found.end).strftime("%Y-%m-%d"))


@pytest.mark.parametrize(("text", "expected"), [
    ("what did I tell you yesterday?", ("2026-11-21", "2026-11-22")),
    ("what did I say last Tuesday", ("2026-11-17", "2026-11-18")),
    ("on Sunday we talked about music", ("2026-11-15", "2026-11-16")),
    ("anything from last week?", ("2026-11-09", "2026-11-16")),
    ("what happened in May", ("2026-05-01", "2026-06-01")),
    ("in December 2025", ("2025-12-01", "2026-01-01")),
    ("what did we do in 2024", ("2024-01-01", "2025-01-01")),
    ("last month", ("2026-10-01", "2026-11-01")),
])
def test_windows(text, expected):
    assert day(text) == expected


def test_months_later_this_year_mean_last_year():
    assert day("in December") == ("2025-12-01", "2026-01-01")


def test_ago_is_a_window_around_that_day():
    start, end = day("two weeks ago")
    assert start <= "2026-11-08" < end


@pytest.mark.parametrize("text", ["when did I meet Amy", "what is my sister's name", "may I ask"])
def test_no_time_words_no_window(text):
    assert window(text, NOW) is None
