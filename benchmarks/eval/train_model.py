#!/usr/bin/env python3
"""Train the candidate model (learn/data/term_model.json) on the gold texts, or report how it generalises.

    python benchmarks/eval/train_model.py            # retrain the shipped models from the repo and ../shared
    python benchmarks/eval/train_model.py --loo      # leave-one-text-out figures, by set
    python benchmarks/eval/train_model.py --check    # retrain in memory; exit 1 if the shipped file differs

Training texts: every open text of catalog.tsv (benchmarks/eval/*.txt with gold.tsv; never the
sealed ones) and the seed article (../shared/corpus, gold in ../shared/eval/seed-gold.tsv) when it
is there. Each text's candidates and features come from learn.terms.features exactly as extraction
computes them (background on, glossary off). A candidate is positive when a gold row of its text
accepts its spelling; tier A weighs A_WEIGHT times a tier-B term.

A second model, trained the same way on tier A alone, re-orders the head of the kept list
(learn/data/term_model_top.json; learn.terms.rank._reorder_head): tier-A recall in the top 25
was the weak point, and a model that spends all its trees on "core term of this text" sorts the
top better than one that must also find the tier-B terms.

The learner is LightGBM (binary log-loss on the candidates, one thread, fixed seeds, deterministic
mode), chosen over scikit-learn's gradient boosting and LightGBM's LambdaRank by the leave-one-text-out
figures (see the commit that shipped the model). Only the trees are written, as plain arrays that
learn.terms.model walks with numpy; extraction never imports LightGBM. Same data and seed, same file.

--loo trains once per text without it, ranks the text it left out with the extractor's own steps
(learn.terms.rank.rank with that model, names dropped as `learn extract` drops them) and scores the
top 25 (tier A; 30 for the seed as shared/eval/score.py counts it) and top 80 (tier A+B) with
score_all.py's rules, fragments and noise included.

Needs `pip install -e .[train]` (LightGBM).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

import score_all  # noqa: E402

from learn.background.model import load as load_background  # noqa: E402
from learn.language import lexicon  # noqa: E402
from learn.read.text import clean  # noqa: E402
from learn.terms import filters  # noqa: E402
from learn.terms import model as term_model  # noqa: E402
from learn.terms import rank as rank_module  # noqa: E402
from learn.terms.features import FEATURES, Table, table  # noqa: E402
from learn.terms.rank import TOP_MODEL_PATH, _is_traditional, rank  # noqa: E402

SEED_TEXT = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"
SEED_GOLD = ROOT.parent / "shared" / "eval" / "seed-gold.tsv"
A_WEIGHT = 2.0  # a tier-A term counts twice a tier-B term
PARAMS = dict(
    objective="binary",
    num_leaves=15,
    learning_rate=0.05,
    min_data_in_leaf=20,
    feature_fraction=0.8,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    seed=7,
    deterministic=True,
    force_row_wise=True,
    num_threads=1,
    verbose=-1,
)
ROUNDS = 300


@dataclass
class Text:
    """One training text: where it is, its set in catalog.tsv, its script and its gold rows."""

    id: str
    path: Path
    set: str
    script: str
    gold: list[score_all.Gold]

    def work(self) -> str:
        """The text as extraction sees it (cleaned; traditional input converted to simplified)."""
        text = clean(self.path.read_text(encoding="utf-8"))
        return lexicon.to_simplified(text) if _is_traditional(text) else text


def texts(seed: bool = True) -> list[Text]:
    """Every open gold text, and the seed article when ../shared is beside the repository."""
    gold, catalog = score_all.load_gold(), score_all.catalog()
    out = [
        Text(t, score_all.text_path(t), catalog[t]["set"], catalog[t]["script"], gold.by_text[t])
        for t in score_all.TEXT_IDS
    ]
    if seed and SEED_TEXT.exists() and SEED_GOLD.exists():
        out.append(Text("seed", SEED_TEXT, "seed", "simplified", score_all.load_gold(SEED_GOLD).by_text["seed"]))
    return out


def labels(tab: Table, gold: list[score_all.Gold]) -> list[int]:
    """2 for a tier-A spelling, 1 for tier B, 0 for every other candidate."""
    tier = {term: g.tier for g in gold for term in g.terms}
    return [{"A": 2, "B": 1}.get(tier.get(c.text, ""), 0) for c in tab.candidates]


def fit(data: list[tuple[Table, list[int]]], rounds: int = ROUNDS, core: bool = False) -> term_model.TreeModel:
    """A model trained on (table, labels) pairs; the same data gives the same trees. `core`: the
    second model, whose positives are the tier-A terms alone (every row weighs the same)."""
    import lightgbm as lgb
    import numpy as np

    x = np.array([row for tab, _ in data for row in tab.rows], dtype=np.float64)
    y = np.array([label for _, ys in data for label in ys])
    weight = np.where(y == 2, 1.0 if core else A_WEIGHT, 1.0)
    positive = (y == 2) if core else (y > 0)
    booster = lgb.train(PARAMS, lgb.Dataset(x, positive.astype(np.float64), weight=weight), rounds)
    return term_model.from_lightgbm(booster.dump_model(), FEATURES)


def tables(chosen: list[Text]) -> list[tuple[Table, list[int]]]:
    bg = load_background()
    out = []
    for text in chosen:
        tab = table(text.work(), bg)
        out.append((tab, labels(tab, text.gold)))
    return out


def leave_one_out(chosen: list[Text], rounds: int) -> None:
    """Train without each text in turn, score it, and print the figures by set."""
    data = tables(chosen)
    gold_names = score_all.load_gold().names | {"习近平", "新华社"}
    words = score_all.cedict_words()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    for k, text in enumerate(chosen):
        start = time.perf_counter()
        rest = data[:k] + data[k + 1 :]
        _, scored = rank(text.work(), glossary=False, model=fit(rest, rounds), top_model=fit(rest, rounds, core=True))
        found = [dict(simplified=c.text) for c, kind, _, _ in scored if kind != "name"][:80]
        ka = 30 if text.id == "seed" else 25
        line = score_all.score(text.gold, found, gold_names, words, ka, 80)
        print(
            json.dumps(
                dict(
                    text=text.id,
                    set=text.set,
                    recall_A=f"{line['recall_A'][0]}/{line['recall_A'][1]}@{ka}",
                    recall_AB=f"{line['recall_AB'][0]}/{line['recall_AB'][1]}@80",
                    fragments=line["fragments"],
                    noise=line["noise"],
                    missing_A=line["missing_A"],
                    top30=[f["simplified"] for f in found[:30]],
                    seconds=round(time.perf_counter() - start, 1),
                ),
                ensure_ascii=False,
            ),
            flush=True,
        )
        groups = [text.set, "all"] + (["traditional"] if text.script.startswith("traditional") else [])
        groups += ["open"] if text.id != "seed" else []
        for group in groups:
            t = totals[group]
            t[0] += 1
            t[1], t[2] = t[1] + line["recall_A"][0], t[2] + line["recall_A"][1]
            t[3], t[4] = t[3] + line["recall_AB"][0], t[4] + line["recall_AB"][1]
            t[5], t[6] = t[5] + len(line["fragments"]), t[6] + len(line["noise"])
    for group, (n, a, an, ab, abn, frag, noise) in totals.items():
        print(
            f"{group:12s} {n:2d} texts  A {a}/{an} {a / an:.0%}  A+B {ab}/{abn} {ab / abn:.0%}  "
            f"fragments {frag} ({frag / n:.1f}/text)  noise {noise}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loo", action="store_true", help="leave-one-text-out figures instead of training")
    ap.add_argument("--check", action="store_true", help="retrain in memory and compare with the shipped file")
    ap.add_argument(
        "--without",
        action="append",
        default=[],
        choices=[
            "clauses",
            "fragments",
            "collocations",
            "one-off pairings",
            "crossing",
        ],
        help="with --loo: turn off a veto or set-level step, to see what it is worth on held-out texts",
    )
    ap.add_argument("--rounds", type=int, default=ROUNDS, help=f"boosting rounds (default {ROUNDS})")
    ap.add_argument("-o", "--output", type=Path, default=term_model.MODEL_PATH, help="where to write the model")
    args = ap.parse_args(argv)
    chosen = texts()
    if args.loo:
        rank_module.VETO_CLAUSES = "clauses" not in args.without
        for step in args.without:
            filters.STEPS[step] = step == "clauses"
        leave_one_out(chosen, args.rounds)
        return 0
    data = tables(chosen)
    model, top = fit(data, args.rounds).to_json(), fit(data, args.rounds, core=True).to_json()
    top_output = args.output.with_name(args.output.stem + "_top" + args.output.suffix)
    if args.check:
        same = (term_model.MODEL_PATH.read_text(encoding="utf-8"), TOP_MODEL_PATH.read_text(encoding="utf-8")) == (
            model,
            top,
        )
        print("the shipped models are what this command trains" if same else "the shipped models differ: retrain")
        return 0 if same else 1
    args.output.write_text(model, encoding="utf-8")
    top_output.write_text(top, encoding="utf-8")
    rows = sum(len(ys) for _, ys in data)
    size = (len(model) + len(top)) / 1e6
    print(
        f"wrote {args.output} and {top_output.name} ({size:.2f} MB): {len(chosen)} texts, {rows} candidates",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
