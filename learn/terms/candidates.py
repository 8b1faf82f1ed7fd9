"""Candidates: every short run of adjacent tokens in a text, counted with its context.

What extraction judges later — counts, the tokens before and after, quotes, parallel lists,
nearness to a person's title — is gathered here in one pass over the jieba tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import add
from pathlib import Path

from learn.language import lexicon
from learn.read.text import sentences

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MAX_TOKENS = 6  # longest candidate, in tokens
MAX_CHARS = 10  # longest candidate, in characters
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
FRAME_GLUE = "着了过的地得和与及或在是不也都就"  # 村和村不, 聊着聊着: grammar, not a set phrase
FRAME = re.compile(r"([\u4e00-\u9fff]{1,2})[\u4e00-\u9fff]\1[\u4e00-\u9fff]")  # 照搬照抄, 融资难融资贵
Known = Callable[[dict[str, tuple[str, ...]]], set[str]]  # one-off runs (text: tokens) -> those to judge
QUOTED = re.compile(r"[“「『\"]([\u3400-\u9fff]{2,12})[”」』\"]")


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Common family names (one character, two characters): how person names are spotted."""
    lines = [s for s in (DATA_DIR / "surnames.txt").read_text(encoding="utf-8").splitlines() if not s.startswith("#")]
    names = [w for line in lines for w in line.split()]
    return frozenset(w for w in names if len(w) == 1), frozenset(w for w in names if len(w) == 2)


PERSON_CONTEXT = (
    "记者",
    "委员",
    "代表",
    "主任",
    "院长",
    "董事长",
    "总经理",
    "经理",
    "教授",
    "局长",
    "书记",
    "部长",
    "市长",
    "区长",
    "主席",
    "负责人",
    "研究员",
    "专家",
    "博士",
    "先生",
    "女士",
    "创始人",
    "总裁",
    "所长",
    "处长",
    "校长",
    "厂长",
    "说",
    "表示",
    "认为",
    "指出",
    "介绍",
    "告诉",
    "坦言",
)
PERSON_CUE = re.compile("|".join(map(re.escape, PERSON_CONTEXT)))  # one scan per sentence, not 34


@dataclass
class Candidate:
    """Counts and context gathered for one candidate string."""

    text: str
    tokens: tuple[str, ...]
    count: int = 0
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    quoted: int = 0
    listed: int = 0
    framed: int = 0
    in_title: bool = False
    person_context: int = 0


def _runs(sents: list[str]) -> list[tuple[int, list[str]]]:
    """jieba tokens of every sentence, as (sentence index, run of Han tokens) pairs.

    Punctuation, digits and Latin break runs. The text is cut in one call (jieba's own speed),
    then adjacent tokens that together make a CC-CEDICT word are joined (赋/能 → 赋能).
    """
    runs: list[tuple[int, list[str]]] = []
    index, run = 0, list[str]()
    han: dict[str, bool] = {}  # tokens repeat: test each distinct one against the regex once
    for token in lexicon.cut("\n".join(sents)):
        is_han = han.get(token)
        if is_han is None:
            is_han = han[token] = bool(HAN_RUN.fullmatch(token))
        if token == "\n":
            if run:
                runs.append((index, _join_dictionary_words(run)))
            index, run = index + 1, []
        elif is_han:
            run.append(token)
        elif run:
            runs.append((index, _join_dictionary_words(run)))
            run = []
    if run:
        runs.append((index, _join_dictionary_words(run)))
    return runs


@lru_cache(maxsize=1)
def _word_starts() -> frozenset[str]:
    """Every beginning (2+ characters) of a longer CC-CEDICT word: lets joining stop early."""
    return frozenset(w[:k] for w in lexicon.headwords() if 2 < len(w) <= 8 for k in range(2, len(w)))


@lru_cache(maxsize=1)
def _joinable() -> frozenset[str]:
    """Every CC-CEDICT word and word beginning: two adjacent tokens not in here never join."""
    return lexicon.headwords() | _word_starts()


def _join_dictionary_words(tokens: list[str]) -> list[str]:
    """Join adjacent tokens that make a CC-CEDICT word, longest first (赋/能 → 赋能, 大/模型 stays)."""
    if not any(map(_joinable().__contains__, map(add, tokens, tokens[1:]))):
        return tokens  # the common case: nothing to join (checked at C speed)
    words, starts = lexicon.headwords(), _word_starts()
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        best, joined = 1, tokens[i]
        if len(joined) < 4:  # jieba already knows the longer words; splits happen among short pieces
            for j in range(i + 1, min(n, i + 4)):
                joined += tokens[j]
                if len(joined) > 8:
                    break
                if joined in words:
                    best = j - i + 1
                if joined not in starts:
                    break  # no longer word begins like this: stop early
        out.append(tokens[i] if best == 1 else "".join(tokens[i : i + best]))
        i += best
    return out


def _spans(runs: list[tuple[int, list[str]]], seen: dict[str, int], longest: int = 4) -> dict[str, tuple[str, ...]]:
    """Runs of 2..`longest` tokens (3–10 characters) not counted yet: one-off strings that only
    a background corpus can vouch for (营商环境, 专精特新 used once)."""
    out: dict[str, tuple[str, ...]] = {}
    for _, run in runs:
        for i in range(len(run) - 1):
            text = run[i]
            for j in range(i + 1, min(len(run), i + longest)):
                text += run[j]
                if len(text) > MAX_CHARS:
                    break
                if len(text) >= 3 and text not in seen and text not in out:
                    out[text] = tuple(run[i : j + 1])
    return out


def _gather(sents: list[str], title_lines: set[str], known: Known | None = None) -> dict[str, Candidate]:
    """Count runs of 1..MAX_TOKENS adjacent tokens, with their neighbours and marks.

    Runs longer than one token are extended only over adjacent pairs seen at least twice: a
    run with a one-off pair occurs only once, and one-offs of three or more tokens are never
    terms unless quoted or listed (gathered separately by _mark). Candidates are made only for
    what can become a term, which keeps big texts fast.
    """
    runs = _runs(sents)
    pairs = Counter(chain.from_iterable(zip(run, run[1:], strict=False) for _, run in runs))
    singles = Counter(chain.from_iterable(run for _, run in runs))  # one-token runs, at C speed
    tokens_of: dict[str, tuple[str, ...]] = {}
    edges: dict[str, list[str]] = {}  # before, after, before, after… of every occurrence
    titled: set[str] = set()
    for index, run in runs:
        in_title = sents[index] in title_lines
        if in_title:
            titled.update(run)
        size = len(run)
        if size < 2:
            continue
        repeated = [pairs[pair] >= 2 for pair in zip(run, run[1:], strict=False)]  # run[k], run[k+1] seen twice
        if True not in repeated:
            continue  # only one-off pairs: nothing here grows past one token
        padded = ["^", *run, "$"]
        for i in range(size - 1):
            if not repeated[i]:
                continue  # one-off pairs are added from `pairs` (no run grows past them)
            text = run[i]
            for j in range(i + 1, min(size, i + MAX_TOKENS)):
                if j > i + 1 and not repeated[j - 1]:
                    break
                text += run[j]
                if len(text) > MAX_CHARS:
                    break
                sides = edges.get(text)
                if sides is None:
                    tokens_of[text] = tuple(run[i : j + 1])
                    edges[text] = [padded[i], padded[j + 2]]
                else:
                    sides += (padded[i], padded[j + 2])
                if in_title:
                    titled.add(text)
    counts = {text: len(sides) // 2 for text, sides in edges.items()}
    for (first, second), n in pairs.items():  # one-off pairs of two real words: noun + noun compounds
        if n == 1 and len(first) >= 2 and len(second) >= 2:
            text = first + second
            if text not in counts:
                counts[text], tokens_of[text], edges[text] = 1, (first, second), []
    if known is not None:  # one-off runs worth judging after all (the background knows them, ...)
        spans = _spans(runs, counts)
        for text in known(spans):
            counts[text], tokens_of[text], edges[text] = 1, spans[text], []
    cands = _marked(sents, _candidates(singles, counts, tokens_of, edges, titled))
    for text in _frames(sents, runs):
        cand = cands.get(text) or _one_off(text, cands)
        if cand:
            cand.framed += 1
    return cands


def _candidates(
    singles: Counter,
    counts: dict[str, int],
    tokens_of: dict[str, tuple[str, ...]],
    edges: dict[str, list[str]],
    titled: set[str],
) -> dict[str, Candidate]:
    """Candidate records for what can become a term: single tokens, repeated runs, and one-off
    pairs of two real words (noun + noun compounds are judged even when seen once)."""
    cands = {text: Candidate(text, (text,), count, in_title=text in titled) for text, count in singles.items()}
    for text, count in counts.items():
        tokens = tokens_of[text]
        if text in cands:  # also cut as one token elsewhere: one string, one count
            cand = cands[text]
            cand.count += count
            cand.left.update(edges[text][0::2])
            cand.right.update(edges[text][1::2])
            continue
        if count < 2 and not (len(tokens) == 2 and min(map(len, tokens)) >= 2) and edges[text]:
            continue  # (a one-off with no edges recorded was vouched for by the background)
        sides = edges[text]
        cands[text] = Candidate(
            text, tokens, count, Counter(sides[0::2]), Counter(sides[1::2]), in_title=text in titled
        )
    return cands


def _marked(sents: list[str], cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """Quotes, lists and person contexts of every sentence, added to the candidates."""
    for sent in sents:
        _mark(sent, cands)
    return cands


def _mark(sent: str, cands: dict[str, Candidate]) -> None:
    """Quotes, list membership and person-name context of one sentence."""
    quoted = QUOTED.findall(sent)
    for text, n in Counter(quoted).items() if quoted else ():
        # a quoted slogan may be all single characters: 北冰南展西扩东进
        cand = cands.get(text) or _one_off(text, cands, longest=len(text))
        if cand:
            cand.quoted += n
    for text in _list_items(sent):
        cand = cands.get(text) or _one_off(text, cands)
        if cand:
            cand.listed += 1
    if PERSON_CUE.search(sent):
        for shape in _name_shapes(sent):
            if shape in cands:
                cands[shape].person_context += 1


def _one_off(text: str, cands: dict[str, Candidate], longest: int = MAX_TOKENS) -> Candidate | None:
    """A quoted or listed string seen once: tokenise it on its own so it can still be judged."""
    tokens = _join_dictionary_words(lexicon.cut(text))
    if len(tokens) > longest or not all(HAN_RUN.fullmatch(t) for t in tokens):
        return None
    cand = cands[text] = Candidate(text, tuple(tokens), count=1)
    return cand


def _frames(sents: list[str], runs: list[tuple[int, list[str]]]) -> list[str]:
    """Frames that repeat their opening unit (照搬照抄, 一村一品, 互联互通; 融资难融资贵), cut at
    token boundaries on both sides: a set-phrase pattern of policy language. One per occurrence;
    only sentences the pattern matches are walked token by token."""
    hit = {i for i, sent in enumerate(sents) if FRAME.search(sent)}
    found = [frame for index, run in runs if index in hit for frame in _run_frames(run)]
    keep = {
        f
        for f in set(found)
        if not set(_slots(f)) & set(FRAME_GLUE) and len(set(_slots(f))) > 1 and f[:3] not in lexicon.headwords()
    }  # 一条链一条链 only repeats itself
    tags = lexicon.pos_tags({h for f in keep for h in _halves(f)})
    keep = {
        f for f in keep if not any(tags.get(h) in ("d", "r", "p", "c", "u") for h in _halves(f))
    }  # 实现实时: 实时 "in real time"
    return [f for f in found if f in keep]


def _unit(frame: str) -> int:
    """Width of the repeated opening: 1 in 照搬照抄, 2 in 融资难融资贵."""
    return 1 if frame[0] == frame[2] else 2


def _slots(frame: str) -> str:
    """The characters that vary after each repeat of the unit (搬抄, 难贵)."""
    w = _unit(frame)
    return frame[w :: w + 1]


def _halves(frame: str) -> list[str]:
    w = _unit(frame)
    return [frame[i : i + w + 1] for i in range(0, len(frame), w + 1)]


def _run_frames(run: list[str]) -> list[str]:
    """Frames of one run (unit + one character, repeated) whose start and end fall between tokens."""
    text = "".join(run)
    bounds, at = [0], 0
    for token in run:
        at += len(token)
        bounds.append(at)
    edges = set(bounds)
    out, taken = [], -1
    for start in bounds:
        if start <= taken:
            continue
        for w in (1, 2):
            step = w + 1
            end = start + 2 * step
            unit = text[start : start + w]
            if end not in edges or text[start + step : start + step + w] != unit:
                continue
            while text[end : end + w] == unit and end + step in edges:
                end += step  # the series goes on: 大院大所大校
            out.append(text[start:end])
            taken = end
            break
    return out


def _list_items(sentence: str) -> list[str]:
    """Members of parallel lists (高端化、智能化、绿色化): items between 、 that share a last character."""
    out: list[str] = []
    if "、" not in sentence:
        return out
    for group in re.findall(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+", sentence):
        items = group.split("、")
        inner = items[1:-1]
        first, last = items[0], items[-1]
        if inner and all(len(i) == 4 for i in inner):
            # four-character items side by side (稳中求进、以进促稳、先立后破): set phrases
            out += [*inner, first[-4:], last[:4]]
            continue
        if inner and len({i[:2] for i in inner}) == 1 and inner[0][:2] in first:
            # items that share their first word (冰雪运动、冰雪文化、冰雪康养): the outer ones are cut
            # where that word starts, to the width of the inner ones
            width = len(inner[0])
            head = first[first.rfind(inner[0][:2]) :]
            out += [i for i in [*inner, head, last[:width]] if i.startswith(inner[0][:2]) and 3 <= len(i) <= 6]
            continue
        ends = Counter(i[-1] for i in items)
        shared, n = ends.most_common(1)[0]
        if n < 2:
            continue
        width = len(inner[0]) if inner else 3
        for item in inner + [first[-width:], last[:width]]:
            if 2 <= len(item) <= 5 and item.endswith(shared):
                out.append(item)
    return out


def _name_shapes(sentence: str) -> set[str]:
    single, double = surnames()
    shapes = set()
    for i, ch in enumerate(sentence):
        if ch in single:
            shapes.update({sentence[i : i + 2], sentence[i : i + 3]})
        if sentence[i : i + 2] in double:
            shapes.update({sentence[i : i + 3], sentence[i : i + 4]})
    return shapes


def gather(text: str, known: Known | None = None) -> tuple[list[str], dict[str, Candidate]]:
    """The distinct sentences of a text and every candidate in them.

    `known` picks, from the one-off runs of 2..4 tokens (text: tokens), those to judge after all
    (a background corpus holds them as phrases, or their shape is a term's): they become
    candidates too, seen once.
    """
    # A sentence repeated word for word (boilerplate, a pasted-twice page) is counted once:
    # verbatim repeats make every phrase look cohesive and would crowd out real terms.
    sents = list(dict.fromkeys(sentences(text)))
    title_lines = {s for s in sents if len(s) <= 30 and not re.search(r"[。！？；,，]", s)}
    return sents, _gather(sents, title_lines, known)
