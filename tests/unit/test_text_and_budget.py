"""Input cleaning and context-window budgeting."""

from __future__ import annotations

from os1.brain.base import Message
from os1.brain.budget import fit, shorten
from os1.perception.text import clean


def count(text: str) -> int:
    return len(text) // 4 + 1


def test_invalid_utf8_is_replaced_and_reported():
    result = clean(b"caf\xe9 ok")
    assert result.text == "caf\ufffd ok"
    assert any("UTF-8" in n for n in result.notes)


def test_surrogate_escaped_input_is_cleaned():
    raw = b"caf\xe9".decode("utf-8", errors="surrogateescape")
    assert clean(raw).text == "caf\ufffd"


def test_lone_surrogates_from_broken_json_are_replaced():
    assert clean("a\ud800b").text == "a\ufffdb"


def test_control_characters_and_escapes_removed():
    result = clean("hi\x00 there\x1b[31m red\x07\r\n")
    assert result.text == "hi there red"
    assert result.notes == ["control characters were removed"]


def test_empty_and_whitespace_are_empty():
    assert clean("   \n\t ").empty


def test_huge_input_is_capped_with_a_note():
    result = clean("x" * 1_000_000, limit=1000)
    assert len(result.text) == 1000
    assert "1,000,000" in result.notes[0]


def test_shorten_keeps_head_and_tail():
    text = "BEGIN " + "word " * 5000 + " END"
    short = shorten(text, 100, count)
    assert count(short) <= 100
    assert short.startswith("BEGIN") and short.endswith("END") and "left out" in short


def test_fit_drops_oldest_turns_first_and_keeps_system_and_newest():
    messages = [Message("system", "sys")] + [
        Message("user" if i % 2 == 0 else "assistant", f"turn {i} " + "x" * 200) for i in range(20)
    ] + [Message("user", "newest")]
    fitted = fit(messages, window=400, reserve=100, count=count)
    assert fitted[0].content == "sys"
    assert fitted[-1].content == "newest"
    assert sum(count(m.content) + 4 for m in fitted) <= 300
    assert fitted[1].role == "user"  # never starts with an orphan assistant turn
    assert len(fitted) < len(messages)


def test_fit_shortens_a_single_huge_message():
    fitted = fit([Message("system", "s"), Message("user", "y" * 100_000)], 512, 128, count)
    assert sum(count(m.content) for m in fitted) <= 512 - 128
