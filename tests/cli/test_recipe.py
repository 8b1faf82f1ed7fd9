"""Deck recipes: parsing, one-line errors that name file and line, teacher overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from learn.cli.recipe import Override, apply_overrides, load_recipe
from learn.entry import Entry, Example
from learn.errors import LearnError

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, body: str, name: str = "lesson.toml") -> Path:
    (folder / "text.txt").write_text("新质生产力是一个新词。", encoding="utf-8")
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(LearnError) as info:
        load_recipe(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_full_recipe_is_read(tmp_path):
    (tmp_path / "known.txt").write_text("发展\n", encoding="utf-8")
    path = write(
        tmp_path,
        """
name = "week-1"
title = "Week 1"
sources = ["text.txt"]
top = 12
standard = "hk"
known = "known.txt"
max_hsk = 3
cards = ["recall", "cloze"]
glossary = false

[handout]
top = 8
exercises = ["pinyin", "match"]
grid = 4
seed = 7
paper = "letter"
answer_key = false
script = "both"

[[override]]
term = "链长"
pinyin = "lian4 zhang3"
definitions = "chain leader"
note = "长 = zhǎng"

[[override]]
term = "澜江"
exclude = true
""",
    )
    r = load_recipe(path)
    assert (r.name, r.title, r.top, r.standard, r.max_hsk, r.glossary) == ("week-1", "Week 1", 12, "hk", 3, False)
    assert r.sources == [tmp_path / "text.txt"] and r.known == tmp_path / "known.txt"
    assert r.cards == ["recall", "cloze"]
    assert r.handout.enabled and r.handout.top == 8
    assert r.handout.options == {
        "exercises": ["pinyin", "matching"],
        "grid": 4,
        "seed": 7,
        "paper": "letter",
        "answer_key": False,
        "variant": "both",  # make_handout's keyword for the script
    }
    assert not r.notes
    first, second = r.overrides
    assert (first.term, first.pinyin, first.definitions, first.note, first.line) == (
        "链长",
        "lian4 zhang3",
        ["chain leader"],
        "长 = zhǎng",
        21,
    )
    assert second.exclude and second.line == 27


def test_old_key_names_still_work_with_a_note(tmp_path):
    """`variant` was the standard at the top and the script in [handout]; both are still read."""
    path = write(tmp_path, 'sources = ["text.txt"]\nvariant = "hk"\n\n[handout]\nvariant = "both"\n')
    r = load_recipe(path)
    assert r.standard == "hk" and r.handout.options == {"variant": "both"}
    assert r.notes == [
        f"{path}:2: 'variant' is now 'standard'; the old name still works for now",
        f"{path}:5: 'variant' in [handout] is now 'script'; the old name still works for now",
    ]


def test_defaults(tmp_path):
    r = load_recipe(write(tmp_path, 'sources = ["text.txt"]\n', name="plain.toml"))
    assert (r.name, r.title, r.top, r.standard, r.known, r.max_hsk) == ("plain", "plain", 50, "tw", None, None)
    assert r.cards == ["recognition", "recall", "context", "cloze"] and not r.handout.enabled and not r.overrides


def test_handout_grid_zero_means_no_writing_practice(tmp_path):
    r = load_recipe(write(tmp_path, 'sources = ["text.txt"]\n[handout]\ngrid = 0\n'))
    assert r.handout.enabled and r.handout.options == {"grid": 0}


def test_name_defaults_to_a_file_name_safe_form_of_the_recipe_name(tmp_path):
    r = load_recipe(write(tmp_path, 'sources = ["text.txt"]\n', name="week 1 (draft).toml"))
    assert r.name == "week-1-draft" and r.title == "week-1-draft"


def test_a_source_named_twice_is_read_once(tmp_path):
    r = load_recipe(write(tmp_path, 'sources = ["text.txt", "text.txt"]\n'))
    assert r.sources == [tmp_path / "text.txt"]


def test_a_source_may_be_a_folder_of_texts_but_known_may_not(tmp_path):
    (tmp_path / "texts").mkdir()
    r = load_recipe(write(tmp_path, 'sources = ["texts"]\n'))
    assert r.sources == [tmp_path / "texts"]
    path = write(tmp_path, 'sources = ["text.txt"]\nknown = "texts"\n')
    assert ":2: known-words file is a folder, not a file" in error_of(path)


def test_shipped_sample_recipe_is_valid():
    r = load_recipe(ROOT / "decks" / "sample.toml")
    assert r.name == "sample" and r.sources == [ROOT / "decks" / "sample.txt"]
    assert r.handout.enabled and any(o.exclude for o in r.overrides) and any(o.definitions for o in r.overrides)


@pytest.mark.parametrize(
    "body, expected",
    [
        ('name = "x"\nsources = ["text.txt"\ntop = 3\n', ":3: "),  # broken TOML, line named
        ('sources = ["text.txt"]\ntop = "forty"\n', ":2: 'top' must be a whole number"),
        ('sources = ["text.txt"]\ntop = 0\n', ":2: 'top' must be a whole number of at least 1"),
        ('sources = ["text.txt"]\nglossary = "yes"\n', ":2: 'glossary' must be true or false"),
        ('sources = ["text.txt"]\n\ncolour = "red"\n', ":3: unknown key 'colour'"),
        ('sources = ["text.txt"]\nstandard = "cn"\n', ":2: 'standard' must be one of tw, hk, t"),
        ('sources = ["text.txt"]\nvariant = "cn"\n', ":2: 'variant' must be one of tw, hk, t"),  # the old name
        ('sources = ["text.txt"]\nvariant = "hk"\nstandard = "hk"\n', ":2: 'variant' and 'standard' are the same"),
        ('sources = ["text.txt"]\ncards = ["recall", "flash"]\n', ":2: unknown card type 'flash'"),
        ('sources = ["text.txt"]\ncards = []\n', ":2: no card type given"),
        ('sources = ["text.txt"]\ncards = ["recall", ""]\n', ":2: 'cards' must be a list of card types"),
        ('sources = ["text.txt"]\nmax_hsk = 9\n', ":2: 'max_hsk' must be a whole number from 1 to 7"),
        ("top = 3\n", ": 'sources' is missing"),
        ('sources = ["nope.txt"]\n', ":1: source not found"),
        ('sources = ["text.txt"]\nknown = "nope.txt"\n', ":2: known-words file not found"),
        ('name = "../escape"\nsources = ["text.txt"]\n', ":1: 'name' is used as a file name"),
        ('sources = ["text.txt"]\n[handout]\ngrid = true\n', ":3: 'grid' must be a whole number"),
        ('sources = ["text.txt"]\n[handout]\nsize = 3\n', ":3: unknown key 'size' in [handout]"),
        ('sources = ["text.txt"]\n[handout]\nexercises = ["sudoku"]\n', ":3: unknown exercise 'sudoku'"),
        ('sources = ["text.txt"]\n[handout]\npaper = "a3"\n', ":3: 'paper' must be one of a4, letter"),
        ('sources = ["text.txt"]\n[handout]\nvariant = "tw"\n', ":3: 'variant' must be one of simplified"),
        ('sources = ["text.txt"]\n[handout]\nscript = "tw"\n', ":3: 'script' must be one of simplified"),
        ('sources = ["text.txt"]\n[[override]]\npinyin = "a1"\n', ":2: [[override]] needs a 'term'"),
        ('sources = ["text.txt"]\n[[override]]\nterm = "链长"\n', ":2: override for '链长' changes nothing"),
        (
            'sources = ["text.txt"]\n[[override]]\nterm = "链长"\nexclude = true\n[[override]]\nterm = "x"\nreading = "a"\n',
            ":7: unknown key 'reading' in [[override]]",
        ),
        (
            'sources = ["text.txt"]\n[[override]]\nterm = "链长"\npinyin = "liànzhǎng"\n',
            ":2: override for '链长': pinyin 'liànzhǎng' has 1 syllables for 2 characters",
        ),
        (
            'sources = ["text.txt"]\n[[override]]\nterm = "链长"\npinyin = "lian9 zhang"\n',
            ":2: override for '链长': cannot read pinyin",
        ),
    ],
)
def test_malformed_recipes_name_file_and_line(tmp_path, body, expected):
    path = write(tmp_path, body)
    message = error_of(path)
    assert message.startswith(str(path)) and expected in message, message


def test_missing_and_unreadable_recipe_files(tmp_path):
    assert "no such recipe file" in error_of(tmp_path / "absent.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes("name = 'caf\xe9'".encode("latin-1"))
    assert "not valid UTF-8" in error_of(bad)


# ---------------------------------------------------------------------------- overrides


def _entry(simplified: str, pinyin: str, numbered: str, **kw) -> Entry:
    return Entry(simplified=simplified, pinyin=pinyin, pinyin_numbered=numbered, **kw)


def test_overrides_correct_exclude_and_keep_the_original_key():
    wrong = _entry(
        "重点产业链",
        "chóng diǎn chǎn yè liàn",
        "chong2 dian3 chan3 ye4 lian4",
        traditional="重點產業鏈",
        zhuyin="ㄔㄨㄥˊ ㄉㄧㄢˇ ㄔㄢˇ ㄧㄝˋ ㄌㄧㄢˋ",
        definitions=["to recount"],
        gloss_source="composed",
        examples=[Example("壮大重点产业链。", "zhuàng dà chóng diǎn chǎn yè liàn", "壯大重點產業鏈。")],
    )
    city = _entry("澜江", "lán jiāng", "lan2 jiang1")
    other = _entry("链长", "liàn zhǎng", "lian4 zhang3", traditional="鏈長")
    overrides = [
        Override("重点产业链", pinyin="zhòng diǎn chǎn yè liàn", definitions=["key industrial chain"]),
        Override("澜江", exclude=True),
        Override("鏈長", note="a teacher's note", traditional="鍊長"),  # matched on the traditional form
        Override("不在", exclude=True),
    ]
    out, guid_keys, notes, used = apply_overrides([wrong, city, other], overrides)
    assert [e.simplified for e in out] == ["重点产业链", "链长"]
    fixed = out[0]
    assert (fixed.pinyin, fixed.pinyin_numbered) == ("zhòng diǎn chǎn yè liàn", "zhong4 dian3 chan3 ye4 lian4")
    assert fixed.zhuyin.split()[0] == "ㄓㄨㄥˋ"
    assert fixed.definitions == ["key industrial chain"] and fixed.gloss_source == "teacher"
    assert fixed.examples[0].pinyin == "zhuàng dà zhòng diǎn chǎn yè liàn"
    assert guid_keys == {fixed.key: wrong.key}
    assert out[1].traditional == "鍊長" and notes == {out[1].key: "a teacher's note"}
    assert used == {"重点产业链", "澜江", "鏈長"}
    assert wrong.pinyin == "chóng diǎn chǎn yè liàn"  # the extracted entry itself is not changed


def test_numbered_pinyin_with_u_umlaut_is_read():
    e = _entry("绿色化", "lǜ sè huà", "lv4 se4 hua4")
    out, keys, _, _ = apply_overrides([e], [Override("绿色化", pinyin="lu:4 se4 hua5")])
    assert out[0].pinyin == "lǜ sè hua" and out[0].pinyin_numbered == "lv4 se4 hua5"
    assert keys == {out[0].key: e.key}
