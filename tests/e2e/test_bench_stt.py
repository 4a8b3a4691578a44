"""`os1 bench stt --manifest TSV`: the real command on a manifest of Piper speech made here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from os1.bench.stt import normalize, number_words
from os1.perception.audio import to_pcm16, write_wav
from tests.voice_fixtures import SENTENCES, piper_audio, speech_16k


def bench(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "os1", "bench", "stt", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("speech")
    (folder / "clips").mkdir()
    write_wav(folder / "clips" / "weather.wav", piper_audio(SENTENCES["weather"]))  # 22.05 kHz wav
    write_wav(folder / "clips" / "mother.wav", speech_16k("mother"))
    (folder / "forward.raw").write_bytes(to_pcm16(speech_16k("forward").samples))  # s16le 16 kHz mono
    (folder / "clips" / "notes.wav").write_text("not a sound at all\n" * 10)
    rows = [("clips/weather.wav", "the weather is lovely today", "x"),
            ("clips/mother.wav", "please remind me to call my mother tomorrow morning", "y"),
            ("forward.raw", "go forward 10 meters", "z"),
            ("clips/missing.wav", "this file is not there", ""),
            ("clips/notes.wav", "a text file renamed", "")]
    path = folder / "manifest.tsv"
    path.write_text("path\treference\tspeaker\n" + "".join("\t".join(r) + "\n" for r in rows))
    return path


def test_bench_stt_reports_wer_and_rtf_and_skips_bad_rows(manifest, tmp_path):
    proc = bench("--manifest", str(manifest), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"wer", "rtf", "utterances", "engine", "audio_s", "load_s", "skipped"} <= set(result)
    assert result["engine"] == "whisper" and result["utterances"] == 3 and result["skipped"] == 2
    assert result["wer"] <= 0.15
    assert 0 < result["rtf"] < 1.0 and result["load_s"] > 0
    assert 6 < result["audio_s"] < 12
    assert "missing.wav: no such file" in proc.stderr and "notes.wav is not audio" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bench_stt_with_sphinx(manifest, tmp_path):
    proc = bench("--manifest", str(manifest), "--engine", "sphinx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["engine"] == "sphinx" and result["utterances"] == 3
    assert result["wer"] <= 0.5


def test_bench_stt_rejects_a_file_that_is_not_a_manifest(tmp_path):
    path = tmp_path / "list.tsv"
    path.write_text("file\ttext\na.wav\thello\n")
    proc = bench("--manifest", str(path), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "columns 'path' and 'reference'" in proc.stderr
    assert bench(cwd=tmp_path).returncode == 2  # --manifest is required


def test_normalization_spells_numbers_and_drops_punctuation():
    assert normalize("Go forward 10 meters, Mr. Smith!") == "go forward ten meters mister smith"
    assert normalize("ill-disposed, cold-hearted") == "ill disposed cold hearted"
    assert normalize("It's 3.5% of 1,250 on the 21st") == (
        "its three point five percent of one thousand two hundred fifty on the twenty first")
    assert number_words(1905) == "one thousand nine hundred five"
