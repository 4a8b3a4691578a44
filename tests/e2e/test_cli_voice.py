"""``os1 voice`` driven as a user would: recorded questions in, spoken replies out, bad input handled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from os1.perception.audio import SAMPLE_RATE, load_audio, resample, write_wav
from tests.e2e.cli_helpers import run, write_script
from tests.voice_fixtures import piper_audio

REPLY = "It really is lovely. Enjoy the sunshine."


def _question(path: Path, rate: int = SAMPLE_RATE, channels: int = 1) -> Path:
    audio = piper_audio("The weather is lovely today.")
    samples = resample(audio.samples, audio.rate, rate)
    samples = np.concatenate([np.zeros(rate // 4, np.float32), samples])
    data = np.stack([samples] * channels, axis=1) if channels > 1 else samples
    soundfile.write(path, data, rate, subtype="PCM_16")
    return path


def _voice(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    script = write_script(tmp_path / "script.json", [REPLY] * 3)
    return run(tmp_path / "home", "voice", *args, OS1_SCRIPT=str(script), timeout=120)


def test_a_recorded_question_gets_a_spoken_reply(tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    result = _voice(tmp_path, "--in", str(_question(tmp_path / "q.wav")), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "you › the weather is lovely today" in result.stdout.lower()
    assert REPLY in result.stdout
    reply = load_audio(out)
    assert reply.duration > 1.5 and np.abs(reply.samples).max() > 0.05
    assert "Wrote" in result.stderr


def test_telephone_quality_stereo_is_converted_and_understood(tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    question = _question(tmp_path / "phone.wav", rate=8000, channels=2)
    result = _voice(tmp_path, "--in", str(question), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "8000 Hz" in result.stderr and "mono" in result.stderr  # it says what it changed
    assert "weather" in result.stdout.lower() and out.exists()


def test_silence_is_not_a_question(tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    write_wav(silent, load_audio(np.zeros(SAMPLE_RATE * 2, np.int16).tobytes()))
    result = _voice(tmp_path, "--in", str(silent), "--out", str(tmp_path / "r.wav"))
    assert result.returncode == 0
    assert "didn't hear any speech" in result.stderr
    assert REPLY not in result.stdout


def test_bad_files_get_one_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "notes.wav"
    fake.write_text("this is a text file, not a recording\n" * 20)
    for path in (fake, tmp_path / "missing.wav"):
        result = _voice(tmp_path, "--in", str(path), "--out", str(tmp_path / "r.wav"))
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert path.name in result.stderr
    result = _voice(tmp_path, "--out", str(tmp_path / "r.wav"))
    assert result.returncode == 2 and "--out needs --in" in result.stderr
    result = _voice(tmp_path, "--in", str(_question(tmp_path / "q.wav")), "--out",
                    str(tmp_path / "no" / "such" / "dir" / "r.wav"))
    assert result.returncode == 1 and "doesn't exist" in result.stderr


def test_without_a_microphone_it_says_so(tmp_path: Path) -> None:
    result = _voice(tmp_path)  # no --in: the microphone; this machine has none (or no PortAudio)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "can't" in result.stderr.lower() and "--in" in result.stderr
