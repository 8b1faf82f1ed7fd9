"""Check that the policy glossary (glossary.tsv) is well-formed.

The glossary is edited by hand, so a stray tab, a missing tone number or a
duplicated term would otherwise only show up as a wrong flashcard. Run

    python -m learn.data.check_glossary [PATH]

to print one line per problem (exit 1) or a one-line summary (exit 0).
`check(path)` returns the same problems as a list for tests and other tools.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

GLOSSARY = Path(__file__).with_name("glossary.tsv")
HEADER = ("simplified", "pinyin", "english", "kind", "expansion", "note")
REQUIRED = ("simplified", "pinyin", "english", "kind")
KINDS = frozenset({"term", "slogan", "idiom"})
EXPANSION_SEPARATOR = "、"
ENGLISH_SEPARATOR = " | "

# Every toneless syllable of standard Mandarin, written as in numbered pinyin (ü as v).
SYLLABLES = frozenset(
    [
        "a",
        "ai",
        "an",
        "ang",
        "ao",
        "ba",
        "bai",
        "ban",
        "bang",
        "bao",
        "bei",
        "ben",
        "beng",
        "bi",
        "bian",
        "biao",
        "bie",
        "bin",
        "bing",
        "bo",
        "bu",
        "ca",
        "cai",
        "can",
        "cang",
        "cao",
        "ce",
        "cen",
        "ceng",
        "cha",
        "chai",
        "chan",
        "chang",
        "chao",
        "che",
        "chen",
        "cheng",
        "chi",
        "chong",
        "chou",
        "chu",
        "chua",
        "chuai",
        "chuan",
        "chuang",
        "chui",
        "chun",
        "chuo",
        "ci",
        "cong",
        "cou",
        "cu",
        "cuan",
        "cui",
        "cun",
        "cuo",
        "da",
        "dai",
        "dan",
        "dang",
        "dao",
        "de",
        "dei",
        "den",
        "deng",
        "di",
        "dia",
        "dian",
        "diao",
        "die",
        "ding",
        "diu",
        "dong",
        "dou",
        "du",
        "duan",
        "dui",
        "dun",
        "duo",
        "e",
        "ei",
        "en",
        "eng",
        "er",
        "fa",
        "fan",
        "fang",
        "fei",
        "fen",
        "feng",
        "fo",
        "fou",
        "fu",
        "ga",
        "gai",
        "gan",
        "gang",
        "gao",
        "ge",
        "gei",
        "gen",
        "geng",
        "gong",
        "gou",
        "gu",
        "gua",
        "guai",
        "guan",
        "guang",
        "gui",
        "gun",
        "guo",
        "ha",
        "hai",
        "han",
        "hang",
        "hao",
        "he",
        "hei",
        "hen",
        "heng",
        "hong",
        "hou",
        "hu",
        "hua",
        "huai",
        "huan",
        "huang",
        "hui",
        "hun",
        "huo",
        "ji",
        "jia",
        "jian",
        "jiang",
        "jiao",
        "jie",
        "jin",
        "jing",
        "jiong",
        "jiu",
        "ju",
        "juan",
        "jue",
        "jun",
        "ka",
        "kai",
        "kan",
        "kang",
        "kao",
        "ke",
        "kei",
        "ken",
        "keng",
        "kong",
        "kou",
        "ku",
        "kua",
        "kuai",
        "kuan",
        "kuang",
        "kui",
        "kun",
        "kuo",
        "la",
        "lai",
        "lan",
        "lang",
        "lao",
        "le",
        "lei",
        "leng",
        "li",
        "lia",
        "lian",
        "liang",
        "liao",
        "lie",
        "lin",
        "ling",
        "liu",
        "lo",
        "long",
        "lou",
        "lu",
        "luan",
        "lun",
        "luo",
        "lv",
        "lve",
        "ma",
        "mai",
        "man",
        "mang",
        "mao",
        "me",
        "mei",
        "men",
        "meng",
        "mi",
        "mian",
        "miao",
        "mie",
        "min",
        "ming",
        "miu",
        "mo",
        "mou",
        "mu",
        "na",
        "nai",
        "nan",
        "nang",
        "nao",
        "ne",
        "nei",
        "nen",
        "neng",
        "ni",
        "nian",
        "niang",
        "niao",
        "nie",
        "nin",
        "ning",
        "niu",
        "nong",
        "nou",
        "nu",
        "nuan",
        "nun",
        "nuo",
        "nv",
        "nve",
        "o",
        "ou",
        "pa",
        "pai",
        "pan",
        "pang",
        "pao",
        "pei",
        "pen",
        "peng",
        "pi",
        "pian",
        "piao",
        "pie",
        "pin",
        "ping",
        "po",
        "pou",
        "pu",
        "qi",
        "qia",
        "qian",
        "qiang",
        "qiao",
        "qie",
        "qin",
        "qing",
        "qiong",
        "qiu",
        "qu",
        "quan",
        "que",
        "qun",
        "ran",
        "rang",
        "rao",
        "re",
        "ren",
        "reng",
        "ri",
        "rong",
        "rou",
        "ru",
        "rua",
        "ruan",
        "rui",
        "run",
        "ruo",
        "sa",
        "sai",
        "san",
        "sang",
        "sao",
        "se",
        "sen",
        "seng",
        "sha",
        "shai",
        "shan",
        "shang",
        "shao",
        "she",
        "shei",
        "shen",
        "sheng",
        "shi",
        "shou",
        "shu",
        "shua",
        "shuai",
        "shuan",
        "shuang",
        "shui",
        "shun",
        "shuo",
        "si",
        "song",
        "sou",
        "su",
        "suan",
        "sui",
        "sun",
        "suo",
        "ta",
        "tai",
        "tan",
        "tang",
        "tao",
        "te",
        "tei",
        "teng",
        "ti",
        "tian",
        "tiao",
        "tie",
        "ting",
        "tong",
        "tou",
        "tu",
        "tuan",
        "tui",
        "tun",
        "tuo",
        "wa",
        "wai",
        "wan",
        "wang",
        "wei",
        "wen",
        "weng",
        "wo",
        "wu",
        "xi",
        "xia",
        "xian",
        "xiang",
        "xiao",
        "xie",
        "xin",
        "xing",
        "xiong",
        "xiu",
        "xu",
        "xuan",
        "xue",
        "xun",
        "ya",
        "yan",
        "yang",
        "yao",
        "ye",
        "yi",
        "yin",
        "ying",
        "yo",
        "yong",
        "you",
        "yu",
        "yuan",
        "yue",
        "yun",
        "za",
        "zai",
        "zan",
        "zang",
        "zao",
        "ze",
        "zei",
        "zen",
        "zeng",
        "zha",
        "zhai",
        "zhan",
        "zhang",
        "zhao",
        "zhe",
        "zhei",
        "zhen",
        "zheng",
        "zhi",
        "zhong",
        "zhou",
        "zhu",
        "zhua",
        "zhuai",
        "zhuan",
        "zhuang",
        "zhui",
        "zhun",
        "zhuo",
        "zi",
        "zong",
        "zou",
        "zu",
        "zuan",
        "zui",
        "zun",
        "zuo",
    ]
)

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SYLLABLE = re.compile(r"([a-z]+)([1-5])")
# A slogan that starts with a count (双碳, 三农, 六稳, 十四五) abbreviates a list.
COUNT_PREFIX = tuple("两双三四五六七八九十")


def is_han(text: str) -> bool:
    """True when `text` is non-empty and made of CJK ideographs only."""
    return HAN.fullmatch(text) is not None


def syllable_problem(syllable: str) -> str | None:
    """Why one numbered-pinyin syllable is invalid, or None if it is fine."""
    match = SYLLABLE.fullmatch(syllable)
    if match is None:
        return f"syllable {syllable!r} is not lowercase letters followed by a tone 1-5"
    if match.group(1) not in SYLLABLES:
        return f"syllable {syllable!r} is not a Mandarin syllable"
    return None


def is_abbreviation(simplified: str) -> bool:
    """Short slogans and counted slogans stand for a longer list and need an expansion."""
    return len(simplified) <= 3 or simplified.startswith(COUNT_PREFIX)


def row_problems(row: dict[str, str]) -> list[str]:
    """Problems of one row (already split into the six named fields)."""
    problems = [f"{name} is empty" for name in REQUIRED if not row[name].strip()]
    if problems:
        return problems
    for name, value in row.items():
        if value != value.strip():
            problems.append(f"{name} has leading or trailing spaces")
    simplified, pinyin = row["simplified"], row["pinyin"]
    if not is_han(simplified):
        problems.append(f"simplified {simplified!r} is not Han characters only")
    syllables = pinyin.split(" ")
    if "" in syllables:
        problems.append("pinyin must have exactly one space between syllables")
    else:
        problems += filter(None, map(syllable_problem, syllables))
        if len(syllables) != len(simplified):
            problems.append(f"pinyin has {len(syllables)} syllables for {len(simplified)} characters")
    if any(not alt.strip() for alt in row["english"].split(ENGLISH_SEPARATOR)):
        problems.append("english has an empty alternative")
    if row["kind"] not in KINDS:
        problems.append(f"kind {row['kind']!r} is not one of {', '.join(sorted(KINDS))}")
    problems += expansion_problems(row)
    return problems


def expansion_problems(row: dict[str, str]) -> list[str]:
    """An expansion lists Han items separated by 、; abbreviated slogans must have one."""
    expansion = row["expansion"]
    if not expansion:
        if row["kind"] == "slogan" and is_abbreviation(row["simplified"]):
            return ["abbreviated slogan has no expansion"]
        return []
    bad = [item for item in expansion.split(EXPANSION_SEPARATOR) if not is_han(item)]
    if bad:
        shown = ", ".join(repr(item) for item in bad)
        return [f"expansion items must be Han text separated by 、 (bad: {shown})"]
    return []


def check(path: str | Path = GLOSSARY) -> list[str]:
    """Every problem found in the glossary at `path`, one message each ("file:line: ...")."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        return [f"{path}: cannot read as UTF-8 text ({err.__class__.__name__})"]
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        return [f"{path}:1: header must be exactly: {' '.join(HEADER)} (tab-separated)"]
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        where = f"{path}:{number}"
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            problems.append(f"{where}: expected {len(HEADER)} tab-separated columns, got {len(fields)}")
            continue
        row = dict(zip(HEADER, fields, strict=False))
        problems += [f"{where}: {message}" for message in row_problems(row)]
        term = row["simplified"]
        if term in first_line:
            problems.append(f"{where}: duplicate term {term} (first on line {first_line[term]})")
        else:
            first_line[term] = number
    if not first_line and not problems:
        problems.append(f"{path}: no terms")
    return problems


def count_terms(path: str | Path = GLOSSARY) -> int:
    """Number of data rows (for the summary line)."""
    return len(Path(path).read_text(encoding="utf-8").splitlines()) - 1


def main(argv: list[str] | None = None) -> int:
    """Print the problems (exit 1) or a one-line summary (exit 0)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m learn.data.check_glossary [GLOSSARY.tsv]", file=sys.stderr)
        return 2
    path = Path(args[0]) if args else GLOSSARY
    problems = check(path)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{path}: OK, {count_terms(path)} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
