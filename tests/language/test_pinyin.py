"""Readings: polyphones inside unknown compounds, the three spellings, citation tones."""

import pytest

from learn.language.notation import marks_to_numbered, numbered_to_marks, numbered_to_zhuyin, spellings
from learn.language.pinyin import read_term

POLYPHONES = [
    ("银发经济", "yin2 fa4 jing1 ji4"),
    ("链长制", "lian4 zhang3 zhi4"),
    ("的士", "di1 shi4"),
    ("卡脖子", "qia3 bo2 zi5"),
    ("一哄而上", "yi1 hong4 er2 shang4"),
    ("重复建设", "chong2 fu4 jian4 she4"),
    ("着力点", "zhuo2 li4 dian3"),
    ("全要素生产率", "quan2 yao4 su4 sheng1 chan3 lv4"),
    ("新质生产力", "xin1 zhi4 sheng1 chan3 li4"),
    ("一把钥匙开一把锁", "yi1 ba3 yao4 shi5 kai1 yi1 ba3 suo3"),
    ("有所为有所不为", "you3 suo3 wei2 you3 suo3 bu4 wei2"),
    ("战略性新兴产业", "zhan4 lve4 xing4 xin1 xing1 chan3 ye4"),
    ("变废为宝", "bian4 fei4 wei2 bao3"),  # 为 third of four is wéi in set phrases
    ("千行百业", "qian1 hang2 bai3 ye4"),  # 千…百… parallel: 行 reads as in 行业
    ("七上八下", "qi1 shang4 ba1 xia4"),
    ("地方政府专项债", "di4 fang1 zheng4 fu3 zhuan1 xiang4 zhai4"),  # 地方 leading: dìfāng "local"
]


@pytest.mark.parametrize("term,expected", POLYPHONES)
def test_polyphones_follow_the_word(term, expected):
    assert " ".join(read_term(term)) == expected


def test_spellings_marks_numbers_zhuyin():
    marks, numbered, zhuyin = spellings(["lv4", "se4", "zi5", "xin1"])
    assert marks == "lǜ sè zi xīn"
    assert numbered == "lv4 se4 zi5 xin1"
    assert zhuyin.split() == ["ㄌㄩˋ", "ㄙㄜˋ", "˙ㄗ", "ㄒㄧㄣ"]


@pytest.mark.parametrize(
    "numbered,marks",
    [
        ("xin1", "xīn"),
        ("lve4", "lüè"),
        ("gou3", "gǒu"),
        ("gui4", "guì"),
        ("liu2", "liú"),
        ("er2", "ér"),
        ("zi5", "zi"),
        ("nv3", "nǚ"),
    ],
)
def test_tone_mark_placement_round_trips(numbered, marks):
    assert numbered_to_marks(numbered) == marks
    assert marks_to_numbered(marks) == numbered


def test_zhuyin_neutral_tone_has_dot():
    assert numbered_to_zhuyin("zi5") == "˙ㄗ"  # the neutral-tone dot first, as Taiwan writes it
    assert numbered_to_zhuyin("de5") == "˙ㄉㄜ" and numbered_to_zhuyin("r5") == "˙ㄦ"
    assert numbered_to_zhuyin("zhi4") == "ㄓˋ"


def test_sentence_pinyin_keeps_latin_and_symbols_as_written():
    from learn.language.pinyin import sentence_syllables

    line = sentence_syllables("老基地用<script>和$x^2$，效果100%好。")
    assert "<script>" in line and "$x^2$" in line and "100%" in line
    assert "  " not in line and "bù" not in line


def test_abbreviation_read_like_the_words_the_text_spells_out():
    context = ["电源侧建光伏，电网侧调度，负荷侧错峰，储能侧调峰。", "推进源网荷储一体化。"]
    assert read_term("源网荷储", context=context)[2] == "he4"
    # a character that is not an abbreviation is not read from its neighbours' words
    assert read_term("有所为有所不为", context=["因为下雨，为了安全。"])[2] == "wei2"


def test_a_repeated_opening_reads_the_same_each_time():
    assert read_term("长钱长投") == ["chang2", "qian2", "chang2", "tou2"]


def test_structural_particles_in_sentences_take_the_neutral_tone():
    from learn.language.pinyin import sentence_syllables

    assert "fā zhǎn de hěn hǎo" in sentence_syllables("这里的行业发展得很好。")
    assert "wěn bù de tuī jìn" in sentence_syllables("要稳步地推进改革。")
    assert "wéi rào zhe" in sentence_syllables("围绕着目标前进。")
    # the same characters as words keep their full readings
    assert "tā dé le" in sentence_syllables("他得了第一名。")
    assert "zhè kuài dì" in sentence_syllables("这块地很大。")


def test_wei_as_to_be_after_yi_a_verb_or_before_a_number():
    from learn.language.pinyin import sentence_syllables

    s = sentence_syllables("以科技创新为引领，为完善产业体系提供支撑。")
    assert "chuàng xīn wéi yǐn lǐng" in s and "wèi wán shàn" in s
    assert "liè wéi zhòng diǎn" in sentence_syllables("列为重点")
    assert "zēng sù wéi" in sentence_syllables("一季度增速为5.2%。")
