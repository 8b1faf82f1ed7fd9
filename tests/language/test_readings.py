"""Readings a learner copies (issue 20): polyphones by the model in context, proper names from
CC-CEDICT, terms read as their occurrences are and shown one way everywhere."""

from __future__ import annotations

from collections import Counter

import pytest

from learn.language import pinyin
from learn.language.notation import numbered_to_zhuyin
from learn.language.pinyin import read_sentences, sentence_readings, sentence_syllables, term_reading


def reading_of(sentence: str, word: str) -> list[str]:
    at = sentence.index(word)
    return sentence_readings(sentence)[at : at + len(word)]


@pytest.mark.parametrize(
    "sentence,word,expected",
    [
        # a proper name inside a longer word CC-CEDICT does not list, and names against everyday words
        ("重庆力帆队在主场赢下了比赛。", "重庆", ["chong2", "qing4"]),
        ("西藏自治区今年的粮食产量再创新高。", "西藏", ["xi1", "zang4"]),
        ("明朝的皇帝曾多次派船队出海。", "明朝", ["ming2", "chao2"]),
        ("成都是四川的省会。", "成都", ["cheng2", "du1"]),
        # a lone character jieba leaves alone: the model, or a rule where ours measure better
        ("今年有三亿人参与冰雪运动。", "参与", ["can1", "yu4"]),
        ("大家都为他感到高兴。", "为", ["wei4"]),
        ("孩子长高了。", "长", ["zhang3"]),
        ("要让老房子长出新功能。", "长", ["zhang3"]),
        ("河边有一只小船。", "只", ["zhi1"]),
        ("我们要撸起袖子加油干。", "干", ["gan4"]),
        ("这件事你别着急。", "别", ["bie2"]),
        ("节日里商场人头攒动。", "攒", ["cuan2"]),
    ],
)
def test_polyphone_in_context(sentence, word, expected):
    assert reading_of(sentence, word) == expected


def test_readings_and_tone_marks_say_the_same():
    sentence = "2024年，他“了解”了NBA的新规定。"
    readings = [r for r in sentence_readings(sentence) if r]
    line = sentence_syllables(sentence)
    assert line == "2024 nián， tā “liǎo jiě” le NBA de xīn guī dìng。"
    assert len(readings) == sum(1 for c in sentence if pinyin.is_han(c))
    assert sentence_readings(sentence)[:4] == ["", "", "", ""]  # digits are not read


def test_many_sentences_read_as_one_by_one():
    sentences = ["他在银行工作。", "这个办法行不通。", "各行各业都在转型。"]
    assert read_sentences(sentences) == [sentence_readings(s) for s in sentences]


def test_a_term_is_read_whole_in_its_sentence():
    """人参 is a word, but in 三亿人参与冰雪运动 jieba's 参与 wins; 诉前调解 is not 诉 + 前调."""
    assert term_reading("三亿人参与冰雪运动", ["今年有三亿人参与冰雪运动。"])[0][3:5] == ["can1", "yu4"]
    assert term_reading("诉前调解", ["要做好诉前调解工作。"])[0] == ["su4", "qian2", "tiao2", "jie3"]
    assert term_reading("人工智能+", ["推进人工智能+行动。"])[0][-1] == "jia1"


def test_an_abbreviation_of_parallel_words_is_no_dictionary_word():
    # 公转铁 shortens 公路 → 铁路, not 公转 gōng zhuàn "to revolve"; 散 as in 散装, parallel to 集装箱
    text = [
        "过去货物大多走公路，今后要多走铁路和水路。",
        "推进“公转铁”“公转水”，在港口中转后转运内地。",
        "粮食改用集装箱运输，“散改集”进展很快。",
    ]
    assert term_reading("公转铁", text)[0] == ["gong1", "zhuan3", "tie3"]
    assert term_reading("公转水", text)[0] == ["gong1", "zhuan3", "shui3"]
    assert term_reading("散改集", text)[0] == ["san3", "gai3", "ji2"]


def test_a_list_item_reads_its_shared_head_as_its_neighbour_does():
    # 产假 chǎn jià beside it: 假 of 育儿假 is jià (holiday), not jiǎ (false)
    assert term_reading("育儿假", ["她休完产假、育儿假就回到了岗位。"])[0] == ["yu4", "er2", "jia4"]


def test_a_verb_before_an_object_the_text_gives_other_verbs():
    # 储粮, 卖粮 and 收粮 make 粮 an object here: 种 of 种粮 is zhòng "to plant", not zhǒng "seed"
    text = ["农民储粮、卖粮都方便了。", "今年收粮价格稳定，种粮收益提高。"]
    assert term_reading("种粮收益", text)[0][0] == "zhong4"
    # joined to a character that is only a verb: 种养 "planting and breeding"
    assert term_reading("稻田种养", ["村里推广稻田种养。"])[0][2] == "zhong4"


def test_a_word_jieba_cuts_apart_gives_way_to_a_certain_model():
    # CC-CEDICT's 出圈 is chū juàn "to muck out"; the news word is chū quān
    assert term_reading("出圈", ["这座小城靠冰雪旅游一下子“出圈”了。"])[0] == ["chu1", "quan1"]


def test_a_term_without_polyphones_reads_its_dictionary_words():
    # 起来 after a verb is qǐ lai (CC-CEDICT), not each character's own qǐ lái
    assert term_reading("让老街活起来", ["我们要让老街活起来。"])[0][-2:] == ["qi5", "lai5"]


def test_a_term_takes_the_majority_reading_of_its_occurrences(monkeypatch):
    said = iter([["zhong4", "fu4"], ["chong2", "fu4"], ["zhong4", "fu4"]])
    monkeypatch.setattr(pinyin, "sentence_readings", lambda sentence, **kw: next(said))
    monkeypatch.setattr(pinyin, "_settled", lambda term, dictionary: None)
    reading, votes = term_reading("重复", ["重复", "重复。", "重复！"])
    assert reading == ["zhong4", "fu4"]
    assert votes == Counter({("zhong4", "fu4"): 2, ("chong2", "fu4"): 1})


def test_a_tie_goes_to_the_reading_of_the_term_alone(monkeypatch):
    said = iter([["chong2", "fu4"], ["zhong4", "fu4"]])
    monkeypatch.setattr(pinyin, "sentence_readings", lambda sentence, **kw: next(said))
    monkeypatch.setattr(pinyin, "_settled", lambda term, dictionary: None)
    assert term_reading("重复", ["重复", "重复。"])[0] == ["chong2", "fu4"]  # CC-CEDICT's chóng fù


def test_one_reading_everywhere_and_disagreement_said_in_json(monkeypatch):
    from learn.terms import annotate as annotate_module

    votes = Counter({("xin1", "zhi2"): 2, ("xin1", "zhi4"): 1})
    monkeypatch.setattr(annotate_module, "term_reading", lambda term, sents, dictionary: (["xin1", "zhi2"], votes))
    sentences = ["新质是一个新词。", "我们谈新质。", "新质很重要。"]
    entry = annotate_module.annotate("新质", sentences=sentences, glossary=False)
    assert entry.pinyin == "xīn zhí" and entry.pinyin_numbered == "xin1 zhi2"
    assert entry.to_dict()["readings_in_text"] == {"xin1 zhi2": 2, "xin1 zhi4": 1}
    assert entry.examples and all("xīn zhí" in e.pinyin for e in entry.examples)


def test_agreeing_occurrences_leave_no_note():
    from learn.terms.annotate import annotate

    entry = annotate("银发经济", sentences=["银发经济快速发展。", "发展银发经济。"], glossary=False)
    assert entry.pinyin_numbered == "yin2 fa4 jing1 ji4" and entry.readings_in_text == {}


@pytest.mark.parametrize(
    "syllable,zhuyin",
    [("xin1", "ㄒㄧㄣ"), ("zhi4", "ㄓˋ"), ("zi5", "˙ㄗ"), ("lv4", "ㄌㄩˋ"), ("jue2", "ㄐㄩㄝˊ"), ("yuan2", "ㄩㄢˊ"),
     ("wen4", "ㄨㄣˋ"), ("er2", "ㄦˊ"), ("r5", "˙ㄦ"), ("hong2", "ㄏㄨㄥˊ"), ("xiong1", "ㄒㄩㄥ")],
)  # fmt: skip
def test_zhuyin_from_our_own_table(syllable, zhuyin):
    assert numbered_to_zhuyin(syllable) == zhuyin


def test_zhuyin_table_agrees_with_pypinyin_on_every_syllable():
    import re

    from pypinyin.style.bopomofo import BopomofoConverter

    from learn.language.notation import marks_to_numbered, numbered_to_marks

    table = pinyin._character_table()
    assert table, "pypinyin's character table was not found"
    syllables = {marks_to_numbered(r) for v in table.values() for r in v.split(",")}
    converter = BopomofoConverter()
    for s in sorted(x for x in syllables if re.fullmatch(r"[a-z]+[1-5]", x)):
        theirs = str(converter.to_bopomofo(numbered_to_marks(s)))
        theirs = "˙" + theirs.replace("˙", "") if s.endswith("5") else theirs
        assert numbered_to_zhuyin(s) == theirs, s


def test_usual_reading_is_pypinyins_first():
    from pypinyin import Style, lazy_pinyin

    for ch in "长行重发了的地得着为还种调参":
        theirs = lazy_pinyin([ch], style=Style.TONE3, neutral_tone_with_five=True)[0]
        assert pinyin.char_reading(ch) == theirs.replace("ü", "v")
