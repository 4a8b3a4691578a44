"""A cheap importance score (0..1) for a memory, before any brain is asked.

Generative Agents rate poignancy with an LLM; this heuristic does without one:
personal disclosures, life events, feelings, names, dates and numbers raise it;
greetings, thanks and small talk lower it.
"""

from __future__ import annotations

import re

_EVENTS = re.compile(
    r"\b(born|birthday|died|death|funeral|married|wedding|engaged|divorce|pregnan|baby|moved|"
    r"new job|hired|fired|quit|promot|graduat|diagnos|hospital|surgery|accident|broke up|"
    r"adopt|retire|anniversary|passed away|lost my|started|finished|won|award)", re.I)
_FEELINGS = re.compile(
    r"\b(love|hate|afraid|scared|fear|anxious|nervous|lonely|sad|depress|happy|excited|proud|"
    r"angry|upset|hurt|miss|grateful|worried|ashamed|guilty|jealous|heartbroken)", re.I)
_PERSONAL = re.compile(r"\b(i|i'm|i've|my|mine|me|we|our)\b", re.I)
_PEOPLE = re.compile(r"\b(mom|mother|dad|father|sister|brother|wife|husband|son|daughter|"
                     r"friend|boss|partner|girlfriend|boyfriend|grandma|grandpa|kids?|family)\b", re.I)
_SMALL_TALK = re.compile(r"^(hi|hey|hello|thanks|thank you|ok|okay|cool|nice|great|bye|lol|haha|"
                         r"good (morning|night)|see you)\b[\s!.?]*$", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}")
_NUMBER = re.compile(r"\d")


def score(text: str) -> float:
    text = text.strip()
    if not text:
        return 0.0
    if _SMALL_TALK.match(text):
        return 0.05
    value = 0.15
    value += min(0.15, len(text) / 1200)
    if _EVENTS.search(text):
        value += 0.3
    if _FEELINGS.search(text):
        value += 0.15
    if _PERSONAL.search(text):
        value += 0.1
    if _PEOPLE.search(text):
        value += 0.1
    if _NAME.search(text):
        value += 0.05
    if _NUMBER.search(text):
        value += 0.05
    if text.endswith("?") and not _PERSONAL.search(text):
        value -= 0.1
    return round(max(0.0, min(1.0, value)), 3)
