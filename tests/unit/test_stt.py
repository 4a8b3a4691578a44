"""Speech to text on real speech (made by Piper): right words, nothing from silence or noise, any rate."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf

from os1.bench.stt import normalize, word_error_rate
from os1.perception.audio import SAMPLE_RATE, Audio, load_audio, resample
from os1.perception.stt import (
    MAX_CHUNK_S,
    SphinxSTT,
    STTUnavailable,
    Transcript,
    WhisperSTT,
    _keep_segment,
    load_stt,
    speech_chunks,
)
from tests.voice_fixtures import SENTENCES, silence, speech, whisper, white_noise  # noqa: F401 (fixtures)


def test_whisper_hears_what_was_said(speech, whisper):  # noqa: F811
    heard = {key: whisper.transcribe(audio) for key, audio in speech.items()}
    for key in ("weather", "mother"):
        transcript = heard[key]
        assert isinstance(transcript, Transcript) and transcript.engine == "whisper"
        assert normalize(transcript.text) == normalize(SENTENCES[key])
        assert transcript.duration == pytest.approx(speech[key].duration)
        assert transcript.words == ()  # only when asked
    assert word_error_rate(list(SENTENCES.values()), [heard[k].text for k in SENTENCES]) <= 0.15


def test_word_timestamps_when_asked(speech, whisper):  # noqa: F811
    transcript = whisper.transcribe(speech["weather"], word_timestamps=True)
    words = [normalize(w.text) for w in transcript.words]
    assert words == normalize(SENTENCES["weather"]).split()
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start < w.end <= transcript.duration for w in transcript.words)
    assert all(0 < w.probability <= 1 for w in transcript.words)


def test_silence_noise_and_nothing_give_an_empty_transcript(whisper):  # noqa: F811
    t = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
    hum = Audio((0.3 * np.sin(2 * np.pi * 120 * t) + 0.05 * np.random.default_rng(1).normal(size=len(t)))
                .astype(np.float32))
    for audio in (silence(2.0), white_noise(3.0, 0.05), white_noise(3.0, 0.3, seed=2), hum,
                  Audio(np.zeros(0, np.float32))):
        transcript = whisper.transcribe(audio)
        assert transcript.empty and transcript.text == "" and transcript.words == ()
        assert "no speech heard" in transcript.notes


def test_telephone_8khz_stereo_file_still_transcribes(tmp_path, speech, whisper):  # noqa: F811
    phone = resample(speech["mother"].samples, SAMPLE_RATE, 8_000)
    path = tmp_path / "call.wav"
    sf.write(path, np.stack([phone, phone * 0.8], axis=1), 8_000, subtype="PCM_16")
    audio = load_audio(path)
    assert {"mixed 2 channels to mono", "resampled from 8000 Hz"} <= set(audio.notes)
    assert word_error_rate([SENTENCES["mother"]], [whisper.transcribe(audio).text]) <= 0.2


def test_clipped_speech_is_noted_and_still_heard(tmp_path, speech, whisper):  # noqa: F811
    path = tmp_path / "loud.wav"
    sf.write(path, np.clip(speech["weather"].samples * 4, -1, 1), SAMPLE_RATE, subtype="PCM_16")
    audio = load_audio(path)
    assert any(note.endswith("of samples are clipped") for note in audio.notes)
    assert word_error_rate([SENTENCES["weather"]], [whisper.transcribe(audio).text]) <= 0.34


def test_long_audio_goes_in_chunks_in_order_with_progress(speech, whisper):  # noqa: F811
    gap = np.zeros(2 * SAMPLE_RATE, np.float32)
    keys = ("weather", "mother", "weather")
    audio = Audio(np.concatenate([part for k in keys for part in (speech[k].samples, gap)]))
    calls: list[tuple[float, float]] = []
    transcript = whisper.transcribe(audio, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 3 and calls[-1] == (pytest.approx(audio.duration), pytest.approx(audio.duration))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert word_error_rate([" ".join(SENTENCES[k] for k in keys)], [transcript.text]) <= 0.1


def test_speech_chunks_fit_whisper_window_and_skip_silence(speech):  # noqa: F811
    parts = []
    for i in range(14):  # about 60 s: speech, 1.5 s pause, speech, ...
        pause = np.zeros(3 * SAMPLE_RATE // 2, np.float32)
        parts += [speech["mother" if i % 2 else "weather"].samples, pause]
    long = Audio(np.concatenate([*parts, np.zeros(20 * SAMPLE_RATE, np.float32)]))  # a long silent end
    chunks = speech_chunks(long)
    assert 4 <= len(chunks) <= 6  # ~60 s of speech and pauses: packed into as few 15 s chunks as fit
    assert all(0 < end - start <= MAX_CHUNK_S + 0.5 for start, end in chunks)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(chunks))
    assert chunks[-1][1] < long.duration - 15  # the silent end is not transcribed
    assert speech_chunks(silence(5.0)) == []


def test_the_hallucination_filter_keeps_real_speech_and_drops_doubt():
    def seg(text, no_speech=0.1, logprob=-0.3, ratio=1.2):
        return SimpleNamespace(text=text, no_speech_prob=no_speech, avg_logprob=logprob,
                               compression_ratio=ratio)

    assert _keep_segment(seg(" Thank you."))  # said clearly, it stays
    assert not _keep_segment(seg(" Thank you.", no_speech=0.5))
    assert not _keep_segment(seg(" Some words", no_speech=0.8, logprob=-1.2))
    assert not _keep_segment(seg(" the the the the the the the", ratio=3.1))
    assert not _keep_segment(seg("  "))


def test_sphinx_fallback_transcribes_and_stays_quiet_on_noise(speech):  # noqa: F811
    sphinx = load_stt("sphinx")
    assert isinstance(sphinx, SphinxSTT) and sphinx.name == "sphinx"
    transcript = sphinx.transcribe(speech["weather"])
    assert word_error_rate([SENTENCES["weather"]], [transcript.text]) <= 0.2
    assert [w.text for w in transcript.words] == transcript.text.split()
    assert sphinx.transcribe(white_noise(2.0)).empty and sphinx.transcribe(silence(1.0)).empty


def test_load_stt_engines_cache_and_errors():
    first, second = load_stt("whisper"), load_stt("whisper")
    assert isinstance(first, WhisperSTT) and first.model is second.model
    assert second.load_s < 0.1  # the model loads once per process
    with pytest.raises(STTUnavailable, match=r"unknown speech-to-text engine 'wav2vec'.*whisper, sphinx"):
        load_stt("wav2vec")


def test_whisper_falls_back_to_sphinx_when_it_cannot_run(monkeypatch):
    import os1.perception.stt as stt

    def broken(*args, **kwargs):
        raise STTUnavailable("whisper is broken here")

    monkeypatch.setattr(stt, "WhisperSTT", broken)
    assert load_stt("whisper").name == "sphinx"
    monkeypatch.setattr(stt, "SphinxSTT", broken)
    with pytest.raises(STTUnavailable, match="no speech recognition available"):
        load_stt()


def test_a_phrase_said_twice_by_the_short_decoder_is_doubted():
    from os1.perception.stt import _says_it_twice

    assert _says_it_twice("Read it to me. Read it to me.")
    assert not _says_it_twice("No, no.")  # too short to be a loop: people do say that
    assert not _says_it_twice("Read it to me, then read it again.")
