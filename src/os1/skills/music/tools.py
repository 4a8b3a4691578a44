"""Tools of the music skill: "play Lua by Bright Eyes", "play something that makes me feel less alone".

Looking at the music (``music.read``, asked once: "Can I look through your music?") scans the folders
the user names and finds what they ask for: an exact request is resolved among the whole library
(:mod:`.resolve`) — or answered with one short question when two songs fit ("Do you mean “Lua” by
Bright Eyes, or “Lua” by Cat Power?"), whose reply ("the first one", "the live one", "the one by Cat
Power") picks it; a mood request ("something calm", "I'm depressed …") goes to the mood picker
(:mod:`.mood`). Playing needs no further confirmation: it changes nothing and stops with a word.
"not this one" teaches the picker (undoable) and plays another; "why this song?" explains the pick.

Tag text and lyrics are outside content: quoted, never obeyed (``ToolResult.untrusted``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path
from typing import Any

from os1.guard.consent import answer_kind
from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.skills.music import library
from os1.skills.music.resolve import Option, Resolution, choose, question_for, resolve
from os1.skills.music.store import MusicStore, Track

log = logging.getLogger(__name__)
READ = ("music.read",)
OUTSIDE = "song titles, tags and lyrics from your music files"  # data, never orders
CHOICE = "music.choice:"  # + conversation id → the pending question's options
PICKED = "music.picked:"  # + conversation id → why each queued track was chosen (last 50)
SCAN_BUDGET_S = 25.0  # reading files in a conversation turn; the rest waits for the next scan
ARTIST_PICKS = 10  # "play some Bright Eyes": this many of theirs, queued
MOOD_PICKS = 5
CONTROL_HINT = "Pause. Next song. Not this one. Why this song? Turn it up. Stop the music."


def _store(ctx: ToolContext) -> MusicStore:
    return MusicStore(ctx.runtime.store)


def _profile(ctx: ToolContext) -> Any:
    return ctx.runtime.store.profile


def _player(ctx: ToolContext) -> Any:
    """The runtime's player; a ToolError with the reason when there is no way to play here."""
    from os1.skills.music.player import PlayerError, PlayerUnavailable, player_for

    try:
        return player_for(ctx.runtime)
    except (PlayerUnavailable, PlayerError) as exc:
        raise ToolError(str(exc)) from exc


def _mood() -> Any:
    """The mood module, or None if it can't load (exact requests still work)."""
    try:
        from os1.skills.music import mood
    except Exception:  # a broken mood module must not break exact requests
        log.exception("the music mood module did not load")
        return None
    return mood


def _user_state(ctx: ToolContext) -> str | None:
    """How the user seems to feel in this conversation (the last affect estimate), for mood picks."""
    try:
        record = ctx.runtime.store.affect.latest(ctx.conversation_id)
    except Exception:
        return None
    return record.state if record is not None else None


def _need_library(ctx: ToolContext) -> MusicStore:
    store = _store(ctx)
    if not store.count():
        raise ToolError("I don't know any of your music yet. Tell me where it is, like “scan my music "
                        "in ~/Music”.")
    return store


# -- what was picked and why ------------------------------------------------------------------------
def _remember_picks(ctx: ToolContext, picks: dict[int, dict[str, Any]]) -> None:
    key = PICKED + ctx.conversation_id
    known = dict(_profile(ctx).get(key) or {})
    known.update({str(k): v for k, v in picks.items()})
    _profile(ctx).set(key, dict(list(known.items())[-50:]))


def _why_of(ctx: ToolContext, track_id: int | None) -> dict[str, Any] | None:
    if track_id is None:
        return None
    return (_profile(ctx).get(PICKED + ctx.conversation_id) or {}).get(str(track_id))


def _why_exact(result: Resolution, track: Track) -> str:
    why = result.why
    if why.startswith("lyrics: "):
        return f"You asked for the song that goes like that, and this line is in it: {why[8:]}"
    if why == "what it's about":
        return f"You asked for a song about that, and {track.label} was the closest in meaning."
    if why.startswith("track "):
        return f"You asked for the {why}, and that's {track.label}."
    if why.startswith("sound"):
        return f"It sounded like {track.label}, so I went with that."
    return f"You asked for {track.label}."


# -- playing ----------------------------------------------------------------------------------------------
def _start(ctx: ToolContext, items: list[Any], request: str, queue: bool) -> Any:
    from os1.skills.music.player import PlayerError, PlayerUnavailable, as_item

    player = _player(ctx)
    prepared = [as_item(i, request=request, conversation_id=ctx.conversation_id) for i in items]
    try:
        return player.enqueue(prepared) if queue else player.play(prepared)
    except (PlayerUnavailable, PlayerError) as exc:
        raise ToolError(str(exc)) from exc


def _say_playing(labels: list[str], queue: bool, extra: str = "") -> str:
    first = labels[0]
    more = len(labels) - 1
    tail = f", then {more} more" if more > 1 else (f", then {labels[1]}" if more == 1 else "")
    verb = "Added" if queue else "Playing"
    where = " to the queue" if queue else ""
    return f"{verb} {first}{tail}{where}.{(' ' + extra) if extra else ''}"


def _remember_line(labels: list[str], queue: bool) -> str:
    what = labels[0] + (f" and {len(labels) - 1} more" if len(labels) > 1 else "")
    return f"(I {'queued' if queue else 'played'} {what} for you.)"


def _play_mood(ctx: ToolContext, request: str, queue: bool, artist: str = "",
               exclude: tuple[int, ...] = ()) -> ToolResult:
    mood = _mood()
    store = _need_library(ctx)
    if mood is None:
        raise ToolError("I can't choose by mood right now; ask me for a song or an artist by name.")
    target = mood.target_for(request, _user_state(ctx))
    picks = mood.pick(ctx.runtime.store, target, artist=artist or None, exclude=exclude,
                      count=ARTIST_PICKS if artist else MOOD_PICKS)
    if not picks:
        who = f" by {artist}" if artist else ""
        raise ToolError(f"I couldn't find anything{who} to play. ({store.count():,} tracks, "
                        "but none I can play.)" if store.count() else "I don't know any of your music yet.")
    _start(ctx, picks, target.kind, queue)
    _remember_picks(ctx, {p.track_id: {"how": "mood", "why": p.why, "request": request, "kind": target.kind,
                                       "state": _user_state(ctx) or "", "artist": artist}
                          for p in picks})
    labels = [p.label for p in picks]
    return ToolResult(text=_say_playing(labels[:1], queue), untrusted=OUTSIDE,
                      data={"track_ids": [p.track_id for p in picks], "kind": target.kind},
                      remember_as=_remember_line(labels, queue), expect=CONTROL_HINT,
                      summary=f"played {labels[0]} ({target.kind})")


def _ask(ctx: ToolContext, result: Resolution, queue: bool) -> ToolResult:
    _profile(ctx).set(CHOICE + ctx.conversation_id, {
        "options": [o.to_dict() for o in result.options], "request": result.request, "queue": queue})
    # a yes to "Did you mean …?" picks the first option; any other reply is read by choose_music
    ctx.runtime.store.conversations.set_pending(ctx.conversation_id, {
        "kind": "choice", "skill": "music", "tool": "choose_music", "arguments": {}, "scopes": []})
    expect = " ".join(o.title or o.album or o.artist for o in result.options)
    return ToolResult(text=result.question, untrusted=OUTSIDE,
                      expect=f"The first one. The second one. {expect}",
                      data={"options": [o.label for o in result.options]})


def _play_resolution(ctx: ToolContext, result: Resolution, queue: bool) -> ToolResult:
    if result.kind == "none":
        return ToolResult(text=result.text, untrusted=OUTSIDE)
    if result.kind == "question":
        return _ask(ctx, result, queue)
    if result.kind == "artist":
        return _play_artist(ctx, result, queue)
    tracks = result.tracks
    _start(ctx, tracks, result.request, queue)
    first = tracks[0]
    how = "album" if result.kind == "album" else "exact"
    why = (f"You asked for the album {result.album}" + (f" by {result.artist}" if result.artist else "") + "."
           if result.kind == "album" else _why_exact(result, first))
    _remember_picks(ctx, {t.id: {"how": how, "why": why, "request": result.request} for t in tracks})
    labels = [t.label for t in tracks]
    if result.kind == "album":
        text = (f"{'Added' if queue else 'Playing'} {result.album}" + (f" by {result.artist}" if result.artist
                                                                       else "")
                + f" ({len(tracks)} track{'s' if len(tracks) != 1 else ''}), starting with {first.label}"
                + (" — after what's queued." if queue else "."))
    else:
        text = _say_playing(labels, queue)
    remembered = [f"{result.album} by {result.artist}"] if result.kind == "album" else labels
    return ToolResult(text=text, untrusted=OUTSIDE,
                      data={"track_ids": [t.id for t in tracks], "kind": result.kind},
                      remember_as=_remember_line(remembered, queue), expect=CONTROL_HINT,
                      summary=f"played {labels[0]}")


def _play_artist(ctx: ToolContext, result: Resolution, queue: bool) -> ToolResult:
    """"Some Bright Eyes": the mood picker, limited to that artist (varied, not what was just played);
    without it, what they liked and played most, then the rest."""
    if _mood() is not None:
        return _play_mood(ctx, result.request, queue, artist=result.artist)
    store = _store(ctx)
    counts, liked, disliked = store.play_counts(), store.liked(), store.disliked()
    ranked = sorted(result.tracks, key=lambda t: (t.id in disliked, -(t.id in liked), -counts.get(t.id, 0)))
    chosen = ranked[:ARTIST_PICKS]
    _start(ctx, chosen, result.request, queue)
    _remember_picks(ctx, {t.id: {"how": "artist", "why": f"You asked for some {result.artist}.",
                                 "request": result.request} for t in chosen})
    labels = [t.label for t in chosen]
    return ToolResult(text=_say_playing(labels[:1], queue), untrusted=OUTSIDE, expect=CONTROL_HINT,
                      remember_as=_remember_line(labels, queue),
                      data={"track_ids": [t.id for t in chosen], "kind": "artist"})


def _resume_if_paused(ctx: ToolContext) -> ToolResult | None:
    from os1.skills.music.player import player_for

    try:
        player = player_for(ctx.runtime)
    except Exception:  # no audio output: nothing is paused
        return None
    now = player.now_playing()
    if now is None or not now.paused:
        return None
    player.resume()
    return ToolResult(text=f"Back to {now.item.label or 'the music'}.", untrusted=OUTSIDE,
                      expect=CONTROL_HINT)


def _is_mood(request: str) -> bool:
    mood = _mood()
    if mood is None:
        return False
    try:
        return bool(mood.is_mood_request(request))
    except Exception:
        log.exception("is_mood_request failed")
        return False


async def _play(ctx: ToolContext, request: str, queue: bool) -> ToolResult:
    request = " ".join(request.split())
    _profile(ctx).set(CHOICE + ctx.conversation_id, None)
    vague = not request or re.fullmatch(r"(?:(?:some|any|a bit of|a little)\s+)?(?:music|songs?|something|"
                                        r"anything|tunes)(?: please)?", request, re.I)
    if not request and not queue and (resumed := _resume_if_paused(ctx)) is not None:
        return resumed  # "play" while the music is paused
    if vague:
        return await asyncio.to_thread(_play_mood, ctx, request or "music", queue)
    if _is_mood(request):
        store = _need_library(ctx)
        result = await asyncio.to_thread(resolve, store.db, request)
        short = len(request.split()) <= 4
        if not (result.kind == "track" and result.score >= 99 and short):  # "play Happy": a title after all
            return await asyncio.to_thread(_play_mood, ctx, request, queue)
        return await asyncio.to_thread(_play_resolution, ctx, result, queue)
    store = _need_library(ctx)
    result = await asyncio.to_thread(resolve, store.db, request)
    return await asyncio.to_thread(_play_resolution, ctx, result, queue)


@tool("read", scopes=READ)
async def play_music(ctx: ToolContext, request: str = "") -> ToolResult:
    """Play a song, album or artist by name ("Lua by Bright Eyes", "the third track of Lifted"), or music
    for a mood ("something calm", "something that makes me feel less alone")."""
    return await _play(ctx, request, queue=False)


@tool("read", scopes=READ)
async def queue_music(ctx: ToolContext, request: str) -> ToolResult:
    """Add a song, album or artist to the queue, after what's playing."""
    return await _play(ctx, request, queue=True)


@tool("read", scopes=READ)
async def find_music(ctx: ToolContext, request: str) -> ToolResult:
    """Say which song the user means ("what's the song that goes …"), and offer to play it."""
    store = _need_library(ctx)
    result = await asyncio.to_thread(resolve, store.db, request)
    if result.kind == "question":
        return _ask(ctx, result, False)
    if result.kind == "none" or not result.tracks:
        return ToolResult(text=result.text or "I couldn't find that in your music.", untrusted=OUTSIDE)
    first = result.tracks[0]
    if result.kind == "track":
        found = first.label + (f", from {first.album}" if first.album else "")
        why = result.why[len("lyrics: "):] if result.why.startswith("lyrics: ") else ""
        text = f"That's {found}" + (f" — it goes {why}" if why else "") + "."
    elif result.kind == "album":
        text = f"That's the album {result.album} by {result.artist}, {len(result.tracks)} tracks."
    else:
        text = f"You have {len(result.tracks)} songs by {result.artist}."
    ctx.runtime.store.conversations.set_pending(ctx.conversation_id, {
        "kind": "confirm", "skill": "music", "tool": "play_music", "arguments": {"request": request},
        "scopes": []})
    return ToolResult(text=f"{text} Want me to play it?", untrusted=OUTSIDE,
                      data={"track_ids": result.track_ids, "kind": result.kind},
                      expect="Yes, play it. No thanks.")


@tool("read")
async def choose_music(ctx: ToolContext, answer: str = "") -> ToolResult:
    """Pick one of the songs I asked about ("the first one", "the live one", "the one by Cat Power")."""
    pending = _profile(ctx).get(CHOICE + ctx.conversation_id)
    if not pending:
        return ToolResult(text="I wasn't asking you to choose a song just now.", defer=True)
    options = [Option.from_dict(o) for o in pending["options"]]
    queue = bool(pending.get("queue"))
    text = answer.strip()
    kind = answer_kind(text) if text else "yes"  # the core passes a plain "yes" as no answer at all
    if kind == "yes" and len(options) > 1 and (not text or choose(options, text) is None):
        return _ask(ctx, Resolution("question", pending["request"], options=options,
                                    question=question_for(options)), queue)
    picked = 0 if kind == "yes" and len(options) == 1 else choose(options, text)
    if picked is None:
        if kind == "no":  # "no" / "neither"
            _profile(ctx).set(CHOICE + ctx.conversation_id, None)
            return ToolResult(text="Okay. Tell me the title or the artist another way and I'll look again.")
        # not an answer ("what time is it?", "play Landlocked Blues"): routed like any other request; the
        # question stays open for a later "the live one"
        return ToolResult(text=question_for(options), defer=True, untrusted=OUTSIDE)
    _profile(ctx).set(CHOICE + ctx.conversation_id, None)
    option = options[picked]
    tracks = _store(ctx).get_many(option.ids)
    if not tracks:
        raise ToolError("That one isn't in your music any more (was it moved or deleted?).")
    chosen = Resolution({"song": "track"}.get(option.kind, option.kind), pending["request"], tracks=tracks,
                        album=option.album, artist=option.artist, why="your choice")
    return await asyncio.to_thread(_play_resolution, ctx, chosen, queue)


# -- the controls -------------------------------------------------------------------------------------------
_ACTIONS = {
    "pause": "pause", "hold": "pause", "resume": "resume", "unpause": "resume", "continue": "resume",
    "play": "resume", "stop": "stop", "next": "next", "skip": "next", "previous": "previous",
    "back": "previous",
    "louder": "up", "up": "up", "quieter": "down", "softer": "down", "down": "down", "lower": "down",
    "mute": "mute", "unmute": "unmute", "volume": "volume", "off": "stop",
}
VOLUME_STEP = 10


def _previous(ctx: ToolContext, player: Any) -> Any:
    """Play the track before this one again (the queue goes on after it)."""
    now = player.now_playing()
    started = [e.item for e in list(player.history) if e.kind in ("started",)]
    current = now.item if now is not None else None
    before = [item for item in started if current is None or item.path != current.path]
    if not before:
        return None
    previous = before[-1]
    rest = ([current] if current is not None else []) + list(player.queue())
    return player.play([previous, *rest])


@tool("read")
def music_control(ctx: ToolContext, action: str, level: int | None = None) -> ToolResult:
    """Pause, resume, skip to the next or previous song, stop, or change the volume."""
    words = action.lower().split()
    verb = next((_ACTIONS[w] for w in words if w in _ACTIONS), "")
    if level is None and (digits := re.search(r"\d+", action)):
        level = int(digits.group(0))
    from os1.skills.music.player import PlayerError

    player = _player(ctx)
    now = player.now_playing()
    try:
        if verb in ("volume", "up", "down", "mute", "unmute") and (level is not None or verb != "volume"):
            if level is not None:
                value = player.set_volume(max(0, min(100, level)))
            elif verb == "mute":
                _profile(ctx).set("music.volume_before_mute", player.volume)
                player.set_volume(0)
                return ToolResult(text="Muted. Say “unmute” to bring it back.", expect="Unmute.")
            elif verb == "unmute":
                value = player.set_volume(int(_profile(ctx).get("music.volume_before_mute") or 70))
            else:
                value = player.change_volume(VOLUME_STEP if verb == "up" else -VOLUME_STEP)
            return ToolResult(text=f"Volume {value}%.", expect=CONTROL_HINT)
        if now is None and verb in ("pause", "next", "stop", "previous"):
            return ToolResult(text="Nothing's playing right now.", defer=True)
        if verb == "pause":
            player.pause()
            return ToolResult(text="Paused. Say “resume” when you want it back.", expect="Resume.")
        if verb == "resume":
            if now is None:
                return ToolResult(text="Nothing's paused right now. Ask me for a song.", defer=True)
            player.resume()
            return ToolResult(text=f"Back to {now.item.label or 'the music'}.", untrusted=OUTSIDE,
                              expect=CONTROL_HINT)
        if verb == "stop":
            player.stop()
            return ToolResult(text="Stopped the music.")
        if verb == "next":
            item = player.next()
            said = f"Next: {item.label}." if item is not None else "That was the last one queued."
            return ToolResult(text=said, untrusted=OUTSIDE, expect=CONTROL_HINT)
        if verb == "previous":
            item = _previous(ctx, player)
            return ToolResult(text=f"Back to {item.label}." if item is not None else
                              "This is the first song I've played.", untrusted=OUTSIDE, expect=CONTROL_HINT)
    except PlayerError as exc:
        raise ToolError(str(exc)) from exc
    return ToolResult(text="I can pause, resume, skip, go back, stop, or turn it up or down.", defer=True)


def _now(ctx: ToolContext) -> tuple[Any, Track | None]:
    from os1.skills.music.player import player_for

    try:
        player = player_for(ctx.runtime)
    except Exception:  # no audio output: nothing can be playing
        return None, None
    now = player.now_playing()
    if now is None or now.item.track_id is None:
        return now, None
    return now, _store(ctx).get(int(now.item.track_id))


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


@tool("read")
def now_playing(ctx: ToolContext) -> ToolResult:
    """Say what's playing: the song, the artist and the album."""
    now, track = _now(ctx)
    if now is None:
        last = _store(ctx).history(1)
        if last and last[0].get("title"):
            item = last[0]
            ago = max(1, round((time.time() - float(item["started_at"])) / 60))
            return ToolResult(text=f"Nothing's playing now. The last song was “{item['title']}” by "
                                   f"{item['artist']}, {ago} minute{'s' if ago != 1 else ''} ago.",
                              untrusted=OUTSIDE)
        return ToolResult(text="Nothing's playing right now.")
    if track is None:
        return ToolResult(text=f"This is {now.item.label or Path(now.item.path).name}.", untrusted=OUTSIDE)
    text = f"This is {track.label}"
    if track.album:
        text += f", from {track.album}" + (f" ({track.year})" if track.year else "")
    text += "."
    if track.duration:
        text += f" {_clock(now.position_s)} of {_clock(track.duration)}{', paused' if now.paused else ''}."
    return ToolResult(text=text, untrusted=OUTSIDE, data={"track_id": track.id}, expect=CONTROL_HINT)


@tool("reversible")
async def not_this_one(ctx: ToolContext) -> ToolResult:
    """Skip the song that's playing and remember you didn't want it for this kind of request (undoable)."""
    now, track = _now(ctx)
    if now is None or track is None:
        return ToolResult(text="Nothing of yours is playing right now.", defer=True)
    picked = _why_of(ctx, track.id) or {}
    mood = _mood()
    feedback_id = None
    if mood is not None:
        from os1.skills.music import taste

        request = picked.get("kind") or picked.get("request") or ""
        feedback_id = taste.record_feedback(ctx.runtime.store, track.id, "dislike", request)
    player = _player(ctx)
    result: ToolResult | None = None
    if picked.get("how") in ("mood", "artist") and mood is not None:  # pick again, without this one
        try:
            result = await asyncio.to_thread(_play_mood, ctx, picked.get("request") or "music", False,
                                             str(picked.get("artist") or ""), (track.id,))
            text = f"Okay, not that one. {result.text}"
        except ToolError:
            result = None
    if result is None:
        item = player.next()
        after = (f"Next: {item.label}." if item is not None
                 else "That was the last one queued; ask me for something else.")
        text = f"Okay, skipping it. {after}"
        result = ToolResult(text=text)
    undo = {"tool": "forget_feedback", "arguments": {"feedback_id": feedback_id}} if feedback_id else None
    return ToolResult(text=text, untrusted=OUTSIDE, undo=undo, expect=CONTROL_HINT,
                      summary=f"didn't want {track.label}", data=result.data)


@tool("reversible", journaled=False)
def forget_feedback(ctx: ToolContext, feedback_id: int) -> ToolResult:
    """Forget a “not this one” or an “I love this song” (how they are undone)."""
    from os1.skills.music import taste

    taste.undo_feedback(ctx.runtime.store, feedback_id)
    return ToolResult(text="Okay, I've forgotten that.")


@tool("reversible")
def love_this_one(ctx: ToolContext) -> ToolResult:
    """Remember that you like the song that's playing (for picks like it later; undoable)."""
    _now_playing, track = _now(ctx)
    if track is None:
        return ToolResult(text="Nothing of yours is playing right now.", defer=True)
    from os1.skills.music import taste

    picked = _why_of(ctx, track.id) or {}
    feedback_id = taste.record_feedback(ctx.runtime.store, track.id, "like",
                                        picked.get("kind") or picked.get("request") or "")
    return ToolResult(text=f"Me too. I'll remember you like {track.label}.", untrusted=OUTSIDE,
                      undo={"tool": "forget_feedback", "arguments": {"feedback_id": feedback_id}},
                      summary=f"liked {track.label}", remember_as=f"(You told me you love {track.label}.)")


@tool("read")
def why_this_song(ctx: ToolContext) -> ToolResult:
    """Say in one line why I picked the song that's playing."""
    _now_playing, track = _now(ctx)
    if track is None:
        return ToolResult(text="Nothing I picked is playing right now.", defer=True)
    picked = _why_of(ctx, track.id)
    if picked is None:
        return ToolResult(text=f"This is {track.label}; it was queued before I could say why.",
                          untrusted=OUTSIDE)
    return ToolResult(text=str(picked.get("why") or f"You asked for {track.label}."), untrusted=OUTSIDE)


# -- the library ----------------------------------------------------------------------------------------
def _hours(seconds: float) -> str:
    hours = seconds / 3600
    if hours >= 2:
        return f"{hours:,.0f} hours"
    minutes = round(seconds / 60)
    return "under a minute" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''}"


@tool("read", scopes=READ)
def music_status(ctx: ToolContext) -> ToolResult:
    """Say what I know about your music: how many songs, artists and albums, and what couldn't be read."""
    store = _store(ctx)
    roots = store.roots()
    if not roots:
        return ToolResult(text="I haven't looked at your music yet. Tell me where it is, like “scan my "
                               "music in ~/Music”.")
    info = store.summary()
    where = ", ".join(_short(r) for r, _ in roots)
    text = (f"Your music in {where}: {info['playable']:,} songs by {info['artists']:,} artists on "
            f"{info['albums']:,} albums, {_hours(float(info['seconds'] or 0))} in all.")
    if info["duplicates"]:
        text += (" 1 is a duplicate of a better copy." if info["duplicates"] == 1 else
                 f" {info['duplicates']:,} are duplicates of a better copy.")
    if info["unreadable"]:
        text += f" {info['unreadable']:,} files can't be played."
    if info["with_lyrics"]:
        text += f" {info['with_lyrics']:,} have their lyrics in them."
    _now_playing, track = _now(ctx)
    if track is not None:
        text += f" Playing now: {track.label}."
    return ToolResult(text=text, untrusted=OUTSIDE if track is not None else "")


def _short(path: str) -> str:
    home = str(Path.home())
    return "~" + path[len(home):] if path == home or path.startswith(home + "/") else path


def _default_roots(store: MusicStore) -> list[str]:
    known = [r for r, _ in store.roots()]
    if known:
        return known
    music = Path.home() / "Music"
    return [str(music)] if music.is_dir() else [str(Path.home())]


@tool("read", scopes=READ)
async def scan_music(ctx: ToolContext, path: str = "") -> ToolResult:
    """Look through a music folder (or the ones looked at before) and learn what's there."""
    store = _store(ctx)
    roots = [str(Path(path.strip()).expanduser())] if path.strip() else _default_roots(store)
    try:
        report = await asyncio.to_thread(library.scan, ctx.runtime.store, roots, budget_s=SCAN_BUDGET_S)
    except library.ScanError as exc:
        raise ToolError(str(exc)) from exc
    text = report.describe().replace(str(Path.home()), "~")
    if report.unreadable:
        shown = "; ".join(f"{Path(p).name}: {why}" for p, why in report.unreadable[:3])
        text += f" ({shown}{'; …' if len(report.unreadable) > 3 else ''})"
    return ToolResult(text=text, untrusted="file names in your music folders",
                      data={"files": report.files, "added": report.added,
                            "unreadable": len(report.unreadable), "remaining": report.remaining})
