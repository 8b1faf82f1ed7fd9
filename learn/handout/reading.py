"""The reading on a handout: the source text without its newspaper furniture, cut to an excerpt.

Scraped articles carry bylines (■本报记者 …), datelines ((新华社北京3月6日电)), photo captions,
page markers (a column name such as 攀登 above the headline) and pull quotes split over two
lines. None of that is reading matter, so it goes in every mode. The default excerpt keeps the
paragraphs densest in the handout's words, about 800 characters, with "……" where text is left
out: a teacher reads one page, not five, and the left-out paragraphs feed the fill-in exercise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

MODES = ("excerpt", "full", "none")
#: About how many characters the default excerpt prints.
EXCERPT_CHARS = 800
#: Most characters `full` prints; a longer text is cut at a paragraph (or sentence) end.
FULL_CHARS = 8000
GAP = "……"

_SENTENCE_END = re.compile(r"[。！？!?；;…][”’」』\"')）]*")
_ENDS_SENTENCE = re.compile(r"[。！？!?…；;][”’」』\"')）]*\s*$")
_MARKS = "■□●○▲△◆◇★☆▶►◎※•·◢◣"
_BYLINE = re.compile(
    rf"^[{_MARKS}\s]*[（(]?\s*(本报|本刊|新华社|人民日报|中新社|中新网|央视网?|光明日报|经济日报)?\s*"
    r"(特约|首席|实习|驻\w{1,6})?\s*(记者|评论员|通讯员|撰稿人?|责任编辑|编辑|作者|文)\s*[：:]?"
    r"[\u4e00-\u9fff·\s、，,]{0,30}[）)]?$"
)
_DATELINE = re.compile(
    r"^[（(]?\s*(新华社|本报|中新社|中新网|人民网|央视网|新华网)\w{0,12}?\d{1,2}月\d{1,2}日\s*(电|讯)"
    r"\s*[）)]?\s*([（(]\s*记者[^）)]{0,30}[）)])?\s*"
)
_CAPTION = re.compile(
    r"^[（(]?(图为|图[：:]|上图|下图|左图|右图|图片来源|资料图|配图|视频截图)"
    r"|(摄|供图|新华社发|视觉中国|图片来源[^。]{0,20})[）)]?\s*$|——\s*$"
)
# a heading cut off mid-phrase (pull quotes split over two lines end like this)
_DANGLING = re.compile(r"[，,、；;：:（(“‘]\s*$|[的和与及并而或之]\s*$")
_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_NEAR_HAN = re.compile(
    r"(?<=[\u3400-\u9fff”’」』）])([,;:?!])|([,;:?!()])(?=[\u3400-\u9fff“‘「『（])"
    r"|(?<=[\u3400-\u9fff])([()])"
)


@dataclass
class Block:
    """A paragraph of the cleaned text; `heading` for a subheading (no sentence end)."""

    text: str
    heading: bool = False
    index: int = 0


@dataclass
class Passage:
    """A printed paragraph of the reading; `gap_before` when text is left out before it."""

    text: str
    heading: bool = False
    gap_before: bool = False
    cut_start: bool = False  # starts mid-paragraph ("…" in front)
    cut_end: bool = False  # ends mid-paragraph ("…" after)


@dataclass
class Reading:
    """What the reading shows; `gap_after` when the text goes on after the last passage."""

    passages: list[Passage] = field(default_factory=list)
    gap_after: bool = False
    mode: str = "excerpt"
    total_chars: int = 0

    @property
    def shown(self) -> str:
        """All the text a student can read on the reading page, for 'is this sentence shown?'."""
        return "\n".join(p.text for p in self.passages)

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.passages if not p.heading)


def full_width(text: str) -> str:
    """ASCII , ; : ? ! ( ) next to Chinese become full-width, so CJK punctuation rules apply."""
    return _NEAR_HAN.sub(lambda m: _ASCII_PUNCT[next(g for g in m.groups() if g)], text)


def _is_heading(line: str) -> bool:
    return len(line) <= 40 and not _ENDS_SENTENCE.search(line)


def clean_blocks(text: str, title: str = "") -> list[Block]:
    """The text's paragraphs without bylines, datelines, captions, markers and cut-off headings.

    A pull quote split over two heading-like lines leaves one half dangling (…浓郁的); both
    halves go, whichever order the scrape put them in.
    """
    kept: list[Block] = []
    title_seen = False
    for n, line in enumerate(ln.strip() for ln in text.splitlines()):
        line = line.lstrip(_MARKS + " ")
        if not title_seen and title and line == title.strip():
            title_seen = True
            continue
        line = _DATELINE.sub("", line).strip()
        if not line or _BYLINE.match(line) or _CAPTION.search(line) or not re.search(r"[\u3400-\u9fff]", line):
            continue
        heading = _is_heading(line)
        if heading and len(re.findall(r"[\u3400-\u9fff]", line)) < 5:
            continue  # a column name or page marker
        kept.append(Block(full_width(line), heading, n))
    cut = {k for k, b in enumerate(kept) if b.heading and _DANGLING.search(b.text)}
    cut |= {j for k in cut for j in (k - 1, k + 1) if 0 <= j < len(kept) and kept[j].heading}
    return [b for k, b in enumerate(kept) if k not in cut]


def _counts(text: str, forms: Sequence[str]) -> dict[str, int]:
    return {f: text.count(f) for f in forms if f and f in text}


def _gain(text: str, forms: Sequence[str], covered: set[str]) -> float:
    """New words count 1, words already shown 0.2 per use: coverage first, then density."""
    return sum((1.0 if f not in covered else 0.0) + 0.2 * n for f, n in _counts(text, forms).items())


def _window(text: str, forms: Sequence[str], budget: int) -> tuple[str, int, int]:
    """The run of whole sentences within `budget` characters that holds the most words."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    best = (0.0, 0, 0)
    for i in range(len(spans)):
        for j in range(i, len(spans)):
            a, b = spans[i][0], spans[j][1]
            if b - a > budget:
                break
            score = _gain(text[a:b], forms, set())
            if score > best[0]:
                best = (score, a, b)
    _score, a, b = best
    if b <= a:  # not one sentence fits: cut the first at the budget
        a, b = 0, budget
    return text[a:b], a, b


def choose_excerpt(blocks: Sequence[Block], forms: Sequence[str], limit: int = EXCERPT_CHARS) -> Reading:
    """The paragraphs densest in `forms` (new words first), up to about `limit` characters, in text order."""
    body = [b for b in blocks if not b.heading]
    chosen: dict[int, Passage] = {}
    covered: set[str] = set()
    used = 0
    while used < limit * 0.9:
        room = limit - used
        best, best_rate = None, 0.0
        for k, b in enumerate(body):
            if k in chosen:
                continue
            text = b.text if len(b.text) <= room * 1.1 else None
            if text is None and room < 120:
                continue
            candidate = text or _window(b.text, forms, room)[0]
            # short paragraphs count as 150 characters and neighbours of chosen ones score
            # higher: fewer, longer stretches read better than a string of one-liners
            rate = _gain(candidate, forms, covered) / max(len(candidate), 150)
            rate *= 1.3 if (k - 1 in chosen or k + 1 in chosen) else 1.0
            if rate > best_rate:
                best, best_rate = k, rate
        if best is None:
            break
        b = body[best]
        if len(b.text) <= room * 1.1:
            passage = Passage(b.text)
        else:
            text, a, end = _window(b.text, forms, room)
            passage = Passage(text, cut_start=a > 0, cut_end=end < len(b.text))
        chosen[best] = passage
        covered |= set(_counts(passage.text, forms))
        used += len(passage.text)
    return _in_order(body, chosen)


def _in_order(body: Sequence[Block], chosen: dict[int, Passage]) -> Reading:
    reading = Reading(mode="excerpt", total_chars=sum(len(b.text) for b in body))
    last = -1
    for k in sorted(chosen):
        passage = chosen[k]
        passage.gap_before = k != last + 1 or passage.cut_start
        reading.passages.append(passage)
        last = k
    reading.gap_after = last != len(body) - 1 or bool(reading.passages and reading.passages[-1].cut_end)
    return reading


def make_reading(
    text: str, forms: Iterable[str], mode: str = "excerpt", title: str = "", limit: int = EXCERPT_CHARS
) -> Reading:
    """The reading for one mode: excerpt (default), full (every paragraph and subheading) or none."""
    if mode not in MODES:
        raise ValueError(mode)
    blocks = clean_blocks(text, title)
    if mode == "none":
        return Reading(mode="none", total_chars=sum(len(b.text) for b in blocks if not b.heading))
    if mode == "full":
        return _full(blocks)
    if sum(len(b.text) for b in blocks if not b.heading) <= limit:
        return _full(blocks)  # a short text is its own excerpt
    forms = sorted(set(forms), key=len, reverse=True)
    return choose_excerpt(blocks, forms, limit)


def _full(blocks: Sequence[Block], limit: int = FULL_CHARS) -> Reading:
    """Every paragraph and subheading, up to `limit` characters (one huge paragraph: its opening)."""
    reading = Reading(mode="full", total_chars=sum(len(b.text) for b in blocks if not b.heading))
    used = 0
    for b in blocks:
        if used + len(b.text) > limit:
            reading.gap_after = True
            if not used:
                ends = [m.end() for m in _SENTENCE_END.finditer(b.text, 0, limit)]
                reading.passages.append(Passage(b.text[: ends[-1]] if ends else b.text[:limit], cut_end=True))
            break
        used += len(b.text)
        reading.passages.append(Passage(b.text, heading=b.heading))
    return reading


def body_text(text: str, title: str = "") -> str:
    """The cleaned text (no furniture) as paragraphs, for exercise sentences."""
    return "\n".join(b.text for b in clean_blocks(text, title) if not b.heading)


@lru_cache(maxsize=64)
def normalise(text: str) -> str:
    """A comparison form: full-width punctuation, no spaces, no cut marks."""
    return re.sub(r"[\s…]+", "", full_width(text))


def is_shown(sentence: str, shown: str) -> bool:
    """Whether the sentence (or its body, without end punctuation) is printed in `shown`."""
    core = normalise(sentence).rstrip("。！？；，")
    return bool(core) and core in normalise(shown)
