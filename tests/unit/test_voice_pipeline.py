"""The whole voice pipeline with real ears and mouth (Silero, Whisper, Piper) and the scripted brain."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import numpy as np
import pytest

from os1.core.conversation import Conversation
from os1.perception.audio import SAMPLE_RATE, Audio, resample
from os1.voice import frames as f
from os1.voice.playback import ClockOutput
from os1.voice.session import build_pipeline, feed_audio, load_ears
from tests.unit.helpers import make_runtime
from tests.voice_fixtures import piper_audio

LONG_REPLY = ("Oh, I'd love to tell you about the sea. It is wide and deep and full of quiet light. "
              "Whales sing to each other across hundreds of miles. Sailors have told stories about it "
              "for thousands of years, and every one of them is a little bit true.")


@pytest.fixture(scope="module")
def ears():  # type: ignore[no-untyped-def]
    from os1.expression.tts import PiperTTS

    loaded = load_ears()
    loaded.tts = PiperTTS(noise_scale=0.0, noise_w_scale=0.0)  # OS1's voice: the same audio every run
    return loaded


def spoken(text: str, lead_s: float = 0.2) -> Audio:
    audio = piper_audio(text)
    samples = resample(audio.samples, audio.rate, SAMPLE_RATE)
    return Audio(np.concatenate([np.zeros(int(lead_s * SAMPLE_RATE), np.float32), samples]))


async def answer_recording(ears, replies: list[str], audio: Audio, timeout: float = 60):  # type: ignore[no-untyped-def]
    """Play a recording into a file-mode pipeline (scripted brain); return what it made."""
    runtime = make_runtime(replies)
    conversation = Conversation.resume_or_start(runtime)
    output = ClockOutput(ears.tts.sample_rate, realtime=False)
    pipeline = build_pipeline(conversation, ears, output, barge_in=False)
    await asyncio.wait_for(pipeline.run(lambda p: feed_audio(p, audio)), timeout)
    return SimpleNamespace(runtime=runtime, conversation=conversation, pipeline=pipeline, output=output)


def _assistant(runtime, conversation_id):  # type: ignore[no-untyped-def]
    return [m for m in runtime.store.conversations.messages(conversation_id) if m.role == "assistant"]


async def test_a_recorded_question_is_heard_answered_spoken_and_remembered(ears):
    done = await answer_recording(
        ears, ["It really is. I hope you get to enjoy it."], spoken("The weather is lovely today."))
    runtime, conversation, pipeline, output = done.runtime, done.conversation, done.pipeline, done.output

    heard = [fr.text for fr in pipeline.output if isinstance(fr, f.Heard)]
    assert heard and "weather is lovely today" in heard[0].lower()
    ended = [fr for fr in pipeline.output if isinstance(fr, f.ReplyEnded)]
    assert ended[0].text == "It really is. I hope you get to enjoy it." and ended[0].status == "complete"
    assert len(output.recording) / output.rate > 1.0  # the reply was spoken
    assert any(isinstance(fr, f.PlaybackFinished) for fr in pipeline.output)
    # the same conversation as typing: the transcript and the reply are stored
    messages = runtime.store.conversations.messages(conversation.id)
    assert "weather" in messages[0].content.lower() and messages[1].status == "complete"
    assert any("enjoy it" in m.text for m in runtime.store.memories.list(limit=20))  # spoken, so remembered


async def test_the_spoken_reply_says_the_words(ears):
    """Round trip: what OS1 says out loud transcribes back to its reply."""
    output = (await answer_recording(
        ears, ["The weather is lovely today."], spoken("Where should I go now?"))).output
    reply = Audio(resample(output.recording, output.rate, SAMPLE_RATE))
    reply = Audio(np.concatenate([np.zeros(SAMPLE_RATE // 4, np.float32), reply.samples]))
    assert "weather is lovely today" in ears.stt.transcribe(reply).text.lower()


async def test_a_reminder_is_spoken_in_the_voice_conversation_unasked(ears):
    """OS1's own initiative (a SpeakUp from the scheduler) is said like a reply, with no user turn."""
    from os1.voice.thinker import Thinker

    runtime = make_runtime([])
    conversation = Conversation.resume_or_start(runtime)
    output = ClockOutput(ears.tts.sample_rate, realtime=False)
    pipeline = build_pipeline(conversation, ears, output, barge_in=False)

    async def speak_up(p):  # type: ignore[no-untyped-def]
        p.find(Thinker).queue_frame(f.SpeakUp("It's nine o'clock. Time to call Amy.", 7))
        p.send(f.EndOfStream())

    await asyncio.wait_for(pipeline.run(speak_up), 60)
    [ended] = [fr for fr in pipeline.output if isinstance(fr, f.ReplyEnded)]
    assert ended.text == "It's nine o'clock. Time to call Amy." and ended.message_id == 7
    reply = Audio(resample(output.recording, output.rate, SAMPLE_RATE))
    reply = Audio(np.concatenate([np.zeros(SAMPLE_RATE // 4, np.float32), reply.samples]))
    assert "call amy" in ears.stt.transcribe(reply).text.lower()
    runtime.close()


async def test_silence_and_noise_are_not_turns(ears):
    rng = np.random.default_rng(1)
    noise = np.concatenate([np.zeros(SAMPLE_RATE, np.float32),
                            rng.normal(0, 0.05, 2 * SAMPLE_RATE).astype(np.float32)])
    done = await answer_recording(ears, ["should not be said"], Audio(noise))
    runtime, conversation, pipeline = done.runtime, done.conversation, done.pipeline
    assert not any(isinstance(fr, f.UserTurn | f.ReplyEnded) for fr in pipeline.output)
    assert runtime.store.conversations.messages(conversation.id) == []


async def _talk_over(ears, runtime, conversation, interruption: Audio | None, wait_s: float = 1.2):  # type: ignore[no-untyped-def]
    """Ask a question live; once OS1 is talking, play ``interruption`` (or its own voice back)."""
    playing = asyncio.Event()
    reply_audio: list[np.ndarray] = []

    def sink(frame: f.Frame) -> None:
        if isinstance(frame, f.ReplyAudio):
            reply_audio.append(resample(frame.samples, frame.rate, SAMPLE_RATE))
            playing.set()

    output = ClockOutput(ears.tts.sample_rate, realtime=True)
    pipeline = build_pipeline(conversation, ears, output, sink=sink)

    async def talk(p) -> None:  # type: ignore[no-untyped-def]
        question = spoken("Tell me about the sea.").samples
        question = np.concatenate([question, np.zeros(-len(question) % 512, np.float32)])
        # whole 512-sample frames from here on, so each echo frame below is one VAD frame
        await feed_audio(p, Audio(question), realtime=True, tail_s=0.0, end=False)
        silence = Audio(np.zeros(int(0.032 * SAMPLE_RATE), np.float32))
        for _ in range(300):  # keep the microphone open until OS1 talks
            if playing.is_set():
                break
            await feed_audio(p, silence, realtime=True, tail_s=0.0, end=False)
        # a whole number of frames, so each echo frame below stays one VAD frame (a frame straddling two
        # snapshots of the playback, taken at jittery times under load, is not a clean echo)
        await feed_audio(p, Audio(np.zeros(int(wait_s * SAMPLE_RATE) // 512 * 512, np.float32)),
                         realtime=True, tail_s=0.0, end=False)
        if interruption is None:  # the loudspeaker's sound coming back into the microphone
            for _ in range(int(3 / 0.032)):
                played = output.reference(512)
                heard_back = played is not None and len(played) == 512
                echo = played * 0.6 if heard_back else np.zeros(512, np.float32)
                await feed_audio(p, Audio(echo.astype(np.float32)), realtime=True, tail_s=0.0, end=False)
            await feed_audio(p, Audio(np.zeros(SAMPLE_RATE // 2, np.float32)), realtime=True)
        else:
            await feed_audio(p, interruption, realtime=True, tail_s=1.5)

    await asyncio.wait_for(pipeline.run(talk), 90)
    return pipeline


async def test_speaking_over_os1_stops_it_and_only_the_heard_words_are_kept(ears):
    runtime = make_runtime([LONG_REPLY, "Of course."])
    conversation = Conversation.resume_or_start(runtime)
    pipeline = await _talk_over(ears, runtime, conversation,
                                spoken("Wait, can you remind me to call my mother tomorrow morning?"))
    cuts = [fr for fr in pipeline.output if isinstance(fr, f.Interruption)]
    assert len(cuts) == 1
    heard = cuts[0].heard
    assert heard and LONG_REPLY.startswith(heard) and len(heard) < len(LONG_REPLY) / 2
    first_reply = _assistant(runtime, conversation.id)[0]
    assert first_reply.status == "interrupted" and first_reply.content == heard
    memories = " ".join(m.text for m in runtime.store.memories.list(limit=50))
    assert "thousands of years" not in memories  # never said, so never remembered
    # what they said when they cut in became the next turn
    assert any("mother" in fr.text.lower() for fr in pipeline.output if isinstance(fr, f.Heard))


async def test_os1_does_not_hear_itself(ears):
    runtime = make_runtime([LONG_REPLY])
    conversation = Conversation.resume_or_start(runtime)
    pipeline = await _talk_over(ears, runtime, conversation, None, wait_s=0.3)
    assert not any(isinstance(fr, f.Interruption) for fr in pipeline.output)
    assert len([fr for fr in pipeline.output if isinstance(fr, f.Heard)]) == 1  # only the question


async def test_a_long_monologue_is_heard_whole_in_turns_and_never_wedges(ears):
    sentences = ["I have been thinking about my work a lot lately.",
                 "There is so much to do and I never seem to finish anything.",
                 "My sister says I should take a break, but I am not sure."]
    gap = np.zeros(int(0.15 * SAMPLE_RATE), np.float32)  # barely a breath between sentences
    parts = []
    for index in range(24):  # about 80 s of talking
        parts += [spoken(sentences[index % 3], lead_s=0.0).samples, gap]
    pipeline = (await answer_recording(
        ears, ["I hear you."] * 10, Audio(np.concatenate(parts)), timeout=120)).pipeline
    turns = [fr.text for fr in pipeline.output if isinstance(fr, f.Heard)]
    assert 2 <= len(turns) <= 4  # cut into turns of at most a minute
    spoken_words = sum(len(s.split()) for s in sentences) * 8
    heard_words = sum(len(t.split()) for t in turns)
    assert heard_words >= 0.9 * spoken_words
    assert len([fr for fr in pipeline.output if isinstance(fr, f.ReplyEnded)]) == len(turns)
