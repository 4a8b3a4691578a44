"""What a listener says mid-reading: "skip this part", "simpler", "what was that word?" … as a command.

:func:`parse_command` maps a short utterance (spoken or typed) to one of :data:`COMMANDS` through a
table of phrase patterns; :func:`word_asked_about` picks out the word in "what does X mean?".
:meth:`ReadingSession.handle <os1.skills.documents.reader.ReadingSession.handle>` acts on both.
"""

from __future__ import annotations

import re

_FILLER = re.compile(r"\b(please|okay|ok|os1|hey|um|uh|now|just|can you|could you|would you)\b")
_COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx)) for name, rx in (
    ("word", r"^(what|which) (was|is|were) (that|the|this) (last |hard |big |long )?word"
             r"|^what (does|did) (that|the|this) (last |hard )?word mean"
             r"|^what does \w[\w'-]* mean$|^what('s| is) \w[\w'-]*$|^what('s| is) the meaning of"
             r"|^define\b|^(that|what a) (hard |big )?word$|^meaning$"),
    ("simpler", r"^(simpler|more simply|simplify|easier|plainer)\b|^(make|say|put|read) (it|that|this)"
                r"( \w+)? (simpler|easier|more simply|plainer|in plain english)"
                r"|^in (plain|simple|simpler) (english|words|terms)"
                r"|^(that'?s|this is|it'?s) too (hard|difficult|complicated)"
                r"|^i (don'?t|do not|didn'?t) (understand|get it)|^(explain|read) (it )?(simpler|more simply)"
                r"|^dumb(ed)? it down|^(less|not so) (complicated|difficult)"),
    ("skip", r"^skip\b|^(next|another) (part|chapter|section|bit)|^(move|jump|skip) (on|ahead|forward)\b"
             r"|^(go|move|jump) to the next (part|chapter|section)|^(this is )?boring|^fast forward"
             r"|^pass$|^next$"),
    ("back", r"^(go|jump|skip|move) back\b|^back( up)?$|^rewind|^previous( sentence| part)?$"
             r"|^(back|go back) (a|one) (bit|sentence)|^wait,? go back"),
    ("repeat", r"^(say|read) (that|it|this) again|^repeat( that| it| this)?$|^again$"
               r"|^what did (you|it|he|she) (just )?say|^(sorry|pardon)\??$|^come again|^one more time$"),
    ("pause", r"^pause\b|^hold on$|^hold it$|^wait( a (moment|minute|second|sec))?$"
              r"|^(a|one) (moment|minute|second|sec)$"
              r"|^(give me|hang on)( a)?( (moment|minute|second|sec))?$|^just a (moment|minute|second|sec)$"),
    ("resume", r"^(resume|continue|carry on|go on|keep going|keep reading|unpause)\b|^play$"
               r"|^(go|read) on$|^go ahead$|^(start|begin) (reading )?again$|^where were we"),
    ("stop", r"^stop\b|^(that'?s|that is) enough|^enough\b|^quit\b"
             r"|^(stop|end|close|finish) (reading|the book)"
             r"|^i'?m done|^(be )?quiet$|^shut up$|^(no more|thanks,? that'?s all|that'?s all)$"),
))
COMMANDS = tuple(name for name, _ in _COMMANDS)
_WHAT_DOES = re.compile(r"^what does (?!that\b|the\b|this\b|it\b)(\w[\w'-]*) mean|^what is the meaning of "
                        r"(?!that\b|the\b|this\b|it\b)(\w[\w'-]*)|^define (\w[\w'-]*)")


def _normalize(text: str) -> str:
    t = (text or "").lower().replace("’", "'").strip()
    t = re.sub(r"[^\w' ,?-]", " ", t)
    t = _FILLER.sub(" ", t)
    return re.sub(r"[\s,]+", " ", t).strip(" ?-")


def parse_command(text: str) -> str | None:
    """The reading command in what the user said or typed, or None.

    One of :data:`COMMANDS`: "skip", "simpler", "back", "repeat", "word", "pause", "resume", "stop".
    Only short utterances count (at most 9 words), so ordinary questions are not taken as commands.
    """
    t = _normalize(text)
    if not t or len(t.split()) > 9:
        return None
    for name, pattern in _COMMANDS:
        if pattern.search(t):
            return name
    return None


def word_asked_about(text: str) -> str | None:
    """The word named in "what does X mean?" / "what is the meaning of X" / "define X", or None."""
    m = _WHAT_DOES.search(_normalize(text))
    return next(g for g in m.groups() if g) if m else None
