"""`learn deck`: texts in, an Anki package out that updates in place when rebuilt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from learn.cli.common import add_input_options, extract_inputs
from learn.deck import CARD_TYPES, SCRIPTS, build_deck, parse_cards
from learn.errors import LearnError
from learn.output import write_text
from learn.read.text import Document, headline

TOP = 50  # terms per text, as in a recipe's `top`


def card_list(value: str) -> list[str]:
    """--cards recognition,recall → ["recognition", "recall"], as an argparse type."""
    try:
        return parse_cards(value)
    except LearnError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def output_file(suffix: str):
    """An argparse type for -o: a file (not a folder) whose name ends in `suffix`.

    Checked before the slow extraction; a wrong suffix is usually the other command's output
    (`learn deck … -o lesson.pdf`), and Anki's import dialog only offers .apkg files.
    """

    def parse(value: str) -> Path:
        path = Path(value)
        if not value.strip():
            raise argparse.ArgumentTypeError(f"expected a file name such as lesson{suffix}")
        if path.is_dir():
            raise argparse.ArgumentTypeError(
                f"{value} is a folder; give a file name such as {path / ('lesson' + suffix)}"
            )
        if path.suffix.lower() != suffix:
            raise argparse.ArgumentTypeError(
                f"{value}: the file name must end in {suffix}, e.g. {path.with_suffix(suffix)}"
            )
        return path

    return parse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "deck",
        help="build an Anki deck (.apkg) from texts",
        description="Build an Anki deck from the vocabulary of one or more texts. "
        "Rebuilding updates the notes already imported; review history is kept.",
    )
    add_input_options(p, top=TOP)
    _help(
        p,
        "top",
        f"how many terms per text (default {TOP}): each text gives its best N in its own subdeck; "
        "a word found in several texts is one note",
    )
    p.add_argument(
        "-o", "--output", required=True, type=output_file(".apkg"), metavar="OUT.apkg", help="the package to write"
    )
    p.add_argument(
        "--name",
        help="deck name (default: the text's headline, else its file name; several texts: their names "
        "joined with +), the same at every rebuild whatever -o says; one subdeck per text",
    )
    p.add_argument(
        "--cards",
        type=card_list,
        default=list(CARD_TYPES),
        metavar="LIST",
        help=f"card types, comma separated (default {','.join(CARD_TYPES)})",
    )
    p.add_argument(
        "--script",
        choices=("auto",) + SCRIPTS,
        default="auto",
        help="characters the cards show first (default auto: the script each text is written in)",
    )
    p.add_argument(
        "--pleco",
        type=output_file(".txt"),
        metavar="FILE.txt",
        help="also write the words as a Pleco flashcard file (Skritter imports it too)",
    )
    p.add_argument(
        "--no-audio",
        dest="audio",
        action="store_false",
        help="no sound: leave out Anki's text-to-speech of the word and its sentence",
    )
    p.set_defaults(run=run)


def _help(p: argparse.ArgumentParser, dest: str, text: str) -> None:
    """Reword a shared option's help where this command gives it a more precise meaning."""
    for action in p._actions:
        if action.dest == dest:
            action.help = text


def default_name(docs: list[Document]) -> str:
    """The deck the cards go to when --name is not given: named after the text, never after the
    output file, so `-o d2.apkg` after `-o d.apkg` updates the same deck in Anki."""
    if len(docs) == 1:
        return headline(docs[0].text) or Path(docs[0].name).stem
    return " + ".join(Path(d.name).stem for d in docs)


def run(args: argparse.Namespace) -> int:
    out = args.output
    extracted = extract_inputs(args)
    entries = [e for x in extracted for e in x.entries]
    path = build_deck(
        entries,
        out,
        name=args.name or default_name([x.document for x in extracted]),
        cards=args.cards,
        script=None if args.script == "auto" else args.script,
        audio=args.audio,
        description="Vocabulary from " + ", ".join(x.document.name for x in extracted),
    )
    words = len({e.key for e in entries})
    written = [path]
    if args.pleco:
        from learn.deck.wordlists import pleco_text

        written.append(write_text(args.pleco, pleco_text(entries)))
    sys.stderr.write(f"learn deck: {words} terms → {', '.join(map(str, written))}\n")
    return 0
