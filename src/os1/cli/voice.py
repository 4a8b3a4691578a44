"""``os1 voice``: talk with OS1 out loud.

Hands free ("earpiece mode"): it listens all the time, answers when you have
finished, and stops talking the moment you speak over it. ``--push-to-talk``:
press Enter to talk and Enter again when you are done. ``--in/--out``: a
recorded question in, the spoken reply out (for scripts and tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
from pathlib import Path
from typing import Any

import click

from os1.core.config import load_settings


def _printer(os_name: str, as_json: bool) -> Any:
    from os1.voice import frames as f

    def show(frame: f.Frame) -> None:
        if as_json:
            data: dict[str, Any] = {"frame": type(frame).__name__}
            for key in ("text", "reply_id", "status", "level", "heard", "final", "message_id"):
                if hasattr(frame, key):
                    data[key] = getattr(frame, key)
            if isinstance(frame, f.ReplyStarted):
                data["affect"] = frame.affect
                data["pace"], data["pause_s"] = frame.style.pace, frame.style.pause_s
            if isinstance(frame, f.ReplyAudio):
                data.pop("text", None)
                data["seconds"] = round(len(frame.samples) / frame.rate, 3)
            print(json.dumps(data, default=str), flush=True)
            return
        if isinstance(frame, f.Heard):
            click.secho(f"you › {frame.text}", fg="cyan")
        elif isinstance(frame, f.ReplyEnded):
            if frame.text:
                click.echo(f"{os_name} › {frame.text}")
        elif isinstance(frame, f.Interruption):
            click.secho(f"(you cut in; you heard: “{frame.heard}”)" if frame.heard
                        else "(you cut in)", dim=True)
        elif isinstance(frame, f.Notice):
            click.secho(frame.text, fg="yellow", err=True)

    return show


def _load(stt: str, voice: str | None) -> Any:
    from os1.expression.tts import TTSUnavailable
    from os1.perception.stt import STTUnavailable
    from os1.perception.vad import VADUnavailable
    from os1.voice.session import load_ears

    try:
        return load_ears(stt, voice)
    except (STTUnavailable, VADUnavailable, TTSUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("voice")
@click.option("--in", "in_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A recorded question (wav, flac, ogg, or raw 16 kHz s16le) instead of the microphone.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="With --in: write the spoken reply here (wav) instead of playing it.")
@click.option("--push-to-talk", is_flag=True, help="Press Enter to talk, Enter again when you're done.")
@click.option("--stt", "stt_engine", type=click.Choice(["whisper", "sphinx"]), default="whisper",
              show_default=True, help="Speech to text engine (sphinx is lighter, less accurate).")
@click.option("--voice", "voice", default=None, metavar="NAME",
              help="joe (Piper, default), espeak-female, espeak-male or espeak:<voice>.")
@click.option("--json", "as_json", is_flag=True, help="Print every pipeline frame as a JSON line.")
def voice_command(in_path: Path | None, out_path: Path | None, push_to_talk: bool, stt_engine: str,
                  voice: str | None, as_json: bool) -> None:
    """Talk with OS1 by voice: hands-free, push-to-talk, or a recorded question."""
    from os1.core.conversation import Conversation
    from os1.core.runtime import open_runtime

    if out_path is not None and in_path is None:
        raise click.UsageError("--out needs --in (a recorded question to answer).")
    if out_path is not None and out_path.parent and not out_path.parent.exists():
        raise click.ClickException(f"Can't write {out_path}: the folder {out_path.parent} doesn't exist.")
    audio = None
    if in_path is not None:
        from os1.perception.audio import AudioError, load_audio

        try:
            audio = load_audio(in_path)
        except AudioError as exc:
            raise click.ClickException(str(exc)) from exc
        for note in audio.notes:
            click.secho(f"Note: {note}.", fg="yellow", err=True)
    microphone = _microphone() if audio is None else None  # say so before loading any model
    settings = load_settings()
    runtime = open_runtime(settings)
    try:
        from os1.voice.session import choose_voice

        chosen, notice = choose_voice(voice, settings.voice, runtime.profile.voice)
        if notice:
            click.secho(notice, fg="yellow", err=True)
        ears = _load(stt_engine, chosen)
        if not runtime.profile.booted:
            click.secho("(OS1 hasn't been set up yet; run `os1` for the first-boot interview.)",
                        fg="yellow", err=True)
        conversation = Conversation.resume_or_start(runtime)
        show = _printer(runtime.profile.os_name or "OS1", as_json)
        if audio is not None:
            _answer_file(conversation, ears, audio, out_path, show)
        else:
            _live(conversation, ears, microphone, push_to_talk, show)
    finally:
        runtime.close()


def _answer_file(conversation: Any, ears: Any, audio: Any, out_path: Path | None, show: Any) -> None:
    from os1.perception.audio import Audio, write_wav
    from os1.voice.frames import Heard
    from os1.voice.playback import ClockOutput
    from os1.voice.session import build_pipeline, feed_audio

    output = ClockOutput(ears.tts.sample_rate, realtime=False)
    pipeline = build_pipeline(conversation, ears, output, barge_in=False, sink=show)
    asyncio.run(pipeline.run(lambda p: feed_audio(p, audio)))
    if not any(isinstance(frame, Heard) for frame in pipeline.output):
        click.secho("I didn't hear any speech in that recording.", fg="yellow", err=True)
    for error in pipeline.errors:
        click.secho(f"Problem: {error}", fg="red", err=True)
    if out_path is not None:
        recording = output.recording
        try:
            write_wav(out_path, Audio(recording, output.rate))
        except OSError as exc:
            raise click.ClickException(f"Can't write {out_path}: {exc.strerror or exc}.") from exc
        click.secho(f"Wrote {len(recording) / output.rate:.1f} s of reply to {out_path}.", dim=True, err=True)
    elif any(isinstance(frame, Heard) for frame in pipeline.output):
        click.secho("(No --out given, so the reply was not spoken.)", dim=True, err=True)


def _microphone() -> Any:
    from os1.voice.session import InputUnavailable, Microphone

    try:
        return Microphone()
    except InputUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def _speak_up_through(pipeline: Any, runtime: Any, loop: asyncio.AbstractEventLoop) -> Any:
    """Reminders and alarms that fall due while the user is listening are said in the conversation."""
    from os1.initiative.scheduler import Outlet, Scheduler
    from os1.voice.frames import SpeakUp
    from os1.voice.thinker import Thinker

    thinker = pipeline.find(Thinker)

    def say(event: Any) -> bool:
        loop.call_soon_threadsafe(thinker.queue_frame, SpeakUp(event.text, event.message_id, event.kind))
        return True

    scheduler = Scheduler(runtime)
    scheduler.attach(Outlet("voice", say))
    scheduler.start_thread()
    return scheduler


def _live(conversation: Any, ears: Any, microphone: Any, push_to_talk: bool, show: Any) -> None:
    from os1.voice.playback import OutputUnavailable, SpeakerOutput
    from os1.voice.session import build_pipeline

    try:
        output = SpeakerOutput(ears.tts.sample_rate)
    except OutputUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    pipeline = build_pipeline(conversation, ears, output, sink=show)
    stop = asyncio.Event()
    if push_to_talk:
        microphone.muted = True
        click.secho("Push to talk: press Enter to talk, Enter again when you're done. Ctrl-C to leave.",
                    dim=True, err=True)
    else:
        click.secho("I'm listening. Just talk; speak over me to interrupt. Ctrl-C to leave.",
                    dim=True, err=True)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        if push_to_talk:
            def keys() -> None:
                for _line in sys.stdin:
                    if microphone.muted:
                        loop.call_soon_threadsafe(pipeline.barge_in)
                    microphone.muted = not microphone.muted
                    click.secho("(talking…)" if not microphone.muted else "(thinking…)", dim=True, err=True)
                loop.call_soon_threadsafe(stop.set)

            threading.Thread(target=keys, daemon=True).start()
        scheduler = _speak_up_through(pipeline, conversation.runtime, loop)
        try:
            await pipeline.run(lambda p: microphone.run(p, stop))
        finally:
            scheduler.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    click.echo("\nBye for now.", err=True)
