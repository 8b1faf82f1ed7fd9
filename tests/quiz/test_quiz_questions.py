"""Questions and their distractors: plausible, never the answer twice, every mode gradable."""

from __future__ import annotations

import random

import pytest
from quiz_entries import ENTRIES

from learn.entry import Entry, Example
from learn.quiz import distractors
from learn.quiz.distractors import normalise, pick, script_forms
from learn.quiz.questions import BLANK, MODES, applicable, grade, make_question, meaning_of

BY_WORD = {e.simplified: e for e in ENTRIES}


def test_distractors_never_duplicate_the_answer() -> None:
    twin = Entry("新质生产力", pinyin_numbered="xin1 zhi4 sheng1 chan3 li4 x", definitions=["other"])
    same_text = Entry("新东西", pinyin_numbered="xin1 dong1 xi5", definitions=["New quality productive forces."])
    synonym = Entry("开发", pinyin_numbered="kai1 fa1", definitions=["development", "to exploit"])
    pool = [*ENTRIES, twin, same_text, synonym]
    answer = BY_WORD["新质生产力"]
    for seed in range(30):
        wrong = pick(answer, pool, meaning_of, n=3, rng=random.Random(seed))
        assert len(wrong) == 3 and len(set(map(normalise, wrong))) == 3
        assert normalise(meaning_of(answer)) not in map(normalise, wrong)
        assert "other" not in wrong  # same characters, another reading: same word to a learner
    develop = BY_WORD["发展"]
    for seed in range(30):  # shares the definition "development"
        assert meaning_of(synonym) not in pick(develop, pool, meaning_of, rng=random.Random(seed))


def test_distractors_prefer_same_kind_and_similar_length() -> None:
    pool = [
        Entry(w, pinyin_numbered=p, definitions=[d], kind=k)
        for w, p, d, k in [
            ("产业链", "chan3 ye4 lian4", "industrial chain", "term"),
            ("供应链", "gong1 ying4 lian4", "supply chain", "term"),
            ("价值链", "jia4 zhi2 lian4", "value chain", "term"),
            ("创新链", "chuang4 xin1 lian4", "innovation chain", "term"),
            ("好", "hao3", "good", "word"),
            ("人", "ren2", "person", "word"),
            ("大", "da4", "big", "word"),
            (
                "全面建成小康社会",
                "quan2 mian4 jian4 cheng2 xiao3 kang1 she4 hui4",
                "complete the building of a moderately prosperous society in all respects",
                "slogan",
            ),
        ]
    ]
    for seed in range(20):
        wrong = pick(pool[0], pool, lambda e: e.simplified, n=3, rng=random.Random(seed), spare=0)
        assert sorted(wrong) == sorted(["供应链", "价值链", "创新链"])


def test_distractors_come_only_from_the_pool_and_may_be_fewer() -> None:
    two = ENTRIES[:2]
    assert pick(two[0], two, meaning_of) == [meaning_of(two[1])]
    assert pick(two[0], two[:1], meaning_of) == []
    assert make_question(two[0], "meaning", two[:1]) is None  # nothing to choose between


def test_cloze_distractors_are_not_part_of_the_answer() -> None:
    pool = [
        *ENTRIES,
        Entry("生产力", pinyin_numbered="sheng1 chan3 li4", definitions=["productive forces"]),
        Entry("新质", pinyin_numbered="xin1 zhi4", definitions=["new quality"]),
    ]
    for seed in range(20):
        wrong = distractors.pick_words(BY_WORD["新质生产力"], pool, rng=random.Random(seed))
        assert "生产力" not in wrong and "新质" not in wrong and wrong


def test_script_forms_are_wrong_spellings_of_the_same_word() -> None:
    forms = script_forms("发展", "發展", n=3, rng=random.Random(0))
    assert "髮展" in forms and "发展" in forms and "發展" not in forms
    partial = script_forms("新质生产力", "新質生產力", n=5, rng=random.Random(0))
    assert all(len(f) == 5 and f != "新質生產力" for f in partial) and len(set(partial)) == len(partial)
    back = script_forms("發展", "发展", rng=random.Random(0))
    assert "发展" not in back and "發展" in back


@pytest.mark.parametrize("mode", list(MODES))
def test_every_mode_makes_a_question_that_grades_right_and_wrong(mode: str) -> None:
    entry = BY_WORD["绿色"]
    question = make_question(entry, mode, ENTRIES, random.Random(3))
    assert question is not None and question.key == entry.key and question.mode == mode
    if question.options:
        assert question.answer in question.options
        assert len(set(question.options)) == len(question.options) >= 2
        wrong = next(o for o in question.options if o != question.answer)
    else:
        wrong = "lu4 se4" if mode == "pinyin" else "1 1"
    assert grade(question, question.answer).correct
    assert not grade(question, wrong).correct
    assert not grade(question, None).correct


def test_prompts_hide_the_answer() -> None:
    rng = random.Random(1)
    cloze = make_question(BY_WORD["产业链"], "cloze", ENTRIES, rng)
    assert cloze and "产业链" not in cloze.prompt and BLANK * 3 in cloze.prompt
    reverse = make_question(BY_WORD["产业链"], "reverse", ENTRIES, rng)
    assert reverse and reverse.prompt == "industrial chain"
    tones = make_question(BY_WORD["绿色"], "tones", ENTRIES, rng)
    assert tones and tones.syllables == ["lü", "se"] and tones.answer == "4 4"


def test_modes_that_do_not_apply_are_skipped() -> None:
    ai = BY_WORD["人工智能"]  # no sentence, traditional == simplified
    assert not applicable(ai, "cloze") and not applicable(ai, "script")
    assert make_question(ai, "cloze", ENTRIES) is None and make_question(ai, "script", ENTRIES) is None
    nameless = Entry("５G", pinyin_numbered="5G")
    assert not applicable(nameless, "pinyin") and not applicable(nameless, "meaning")


def test_tone_drill_grading() -> None:
    question = make_question(BY_WORD["新质生产力"], "tones", ENTRIES)
    assert question is not None
    assert grade(question, [1, 4, 1, 3, 4]).correct
    verdict = grade(question, [1, 4, 1, 3, 2])
    assert not verdict.correct and "syllable 5" in verdict.message
    assert "every syllable" in grade(question, [1, 4]).message
    assert not grade(question, "x y z a b").correct


def test_a_traditional_text_is_practised_in_traditional() -> None:
    from dataclasses import replace

    from learn.entry import Example
    from learn.quiz.display import entry_card

    trad = [
        replace(
            e,
            script="traditional",
            examples=[Example(x.sentence, x.pinyin, x.traditional or x.sentence) for x in e.examples],
        )
        for e in ENTRIES
    ]
    trad[0].examples = [Example("这座城市把新质生产力写进了年度计划。", "", "這座城市把新質生產力寫進了年度計畫。")]
    word = trad[0]
    rng = random.Random(1)
    assert make_question(word, "meaning", trad, rng).prompt == "新質生產力"
    assert make_question(word, "pinyin", trad, rng).prompt == "新質生產力"
    reverse = make_question(word, "reverse", trad, rng)
    assert reverse.answer == "新質生產力" and set(reverse.options) <= {e.traditional for e in trad}
    cloze = make_question(word, "cloze", trad, rng)
    assert cloze.prompt == "這座城市把" + BLANK * 5 + "寫進了年度計畫。" and cloze.answer == "新質生產力"
    card = entry_card(word)
    assert card.index("質") < card.index("质") and "<b>新質生產力</b>" in card


def test_a_composed_gloss_is_never_the_answer_asked_for() -> None:
    guess = Entry(
        "模速空间",
        pinyin_numbered="mo2 su4 kong1 jian1",
        definitions=["模 “model” + 速 “fast”"],
        gloss_source="composed",
        examples=[Example("模速空间在南京。")],
    )
    pool = [guess, *ENTRIES]
    assert not applicable(guess, "meaning") and not applicable(guess, "reverse")
    assert make_question(guess, "meaning", pool) is None and make_question(guess, "reverse", pool) is None
    assert applicable(guess, "pinyin") and applicable(guess, "cloze")  # the word itself can still be asked
    for seed in range(20):  # nor offered as another word's meaning
        question = make_question(BY_WORD["发展"], "meaning", pool, random.Random(seed))
        assert question is not None and meaning_of(guess) not in question.options
    assert applicable(
        Entry("发展", pinyin_numbered="fa1 zhan3", definitions=["develop"], gloss_source="cedict"), "meaning"
    )


def test_options_know_which_word_they_stand_for() -> None:
    for mode in ("meaning", "reverse", "cloze"):
        question = make_question(BY_WORD["发展"], mode, ENTRIES, random.Random(1))
        assert question is not None and set(question.option_keys) == set(question.options)
        assert question.option_keys[question.answer] == BY_WORD["发展"].key
        for option, key in question.option_keys.items():
            entry = next(e for e in ENTRIES if e.key == key)
            assert option in (meaning_of(entry), entry.headword)


def test_speech_text_is_escaped_for_script_and_html() -> None:
    from learn.quiz.display import speech_html

    html = speech_html("新质", '他说："</script><img src=x onerror=alert(1)>" & \u2028 走')
    assert "</script><img" not in html and "<img" not in html and "\u2028" not in html
    assert html.count("</script>") == 1 and 'lang = "zh-CN"' in html
    assert '"\\u65b0\\u8d28"' in html  # the word, as a JS string
    assert 'id="say-sentence"' in html and 'id="say-sentence"' not in speech_html("新质")
