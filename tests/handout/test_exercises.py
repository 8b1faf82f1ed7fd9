"""Exercise generation: seeded order, correct answers, no answer given away by another line."""

from __future__ import annotations

import re

import pytest

from learn.entry import Entry, Example, Part
from learn.errors import UsageError
from learn.handout.exercises import (
    KINDS,
    Script,
    build_exercises,
    clause_pinyin,
    distractors,
    excerpt,
    gloss,
    parse_kinds,
    sandhi,
    say,
    strip_tones,
    student_meaning,
)

TEXT = (
    "本市把培育新质生产力作为今年工作的着力点。\n"
    "各区按照先立后破的思路推进产业升级，防止一哄而上。\n"
    "新建的产业园推行链长制，由一位负责人统筹一条产业链。\n"
    "绿色转型让老厂区变成了公园，居民周末常去那里散步。\n"
    "多家专精特新企业在园区落户，带来了上千个岗位。\n"
)


def entry(simplified, traditional, pinyin, numbered, meaning, sentence="", hsk=None, parts=()):
    return Entry(
        simplified,
        traditional,
        pinyin,
        numbered,
        definitions=[meaning] if meaning else [],
        hsk=hsk,
        examples=[Example(sentence)] if sentence else [],
        parts=list(parts),
    )


@pytest.fixture
def entries() -> list[Entry]:
    return [
        entry(
            "新质生产力",
            "新質生產力",
            "xīn zhì shēng chǎn lì",
            "xin1 zhi4 sheng1 chan3 li4",
            "new quality productive forces",
            "本市把培育新质生产力作为今年工作的着力点。",
        ),
        entry(
            "先立后破",
            "先立後破",
            "xiān lì hòu pò",
            "xian1 li4 hou4 po4",
            "establish the new before abolishing the old",
        ),
        entry("链长制", "鏈長制", "liàn zhǎng zhì", "lian4 zhang3 zhi4", "industrial chain chief system"),
        entry("一哄而上", "一哄而上", "yī hòng ér shàng", "yi1 hong4 er2 shang4", "to rush headlong into"),
        entry("着力点", "著力點", "zhuó lì diǎn", "zhuo2 li4 dian3", "point of effort", hsk=7),
        entry("绿色", "綠色", "lǜ sè", "lv4 se4", "green", hsk=2),
        entry(
            "专精特新",
            "專精特新",
            "zhuān jīng tè xīn",
            "zhuan1 jing1 te4 xin1",
            "specialized, refined, distinctive, innovative",
        ),
        entry("产业链", "產業鏈", "chǎn yè liàn", "chan3 ye4 lian4", "industrial chain", hsk=6),
        entry("转型", "轉型", "zhuǎn xíng", "zhuan3 xing2", "transformation", hsk=5),
        entry("落户", "落戶", "luò hù", "luo4 hu4", "to settle in", hsk=7),
    ]


def by_kind(exercises):
    return {x.kind: x for x in exercises}


def test_parse_kinds_accepts_lists_none_and_rejects_typos():
    assert parse_kinds("cloze, matching,cloze") == ["cloze", "matching"]
    assert parse_kinds(["tones"]) == ["tones"]
    assert parse_kinds(["pinyin", "match", "fill", "tone"]) == ["pinyin", "matching", "cloze", "tones"]
    assert parse_kinds("") == [] and parse_kinds("none") == []
    with pytest.raises(UsageError, match="unknown exercise 'clozes'"):
        parse_kinds("matching,clozes")


def test_every_kind_is_built_in_the_order_asked(entries):
    exercises = build_exercises(entries, TEXT, ["tones", "matching", "cloze", "pinyin", "translation"])
    assert [x.kind for x in exercises] == ["tones", "matching", "cloze", "pinyin", "translation"]
    assert all(x.items for x in exercises)


def test_same_seed_same_exercises_other_seed_same_items_other_order(entries):
    a = [x.to_dict() for x in build_exercises(entries, TEXT, KINDS, seed=1)]
    again = [x.to_dict() for x in build_exercises(entries, TEXT, KINDS, seed=1)]
    b = [x.to_dict() for x in build_exercises(entries, TEXT, KINDS, seed=2)]
    assert a == again
    assert a != b
    for xa, xb in zip(a, b, strict=True):  # version A and B ask the same things
        assert sorted(i["prompt"] for i in xa["items"]) == sorted(i["prompt"] for i in xb["items"])
    orders = {tuple(i.prompt for i in build_exercises(entries, TEXT, ["pinyin"], seed=s)[0].items) for s in range(6)}
    assert len(orders) > 1


def test_dropping_a_kind_does_not_reorder_the_others(entries):
    full = by_kind(build_exercises(entries, TEXT, KINDS, seed=5))
    fewer = by_kind(build_exercises(entries, TEXT, ["tones", "pinyin"], seed=5))
    assert fewer["pinyin"] == full["pinyin"] and fewer["tones"] == full["tones"]


def test_matching_letters_point_at_the_right_meaning(entries):
    x = by_kind(build_exercises(entries, TEXT, ["matching"], seed=3))["matching"]
    meaning = {e.simplified: e.definitions[0] for e in entries}
    assert len(x.items) >= 6 and set(meaning[i.prompt] for i in x.items) < set(x.bank)
    assert 2 <= len(x.bank) - len(x.items) <= 3  # meanings left over: the last match is not free
    for item in x.items:
        assert x.bank[ord(item.answer) - ord("A")] == meaning[item.prompt]


def test_cloze_blanks_the_term_and_never_gives_another_answer_away(entries):
    x = by_kind(build_exercises(entries, TEXT, ["cloze"], seed=0))["cloze"]
    answers = sorted(i.answer for i in x.items)
    assert len(x.items) >= 4 and set(answers) <= set(x.bank)
    assert 2 <= len(x.bank) - len(answers) <= 4  # spare words: the last blank is no gift
    for item in x.items:
        whole = (item.before + item.answer + item.after).strip("…")
        assert whole.rstrip("。") in TEXT.replace("\n", "").replace(",", "，")
        for other in x.items:
            assert other.answer not in item.before + "|" + item.after


def test_word_bank_distractors_share_kind_and_length_with_an_answer():
    words = [
        Entry(w, pinyin="a " * len(w), kind=k, definitions=["x"])
        for w, k in (
            ("新质生产力", "term"),
            ("先立后破", "idiom"),
            ("链长制", "term"),
            ("高质量发展", "term"),
            ("一哄而上", "idiom"),
            ("绿色", "word"),
            ("产业链", "term"),
            ("因地制宜", "idiom"),
        )
    ]
    spare = distractors(words[:3], words, 4)
    assert [e.simplified for e in spare] == ["高质量发展", "一哄而上", "产业链", "因地制宜"]
    assert "绿色" not in [e.simplified for e in distractors(words[:3], words, 8)]  # other kind and length
    assert "一哄而上" not in [e.simplified for e in distractors(words[:3], words, 4, ["防止一哄而上的做法"])]


def test_fill_in_takes_lines_the_reading_does_not_show_and_marks_the_rest(entries):
    shown = TEXT.splitlines()[0]  # the reading shows the first sentence only
    x = by_kind(build_exercises(entries, TEXT, ["cloze"], seed=0, shown=shown))["cloze"]
    for item in x.items:
        line = item.before.strip("…") + item.answer + item.after.strip("…")
        assert item.in_reading == (line.rstrip("。") in shown), line
    term = next(i for i in x.items if i.answer == "新质生产力")  # its only sentence is shown
    assert term.in_reading and term.line in shown and term.term == "新质生产力"
    assert not any(i.in_reading for i in x.items if i.answer != "新质生产力")


def test_items_sets_the_size_of_every_exercise(entries):
    three = build_exercises(entries, TEXT, KINDS, seed=0, items=3)
    assert all(len(x.items) <= 3 for x in three) and any(len(x.items) == 3 for x in three)
    assert len(by_kind(build_exercises(entries, TEXT, ["pinyin"], items=10))["pinyin"].items) == 10
    for bad in (0, -1, "8", True):
        with pytest.raises(UsageError, match="--items"):
            build_exercises(entries, TEXT, items=bad)


def test_matching_order_depends_on_the_words_not_only_the_seed(entries):
    def letters(words):
        return "".join(i.answer for i in by_kind(build_exercises(words, TEXT, ["matching"], seed=1))["matching"].items)

    other = [entry(f"词语{i}", "", f"cí yǔ {i}", f"ci2 yu3 {i}", f"meaning {i}") for i in range(8)]
    assert letters(entries) == letters(entries)
    assert letters(entries) != letters(other)
    assert letters(other) != letters(other[1:] + other[:1])


def test_matching_leaves_out_composed_glosses(entries):
    made = entry("模速空间", "模速空間", "mó sù kōng jiān", "mo2 su4 kong1 jian1", "≈ model + fast + space")
    made.gloss_source = "composed"
    x = by_kind(build_exercises([made, *entries], TEXT, ["matching"], seed=0))["matching"]
    assert "模速空间" not in [i.prompt for i in x.items] and not any("model" in m for m in x.bank)


def test_translation_key_glosses_the_underlined_word_and_reads_the_whole_line(entries):
    entries[0].definitions = ["new quality productive forces", "a 2023 policy term"]
    entries[0].examples[0].pinyin = "běn shì bǎ péi yù xīn zhì shēng chǎn lì zuò wéi jīn nián gōng zuò de zhuó lì diǎn."
    x = by_kind(build_exercises(entries, TEXT, ["translation"], seed=0))["translation"]
    assert 1 <= len(x.items) <= 8
    item = next(i for i in x.items if i.prompt == "新质生产力")
    assert item.answer == "新质生产力 (xīn zhì shēng chǎn lì) = new quality productive forces; a 2023 policy term"
    assert item.pinyin == "běn shì bǎ péi yù xīn zhì shēng chǎn lì zuò wéi jīn nián gōng zuò de zhuó lì diǎn."
    assert len({i.before + i.prompt + i.after for i in x.items}) == len(x.items)


def test_clause_pinyin_is_cut_from_the_sentence_reading():
    sentence = "去年，上海GDP达到4.72万亿元，增长5%。"
    pinyin = "qù nián, shàng hǎi GDP dá dào 4.72 wàn yì yuán, zēng zhǎng 5%."
    start = sentence.index("上海")
    clause = sentence[start : sentence.index("，增长")]
    assert clause_pinyin(clause, sentence, pinyin, start) == "shàng hǎi GDP dá dào 4.72 wàn yì yuán"
    assert clause_pinyin(sentence, sentence, pinyin, 0) == pinyin
    assert clause_pinyin(clause, sentence, "qù nián", start) == ""  # does not line up: nothing


def test_a_gloss_is_never_cut_mid_word():
    long = Entry(
        "专精特新",
        definitions=["specialized, refined, distinctive and innovative (enterprises)", "SRDI", "small giants"],
    )
    assert gloss(long, 20) == "specialized, refined, distinctive and innovative (enterprises)"
    assert gloss(long) == "specialized, refined, distinctive and innovative (enterprises); SRDI; small giants"
    assert student_meaning(Entry("词", definitions=["supercalifragilisticexpialidocious" * 3])).startswith("super")
    assert not student_meaning(long, 30).endswith("(…")


def test_spoken_tones_change_yi_and_bu_only_where_speech_does():
    assert sandhi("一次", ["yī", "cì"]) == ["yí", "cì"]
    assert sandhi("不是", ["bù", "shì"]) == ["bú", "shì"]
    assert sandhi("一天", ["yī", "tiān"]) == ["yì", "tiān"]
    assert sandhi("不同", ["bù", "tóng"]) == ["bù", "tóng"]
    assert sandhi("统一", ["tǒng", "yī"]) == ["tǒng", "yī"]  # at the end
    assert sandhi("第一次", ["dì", "yī", "cì"]) == ["dì", "yī", "cì"]  # ordinal
    assert sandhi("十一月", ["shí", "yī", "yuè"]) == ["shí", "yī", "yuè"]  # a number
    assert sandhi("统一，大", ["tǒng", "yī", "dà"]) == ["tǒng", "yī", "dà"]  # a comma ends the word
    assert sandhi("一个", ["yī", "ge"]) == ["yí", "ge"]
    word = Entry("一哄而上", pinyin="yī hòng ér shàng")
    assert say(word) == "yī hòng ér shàng" and say(word, "spoken") == "yí hòng ér shàng"


def test_tone_answers_follow_the_tones_option():
    words = [
        entry("一哄而上", "一哄而上", "yī hòng ér shàng", "yi1 hong4 er2 shang4", "to rush"),
        entry("不断", "不斷", "bù duàn", "bu4 duan4", "continuously"),
    ]
    citation = by_kind(build_exercises(words, "", ["tones"]))["tones"]
    spoken = by_kind(build_exercises(words, "", ["tones"], tones="spoken"))["tones"]
    assert sorted(i.answer for i in citation.items) == ["bù duàn", "yī hòng ér shàng"]
    assert sorted(i.answer for i in spoken.items) == ["bú duàn", "yí hòng ér shàng"]
    assert [i.prompt for i in spoken.items] == [i.prompt for i in citation.items]
    with pytest.raises(UsageError, match="tones"):
        build_exercises(words, "", ["tones"], tones="sung")


def test_tones_strip_marks_but_keep_u_umlaut(entries):
    assert strip_tones("lǜ sè") == "lü se"
    assert strip_tones("ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ") == "a i o u ü ü ü ü"
    x = by_kind(build_exercises(entries, TEXT, ["tones"], seed=0))["tones"]
    for item in x.items:
        assert item.prompt == strip_tones(item.answer) and item.prompt != item.answer


def test_pinyin_exercise_asks_for_the_characters(entries):
    x = by_kind(build_exercises(entries, TEXT, ["pinyin"], seed=0))["pinyin"]
    pinyin_of = {e.simplified: e.pinyin for e in entries}
    assert all(pinyin_of[i.answer] == i.prompt for i in x.items)


def test_hints_never_contain_the_characters():
    composed = Entry(
        "模速空间",
        "模速空間",
        "mó sù kōng jiān",
        "mo2 su4 kong1 jian1",
        definitions=["≈ 模 “to imitate” + 速 “fast” + 空间 “space”"],
        gloss_source="composed",
        parts=[Part("模", "mó", "to imitate"), Part("速", "sù", "fast"), Part("空间", "kōng jiān", "space")],
    )
    assert student_meaning(composed) == "≈ to imitate + fast + space"
    bare = Entry("某某", definitions=["see 某[mou3]"])
    assert student_meaning(bare) == ""


def test_traditional_script_uses_the_entry_forms(entries):
    x = by_kind(build_exercises(entries, TEXT, ["cloze", "matching"], seed=0, script=Script(True, "tw")))
    traditional = {e.traditional for e in entries}
    assert all(i.answer in traditional for i in x["cloze"].items)
    assert all(i.prompt in traditional for i in x["matching"].items)
    assert x["cloze"].title_zh == "選詞填空"
    assert not any(re.search("[这为产业发]", i.before + i.after) for i in x["cloze"].items)


def test_kinds_without_material_are_left_out():
    bare = [Entry("电脑", "電腦", "diàn nǎo", "dian4 nao3")]  # no meaning, no sentence
    assert [x.kind for x in build_exercises(bare, "", KINDS)] == ["pinyin", "tones"]


def test_excerpt_cuts_long_sentences_at_clauses():
    sentence = "在过去的几年里，这座城市经历了很多变化，其中最重要的是培育新质生产力，此外还有许多别的工作需要完成，大家都很忙。"
    before, after = excerpt(sentence, "新质生产力", limit=30)
    assert before.startswith("…") and after.endswith("…")
    assert len(before + "新质生产力" + after) <= 32
    assert excerpt(sentence, "不存在") is None
    assert excerpt("新质生产力很重要", "新质生产力") == ("", "很重要。")


def test_cloze_line_never_shows_its_own_answer_elsewhere():
    # 链长 twice in one clause-run: blanking the first would leave the answer in plain sight.
    chief = Entry(
        "链长",
        "鏈長",
        "liàn zhǎng",
        "lian4 zhang3",
        definitions=["chain chief"],
        examples=[Example("本市推行链长制，由市领导担任重点产业链的链长。")],
    )
    other = Entry("产业园", "產業園", "chǎn yè yuán", "chan3 ye4 yuan2", definitions=["industrial park"])
    text = "本市推行链长制，由市领导担任重点产业链的链长。\n新的产业园里，每一位链长都有一个工作专班负责。\n"
    x = by_kind(build_exercises([chief, other], text, ["cloze"], seed=0))["cloze"]
    for item in x.items:
        assert item.answer not in item.before + item.after
    assert [i.before + "_" + i.after for i in x.items if i.answer == "链长"] == [
        "新的产业园里，每一位_都有一个工作专班负责。"
    ]
