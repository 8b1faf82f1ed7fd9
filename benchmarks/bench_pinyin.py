"""Sentence pinyin on a public benchmark nobody here wrote: CPP (Park & Lee, Interspeech 2020).

Each CPP sentence marks one polyphonic character with ▁ on both sides; the .lb file gives its gold
reading. Every reader reads the whole sentence (as a card or handout line is read) and is scored on
the marked character only, after one normalisation: tone digits, ü as v, neutral tone 5.
"Lenient" also accepts a neutral tone for a full one and the other way round (关系 xi/xì).

Readers, side by side in one run:
  ours        learn's sentence reader
  pypinyin    pypinyin with its phrase table (how most programs call it)
  chars       pypinyin one character at a time (no phrases: what learn used to fall back on)
  g2pm        the g2pM package (a Bi-LSTM trained on CPP's train split, model inside the package)
  majority    each character's most common reading, counted on the dev split (not on dev itself)

The data is not copied into the project; pass where a copy lives: a folder holding
{train,dev,test}.{sent,lb} (the repository's data/), or the repository's git directory, read with
`git show HEAD:data/...`. The repository is under Apache-2.0. A copy may lack train.sent (the largest
file): develop on dev, report test once.

usage: python benchmarks/bench_pinyin.py CPP [--split dev|test|train] [--readers ours,pypinyin,...]
                                             [--limit N] [--misses N]
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

MARK = "▁"
ROOT = Path(__file__).resolve().parents[1]
Reader = Callable[[str], list[str]]  # a sentence → one numbered reading per character ("" when none)


def read_split(source: Path, split: str) -> list[tuple[str, int, str]]:
    """(sentence without marks, index of the marked character, gold reading) for every line."""
    sents, labels = (_text(source, f"{split}.{ext}").splitlines() for ext in ("sent", "lb"))
    if len(sents) != len(labels):
        sys.exit(f"bench_pinyin: {split}.sent has {len(sents)} lines, {split}.lb {len(labels)}")
    out = []
    for line, label in zip(sents, labels, strict=True):
        at = line.find(MARK)
        if at < 0 or line[at + 2 : at + 3] != MARK:
            continue
        out.append((line.replace(MARK, ""), at, normalise(label)))
    return out


def _text(source: Path, name: str) -> str:
    """One data file, from a plain folder or from a git directory's HEAD."""
    for folder in (source, source / "data"):
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    if (source / "HEAD").is_file() and (source / "objects").is_dir():
        done = subprocess.run(
            ["git", f"--git-dir={source}", "show", f"HEAD:data/{name}"], capture_output=True, text=True
        )
        if done.returncode == 0:
            return done.stdout
    sys.exit(f"bench_pinyin: {name} not found in {source} (a folder of CPP files or the g2pM git directory)")


_MARKS = {
    m: (base, n)
    for base, marks in {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "v": "ǖǘǚǜ"}.items()
    for n, m in enumerate(marks, 1)
}


def normalise(syllable: str) -> str:
    """lu:4 / lǜ / LV4 / zi → lv4 / lv4 / lv4 / zi5: numbered, ü as v, neutral tone 5."""
    s, tone = unicodedata.normalize("NFC", syllable.strip().lower()).replace("u:", "v").replace("ü", "v"), 0
    if s[-1:].isdigit():
        return s if s[-1] in "12345" else s[:-1] + "5"
    plain = []
    for ch in s:
        base, n = _MARKS.get(ch, (ch, 0))
        plain.append(base)
        tone = n or tone
    return "".join(plain) + str(tone or 5)


def lenient_equal(a: str, b: str) -> bool:
    """Equal, or the same syllable where one of the two has the neutral tone."""
    return a == b or (a[:-1] == b[:-1] and "5" in (a[-1], b[-1]))


# ---- readers -------------------------------------------------------------------------------


def pypinyin_reader(phrases: bool) -> Reader:
    """pypinyin as programs call it (phrase table on), or one character at a time (no phrases)."""
    from pypinyin import Style, lazy_pinyin

    def read(sentence: str) -> list[str]:
        out = lazy_pinyin(
            sentence if phrases else list(sentence),
            style=Style.TONE3,
            neutral_tone_with_five=True,
            errors=lambda x: ["-"] * len(x),
        )
        return [x if x != "-" else "" for x in out] if len(out) == len(sentence) else [""] * len(sentence)

    return read


def g2pm_reader() -> Reader:
    from g2pM import G2pM

    model = G2pM()

    def read(sentence: str) -> list[str]:
        out = model(sentence, char_split=True, tone=True)
        return out if len(out) == len(sentence) else [""] * len(sentence)

    return read


def majority_reader(counted_on: list[tuple[str, int, str]]) -> Reader:
    """Each character's most common gold reading in another split; the marked character only."""
    votes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for sentence, at, gold in counted_on:
        votes[sentence[at]][gold] += 1
    best = {ch: c.most_common(1)[0][0] for ch, c in votes.items()}
    return lambda sentence: [best.get(ch, "") for ch in sentence]


def ours_reader() -> Reader:
    """learn's sentence reader: per-character readings when the module offers them, else its
    tone-mark line aligned back onto the characters."""
    sys.path.insert(0, str(ROOT))
    try:
        from learn.language import pinyin  # the layout after issue 21
    except ImportError:
        from learn import pinyin  # type: ignore[no-redef]
    per_char = getattr(pinyin, "sentence_readings", None)
    if per_char is not None:
        return lambda sentence: list(per_char(sentence))
    return lambda sentence: align(sentence, pinyin.sentence_syllables(sentence))


def ours_many() -> Callable[[list[str]], list[list[str]]] | None:
    """learn's reader of many sentences at once (the model reads them side by side), if it has one."""
    try:
        from learn.language import pinyin
    except ImportError:
        return None
    return getattr(pinyin, "read_sentences", None)


_SYLLABLE = re.compile(r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def align(sentence: str, line: str) -> list[str]:
    """Give each Han character of `sentence` its syllable in a tone-mark `line` (non-Han text is
    written as it is in the line, so it is stepped over)."""
    out, j = [], 0
    for ch in sentence:
        while j < len(line) and line[j].isspace():
            j += 1
        if _is_han(ch):
            m = _SYLLABLE.match(line, j)
            out.append(m.group() if m else "")
            j = m.end() if m else j
        else:
            out.append("")
            j += int(j < len(line) and line[j] == ch)
    return out


# ---- scoring -------------------------------------------------------------------------------


def score(
    name: str,
    reader: Reader,
    rows: list[tuple[str, int, str]],
    misses: int,
    many: Callable[[list[str]], list[list[str]]] | None = None,
) -> tuple[float, float, float, float]:
    """(strict %, lenient %, sentences/s, sentences per CPU second) of one reader (`many`: its way
    of reading all sentences at once); prints up to `misses` misses."""
    strict = lenient = 0
    shown = 0
    start, cpu = time.perf_counter(), time.process_time()
    sentences = [sentence for sentence, _, _ in rows]
    answers = many(sentences) if many else [reader(sentence) for sentence in sentences]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    for (sentence, at, gold), got in zip(rows, answers, strict=True):
        guess = normalise(got[at]) if at < len(got) and got[at] else ""
        strict += guess == gold
        lenient += bool(guess) and lenient_equal(guess, gold)
        if guess != gold and shown < misses:
            shown += 1
            print(
                f"  miss {name}: {sentence[max(0, at - 12) : at]}[{sentence[at]}]{sentence[at + 1 : at + 13]}"
                f"  gold {gold}, read {guess or '-'}"
            )
    n = max(1, len(rows))
    return (
        100 * strict / n,
        100 * lenient / n,
        len(rows) / seconds if seconds else float("inf"),
        len(rows) / cpu if cpu else float("inf"),
    )


def readers(names: list[str], source: Path, split: str) -> Iterator[tuple[str, Reader]]:
    # pypinyin first: an older learn set PYPINYIN_NO_PHRASES on import, which would empty the
    # phrase table of a pypinyin imported after it
    ordered = sorted(names, key=lambda n: n not in ("pypinyin", "chars"))
    for name in ordered:
        if name == "pypinyin":
            yield name, pypinyin_reader(phrases=True)
        elif name == "chars":
            yield name, pypinyin_reader(phrases=False)
        elif name == "g2pm":
            yield name, g2pm_reader()
        elif name == "ours":
            yield name, ours_reader()
        elif name == "majority":
            if split == "dev":
                print("  (majority skipped: it is counted on dev)")
                continue
            yield name, majority_reader(read_split(source, "dev"))
        else:
            sys.exit(f"bench_pinyin: unknown reader {name!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cpp", type=Path, help="folder with {split}.sent/.lb, or the g2pM git directory")
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--readers", default="ours,pypinyin,chars,g2pm,majority")
    parser.add_argument("--limit", type=int, default=0, help="the first N sentences only")
    parser.add_argument("--misses", type=int, default=0, help="print the first N misses of each reader")
    args = parser.parse_args(argv)
    if "pypinyin" in sys.modules:
        print("note: pypinyin was imported before this benchmark started")
    rows = read_split(args.cpp, args.split)
    rows = rows[: args.limit] if args.limit else rows
    print(f"CPP {args.split}: {len(rows):,} sentences, one marked polyphone each")
    results = []
    for name, reader in readers([n.strip() for n in args.readers.split(",") if n.strip()], args.cpp, args.split):
        many = ours_many() if name == "ours" else None
        results.append((name, *score(name, reader, rows, args.misses, many)))
    print(f"{'reader':<10} {'strict':>8} {'lenient':>8} {'sentences/s':>12} {'per CPU s':>10}")
    for name, strict, lenient, speed, cpu in results:
        shown = ("—", "—") if name == "majority" else (f"{speed:,.0f}", f"{cpu:,.0f}")
        print(f"{name:<10} {strict:7.2f}% {lenient:7.2f}% {shown[0]:>12} {shown[1]:>10}")
    print(
        "(sentences/s is wall time on this machine; per CPU s counts this process's CPU time only,"
        " steadier when other work shares the machine)"
    )


if __name__ == "__main__":
    main()
