"""The composed-gloss table (benchmarks/eval/composed_glosses.tsv): each part of a term takes the
sense its text means. The table was written before the composer was changed for issue 20."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

EVAL = Path(__file__).parents[1] / "benchmarks" / "eval"
SPEC = importlib.util.spec_from_file_location("score_glosses", EVAL / "score_glosses.py")
scorer = importlib.util.module_from_spec(SPEC)
sys.modules["score_glosses"] = scorer  # dataclasses look their module up
SPEC.loader.exec_module(scorer)


def test_table_has_sixty_terms_from_the_eval_texts_split_into_their_own_characters():
    rows = scorer.rows()
    assert len(rows) >= 60 and len({r.term for r in rows}) == len(rows)
    for row in rows:
        assert row.term in (EVAL / f"{row.text_id}.txt").read_text(encoding="utf-8"), row.term
        assert "".join(p for p, _ in row.parts) == row.term, row.term
        assert all(alts and all(a.strip() for a in alts) for _, alts in row.parts), row.term


def test_a_part_is_right_only_where_the_term_is_split_and_the_sense_fits():
    row = scorer.Row("green", "运动式减碳", [("运动", ["campaign"]), ("式", ["style"]), ("减碳", ["carbon"])])
    got = scorer.score_row(row, [("运动", "campaign"), ("式", "form"), ("减", "to reduce"), ("碳", "carbon")])
    assert [ok for _, _, ok in got] == [True, False, False]
    assert scorer.accepted("", ["-"]) and not scorer.accepted("to use", ["-"])
    assert not scorer.accepted("a mixture", ["fus"]) and scorer.accepted("fusion", ["fus"])


def test_most_parts_take_the_sense_their_text_means():
    """81.3% of the table's parts at this commit (76.3% before issue 20's changes; the goal is 90%):
    a floor, so that a change to the composer that loses senses shows here."""
    right, total, _ = scorer.score()
    assert right / total >= 0.80, f"{right}/{total}"


SENTENCES = [
    "国务院办公厅印发关于推进文旅融合的若干意见。今年有三亿人参与冰雪运动。",
    "实现碳达峰碳中和。数字赋能，保障粮食安全，发展文化旅游，深化校企合作，企业积极参与。",
]


def parts(term: str, glossary: bool = False) -> dict[str, str]:
    from learn import annotate

    return {p.text: p.gloss for p in annotate(term, sentences=SENTENCES, glossary=glossary).parts}


def test_the_examples_of_issue_20_take_their_sense():
    assert parts("三亿人参与冰雪运动", glossary=True)["运动"] == "sports"  # a head is a thing, not "to move"
    assert "State Council" in parts("国务院办公厅")["国务院"]  # a name the dictionary has, not 院 "courtyard"
    assert list(parts("碳达峰碳中和", glossary=True)) == ["碳达峰", "碳中和"]  # terms of their own, not 中 + 和
    assert parts("数字赋能")["赋能"] == "to empower"
    assert parts("若干意见")["意见"] == "opinion"  # a document type, not "idea"
    assert parts("文旅融合") == {"文旅": "cultural tourism", "融合": "fusion"}  # not 文 + 旅 "trip", "a mixture"
    assert parts("文化旅游")["旅游"] == "tourism"
    assert parts("数字赋能")["数字"] == "digital"  # a describing part, not "numeral"
    assert parts("粮食安全")["安全"] == "safety"  # the noun of the same word in a head
    assert parts("校企合作")["企"] == "company"  # 企 stands for 企业, which the text uses
