"""Questions: one practice item made from an entry in one mode, and how a response is judged.

Modes (each is a separate spaced-repetition card of the same word):
  meaning  characters → pick the meaning          reverse  meaning → pick the characters
  pinyin   characters → type the reading          tones    pick each syllable's tone
  cloze    source sentence with the word blanked   script   simplified ↔ traditional
  write    reading and meaning → draw the characters (learn.quiz.writing; its own mode, not mixed
           into "Review due", which stays answerable with a form)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from learn.entry import Entry
from learn.quiz import distractors
from learn.quiz.answers import Verdict, check_pinyin, is_pinyin, split_numbered, to_marks
from learn.quiz.writing import WRITE, writable

MODES: dict[str, str] = {
    "meaning": "Meaning (characters → meaning)",
    "reverse": "Reverse (meaning → characters)",
    "pinyin": "Pinyin typing",
    "tones": "Tone drill",
    "cloze": "Cloze (fill the blank)",
    "script": "Simplified ↔ traditional",
}
REVIEW = "review"  # the mixed mode: every mode, in the scheduler's order
TYPED = {"pinyin"}  # modes answered by typing (slower; the grade suggestion allows for it)
TONE_NAMES = {1: "1 ˉ high", 2: "2 ˊ rising", 3: "3 ˇ low", 4: "4 ˋ falling", 5: "neutral"}
BLANK = "＿"


@dataclass
class Question:
    """What the learner sees and what counts as right.

    `answer` is the right option (choice modes), the numbered reading (pinyin) or the tones
    as digits separated by spaces (tones).
    """

    key: str
    mode: str
    prompt: str
    instruction: str
    answer: str
    options: list[str] = field(default_factory=list)
    syllables: list[str] = field(default_factory=list)
    note: str = ""
    option_keys: dict[str, str] = field(default_factory=dict)  # option → key of the entry it stands for


def meaning_of(entry: Entry, limit: int = 3) -> str:
    """The meaning as an option shows it: the first few definitions, never giving the word away.

    A composed gloss ('新颖 “new” + 化 “-ise”') names its characters, so only the part glosses
    are shown; the word itself inside a definition becomes ～.
    """
    if entry.gloss_source == "composed" and entry.parts:
        text = " + ".join(f"“{p.gloss}”" for p in entry.parts if p.gloss)
    else:
        text = "; ".join(entry.definitions[:limit])
    return text.replace(entry.simplified, "～") if entry.simplified else text


def cloze_sentence(entry: Entry) -> str:
    """The first source sentence that contains the word, with the word blanked ('' if none).

    In the script of the source: a traditional text is asked in traditional characters.
    """
    traditional = entry.headword != entry.simplified
    for example in entry.examples:
        sentence = example.traditional if traditional else example.sentence
        if entry.headword and entry.headword in sentence:
            return sentence.replace(entry.headword, BLANK * len(entry.headword))
    return ""


def trusted_meaning(entry: Entry) -> bool:
    """A meaning the quiz may ask for or offer: a dictionary's or a curated one, never a gloss composed
    from the characters (that is a guess, and a guess must not be taught as the right answer)."""
    return bool(entry.definitions) and entry.gloss_source != "composed"


def applicable(entry: Entry, mode: str) -> bool:
    """Whether `entry` can be asked in `mode` at all (before looking for distractors)."""
    if mode in ("meaning", "reverse"):
        return trusted_meaning(entry)
    if mode in ("pinyin", "tones"):
        return is_pinyin(entry.pinyin_numbered)
    if mode == "cloze":
        return bool(cloze_sentence(entry))
    if mode == "script":
        return bool(entry.traditional) and entry.traditional != entry.simplified
    if mode == WRITE:
        return writable(entry)
    return False


def make_question(entry: Entry, mode: str, pool: Sequence[Entry], rng: random.Random | None = None) -> Question | None:
    """A question on `entry` in `mode`, distractors drawn from `pool`; None when it cannot be asked."""
    rng = rng or random.Random()
    if not applicable(entry, mode):
        return None
    return _MAKERS[mode](entry, pool, rng)


def _choice(
    entry: Entry,
    mode: str,
    prompt: str,
    instruction: str,
    answer: str,
    wrong: list[tuple[str, Entry]],
    rng: random.Random,
    note: str = "",
) -> Question | None:
    if not wrong:
        return None
    options = [answer, *(text for text, _e in wrong)]
    rng.shuffle(options)
    keys = {answer: entry.key, **{text: other.key for text, other in wrong}}
    return Question(entry.key, mode, prompt, instruction, answer, options, note=note, option_keys=keys)


def _meaning(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question | None:
    wrong = distractors.pick_entries(entry, [e for e in pool if trusted_meaning(e)], meaning_of, rng=rng)
    return _choice(entry, "meaning", entry.headword, "What does this mean?", meaning_of(entry), wrong, rng)


def _reverse(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question | None:
    wrong = distractors.pick_entries(entry, pool, lambda e: e.headword, rng=rng)
    return _choice(entry, "reverse", meaning_of(entry), "Which word means this?", entry.headword, wrong, rng)


def _pinyin(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question:
    return Question(
        entry.key,
        "pinyin",
        entry.headword,
        "Type the pinyin (tone numbers xin1zhi4 or tone marks xīnzhì).",
        entry.pinyin_numbered,
        note=meaning_of(entry),
    )


def _tones(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question:
    syllables = [base.replace("v", "ü") for base, _tone in split_numbered(entry.pinyin_numbered)]
    tones = " ".join(str(t) for _b, t in split_numbered(entry.pinyin_numbered))
    return Question(
        entry.key,
        "tones",
        entry.headword,
        "Pick the tone of each syllable.",
        tones,
        syllables=syllables,
        note=meaning_of(entry),
    )


def _cloze(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question | None:
    sentence = cloze_sentence(entry)
    wrong = distractors.pick_word_entries(entry, [e for e in pool if e.headword not in sentence], rng=rng)
    return _choice(
        entry, "cloze", sentence, "Which word fills the blank?", entry.headword, wrong, rng, note=meaning_of(entry)
    )


def _script(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question | None:
    to_traditional = rng.random() < 0.5
    source, target = (entry.simplified, entry.traditional) if to_traditional else (entry.traditional, entry.simplified)
    instruction = "Which is the traditional form?" if to_traditional else "Which is the simplified form?"
    wrong = [(form, entry) for form in distractors.script_forms(source, target, rng=rng)]
    return _choice(entry, "script", source, instruction, target, wrong, rng, note=meaning_of(entry))


def _write(entry: Entry, pool: Sequence[Entry], rng: random.Random) -> Question:
    return Question(
        entry.key, WRITE, entry.pinyin, "Write the word, stroke by stroke.", entry.headword, note=meaning_of(entry)
    )


_MAKERS = {
    WRITE: _write,
    "meaning": _meaning,
    "reverse": _reverse,
    "pinyin": _pinyin,
    "tones": _tones,
    "cloze": _cloze,
    "script": _script,
}


def grade(question: Question, response: str | Sequence[int] | None) -> Verdict:
    """Judge a response: the chosen option, the typed pinyin, or the picked tones."""
    if question.mode == "pinyin":
        return check_pinyin(str(response or ""), question.answer)
    if question.mode == "tones":
        return _grade_tones(question, response)
    if response == question.answer:
        return Verdict(True, "Right.")
    if not response:
        return Verdict(False, f"No answer chosen; it is {question.answer}.")
    return Verdict(False, f"Not quite: it is {question.answer}.")


def _grade_tones(question: Question, response: str | Sequence[int] | None) -> Verdict:
    expected = [int(t) for t in question.answer.split()]
    raw = response.split() if isinstance(response, str) else list(response or [])
    picked = [int(t) if str(t) in ("1", "2", "3", "4", "5") else 0 for t in raw]
    right = to_marks(list(zip([s.replace("ü", "v") for s in question.syllables], expected, strict=False)))
    if picked == expected:
        return Verdict(True, f"Right: {right}.")
    if len(picked) != len(expected):
        return Verdict(False, f"Pick a tone for every syllable; it is {right}.")
    wrong = ", ".join(str(i + 1) for i, (p, e) in enumerate(zip(picked, expected, strict=False)) if p != e)
    return Verdict(False, f"Wrong tone on syllable {wrong}: it is {right}.")
