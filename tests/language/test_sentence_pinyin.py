"""Sentence pinyin: a polyphone reads as its use in the sentence says (地 de/dì, 得 de/dé/děi…).

Each row is a sentence written for this table with one character in [brackets]; the test reads
the whole sentence and checks the reading given to that character. Tones are citation tones
(CC-CEDICT), neutral tone 5.
"""

from __future__ import annotations

import pytest

from learn.language.notation import HAN, marks_to_numbered
from learn.language.pinyin import sentence_syllables

TABLE = [
    # 地: de after a describing word before a verb, dì "land, place"
    ("他们有选择[地]引进项目。", "de5"),
    ("我们要科学理性[地]看待新技术。", "de5"),
    ("孩子们高高兴兴[地]回家了。", "de5"),
    ("他慢慢[地]走进了会议室。", "de5"),
    ("这块[地]今年种了玉米。", "di4"),
    ("当[地]政府出台了新政策。", "di4"),
    ("各[地]积极推进改革。", "di4"),
    ("大家认真[地]学习新知识。", "de5"),
    ("要有计划[地]推进改造。", "de5"),
    ("承包[地]流转给了合作社。", "di4"),
    ("建设用[地]十分紧张。", "di4"),
    # 得: de complement, dé "obtain", děi "must"
    ("这几年村里发展[得]很快。", "de5"),
    ("他跑[得]比谁都快。", "de5"),
    ("大家都说他唱[得]好。", "de5"),
    ("她在比赛中[得]了第一名。", "de2"),
    ("企业[得]到了银行的支持。", "de2"),
    ("这件事你[得]自己去办。", "dei3"),
    ("明天早上我[得]早点出发。", "dei3"),
    # 着: zhe aspect, zháo "reach, catch", zhuó "apply"
    ("老人守[着]祖屋过日子。", "zhe5"),
    ("孩子们笑[着]跑了过来。", "zhe5"),
    ("他躺下就睡[着]了。", "zhao2"),
    ("门口站[着]两个人。", "zhe5"),
    ("这件事你别[着]急。", "zhao2"),
    ("工作要[着]眼长远。", "zhuo2"),
    ("我们要[着]力解决群众的难题。", "zhuo2"),
    # 为: wéi "as, to be", wèi "for"
    ("这种新产业以高科技[为]特征。", "wei2"),
    ("新产业以高科技、高效能[为]特征。", "wei2"),
    ("他被选[为]村委会主任。", "wei2"),
    ("今年的增速[为]百分之五。", "wei2"),
    ("我们[为]人民服务。", "wei4"),
    ("政府要[为]企业排忧解难。", "wei4"),
    ("大家都[为]他感到高兴。", "wei4"),
    ("[为]了稳住就业，政府出台了新措施。", "wei4"),
    # 还: hái "still", huán "give back"
    ("他[还]在办公室加班。", "hai2"),
    ("这里[还]是另一番景象。", "hai2"),
    ("借的书要按时[还]给图书馆。", "huan2"),
    ("企业[还]清了全部贷款。", "huan2"),
    # 种: zhǒng "kind", zhòng "to plant"
    ("农民在山坡上[种]茶树。", "zhong4"),
    ("今年春天村里[种]了很多果树。", "zhong4"),
    ("这[种]模式值得推广。", "zhong3"),
    ("各[种]问题都要认真解决。", "zhong3"),
    # 行: xíng "go, all right", háng "trade, row"
    ("他在银[行]工作了十年。", "hang2"),
    ("各[行]各业都在转型。", "hang2"),
    ("这个办法[行]不通。", "xing2"),
    ("我们步[行]去学校。", "xing2"),
    # 长: cháng "long", zhǎng "grow, chief"
    ("这条河很[长]。", "chang2"),
    ("他是我们的[长]辈。", "zhang3"),
    ("这个项目的周期比较[长]。", "chang2"),
    ("孩子[长]高了。", "zhang3"),
    ("村[长]召开了全村大会。", "zhang3"),
    ("要让老房子[长]出新功能。", "zhang3"),
    # 重: zhòng "heavy, important", chóng "again"
    ("这项工作非常[重]要。", "zhong4"),
    ("这个箱子很[重]。", "zhong4"),
    ("他把作业[重]新写了一遍。", "chong2"),
    ("要防止[重]复建设。", "chong2"),
    # 处: chǔ "deal with, get along", chù "place"
    ("这个问题要妥善[处]理。", "chu3"),
    ("两国人民友好相[处]。", "chu3"),
    ("古镇到[处]都是游客。", "chu4"),
    ("他的住[处]离公司很近。", "chu4"),
    # 觉: jué "feel", jiào "sleep"
    ("我[觉]得这个方案不错。", "jue2"),
    ("大家要提高警[觉]。", "jue2"),
    ("他中午睡了一[觉]。", "jiao4"),
    # 只: zhǐ "only", zhī classifier
    ("这里[只]剩下老人。", "zhi3"),
    ("我们[只]要努力就能成功。", "zhi3"),
    ("河边有一[只]小船。", "zhi1"),
    ("他[只]买了三斤苹果。", "zhi3"),
    ("院子里养了两[只]羊。", "zhi1"),
    # 都: dōu "all", dū "capital"
    ("大家[都]来了。", "dou1"),
    ("这些年我们[都]很忙。", "dou1"),
    ("北京是中国的首[都]。", "du1"),
    ("成[都]是四川的省会。", "du1"),
    # 没: méi "not have", mò "sink"
    ("他[没]有来上班。", "mei2"),
    ("这个问题我们[没]想到。", "mei2"),
    ("大水淹[没]了农田。", "mo4"),
    # 发: fā "send, issue", fà "hair"
    ("公司明天[发]工资。", "fa1"),
    ("经济[发]展很快。", "fa1"),
    ("他去理[发]店剪头发。", "fa4"),
    ("老人满头白[发]。", "fa4"),
    # 干: gàn "do", gān "dry"
    ("他一边[干]活一边讲解。", "gan4"),
    ("我们要撸起袖子加油[干]。", "gan4"),
    ("领导[干]部要带头。", "gan4"),
    ("衣服已经晒[干]了。", "gan1"),
    ("这里的天气很[干]燥。", "gan1"),
]


def reading_at(marked: str) -> tuple[str, str]:
    """The sentence without brackets, and the numbered reading the pinyin gives the bracketed character."""
    sentence = marked.replace("[", "").replace("]", "")
    target = sum(1 for c in marked[: marked.index("[")] if HAN.match(c))
    syllables = [
        marks_to_numbered("".join(c for c in s.lower() if c.isalpha())) for s in sentence_syllables(sentence).split()
    ]
    syllables = [s for s in syllables if s[:-1]]
    assert len(syllables) == sum(1 for c in sentence if HAN.match(c)), (sentence, syllables)
    return sentence, syllables[target]


@pytest.mark.parametrize("marked,expected", TABLE, ids=[m for m, _ in TABLE])
def test_polyphone_in_sentence(marked, expected):
    sentence, got = reading_at(marked)
    assert got == expected, f"{sentence}: {got}"


def test_table_is_large_and_covers_every_listed_polyphone():
    targets = {m[m.index("[") + 1] for m, _ in TABLE}
    assert len(TABLE) >= 40
    assert set("地得着为还种行长重处觉只都没发干") <= targets


def test_citation_tones_for_yi_and_bu():
    line = sentence_syllables("我们一定不会放弃。")
    assert "yī dìng bù huì" in line


def test_a_clause_is_read_inside_its_sentence():
    line = sentence_syllables("高质量为特征", before="新质生产力是以高科技、", after="，新型工业化是主阵地。")
    assert line == "gāo zhì liàng wéi tè zhēng"
    assert sentence_syllables("高质量为特征") == "gāo zhì liàng wèi tè zhēng"  # alone, 以 is out of sight


def test_example_pinyin_follows_the_whole_sentence():
    from learn.terms.annotate import annotate

    s = "新质生产力是以高科技、高效能、高质量为特征,新型工业化是加快形成新质生产力的主阵地,上海要在这方面走在全国前列。"
    (example,) = annotate("新型工业化", sentences=[s], glossary=False).examples
    assert example.sentence.startswith("…") and "wéi tè zhēng" in example.pinyin


def test_same_sentence_read_for_different_terms_and_texts():
    """Readings of words and segmented blocks are remembered between calls; each call still
    reads its own sentence with its own fixed term, whatever was read before."""
    from learn.language.pinyin import read_term

    sentence = "银发经济快速发展，一哄而上不可取。"
    alone = sentence_syllables(sentence)
    fixed = sentence_syllables(sentence, {"银发经济": ["yin2", "fa4", "jing1", "ji4"]})
    assert "yín fà jīng jì" in fixed and "yī hòng ér shàng" in alone
    assert sentence_syllables("发展银行", {"发展": ["fa1", "zhan3"]}) == "fā zhǎn yín háng"
    assert (
        sentence_syllables(sentence) == alone
        and sentence_syllables(sentence, {"银发经济": ["yin2", "fa4", "jing1", "ji4"]}) == fixed
    )
    assert read_term("银发经济") == ["yin2", "fa4", "jing1", "ji4"]
    read_term("银发经济").append("x")  # a caller's list is its own
    assert read_term("银发经济") == ["yin2", "fa4", "jing1", "ji4"]


def test_the_dictionary_neutral_tone_stays():
    """关系, 知识, 衣服 as a learner's dictionary writes them, though CPP's gold and the polyphone
    model it trained often give the full tone; suffixes 子 and 头 too."""
    assert "guān xi" in sentence_syllables("两国的关系越来越好。")
    assert "zhī shi" in sentence_syllables("他学到了很多新知识。")
    assert "yī fu" in sentence_syllables("她买了一件新衣服。")
    assert "qiǎ bó zi" in sentence_syllables("企业最怕被卡脖子。")
    assert "yìng gǔ tou" in sentence_syllables("啃下这块硬骨头。")


def test_a_name_between_nouns_is_not_read_as_a_verb():
    assert "yuán míng yè qīng" in sentence_syllables("她原名叶青，后来改了名字。")


def test_a_particle_after_a_word_is_not_paired_across_it():
    assert "xué dào le" in sentence_syllables("他学到了很多新知识。")
