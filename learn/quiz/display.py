"""Display: the HTML the quiz shows for an entry (tone colours, source sentence), escaped throughout.

Tone colours follow learn.entry.TONE_COLOURS (1 red, 2 orange, 3 green, 4 blue, neutral grey),
the convention every output of the project uses.
"""
from __future__ import annotations

import re
from html import escape

from learn.entry import TONE_COLOURS, Entry, characters_with_tones

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~$&:])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+\.)", re.M)

HSK_NAMES = {7: "HSK 7–9"}


def plain(text: str) -> str:
    """Text for Streamlit's markdown labels (radio options, captions, alerts) that shows as typed.

    Those labels read markdown, LaTeX ($…$) and colour directives (:red[…]): a dictionary
    sense or a source sentence could otherwise turn into a link, a formula or italics.
    """
    text = _MARKDOWN.sub(r"\\\1", text)
    return _LIST_START.sub(lambda m: m[1] + "\\" + m[2] if m[2] in "-+" else m[1] + m[2][:-1] + "\\.", text)


def _span(text: str, tone: int) -> str:
    if tone == 0:
        return escape(text)
    return f'<span style="color:{TONE_COLOURS.get(tone, "inherit")}">{escape(text)}</span>'


def coloured_characters(entry: Entry, text: str | None = None) -> str:
    """The characters (simplified, or `text` such as the traditional form), each in its tone colour."""
    return "".join(_span(ch, tone) for ch, tone in characters_with_tones(entry, text))


def coloured_pinyin(entry: Entry) -> str:
    """The tone-marked reading, each syllable in its tone colour (plain when counts disagree)."""
    syllables = entry.pinyin.split()
    tones = entry.tones
    if len(syllables) != len(tones):
        return escape(entry.pinyin)
    return " ".join(_span(s, t) for s, t in zip(syllables, tones))


def level(entry: Entry) -> str:
    """'HSK 4', 'HSK 7–9' or 'off-list'."""
    if entry.hsk is None:
        return "off-list"
    return HSK_NAMES.get(entry.hsk, f"HSK {entry.hsk}")


def sentence_html(entry: Entry) -> str:
    """The first source sentence, as the text wrote it, with the word in bold ('' when there is none)."""
    traditional = entry.headword != entry.simplified
    for example in entry.examples:
        sentence = (example.traditional or example.sentence) if traditional else example.sentence
        if sentence:
            parts = sentence.split(entry.headword)
            return f"<b>{escape(entry.headword)}</b>".join(escape(p) for p in parts)
    return ""


def entry_card(entry: Entry) -> str:
    """The full entry after an answer: characters, traditional, pinyin, zhuyin, meaning, sentence."""
    # the form of the source text first (Entry.headword), the other script beside it
    rows = [f'<div style="font-size:2.2rem;line-height:1.3">{coloured_characters(entry, entry.headword)}'
            + (f' <span style="font-size:1.4rem">〔{coloured_characters(entry, entry.other_form)}〕</span>'
               if entry.other_form and entry.other_form != entry.headword else "") + "</div>",
            f'<div style="font-size:1.3rem">{coloured_pinyin(entry)}'
            + (f' <span style="color:#666;font-size:1rem">{escape(entry.zhuyin)}</span>' if entry.zhuyin else "")
            + "</div>",
            f"<div>{escape(entry.meaning) or '<i>no definition found</i>'}</div>",
            f'<div style="color:#666;font-size:0.85rem">{escape(entry.kind)} · {escape(level(entry))}'
            + (f" · {entry.count}× in the text" if entry.count else "") + "</div>"]
    if entry.expansion:
        rows.append(f"<div>= {escape(entry.expansion)}</div>")
    if entry.parts:
        rows.append("<div>" + " + ".join(f"{escape(p.text)} {escape(p.pinyin)} ‘{escape(p.gloss)}’"
                                         for p in entry.parts) + "</div>")
    sentence = sentence_html(entry)
    if sentence:
        rows.append(f'<div style="margin-top:.4rem;padding:.3rem .6rem;border-left:3px solid #ccc">{sentence}</div>')
    return '<div class="learn-entry">' + "".join(rows) + "</div>"
