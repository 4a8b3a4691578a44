"""What a mood request asks for: a point on the valence–arousal plane and what should come with it.

"I'm depressed, can you play something that makes me not feel so alone?" asks for company, not
for sadness: warm, gentle, intimate songs (moderately low arousal, slightly positive valence,
acoustic / soul-ish, lyrics about being together). "Something upbeat for my run" asks for
energy; "calm me down" for calm; "focus music" for steady, unobtrusive, mostly instrumental music.

Requests are read by rules in three strengths: asking for an effect ("cheer me up", "calm me
down", "help me sleep", "not feel so alone") beats describing the music ("something sad", "upbeat
songs", "for my run", "for a rainy day"), which beats stating a feeling ("I'm so stressed"). With
none of them, the user's current affect (the conversation's ``last_affect``) decides, and failing
that the feeling in the request's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

KINDS: tuple[str, ...] = ("comfort", "uplift", "sad", "calm", "sleep", "focus", "energy", "party", "happy",
                          "romantic", "angry", "rainy", "nostalgic", "any")


@dataclass(frozen=True)
class MoodTarget:
    """Where a mood request points, and how to say why a song fits it."""

    kind: str  # one of KINDS: the "request kind" that taste is keyed by
    valence: float  # [-1, 1]
    arousal: float  # [-1, 1]
    describe: str  # what we look for: "warm, gentle and intimate"
    because: str  # why, for the explanation: "for feeling alone"
    valence_weight: float = 1.0  # how much each axis matters for this kind
    arousal_weight: float = 1.0
    traits: tuple[str, ...] = ()  # preferred (mood_rating.TRAITS)
    avoid: tuple[str, ...] = ()  # traits that rule a track out for this kind
    themes: tuple[str, ...] = ()  # preferred lyric themes (mood_rating.THEMES)
    instrumental: bool = False  # prefer tracks without lyrics
    request: str = ""
    genre: str = ""  # a genre the request names ("play some jazz"): picks stay within it when they can

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "valence": self.valence, "arousal": self.arousal,
                "describe": self.describe, "because": self.because, "request": self.request,
                "genre": self.genre}


BASE: dict[str, MoodTarget] = {t.kind: t for t in (
    MoodTarget("comfort", 0.3, -0.35, "warm, gentle and intimate", "for feeling alone",
               traits=("warm", "intimate", "acoustic", "gentle"), avoid=("aggressive",),
               themes=("together",)),
    MoodTarget("uplift", 0.55, 0.05, "gently uplifting", "to lift your mood",
               traits=("warm",), avoid=("aggressive", "dark"), themes=("hope", "together")),
    MoodTarget("sad", -0.55, -0.4, "sad and tender", "since you wanted something sad",
               traits=("gentle", "intimate"), avoid=("danceable",), themes=("heartbreak", "lonely")),
    MoodTarget("calm", 0.35, -0.7, "calm and soothing", "to help you calm down", arousal_weight=1.6,
               traits=("gentle", "soft", "acoustic"), avoid=("aggressive", "danceable")),
    MoodTarget("sleep", 0.2, -0.9, "very quiet and slow", "to help you sleep", arousal_weight=2.0,
               traits=("gentle", "soft", "instrumental"), avoid=("aggressive", "danceable"),
               instrumental=True),
    MoodTarget("focus", 0.15, -0.25, "steady and unobtrusive", "to help you focus", valence_weight=0.5,
               traits=("instrumental",), avoid=("aggressive",), instrumental=True),
    MoodTarget("energy", 0.5, 0.85, "upbeat and driving", "to get you going", valence_weight=0.6,
               arousal_weight=2.0, avoid=("gentle", "soft")),
    MoodTarget("party", 0.75, 0.8, "danceable and bright", "for dancing", traits=("danceable",),
               avoid=("gentle", "soft", "dark"), themes=("party",)),
    MoodTarget("happy", 0.8, 0.45, "bright and happy", "to match your good mood", avoid=("dark",),
               themes=("hope",)),
    MoodTarget("romantic", 0.55, -0.25, "tender and romantic", "for a romantic mood",
               traits=("warm", "intimate"), avoid=("aggressive",), themes=("love", "together")),
    MoodTarget("angry", -0.35, 0.85, "loud and cathartic", "to let off some steam", arousal_weight=1.5,
               traits=("aggressive",), avoid=("gentle", "soft")),
    MoodTarget("rainy", 0.1, -0.4, "cozy and mellow", "for a rainy day",
               traits=("acoustic", "warm", "gentle"), avoid=("aggressive", "danceable")),
    MoodTarget("nostalgic", 0.15, -0.2, "warm and wistful", "for a nostalgic mood", traits=("warm",),
               avoid=("aggressive",)),
    MoodTarget("any", 0.3, 0.1, "easygoing", "", valence_weight=0.3,
               arousal_weight=0.3),
)}

_FLAGS = re.IGNORECASE
_MUSIC = r"(?:music|songs?|tunes?|tracks?|stuff|vibes?|playlist|mix|sounds?|ballads?|jams?|records?)"
_SOME = r"(?:something|anything|some|a (?:bit of|few|song|track|couple of)|more|songs?)"


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


def _described(words: str) -> re.Pattern[str]:
    """'something WORD', 'some WORD music', 'WORD songs', 'a WORD song', 'more WORD stuff'."""
    return _rule(rf"\b(?:{_SOME}\s+(?:\w+\s+)?(?:{words})\b|(?:{words})(?:\s+\w+)?\s+{_MUSIC}\b)")


# (strength, kind, because, pattern): effects 0, descriptions and activities 1, stated feelings 2
RULES: tuple[tuple[int, str, str, re.Pattern[str]], ...] = (
    # asking for an effect
    (0, "comfort", "for feeling alone", _rule(
        r"\b(?:not|n't|less|never)\s+(?:to\s+)?feel(?:ing)?\s+(?:so\s+|as\s+|quite\s+so\s+)?(?:alone|lonely|isolated)\b"
        r"|\bkeep\s+me\s+company\b|\bfeel\s+(?:less\s+alone|like\s+someone(?:'s| is)\s+(?:here|with me))\b")),
    (0, "uplift", "to lift your mood", _rule(
        r"\bcheer\s+(?:me\s+)?up\b|\bmake\s+me\s+(?:feel\s+)?(?:better|happ(?:y|ier)|smile)\b|\bpick\s+me\s+up\b"
        r"|\blift\s+my\s+(?:mood|spirits)\b|\bbrighten\s+(?:up\s+)?my\s+day\b|\bfeel\s+better\b")),
    (0, "calm", "to help you calm down", _rule(
        r"\bcalm\s+(?:me|my\s+nerves|things)\s*(?:down)?\b|\bhelp\s+me\s+(?:calm|relax|unwind|de-?stress)\b"
        r"|\bmake\s+me\s+(?:calm|relax)\w*\b|\bsettle\s+my\s+nerves\b")),
    (0, "sleep", "to help you sleep", _rule(
        r"\bhelp\s+me\s+(?:fall\s+a)?sleep\b|\bput\s+me\s+to\s+sleep\b|\b(?:fall|get\s+to)\s+a?sleep\b"
        r"|\bsend\s+me\s+off\b")),
    (0, "focus", "to help you focus", _rule(
        r"\bhelp\s+me\s+(?:focus|concentrate|study|work)\b|\bkeep\s+me\s+focused\b")),
    (0, "energy", "to get you going", _rule(
        r"\bpump\s+me\s+up\b|\bget\s+me\s+(?:going|moving|pumped|motivated|hyped)\b|\bmotivate\s+me\b"
        r"|\bgive\s+me\s+(?:some\s+)?energy\b|\bwake\s+me\s+up\b(?!\s+(?:at|in|tomorrow|every))")),
    # describing the music, or what it is for
    (1, "sad", "since you wanted something sad", _described(
        r"sad|sadder|melanchol\w*|heartbreak\w*|heart-?breaking|depressing|gloomy|mournful|tear-?jerk\w*|weepy")),
    (1, "sad", "since you wanted something sad", _rule(
        r"\bsongs?\s+to\s+cry\s+to\b|\bwallow\b|\bfor\s+a\s+good\s+cry\b")),
    (1, "sleep", "to help you sleep", _described(r"sleepy|sleep|bed-?time|lullab\w+|night-?time")),
    (1, "sleep", "to help you sleep", _rule(
        r"\b(?:for|before|at)\s+(?:bed|bedtime|sleep(?:ing)?)\b|\blullab\w+\b")),
    (1, "focus", "to help you focus", _described(
        r"focus\w*|study|studying|concentration|work|working|coding")),
    (1, "focus", "to help you focus", _rule(
        r"\b(?:for|while\s+(?:i(?:'m| am)?\s+)?)\s*(?:focus(?:ing)?|study(?:ing)?|concentrating|coding"
        r"|programming|reading|writing|working|work|homework)\b|\bbackground\s+music\b|\bdeep\s+work\b")),
    (1, "romantic", "for a romantic mood", _described(r"romantic|love|sexy|sensual|slow-?dance")),
    (1, "romantic", "for a romantic mood", _rule(r"\bdate\s+night\b|\bcandle-?lit\b|\bromantic\s+dinner\b")),
    (1, "party", "for dancing", _described(r"party|dance|dancey|danceable|groovy|club|funky|disco")),
    (1, "party", "for dancing", _rule(
        r"\b(?:for\s+(?:a|the|my|our)\s+)party\b|\bto\s+dance\s+to\b|\bdance\s+party\b|\bfor\s+dancing\b")),
    (1, "energy", "for your run", _rule(
        r"\b(?:for|during|on)\s+(?:a\s+|the\s+|my\s+)?(?:run|running|jog|jogging|morning\s+run)\b")),
    (1, "energy", "for your workout", _rule(
        r"\b(?:for|during|at)\s+(?:a\s+|the\s+|my\s+)?(?:workout|work\s*out|gym|exercise|exercising|training|"
        r"cardio|lifting|spin\s+class|cycling|bike\s+ride)\b|\bworking\s+out\b"
        r"|\bwork-?out\s+" + _MUSIC + r"\b")),
    (1, "energy", "to get you going", _described(
        r"upbeat|up-?beat|energetic|energi[sz]ing|high[- ]energy|fast|pumped|hype|lively|driving|power|"
        r"running|workout|gym|motivational|motivating|loud")),
    (1, "angry", "to let off some steam", _described(
        r"angry|aggressive|heavy|hard|rage|furious|intense|metal")),
    (1, "angry", "to let off some steam", _rule(
        r"\b(?:let|blow)\s+off\s+(?:some\s+)?steam\b|\bto\s+scream\s+to\b")),
    (1, "calm", "to help you calm down", _described(
        r"calm|calming|chill|chilled|relaxing|relaxed|mellow|soothing|peaceful|quiet|gentle|soft|slow|easy|"
        r"laid-?back|ambient")),
    (1, "calm", "to help you unwind", _rule(r"\bto\s+(?:relax|unwind|chill)\b|\bwind\s+down\b")),
    (1, "rainy", "for a rainy day", _rule(
        r"\brainy\b|\b(?:it's|it\s+is|while\s+it's|when\s+it's)\s+raining\b|\bfor\s+the\s+rain\b"
        r"|\bgr[ae]y\s+(?:day|sky|morning|afternoon)\b|\bcos?zy\b|\bautumn(?:al)?\s+(?:day|evening|afternoon|mood)\b"
        r"|\b(?:for|on)\s+a\s+(?:lazy\s+)?sunday\s+morning\b|\bwith\s+(?:my\s+)?(?:coffee|tea)\b")),
    (1, "happy", "to match your good mood", _described(
        r"happy|happier|joyful|cheerful|cheery|feel-?good|sunny|uplifting|summery|positive")),
    (1, "uplift", "to lift your mood", _described(r"hopeful|comforting|encouraging|reassuring")),
    (1, "comfort", "for feeling alone", _described(
        r"warm|tender|intimate|heartfelt|cosy|comforting|company")),
    (1, "nostalgic", "for a nostalgic mood", _rule(
        r"\bnostalg\w+\b|\b(?:the\s+)?good\s+old\s+days\b|\bold\s+times\b|\bmemory\s+lane\b|\bthrowbacks?\b")),
    # stating a feeling
    (2, "comfort", "for feeling alone", _rule(
        r"\blonel(?:y|iness)\b"
        r"|\b(?:feel(?:ing)?|i(?:'m| am)|so|all)\s+(?:so\s+|very\s+|really\s+)?(?:alone|isolated)\b"
        r"|\bmiss(?:ing)?\s+(?:him|her|them|someone|somebody|my\s+\w+)\b|\bno\s*(?:one|body)\s+to\s+talk\s+to\b")),
    (2, "uplift", "since you're feeling down", _rule(
        r"\b(?:i(?:'m| am)|i\s+feel|feeling|i've\s+been|so)\s+"
        r"(?:so\s+|very\s+|really\s+|pretty\s+|kind\s+of\s+|a\s+bit\s+)?"
        r"(?:sad|down|depressed|blue|low|miserable|awful|terrible|heartbroken|gloomy|bummed|crushed|rough|"
        r"upset|hopeless)\b|\b(?:bad|rough|terrible|awful|hard|long)\s+day\b|\bdepress(?:ed|ion)\b")),
    (2, "calm", "to take the edge off", _rule(
        r"\b(?:stress(?:ed|ful)?|anxious|anxiety|nervous|panick?(?:ing|y|ed)?|overwhelmed|tense|on\s+edge|"
        r"worried|wired|restless|angry|furious|pissed|frustrated|irritated|annoyed)\b")),
    (2, "calm", "since you sound tired", _rule(r"\b(?:tired|exhausted|worn\s+out|sleepy|drained)\b")),
    (2, "happy", "to match your good mood", _rule(
        r"\b(?:i(?:'m| am)|i\s+feel|feeling|so)\s+(?:so\s+|very\s+|really\s+)?(?:happy|great|good|amazing|"
        r"wonderful|fantastic|awesome|joyful|cheerful|elated|ecstatic)\b|\bgood\s+mood\b|\bgreat\s+day\b"
        r"|\bcelebrat\w+\b|\bgood\s+news\b")),
    (2, "party", "to match your excitement", _rule(r"\b(?:excited|thrilled|pumped|hyped|can't\s+wait)\b")),
    (2, "romantic", "for a romantic mood", _rule(r"\bin\s+love\b|\bdate\b")),
)

_GENERIC = _rule(
    rf"\b(?:play|put\s+on|queue|give\s+me|i\s+(?:want|need)|find\s+me|choose|pick)\s+(?:me\s+)?"
    rf"(?:some(?:thing)?|any(?:thing)?|a\s+(?:song|track|tune)|some\s+{_MUSIC}|{_MUSIC})\b"
    rf"|\bsome\s+music\b|\bsurprise\s+me\b|\bmusic\s+please\b|^\s*(?:some\s+)?music\s*[.!?]*\s*$")
_BY_ARTIST = re.compile(r"\b(?:by|from)\s+[A-Z0-9\w]", re.IGNORECASE)
_SOME_WORD = _rule(rf"\b(?:something|anything|some|songs?|music|tunes|stuff|{_MUSIC})\b")
_FIRST_PERSON = _rule(r"\b(?:i|i'm|i've|i'd|me|my|myself|feel(?:ing)?)\b")
_MUSIC_CONTEXT = _rule(rf"\b(?:play|put\s+on|listen|hear|queue|{_MUSIC}|something|anything|soundtrack)\b")

# the user's affect state (os1.perception.affect.STATES) → a kind and why
STATE_KINDS: dict[str, tuple[str, str]] = {
    "loneliness": ("comfort", "for feeling alone"),
    "sadness": ("uplift", "since you seem a bit down"),
    "fear": ("calm", "since you seem anxious"),
    "nervousness": ("calm", "since you seem on edge"),
    "anger": ("calm", "to take the edge off"),
    "joy": ("happy", "to match your good mood"),
    "excitement": ("party", "to match your excitement"),
}


def _looks_like_a_name(text: str, start: int, end: int) -> bool:
    """A capitalised word inside the match, not opening the sentence: a title or a name ("play some
    Bright Eyes", "play Lonely by Akon"), not a mood."""
    for match in re.finditer(r"[A-Za-z][\w'-]*", text[start:end]):
        word, at = match.group(), start + match.start()
        if word[0].isupper() and word not in ("I", "I'm", "I've", "I'd", "I'll") and at > 0 \
                and not re.search(r"[.!?]\s*$", text[:at]) and not text[:at].isupper():
            return True
    return False


def matched_rule(text: str) -> tuple[int, str, str] | None:
    """The strongest rule the text matches: (strength, kind, because), or None."""
    best: tuple[int, str, str] | None = None
    for strength, kind, because, pattern in RULES:
        if best is not None and strength >= best[0]:
            continue
        if any(not _looks_like_a_name(text, m.start(), m.end()) for m in pattern.finditer(text)):
            best = (strength, kind, because)
            if strength == 0:
                break
    return best


def genre_asked(text: str) -> str:
    """The genre a request names ("play some jazz", "indie folk songs", "something classical"), or ""."""
    from os1.skills.music.mood_rating import GENRES, normalise_genre

    lowered = normalise_genre(text)
    keys = "|".join(re.escape(k) for k in sorted(GENRES, key=len, reverse=True))
    found = re.search(rf"\b(?:some|something|any|anything|a bit of|more|play|put on|of|favourite|favorite)\s+"
                      rf"(?:\w+\s+)?({keys})\b(?!\s+by\b)|\b({keys})\s+{_MUSIC}\b", lowered)
    if not found:
        return ""
    genre = found.group(1) or found.group(2)
    at = text.lower().find(genre.split()[0])
    return "" if at > 0 and _looks_like_a_name(text, at, at + len(genre)) else genre


def is_mood_request(text: str) -> bool:
    """Whether ``text`` asks for music by feeling, purpose or genre rather than by name.

    "play something upbeat", "calm me down", "focus music", "play some jazz", "I'm depressed, can you
    play something that makes me not feel so alone?", "play some music" → True; "play Lua by Bright
    Eyes", "play Happy", "play Lonely by Akon", "play some Bright Eyes", "the third track of Lifted",
    "I'm so happy" (no music asked for) → False.
    """
    if not text or not text.strip():
        return False
    by_artist = _BY_ARTIST.search(text)
    if by_artist and not _SOME_WORD.search(text[:by_artist.start()]):
        return False  # "play Lonely by Akon": a title by an artist, however moody the title
    rule = matched_rule(text)
    if rule is not None:
        strength = rule[0]
        if strength == 0 and (rule[1] != "energy" or _MUSIC_CONTEXT.search(text)):
            return True
        if strength >= 1 and _MUSIC_CONTEXT.search(text):
            return True
    if genre_asked(text):
        return True
    generic = _GENERIC.search(text)
    if generic is None:
        return False
    rest = text[generic.end():]
    return not _BY_ARTIST.search(rest) and not _names_something(rest)


_NOT_NAMES = frozenset(("music", "songs", "please", "i", "i'd", "i'm", "i'll", "i've", "you", "something",
                        "anything"))


def _names_something(rest: str) -> bool:
    """After "play some", a capitalised name ("play some Bright Eyes") is an artist, not a mood."""
    words = rest.strip(" ,.!?").split()
    return bool(words) and words[0][:1].isupper() and words[0].lower() not in _NOT_NAMES


def _state_name(user_state: Any) -> tuple[str, float]:
    if user_state is None:
        return "neutral", 0.0
    if isinstance(user_state, str):
        return user_state, 0.6
    state = getattr(user_state, "state", None)
    confidence = getattr(user_state, "confidence", 0.6)
    return (str(state), float(confidence)) if state else ("neutral", 0.0)


def target_for(text: str, user_state: Any = None) -> MoodTarget:
    """The target of a mood request, given the user's current affect (a state name such as "sadness",
    an :class:`~os1.perception.affect.AffectEstimate`, or None)."""
    text = text or ""
    genre = genre_asked(text)
    rule = matched_rule(text)
    if rule is not None:
        _strength, kind, because = rule
        return _nudge(replace(BASE[kind], because=because, request=text, genre=genre), user_state)
    state, _confidence = _state_name(user_state)
    if state not in STATE_KINDS and _FIRST_PERSON.search(text):
        state = _feeling_in(text)  # "I've had the worst week": the words carry the feeling
    if state in STATE_KINDS:
        kind, because = STATE_KINDS[state]
        return replace(BASE[kind], because=because, request=text, genre=genre)
    if genre:
        return replace(BASE["any"], because=f"since you asked for {genre}", request=text, genre=genre)
    return replace(BASE["any"], request=text)


def _nudge(target: MoodTarget, user_state: Any) -> MoodTarget:
    """An explicit request wins, but the user's mood softens it: "upbeat" for someone sad is warmer and
    a little less frantic."""
    state, confidence = _state_name(user_state)
    if confidence < 0.5:
        return target
    if state in ("sadness", "loneliness") and target.kind in ("energy", "party", "happy"):
        return replace(target, arousal=target.arousal - 0.15, traits=(*target.traits, "warm"))
    if state in ("fear", "nervousness") and target.kind in ("any", "focus"):
        return replace(target, arousal=target.arousal - 0.2)
    return target


def _feeling_in(text: str) -> str:
    """The affect state the words themselves express (OS1's text emotion classifier), or "neutral"."""
    try:
        from os1.perception.affect import EXPRESSED, text_states
    except ImportError:  # pragma: no cover
        return "neutral"
    states, _model = text_states(text)
    feeling = max((s for s in states if s != "neutral"), key=lambda s: states[s])
    return feeling if states[feeling] >= EXPRESSED else "neutral"
