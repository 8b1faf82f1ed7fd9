"""Annotation: traditional variants, definitions, composed glosses, examples."""
from learn.annotate import annotate
from learn.lexicon import to_traditional


def test_traditional_variants():
    assert to_traditional("着力点", "tw") == "著力點"
    assert to_traditional("银发", "tw") == "銀髮"
    assert to_traditional("里面", "tw") == "裡面"
    assert to_traditional("里面", "hk") == "裏面"
    assert to_traditional("里面", "t") == "裏面"
    # never s2twp: a traditional form, not a Taiwanese word swap
    assert to_traditional("集成电路", "tw") == "集成電路"


def test_dictionary_definition_and_level():
    entry = annotate("因地制宜", text="各地要因地制宜发展新产业。")
    assert entry.gloss_source in ("cedict", "glossary")
    assert entry.definitions and entry.hsk == 7
    assert entry.kind == "idiom"
    assert entry.count == 1 and entry.examples[0].sentence == "各地要因地制宜发展新产业。"
    assert "yīn dì zhì yí" in entry.examples[0].pinyin


def test_composed_gloss_for_unknown_coinage():
    entry = annotate("新质生产力", glossary=False)
    assert entry.gloss_source == "composed"
    assert [p.text for p in entry.parts][-1] == "生产力"
    assert "productive" in entry.parts[-1].gloss or "production" in entry.parts[-1].gloss
    assert entry.definitions and "生产力" in entry.definitions[0]


def test_glossary_gives_official_english_and_expansion():
    entry = annotate("专精特新")
    assert entry.gloss_source == "glossary"
    assert entry.expansion.startswith("专业化")
    assert entry.kind == "slogan"


def test_no_glossary_switches_it_off():
    assert annotate("专精特新", glossary=False).gloss_source != "glossary"


def test_traditional_variant_in_examples():
    entry = annotate("银发经济", text="发展银发经济。", variant="hk")
    assert entry.traditional == "銀髮經濟" and entry.examples[0].traditional.startswith("發展銀髮")


def test_composed_parts_follow_the_reading_and_suffixes():
    entry = annotate("链长制", glossary=False)
    assert entry.pinyin_numbered == "lian4 zhang3 zhi4"
    assert [p.gloss for p in entry.parts] == ["chain", "chief", "system"]
    assert annotate("绿色化", glossary=False).parts[-1].gloss == "-ization"


def test_composed_parts_take_the_sense_words_use():
    def gloss(term, part):
        return {p.text: p.gloss for p in annotate(term, glossary=False).parts}[part]
    assert gloss("先立后破", "后") != "empress"          # 后 here is 後 "after", not 后 "empress"
    assert gloss("企业服务日", "日") == "day"            # most words with 日 mean day, not sun
    assert gloss("新质生产力", "质") == "quality"
    assert gloss("联农带农", "联") != "antithetical couplet"   # a sense labelled (poetry) never wins


def test_dictionary_cross_references_read_as_text():
    defs = annotate("双碳", glossary=False).definitions
    assert "[" not in defs[0] and "|" not in defs[0]
    assert "碳达峰 (tàn dá fēng)" in defs[0]
