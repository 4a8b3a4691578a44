"""The skill framework: manifests, typed tools, guarded loading, the consent gate and the journal."""

from __future__ import annotations

import pytest

from os1.guard.consent import ConsentGate, answer_kind
from os1.skills.base import ToolError, tool
from os1.skills.loader import load_skills
from os1.storage.sqlite import SQLiteStore
from tests.fixtures.skills import explodes, needs_missing, postcard


def test_builtin_skills_load_with_their_tools():
    skills = load_skills()
    assert {"clock", "remember", "capabilities", "consent"} <= set(skills.skills)
    assert skills.broken == {}
    remember = skills.skills["remember"]
    assert remember.tools["remember"].effect == "reversible"
    assert skills.skills["clock"].tools["now"].effect == "read"
    assert remember.examples


def test_a_broken_skill_is_reported_and_others_still_load():
    skills = load_skills(extra=[needs_missing, explodes, postcard])
    assert "postcard" in skills.skills and "clock" in skills.skills
    assert "a_package_that_does_not_exist_os1" in skills.broken[needs_missing.__name__]
    assert "boom" in skills.broken[explodes.__name__]


def test_tool_schema_comes_from_the_signature():
    @tool("read")
    def lookup(ctx, query: str, limit: int = 5) -> str:
        """Look something up."""
        return query

    spec = lookup.__os1_tool__
    schema = spec.schema
    assert schema["properties"]["query"]["type"] == "string"
    assert schema["properties"]["limit"]["default"] == 5
    assert schema["required"] == ["query"]
    assert spec.openai_schema("demo")["function"]["name"] == "demo__lookup"
    assert spec.validate({"query": "x", "limit": "3"}) == {"query": "x", "limit": 3}
    with pytest.raises(ToolError, match="limit"):
        spec.validate({"query": "x", "limit": "many"})


def test_unknown_effect_is_refused():
    with pytest.raises(ValueError):
        tool("delete-everything")  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "kind"), [
    ("yes", "yes"), ("Sure, go ahead", "yes"), ("no, I don't mind", "yes"), ("not at all", "yes"),
    ("no", "no"), ("nope.", "no"), ("don't", "no"), ("cancel", "no"),
    ("what's the weather", "other"), ("tell me about nothing", "other")])
def test_answers_to_questions(text, kind):
    assert answer_kind(text) == kind


def test_gate_asks_for_consent_then_confirms_outbound_every_time(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    gate = ConsentGate(store.consent)
    skill = load_skills(extra=[postcard]).skills["postcard"]
    first = gate.decide(skill, skill.tools["send"], {"to": "Amy"})
    assert first.kind == "consent" and first.scopes == ["postcards.send"]
    assert "postcard account" in first.question
    gate.grant(first.scopes)
    for _ in range(2):
        again = gate.decide(skill, skill.tools["send"], {"to": "Amy"})
        assert again.kind == "confirm" and "Amy" in again.question
    assert gate.decide(skill, skill.tools["pin"], {"sender": "Amy"}).kind == "go"
    assert gate.revoke("postcards.send")
    assert gate.decide(skill, skill.tools["pin"], {"sender": "Amy"}).kind == "consent"
    assert not gate.revoke("postcards.send")
    store.close()
