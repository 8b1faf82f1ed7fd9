"""`learn handout`: a printable PDF for class — vocabulary, annotated text, exercises, answer key."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace

from learn.cli.common import Extracted, Renamed, add_input_options, extract_inputs, whole_number
from learn.cli.deck import output_file
from learn.entry import Entry
from learn.handout.exercises import ITEMS, KINDS, TONES, parse_kinds
from learn.handout.pdf import SCRIPTS
from learn.handout.reading import EXCERPT_CHARS, MODES


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "handout",
        conflict_handler="resolve",
        help="print-ready PDF handout: vocabulary, annotated text, exercises, answer key",
        description="Make a classroom handout (PDF) from Chinese text(s): a vocabulary table, the "
        "text with pinyin over the target words, exercises, writing grids and an answer key.",
    )
    add_input_options(p, top=20)
    # the script printed is --script, as in `learn deck`; --variant was its earlier name
    p.add_argument(
        "--script",
        choices=("auto", *SCRIPTS),
        default="auto",
        help="characters on the handout (default auto: the script the text is written in; "
        "both = both forms in the vocabulary table)",
    )
    p.add_argument("--variant", dest="script", choices=SCRIPTS, action=Renamed, new="--script")
    p.add_argument(
        "-o", "--output", required=True, type=output_file(".pdf"), metavar="OUT.pdf", help="where to write the PDF"
    )
    p.add_argument(
        "--exercises",
        default=",".join(KINDS),
        metavar="LIST",
        help=f"comma-separated, in print order (default {','.join(KINDS)}; 'none' for no exercises)",
    )
    p.add_argument(
        "--reading",
        choices=MODES,
        default="excerpt",
        help=f"the text on the handout: excerpt (default) = the paragraphs densest in the listed "
        f"words, about {EXCERPT_CHARS} characters; full = the whole cleaned text; none",
    )
    p.add_argument(
        "--items", type=whole_number(1), default=ITEMS, metavar="N", help=f"items in each exercise (default {ITEMS})"
    )
    p.add_argument(
        "--tones",
        choices=TONES,
        default="citation",
        help="pinyin tones: citation (dictionary, default) or spoken (一 and 不 change: yí cì, bú shì)",
    )
    p.add_argument(
        "--grid",
        type=whole_number(0),
        default=6,
        metavar="N",
        help="writing-practice grids for the first N terms (default 6; 0 = none)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="exercise order; another seed gives version B of the same test (default 0)",
    )
    p.add_argument("--no-answer-key", action="store_true", help="leave out the answer key pages")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    p.add_argument("--title", metavar="T", help="title (default: the text's headline)")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="date in the header (default today)")
    p.set_defaults(run=run)


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-03-14, got {value!r}") from None


def merge(found: list[Extracted], top: int) -> tuple[list[Entry], str, str]:
    """Several inputs → one handout: each word once (best score, counts and sentences pooled), texts joined."""
    best: dict[str, Entry] = {}
    for e in (e for item in found for e in item.entries):
        seen = best.get(e.key)
        if seen is None:
            best[e.key] = e
        else:  # a copy: the extracted entries stay as extracted
            pooled = list({x.sentence: x for x in seen.examples + e.examples}.values())
            best[e.key] = replace(seen, count=seen.count + e.count, examples=pooled)
    entries = sorted(best.values(), key=lambda e: -e.score)[:top] if len(found) > 1 else found[0].entries
    text = "\n\n".join(item.document.text for item in found)
    source = ", ".join(item.document.name for item in found)
    return entries, text, source


def run(args: argparse.Namespace) -> int:
    from learn.handout.pdf import make_handout

    out = args.output
    kinds = parse_kinds(args.exercises)  # fail on a typo before the slow part
    entries, text, source = merge(extract_inputs(args), args.top)
    path = make_handout(
        entries,
        text,
        out,
        title=args.title,
        source=source,
        variant=None if args.script == "auto" else args.script,
        exercises=kinds,
        grid=args.grid,
        seed=args.seed,
        answer_key=not args.no_answer_key,
        paper=args.paper,
        date=args.date,
        reading=args.reading,
        items=args.items,
        tones=args.tones,
    )
    sys.stderr.write(f"learn handout: {len(entries)} terms → {path}\n")
    return 0
