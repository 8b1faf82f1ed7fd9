"""`learn extract`: ranked, annotated vocabulary as a table, JSON, CSV or TSV."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata

from learn.cli.common import add_input_options, extract_inputs
from learn.cli.corpus import add_corpus_options, run_corpus, wants_corpus
from learn.entry import Entry
from learn.output import write_text

FLAT_COLUMNS = (
    "simplified",
    "traditional",
    "pinyin",
    "pinyin_numbered",
    "zhuyin",
    "definitions",
    "kind",
    "hsk",
    "zipf",
    "count",
    "score",
    "example",
    "example_pinyin",
    "source",
    "first_seen",
    "background_df",
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="list the vocabulary worth learning in Chinese texts",
        description="Ranked, annotated vocabulary of Chinese texts, new coinages included.",
    )
    add_input_options(p, top=50)
    p.add_argument(
        "--format",
        choices=("table", "json", "csv", "tsv", "pleco"),
        default="table",
        help="table (default), json, csv, tsv, or pleco: Pleco's flashcard file, which Skritter imports too",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to a file instead of the terminal")
    add_corpus_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if wants_corpus(args):  # several inputs, folders, big files, --jobs: learn/cli/corpus.py
        return run_corpus(args, render)
    entries = extract_inputs(args)[0].entries
    rendered = render(entries, args.format)
    if args.output:
        write_text(args.output, rendered)
    else:
        sys.stdout.write(rendered)
    return 0


def render(entries: list[Entry], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        return _delimited(entries, "," if fmt == "csv" else "\t")
    if fmt == "pleco":
        from learn.deck.wordlists import pleco_text

        return pleco_text(entries)
    return _table(entries)


def _flat(entry: Entry) -> dict[str, object]:
    first = entry.examples[0] if entry.examples else None
    row = {k: getattr(entry, k) for k in FLAT_COLUMNS if hasattr(entry, k)}
    row["definitions"] = "; ".join(entry.definitions)
    row["hsk"] = "" if entry.hsk is None else entry.hsk
    row["example"] = first.sentence if first else ""
    row["example_pinyin"] = first.pinyin if first else ""
    return row


def _delimited(entries: list[Entry], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FLAT_COLUMNS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = _flat(entry)
        if delimiter == "\t":
            row = {k: str(v).replace("\t", " ").replace("\n", " ") for k, v in row.items()}
        writer.writerow(row)
    return buf.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cut(text: str, width: int) -> str:
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            return out + "…"
        out, used = out + ch, used + w
    return out


def _table(entries: list[Entry]) -> str:
    if not entries:
        return "(no terms found)\n"
    rows = [("#", "term", "also written", "pinyin", "kind", "HSK", "count", "new", "meaning")]
    for n, e in enumerate(entries, 1):
        hsk = "" if e.hsk is None else ("7-9" if e.hsk == 7 else str(e.hsk))
        meaning = ("≈ " if e.gloss_source == "composed" else "") + "; ".join(e.definitions)
        new = f"since {e.new_since}" if e.new_since else ""
        rows.append((str(n), e.headword, e.other_form, e.pinyin, e.kind, hsk, str(e.count), new, _cut(meaning, 60)))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r[:-1], widths, strict=False)) + "  " + r[-1] for r in rows]
    lines.insert(1, "-" * min(120, sum(widths) + 2 * len(widths) + 20))
    return "\n".join(lines) + "\n"
