"""Note types: vocabulary and cloze, each simplified-first and traditional-first.

Their card templates and CSS are files beside this module, in templates/: one folder per note
type (vocabulary, vocabulary-traditional, cloze, cloze-traditional) with one file per card
side (``recall.front.html``), pieces shared between them in templates/parts/, pulled in by a
line ``<!-- include parts/NAME.html -->``. Anki never sees that line: it is resolved here.

Sound is Anki's own text-to-speech (``{{tts zh_CN voices=…:Simplified}}``, the pieces
templates/parts/sound-*.html), on the answer side: the word and its sentence. It ships no audio
files and works offline on desktop and AnkiMobile (AnkiDroid shows the tag as text and has its
own TTS). Traditional-first note types read the simplified field too, with the same mainland voice:
the cards' pinyin is the mainland reading. Anki strips the markup from what it reads (the sentence's
highlight), so no plain copy of a field is needed. Without audio (``build_deck(audio=False)``, ``--no-audio``) those pieces are left out;
the note types keep their ids and fields, so a later build with or without sound updates the
templates of notes already imported.

A note type's id is a hash of its name, so every build carries the same four ids and Anki
updates the templates and CSS in place when the build is newer (same field and card names:
see learn.deck). The traditional-first note types have the same fields and card names;
their templates put the traditional form on top.

Tone colours (``learn.entry.TONE_COLOURS``, the Dummitt convention): 1 red, 2 orange,
3 green, 4 blue, neutral grey; night mode uses lighter tints of the same hues.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import genanki

from learn.deck.fields import CLOZE_FIELDS, VOCAB_CARDS, VOCAB_FIELDS
from learn.deck.ids import stable_id
from learn.entry import TONE_COLOURS

VOCAB_MODEL_NAME = "learn vocabulary"
CLOZE_MODEL_NAME = "learn cloze"
VOCAB_MODEL_NAME_TRADITIONAL = "learn vocabulary (traditional)"
CLOZE_MODEL_NAME_TRADITIONAL = "learn cloze (traditional)"
SCRIPTS = ("simplified", "traditional")

_INCLUDE = re.compile(r"<!-- include ([\w./-]+) -->(\n?)")
_SOUND = "parts/sound-"  # the pieces with {{tts …}} tags
_TONE_CSS_NIGHT_MIX = 0.35  # night mode: tone colours mixed this much toward white


@cache
def template_file(name: str) -> str:
    """A file of templates/ (``parts/about.html``, ``card.css``) as shipped with the package."""
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def template(name: str, audio: bool = True) -> str:
    """A card side with its includes resolved (recursively); without `audio`, no sound pieces."""

    def include(m: re.Match) -> str:
        if not audio and m.group(1).startswith(_SOUND):
            return ""
        return template(m.group(1), audio) + m.group(2)

    return _INCLUDE.sub(include, template_file(name)).rstrip("\n")


def _lighter(colour: str, amount: float = _TONE_CSS_NIGHT_MIX) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return colour
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def card_css() -> str:
    """Card styling: readable in Anki's light and night modes; tone colours from TONE_COLOURS."""
    tones = "\n".join(f".tone{n} {{ color: {c}; }}" for n, c in sorted(TONE_COLOURS.items()) if n)
    night = "\n".join(
        f".nightMode .tone{n}, .night_mode .tone{n} {{ color: {_lighter(c)}; }}"
        for n, c in sorted(TONE_COLOURS.items())
        if n
    )
    return (
        template_file("card.css")
        + "\n/* tone colours (Dummitt: 1 red, 2 orange, 3 green, 4 blue, neutral grey) */\n"
        + tones
        + "\n"
        + night
        + "\n"
    )


def _css(traditional: bool) -> str:
    return card_css() + (template_file("traditional.css") if traditional else "")


def _card(folder: str, card: str, audio: bool) -> dict[str, str]:
    return {
        "name": card.capitalize(),
        "qfmt": template(f"{folder}/{card}.front.html", audio),
        "afmt": template(f"{folder}/{card}.back.html", audio),
    }


def vocabulary_model(traditional: bool = False, audio: bool = True) -> genanki.Model:
    """The vocabulary note type (a card per VOCAB_CARDS), simplified or traditional first; id fixed by its name."""
    name = VOCAB_MODEL_NAME_TRADITIONAL if traditional else VOCAB_MODEL_NAME
    folder = "vocabulary-traditional" if traditional else "vocabulary"
    return genanki.Model(
        stable_id(name),
        name,
        fields=[{"name": f} for f in VOCAB_FIELDS],
        templates=[_card(folder, c, audio) for c in VOCAB_CARDS],
        css=_css(traditional),
    )


def cloze_model(traditional: bool = False, audio: bool = True) -> genanki.Model:
    """The cloze note type over source sentences, simplified or traditional; id fixed by its name."""
    name = CLOZE_MODEL_NAME_TRADITIONAL if traditional else CLOZE_MODEL_NAME
    folder = "cloze-traditional" if traditional else "cloze"
    return genanki.Model(
        stable_id(name),
        name,
        fields=[{"name": f} for f in CLOZE_FIELDS],
        templates=[_card(folder, "cloze", audio)],
        css=_css(traditional),
        model_type=genanki.Model.CLOZE,
    )
