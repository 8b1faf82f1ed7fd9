"""Text → card HTML: escaping, tone colours, ruby, highlights, cloze markup, the script of meanings.

Every piece of user text goes through `esc` before it goes into a field; markup is added after.
"""

from __future__ import annotations

import html
import re

from learn.entry import Entry, characters_with_tones
from learn.language import lexicon

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: str) -> str:
    """Text → HTML that shows as that text, in any field, cloze included.

    Braces, brackets and colons are encoded too so that user text can never form
    cloze markup (``{{c1::``) or a ``[sound:…]`` tag; control characters (Anki's field
    separator among them) are dropped.
    """
    out = html.escape(_CONTROL.sub("", text or ""), quote=True)
    return (
        out.replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("[", "&#91;")
        .replace("]", "&#93;")
        .replace(":", "&#58;")
    )


def coloured(entry: Entry, text: str | None = None) -> str:
    """Characters of `text` (default: simplified), each Han character in its tone's span."""
    return "".join(
        f'<span class="tone{tone}">{esc(ch)}</span>' if tone else esc(ch)
        for ch, tone in characters_with_tones(entry, text)
    )


def pinyin_coloured(entry: Entry) -> str:
    """Pinyin with each syllable coloured by its tone (plain when syllables and tones disagree)."""
    syllables, tones = entry.pinyin.split(), entry.tones
    if len(syllables) != len(tones):
        return esc(entry.pinyin)
    return " ".join(f'<span class="tone{t}">{esc(s)}</span>' for s, t in zip(syllables, tones, strict=False))


def ruby(entry: Entry, text: str | None = None) -> str:
    """Coloured characters of `text` (default: simplified) with their pinyin above;
    coloured characters + a pinyin line as fallback."""
    pairs = characters_with_tones(entry, text)
    text_shown = entry.simplified if text is None else text
    han = re.findall(r"[\u3400-\u9fff]", text_shown)  # what characters_with_tones counts
    syllables = entry.pinyin.split()
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
    return " + ".join(
        f'<span class="part"><span class="part-text" lang="{lang}">{esc(in_script(p.text, entry, traditional))}</span> '
        f'<span class="part-pinyin">{esc(p.pinyin)}</span> '
        f'<span class="part-gloss">{esc(p.gloss)}</span></span>'
        for p in entry.parts
    )


_HAN_RUN = re.compile(rf"{HAN.pattern}+(?:\|{HAN.pattern}+)?(?:\[[^\]]*\])?")
# What is left of a sense that only pointed at other characters: "see 某", "variant of 發", "CL:个".
_EMPTY_SENSE = re.compile(
    r"(see( also)?|(old |archaic |erhua )?variant of|CL:?|used in|also written|"
    r"abbr\. for|same as)",
    re.I,
)


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


def asked_meaning(entry: Entry) -> str:
    """The meaning a card may ask with (the Recall front): none when it is a guess.

    A composed gloss is put together from the parts' dictionary senses; it may be wrong, so
    it is shown on the back, labelled, but never made the thing to recall.
    """
    return "" if entry.gloss_source == "composed" else prompt_text(entry.meaning)


def cloze_hint(entry: Entry) -> str:
    """The hint a cloze shows: the first definition with its characters taken out; none from a guess."""
    if entry.gloss_source == "composed" or not entry.definitions:
        return ""
    return prompt_text(entry.definitions[0])


def classifiers_html(entry: Entry, traditional: bool = False) -> str:
    """The measure words ("项 xiàng" each) as a line for the card back; "" when there are none."""
    if not entry.classifiers:
        return ""
    lang = "zh-Hant" if traditional else "zh-Hans"
    items = []
    for item in entry.classifiers:
        word, _, reading = item.partition(" ")
        items.append(
            f'<span class="mw" lang="{lang}">{esc(in_script(word, entry, traditional))}</span>'
            + (f' <span class="mw-pinyin">{esc(reading)}</span>' if reading else "")
        )
    label = "measure word" if len(items) == 1 else "measure words"
    return f'<div class="classifiers">{label}: {", ".join(items)}</div>'


def new_since_html(entry: Entry) -> str:
    """ "new since 2023" for a term the background first has in its last years; "" otherwise."""
    year = entry.new_since
    return f'<div class="new-since">new since {esc(year)}</div>' if year else ""


def cloze_text(entry: Entry, sentence: str, term: str | None = None) -> str:
    """The sentence with each occurrence of the term (default: simplified) as cloze 1, with its hint."""
    term = entry.simplified if term is None else term
    hint = esc(cloze_hint(entry))
    deletion = "{{c1::" + esc(term) + (f"::{hint}" if hint else "") + "}}"
    return deletion.join(esc(part) for part in sentence.split(term))


_CEDICT_PAIR = re.compile(rf"({HAN.pattern}+)\|{HAN.pattern}+")  # 發|发: traditional|simplified


def in_traditional(text: str, variant: str = "tw") -> str:
    """Chinese inside English text in traditional characters of `variant` (tw, hk, t).

    For the meanings of traditional notes: composed glosses quote their parts (传统 “tradition”)
    and CC-CEDICT cites "發|发[fa1]"; such a pair keeps only its traditional half.
    """
    if not text or not HAN.search(text):
        return text
    text = _CEDICT_PAIR.sub(r"\1", text)
    return lexicon.to_traditional(text, variant if variant in lexicon.VARIANT_CONFIGS else "tw")


def in_script(text: str, entry: Entry, traditional: bool) -> str:
    """`text` as the note type shows Chinese: unchanged, or in the entry's traditional variant."""
    return in_traditional(text, entry.variant) if traditional else text
