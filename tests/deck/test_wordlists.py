"""Pleco flashcard files (Skritter imports them too) and other tools' word lists: `learn extract
--format pleco` and `learn deck --pleco` keep every documented rule of Pleco's format, read back
like a file exported from Pleco (tests/data/pleco-export.txt, written by hand from Pleco's
documentation), and `--known` reads Pleco's text and XML exports and a Skritter CSV word list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learn.cli import main
from learn.cli.known import read_known
from learn.deck import wordlists
from learn.entry import Entry

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT / "decks" / "sample.txt"
HAN = re.compile(r"[\u3400-\u9fff]")
SYLLABLE = re.compile(r"[a-zü]+[1-5]", re.I)


def broken_rules(text: str) -> list[str]:
    """Every way `text` breaks Pleco's flashcard text format (the rules in learn/deck/wordlists.py)."""
    problems = []
    if not text.endswith("\n"):
        problems.append("the file does not end with a line end")
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("//"):
            if not line[2:].strip():
                problems.append(f"{n}: empty category")
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            problems.append(f"{n}: {len(fields)} tab-separated fields, not headword, pinyin, definition")
            continue
        head, pinyin, _definition = fields
        match = re.fullmatch(r"([^\[\]\s]+)\[([^\[\]\s]+)\]", head)
        if not match:
            problems.append(f"{n}: headword {head!r} is not simplified[traditional]")
        elif len(match[1]) != len(match[2]):
            problems.append(f"{n}: the two forms of {head!r} differ in length")
        elif len("".join(SYLLABLE.findall(pinyin))) != len(pinyin) or " " in pinyin:
            problems.append(f"{n}: pinyin {pinyin!r} is not tone-numbered syllables run together")
        elif len(SYLLABLE.findall(pinyin)) != len(HAN.findall(match[1])):
            problems.append(f"{n}: {len(SYLLABLE.findall(pinyin))} syllables for {head!r}")
        elif "v" in pinyin.lower():
            problems.append(f"{n}: ü written v in {pinyin!r}")
    return problems


def test_the_hand_written_pleco_export_follows_the_rules_the_checker_encodes() -> None:
    """The checker is right about Pleco's own files: an export written from the documentation passes."""
    assert broken_rules((DATA / "pleco-export.txt").read_text(encoding="utf-8")) == []
    assert broken_rules("新质生产力\txin1 zhi4\tnew\n") != []  # no traditional form, spaced pinyin
    assert broken_rules("绿色[綠色]\tlv4se4\tgreen\n") == ["1: ü written v in 'lv4se4'"]


def test_learn_extract_format_pleco_keeps_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE), "--top", "25", "--format", "pleco"]) == 0
    text = capsys.readouterr().out
    assert broken_rules(text) == []
    assert text.splitlines()[0] == "// sample"  # a category named after the source
    cards = wordlists.read_pleco(text)
    assert len(cards) == 25 and all(c.category == "sample" for c in cards)
    coinage = next(c for c in cards if c.simplified == "新质生产力")  # the sample's coinage, in its top 25
    assert (coinage.traditional, coinage.pinyin) == ("新質生產力", "xin1zhi4sheng1chan3li4")
    assert coinage.definition == "new quality productive forces"


def test_cards_are_written_as_pleco_writes_them() -> None:
    entries = [
        Entry(
            "绿色",
            "綠色",
            "lǜ sè",
            "lv4 se4",
            definitions=["green", "environmentally\tfriendly\nalso"],
            source="news/a b.txt",
        ),
        Entry("什么", "什麼", "shén me", "shen2 me5", definitions=["what"], source="news/a b.txt"),
        Entry(
            "模速空间",
            "模速空間",
            "mó sù kōng jiān",
            "mo2 su4 kong1 jian1",
            definitions=["imitate + fast"],
            gloss_source="composed",
            source="other.txt",
        ),
        Entry("绿色", "綠色", "lǜ sè", "lv4 se4", source="other.txt"),  # the same word again: one card
    ]
    text = wordlists.pleco_text(entries)
    assert text == (
        "// a b\n"
        "绿色[綠色]\tlü4se4\tgreen; environmentally friendly also\n"
        "什么[什麼]\tshen2me5\twhat\n"
        "// other\n"
        "模速空间[模速空間]\tmo2su4kong1jian1\t≈ imitate + fast\n"
    )
    assert broken_rules(text) == []


def test_our_file_reads_back_like_a_pleco_export() -> None:
    ours = wordlists.read_pleco(
        wordlists.pleco_text([Entry("发展", "發展", "fā zhǎn", "fa1 zhan3", definitions=["develop"], source="x.txt")])
    )
    theirs = [c for c in wordlists.read_pleco((DATA / "pleco-export.txt").read_text(encoding="utf-8"))]
    assert [c.category for c in theirs] == ["政策词汇/第一课"] * 3 + ["政策词汇/第二课"] * 2
    mine, pleco = ours[0], next(c for c in theirs if c.simplified == "发展")
    assert (mine.simplified, mine.traditional, mine.pinyin) == (pleco.simplified, pleco.traditional, pleco.pinyin)


def test_learn_deck_also_writes_a_pleco_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pleco = tmp_path / "words.txt"
    deck = tmp_path / "words.apkg"
    assert main(["deck", str(SAMPLE), "-o", str(deck), "--top", "12", "--pleco", str(pleco)]) == 0
    assert f"→ {deck}, {pleco}" in capsys.readouterr().err
    assert deck.is_file() and broken_rules(pleco.read_text(encoding="utf-8")) == []
    assert len(wordlists.read_pleco(pleco.read_text(encoding="utf-8"))) == 12
    with pytest.raises(SystemExit):
        main(["deck", str(SAMPLE), "-o", str(deck), "--pleco", str(tmp_path / "words.csv")])
    assert "must end in .txt" in capsys.readouterr().err


def test_known_reads_a_pleco_text_export() -> None:
    words = read_known(str(DATA / "pleco-export.txt"))
    assert {"新质生产力", "新質生產力", "绿色", "綠色", "先立后破", "发展", "發展"} <= words
    assert not any(w.startswith("//") or "\t" in w for w in words)


def test_known_reads_a_pleco_xml_export_and_a_skritter_csv() -> None:
    assert read_known(str(DATA / "pleco-export.xml")) >= {"专精特新", "專精特新", "高质量发展", "高質量發展"}
    skritter = read_known(str(DATA / "skritter-words.csv"))
    assert skritter == {"數智化", "数智化", "傳統產業", "传统产业"}  # traditional list, simplified forms too
    assert "Writing" not in skritter


def test_known_words_from_other_tools_leave_the_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def terms(*extra: str) -> list[str]:
        assert main(["extract", str(SAMPLE), "--top", "25", "--format", "pleco", *extra]) == 0
        return [c.simplified for c in wordlists.read_pleco(capsys.readouterr().out)]

    plain = terms()
    assert {"新质生产力", "数智化", "传统产业"} <= set(plain)
    assert "新质生产力" not in terms("--known", str(DATA / "pleco-export.txt"))
    left = terms("--known", str(DATA / "skritter-words.csv"))
    assert "数智化" not in left and "传统产业" not in left and "新质生产力" in left


def test_a_broken_pleco_xml_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<plecoflash><cards><card>", encoding="utf-8")
    assert main(["extract", str(SAMPLE), "--known", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a readable Pleco XML export" in err
