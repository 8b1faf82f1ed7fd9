"""`learn build RECIPE.toml`: every output of a deck recipe — .apkg, .json (+ the text as .txt, for the
quiz's reader) and the PDF handout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from learn.cli.recipe import Recipe, apply_overrides, load_recipe
from learn.deck import build_deck
from learn.entry import Entry
from learn.output import atomic_path, write_text


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build a deck recipe (decks/NAME.toml) into dist/",
        description="Build every output of a deck recipe: NAME.apkg, NAME.json, NAME.txt (the text, for "
        "the quiz's reader) and (when [handout] is enabled) NAME.pdf.",
    )
    p.add_argument("recipe", metavar="RECIPE.toml", help="the recipe file, e.g. decks/sample.toml")
    p.add_argument("--out-dir", default="dist", metavar="DIR", help="where outputs go (default dist)")
    p.set_defaults(run=run)


def extract_recipe(recipe: Recipe) -> tuple[list[Entry], dict[str, str], dict[str, str], str]:
    """Entries of every source (overrides applied, best first), GUID keys, teacher notes, joined text."""
    from learn.cli.known import read_known
    from learn.read.text import read_documents
    from learn.terms.rank import extract

    known = read_known(str(recipe.known)) if recipe.known else set()
    docs = read_documents([str(s) for s in recipe.sources])
    spare = sum(o.exclude for o in recipe.overrides)  # excluded terms make room for the next ones
    entries: list[Entry] = []
    guid_keys: dict[str, str] = {}
    notes: dict[str, str] = {}
    used: set[str] = set()
    for doc in docs:
        found = extract(
            doc.text,
            top=recipe.top + spare,
            variant=recipe.standard,
            known=known,
            max_hsk=recipe.max_hsk,
            glossary=recipe.glossary,
            source=doc.name,
        )
        kept, keys, doc_notes, doc_used = apply_overrides(found, recipe.overrides)
        entries.extend(kept[: recipe.top])
        guid_keys.update(keys)
        notes.update(doc_notes)
        used |= doc_used
    for o in recipe.overrides:
        if o.term not in used:
            sys.stderr.write(
                f"learn build: note: {recipe.path}:{o.line}: override term {o.term!r} "
                "is not among the terms found; ignored\n"
            )
    return entries, guid_keys, notes, "\n\n".join(d.text for d in docs)


def best_first(entries: list[Entry]) -> list[Entry]:
    """One entry per key (the first, i.e. from the earliest source), highest score first."""
    unique = list({e.key: e for e in reversed(entries)}.values())[::-1]
    return sorted(unique, key=lambda e: -e.score)


def run(args: argparse.Namespace) -> int:
    recipe = load_recipe(args.recipe)
    for note in recipe.notes:
        sys.stderr.write(f"learn build: note: {note}\n")
    entries, guid_keys, notes, text = extract_recipe(recipe)
    ranked = best_first(entries)
    # Typeset first: a handout that cannot be made then leaves no .apkg/.json behind either.
    pdf = _handout_pdf(recipe, ranked, text) if recipe.handout.enabled else None
    out = Path(args.out_dir)
    written = [
        build_deck(
            entries,
            out / f"{recipe.name}.apkg",
            name=recipe.title,
            cards=recipe.cards,
            guid_keys=guid_keys,
            notes=notes,
            audio=recipe.audio,
            description="Vocabulary from " + ", ".join(s.name for s in recipe.sources),
        ),
        write_text(
            out / f"{recipe.name}.json", json.dumps([e.to_dict() for e in ranked], ensure_ascii=False, indent=1) + "\n"
        ),
        write_text(out / f"{recipe.name}.txt", text.rstrip("\n") + "\n"),  # the quiz's reader shows it
    ]
    if pdf is not None:
        written.append(write_bytes(out / f"{recipe.name}.pdf", pdf))
    sys.stderr.write(f"learn build: {len(ranked)} terms → {', '.join(str(p) for p in written)}\n")
    return 0


def _handout_pdf(recipe: Recipe, entries: list[Entry], text: str) -> bytes:
    from learn.handout.pdf import handout_pdf

    chosen = entries[: recipe.handout.top] if recipe.handout.top else entries
    return handout_pdf(
        chosen, text, title=recipe.title, source=", ".join(s.name for s in recipe.sources), **recipe.handout.options
    )


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes atomically and return the final path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
