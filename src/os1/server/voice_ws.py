"""``/v1/voice``: a spoken conversation over a WebSocket, for the web and phone clients.

Connect with ``?token=…`` (or an ``Authorization: Bearer`` header), optionally
``&conversation=<id|latest|new>``, ``&codec=pcm16|opus`` and, for PCM, ``&rate=16000``.

Client → server
  * binary frames: microphone audio — PCM s16le mono at ``rate``, or one Opus
    packet per frame (``codec=opus``, any Opus rate);
  * ``{"type": "interrupt"}``: stop talking now (a tap on the screen);
  * ``{"type": "end"}``: no more audio; the server answers what it heard, then closes.

Server → client
  * ``{"type": "ready", "conversation_id", "audio_out": {"codec": "pcm16", "rate", "channels": 1}}``;
  * binary frames: OS1's voice, PCM s16le mono at ``audio_out.rate``, to be played as it arrives;
  * JSON: ``speaking`` (the user started talking), ``transcript`` (what OS1 heard),
    ``affect`` (how they seemed to feel), ``sentence`` (the words of the audio that follows),
    ``reply_done``, ``interrupted`` (with ``heard``: the words the user heard before cutting in),
    ``notice`` and ``error``;
  * ``initiative``: OS1 speaks up on its own (a reminder; the same event as on ``/v1/ws``), and then
    says it, after any reply in progress.

The server assumes the client plays audio as it arrives; when the user speaks
over it, it stops sending and keeps only the heard words in the conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

import numpy as np
from fastapi import FastAPI, WebSocket

from os1.core.conversation import Conversation
from os1.core.events import to_dict
from os1.perception.audio import SAMPLE_RATE, from_pcm16, resample, to_pcm16
from os1.server.auth import bearer_token, token_matches
from os1.server.websocket import CLOSE_BAD_TOKEN, CLOSE_NO_CONVERSATION, Hub
from os1.voice import frames as f
from os1.voice.playback import ClockOutput
from os1.voice.thinker import Thinker

log = logging.getLogger(__name__)
MAX_FRAME_BYTES = 1 << 20  # one second of 48 kHz stereo s16 is 192 kB; anything over 1 MB is a mistake


class _Ears:
    """The voice models, loaded once per server on the first voice connection."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._ears: Any = None
        self._lock = asyncio.Lock()

    async def get(self) -> Any:
        async with self._lock:
            if self._ears is None:
                from os1.voice.session import choose_voice, load_ears

                runtime = self.hub.runtime
                voice, notice = choose_voice(None, runtime.settings.voice, runtime.profile.voice)
                if notice:
                    log.warning("%s", notice)
                self._ears = await asyncio.to_thread(load_ears, "whisper", voice)
            return self._ears


class _OpusDecoder:
    def __init__(self) -> None:
        import av

        self._codec = av.CodecContext.create("libopus", "r")
        self._codec.sample_rate = 48_000
        self._codec.layout = "mono"
        self._av = av

    def decode(self, packet: bytes) -> np.ndarray:
        chunks = []
        for frame in self._codec.decode(self._av.Packet(packet)):
            array = frame.to_ndarray()
            if array.dtype != np.float32:
                array = array.astype(np.float32) / 32768.0
            mono = array.mean(axis=0) if array.ndim == 2 and array.shape[0] > 1 else array.reshape(-1)
            chunks.append(resample(mono.astype(np.float32), frame.sample_rate, SAMPLE_RATE))
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


def add_voice_route(app: FastAPI, hub: Hub, token: str) -> None:
    ears = _Ears(hub)

    @app.websocket("/v1/voice")
    async def voice(websocket: WebSocket) -> None:
        given = bearer_token(websocket.headers.get("authorization"))
        if not (token_matches(given, token) or token_matches(websocket.query_params.get("token"), token)):
            await websocket.accept()
            await websocket.close(CLOSE_BAD_TOKEN, "bad or missing token")
            return
        await websocket.accept()
        params = websocket.query_params
        codec = params.get("codec", "pcm16")
        try:
            rate = int(params.get("rate", SAMPLE_RATE))
            if codec not in ("pcm16", "opus") or not 4000 <= rate <= 192_000:
                raise ValueError
        except ValueError:
            await websocket.send_json({"type": "error", "text": "Use codec=pcm16 (with rate=4000…192000) "
                                                                "or codec=opus."})
            await websocket.close(1003, "bad audio parameters")
            return
        conversation_id = hub.resolve(params.get("conversation") or "latest", allow_new=True)
        if conversation_id is None:
            await websocket.send_json({"type": "error", "text": "There is no such conversation."})
            await websocket.close(CLOSE_NO_CONVERSATION, "unknown conversation")
            return
        try:
            loaded = await ears.get()
        except Exception as exc:
            await websocket.send_json({"type": "error", "text": f"Voice is not available here: {exc}"})
            await websocket.close(1011, "voice unavailable")
            return
        await _VoiceSession(hub, websocket, conversation_id, loaded, codec, rate).run()


class _VoiceSession:
    def __init__(self, hub: Hub, websocket: WebSocket, conversation_id: str, ears: Any,
                 codec: str, rate: int) -> None:
        from os1.perception.vad import VoiceActivityDetector
        from os1.voice.session import Ears, build_pipeline

        self.ws = websocket
        self.outbox: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self.codec, self.rate = codec, rate
        self.hub = hub
        self.conversation_id = conversation_id
        self.output = ClockOutput(ears.tts.sample_rate, realtime=True,
                                  send=lambda samples: self.outbox.put_nowait(to_pcm16(samples)))
        own = Ears(VoiceActivityDetector(), ears.stt, ears.tts, ears.prosody)  # VAD state is per stream
        conversation = Conversation(hub.runtime, conversation_id)
        self.pipeline = build_pipeline(conversation, own, self.output, sink=self._frame)
        self.clock = 0.0

    def _json(self, data: dict[str, Any]) -> None:
        self.outbox.put_nowait(json.dumps(data))

    def _speak_up(self, event: Any) -> None:
        """OS1 speaks on its own (a reminder): the event as JSON, then said like a reply."""
        self._json(to_dict(event))
        thinker = self.pipeline.find(Thinker)
        if thinker is not None:
            thinker.queue_frame(f.SpeakUp(event.text, event.message_id, event.kind))

    def _frame(self, frame: f.Frame) -> None:
        if isinstance(frame, f.UserSpeaking):
            self._json({"type": "speaking"})
        elif isinstance(frame, f.Heard):
            self._json({"type": "transcript", "text": frame.text, "final": frame.final})
        elif isinstance(frame, f.ReplyStarted):
            self._json({"type": "affect", "reply_id": frame.reply_id, **frame.affect,
                        "pace": frame.style.pace})
        elif isinstance(frame, f.ReplyAudio):
            pass  # already sent as binary by the output
        elif isinstance(frame, f.ReplyEnded):
            self._json({"type": "reply_done", "reply_id": frame.reply_id, "text": frame.text,
                        "status": frame.status, "message_id": frame.message_id})
        elif isinstance(frame, f.Interruption):
            self._json({"type": "interrupted", "reply_id": frame.reply_id, "heard": frame.heard})
        elif isinstance(frame, f.Notice):
            self._json({"type": "notice", "text": frame.text, "level": frame.level})

    async def _send_loop(self) -> None:
        while (item := await self.outbox.get()) is not None:
            try:
                if isinstance(item, bytes):
                    await self.ws.send_bytes(item)
                else:
                    await self.ws.send_text(item)
            except Exception:
                return

    async def _receive(self, pipeline: Any) -> None:
        decoder = _OpusDecoder() if self.codec == "opus" else None
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                data = message.get("bytes")
                if data is not None:
                    if len(data) > MAX_FRAME_BYTES:
                        self._json({"type": "error", "text": "That audio frame is too big; send ≤ 1 MB."})
                        continue
                    samples = self._decode(decoder, data)
                    if samples is not None and len(samples):
                        pipeline.send(f.AudioIn(samples, self.clock, time.monotonic()))
                        self.clock += len(samples) / SAMPLE_RATE
                    continue
                try:
                    request = json.loads(message.get("text") or "")
                except ValueError:
                    request = None
                kind = request.get("type") if isinstance(request, dict) else None
                if kind == "end":
                    break
                if kind == "interrupt":
                    pipeline.barge_in()
                else:
                    self._json({"type": "error", "text": 'Send audio as binary frames, or JSON '
                                                         '{"type": "interrupt"} / {"type": "end"}.'})
        finally:
            pipeline.send(f.EndOfStream())

    def _decode(self, decoder: _OpusDecoder | None, data: bytes) -> np.ndarray | None:
        try:
            if decoder is not None:
                return decoder.decode(data)
            if len(data) % 2:
                data = data[:-1]
            samples = from_pcm16(data, self.rate).samples
            return resample(samples, self.rate, SAMPLE_RATE) if self.rate != SAMPLE_RATE else samples
        except Exception as exc:
            self._json({"type": "error", "text": f"I couldn't decode that audio frame ({exc})."})
            return None

    async def run(self) -> None:
        self._json({"type": "ready", "conversation_id": self.conversation_id,
                    "audio_out": {"codec": "pcm16", "rate": self.output.rate, "channels": 1}})
        sender = asyncio.create_task(self._send_loop())
        stop_listening = self.hub.listen("voice", self._speak_up)
        try:
            await self.pipeline.run(self._receive)
        finally:
            stop_listening()
            self.outbox.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(sender, 5)
            with contextlib.suppress(Exception):
                await self.ws.close()
