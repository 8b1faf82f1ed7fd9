"""Anki decks: note types in two scripts, stable identities, packaging — and reading a learner's own exports.

Anki matches an imported note to one already in the collection by its GUID alone, and
updates it only when the package is newer. So a deck that can be rebuilt and re-imported
without losing review history needs three things, all fixed here:

* the GUID of a word's note is ``genanki.guid_for(entry.key)`` (``"simplified|pinyin_numbered"``)
  and that of its cloze note ``genanki.guid_for("cloze", entry.key)``. When a teacher override
  changes the reading, pass the key *as extracted* in ``guid_keys`` so the note keeps its GUID;
* note-type and deck ids are hashes of fixed names, never random;
* every build is stamped with a later timestamp (default: now).

Traditional first. A text written in traditional characters (``entry.script == "traditional"``)
gets the note types ``learn vocabulary (traditional)`` and ``learn cloze (traditional)``: the
same frozen field lists, templates that show the traditional form first (the simplified form
as a smaller second line when it differs), and a cloze cut from the traditional sentence.
``build_deck(script=…)`` forces one script for every note; by default each entry follows its
source, so one deck may hold notes of both kinds. Their notes have GUIDs of their own:
``genanki.guid_for("traditional", key)`` and ``genanki.guid_for("traditional", "cloze", key)``.
Anki's importer skips a note whose GUID is already in the collection under another note type
(it logs it as "conflicting" and changes nothing, unless the learner ticks "merge note types"),
so sharing the simplified GUIDs would silently drop every word a learner already had from a
simplified deck. With their own GUIDs a traditional deck imported after a simplified one adds
its notes beside the old ones (the learner may then suspend or delete either), and a rebuilt
traditional deck updates its own notes in place. A word seen in texts of both scripts in one
build gets one note, in the script of the entry listed first.

So a newer build overwrites the fields of notes already imported (edits made in Anki
included: a teacher's own remarks belong in the recipe's ``note``), while cards, decks
and review history stay as they are.

The field lists below are frozen: changing them makes Anki import a second note type
("learn vocabulary+") and skip every note learners already have. A change must be a
conscious, documented decision (tests/test_deck.py pins them).

Vocabulary note type ``learn vocabulary`` — fields, in order:

==================== ==========================================================================
Simplified           the word in simplified characters (first field: sort field, duplicate check)
Traditional          traditional form (Taiwan by default; ``--variant hk|t``)
Pinyin               tone marks, one space between syllables: ``xīn zhì``
PinyinNumbered       ``xin1 zhi4`` (neutral tone 5, ü written v)
Zhuyin               bopomofo, one space between syllables
Coloured             simplified characters, each in ``<span class="toneN">``
ColouredTraditional  traditional characters coloured the same way; EMPTY when they equal the
                     simplified form (templates show the traditional line only when it differs)
Ruby                 coloured characters with coloured pinyin above them (``<ruby>``); in the
                     traditional note type, traditional characters
PinyinColoured       pinyin, each syllable coloured by its tone
Meaning              English definitions joined with "; " (Chinese inside them, as in composed
                     glosses, in traditional characters in the traditional note type; so are
                     Parts and Expansion)
MeaningPrompt        the meaning with every Chinese character (and CC-CEDICT's bracketed pinyin)
                     taken out, so it cannot give the word away: the Recall front, the cloze hint
Parts                how a composed gloss was built: part, its pinyin, its gloss
GlossSource          where the meaning came from: cedict | glossary | composed | teacher | (empty)
Expansion            what an abbreviated slogan stands for
HSK                  1–6, "7–9", or empty when off-list
Kind                 word | term | idiom | slogan | name
Sentence             the first source sentence holding the term, term highlighted (``<span class="hl">``)
SentencePinyin       pinyin of that sentence
SentenceTraditional  that sentence in traditional characters, term highlighted
Source               the source document name(s)
Notes                a teacher's note (recipe override ``note = "…"``), else empty
MakeRecognition      "y" when the Recognition card is wanted, else empty
MakeRecall           "y" when the Recall card is wanted (and MeaningPrompt is not empty)
MakeContext          "y" when the Context card is wanted (and a sentence holds the term)
==================== ==========================================================================

Cards: Recognition (characters → sound and meaning), Recall (meaning → characters) and
Context (highlighted term in its sentence → meaning). The ``Make…`` fields switch them on
per note — Anki's own "optional card" pattern — so the note type never changes when
``--cards`` does. Switching a card type off later leaves the cards already made in place
(Anki's Tools → Empty Cards removes them).

Cloze note type ``learn cloze`` — fields: Text (the sentence, the term as ``{{c1::…}}``
hinted by the first definition with its characters taken out), Simplified, Traditional,
Pinyin (coloured), Coloured, Meaning, SentencePinyin, SentenceTraditional, Source, Notes.
In ``learn cloze (traditional)`` Text is the traditional sentence with the traditional form
as the answer, and Coloured holds the traditional characters.

Tone colours (``learn.entry.TONE_COLOURS``, the Dummitt convention): 1 red, 2 orange,
3 green, 4 blue, neutral grey; night mode uses lighter tints of the same hues.
Every piece of text is HTML-escaped before it goes into a field; markup is added after.
Tags: ``source::NAME``, ``kind::KIND``, ``hsk::N`` (``hsk::7-9``, ``hsk::none``).
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from learn import lexicon
from learn.entry import TONE_COLOURS, Entry, Example, characters_with_tones
from learn.errors import LearnError, UsageError
from learn.output import atomic_path

CARD_TYPES = ("recognition", "recall", "context", "cloze")

VOCAB_FIELDS = (
    "Simplified", "Traditional", "Pinyin", "PinyinNumbered", "Zhuyin",
    "Coloured", "ColouredTraditional", "Ruby", "PinyinColoured",
    "Meaning", "MeaningPrompt", "Parts", "GlossSource", "Expansion", "HSK", "Kind",
    "Sentence", "SentencePinyin", "SentenceTraditional", "Source", "Notes",
    "MakeRecognition", "MakeRecall", "MakeContext",
)
CLOZE_FIELDS = (
    "Text", "Simplified", "Traditional", "Pinyin", "Coloured", "Meaning",
    "SentencePinyin", "SentenceTraditional", "Source", "Notes",
)
VOCAB_MODEL_NAME = "learn vocabulary"
CLOZE_MODEL_NAME = "learn cloze"
VOCAB_MODEL_NAME_TRADITIONAL = "learn vocabulary (traditional)"
CLOZE_MODEL_NAME_TRADITIONAL = "learn cloze (traditional)"
SCRIPTS = ("simplified", "traditional")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def stable_id(name: str) -> int:
    """A fixed Anki id for a note type or deck name (same name → same id, in every build)."""
    digest = hashlib.sha256(f"learn:{name}".encode("utf-8")).digest()
    return (1 << 30) | (int.from_bytes(digest[:8], "big") % (1 << 30))


def esc(text: str) -> str:
    """Text → HTML that shows as that text, in any field, cloze included.

    Braces, brackets and colons are encoded too so that user text can never form
    cloze markup (``{{c1::``) or a ``[sound:…]`` tag; control characters (Anki's field
    separator among them) are dropped.
    """
    out = html.escape(_CONTROL.sub("", text or ""), quote=True)
    return (out.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;")
            .replace("]", "&#93;").replace(":", "&#58;"))


# ---------------------------------------------------------------------------- field contents

def coloured(entry: Entry, text: str | None = None) -> str:
    """Characters of `text` (default: simplified), each Han character in its tone's span."""
    return "".join(f'<span class="tone{tone}">{esc(ch)}</span>' if tone else esc(ch)
                   for ch, tone in characters_with_tones(entry, text))


def _syllables(entry: Entry) -> list[str]:
    return entry.pinyin.split()


def pinyin_coloured(entry: Entry) -> str:
    """Pinyin with each syllable coloured by its tone (plain when syllables and tones disagree)."""
    syllables, tones = _syllables(entry), entry.tones
    if len(syllables) != len(tones):
        return esc(entry.pinyin)
    return " ".join(f'<span class="tone{t}">{esc(s)}</span>' for s, t in zip(syllables, tones))


def ruby(entry: Entry, text: str | None = None) -> str:
    """Coloured characters of `text` (default: simplified) with their pinyin above;
    coloured characters + a pinyin line as fallback."""
    pairs = characters_with_tones(entry, text)
    text_shown = entry.simplified if text is None else text
    han = re.findall(r"[\u3400-\u9fff]", text_shown)   # what characters_with_tones counts
    syllables = _syllables(entry)
    if not han or not len(han) == len(syllables) == len(entry.tones):
        return f'{coloured(entry, text)}<div class="pinyin-line">{pinyin_coloured(entry)}</div>'
    out, i = [], 0
    for ch, tone in pairs:
        if tone:
            out.append(f'<ruby class="tone{tone}">{esc(ch)}<rt>{esc(syllables[i])}</rt></ruby>')
            i += 1
        else:
            out.append(esc(ch))
    return "".join(out)


def highlight(sentence: str, term: str) -> str:
    """The escaped sentence with every occurrence of the escaped term wrapped in a highlight."""
    if not term:
        return esc(sentence)
    # split before escaping: a term like "58" must not match inside an entity such as "&#58;"
    return f'<span class="hl">{esc(term)}</span>'.join(esc(part) for part in sentence.split(term))


def parts_html(entry: Entry, traditional: bool = False) -> str:
    """A composed gloss, part by part: 新质 xīn zhì ‘new quality’ + 生产力 …"""
    lang = "zh-Hant" if traditional else "zh-Hans"
    text = (lambda t: in_traditional(t, entry.variant)) if traditional else (lambda t: t)
    return " + ".join(
        f'<span class="part"><span class="part-text" lang="{lang}">{esc(text(p.text))}</span> '
        f'<span class="part-pinyin">{esc(p.pinyin)}</span> '
        f'<span class="part-gloss">{esc(p.gloss)}</span></span>'
        for p in entry.parts)


def hsk_label(level: int | None) -> str:
    return "" if level is None else ("7–9" if level >= 7 else str(level))


def tag(prefix: str, value: str) -> str:
    """An Anki tag without spaces: ``source::my_file.txt``."""
    clean = re.sub(r"[^\w.\-]+", "_", value.replace("::", "_")).strip("_") or "none"
    return f"{prefix}::{clean}"


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
                      r"(?:\|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)?(?:\[[^\]]*\])?")


def prompt_text(meaning: str) -> str:
    """A meaning safe to ask with: Chinese characters (and CC-CEDICT's "发[fa1]" readings) removed.

    Composed glosses name their parts in characters (传统 “tradition” + 产业 “industry”), and
    dictionary senses cite other words (variant of 發|发[fa1]); either would show the answer.
    Empty when no English is left.
    """
    text = _HAN_RUN.sub("", meaning)
    text = re.sub(r"\(\s*\)|“\s*”|\s+(?=[,;:.)\]])", "", text)
    senses = (re.sub(r"\s+", " ", s).strip(" +,") for s in text.split(";"))
    return "; ".join(s for s in senses if re.search(r"[A-Za-z]", s) and not _EMPTY_SENSE.fullmatch(s))


# What is left of a sense that only pointed at other characters: "see 某", "variant of 發", "CL:个".
_EMPTY_SENSE = re.compile(r"(see( also)?|(old |archaic |erhua )?variant of|CL:?|used in|also written|"
                          r"abbr\. for|same as)", re.I)


def cloze_text(entry: Entry, sentence: str, term: str | None = None) -> str:
    """The sentence with each occurrence of the term (default: simplified) as cloze 1,
    hinted by the first definition."""
    term = entry.simplified if term is None else term
    hint = esc(prompt_text(entry.definitions[0])) if entry.definitions else ""
    deletion = "{{c1::" + esc(term) + (f"::{hint}" if hint else "") + "}}"
    return deletion.join(esc(part) for part in sentence.split(term))


_CEDICT_PAIR = re.compile(rf"({_HAN.pattern}+)\|{_HAN.pattern}+")   # 發|发: traditional|simplified


def in_traditional(text: str, variant: str = "tw") -> str:
    """Chinese inside English text in traditional characters of `variant` (tw, hk, t).

    For the meanings of traditional notes: composed glosses quote their parts (传统 “tradition”)
    and CC-CEDICT cites "發|发[fa1]"; such a pair keeps only its traditional half.
    """
    if not text or not _HAN.search(text):
        return text
    text = _CEDICT_PAIR.sub(r"\1", text)
    return lexicon.to_traditional(text, variant if variant in lexicon.VARIANT_CONFIGS else "tw")


# ---------------------------------------------------------------------------- note types

_TONE_CSS_NIGHT_MIX = 0.35   # night mode: tone colours mixed this much toward white


def _lighter(colour: str, amount: float = _TONE_CSS_NIGHT_MIX) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return colour
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def card_css() -> str:
    """Card styling: readable in Anki's light and night modes; tone colours from TONE_COLOURS."""
    tones = "\n".join(f".tone{n} {{ color: {c}; }}" for n, c in sorted(TONE_COLOURS.items()) if n)
    night = "\n".join(
        f".nightMode .tone{n}, .night_mode .tone{n} {{ color: {_lighter(c)}; }}"
        for n, c in sorted(TONE_COLOURS.items()) if n)
    return _CSS_BASE + "\n/* tone colours (Dummitt: 1 red, 2 orange, 3 green, 4 blue, neutral grey) */\n" \
        + tones + "\n" + night + "\n"


_CSS_BASE = """\
.card {
  font-family: "Noto Sans", "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK SC",
    "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif;
  font-size: 20px; line-height: 1.5; text-align: center;
  color: #1f2328; background-color: #fbfbf8; padding: 12px;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  color: #e6e6e6; background-color: #1f1f22;
}
[lang="zh-Hant"] { font-family: "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei",
  "Source Han Sans TC", sans-serif; }
.hanzi { font-size: 56px; line-height: 1.3; margin: 8px 0 4px; letter-spacing: 0.04em; }
.hanzi ruby rt { font-size: 0.32em; letter-spacing: 0; }
.trad { font-size: 30px; color: #57606a; }
.zhuyin { font-size: 18px; color: #57606a; }
.pinyin-line { font-size: 22px; }
.prompt { font-size: 15px; color: #6e7781; margin-top: 14px; }
.meaning { font-size: 22px; margin: 10px auto; max-width: 34em; }
/* English with a CJK fallback font: proportional quotes (“tradition”), not full-width ones */
.meaning, .notes { font-variant-east-asian: proportional-width; }
.recall-front .meaning { font-size: 26px; }
.expansion, .parts, .notes { font-size: 17px; margin: 6px auto; max-width: 34em; }
.part-pinyin { color: #6e7781; }
.part-gloss { font-style: italic; }
.notes { border-left: 3px solid #d4a72c; padding-left: 8px; text-align: left; }
.sentence, .sentence-pinyin, .sentence-trad { max-width: 640px; margin: 0 auto; text-align: left; }
.sentence { font-size: 24px; margin-top: 14px; margin-bottom: 2px; }
.sentence-pinyin { font-size: 15px; color: #6e7781; }
.sentence-trad { font-size: 18px; color: #57606a; margin-top: 4px; }
.hl { background-color: #fff1a8; border-radius: 3px; padding: 0 2px; font-weight: 600; }
.meta { margin-top: 16px; font-size: 13px; color: #6e7781; }
.badge { display: inline-block; border: 1px solid #d0d7de; border-radius: 10px; padding: 0 8px; margin: 0 2px; }
.cloze { font-weight: 600; color: #1e6fd9; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 14px 0; }
.nightMode .trad, .night_mode .trad, .nightMode .zhuyin, .night_mode .zhuyin,
.nightMode .sentence-trad, .night_mode .sentence-trad { color: #b1bac4; }
.nightMode .prompt, .night_mode .prompt, .nightMode .part-pinyin, .night_mode .part-pinyin,
.nightMode .sentence-pinyin, .night_mode .sentence-pinyin, .nightMode .meta, .night_mode .meta { color: #9da7b1; }
.nightMode .hl, .night_mode .hl { background-color: #5c4a06; color: #fff8d6; }
.nightMode .badge, .night_mode .badge, .nightMode hr#answer, .night_mode hr#answer { border-color: #444c56; }
.nightMode .cloze, .night_mode .cloze { color: #7fb0f0; }
"""

_HEADWORD = """\
<div class="hanzi" lang="zh-Hans">{{Ruby}}</div>
{{#ColouredTraditional}}<div class="trad" lang="zh-Hant">{{ColouredTraditional}}</div>{{/ColouredTraditional}}
<div class="zhuyin" lang="zh-Hant">{{Zhuyin}}</div>
"""

_ABOUT = """\
{{#Expansion}}<div class="expansion">= <span lang="zh-Hans">{{Expansion}}</span></div>{{/Expansion}}
{{#Parts}}<div class="parts">{{Parts}}</div>{{/Parts}}
{{#Notes}}<div class="notes">{{Notes}}</div>{{/Notes}}
{{#Sentence}}<div class="sentence" lang="zh-Hans">{{Sentence}}</div>
<div class="sentence-pinyin">{{SentencePinyin}}</div>{{/Sentence}}
{{#SentenceTraditional}}<div class="sentence-trad" lang="zh-Hant">{{SentenceTraditional}}</div>{{/SentenceTraditional}}
<div class="meta">{{#HSK}}<span class="badge">HSK {{HSK}}</span>{{/HSK}}<span class="badge">{{Kind}}</span>
{{#GlossSource}}<span class="badge">gloss: {{GlossSource}}</span>{{/GlossSource}} {{Source}}</div>
"""

# Answer side of Recognition and Context: the word, then what it means and where it came from.
_DETAILS = _HEADWORD + '<hr id="answer">\n<div class="meaning">{{Meaning}}</div>\n' + _ABOUT

_TEMPLATES = [
    {
        "name": "Recognition",
        "qfmt": "{{#MakeRecognition}}<div class=\"hanzi\" lang=\"zh-Hans\">{{Simplified}}</div>\n"
                "{{#ColouredTraditional}}<div class=\"trad\" lang=\"zh-Hant\">{{Traditional}}</div>"
                "{{/ColouredTraditional}}\n<div class=\"prompt\">sound and meaning?</div>{{/MakeRecognition}}",
        "afmt": _DETAILS,
    },
    {
        "name": "Recall",
        "qfmt": "{{#MakeRecall}}<div class=\"recall-front\"><div class=\"meaning\">{{MeaningPrompt}}</div>\n"
                "<div class=\"meta\"><span class=\"badge\">{{Kind}}</span></div>\n"
                "<div class=\"prompt\">write the characters</div></div>{{/MakeRecall}}",
        "afmt": "<div class=\"recall-front\"><div class=\"meaning\">{{MeaningPrompt}}</div></div>\n"
                "<hr id=\"answer\">\n" + _HEADWORD + '<div class="meaning">{{Meaning}}</div>\n' + _ABOUT,
    },
    {
        "name": "Context",
        "qfmt": "{{#MakeContext}}<div class=\"sentence\" lang=\"zh-Hans\">{{Sentence}}</div>\n"
                "<div class=\"prompt\">meaning of the highlighted word?</div>{{/MakeContext}}",
        "afmt": _DETAILS,
    },
]

_CLOZE_TEMPLATE = {
    "name": "Cloze",
    "qfmt": "<div class=\"sentence\" lang=\"zh-Hans\">{{cloze:Text}}</div>\n"
            "<div class=\"prompt\">which word fits?</div>",
    "afmt": "<div class=\"sentence\" lang=\"zh-Hans\">{{cloze:Text}}</div>\n<hr id=\"answer\">\n"
            "<div class=\"hanzi\" lang=\"zh-Hans\">{{Coloured}}</div>\n"
            "<div class=\"pinyin-line\">{{Pinyin}}</div>\n<div class=\"meaning\">{{Meaning}}</div>\n"
            "<div class=\"sentence-pinyin\">{{SentencePinyin}}</div>\n"
            "{{#SentenceTraditional}}<div class=\"sentence-trad\" lang=\"zh-Hant\">{{SentenceTraditional}}</div>"
            "{{/SentenceTraditional}}\n{{#Notes}}<div class=\"notes\">{{Notes}}</div>{{/Notes}}\n"
            "<div class=\"meta\">{{Source}}</div>",
}


# The traditional-first note types: same fields, same card names, traditional on top.
# Traditional is never empty (it falls back to the simplified form); ColouredTraditional
# and SentenceTraditional are empty exactly when both scripts read the same, so they
# switch the second (simplified) line on and off.

_HEADWORD_TRADITIONAL = """\
<div class="hanzi" lang="zh-Hant">{{Ruby}}</div>
{{#ColouredTraditional}}<div class="other-form" lang="zh-Hans">{{Coloured}}</div>{{/ColouredTraditional}}
<div class="zhuyin" lang="zh-Hant">{{Zhuyin}}</div>
"""

_SENTENCE_TRADITIONAL = """\
{{#SentenceTraditional}}<div class="sentence" lang="zh-Hant">{{SentenceTraditional}}</div>{{/SentenceTraditional}}\
{{^SentenceTraditional}}<div class="sentence" lang="zh-Hant">{{Sentence}}</div>{{/SentenceTraditional}}"""

_ABOUT_TRADITIONAL = """\
{{#Expansion}}<div class="expansion">= <span lang="zh-Hant">{{Expansion}}</span></div>{{/Expansion}}
{{#Parts}}<div class="parts">{{Parts}}</div>{{/Parts}}
{{#Notes}}<div class="notes">{{Notes}}</div>{{/Notes}}
{{#Sentence}}""" + _SENTENCE_TRADITIONAL + """
<div class="sentence-pinyin">{{SentencePinyin}}</div>
{{#SentenceTraditional}}<div class="sentence-other" lang="zh-Hans">{{Sentence}}</div>{{/SentenceTraditional}}{{/Sentence}}
<div class="meta">{{#HSK}}<span class="badge">HSK {{HSK}}</span>{{/HSK}}<span class="badge">{{Kind}}</span>
{{#GlossSource}}<span class="badge">gloss: {{GlossSource}}</span>{{/GlossSource}} {{Source}}</div>
"""

_DETAILS_TRADITIONAL = (_HEADWORD_TRADITIONAL + '<hr id="answer">\n<div class="meaning">{{Meaning}}</div>\n'
                        + _ABOUT_TRADITIONAL)

_TEMPLATES_TRADITIONAL = [
    {
        "name": "Recognition",
        "qfmt": "{{#MakeRecognition}}<div class=\"hanzi\" lang=\"zh-Hant\">{{Traditional}}</div>\n"
                "{{#ColouredTraditional}}<div class=\"other-form\" lang=\"zh-Hans\">{{Simplified}}</div>"
                "{{/ColouredTraditional}}\n<div class=\"prompt\">sound and meaning?</div>{{/MakeRecognition}}",
        "afmt": _DETAILS_TRADITIONAL,
    },
    {
        "name": "Recall",
        "qfmt": _TEMPLATES[1]["qfmt"],
        "afmt": "<div class=\"recall-front\"><div class=\"meaning\">{{MeaningPrompt}}</div></div>\n"
                "<hr id=\"answer\">\n" + _HEADWORD_TRADITIONAL + '<div class="meaning">{{Meaning}}</div>\n'
                + _ABOUT_TRADITIONAL,
    },
    {
        "name": "Context",
        "qfmt": "{{#MakeContext}}" + _SENTENCE_TRADITIONAL + "\n"
                "<div class=\"prompt\">meaning of the highlighted word?</div>{{/MakeContext}}",
        "afmt": _DETAILS_TRADITIONAL,
    },
]

_CLOZE_TEMPLATE_TRADITIONAL = {
    "name": "Cloze",
    "qfmt": "<div class=\"sentence\" lang=\"zh-Hant\">{{cloze:Text}}</div>\n"
            "<div class=\"prompt\">which word fits?</div>",
    "afmt": "<div class=\"sentence\" lang=\"zh-Hant\">{{cloze:Text}}</div>\n<hr id=\"answer\">\n"
            "<div class=\"hanzi\" lang=\"zh-Hant\">{{Coloured}}</div>\n"
            "<div class=\"pinyin-line\">{{Pinyin}}</div>\n<div class=\"meaning\">{{Meaning}}</div>\n"
            "<div class=\"sentence-pinyin\">{{SentencePinyin}}</div>\n"
            "{{#Notes}}<div class=\"notes\">{{Notes}}</div>{{/Notes}}\n"
            "<div class=\"meta\">{{Source}}</div>",
}

# The simplified line under a traditional headword or sentence: smaller and grey, like .trad.
_CSS_TRADITIONAL = """
.other-form { font-size: 30px; color: #57606a; }
.sentence-other { max-width: 640px; margin: 4px auto 0; text-align: left; font-size: 18px; color: #57606a; }
.nightMode .other-form, .night_mode .other-form, .nightMode .sentence-other,
.night_mode .sentence-other { color: #b1bac4; }
"""


def vocabulary_model(traditional: bool = False) -> genanki.Model:
    """The vocabulary note type (three card types), simplified or traditional first; id fixed by its name."""
    name = VOCAB_MODEL_NAME_TRADITIONAL if traditional else VOCAB_MODEL_NAME
    templates = _TEMPLATES_TRADITIONAL if traditional else _TEMPLATES
    return genanki.Model(stable_id(name), name, fields=[{"name": f} for f in VOCAB_FIELDS],
                         templates=[dict(t) for t in templates], css=_css(traditional))


def cloze_model(traditional: bool = False) -> genanki.Model:
    """The cloze note type over source sentences, simplified or traditional; id fixed by its name."""
    name = CLOZE_MODEL_NAME_TRADITIONAL if traditional else CLOZE_MODEL_NAME
    template = _CLOZE_TEMPLATE_TRADITIONAL if traditional else _CLOZE_TEMPLATE
    return genanki.Model(stable_id(name), name, fields=[{"name": f} for f in CLOZE_FIELDS],
                         templates=[dict(template)], css=_css(traditional), model_type=genanki.Model.CLOZE)


def _css(traditional: bool) -> str:
    return card_css() + (_CSS_TRADITIONAL if traditional else "")


# ---------------------------------------------------------------------------- notes

@dataclass
class _Item:
    """One word in the deck: its entry, every source it came from, its identity key."""

    entry: Entry
    identity: str
    sources: list[str] = field(default_factory=list)


def _merge(entries: Sequence[Entry], guid_keys: Mapping[str, str]) -> list[_Item]:
    """Keep each key once (first occurrence wins); remember every source that had it."""
    items: dict[str, _Item] = {}
    for e in entries:
        item = items.get(e.key)
        if item is None:
            item = items[e.key] = _Item(e, guid_keys.get(e.key, e.key))
        if e.source and e.source not in item.sources:
            item.sources.append(e.source)
    return list(items.values())


def _example(entry: Entry) -> Example | None:
    """The first source sentence that contains the term (so it can be highlighted), else the first."""
    return next((x for x in entry.examples if entry.simplified and entry.simplified in x.sentence),
                entry.examples[0] if entry.examples else None)


def _sentence_traditional(entry: Entry, example: Example | None) -> str:
    """The example in traditional characters, term highlighted; empty when it reads the same."""
    if example is None or not example.traditional or example.traditional == example.sentence:
        return ""
    return highlight(example.traditional, entry.traditional or entry.simplified)


def _source_field(entry: Entry, sources: Sequence[str]) -> str:
    return esc(", ".join(sources or ([entry.source] if entry.source else [])))


def vocabulary_fields(entry: Entry, cards: Sequence[str], sources: Sequence[str] = (),
                      note: str = "", traditional: bool = False) -> list[str]:
    """The field values of a vocabulary note, in VOCAB_FIELDS order, all escaped.

    `traditional`: for the traditional-first note type (Ruby, Meaning, Parts and Expansion
    in traditional characters; the Context card asks with the traditional sentence).
    """
    example = _example(entry)
    trad_differs = bool(entry.traditional) and entry.traditional != entry.simplified
    sentence = highlight(example.sentence, entry.simplified) if example else ""
    sentence_traditional = _sentence_traditional(entry, example)
    asked = (sentence_traditional or sentence) if traditional else sentence   # what the Context front shows
    on = {c: "y" if c in cards else "" for c in CARD_TYPES}
    prompt = prompt_text(entry.meaning)
    script = (lambda t: in_traditional(t, entry.variant)) if traditional else (lambda t: t)
    values = {
        "Simplified": esc(entry.simplified),
        "Traditional": esc(entry.traditional or entry.simplified),
        "Pinyin": esc(entry.pinyin),
        "PinyinNumbered": esc(entry.pinyin_numbered),
        "Zhuyin": esc(entry.zhuyin),
        "Coloured": coloured(entry),
        "ColouredTraditional": coloured(entry, entry.traditional) if trad_differs else "",
        "Ruby": ruby(entry, entry.traditional or None) if traditional else ruby(entry),
        "PinyinColoured": pinyin_coloured(entry),
        "Meaning": esc(script(entry.meaning)),
        "MeaningPrompt": esc(prompt),
        "Parts": parts_html(entry, traditional),
        "GlossSource": esc(entry.gloss_source),
        "Expansion": esc(script(entry.expansion)),
        "HSK": hsk_label(entry.hsk),
        "Kind": esc(entry.kind),
        "Sentence": sentence,
        "SentencePinyin": esc(example.pinyin) if example else "",
        "SentenceTraditional": sentence_traditional,
        "Source": _source_field(entry, sources),
        "Notes": esc(note),
        "MakeRecognition": on["recognition"],
        "MakeRecall": on["recall"] if prompt else "",
        "MakeContext": on["context"] if 'class="hl"' in asked else "",
    }
    return [values[name] for name in VOCAB_FIELDS]


def cloze_fields(entry: Entry, sources: Sequence[str] = (), note: str = "",
                 traditional: bool = False) -> list[str] | None:
    """The field values of a cloze note, or None when no source sentence contains the term.

    `traditional`: cut from the traditional sentence, the traditional form as the answer
    (the simplified sentence when the example has no traditional form holding the term).
    """
    example = _example(entry)
    if example is None or not entry.simplified or entry.simplified not in example.sentence:
        return None
    sentence, term = example.sentence, entry.simplified
    trad_term = entry.traditional or entry.simplified
    if traditional and example.traditional and trad_term in example.traditional:
        sentence, term = example.traditional, trad_term
    values = {
        "Text": cloze_text(entry, sentence, term),
        "Simplified": esc(entry.simplified),
        "Traditional": esc(trad_term),
        "Pinyin": pinyin_coloured(entry),
        "Coloured": coloured(entry, term),
        "Meaning": esc(in_traditional(entry.meaning, entry.variant) if traditional else entry.meaning),
        "SentencePinyin": esc(example.pinyin),
        "SentenceTraditional": _sentence_traditional(entry, example),
        "Source": _source_field(entry, sources),
        "Notes": esc(note),
    }
    return [values[name] for name in CLOZE_FIELDS]


def _tags(entry: Entry, sources: Sequence[str]) -> list[str]:
    tags = [tag("source", s) for s in sources]
    tags.append(tag("kind", entry.kind or "word"))
    tags.append(tag("hsk", hsk_label(entry.hsk).replace("–", "-") or "none"))
    return tags


def parse_cards(value: str | Sequence[str]) -> list[str]:
    """Card types from "recall,cloze" or a sequence: lower-cased, each once, in the order given.

    The one check behind --cards, a recipe's ``cards`` and build_deck(cards=…).
    """
    names = value.split(",") if isinstance(value, str) else list(value)
    chosen = list(dict.fromkeys(n.strip().lower() for n in names if n.strip()))
    unknown = [c for c in chosen if c not in CARD_TYPES]
    if unknown or not chosen:
        problem = f"unknown card type {unknown[0]!r}" if unknown else "no card type given"
        raise UsageError(f"{problem}; choose from {', '.join(CARD_TYPES)}")
    return chosen


# ---------------------------------------------------------------------------- packaging

def build_deck(entries: list[Entry], path: str | os.PathLike[str], *, name: str = "learn",
               cards: Sequence[str] = CARD_TYPES, timestamp: float | None = None,
               subdecks: bool | None = None, guid_keys: Mapping[str, str] | None = None,
               notes: Mapping[str, str] | None = None, description: str = "",
               script: str | None = None) -> Path:
    """Write an .apkg of `entries` (best first) to `path` and return the path.

    cards      which of recognition, recall, context, cloze to make.
    timestamp  build time in seconds; must grow between builds for Anki to update notes.
    subdecks   one subdeck per source (``NAME::source``); None = when entries have several sources.
    guid_keys  entry.key → the key the note was first built under (kept across teacher overrides).
    notes      entry.key → a teacher's note for the Notes field.
    script     "traditional" or "simplified": which form every card shows first; None = each
               entry's own script (``entry.script``, the script of the text it came from).
    """
    if script is not None and script not in SCRIPTS:
        raise UsageError(f"unknown script {script!r}; choose from {', '.join(SCRIPTS)}")
    chosen = parse_cards(cards)
    items = _merge(entries, guid_keys or {})
    if not items:
        raise LearnError("nothing to put in the deck: no terms were found, or all were left out as known")
    sources = list(dict.fromkeys(i.sources[0] for i in items if i.sources))
    if subdecks is None:
        subdecks = len(sources) > 1
    decks = _decks(name, description, sources if subdecks else [])
    models = {t: (vocabulary_model(t), cloze_model(t)) for t in (False, True)}
    count = 0
    for rank, item in enumerate(items):
        deck = decks.get(item.sources[0] if item.sources else "", decks[""])
        traditional = (script or item.entry.script) == "traditional"
        for note in _notes(item, rank, chosen, (notes or {}).get(item.entry.key, ""), models[traditional],
                           traditional):
            deck.add_note(note)
            count += 1
    if not count:
        raise LearnError(f"nothing to put in the deck: no term has what the chosen cards ({', '.join(chosen)}) need")
    package = genanki.Package(list(decks.values()))
    with atomic_path(path) as tmp:
        package.write_to_file(str(tmp), timestamp=time.time() if timestamp is None else timestamp)
    return Path(path)


def _decks(name: str, description: str, subdeck_sources: Sequence[str]) -> dict[str, genanki.Deck]:
    """The deck (key "") and one subdeck per source named, ``NAME::source``; ids fixed by name."""
    name = deck_name(name)
    decks = {"": genanki.Deck(stable_id(f"deck:{name}"), name, description=esc(description))}
    for s in subdeck_sources:
        full = f"{name}::{s.replace('::', ':')}"
        decks[s] = genanki.Deck(stable_id(f"deck:{full}"), full)
    return decks


def deck_name(name: str) -> str:
    """A name Anki keeps as given: whitespace runs as one space, no empty ``::`` levels
    (Anki would call them "blank"); "learn" when nothing is left."""
    levels = (" ".join(level.split()) for level in name.split("::"))
    return "::".join(level for level in levels if level) or "learn"


def note_guid(identity: str, cloze: bool = False, traditional: bool = False) -> str:
    """A note's GUID: the word's key, and which note type it belongs to (see the module docstring)."""
    kind = (("traditional",) if traditional else ()) + (("cloze",) if cloze else ())
    return genanki.guid_for(*kind, identity)


def _notes(item: _Item, rank: int, chosen: Sequence[str], note: str,
           models: tuple[genanki.Model, genanki.Model], traditional: bool = False) -> list[genanki.Note]:
    """The vocabulary and cloze notes of one word; none of a kind when the word lacks what its cards need."""
    e, (vocab, cloze) = item.entry, models
    tags = _tags(e, item.sources)
    out = []
    vocab_cards = [c for c in chosen if c != "cloze"]
    if vocab_cards:
        fields = vocabulary_fields(e, vocab_cards, item.sources, note, traditional)
        if any(fields[VOCAB_FIELDS.index(f)] for f in ("MakeRecognition", "MakeRecall", "MakeContext")):
            out.append(genanki.Note(vocab, fields, tags=tags, guid=note_guid(item.identity, False, traditional),
                                    due=rank))
    if "cloze" in chosen:
        fields = cloze_fields(e, item.sources, note, traditional)
        if fields is not None:
            out.append(genanki.Note(cloze, fields, tags=tags, guid=note_guid(item.identity, True, traditional),
                                    due=rank))
    return out


# ---------------------------------------------------------------------------- reading exports

_COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
_TAG = re.compile(r"<[^>]*>")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.S)
_SPLIT = re.compile(r"[\s,，、/;；|·・]+")


def known_words_from_package(path: str | os.PathLike[str]) -> set[str]:
    """Words in a learner's Anki export (.apkg/.colpkg): first fields, cloze answers, traditional forms.

    The package is read directly — a zip holding an SQLite collection, zstd-compressed in
    current exports (collection.anki21b), plain in older ones — so this needs neither Anki
    nor the `anki` package. Each word also counts in its simplified form (OpenCC t2s),
    so a deck kept in traditional characters still filters simplified terms.
    """
    p = Path(path)
    raw = _collection_bytes(p)
    with tempfile.TemporaryDirectory() as tmpdir:
        db = Path(tmpdir) / "collection.sqlite"
        db.write_bytes(raw)
        try:
            texts = _word_fields(db)
        except sqlite3.DatabaseError as err:
            raise LearnError(f"{p}: not a readable Anki collection ({err})") from None
    words: set[str] = set()
    for text in texts:
        words.update(_words_in(text))
    return words | _simplified_forms(words)


def _collection_bytes(p: Path) -> bytes:
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            member = next((n for n in _COLLECTION_NAMES if n in names), None)
            if member is None:
                raise LearnError(f"{p}: not an Anki package (no collection inside)")
            data = z.read(member)
    except (zipfile.BadZipFile, OSError) as err:
        raise LearnError(f"{p}: not an Anki package ({err})") from None
    if member.endswith("anki21b"):
        import zstandard

        try:
            data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
        except zstandard.ZstdError as err:
            raise LearnError(f"{p}: damaged Anki package ({err})") from None
    return data


def _word_fields(db: Path) -> list[str]:
    """First field of every note, plus any field named Simplified or Traditional."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        wanted = _extra_field_ords(con)
        out: list[str] = []
        for mid, flds in con.execute("SELECT mid, flds FROM notes"):
            values = flds.split("\x1f")
            out.append(values[0])
            out.extend(values[i] for i in wanted.get(mid, ()) if 0 < i < len(values))
        return out
    finally:
        con.close()


def _extra_field_ords(con: sqlite3.Connection) -> dict[int, list[int]]:
    names = {"simplified", "traditional"}
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    found: dict[int, list[int]] = {}
    if "fields" in tables:   # schema 18 (Anki 2.1.28+)
        for ntid, ord_, fname in con.execute("SELECT ntid, ord, name FROM fields"):
            if fname.lower() in names:
                found.setdefault(ntid, []).append(ord_)
    else:                    # schema 11: note types as JSON in col.models
        import json

        row = con.execute("SELECT models FROM col").fetchone()
        for mid, model in (json.loads(row[0]) if row and row[0] else {}).items():
            for f in model.get("flds", []):
                if f.get("name", "").lower() in names:
                    found.setdefault(int(mid), []).append(int(f.get("ord", -1)))
    return found


def _words_in(field_html: str) -> set[str]:
    text = field_html.replace("<br>", " ").replace("<br/>", " ").replace("<br />", " ")
    clozes = _CLOZE.findall(text)
    pieces = clozes if clozes else [text]
    words = set()
    for piece in pieces:
        plain = html.unescape(_TAG.sub("", piece))
        for word in _SPLIT.split(plain):
            word = word.strip("()（）[]【】「」“”\"'")
            if _HAN.search(word):
                words.add(word)
    return words


def _simplified_forms(words: set[str]) -> set[str]:
    import opencc

    converter = opencc.OpenCC("t2s")
    return {converter.convert(w) for w in words}
