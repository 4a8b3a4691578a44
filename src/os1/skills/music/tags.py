"""Reading one audio file's tags with ``mutagen``: what the music library stores about a track.

MP3 (ID3v2, with APEv2 or ID3v1 as fallbacks), FLAC, Ogg Vorbis/Opus/FLAC (Vorbis comments) and
MP4/M4A atoms all become one :class:`~os1.skills.music.store.TrackInfo`: title, artist, album, album
artist, genre, year, track and disc number, duration, bitrate, embedded lyrics (ID3 ``USLT``, Vorbis
``LYRICS``/``UNSYNCEDLYRICS``, MP4 ``©lyr``, APE ``Lyrics``) and a few extra tags (mood, BPM, comment)
as JSON. Tag text is outside content: stored and shown, never obeyed.

Bad files never raise: a zero-byte file, one mutagen cannot parse, one with no audio in it, or one
whose audio stops well before its header says (truncated) comes back with ``error`` saying why. A file
with no tags at all gets a title from its file name ("03 - Lua.mp3" → "Lua", track 3; "Bright Eyes -
Lua.mp3" → artist Bright Eyes) and artist "Unknown".
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from os1.skills.music.store import TrackInfo

log = logging.getLogger(__name__)
EXTENSIONS = frozenset({".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a"})
UNKNOWN_ARTIST = "Unknown"
MAX_TAG_CHARS = 500  # a title longer than this is junk (or an attack): cut
MAX_LYRICS_CHARS = 20_000
EXTRA_KEYS = {"mood": "mood", "bpm": "bpm", "tbpm": "bpm", "tmpo": "bpm", "comment": "comment",
              "description": "comment", "©cmt": "comment", "comm": "comment", "tmoo": "mood",
              "language": "language", "composer": "composer", "tcom": "composer", "©wrt": "composer"}
_NUMBER = re.compile(r"\s*(\d+)")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_LEADING_NUMBER = re.compile(r"^\s*(?:cd\s*\d+\s*[-_. ]\s*)?(\d{1,2})(?:\s*[-_.)]\s*|\s+)(?=\S)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: Any) -> str:
    """The first text of a tag value (lists, ID3 frames, MP4 values …), cleaned."""
    if value is None:
        return ""
    if hasattr(value, "text") and not isinstance(value, str):  # an ID3 frame
        value = value.text
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if str(v).strip()), "") if value else ""
        if hasattr(value, "text") and not isinstance(value, str):
            value = value.text
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = _CONTROL.sub(" ", str(value)).replace("\x00", " ").strip()
    return " ".join(text.split())[:MAX_TAG_CHARS]


def _number(value: Any) -> int | None:
    """3 from "3", "03/12", (3, 12) or [(3, 12)]."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, tuple):
        value = value[0] if value else None
    if isinstance(value, int):
        return value if 0 < value < 10_000 else None
    match = _NUMBER.match(_text(value))
    if not match:
        return None
    number = int(match.group(1))
    return number if 0 < number < 10_000 else None


def _year(value: Any) -> int | None:
    match = _YEAR.search(_text(value))
    return int(match.group(1)) if match else None


def _lyrics(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()[:MAX_LYRICS_CHARS]


# -- one reader per tag family ---------------------------------------------------------------------
def _id3(tags: Any) -> dict[str, Any]:
    def frame(key: str) -> str:
        found = tags.getall(key)
        return _text(found[0]) if found else ""

    out: dict[str, Any] = {
        "title": frame("TIT2"), "artist": frame("TPE1"), "album": frame("TALB"),
        "album_artist": frame("TPE2"), "year": _year(frame("TDRC") or frame("TYER") or frame("TDOR")),
        "track_no": _number(frame("TRCK")), "disc_no": _number(frame("TPOS")),
    }
    genres = tags.getall("TCON")
    out["genre"] = _text(genres[0].genres) if genres and hasattr(genres[0], "genres") else ""
    out["lyrics"] = _lyrics("\n\n".join(str(f.text) for f in tags.getall("USLT") if str(f.text).strip()))
    extra: dict[str, str] = {}
    for key in ("TBPM", "TMOO", "TCOM"):
        if value := frame(key):
            extra[EXTRA_KEYS[key.lower()]] = value
    comments = [c for c in tags.getall("COMM") if _text(c)]
    if comments:
        extra["comment"] = _text(comments[0])
    for txxx in tags.getall("TXXX"):
        desc = str(getattr(txxx, "desc", "")).lower()
        if desc in ("mood", "bpm", "lyrics", "unsyncedlyrics") and _text(txxx):
            if desc in ("lyrics", "unsyncedlyrics") and not out["lyrics"]:
                out["lyrics"] = _lyrics("\n".join(str(t) for t in txxx.text))
            elif desc in ("mood", "bpm"):
                extra[desc] = _text(txxx)
    out["extra"] = extra
    return out


def _vorbis(tags: Any) -> dict[str, Any]:
    data: dict[str, list[str]] = {}
    for key, value in tags.items() if hasattr(tags, "items") else []:
        data.setdefault(str(key).lower(), []).extend(value if isinstance(value, list) else [value])

    def first(*keys: str) -> str:
        for key in keys:
            if text := _text(data.get(key)):
                return text
        return ""

    lyric_keys = ("lyrics", "unsyncedlyrics", "unsynced lyrics")
    lyrics = next((_lyrics("\n".join(map(str, data[k]))) for k in lyric_keys
                   if k in data and "".join(map(str, data[k])).strip()), "")
    extra = {EXTRA_KEYS[k]: _text(data[k]) for k in ("mood", "bpm", "comment", "description", "composer")
             if k in data and _text(data[k])}
    return {"title": first("title"), "artist": first("artist", "performer"), "album": first("album"),
            "album_artist": first("albumartist", "album artist", "album_artist"), "genre": first("genre"),
            "year": _year(first("date", "year", "originaldate")), "track_no": _number(first("tracknumber")),
            "disc_no": _number(first("discnumber")), "lyrics": lyrics, "extra": extra}


def _mp4(tags: Any) -> dict[str, Any]:
    def first(key: str) -> str:
        return _text(tags.get(key))

    extra: dict[str, str] = {}
    if tmpo := tags.get("tmpo"):
        extra["bpm"] = _text(tmpo)
    if comment := first("©cmt"):
        extra["comment"] = comment
    lyrics = tags.get("©lyr")
    return {"title": first("©nam"), "artist": first("©ART"), "album": first("©alb"),
            "album_artist": first("aART"), "genre": first("©gen"), "year": _year(first("©day")),
            "track_no": _number(tags.get("trkn")), "disc_no": _number(tags.get("disk")),
            "lyrics": _lyrics("\n".join(map(str, lyrics))) if lyrics else "", "extra": extra}


def _ape(tags: Any) -> dict[str, Any]:
    data = {str(k).lower(): str(v) for k, v in tags.items()}

    def first(*keys: str) -> str:
        return next((_text(data[k]) for k in keys if k in data and _text(data[k])), "")

    return {"title": first("title"), "artist": first("artist"), "album": first("album"),
            "album_artist": first("album artist", "albumartist"), "genre": first("genre"),
            "year": _year(first("year", "date")), "track_no": _number(first("track")),
            "disc_no": _number(first("disc", "discnumber")),
            "lyrics": _lyrics(data.get("lyrics", "") or data.get("unsyncedlyrics", "")),
            "extra": {k: _text(data[k]) for k in ("mood", "bpm", "comment") if k in data and _text(data[k])}}


def _ape_of(path: str) -> dict[str, Any]:
    """APEv2 tags an MP3 may carry instead of (or beside) ID3."""
    try:
        from mutagen.apev2 import APEv2

        return _ape(APEv2(path))
    except Exception:
        return {}


def _read_tags(audio: Any, path: str) -> dict[str, Any]:
    from mutagen.apev2 import APEv2
    from mutagen.id3 import ID3
    from mutagen.mp4 import MP4Tags

    tags = audio.tags
    found: dict[str, Any] = {}
    if isinstance(tags, ID3):
        found = _id3(tags)
    elif isinstance(tags, MP4Tags):
        found = _mp4(tags)
    elif isinstance(tags, APEv2):
        found = _ape(tags)
    elif tags is not None:
        found = _vorbis(tags)
    if path.lower().endswith(".mp3") and not (found.get("title") or found.get("artist")):
        ape = _ape_of(path)
        if ape.get("title") or ape.get("artist"):
            found = ape
    return found


# -- names from the file name ------------------------------------------------------------------------
def from_file_name(path: str) -> tuple[str, str, int | None]:
    """(title, artist or "", track number) from a file name: "03 - Lua.mp3", "Bright Eyes - Lua.flac"."""
    stem = Path(path).stem.replace("_", " ")
    stem = " ".join(stem.split())
    track_no = None
    match = _LEADING_NUMBER.match(stem)
    if match and not re.fullmatch(r"\d+", stem):
        track_no, stem = int(match.group(1)), stem[match.end():]
    artist = ""
    if " - " in stem:
        first, rest = stem.split(" - ", 1)
        if first.strip() and rest.strip():
            artist, stem = first.strip(), rest.strip()
            again = _LEADING_NUMBER.match(stem)  # "Bright Eyes - 03 - Lua"
            if again and track_no is None:
                track_no, stem = int(again.group(1)), stem[again.end():]
    return stem.strip() or Path(path).stem, artist, track_no


# -- checking the audio ----------------------------------------------------------------------------
def audio_stops_early(path: str, duration: float) -> float | None:
    """Where the audio really ends, if well before ``duration`` (a truncated download); else None.

    Decodes only the last second the header promises (PyAV): a few milliseconds per file."""
    if not duration or duration < 2.0:
        return _decodes_at_all(path)
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(path) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                return 0.0
            target = max(duration - 1.5, 0.0)
            container.seek(int(target * 1_000_000), any_frame=False, backward=True)
            if _decoded_until(container, stream, duration - 1.0) >= duration - 1.0:
                return None
    except Exception as exc:  # the decoder gave up near the end: find out where the audio stops
        log.debug("tail of %s did not decode: %s", path, exc)
    try:  # a broken file (rare): decode it from the start to say where its audio stops
        with av.open(path) as container:
            stream = next(s for s in container.streams if s.type == "audio")
            return _decoded_until(container, stream, duration - 1.0, tolerant=True)
    except Exception:
        return 0.0


def _decoded_until(container: Any, stream: Any, enough: float, tolerant: bool = False) -> float:
    """Decode ``stream`` until ``enough`` seconds (or its end); returns how far the audio got."""
    last = 0.0
    try:
        for frame in container.decode(stream):
            if frame.time is not None:
                last = max(last, float(frame.time) + frame.samples / float(frame.sample_rate or 1))
            if last >= enough:
                break
    except Exception:
        if not tolerant:
            raise
    return last


def _decodes_at_all(path: str) -> float | None:
    """For very short files: None if some audio decodes, else 0.0."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(path) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                return 0.0
            for _frame in container.decode(stream):
                return None
            return 0.0
    except Exception:
        return 0.0


def _clock(seconds: float) -> str:
    """3:42 for 222 seconds; "0.4 s" for short ones."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


# -- one file ------------------------------------------------------------------------------------------
def _reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    known = {"HeaderNotFoundError": "no MPEG audio frame found", "FLACNoHeaderError": "not a FLAC stream",
             "OggError": "broken Ogg pages", "MP4StreamInfoError": "no audio track in the MP4 file"}
    why = known.get(type(exc).__name__, message)
    return f"unreadable: {why[:160]}"


def read(path: str, *, size: int | None = None, mtime: float | None = None,
         check_audio: bool = True) -> TrackInfo:
    """Everything the library keeps about the file at ``path``; never raises for a bad file."""
    try:
        stat = os.stat(path)
        size = stat.st_size if size is None else size
        mtime = stat.st_mtime if mtime is None else mtime
    except OSError as exc:
        return TrackInfo(path=path, size=size or 0, mtime=mtime or 0.0,
                         error=f"can't open it: {exc.strerror or exc}", title=Path(path).stem,
                         artist=UNKNOWN_ARTIST, tagless=True)
    ext = Path(path).suffix.lower()
    info = TrackInfo(path=path, size=size, mtime=mtime, format=ext.lstrip("."))
    guessed_title, guessed_artist, guessed_track = from_file_name(path)
    if size == 0:
        info.error = "empty file (0 bytes)"
    else:
        try:
            import mutagen

            audio = mutagen.File(path)
        except Exception as exc:  # mutagen raises many kinds: all mean "can't read this file"
            audio, info.error = None, _reason(exc)
        if audio is None and info.error is None:
            info.error = "not an audio format I can read"
        if audio is not None:
            _fill(info, audio, path)
            if check_audio and info.error is None:
                stops = audio_stops_early(path, info.duration or 0.0)
                if stops is not None:
                    promised = _clock(info.duration or 0.0)
                    info.error = (f"no audio in it (its header promises {promised})" if stops < 1.0 else
                                  f"truncated: the audio stops at {_clock(stops)} of {promised}")
    if not info.title:
        info.title, info.tagless = guessed_title, not (info.artist or info.album)
        info.artist = info.artist or guessed_artist
    if info.track_no is None and guessed_track is not None and info.tagless:
        info.track_no = guessed_track
    info.artist = info.artist or info.album_artist or UNKNOWN_ARTIST
    return info


def _fill(info: TrackInfo, audio: Any, path: str) -> None:
    stream = getattr(audio, "info", None)
    length = getattr(stream, "length", None)
    info.duration = round(float(length), 3) if length else None
    bitrate = getattr(stream, "bitrate", None)
    info.bitrate = int(bitrate) if bitrate else None
    info.sample_rate = getattr(stream, "sample_rate", None) or None
    info.channels = getattr(stream, "channels", None) or None
    kind = type(audio).__name__.lower()
    info.format = {"mp3": "mp3", "easymp3": "mp3", "flac": "flac", "oggvorbis": "ogg", "oggopus": "opus",
                   "oggflac": "flac", "mp4": "m4a", "easymp4": "m4a"}.get(kind, info.format)
    if info.format == "m4a" and "alac" in str(getattr(stream, "codec", "")).lower():
        info.format = "alac"
    try:
        found = _read_tags(audio, path)
    except Exception as exc:  # odd frames: the audio may still be fine
        log.debug("tags of %s unreadable: %s", path, exc)
        found = {}
    for key in ("title", "artist", "album", "album_artist", "genre"):
        setattr(info, key, found.get(key) or "")
    for key in ("year", "track_no", "disc_no"):
        setattr(info, key, found.get(key))
    info.lyrics = found.get("lyrics") or ""
    info.tags = dict(found.get("extra") or {})
    if not info.duration:
        info.error = "no audio in it (0 seconds)"
