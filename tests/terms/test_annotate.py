"""Annotation: traditional variants, definitions, composed glosses, examples."""

from learn.language.lexicon import to_traditional
from learn.terms.annotate import annotate


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

    assert gloss("先立后破", "后") != "empress"  # 后 here is 後 "after", not 后 "empress"
    assert gloss("企业服务日", "日") == "day"  # most words with 日 mean day, not sun
    assert gloss("新质生产力", "质") == "quality"
    assert gloss("联农带农", "联") != "antithetical couplet"  # a sense labelled (poetry) never wins


def test_dictionary_cross_references_read_as_text():
    defs = annotate("双碳", glossary=False).definitions
    assert "[" not in defs[0] and "|" not in defs[0]
    assert "碳达峰 (tàn dá fēng)" in defs[0]


def test_examples_are_the_clause_around_the_term():
    from learn.terms.annotate import pick_examples

    long = (
        "今年以来，澜江市坚持稳中求进工作总基调，把加快形成新质生产力作为推动高质量发展的着力点，"
        "按照先立后破的思路，推动传统产业高端化、智能化、绿色化。"
    )
    (example,) = pick_examples("先立后破", [long])
    assert "先立后破" in example and len(example) <= 40
    assert example.startswith("…") and not example.startswith("…，")
    # the cut falls at clause breaks, or between words: never inside a word
    (example,) = pick_examples(
        "新质生产力", ["在" + "新质生产力和现代化产业体系建设快速推进的同时上海的企业家们正在" * 2 + "。"]
    )
    assert len(example) <= 40 and "新质生产力" in example and not example.endswith("企…")


def test_examples_skip_broken_lines_and_strip_markers_and_bylines():
    from learn.terms.annotate import pick_examples

    broken = "模速空间所在的徐汇区大院大所大校集聚，汇聚人工智能相关企业近900家，近5年AI"
    whole = "模速空间挂牌半年。"
    assert pick_examples("模速空间", [broken, whole]) == [whole]
    # with nothing better, a cut-off line gives its finished clauses only
    (example,) = pick_examples("模速空间", [broken])
    assert "AI" not in example and example.endswith("…")
    assert pick_examples("模速空间", ["在模速空间,企业偏爱公共空间,", whole]) == [whole]
    assert pick_examples("模速空间", ["▶ 模速空间挂牌半年。"]) == ["模速空间挂牌半年。"]
    assert pick_examples("模速空间", ["■模速空间挂牌半年入驻企业57家。 本报记者 袁婧摄"]) == [
        "模速空间挂牌半年入驻企业57家。"
    ]
    assert pick_examples("新质生产力", ["新华社北京3月5日电（记者 张三）新质生产力成为热词。"]) == [
        "新质生产力成为热词。"
    ]


def test_up_to_three_different_examples_in_text_order():
    from learn.terms.annotate import pick_examples

    sents = ["数据是新型生产要素。", "数据是新型生产要素。", "要让数据流动起来。", "数据确权要先行。", "用好数据。"]
    got = pick_examples("数据", sents)
    assert len(got) == 3 and len(set(got)) == 3
    assert got == sorted(got, key=sents.index)


def test_examples_on_the_seed_article_are_short_and_whole():
    from pathlib import Path

    import pytest

    from learn.read.text import sentences
    from learn.terms.annotate import pick_examples
    from learn.terms.examples import is_broken

    seed = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "xinzhi-shengchanli.txt"
    if not seed.exists():
        pytest.skip("seed article absent")
    sents = sentences(seed.read_text(encoding="utf-8"))
    examples = [
        x
        for t in ("新质生产力", "模速空间", "传统产业", "大模型", "先立后破", "五个中心", "创新")
        for x in pick_examples(t, sents)
    ]
    assert len(examples) >= 15
    assert sum(len(x) <= 40 for x in examples) >= 0.9 * len(examples)
    assert not any(is_broken(x) for x in examples)


def test_two_texts_in_one_process_keep_their_own_context_and_examples():
    """What is remembered between calls (the English of a text, segmented blocks, readings) never
    leaks from one text into the next: each text orders senses and picks examples by itself."""
    from dataclasses import asdict

    money = "央行发行货币，银行发行债券，金融市场稳定。"
    books = "这部电影发行以后，出版社也发行了新书。"
    first = asdict(annotate("发行", text=money))
    other = annotate("发行", text=books)
    assert first["definitions"][0].startswith("to issue") and other.definitions[0] == "to publish"
    assert [e.sentence for e in other.examples] == [books]
    assert asdict(annotate("发行", text=money)) == first
    assert annotate("发行", text=books, variant="hk").examples[0].sentence == books


def test_what_the_text_calls_finds_the_name_wherever_it_occurs():
    """Descriptions after a name are matched after each occurrence of it in turn (the first one
    that has one wins), as one regular expression with the name in it would find them."""
    from learn.terms.annotate import what_the_text_calls

    assert what_the_text_calls("模速空间", ["大家来到模速空间。模速空间是首个大模型生态社区"]) == "首个大模型生态社区"
    assert what_the_text_calls("模速空间", ["“模速空间”，“模速空间”创新生态社区"]) == "创新生态社区"
    assert what_the_text_calls("模速空间", ["模速空间等创新社区"]) == "创新社区"
    assert what_the_text_calls("模速空间", ["首个大模型生态社区模速空间"]) == "大模型生态社区"
    assert what_the_text_calls("模速空间", ["另一个模速空间"], after=False) == ""


def test_words_seen_alone_per_text():
    """Words of a term the text uses outside it; the joined text is remembered per text, so a
    second text is judged on its own sentences."""
    from learn.terms.annotate import words_seen_alone

    assert words_seen_alone("算力供应商", ["算力供应商很多。", "算力很重要。"]) == frozenset({"算力"})
    assert words_seen_alone("算力供应商", ["算力供应商很多。", "供应商也多。"]) == frozenset({"供应商", "供应", "应商"})
    assert words_seen_alone("算力供应商", ["算力供应商很多。"]) == frozenset()
    assert words_seen_alone("算力|供应商", ["算力|供应商，供应商"]) == frozenset({"供应商", "供应", "应商"})
