"""`os1 bench memory --locomo FILE`: the output contract, on a tiny LoCoMo-format file of our own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from os1.bench.memory import conversation_items, evidence_ids, parse_session_time

FIXTURE = Path(__file__).parents[1] / "fixtures" / "locomo_tiny.json"


def test_locomo_parsing_helpers():
    assert parse_session_time("7:40 pm on 18 April, 2024").strftime("%Y-%m-%d %H:%M") == "2024-04-18 19:40"
    assert evidence_ids(["D8:6; D9:17", "D1:3"]) == ["D8:6", "D9:17", "D1:3"]
    items, last = conversation_items(json.loads(FIXTURE.read_text())[0]["conversation"])
    assert [i["meta"]["dia_id"] for i in items][:2] == ["D1:1", "D1:2"]
    assert "[shares a photo: a photo of a cello on a chair]" in items[3]["text"]
    assert last.strftime("%Y-%m-%d") == "2024-04-18"


def test_bench_memory_prints_the_metrics_as_its_last_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "os1", "bench", "memory", "--locomo", str(FIXTURE), "--k", "1,5"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in ("recall_any@1", "recall_all@1", "recall_any@5", "recall_all@5", "per_category",
                "questions", "memories", "ingest_s", "query_p95_ms"):
        assert key in result, key
    assert result["questions"] == 3 and result["adversarial_questions"] == 1
    assert result["memories"] == 7
    assert result["recall_any@5"] == 1.0  # 7 memories: top 5 must find each answer here
    assert result["per_category"]["4_single_hop"]["recall_any@1"] == 1.0


def test_bench_memory_needs_an_input(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "os1", "bench", "memory"], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2 and "--locomo" in proc.stderr


def test_bench_memory_rejects_a_file_that_is_not_locomo(tmp_path):
    for name, content in (("notes.txt", "hello"), ("wrong.json", '{"qa": []}')):
        path = tmp_path / name
        path.write_text(content)
        proc = subprocess.run([sys.executable, "-m", "os1", "bench", "memory", "--locomo", str(path)],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert "not a LoCoMo-format JSON file" in proc.stderr
