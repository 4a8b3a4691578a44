"""Ranking and condensing: budgets, order, attributions, interests, "the part about X", the ROUGE bench."""

from __future__ import annotations

import json
from pathlib import Path

from os1.bench.summaries import run, split_of
from os1.skills.documents.condense import about, condense, find_part
from os1.skills.documents.model import Block, Document
from os1.skills.documents.passages import split_passages
from os1.skills.documents.rank import rank

FILLER = [
    "The town council met in the old hall on a rainy evening.",
    "Several residents arrived early to find good seats near the front.",
    "The agenda was printed on green paper and handed out at the door.",
    "Coffee was served in the corridor before the session began.",
    "A few members of the press sat along the back wall with notebooks.",
    "The chairman opened the meeting a few minutes after seven o'clock.",
]


def _doc(paragraphs: list[str], *, headings: dict[int, str] | None = None) -> Document:
    blocks: list[Block] = []
    for i, p in enumerate(paragraphs):
        if headings and i in headings:
            blocks.append(Block(text=headings[i], kind="heading", level=1))
        blocks.append(Block(text=p))
    doc = Document(title="t", format="txt", blocks=blocks)
    chapter = ""
    for b in doc.blocks:
        if b.kind == "heading":
            chapter = b.text
        b.chapter = b.section = chapter
    return doc


def test_sentence_budget_order_and_boilerplate() -> None:
    text = [
        "Click here to subscribe to our newsletter for more stories.",
        "The council approved a new bridge over the river after a long debate about the bridge.",
        *FILLER,
        "The new bridge over the river will cost the council four million pounds.",
        "Work on the bridge starts in May and the river crossing opens next year.",
    ]
    doc = _doc(text)
    result = condense(doc, sentences=3, kind="document", embeddings=False)
    texts = [p.text for p in result.passages]
    assert len(texts) == 3
    assert not any("Click here" in t for t in texts)
    assert [p.index for p in result.passages] == sorted(p.index for p in result.passages)
    assert sum("bridge" in t for t in texts) >= 2
    assert result.words_after == sum(len(t.split()) for t in texts)
    news = [p.text for p in condense(doc, sentences=3, kind="news", embeddings=False).passages]
    assert news[0] == text[1]  # news: the lead (after the skipped boilerplate) comes first


def test_ratio_budget() -> None:
    paras = [f"{s} Item {i} was discussed at length by everyone." for i in range(10) for s in FILLER[:3]]
    doc = _doc(paras)
    result = condense(doc, ratio=0.2, embeddings=False)
    assert result.words_before == doc.words
    assert 0.1 <= result.ratio <= 0.23
    again = condense(doc, ratio=0.5, embeddings=False)
    assert again.words_after > result.words_after


def test_quote_keeps_its_speaker_and_pronoun_pulls_antecedent() -> None:
    doc = _doc(
        [
            " ".join(FILLER[:3]),
            "“The volcano erupted at dawn and the whole village woke up to ash on every roof. "
            "Nobody was hurt, thank goodness,” said the mayor, Anna Berg.",
            " ".join(FILLER[3:]),
            "Professor Malik studied the crater for twenty years. He predicted the volcano eruption in 2019.",
        ]
    )
    result = condense(doc, ratio=0.45, interests=["volcano"], embeddings=False)
    texts = [p.text for p in result.passages]
    quote = next(i for i, t in enumerate(texts) if t.startswith("“The volcano"))
    assert texts[quote + 1].endswith("said the mayor, Anna Berg.")
    he = texts.index("He predicted the volcano eruption in 2019.")
    assert texts[he - 1] == "Professor Malik studied the crater for twenty years."


def test_interests_raise_scores() -> None:
    doc = _doc([" ".join(FILLER), "The garden club reported record tomato harvests this summer."])
    ps = split_passages(doc)
    plain = rank(ps, embeddings=False)
    keen = rank(ps, interests=["tomato harvests"], embeddings=False)
    i = next(p.index for p in ps if "tomato" in p.text)
    assert keen[i] > plain[i]
    assert max(range(len(ps)), key=lambda k: keen[k]) == i


def test_book_condensed_chapter_by_chapter() -> None:
    paras = []
    heads = {}
    for c in range(4):
        heads[len(paras)] = f"Chapter {c + 1}"
        paras += [f"{s} In chapter {c + 1} the story moves on." for s in FILLER] * 40
    doc = _doc(paras, headings=heads)
    result = condense(doc, ratio=0.05, kind="book", embeddings=False)
    assert {p.chapter for p in result.passages} == {f"Chapter {c + 1}" for c in range(4)}


def test_about_and_find_part() -> None:
    doc = _doc(
        [
            "Solar panels on the school roof now produce most of its electricity.",
            *FILLER,
            "The panels cost ninety thousand pounds and will pay for themselves in eight years.",
            "Pupils track the energy output on a screen in the entrance hall.",
        ]
    )
    top = about(doc, n=2)
    assert len(top) == 2 and top[0].index < top[1].index
    hits = find_part(doc, "how much did the panels cost?", k=1, rerank=False)
    assert hits and hits[0].text.startswith("The panels cost ninety thousand")
    assert find_part(doc, "zebra xylophone", rerank=False) == []
    reranked = find_part(doc, "price of the solar installation", k=2)
    assert any("cost" in p.text or "Solar" in p.text for p in reranked)


def test_summaries_bench_on_tiny_frank(tmp_path: Path) -> None:
    art = tmp_path / "articles"
    art.mkdir()
    story = " ".join(
        [
            "A fire destroyed a warehouse in Leeds on Monday night.",
            "Firefighters fought the blaze for six hours before it was under control.",
            "No one was injured, police said.",
            *FILLER,
        ]
    )
    (art / "a.json").write_text(
        json.dumps(
            {
                "id": "dm-test-aaa",
                "hash": "aaa",
                "article": story,
                "bart_reference": "A fire destroyed a warehouse in Leeds . No one was injured .",
            }
        )
    )
    (art / "b.json").write_text(
        json.dumps({"hash": "bbb", "article": story, "Gold": "a leeds warehouse burned down on monday."})
    )
    out = run(tmp_path)
    for k in ("rouge1", "rouge2", "rougeL", "lead3_rougeL", "cnndm_rougeL", "cnndm_lead3_rouge1"):
        assert 0 < out[k] <= 100, k
    assert out["articles"] == 2 and out["cnndm_articles"] == 1
    assert split_of("aaa") in {"tune", "heldout"} and out["heldout_cnndm_articles"] in {0, 1}
