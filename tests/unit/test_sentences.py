"""Sentence splitting for speech: whole sentences, as early as possible, never cut inside one."""

from __future__ import annotations

from os1.expression.sentences import SentenceBuffer, speakable, split_sentences


def test_split_sentences_keeps_abbreviations_decimals_and_quotes_together():
    text = 'Hello there. Dr. Smith paid $3.50 today! Really?! "Yes." e.g. this one... ok'
    assert split_sentences(text) == ["Hello there.", "Dr. Smith paid $3.50 today!", "Really?!", '"Yes."',
                                     "e.g. this one...", "ok"]


def test_split_sentences_breaks_at_line_ends_and_drops_blank_ones():
    assert split_sentences("First line\n\nSecond line.  \n") == ["First line", "Second line."]
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []


def test_a_long_run_without_punctuation_is_cut_at_a_comma():
    text = ", ".join(["word"] * 120)
    parts = split_sentences(text, max_chars=100)
    assert len(parts) > 5 and all(len(p) <= 100 for p in parts)
    assert all(p.endswith(",") for p in parts[:-1])
    assert " ".join(parts).replace(",", "").split() == ["word"] * 120


def test_buffer_returns_each_sentence_as_soon_as_it_ends():
    buffer = SentenceBuffer()
    assert buffer.feed("Sure") == []
    assert buffer.feed(".") == []  # could still be "Sure.5" — wait for the next delta
    assert buffer.feed(" I") == ["Sure."]
    assert buffer.feed("'ll help Mr") == []
    assert buffer.feed(". Jones at 3.") == []
    assert buffer.feed("5 pm. Bye") == ["I'll help Mr. Jones at 3.5 pm."]
    assert buffer.pending == "Bye"
    assert buffer.flush() == ["Bye"]
    assert buffer.flush() == [] and buffer.pending == ""


def test_buffer_streamed_char_by_char_matches_split_sentences():
    text = "Wait... what? I said: \"no!\" Then we left.\nAnd that's it. Version 2.0 ships soon"
    buffer = SentenceBuffer()
    out: list[str] = []
    for ch in text:
        out += buffer.feed(ch)
    out += buffer.flush()
    assert out == split_sentences(text)
    assert out[:3] == ["Wait...", "what?", 'I said: "no!"']


def test_buffer_reset_drops_what_is_pending():
    buffer = SentenceBuffer()
    buffer.feed("Half a sent")
    buffer.reset()
    assert buffer.flush() == []


def test_speakable_removes_markdown_code_and_urls():
    text = "## Plan\n- **Call** `mum` about [the trip](http://x.org/a) https://example.com/b\n```py\nx=1\n```"
    assert speakable(text) == "Plan Call mum about the trip a link"
