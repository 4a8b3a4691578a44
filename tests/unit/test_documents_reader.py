"""Reading a document aloud: spoken/typed commands, skip/back/simpler/pause mid-way, hard words, Piper."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from os1.skills.documents.hard_words import hard_word
from os1.skills.documents.model import Block, Document
from os1.skills.documents.reader import ReadingSession
from os1.skills.documents.reading_commands import parse_command
from os1.skills.documents.reading_items import (
    ReadItem,
    document_items,
    items_from_passages,
    speech_sentences,
    spoken_heading,
)


@pytest.mark.parametrize(("said", "command"), [
    ("skip this part", "skip"), ("Skip.", "skip"), ("next chapter", "skip"), ("move on please", "skip"),
    ("simpler", "simpler"), ("Simpler, please!", "simpler"), ("Can you make it simpler?", "simpler"),
    ("I don't understand", "simpler"), ("in plain English", "simpler"), ("that's too hard", "simpler"),
    ("go back", "back"), ("Go back a bit.", "back"), ("rewind", "back"),
    ("say that again", "repeat"), ("repeat that", "repeat"), ("What did you just say?", "repeat"),
    ("what was that word?", "word"), ("What was that last word", "word"),
    ("what does that word mean?", "word"), ("what does ostentatious mean", "word"),
    ("pause", "pause"), ("hold on", "pause"), ("wait a second", "pause"),
    ("go on", "resume"), ("keep reading", "resume"), ("continue", "resume"),
    ("stop", "stop"), ("Stop reading.", "stop"), ("that's enough", "stop"),
    ("tell me about the war in chapter two", None), ("what was the weather like in Hertfordshire", None),
    ("I want to go back to the shop tomorrow", None), ("", None),
    ("could you stop by the bakery on the way home and pick up some bread for us", None),
])
def test_parse_command_understands_phrasing_variants_and_ignores_ordinary_speech(said, command):
    assert parse_command(said) == command


def test_headings_and_listings_are_spoken_sensibly():
    assert spoken_heading("CHAPTER XIV.") == "Chapter 14."
    assert spoken_heading("Chapter 3") == "Chapter 3."
    listing = "Heading to Chapter V. 22 Tailpiece 24 Frontispiece 26. It rained all day."
    said = speech_sentences(ReadItem(listing))
    assert said == ["It rained all day."]  # a list of page numbers is not read out


STORY = [
    ReadItem("CHAPTER I.", "CHAPTER I.", heading=True),
    ReadItem("It was a cold morning. The supercilious clerk frowned at everyone.", "CHAPTER I."),
    ReadItem("Nobody spoke. The tea went cold.", "CHAPTER I."),
    ReadItem("CHAPTER II.", "CHAPTER II.", heading=True),
    ReadItem("The sun came out at last. Everyone went for a walk.", "CHAPTER II."),
]


def texts(session: ReadingSession, n: int) -> list[str]:
    out = []
    for _ in range(n):
        s = session.next_sentence()
        if s is None:
            break
        out.append(s.text)
    return out


def test_skip_goes_to_the_next_chapter_and_back_replays_the_sentence_before():
    session = ReadingSession(STORY)
    assert texts(session, 3) == ["Chapter 1.", "It was a cold morning.",
                                 "The supercilious clerk frowned at everyone."]
    assert session.position and session.position.chapter == "CHAPTER I."
    session.skip()
    assert texts(session, 2) == ["Chapter 2.", "The sun came out at last."]
    session.back()
    assert texts(session, 2) == ["Chapter 2.", "The sun came out at last."]
    session.back()
    session.back()  # back across items: to the last sentence of chapter 1
    assert texts(session, 1) == ["The tea went cold."]
    session.repeat()
    assert texts(session, 5) == ["The tea went cold.", "Chapter 2.", "The sun came out at last.",
                                 "Everyone went for a walk."]
    assert session.finished


def test_skip_without_chapters_goes_to_the_next_paragraph():
    session = ReadingSession([ReadItem("One. Two."), ReadItem("Three. Four."), ReadItem("Five.")])
    assert texts(session, 1) == ["One."]
    session.skip()
    assert texts(session, 1) == ["Three."]


def test_simpler_rerenders_the_current_sentence_and_the_rest_at_the_next_level():
    calls: list[tuple[str, int]] = []

    def simplify(text: str, level: int) -> str:
        calls.append((text, level))
        return text.replace("supercilious", "proud").replace("frowned", "scowled" if level > 1 else "frowned")

    session = ReadingSession(STORY, simplify=simplify)
    assert texts(session, 3)[-1] == "The supercilious clerk frowned at everyone."
    assert session.simpler() is True and session.level == 1
    assert texts(session, 2) == ["The proud clerk frowned at everyone.", "Nobody spoke."]
    assert calls[0] == ("The supercilious clerk frowned at everyone.", 1)
    assert ("Nobody spoke. The tea went cold.", 1) in calls  # later paragraphs from the original text
    session.simpler()
    assert texts(session, 1) == ["Nobody spoke."]  # level 2 re-renders from the current sentence on
    assert session.level == 2 and calls[-1][1] == 2


def test_pause_holds_the_reading_and_resume_restarts_the_interrupted_sentence():
    session = ReadingSession(STORY)
    texts(session, 2)
    session.pause()
    assert session.paused and session.next_sentence() is None
    session.resume()
    assert texts(session, 2) == ["It was a cold morning.", "The supercilious clerk frowned at everyone."]
    session.stop()
    assert session.next_sentence() is None and session.finished


def test_what_was_that_word_picks_the_rarest_word_but_not_a_name():
    assert hard_word("Mr. Darcy looked at Netherfield with obvious disdain.") == "disdain"
    assert hard_word("The cat sat on the mat.") is None
    session = ReadingSession(STORY)
    texts(session, 3)
    word, plain = session.last_hard_word() or ("", None)
    assert word == "supercilious"
    assert plain  # a plainer word or a meaning from the WordNet lexicon
    reply = session.handle("what was that word?")
    assert reply and "supercilious" in reply
    assert "ostentatious" in (session.handle("what does ostentatious mean?") or "")
    assert session.handle("tell me more about Darcy") is None


def test_items_from_a_document_get_chapter_titles_and_condense_shortens_them():
    blocks = [Block("Chapter One", "heading", section="Chapter One", chapter="Chapter One", level=1)]
    blocks += [Block(f"Sentence {i} of the first chapter is about apples and pears. It goes on.",
                     section="Chapter One", chapter="Chapter One") for i in range(8)]
    blocks += [Block("Chapter Two", "heading", section="Chapter Two", chapter="Chapter Two", level=1)]
    blocks += [Block(f"Paragraph {i} of chapter two talks about boats on the river.",
                     section="Chapter Two", chapter="Chapter Two") for i in range(8)]
    doc = Document("Fruit and boats", "txt", blocks)
    full = list(document_items(doc))
    assert [i.text for i in full if i.heading] == ["Chapter One", "Chapter Two"]
    assert len(full) == 18 and full[1].chapter == "Chapter One"
    short = list(document_items(doc, ratio=0.3, part_words=60, first_part_words=20))
    assert [i.text for i in short if i.heading] == ["Chapter One", "Chapter Two"]  # one title per chapter
    words = sum(len(i.text.split()) for i in short if not i.heading)
    assert 0 < words < 0.6 * doc.words


def test_items_from_passages_join_sentences_of_one_paragraph():
    from types import SimpleNamespace as P

    items = items_from_passages([P(text="A.", block=0, page=1, chapter="", heading=False),
                                 P(text="B.", block=0, page=1, chapter="", heading=False),
                                 P(text="C.", block=2, page=2, chapter="", heading=False)])
    assert [(i.text, i.page) for i in items] == [("A. B.", 1), ("C.", 2)]


# --- with OS1's real voice -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def joe():
    from os1.expression.tts import PiperTTS

    return PiperTTS(noise_scale=0.0, noise_w_scale=0.0)


def test_chunks_speak_each_sentence_with_piper_and_a_skip_takes_effect_at_once(joe):
    session = ReadingSession(STORY, voice=joe)
    heard = []
    for chunk in session.chunks():
        heard.append(chunk.sentence.text)
        assert chunk.rate == 22050 and chunk.samples.dtype == np.float32
        assert chunk.seconds > 0.5 and np.max(np.abs(chunk.samples)) > 0.1  # real speech, not silence
        if len(heard) == 2:
            session.skip()  # the prefetched "supercilious" sentence must never be yielded
    assert heard == ["Chapter 1.", "It was a cold morning.", "Chapter 2.", "The sun came out at last.",
                     "Everyone went for a walk."]
    assert session.first_audio_at is not None and session.spoken_seconds > 5


def test_audio_drives_from_asyncio_and_stop_from_another_thread_ends_it(joe):
    async def main() -> list[str]:
        session = ReadingSession(STORY, voice=joe)
        got = []
        async for chunk in session.audio():
            got.append(chunk.sentence.text)
            if len(got) == 2:
                t = threading.Thread(target=session.handle, args=("stop reading",))
                t.start()
                t.join()
        return got

    assert asyncio.run(main()) == ["Chapter 1.", "It was a cold morning."]


def test_a_long_pdf_is_read_from_its_first_pages_then_continues_without_gaps_or_repeats(tmp_path):
    from os1.bench.reading import write_text_pdf
    from os1.skills.documents.extract import extract
    from os1.skills.documents.reading_items import HEAD_PAGES, items_from_path

    text = "\n\n".join(f"Paragraph number {n} tells of the walk to the village and back again."
                       for n in range(1, 181))
    pdf = write_text_pdf(text, tmp_path / "long.pdf", pages=2 * HEAD_PAGES + 6)
    items = items_from_path(pdf)
    read = [i.text for i in items if not i.heading]
    assert items.document is not None and items.document.pages == 2 * HEAD_PAGES + 6
    whole = [b.text for b in extract(pdf).blocks if b.kind == "paragraph"]
    assert read == whole and any("Paragraph number 180 " in t for t in read)


def test_an_unreadable_file_surfaces_as_a_document_error_from_the_session(tmp_path):
    from os1.skills.documents.model import DocumentError
    from os1.skills.documents.reading_items import items_from_path

    session = ReadingSession(items_from_path(tmp_path / "missing.pdf"))
    with pytest.raises(DocumentError):
        session.next_sentence()


def test_realtime_audio_is_paced_to_playback_so_position_follows_the_listener(joe):
    import time

    async def main() -> list[tuple[float, float, str]]:
        session = ReadingSession([ReadItem("Good morning to you. The sky is blue.")], voice=joe)
        got = []
        async for chunk in session.audio(realtime=True, lead_s=0.3):
            got.append((time.monotonic(), chunk.seconds, chunk.sentence.text))
            assert session.position == chunk.sentence
        return got

    (t1, d1, s1), (t2, _d2, s2) = asyncio.run(main())
    assert (s1, s2) == ("Good morning to you.", "The sky is blue.")
    assert t2 - t1 >= d1 - 0.3 - 0.05  # not handed out before the first has (nearly) played
