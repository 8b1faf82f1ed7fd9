"""Pinyin answer normalisation: which typed readings count as right, and what a near miss says."""

from __future__ import annotations

import pytest

from learn.quiz.answers import check_pinyin, is_pinyin, split_numbered, to_marks

XINZHI = "xin1 zhi4"
LVSE = "lv4 se4"

ACCEPTED = [
    ("xin1zhi4", XINZHI),
    ("xin1 zhi4", XINZHI),
    ("xīnzhì", XINZHI),
    ("xīn zhì", XINZHI),
    ("Xin1Zhi4", XINZHI),
    ("XĪN ZHÌ", XINZHI),
    ("  xin1  zhi4 ", XINZHI),
    ("xin1-zhi4", XINZHI),
    ("ｘｉｎ１ｚｈｉ４", XINZHI),  # full-width input method output
    ("lv4", "lv4"),
    ("lü4", "lv4"),
    ("lu:4", "lv4"),
    ("lǜ", "lv4"),
    ("LÜ4", "lv4"),
    ("lv4se4", LVSE),
    ("lǜsè", LVSE),
    ("lu:4 se4", LVSE),
    ("nv3er2", "nv3 er2"),
    ("nü3'ér", "nv3 er2"),
    ("qu4", "qu4"),
    ("qü4", "qu4"),  # ü after q is written u
    ("de5", "de5"),
    ("de", "de5"),
    ("de0", "de5"),  # neutral tone: 5, 0 or no digit
    ("qia3bo2zi5", "qia3 bo2 zi5"),
    ("qia3bo2zi", "qia3 bo2 zi5"),
    ("qiǎ bó zi", "qia3 bo2 zi5"),
    ("xi1an1", "xi1 an1"),
    ("xī'ān", "xi1 an1"),
    ("xian1", "xian1"),
]

REJECTED = [
    ("xin1zi4", XINZHI),
    ("xing1zhi4", XINZHI),
    ("xin1", XINZHI),
    ("xin1zhi4zhi4", XINZHI),
    ("lu4", "lv4"),
    ("lu4se4", LVSE),
    ("", XINZHI),
    ("   ", XINZHI),
    ("新质", XINZHI),
    ("xin1zhi9", XINZHI),
]

TONES_ONLY = [
    ("xin1zhi2", XINZHI),
    ("xīnzhí", XINZHI),
    ("xin4 zhi1", XINZHI),
    ("xinzhi", XINZHI),
    ("lv3se4", LVSE),
    ("qia3bo2zi3", "qia3 bo2 zi5"),
    ("de1", "de5"),
]


@pytest.mark.parametrize("typed, numbered", ACCEPTED)
def test_accepted(typed: str, numbered: str) -> None:
    verdict = check_pinyin(typed, numbered)
    assert verdict.correct, (typed, verdict.message)


@pytest.mark.parametrize("typed, numbered", REJECTED)
def test_rejected(typed: str, numbered: str) -> None:
    verdict = check_pinyin(typed, numbered)
    assert not verdict.correct and not verdict.tones_only, (typed, verdict.message)


@pytest.mark.parametrize("typed, numbered", TONES_ONLY)
def test_right_syllables_wrong_tones(typed: str, numbered: str) -> None:
    verdict = check_pinyin(typed, numbered)
    assert not verdict.correct and verdict.tones_only
    assert verdict.message.startswith("Right syllables, wrong tones")


def test_near_miss_names_the_syllable_and_both_readings() -> None:
    message = check_pinyin("xin1zhi2", XINZHI).message
    assert "syllable 2" in message and "xīn zhí" in message and "xīn zhì" in message
    assert "no tones typed" in check_pinyin("xinzhi", XINZHI).message


def test_wrong_answer_shows_the_reading() -> None:
    assert "lǜ sè" in check_pinyin("lu4se4", LVSE).message


def test_wrong_answer_shows_what_the_learner_typed() -> None:
    """Issue 23: a wrong pinyin answer showed only the right one; the tones-only message already
    showed both. Now every wrong answer says what was typed."""
    assert check_pinyin("lu4 se4", LVSE).message == "Not quite: you wrote “lu4 se4”, it is lǜ sè."
    assert "you wrote “xin zi”" in check_pinyin("  xin   zi ", XINZHI).message
    long = check_pinyin("a" * 100, LVSE).message
    assert "you wrote “" + "a" * 39 + "…”" in long and len(long) < 80


@pytest.mark.parametrize(
    "numbered, marked",
    [
        ("xin1 zhi4 sheng1 chan3 li4", "xīn zhì shēng chǎn lì"),
        ("lv4 se4", "lǜ sè"),
        ("gou3", "gǒu"),
        ("hui4", "huì"),
        ("liu2", "liú"),
        ("nv3 er2", "nǚ ér"),
        ("zi5", "zi"),
        ("xue2", "xué"),
        ("r5", "r"),
    ],
)
def test_to_marks(numbered: str, marked: str) -> None:
    assert to_marks(split_numbered(numbered)) == marked


def test_is_pinyin() -> None:
    assert is_pinyin("xin1 zhi4") and is_pinyin("lu:4") and is_pinyin("de")
    assert not is_pinyin("") and not is_pinyin("5G") and not is_pinyin("xin1 G")


WORDS = [
    "新质生产力",
    "绿色",
    "女儿",
    "旅游",
    "去年",
    "学习",
    "略微",
    "均衡",
    "全面",
    "需要",
    "因地制宜",
    "卡脖子",
    "银发经济",
    "一哄而上",
    "先立后破",
    "产业链",
    "高质量发展",
    "东西",
    "朋友",
    "西安",
    "而且",
    "恩爱",
    "专精特新",
]


@pytest.mark.parametrize("word", WORDS)
def test_pypinyin_spellings_are_accepted(word: str) -> None:
    """What an input method or a dictionary prints (pypinyin as the independent oracle) counts as right."""
    from pypinyin import Style, lazy_pinyin

    numbered = " ".join(lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True))
    marked = lazy_pinyin(word, style=Style.TONE)
    for typed in (
        " ".join(marked),
        "".join(marked),
        "".join(marked).upper(),
        numbered.replace(" ", ""),
        numbered.replace("v", "ü"),
        numbered.replace("v", "u:"),
    ):
        assert check_pinyin(typed, numbered).correct, (word, typed)
    first = numbered.split()
    first[0] = first[0][:-1] + ("1" if first[0][-1] != "1" else "2")
    assert check_pinyin(" ".join(first), numbered).tones_only
