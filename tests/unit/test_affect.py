"""Affect: the words (GoEmotions classifier, or the lexicon fallback) fused with voice cues into one
estimate per turn; the speech style and the prompt's guidance line that follow from it."""

from __future__ import annotations

import time

import pytest

from os1.brain.scripted import ScriptedBrain
from os1.expression.style import NEUTRAL_STYLE, style_for
from os1.mind import context
from os1.perception import affect
from os1.perception.affect import AffectEstimate, estimate, lexicon_states
from os1.perception.prosody import Baseline, ProsodyFeatures
from os1.persona.prompts import feeling_guidance
from tests.unit.helpers import make_runtime

FLUENT = dict(pitch_mean_hz=120.0, pitch_std_hz=20.0, energy_db=-22.0, speaking_rate_wps=3.4,
              pause_ratio=0.1, words=12, duration_s=3.5)


@pytest.fixture(autouse=True)
def fresh_reader(monkeypatch):
    """Each test decides afresh whether the classifier can be loaded."""
    monkeypatch.setattr(affect, "_CLASSIFIER_FAILED", False)


@pytest.fixture
def no_classifier(monkeypatch):
    import os1.perception.emotion as emotion

    def broken():
        raise emotion.EmotionModelError("the emotion model is missing (test)")

    monkeypatch.setattr(emotion, "classifier", broken)


def usual_voice() -> Baseline:
    base = Baseline()
    for i in range(12):
        base.update(ProsodyFeatures(**{**FLUENT, "pitch_mean_hz": 118.0 + i % 5, "energy_db": -22.0 + i % 3}))
    return base


def hesitant() -> ProsodyFeatures:
    return ProsodyFeatures(**{**FLUENT, "speaking_rate_wps": 2.0, "pause_ratio": 0.45, "filled_pauses": 2,
                              "restarts": 1, "duration_s": 5.0})


def lively() -> ProsodyFeatures:
    return ProsodyFeatures(**{**FLUENT, "pitch_mean_hz": 165.0, "pitch_std_hz": 45.0, "energy_db": -12.0,
                              "speaking_rate_wps": 4.2})


# -- the words ---------------------------------------------------------------------------
def test_the_classifier_reads_the_words():
    from os1.perception.emotion import STATES

    result = estimate("I'm so scared, I think someone is trying to break in")
    assert result.model == "classifier"
    assert set(result.scores) == set(STATES) == set(affect.STATES)
    assert result.state in ("fear", "nervousness") and result.confidence >= 0.5
    assert estimate("what time is it").state == "neutral"
    assert estimate("I got the job!!! I can't wait to start, this is amazing").state in ("excitement", "joy")


@pytest.mark.parametrize("text, state", [
    ("I'm so scared about the surgery tomorrow", "fear"),
    ("I'm really nervous about my interview", "nervousness"),
    ("I got the job!! I'm so excited", "excitement"),
    ("I feel so lonely, there's no one to talk to", "loneliness"),
    ("I'm furious with him", "anger"),
    ("what time is it", "neutral"),
    ("I'm not scared at all", "neutral"),  # negated
])
def test_without_the_classifier_a_lexicon_still_reads_feelings(no_classifier, text, state):
    result = estimate(text)
    assert result.model == "lexicon"
    assert result.state == state, result.scores


def test_lexicon_scores_share_the_classifier_scale():
    scores = lexicon_states("I'm so sad today")
    assert set(scores) == set(affect.STATES)
    assert scores["sadness"] >= 0.5 > scores["joy"]
    assert lexicon_states("the bus leaves at nine")["neutral"] == pytest.approx(0.8)


# -- fusion ------------------------------------------------------------------------------
def test_a_hesitant_voice_turns_plain_words_nervous():
    words = "I have the interview at nine tomorrow"
    typed = estimate(words)
    spoken = estimate(words, hesitant(), usual_voice())
    assert typed.state == "neutral" and typed.source == "text"
    assert spoken.source == "voice+text"
    assert spoken.state == "nervousness" and spoken.confidence >= 0.5
    assert "hesitant voice" in spoken.cues
    assert spoken.levels["hesitation"] > 0.7
    assert spoken.scores["neutral"] < typed.scores["neutral"]


def test_the_same_voice_with_fluent_speech_changes_nothing_much():
    words = "I have the interview at nine tomorrow"
    spoken = estimate(words, ProsodyFeatures(**FLUENT), usual_voice())
    assert spoken.state == "neutral" and not spoken.cues
    assert spoken.scores["nervousness"] == pytest.approx(estimate(words).scores["nervousness"], abs=0.05)


def test_high_arousal_voice_and_positive_words_make_excitement():
    words = "we finally got the house"
    typed = estimate(words)
    spoken = estimate(words, lively(), usual_voice())
    assert spoken.scores["excitement"] > typed.scores["excitement"] + 0.2
    assert "lively voice" in spoken.cues


def test_voice_counts_less_without_history():
    words = "I have the interview at nine tomorrow"
    known = estimate(words, hesitant(), usual_voice())
    stranger = estimate(words, hesitant(), Baseline())
    assert stranger.levels["confidence"] < known.levels["confidence"]
    assert stranger.scores["nervousness"] < known.scores["nervousness"]


def test_unusable_audio_is_text_only():
    silent = ProsodyFeatures(duration_s=2.0, notes=("silence",))
    assert estimate("I'm so happy", silent).source == "text"


def test_typed_hesitation_nudges_nervousness():
    plain = estimate("I don't know if I should go")
    halting = estimate("um, I- I don't know if I should go")
    assert halting.scores["nervousness"] > plain.scores["nervousness"]
    assert "hesitant wording" in halting.cues


def test_estimating_typed_text_is_fast():
    estimate("warm up")
    texts = ["I'm worried about my mother, she hasn't called in days"] * 200
    started = time.perf_counter()
    for text in texts:
        estimate(text)
    per_turn_ms = (time.perf_counter() - started) * 1000 / len(texts)
    assert per_turn_ms < 5.0, per_turn_ms


# -- answering the feeling -----------------------------------------------------------------
def nervous() -> AffectEstimate:
    return AffectEstimate("nervousness", 0.8, {"nervousness": 0.8, "neutral": 0.1}, ("hesitant voice",),
                          "voice+text")


def test_style_slows_and_softens_for_fear_and_brightens_for_excitement():
    assert style_for(None) == NEUTRAL_STYLE
    calm = style_for(nervous())
    assert calm.pace < 1.0 and calm.pause_s > NEUTRAL_STYLE.pause_s and calm.warmth > 0.5
    assert calm.length_scale > 1.0  # Piper: longer is slower
    sad = style_for(AffectEstimate("sadness", 1.0, {}))
    assert sad.pace == pytest.approx(0.85) and sad.pause_s == pytest.approx(0.5)
    bright = style_for(AffectEstimate("excitement", 0.9, {}))
    assert bright.pace > 1.0 and bright.pause_s < NEUTRAL_STYLE.pause_s
    assert style_for(AffectEstimate("fear", 0.3, {})) == NEUTRAL_STYLE  # unsure: unchanged
    assert style_for(AffectEstimate("neutral", 1.0, {})) == NEUTRAL_STYLE


def test_guidance_line_is_short_and_names_the_voice_cue():
    line = feeling_guidance("nervousness", ("hesitant voice",))
    assert line == ("They sound nervous (hesitant voice). Be calm and warm; ask before advising; "
                    "keep it short.")
    assert feeling_guidance("neutral") is None
    assert all(len(feeling_guidance(s) or "") < 100 for s in affect.STATES)


def test_context_builder_adds_guidance_for_a_nervous_turn_only():
    runtime = make_runtime()
    try:
        conv = runtime.store.conversations.create()
        brain = ScriptedBrain(replies=[])

        def system(feeling: AffectEstimate | None) -> str:
            messages = context.build(runtime.store, runtime.profile, brain, conv.id,
                                     "I have my interview soon", runtime.memory, feeling)
            return messages[0].content

        with_nerves = system(nervous())
        assert with_nerves.splitlines()[-1] == ("They sound nervous (hesitant voice). Be calm and warm; "
                                                "ask before advising; keep it short.")
        for calm in (None, AffectEstimate("neutral", 0.9, {}), AffectEstimate("fear", 0.3, {})):
            text = system(calm)
            assert "They sound" not in text
            assert text == system(None)
    finally:
        runtime.close()
