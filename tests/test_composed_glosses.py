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
