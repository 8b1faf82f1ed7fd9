"""Distractors: the wrong options of a multiple-choice question.

A distractor should tempt: it comes from the same material, preferably the same kind and HSK
level, with a similar length, so that the question tests the word and not the option's shape.
It is never the answer under another name: the same characters, the same shown text, or a
meaning that shares a definition with the answer's are all left out.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from learn.entry import Entry

# Simplified characters that stand for two or more traditional ones (a fact of the script reform);
# swapping in the wrong one makes the most tempting wrong traditional spelling.
ONE_TO_MANY: dict[str, str] = {
    "发": "發髮",
    "面": "面麵",
    "干": "乾幹干",
    "后": "後后",
    "里": "裡裏里",
    "台": "臺台颱檯",
    "复": "復複覆",
    "钟": "鐘鍾",
    "系": "系係繫",
    "只": "隻只",
    "松": "鬆松",
    "范": "範范",
    "制": "制製",
    "准": "準准",
    "征": "徵征",
    "斗": "鬥斗",
    "历": "歷曆",
    "冲": "衝沖",
    "余": "餘余",
    "云": "雲云",
    "丑": "醜丑",
    "卷": "捲卷",
    "获": "獲穫",
    "汇": "匯彙",
    "尽": "盡儘",
    "划": "劃划",
    "表": "表錶",
    "须": "須鬚",
    "谷": "谷穀",
    "周": "週周",
    "借": "借藉",
    "当": "當噹",
    "几": "幾几",
    "了": "了瞭",
    "向": "向嚮",
    "布": "布佈",
    "朴": "樸朴",
    "术": "術朮",
    "据": "據据",
    "致": "致緻",
    "团": "團糰",
    "郁": "鬱郁",
    "涂": "塗涂",
    "才": "才纔",
    "游": "遊游",
    "坛": "壇罈",
    "签": "簽籤",
    "脏": "髒臟",
    "症": "症癥",
    "采": "採采",
    "凶": "兇凶",
    "咸": "鹹咸",
    "升": "升昇",
    "克": "克剋",
    "姜": "薑姜",
    "胡": "胡鬍衚",
    "蒙": "蒙矇濛懞",
    "舍": "舍捨",
    "折": "折摺",
    "困": "困睏",
    "叶": "葉叶",
    "合": "合閤",
    "党": "黨党",
    "御": "御禦",
    "纤": "纖縴",
    "仆": "僕仆",
}


def normalise(text: str) -> str:
    """Compare shown texts without case, spacing or trailing punctuation differences."""
    return re.sub(r"\s+", " ", text.casefold()).strip(" .;,")


def _definitions(entry: Entry) -> set[str]:
    return {normalise(d) for d in entry.definitions if normalise(d)}


def _plausibility(answer: Entry, other: Entry, shown: str, target: str) -> float:
    """Higher is more tempting: same kind, level and gloss style, similar length of shown text and word."""
    score = 0.0
    score += 1.0 if other.kind == answer.kind else 0.0
    score += 1.0 if other.hsk == answer.hsk else 0.0
    score += 0.5 if other.gloss_source == answer.gloss_source else 0.0  # a composed gloss looks composed
    score -= abs(len(other.simplified) - len(answer.simplified)) * 0.6
    score -= abs(len(shown) - len(target)) / max(len(target), 8)
    return score


def pick(
    answer: Entry,
    pool: Sequence[Entry],
    shown: Callable[[Entry], str],
    n: int = 3,
    rng: random.Random | None = None,
    spare: int = 2,
) -> list[str]:
    """Up to `n` wrong options for `answer`, drawn from the `n + spare` most plausible in `pool`.

    `shown` gives the text an option displays (a meaning, the characters). Drawing from a few
    more than needed keeps repeated questions from always offering the same wrong options.
    """
    return [text for text, _entry in pick_entries(answer, pool, shown, n, rng, spare)]


def pick_entries(
    answer: Entry,
    pool: Sequence[Entry],
    shown: Callable[[Entry], str],
    n: int = 3,
    rng: random.Random | None = None,
    spare: int = 2,
) -> list[tuple[str, Entry]]:
    """pick(), each option with the entry it shows (so a wrong pick can be explained)."""
    rng = rng or random.Random()
    target = shown(answer)
    taken = {normalise(target)}
    answer_defs = _definitions(answer)
    ranked: list[tuple[float, str, Entry]] = []
    for other in pool:
        text = shown(other)
        if (
            other.key == answer.key
            or other.simplified == answer.simplified
            or not text
            or normalise(text) in taken
            or _definitions(other) & answer_defs
        ):
            continue
        taken.add(normalise(text))
        ranked.append((_plausibility(answer, other, text, target) + rng.random() * 0.3, text, other))
    ranked.sort(key=lambda t: -t[0])
    best = [(text, other) for _score, text, other in ranked[: n + spare]]
    return rng.sample(best, min(n, len(best)))


def pick_words(answer: Entry, pool: Sequence[Entry], n: int = 3, rng: random.Random | None = None) -> list[str]:
    """Wrong words for a blank: characters of other entries (in the script of the text), never a
    part or a whole of the answer."""
    return [text for text, _entry in pick_word_entries(answer, pool, n, rng)]


def pick_word_entries(
    answer: Entry, pool: Sequence[Entry], n: int = 3, rng: random.Random | None = None
) -> list[tuple[str, Entry]]:
    """pick_words(), each word with its entry."""
    fits = [e for e in pool if e.simplified not in answer.simplified and answer.simplified not in e.simplified]
    return pick_entries(answer, fits, lambda e: e.headword, n, rng)


def script_forms(source: str, target: str, n: int = 3, rng: random.Random | None = None) -> list[str]:
    """Wrong spellings of `target` (the same word as `source` in the other script).

    Made by swapping a character for another traditional form of the same simplified character
    (发 → 發/髮), by leaving one character unconverted, and by the unconverted source itself.
    """
    rng = rng or random.Random()
    wrong: list[str] = []
    if len(source) == len(target):
        for i, (s, t) in enumerate(zip(source, target, strict=False)):
            for alt in ONE_TO_MANY.get(s, "") + ONE_TO_MANY.get(t, ""):
                if alt not in (s, t):
                    wrong.append(target[:i] + alt + target[i + 1 :])
        partial = [
            target[:i] + s + target[i + 1 :] for i, (s, t) in enumerate(zip(source, target, strict=False)) if s != t
        ]
        rng.shuffle(partial)
        wrong.extend(partial)
    wrong.append(source)
    out: list[str] = []
    for w in wrong:
        if w != target and w not in out:
            out.append(w)
    return out[:n]
