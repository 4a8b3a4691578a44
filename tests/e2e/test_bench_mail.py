"""`os1 bench mail`: the output contract on a tiny hand-written corpus (ham/ and spam/ folders)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parents[1] / "fixtures" / "mail" / "corpus"


def bench(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "os1", "bench", "mail", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def last_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_bench_mail_on_a_tiny_corpus(tmp_path):
    result = last_json(bench("--corpus", str(CORPUS), cwd=tmp_path))
    for key in ("precision", "recall", "f1", "messages", "messages_per_s", "skipped", "threshold"):
        assert key in result, key
    assert result["messages"] == 7 and result["junk_messages"] == 3 and result["skipped"] == 0
    assert result["precision"] == 1.0 and result["recall"] == 1.0 and result["f1"] == 1.0
    assert result["messages_per_s"] > 0 and result["groups"] > 0


def test_unreadable_files_are_skipped_with_a_reason(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "ham" / "empty.eml").write_bytes(b"")
    (corpus / "spam_more").mkdir()
    (corpus / "spam_more" / "junk.eml").write_bytes(
        b"From: <x1234@deals.example>\r\nSubject: FREE CASH!!!\r\n\r\n"
        b"Earn $$$ now, click here, free offer!\r\n")
    proc = bench("--corpus", str(corpus), cwd=tmp_path)
    result = last_json(proc)
    assert result["skipped"] == 1 and result["skipped_reasons"] == {"empty": 1}
    assert "skipped ham/empty.eml: empty file" in proc.stderr
    assert result["messages"] == 8 and result["junk_messages"] == 4  # any folder starting with "spam" is junk


def test_generate_times_synthetic_mail(tmp_path):
    result = last_json(bench("--generate", "300", cwd=tmp_path))
    assert result["generated"] == 300 and result["generated_messages_per_s"] > 0
    assert "emails from" in result["generated_summary"]


def test_bad_arguments_are_clear_errors(tmp_path):
    proc = bench(cwd=tmp_path)
    assert proc.returncode != 0 and "--corpus" in proc.stderr
    (tmp_path / "flat").mkdir()
    proc = bench("--corpus", str(tmp_path / "flat"), cwd=tmp_path)
    assert proc.returncode == 1 and "no label folders" in proc.stderr
