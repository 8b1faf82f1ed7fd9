"""Fields: what each field of a note holds, made from one Entry — one line per field.

The field lists are a frozen contract with every learner who imported a deck: Anki's importer
treats a note type whose field names or count changed as a different note type and skips
every note the learner already has (see learn.deck). New information goes into existing
fields or into the templates; adding a field is a deliberate, documented break.

Vocabulary note type — fields, in order:

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
                     Parts and Expansion), then, each in a div of its own, the measure words
                     (``class="classifiers"``: "measure words: 项 xiàng, 次 cì") and "new since
                     2023" (``class="new-since"``). They live here because the field list is frozen.
MeaningPrompt        the meaning with every Chinese character (and CC-CEDICT's bracketed pinyin)
                     taken out, so it cannot give the word away: the Recall front. Empty for a
                     composed gloss: a guess is never asked for
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

The ``Make…`` fields switch the cards on per note — Anki's own "optional card" pattern — so
the note type never changes when ``--cards`` does.

Cloze note type — fields: Text (a sentence, the term as ``{{c1::…}}`` hinted by the first
definition with its characters taken out, no hint from a composed gloss; the second sentence
holding the term when there are two, so the cloze and the Context card differ), Simplified,
Traditional, Pinyin (coloured),
Coloured, Meaning, SentencePinyin, SentenceTraditional, Source, Notes. In the traditional
note type Text is the traditional sentence with the traditional form as the answer, and
Coloured holds the traditional characters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from learn.deck.markup import (
    asked_meaning,
    classifiers_html,
    cloze_text,
    coloured,
    esc,
    highlight,
    in_script,
    new_since_html,
    parts_html,
    pinyin_coloured,
    ruby,
)
from learn.entry import Entry, Example
from learn.errors import UsageError

#: The vocabulary note type's cards, in template order; each has a Make<Card> field and
#: templates <notetype>/<card>.front.html and .back.html. Cloze is a note type of its own.
VOCAB_CARDS = ("recognition", "recall", "context")
CARD_TYPES = VOCAB_CARDS + ("cloze",)


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


def hsk_label(level: int | None) -> str:
    """1–6 as is, 7 and above as the "7–9" band, "" when off-list."""
    return "" if level is None else ("7–9" if level >= 7 else str(level))


def sentences_with_term(entry: Entry) -> list[Example]:
    """The source sentences that contain the term (so it can be highlighted or cut out)."""
    return [x for x in entry.examples if entry.simplified and entry.simplified in x.sentence]


@dataclass
class NoteInput:
    """What one note's fields are made from: the entry and how the deck shows it."""

    entry: Entry
    cards: Sequence[str] = CARD_TYPES
    sources: Sequence[str] = ()
    note: str = ""
    traditional: bool = False

    def script(self, text: str) -> str:
        """Chinese inside `text` in the note type's script."""
        return in_script(text, self.entry, self.traditional)

    @cached_property
    def example(self) -> Example | None:
        """The Context sentence: the first holding the term, else the first at all."""
        hits = sentences_with_term(self.entry)
        return hits[0] if hits else (self.entry.examples[0] if self.entry.examples else None)

    @cached_property
    def sentence(self) -> str:
        return highlight(self.example.sentence, self.entry.simplified) if self.example else ""

    @cached_property
    def sentence_traditional(self) -> str:
        return sentence_traditional(self.entry, self.example)

    @cached_property
    def prompt(self) -> str:
        return asked_meaning(self.entry)

    @property
    def meaning(self) -> str:
        """The definitions, then the measure words and "new since" as lines of their own."""
        e = self.entry
        return esc(self.script(e.meaning)) + classifiers_html(e, self.traditional) + new_since_html(e)

    @property
    def source(self) -> str:
        e = self.entry
        return esc(", ".join(self.sources or ([e.source] if e.source else [])))

    @property
    def trad_differs(self) -> bool:
        return bool(self.entry.traditional) and self.entry.traditional != self.entry.simplified


def sentence_traditional(entry: Entry, example: Example | None) -> str:
    """The example in traditional characters, term highlighted; empty when it reads the same."""
    if example is None or not example.traditional or example.traditional == example.sentence:
        return ""
    return highlight(example.traditional, entry.traditional or entry.simplified)


# When each vocabulary card is wanted, beyond being chosen: a card needs what it asks with.
_WANTED: dict[str, Callable[[NoteInput], bool]] = {
    "recognition": lambda n: True,
    "recall": lambda n: bool(n.prompt),
    # the Context front shows the traditional sentence in the traditional note type
    "context": lambda n: 'class="hl"' in ((n.sentence_traditional or n.sentence) if n.traditional else n.sentence),
}


def _make(card: str) -> Callable[[NoteInput], str]:
    return lambda n: "y" if card in n.cards and _WANTED[card](n) else ""


@dataclass(frozen=True)
class Field:
    """One field of a note type: its name and how its (escaped) value is made."""

    name: str
    value: Callable[[NoteInput], str]


VOCABULARY: tuple[Field, ...] = (
    Field("Simplified", lambda n: esc(n.entry.simplified)),
    Field("Traditional", lambda n: esc(n.entry.traditional or n.entry.simplified)),
    Field("Pinyin", lambda n: esc(n.entry.pinyin)),
    Field("PinyinNumbered", lambda n: esc(n.entry.pinyin_numbered)),
    Field("Zhuyin", lambda n: esc(n.entry.zhuyin)),
    Field("Coloured", lambda n: coloured(n.entry)),
    Field("ColouredTraditional", lambda n: coloured(n.entry, n.entry.traditional) if n.trad_differs else ""),
    Field("Ruby", lambda n: ruby(n.entry, (n.entry.traditional or None) if n.traditional else None)),
    Field("PinyinColoured", lambda n: pinyin_coloured(n.entry)),
    Field("Meaning", lambda n: n.meaning),
    Field("MeaningPrompt", lambda n: esc(n.prompt)),
    Field("Parts", lambda n: parts_html(n.entry, n.traditional)),
    Field("GlossSource", lambda n: esc(n.entry.gloss_source)),
    Field("Expansion", lambda n: esc(n.script(n.entry.expansion))),
    Field("HSK", lambda n: hsk_label(n.entry.hsk)),
    Field("Kind", lambda n: esc(n.entry.kind)),
    Field("Sentence", lambda n: n.sentence),
    Field("SentencePinyin", lambda n: esc(n.example.pinyin) if n.example else ""),
    Field("SentenceTraditional", lambda n: n.sentence_traditional),
    Field("Source", lambda n: n.source),
    Field("Notes", lambda n: esc(n.note)),
    *(Field("Make" + card.capitalize(), _make(card)) for card in VOCAB_CARDS),
)
VOCAB_FIELDS = tuple(f.name for f in VOCABULARY)


@dataclass
class ClozeInput(NoteInput):
    """A cloze note cuts its own sentence: the term is the answer, so it must be in it."""

    @cached_property
    def example(self) -> Example | None:
        """Another sentence than the Context card's where the text has one (the second holding the term)."""
        hits = sentences_with_term(self.entry)
        return hits[1] if len(hits) > 1 else (hits[0] if hits else None)

    @cached_property
    def cut(self) -> tuple[str, str]:
        """(sentence, term) the cloze is cut from: traditional ones in the traditional note type
        when the traditional sentence holds the traditional form."""
        e, x = self.entry, self.example
        assert x is not None
        trad_term = e.traditional or e.simplified
        if self.traditional and x.traditional and trad_term in x.traditional:
            return x.traditional, trad_term
        return x.sentence, e.simplified


def _cut(note: NoteInput) -> tuple[str, str]:
    """The cloze cut of a cloze note (the cloze fields are only ever made from a ClozeInput)."""
    assert isinstance(note, ClozeInput)
    return note.cut


CLOZE: tuple[Field, ...] = (
    Field("Text", lambda n: cloze_text(n.entry, *_cut(n))),
    Field("Simplified", lambda n: esc(n.entry.simplified)),
    Field("Traditional", lambda n: esc(n.entry.traditional or n.entry.simplified)),
    Field("Pinyin", lambda n: pinyin_coloured(n.entry)),
    Field("Coloured", lambda n: coloured(n.entry, _cut(n)[1])),
    Field("Meaning", lambda n: n.meaning),
    Field("SentencePinyin", lambda n: esc(n.example.pinyin) if n.example else ""),
    Field("SentenceTraditional", lambda n: n.sentence_traditional),
    Field("Source", lambda n: n.source),
    Field("Notes", lambda n: esc(n.note)),
)
CLOZE_FIELDS = tuple(f.name for f in CLOZE)


def vocabulary_fields(
    entry: Entry, cards: Sequence[str], sources: Sequence[str] = (), note: str = "", traditional: bool = False
) -> list[str]:
    """The field values of a vocabulary note, in VOCAB_FIELDS order, all escaped.

    `traditional`: for the traditional-first note type (Ruby, Meaning, Parts and Expansion
    in traditional characters; the Context card asks with the traditional sentence).
    """
    n = NoteInput(entry, cards, sources, note, traditional)
    return [f.value(n) for f in VOCABULARY]


def cloze_fields(
    entry: Entry, sources: Sequence[str] = (), note: str = "", traditional: bool = False
) -> list[str] | None:
    """The field values of a cloze note, or None when no source sentence contains the term.

    `traditional`: cut from the traditional sentence, the traditional form as the answer
    (the simplified sentence when the example has no traditional form holding the term).
    """
    n = ClozeInput(entry, CARD_TYPES, sources, note, traditional)
    if n.example is None:
        return None
    return [f.value(n) for f in CLOZE]
