"""A brain at any OpenAI-compatible endpoint: Ollama, vLLM, llama.cpp server, LM Studio, OpenAI.

Chosen with ``OS1_BRAIN=openai-compatible`` plus ``OS1_BRAIN_URL`` and
``OS1_BRAIN_MODEL`` (or simply ``OS1_BRAIN=http://host:port/v1``), or the
``[brain]`` table of ``config.toml``. Streams text and native tool calls.
The API key is passed to the client and never printed.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from os1.brain.base import Brain, BrainUnavailable, Delta, Message, TextDelta, ToolCall
from os1.core.config import BrainSettings


def _to_openai(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        out["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for call in message.tool_calls
        ]
    if message.tool_call_id:
        out["tool_call_id"] = message.tool_call_id
    return out


class OpenAICompatibleBrain(Brain):
    name = "openai-compatible"
    supports_tools = True
    max_reply_tokens = 512

    def __init__(self, settings: BrainSettings | None = None) -> None:
        settings = settings or BrainSettings(name="openai-compatible")
        if not settings.url:
            raise BrainUnavailable(
                "OS1_BRAIN is 'openai-compatible' but no endpoint is set: "
                "set OS1_BRAIN_URL (e.g. http://localhost:11434/v1 for Ollama)."
            )
        import openai  # imported here so the embedded path stays light

        self._openai = openai
        self.url = settings.url.rstrip("/")
        self.model = settings.model
        self.context_tokens = settings.context_tokens if settings.context_tokens > 2048 else 8192
        self._client = openai.AsyncOpenAI(
            base_url=self.url,
            api_key=settings.api_key or "not-needed",
            timeout=settings.timeout_s,
            max_retries=1,
        )

    def describe(self) -> str:
        return f"openai-compatible {self.model or '(first model)'} at {self.url}"

    def _explain(self, exc: Exception) -> BrainUnavailable:
        oa = self._openai
        if isinstance(exc, oa.APITimeoutError):
            return BrainUnavailable(f"The brain at {self.url} did not answer in time.")
        if isinstance(exc, oa.APIConnectionError):
            return BrainUnavailable(
                f"I can't reach the brain at {self.url} (is the server running?)."
            )
        if isinstance(exc, oa.AuthenticationError):
            return BrainUnavailable(
                f"The brain at {self.url} refused the API key; check OS1_BRAIN_API_KEY."
            )
        if isinstance(exc, oa.NotFoundError):
            return BrainUnavailable(
                f"The brain at {self.url} has no model {self.model!r}; check OS1_BRAIN_MODEL."
            )
        if isinstance(exc, oa.APIStatusError):
            return BrainUnavailable(
                f"The brain at {self.url} answered with an error ({exc.status_code})."
            )
        return BrainUnavailable(f"The brain at {self.url} failed: {type(exc).__name__}")

    async def _model(self) -> str:
        if self.model:
            return self.model
        try:
            page = await self._client.models.list()
        except self._openai.OpenAIError as exc:
            raise self._explain(exc) from exc
        if not page.data:
            raise BrainUnavailable(f"The brain at {self.url} lists no models; set OS1_BRAIN_MODEL.")
        self.model = page.data[0].id
        return self.model

    async def check(self) -> None:
        await self._model()

    async def stream(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[Delta]:
        model = await self._model()
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": [_to_openai(m) for m in messages],
            "stream": True,
            "max_tokens": self.max_reply_tokens,
        }
        if tools:
            kwargs["tools"] = tools
        calls: dict[int, dict[str, str]] = {}
        try:
            response = await self._client.chat.completions.create(**kwargs)
            async for chunk in response:
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta
                if delta.content:
                    yield TextDelta(delta.content)
                for part in delta.tool_calls or []:
                    slot = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
                    if part.id:
                        slot["id"] = part.id
                    if part.function and part.function.name:
                        slot["name"] += part.function.name
                    if part.function and part.function.arguments:
                        slot["arguments"] += part.function.arguments
        except self._openai.OpenAIError as exc:
            raise self._explain(exc) from exc
        for index, slot in sorted(calls.items()):
            try:
                arguments = json.loads(slot["arguments"] or "{}")
            except json.JSONDecodeError:
                arguments = {}
            yield ToolCall(id=slot["id"] or f"call_{index}", name=slot["name"], arguments=arguments)

    async def aclose(self) -> None:
        await self._client.close()
