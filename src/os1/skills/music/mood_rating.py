"""How a track feels: valence (sad … happy) and arousal (calm … energetic), each in [−1, 1].

Four kinds of evidence, each giving a valence and an arousal with a weight:

- the **genre** (a table of common genres and what they usually sound like, plus traits such as
  *acoustic*, *gentle*, *intimate*, *danceable*, *aggressive*);
- extra **tags**: a mood tag ("mellow", "happy", "aggressive" …) and a BPM tag;
- the **lyrics** (and the title), read by OS1's own text emotion classifier
  (:mod:`os1.perception.emotion`, GoEmotions) stanza by stanza, and a small lexicon of
  themes (*together*, *lonely*, *love*, *heartbreak*, *party*, *hope*);
- the **audio** (:mod:`os1.skills.music.features`): tempo, energy and onset density say how
  energetic it is; mode (major/minor) and brightness lean the valence.

The weighted means are shrunk toward 0 when there is little evidence (``PRIOR_WEIGHT``), so a
track nothing is known about sits in the middle with a low ``confidence``.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from os1.skills.music.features import AudioFeatures

log = logging.getLogger(__name__)

PRIOR_WEIGHT = 0.25
TRAITS: tuple[str, ...] = ("acoustic", "gentle", "warm", "intimate", "instrumental", "danceable",
                           "aggressive", "dark", "soft")
THEMES: tuple[str, ...] = ("together", "lonely", "love", "heartbreak", "party", "hope")

# genre → (valence, arousal, traits). Keys are normalised (see normalise_genre).
GENRES: dict[str, tuple[float, float, str]] = {
    # gentle, acoustic, intimate
    "folk": (0.2, -0.4, "acoustic gentle warm"),
    "indie folk": (0.2, -0.35, "acoustic gentle warm intimate"),
    "folk rock": (0.3, 0.2, "acoustic warm"),
    "singer songwriter": (0.15, -0.4, "acoustic gentle warm intimate"),
    "acoustic": (0.3, -0.45, "acoustic gentle warm intimate"),
    "americana": (0.2, -0.2, "acoustic warm"),
    "alt country": (0.15, -0.1, "acoustic warm"),
    "country": (0.35, 0.0, "warm"),
    "bluegrass": (0.5, 0.35, "acoustic"),
    "celtic": (0.4, 0.1, "acoustic"),
    "chanson": (0.2, -0.25, "warm intimate"),
    "bossa nova": (0.5, -0.4, "acoustic gentle warm"),
    "soft rock": (0.4, -0.1, "gentle warm"),
    "easy listening": (0.45, -0.5, "gentle"),
    "lullaby": (0.4, -0.9, "gentle soft"),
    "slowcore": (-0.4, -0.7, "gentle intimate"),
    "sadcore": (-0.6, -0.6, "gentle intimate"),
    "dream pop": (0.2, -0.4, "gentle"),
    # soul, r&b, jazz, blues
    "soul": (0.45, 0.0, "warm intimate"),
    "neo soul": (0.45, -0.25, "warm intimate gentle"),
    "r and b": (0.4, 0.0, "warm intimate"),
    "rnb": (0.4, 0.0, "warm intimate"),
    "motown": (0.7, 0.45, "warm danceable"),
    "gospel": (0.6, 0.2, "warm"),
    "blues": (-0.2, -0.1, "warm"),
    "jazz": (0.3, -0.2, "warm"),
    "vocal jazz": (0.35, -0.35, "warm intimate gentle"),
    "smooth jazz": (0.4, -0.45, "gentle warm"),
    "cool jazz": (0.3, -0.35, "gentle warm instrumental"),
    "bebop": (0.4, 0.5, "instrumental"),
    "swing": (0.7, 0.5, "danceable warm"),
    "lounge": (0.4, -0.5, "gentle"),
    # quiet and instrumental
    "classical": (0.2, -0.4, "instrumental"),
    "baroque": (0.4, -0.1, "instrumental"),
    "romantic era": (0.1, -0.2, "instrumental"),
    "piano": (0.2, -0.5, "instrumental gentle"),
    "opera": (0.0, 0.1, ""),
    "ambient": (0.1, -0.85, "instrumental gentle soft"),
    "new age": (0.3, -0.7, "instrumental gentle soft"),
    "meditation": (0.3, -0.9, "instrumental gentle soft"),
    "drone": (-0.3, -0.8, "instrumental dark"),
    "lo fi": (0.2, -0.5, "gentle instrumental"),
    "chillout": (0.35, -0.6, "gentle"),
    "chill": (0.35, -0.55, "gentle"),
    "downtempo": (0.2, -0.5, "gentle"),
    "trip hop": (-0.1, -0.3, "dark"),
    "post rock": (0.0, 0.1, "instrumental"),
    "soundtrack": (0.1, 0.0, "instrumental"),
    "score": (0.1, 0.0, "instrumental"),
    "instrumental": (0.2, -0.2, "instrumental"),
    # pop, indie, electronic, dance
    "pop": (0.6, 0.4, ""),
    "indie": (0.2, 0.1, ""),
    "indie pop": (0.5, 0.25, ""),
    "indie rock": (0.2, 0.45, ""),
    "alternative": (0.0, 0.4, ""),
    "synthpop": (0.5, 0.5, "danceable"),
    "synth pop": (0.5, 0.5, "danceable"),
    "city pop": (0.6, 0.3, "warm"),
    "k pop": (0.7, 0.7, "danceable"),
    "j pop": (0.7, 0.6, ""),
    "dance": (0.7, 0.8, "danceable"),
    "disco": (0.8, 0.7, "danceable warm"),
    "funk": (0.7, 0.6, "danceable warm"),
    "house": (0.6, 0.75, "danceable"),
    "deep house": (0.45, 0.45, "danceable"),
    "techno": (0.2, 0.85, "danceable instrumental"),
    "trance": (0.5, 0.8, "danceable"),
    "edm": (0.6, 0.9, "danceable"),
    "electro": (0.4, 0.75, "danceable"),
    "drum and bass": (0.3, 0.95, "danceable"),
    "dubstep": (0.0, 0.9, "aggressive"),
    "electronic": (0.3, 0.5, ""),
    "electronica": (0.3, 0.4, ""),
    "idm": (0.1, 0.3, "instrumental"),
    "hip hop": (0.3, 0.5, ""),
    "rap": (0.2, 0.6, ""),
    "trap": (0.0, 0.7, "dark"),
    "reggae": (0.6, 0.1, "warm"),
    "dub": (0.3, -0.1, "instrumental"),
    "ska": (0.7, 0.7, "danceable"),
    "latin": (0.7, 0.6, "danceable"),
    "salsa": (0.8, 0.75, "danceable"),
    "samba": (0.8, 0.7, "danceable"),
    "reggaeton": (0.6, 0.75, "danceable"),
    "afrobeat": (0.7, 0.7, "danceable"),
    "flamenco": (0.1, 0.5, "acoustic"),
    "world": (0.3, 0.1, ""),
    "christmas": (0.7, 0.2, "warm"),
    "children": (0.7, 0.3, ""),
    # rock and heavier
    "rock": (0.2, 0.6, ""),
    "classic rock": (0.4, 0.6, ""),
    "hard rock": (0.1, 0.8, "aggressive"),
    "soft pop": (0.5, -0.1, "gentle"),
    "grunge": (-0.3, 0.65, "dark"),
    "shoegaze": (0.0, 0.05, ""),
    "post punk": (-0.2, 0.5, "dark"),
    "new wave": (0.4, 0.5, "danceable"),
    "punk": (0.1, 0.9, "aggressive"),
    "pop punk": (0.5, 0.8, ""),
    "emo": (-0.4, 0.5, ""),
    "hardcore": (-0.4, 0.95, "aggressive"),
    "metal": (-0.3, 0.9, "aggressive"),
    "heavy metal": (-0.25, 0.9, "aggressive"),
    "death metal": (-0.6, 0.95, "aggressive dark"),
    "black metal": (-0.6, 0.9, "aggressive dark"),
    "doom": (-0.6, 0.3, "dark"),
    "industrial": (-0.4, 0.8, "aggressive dark"),
    "goth": (-0.5, 0.2, "dark"),
    "gothic": (-0.5, 0.2, "dark"),
}

# mood tag word → (valence, arousal)
MOOD_WORDS: dict[str, tuple[float, float]] = {
    "happy": (0.8, 0.5), "joyful": (0.85, 0.55), "cheerful": (0.8, 0.45), "uplifting": (0.8, 0.4),
    "euphoric": (0.85, 0.8), "fun": (0.75, 0.6), "playful": (0.7, 0.45), "sunny": (0.75, 0.35),
    "feel good": (0.8, 0.4), "hopeful": (0.6, 0.1), "positive": (0.7, 0.3),
    "sad": (-0.7, -0.4), "melancholic": (-0.5, -0.4), "melancholy": (-0.5, -0.4),
    "depressing": (-0.8, -0.5), "gloomy": (-0.6, -0.3), "sombre": (-0.5, -0.4), "somber": (-0.5, -0.4),
    "bittersweet": (-0.1, -0.3), "wistful": (-0.15, -0.35), "nostalgic": (0.1, -0.3),
    "lonely": (-0.6, -0.4), "heartbroken": (-0.75, -0.2), "dark": (-0.5, 0.1), "brooding": (-0.4, -0.1),
    "calm": (0.3, -0.7), "relaxed": (0.4, -0.6), "relaxing": (0.4, -0.65), "peaceful": (0.5, -0.75),
    "chill": (0.35, -0.55), "mellow": (0.3, -0.5), "soothing": (0.45, -0.7), "dreamy": (0.3, -0.45),
    "gentle": (0.35, -0.6), "tender": (0.45, -0.45), "warm": (0.5, -0.2), "intimate": (0.35, -0.45),
    "romantic": (0.6, -0.2), "sensual": (0.5, -0.1), "sentimental": (0.2, -0.35),
    "energetic": (0.5, 0.85), "upbeat": (0.7, 0.7), "party": (0.75, 0.85), "danceable": (0.7, 0.75),
    "powerful": (0.2, 0.8), "epic": (0.3, 0.75), "exciting": (0.6, 0.8), "intense": (-0.1, 0.85),
    "aggressive": (-0.5, 0.9), "angry": (-0.7, 0.85), "tense": (-0.4, 0.5), "anxious": (-0.5, 0.4),
    "sleepy": (0.2, -0.9), "ambient": (0.1, -0.8),
}
_THEME_PATTERNS: dict[str, re.Pattern[str]] = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in {
    "together": r"\b(?:together|with (?:you|me)|by (?:my|your) side|beside (?:you|me)|"
                r"hold(?:s|ing)? (?:me|you|on|my hand|your hand)|in (?:your|my) arms|you and (?:me|i)|"
                r"me and you|next to (?:you|me)|(?:not|never) alone|i(?:'ll| will) be there|here for you|"
                r"lean on|stay(?: with)?|our home|come home|we(?:'ll| will| can| are|'re)?|us)\b",
    "lonely": r"(?<!not )(?<!never )(?<!n't be )\b(?:alone|lonely|loneliness|on my own|by myself|nobody|"
              r"no one|empty room|isolat\w*|solitude)\b",
    "love": r"\b(?:love|lover|loving|darling|sweetheart|baby|kiss(?:es|ed)?|my heart|your heart)\b",
    "heartbreak": r"\b(?:goodbye|good-bye|left me|you(?:'re| are) gone|tears|crying|cry|broken heart|"
                  r"heartbreak|fall(?:ing)? apart|lost you|miss you|without you|over now)\b",
    "party": r"\b(?:dance|dancing|party|tonight|the club|dance ?floor|move your|jump|all night)\b",
    "hope": r"\b(?:hope|light|rise|sunrise|sunshine|new day|tomorrow|better days|brighter|shine)\b",
}.items()}
_GENRE_SPLIT = re.compile(r"[/;,|]+|\s+-\s+")
_NONWORD = re.compile(r"[^a-z0-9& ]+")


@functools.lru_cache(maxsize=8192)
def normalise_genre(text: str) -> str:
    """Lower case, '&' → 'and', punctuation → spaces: 'R&B' → 'r and b', 'Lo-Fi' → 'lo fi'."""
    text = text.lower().replace("&", " and ").replace("'", "")
    text = _NONWORD.sub(" ", text)
    return " ".join(text.split())


@functools.cache
def _genre_regex() -> re.Pattern[str]:
    keys = sorted(GENRES, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b")


@functools.lru_cache(maxsize=4096)
def genre_prior(genre: str) -> tuple[float, float, frozenset[str], str] | None:
    """(valence, arousal, traits, matched genre) for a genre string such as 'Indie Folk / Rock'."""
    if not genre:
        return None
    found: list[str] = []
    for part in _GENRE_SPLIT.split(genre):
        found += _genre_regex().findall(normalise_genre(part))
    if not found:
        return None
    valence = sum(GENRES[k][0] for k in found) / len(found)
    arousal = sum(GENRES[k][1] for k in found) / len(found)
    traits = frozenset(t for k in found for t in GENRES[k][2].split())
    return valence, arousal, traits, found[0]


@dataclass
class Evidence:
    """One source's opinion: valence and arousal with their weights."""

    valence: float
    arousal: float
    valence_weight: float
    arousal_weight: float

    def to_list(self) -> list[float]:
        return [round(self.valence, 3), round(self.arousal, 3), round(self.valence_weight, 2),
                round(self.arousal_weight, 2)]


@dataclass
class TrackMood:
    """A track's place on the valence–arousal plane, and what it is like."""

    valence: float
    arousal: float
    confidence: float  # 0 (nothing known) … 1
    sources: dict[str, Evidence] = field(default_factory=dict)
    traits: tuple[str, ...] = ()
    themes: dict[str, float] = field(default_factory=dict)
    genre: str = ""  # the genre the table matched

    def to_json(self, audio: AudioFeatures | None, audio_error: str = "", listened: bool = False) -> str:
        return json.dumps({
            "v": 1, "confidence": round(self.confidence, 3), "genre": self.genre,
            "traits": list(self.traits), "themes": {k: round(v, 3) for k, v in self.themes.items() if v},
            "sources": {name: ev.to_list() for name, ev in self.sources.items()},
            "audio": audio.to_dict() if audio else None, "audio_error": audio_error or None,
            "listened": listened,
        })


def tag_evidence(tags: dict[str, Any] | None) -> dict[str, Evidence]:
    """Evidence from extra tags: a mood tag (any key with 'mood' in it) and a BPM tag."""
    out: dict[str, Evidence] = {}
    if not tags:
        return out
    moods: list[tuple[float, float]] = []
    for key, value in tags.items():
        k = str(key).lower()
        values = value if isinstance(value, list) else [value]
        if "mood" in k or k in ("style", "grouping", "tmoo"):
            for v in values:
                words = normalise_genre(str(v))
                for word, va in MOOD_WORDS.items():
                    if re.search(rf"\b{re.escape(word)}\b", words):
                        moods.append(va)
        elif k in ("bpm", "tbpm", "tempo") and values:
            bpm = _number(values[0])
            if bpm and 40 <= bpm <= 250:
                out["bpm"] = Evidence(0.0, tempo_arousal(bpm), 0.0, 1.0)
    if moods:
        valence = sum(m[0] for m in moods) / len(moods)
        arousal = sum(m[1] for m in moods) / len(moods)
        out["mood_tag"] = Evidence(valence, arousal, 1.5, 1.5)
    return out


def _number(value: Any) -> float | None:
    try:
        return float(str(value).strip().split()[0])
    except (ValueError, IndexError):
        return None


def tempo_arousal(bpm: float) -> float:
    """Tempo → arousal: 70 BPM ≈ −0.8, 110 ≈ 0, 150+ ≈ +0.8."""
    return max(-1.0, min(1.0, (bpm - 110.0) / 50.0))


def themes_of(text: str, title: str = "") -> dict[str, float]:
    """Theme strengths in [0, 1]: hits per 100 words (the title counts three times)."""
    body = f"{text}\n{title}\n{title}\n{title}" if title else text
    words = max(20, len(body.split()))
    return {name: min(1.0, len(pattern.findall(body)) * 100.0 / words / 3.0)
            for name, pattern in _THEME_PATTERNS.items()}


def _stanzas(lyrics: str, most: int = 12) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n", lyrics) if p.strip()]
    if len(parts) <= 1:
        lines = [line.strip() for line in lyrics.splitlines() if line.strip()]
        parts = [" ".join(lines[i:i + 4]) for i in range(0, len(lines), 4)]
    if len(parts) > most:  # spread the choice over the whole song
        step = len(parts) / most
        parts = [parts[int(i * step)] for i in range(most)]
    return [p[:600] for p in parts]


def lyrics_evidence(lyrics: str) -> Evidence | None:
    """Valence (and a little arousal) of the lyrics from the emotion classifier, stanza by stanza."""
    stanzas = _stanzas(lyrics)
    if not stanzas:
        return None
    try:
        from os1.perception.affect import text_states
    except ImportError:  # pragma: no cover - a broken install
        return None
    total: dict[str, float] = {}
    for stanza in stanzas:
        states, _model = text_states(stanza)
        for state, value in states.items():
            total[state] = total.get(state, 0.0) + value / len(stanzas)
    positive = 0.7 * total.get("joy", 0.0) + 0.3 * total.get("excitement", 0.0)
    negative = max(total.get("sadness", 0.0), 0.8 * total.get("anger", 0.0), 0.7 * total.get("fear", 0.0),
                   0.8 * total.get("loneliness", 0.0))
    valence = max(-1.0, min(1.0, 1.8 * (positive - negative)))
    arousal = max(-1.0, min(1.0, 1.2 * (total.get("excitement", 0.0) + total.get("anger", 0.0)
                                        + 0.5 * total.get("fear", 0.0) - 0.5 * total.get("sadness", 0.0))))
    weight = 1.2 if len(stanzas) >= 3 else 0.7
    return Evidence(valence, arousal, weight, 0.3)


def audio_evidence(audio: AudioFeatures) -> Evidence:
    """Energy, tempo and onset density → arousal; mode and brightness → a lean of valence."""
    tempo = tempo_arousal(audio.tempo) if audio.tempo > 0 else 0.0
    energy = 2 * audio.energy - 1
    onsets = max(-1.0, min(1.0, (audio.onset_rate - 2.5) / 2.0))
    arousal = 0.4 * tempo + 0.35 * energy + 0.25 * onsets
    mode = max(-1.0, min(1.0, audio.mode_strength * 3.0))
    valence = 0.6 * mode + 0.4 * (2 * audio.brightness - 1) * 0.5
    return Evidence(valence, arousal, 0.6, 1.6)


def rate(genre: str = "", tags: dict[str, Any] | None = None, lyrics: str = "", title: str = "",
         audio: AudioFeatures | None = None, read_lyrics: bool = True) -> TrackMood:
    """Everything known about a track → its mood (``read_lyrics=False`` skips the classifier: fast)."""
    sources: dict[str, Evidence] = {}
    traits: set[str] = set()
    matched = ""
    prior = genre_prior(genre or "")
    if prior is not None:
        valence, arousal, genre_traits, matched = prior
        sources["genre"] = Evidence(valence, arousal, 1.0, 1.0)
        traits |= genre_traits
    sources.update(tag_evidence(tags))
    if lyrics and lyrics.strip() and read_lyrics:
        evidence = lyrics_evidence(lyrics)
        if evidence is not None:
            sources["lyrics"] = evidence
    if audio is not None:
        sources["audio"] = audio_evidence(audio)
        if audio.energy < 0.35 and audio.brightness < 0.45:
            traits.add("soft")
        if audio.energy > 0.8 and audio.brightness > 0.6 and audio.onset_rate > 3.5:
            traits.add("aggressive")
    themes = themes_of(lyrics or "", title or "") if (lyrics or title) else {}
    return combine(sources, traits, themes, matched)


def combine(sources: dict[str, Evidence], traits: Iterable[str] = (), themes: dict[str, float] | None = None,
            genre: str = "") -> TrackMood:
    """Weighted means of the evidence, shrunk toward the middle when there is little of it."""
    vw = sum(e.valence_weight for e in sources.values())
    aw = sum(e.arousal_weight for e in sources.values())
    valence = sum(e.valence * e.valence_weight for e in sources.values()) / (vw + PRIOR_WEIGHT)
    arousal = sum(e.arousal * e.arousal_weight for e in sources.values()) / (aw + PRIOR_WEIGHT)
    confidence = 1.0 - math.exp(-(vw + aw) / 3.0)
    return TrackMood(max(-1.0, min(1.0, valence)), max(-1.0, min(1.0, arousal)), confidence, dict(sources),
                     tuple(t for t in TRAITS if t in set(traits)), dict(themes or {}), genre)
