"""The memory system: what the turn loop and the commands use to remember and recall.

Every exchange becomes two episodic memories (what the user said, what the OS
said), scored for importance and embedded for dense retrieval. Observers see
each new memory: the fact keeper (facts and people) and the reflector
(reflection when importance accumulates).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from os1.memory import importance
from os1.memory.facts import FactKeeper
from os1.memory.reflection import Reflector
from os1.memory.retrieval import Hit, Retriever, Weights, embed_text
from os1.memory.vectors import VectorIndex, to_blob
from os1.mind.encoder import Encoder, EncoderUnavailable
from os1.storage.base import Memory, Store

log = logging.getLogger(__name__)
EMBED_BATCH = 64


class MemorySystem:
    def __init__(self, store: Store, encoder: Encoder | None, weights: Weights | None = None) -> None:
        self.store = store
        self.encoder = encoder
        self.index = VectorIndex(store.memories)
        self.retriever = Retriever(store.memories, encoder, self.index, weights)
        self.facts = FactKeeper(store)
        self.reflector = Reflector(store)

    # -- writing ------------------------------------------------------------
    def _embed(self, items: list[dict[str, Any]]) -> None:
        if self.encoder is None or not items:
            return
        texts = []
        for index, item in enumerate(items):
            following = item.get("following", "")
            if not following and index + 1 < len(items):
                nxt = items[index + 1]
                if nxt.get("conversation_id") == item.get("conversation_id"):
                    following = embed_text(nxt["text"], nxt.get("speaker", ""))
            texts.append(embed_text(item["text"], item.get("speaker", ""), following))
        try:
            vectors = self.encoder.encode(texts)
        except EncoderUnavailable as exc:
            log.warning("memories stored without embeddings: %s", exc)
            self.encoder = None
            return
        for item, vector in zip(items, vectors, strict=True):
            item["embedding"] = to_blob(vector)

    def ingest(self, items: list[dict[str, Any]], observe: bool = True) -> list[Memory]:
        """Store many memories at once (text, speaker, source, kind, occurred_at, meta …)."""
        kept = [dict(i) for i in items if str(i.get("text", "")).strip()]
        for item in kept:
            item.setdefault("kind", "episode")
            item.setdefault("conversation_id", None)
            item.setdefault("importance", importance.score(str(item["text"])))
        stored: list[Memory] = []
        for start in range(0, len(kept), EMBED_BATCH * 8):
            chunk = kept[start:start + EMBED_BATCH * 8]
            self._embed(chunk)
            stored.extend(self.store.memories.add_many(chunk))
        if observe:
            for memory in stored:
                self._observe(memory)
        return stored

    def record(self, text: str, *, speaker: str = "", source: str = "conversation",
               kind: str = "episode", conversation_id: str | None = None,
               occurred_at: float | None = None, emotion: str | None = None,
               meta: dict[str, Any] | None = None) -> Memory | None:
        stored = self.ingest([dict(text=text, speaker=speaker, source=source, kind=kind,
                                   conversation_id=conversation_id, occurred_at=occurred_at,
                                   emotion=emotion, meta=meta)])
        return stored[0] if stored else None

    def record_exchange(self, conversation_id: str, user_text: str, reply: str,
                        user_name: str, os_name: str, emotion: str | None = None) -> list[Memory]:
        """The user's words (with how they seemed to feel, ``emotion``) and the reply, as memories."""
        items = [dict(text=user_text, speaker=user_name or "user", source="conversation",
                      conversation_id=conversation_id, emotion=emotion, meta={"role": "user"})]
        if reply.strip():
            items.append(dict(text=reply, speaker=os_name or "OS1", source="conversation",
                              conversation_id=conversation_id, meta={"role": "assistant"}))
        return self.ingest(items)

    def _observe(self, memory: Memory) -> None:
        for observer in (self.facts.observe, self.reflector.observe):
            try:
                observer(memory)
            except Exception:  # an observer's bug must not lose the memory itself
                log.exception("memory observer failed on memory %s", memory.id)

    def backfill_embeddings(self) -> int:
        """Embed memories stored without a vector (another process, or no encoder then)."""
        if self.encoder is None:
            return 0
        done = 0
        while batch := self.store.memories.missing_embeddings(EMBED_BATCH * 4):
            vectors = self.encoder.encode([text for _, text in batch])
            self.store.memories.set_embeddings(
                [(mid, to_blob(v)) for (mid, _), v in zip(batch, vectors, strict=True)])
            done += len(batch)
        return done

    # -- reading ------------------------------------------------------------
    def recall(self, query: str, k: int = 5, now: datetime | None = None,
               kinds: tuple[str, ...] | None = None, candidates: int | None = None) -> list[Hit]:
        return self.retriever.search(query, k, now, kinds, candidates)
