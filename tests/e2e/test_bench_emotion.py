"""`os1 bench emotion --goemotions FILE [--labels FILE]`: the output contract, on tiny files of our own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from os1.bench.emotion import f1_per_label, read_label_set, read_rows

FIXTURES = Path(__file__).parents[1] / "fixtures" / "goemotions"
TINY = FIXTURES / "tiny.tsv"
EKMAN_TINY = FIXTURES / "ekman_tiny.tsv"
EKMAN_LABELS = FIXTURES / "ekman_labels.txt"


def bench(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "os1", "bench", "emotion", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def last_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_f1_per_label_matches_the_definition():
    gold = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=np.int8)
    pred = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.int8)
    np.testing.assert_allclose(f1_per_label(gold, pred), [2 / 3, 2 / 3, 0.0])


def test_bench_emotion_on_the_28_labels(tmp_path):
    proc = bench("--goemotions", str(TINY), cwd=tmp_path)
    result = last_json(proc)
    for key in ("macro_f1", "per_label_f1", "sentences_per_s", "rows", "label_set", "f1_by_label"):
        assert key in result, key
    assert result["rows"] == 12 and result["skipped_rows"] == 0
    assert result["label_set"] == "goemotions" and result["labels"] == 28
    assert set(result["per_label_f1"]) == {"fear", "nervousness", "excitement", "sadness"}
    assert result["per_label_f1"]["fear"] == 1.0 and result["per_label_f1"]["sadness"] >= 0.6
    assert 0.0 < result["macro_f1"] <= result["macro_f1_supported"] <= 1.0
    assert result["macro_f1_supported"] >= 0.6  # clear sentences: most labels are found
    assert result["sentences_per_s"] > 0
    assert "12 rows, 28 labels" in proc.stderr


def test_bench_emotion_on_the_ekman_labels(tmp_path):
    result = last_json(bench("--goemotions", str(EKMAN_TINY), "--labels", str(EKMAN_LABELS), cwd=tmp_path))
    assert result["label_set"] == "ekman" and result["labels"] == 7 and result["rows"] == 8
    assert result["per_label_f1"]["nervousness"] is None and result["per_label_f1"]["excitement"] is None
    assert result["per_label_f1"]["fear"] == 1.0
    assert result["macro_f1_supported"] >= 0.8


def test_malformed_rows_are_skipped_and_counted(tmp_path):
    good = TINY.read_bytes().splitlines()
    data = b"\n".join([
        good[0],
        b"only two columns\t15",                       # wrong column count
        b"text\t99\tbad1",                             # label id out of range
        b"caf\xe9 au lait is great\t17\tbad2",         # not UTF-8
        b"text\tjoy\tbad3",                            # not an id
        good[1],
        b"",
    ])
    path = tmp_path / "messy.tsv"
    path.write_bytes(data)
    proc = bench("--goemotions", str(path), cwd=tmp_path)
    result = last_json(proc)
    assert result["rows"] == 2 and result["skipped_rows"] == 4
    assert "skipped 4 malformed row(s)" in proc.stderr
    for reason in ("wrong column count", "label id out of range", "not UTF-8", "not integers"):
        assert reason in proc.stderr, reason
    texts, labels, _, where = read_rows(path, 28)
    assert len(texts) == 2 and labels == [[15], [14]] and where["bad encoding (not UTF-8)"] == [4]


def test_an_empty_or_foreign_file_is_one_clear_error(tmp_path):
    cases = {
        "empty.tsv": b"",
        "blank.tsv": b"\n\n  \n",
        "notes.txt": b"just some notes\nwithout any tabs\n",
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        proc = bench("--goemotions", str(path), cwd=tmp_path)
        assert proc.returncode == 1, (name, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert ("is empty" in proc.stderr) if name in ("empty.tsv", "blank.tsv") else \
            ("not a GoEmotions-format TSV" in proc.stderr), (name, proc.stderr)


def test_bad_label_files(tmp_path):
    unknown = tmp_path / "labels.txt"
    unknown.write_text("happiness\nfear\n")
    proc = bench("--goemotions", str(TINY), "--labels", str(unknown), cwd=tmp_path)
    assert proc.returncode == 1 and "unknown label(s) happiness" in proc.stderr
    assert "Traceback" not in proc.stderr
    empty = tmp_path / "none.txt"
    empty.write_text("\n")
    proc = bench("--goemotions", str(TINY), "--labels", str(empty), cwd=tmp_path)
    assert proc.returncode == 1 and "is empty" in proc.stderr
    subset = tmp_path / "subset.txt"
    subset.write_text("fear\nsadness\n")
    assert read_label_set(subset) == ("fear", "sadness")


def test_bench_emotion_needs_the_file(tmp_path):
    proc = bench(cwd=tmp_path)
    assert proc.returncode == 2 and "--goemotions" in proc.stderr
