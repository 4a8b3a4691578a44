"""``/v1/voice`` on a real ``os1 serve``: audio frames in, transcript, reply text and reply audio out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import websockets

from os1.perception.audio import SAMPLE_RATE, from_pcm16, resample, to_pcm16
from tests.e2e.conftest import HOST, ServerHandle, start_server
from tests.voice_fixtures import piper_audio

TIMEOUT_S = 60


@pytest.fixture(scope="module")
def voice_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """One server for the module (loading the voice models takes a few seconds)."""
    home = tmp_path_factory.mktemp("voicehome")
    script = home.parent / "script.json"
    script.write_text(json.dumps(["It really is lovely. Enjoy the sunshine."] * 20))
    server = start_server(home / "home", {"OS1_SCRIPT": str(script)})
    try:
        server.boot()
        yield server
    finally:
        server.stop()


def question(rate: int = SAMPLE_RATE) -> np.ndarray:
    audio = piper_audio("The weather is lovely today.")
    samples = resample(audio.samples, audio.rate, rate)
    pad = np.zeros(int(0.3 * rate), np.float32)
    return np.concatenate([pad, samples, np.zeros(int(1.5 * rate), np.float32)])


def connect(server: ServerHandle, query: str = "") -> Any:
    url = f"ws://{HOST}:{server.port}/v1/voice?token={server.token}{query}"
    return websockets.connect(url, proxy=None, open_timeout=TIMEOUT_S, max_size=None)


async def converse(ws: Any, packets: list[bytes]) -> tuple[list[dict[str, Any]], bytes]:
    ready = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
    assert ready["type"] == "ready" and ready["audio_out"]["codec"] == "pcm16"
    for packet in packets:
        await ws.send(packet)
    await ws.send(json.dumps({"type": "end"}))
    events: list[dict[str, Any]] = [ready]
    audio = b""
    try:
        while True:
            message = await asyncio.wait_for(ws.recv(), TIMEOUT_S)
            if isinstance(message, bytes):
                audio += message
            else:
                events.append(json.loads(message))
    except websockets.ConnectionClosed:
        pass
    return events, audio


def pcm_packets(samples: np.ndarray, rate: int) -> list[bytes]:
    step = int(0.032 * rate)
    return [to_pcm16(samples[i:i + step]) for i in range(0, len(samples), step)]


async def test_a_spoken_question_gets_a_transcript_and_a_spoken_reply(voice_server: ServerHandle) -> None:
    async with connect(voice_server) as ws:
        events, audio = await converse(ws, pcm_packets(question(), SAMPLE_RATE))
    kinds = [e["type"] for e in events]
    transcript = next(e for e in events if e["type"] == "transcript")
    assert "weather is lovely" in transcript["text"].lower()
    done = next(e for e in events if e["type"] == "reply_done")
    assert done["text"] == "It really is lovely. Enjoy the sunshine." and done["status"] == "complete"
    assert kinds.index("transcript") < kinds.index("affect") < kinds.index("reply_done")
    rate = events[0]["audio_out"]["rate"]
    assert len(audio) / 2 / rate > 1.0  # over a second of reply audio, as PCM s16le
    assert np.abs(from_pcm16(audio, rate).samples).max() > 0.05  # and not silence
    with voice_server.client() as client:  # the same conversation as text clients see
        messages = client.get("/v1/conversations/latest/messages").json()
    assert "weather" in json.dumps(messages).lower()


async def test_telephone_audio_at_8khz_is_understood(voice_server: ServerHandle) -> None:
    async with connect(voice_server, "&rate=8000") as ws:
        events, _ = await converse(ws, pcm_packets(question(8000), 8000))
    transcript = next(e for e in events if e["type"] == "transcript")
    assert "weather" in transcript["text"].lower()


async def test_opus_frames_are_decoded(voice_server: ServerHandle) -> None:
    import av

    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate = 48_000
    encoder.layout = "mono"
    encoder.format = "s16"
    samples = (np.clip(question(48_000), -1, 1) * 32767).astype(np.int16)
    packets: list[bytes] = []
    for start in range(0, len(samples) - 960, 960):
        frame = av.AudioFrame.from_ndarray(samples[start:start + 960].reshape(1, -1), format="s16",
                                           layout="mono")
        frame.sample_rate = 48_000
        packets.extend(bytes(p) for p in encoder.encode(frame))
    async with connect(voice_server, "&codec=opus") as ws:
        events, audio = await converse(ws, packets)
    assert "weather" in next(e for e in events if e["type"] == "transcript")["text"].lower()
    assert audio


async def test_bad_token_and_bad_parameters_are_refused(voice_server: ServerHandle) -> None:
    url = f"ws://{HOST}:{voice_server.port}/v1/voice?token=wrong"
    async with websockets.connect(url, proxy=None) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), TIMEOUT_S)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    async with connect(voice_server, "&codec=mp3") as ws:
        error = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
    assert error["type"] == "error" and "codec" in error["text"]


async def test_garbage_frames_get_an_error_and_the_session_goes_on(voice_server: ServerHandle) -> None:
    async with connect(voice_server) as ws:
        await asyncio.wait_for(ws.recv(), TIMEOUT_S)  # ready
        await ws.send("not json")
        error = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
        assert error["type"] == "error"
        await ws.send(b"\x01")  # an odd byte count: dropped, not fatal
        await ws.send(json.dumps({"type": "end"}))
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), TIMEOUT_S)
