"""``os1`` / ``os1 chat`` (interactive terminal conversation) and ``os1 say`` (one shot).

The chat runs first boot when the OS has never been set up, resumes the last
conversation ("pick up where we left off"), streams replies, and treats Ctrl-C
during a reply as "stop talking" (the part already shown is kept) and Ctrl-C
or Ctrl-D at the prompt as goodbye. With ``--server URL`` the same conversation
continues through a running ``os1 serve``, from any terminal or device.

While the chat is open OS1 may speak up on its own (a reminder, an alarm): at the prompt it is shown
at once, above the prompt; during a reply, right after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import sys
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from os1.core.config import load_settings
from os1.core.events import to_dict
from os1.expression.terminal import TerminalRenderer
from os1.storage.base import StorageError

PROMPT = "you › "
RESUME_SHOWN = 4


def _robust_stdin() -> None:
    """Undecodable bytes become surrogates (cleaned later) instead of crashing input()."""
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="surrogateescape")


class PromptAwareOutlet:
    """Shows what OS1 says on its own: at once while the user sits at the prompt, else after the reply.

    ``say`` is called from the scheduler's thread; the main thread reads with :meth:`read`."""

    def __init__(self, renderer: TerminalRenderer, read: Callable[[], str], prompt: str = PROMPT) -> None:
        self.renderer = renderer
        self._read = read
        self.prompt = prompt
        self._lock = threading.Lock()
        self._at_prompt = False
        self._waiting: list[dict[str, Any]] = []

    def say(self, event: Any) -> bool:
        data = to_dict(event)
        with self._lock:
            if not self._at_prompt:
                self._waiting.append(data)
                return True
            console = self.renderer.console
            console.file.write("\r\x1b[2K" if console.is_terminal else "\n")
            self.renderer.show(data)
            readline = sys.modules.get("readline")
            typed = readline.get_line_buffer() if readline is not None else ""
            console.file.write(self.prompt + typed)
            console.file.flush()
        return True

    def flush(self) -> None:
        with self._lock:
            waiting, self._waiting = self._waiting, []
            for data in waiting:
                self.renderer.show(data)

    def read(self) -> str:
        self.flush()
        with self._lock:
            self._at_prompt = True
        try:
            return self._read()
        finally:
            with self._lock:
                self._at_prompt = False


def read_message(prompt: str = PROMPT) -> str:
    """One message: a line, plus any lines pasted along with it (terminal only)."""
    first = input(prompt)
    if not sys.stdin.isatty():
        return first
    lines = [first]
    while select.select([sys.stdin], [], [], 0.05)[0]:
        try:
            lines.append(input())
        except EOFError:
            break
    return "\n".join(lines)


def _first_boot(runtime: Any, runner: asyncio.Runner, console: Console) -> None:
    from os1.persona.boot import complete_first_boot
    from os1.persona.interview import QUESTIONS, WELCOME, AnswerError, parse_answer

    console.print(f"[bold]{WELCOME}[/]\n")
    answers: dict[str, str | None] = {}
    try:
        for question in QUESTIONS:
            while True:
                raw = input(f"{question.prompt} ")
                try:
                    parse_answer(question, raw)
                except AnswerError as exc:
                    console.print(f"[yellow]{exc}[/]")
                    continue
                answers[question.key] = raw
                break
    except (EOFError, KeyboardInterrupt):
        console.print("\n[yellow]Setup stopped; nothing was saved. Run `os1` to start again.[/]")
        raise SystemExit(1) from None
    console.print("\n[dim]Initializing…[/]")
    profile, intro, _ = runner.run(complete_first_boot(runtime, answers))
    TerminalRenderer(console, profile.os_name).say(intro)


def _show_resume(runtime: Any, conversation_id: str, renderer: TerminalRenderer, console: Console) -> None:
    recent = runtime.store.conversations.messages(conversation_id, limit=RESUME_SHOWN)
    if not recent:
        return
    console.print("[dim]— picking up where we left off —[/]")
    for message in recent:
        who = renderer.os_name if message.role == "assistant" else "you"
        text = message.content if len(message.content) < 400 else message.content[:400] + "…"
        console.print(f"[dim]{escape(who)} › {escape(text)}[/]", highlight=False)


async def _local_turn(conversation: Any, text: str) -> AsyncIterator[dict[str, Any]]:
    async for event in conversation.turn(text):
        yield to_dict(event)


def _run_turn(runner: asyncio.Runner, events: AsyncIterator[dict[str, Any]],
              renderer: TerminalRenderer, on_interrupt: Any = None) -> None:
    async def consume() -> None:
        async for event in events:
            renderer.show(event)

    try:
        runner.run(consume())
    except StorageError as exc:  # e.g. locked for too long: this turn fails, the chat goes on
        renderer.show({"type": "error", "text": f"{exc} Nothing you said before was lost."})
    except KeyboardInterrupt:
        if on_interrupt is not None:
            runner.run(on_interrupt())
        renderer.show({"type": "done", "status": "interrupted"})


def _chat_loop(read: Any, turn: Any, renderer: TerminalRenderer, runner: asyncio.Runner,
               console: Console, on_interrupt: Any = None) -> None:
    console.print("[dim](Ctrl-C stops a reply; Ctrl-D or /quit to leave)[/]")
    while True:
        try:
            text = read()
        except (EOFError, KeyboardInterrupt):
            console.print("\n[dim]Talk soon.[/]")
            return
        if text.strip() in ("/quit", "/exit", "/bye"):
            console.print("[dim]Talk soon.[/]")
            return
        if not text.strip():
            continue
        _run_turn(runner, turn(text), renderer, on_interrupt)


def _chat_local(new: bool, console: Console, feelings: bool = False) -> None:
    from os1.core.conversation import Conversation
    from os1.core.runtime import open_runtime
    from os1.initiative.scheduler import Outlet, Scheduler

    runtime = open_runtime(load_settings())
    if runtime.router.encoder is not None:
        runtime.router.encoder.warm_up()
    with asyncio.Runner() as runner:
        just_booted = not runtime.profile.booted
        if just_booted:
            _first_boot(runtime, runner, console)
        if runtime.brain_notice:
            console.print(f"[yellow]{runtime.brain_notice}[/]")
        if new:
            conversation = Conversation(runtime, runtime.store.conversations.create("Conversation").id)
        else:
            conversation = Conversation.resume_or_start(runtime)
        renderer = TerminalRenderer(console, runtime.profile.os_name, show_feelings=feelings)
        if not just_booted:
            _show_resume(runtime, conversation.id, renderer, console)
        outlet = PromptAwareOutlet(renderer, read_message)
        scheduler = Scheduler(runtime)
        scheduler.attach(Outlet("terminal", outlet.say))
        scheduler.start_thread()
        try:
            _chat_loop(outlet.read, lambda text: _local_turn(conversation, text), renderer,
                       runner, console)
        finally:
            scheduler.stop()
            outlet.flush()
    if runtime.router.encoder is not None:
        runtime.router.encoder.settle()
    runtime.close()


def _listen_remote(url: str, token: str, conversation: str, outlet: PromptAwareOutlet,
                   stop: threading.Event) -> None:
    """A second, listen-only connection: what OS1 says on its own shows up while the user is at the prompt."""
    from os1.core.events import Initiative
    from os1.server.client import RemoteConversation, RemoteError

    async def listen() -> None:
        try:
            remote = await RemoteConversation.connect(url, token, conversation)
        except RemoteError:
            return  # the chat itself reports connection trouble
        try:
            async for event in remote.initiatives():
                if stop.is_set():
                    return
                fields = {k: v for k, v in event.items() if k != "type"}
                outlet.say(Initiative(**fields))
        finally:
            await remote.close()

    with contextlib.suppress(Exception):
        asyncio.run(listen())


def _without_initiatives(events: AsyncIterator[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    """A turn's events minus ``initiative`` ones (the listening connection shows those)."""
    async def filtered() -> AsyncIterator[dict[str, Any]]:
        async for event in events:
            if event.get("type") != "initiative":
                yield event

    return filtered()


def _chat_remote(url: str, token: str | None, console: Console, feelings: bool = False) -> None:
    from os1.server.client import RemoteConversation, RemoteError

    settings = load_settings()
    if token is None:
        token = os.environ.get("OS1_TOKEN")
    if token is None and settings.token_path.exists():
        token = settings.token_path.read_text().strip()
    if not token:
        raise click.ClickException(
            "No token for the server: pass --token, set OS1_TOKEN, or copy the output of "
            "`os1 token` from the server's machine."
        )
    with asyncio.Runner() as runner:
        try:
            remote = runner.run(RemoteConversation.connect(url, token))
        except RemoteError as exc:
            raise click.ClickException(str(exc)) from exc
        renderer = TerminalRenderer(console, remote.ready.get("os_name") or "OS1", show_feelings=feelings)
        console.print(f"[dim]Connected to {url}; this is the same conversation as on the server.[/]")
        outlet = PromptAwareOutlet(renderer, read_message)
        stop = threading.Event()
        threading.Thread(target=_listen_remote, args=(url, token, remote.conversation_id, outlet, stop),
                         name="os1-remote-initiative", daemon=True).start()
        try:
            _chat_loop(outlet.read, lambda text: _without_initiatives(remote.turn(text)), renderer, runner,
                       console, remote.cancel)
        except RemoteError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            stop.set()
            outlet.flush()
            runner.run(remote.close())


@click.command("chat")
@click.option("--new", is_flag=True, help="Start a new conversation instead of resuming the last one.")
@click.option("--server", metavar="URL", help="Continue the conversation held by a running `os1 serve`.")
@click.option("--token", help="Server token (default: $OS1_TOKEN, or this machine's token file).")
@click.option("--feelings", is_flag=True, help="Show how OS1 reads your feelings each turn (one dim line).")
def chat_command(new: bool = False, server: str | None = None, token: str | None = None,
                 feelings: bool = False) -> None:
    """Talk with your OS (first boot on the very first run)."""
    _robust_stdin()
    console = Console(highlight=False)
    if server:
        _chat_remote(server, token, console, feelings)
    else:
        _chat_local(new, console, feelings)


@click.command("say")
@click.argument("text", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print every event as a JSON line.")
def say_command(text: tuple[str, ...], as_json: bool) -> None:
    """Say one thing and print the reply ("-" reads the message from stdin).

    It goes into the same conversation as the terminal chat.
    """
    from os1.core.conversation import Conversation
    from os1.core.runtime import open_runtime

    message = " ".join(text)
    if message == "-":
        message = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    runtime = open_runtime(load_settings())
    if not runtime.profile.booted:
        click.secho("(OS1 hasn't been set up yet; run `os1` for the first-boot interview.)",
                    fg="yellow", err=True)
    conversation = Conversation.resume_or_start(runtime)

    async def run() -> None:
        async for event in conversation.turn(message):
            data = to_dict(event)
            if as_json:
                print(json.dumps(data), flush=True)
            elif data["type"] == "text":
                sys.stdout.write(data["text"])
                sys.stdout.flush()
            elif data["type"] == "notice":
                click.secho(data["text"], fg="yellow", err=True)
        if not as_json:
            sys.stdout.write("\n")

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        click.echo("\n(interrupted)", err=True)
        sys.exit(130)
    finally:
        runtime.close()
