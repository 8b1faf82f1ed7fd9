"""Composed glosses split a term the way a reader would, and dictionary text reads cleanly.

These pin annotation on given terms (not on what the extractor picks).
"""

from learn.language.pinyin import read_term
from learn.terms.annotate import annotate, compose_gloss, reader_split, tidy


def parts(term: str, **kw) -> list[tuple[str, str]]:
    entry = annotate(term, glossary=False, **kw)
    assert entry.gloss_source == "composed", entry
    return [(p.text, p.gloss) for p in entry.parts]


def test_the_most_probable_split_wins_over_rare_words():
    assert [t for t, _ in parts("业内人士")] == ["业内", "人士"]  # not 业 + 内人 "my wife" + 士
    assert [t for t, _ in parts("五个中心")] == ["五", "个", "中心"]  # not 个中 "therein"
    assert "三体" not in [t for t, _ in parts("三体联动")]  # not 三体 "trisomy"
    assert all(g != "first" for _, g in parts("一件事一次办"))  # 一次 is 一 + 次 here


def test_a_word_the_text_uses_on_its_own_stays_whole():
    # 算力 is rare in wordfreq's web text, so alone the split is 算 + 力; the text uses it, a reader knows it
    text = "以算力为例，算力需求很紧。联合算力供应商开展加速计划。"
    assert [t for t, _ in parts("算力供应商", text=text)][0] == "算力"
    assert [t for t, _ in parts("三体联动", text="形成三体联动的格局。")][:2] == ["三", "体"]


def test_a_number_and_its_measure_word_are_two_parts():
    assert reader_split("六个力")[:2] == ["六", "个"]
    assert reader_split("另一番")[-2:] == ["一", "番"]


def test_function_and_measure_words_get_no_gloss_of_their_own():
    glosses = dict(parts("五个中心"))
    assert glosses["个"] == "" and glosses["中心"]
    entry = annotate("屠龙之技", glossary=False)
    assert {p.text: p.gloss for p in entry.parts}["之"] == ""
    assert "之 “" not in entry.definitions[0] and ")" not in entry.definitions[0].replace("(", "")
    # at the end of a term the same character is a noun: 蚕丝被 "silk quilt"
    assert dict(parts("蚕丝被"))["被"] == "quilt"
    assert dict(parts("受制于人"))["于"] == "" and dict(parts("用地"))["用"] == "to use"


def test_an_ngram_of_jiebas_list_is_shown_by_its_parts():
    # jieba lists 磨一剑 and 链长, rarely; a reader sees 磨 + 一 + 剑, 链 + 长
    entry = annotate("链长制", glossary=False)
    assert [p.text for p in entry.parts] == ["链", "长", "制"]


def test_a_part_that_only_points_elsewhere_takes_that_words_gloss():
    from learn.language.lexicon import cedict_lookup
    from learn.terms.annotate import _followed

    assert _followed("联接", cedict_lookup(["联接"]))[0].definitions[0].startswith("to ")  # variant of 连接
    assert _followed("后继乏人", cedict_lookup(["后继乏人"]))  # see 后继无人
    assert "successor" in annotate("后继乏人", glossary=False).definitions[0]


def test_composed_glosses_stay_marked_as_guesses():
    entry = annotate("业内人士", glossary=False)
    assert entry.gloss_source == "composed" and entry.parts


def test_a_name_is_not_glossed_by_its_characters():
    text = "去年底，企业入驻国内首个大模型生态社区模速空间。模速空间挂牌半年，入驻企业57家。"
    entry = annotate("模速空间", text=text, kind="name", glossary=False)
    assert entry.definitions[0].startswith("(name)")
    assert "生态社区" in entry.definitions[0] and "model" not in entry.definitions[0]
    assert not entry.parts and entry.gloss_source != "composed"
    # the noun phrase after 是
    entry = annotate("青溪里", text="青溪里是古镇新建的非遗街区。", kind="name", glossary=False)
    assert entry.definitions == ["(name) 古镇新建的非遗街区"]
    entry = annotate("青溪里", text="青溪里等非遗街区游客很多。", kind="name", glossary=False)
    assert entry.definitions == ["(name) 非遗街区"]
    # where the text does not say, only the label
    assert annotate("澄川", text="澄川很美。", kind="name", glossary=False).definitions == ["(name)"]


def test_an_opaque_term_the_text_names_as_a_place_reads_as_a_name():
    text = "企业入驻国内首个大模型生态社区模速空间。"
    entry = annotate("模速空间", text=text, kind="term", glossary=False)
    assert entry.kind == "name" and entry.definitions[0].startswith("(name)")


def test_dictionary_text_loses_stray_punctuation():
    assert tidy("to do sth .; to go;") == "to do sth; to go"
    assert tidy("a place () ;; near") == "a place; near"
    assert tidy("etc.; more") == "etc.; more"
    assert tidy("One key opens one lock.") == "One key opens one lock"
    assert tidy("each problem. (idiom)") == "each problem (idiom)"
    assert tidy("it depends on...") == "it depends on..."
    assert ".;" not in annotate("一把钥匙开一把锁", glossary=False).meaning


def test_the_sense_that_fits_the_text_comes_first():
    travel = (
        "古镇位于江南水乡，游客很多。游客们在网红桥头打卡拍照，沿着河岸旅游观光。"
        "景区所在的位置交通方便，许多旅客专程来这里度假。"
    )
    work = "每天早上九点，员工到公司打卡上班；迟到的职工要扣工资。"
    assert "check in" in annotate("打卡", text=travel, glossary=False).definitions[0]
    assert "clock" in annotate("打卡", text=work, glossary=False).definitions[0]


def test_an_aside_never_comes_first():
    defs = annotate("脱胎换骨", glossary=False).definitions
    assert "Daoist" not in defs[0] and "idiom" not in defs[0]
    # a part's gloss is never a surname or a labelled register
    for term in ("业内人士", "大院大所大校", "联农带农"):
        assert all("surname" not in g and "(old)" not in g for _, g in parts(term))


def test_parts_cover_the_term_with_readings():
    term = "一件事一次办"
    got = compose_gloss(term, {}, read_term(term))
    assert "".join(p.text for p in got) == term and all(p.pinyin for p in got)


def test_a_particle_character_read_in_full_is_a_word():
    assert dict(parts("用地"))["地"] == "land"  # dì, not the particle de
    assert dict(parts("值得一提的是"))["的"] == ""  # the particle stays unglossed


def test_a_character_of_an_abbreviation_stands_for_the_word_its_text_writes():
    # 数 alone is "number"; in a text about 数据 it is "data", a sense 数 itself lacks
    text = "数据是新的生产要素。各地建设数据中心，数据流通加快，推动东数西算。"
    assert dict(parts("东数西算", text=text))["数"] == "data"
    # a number or a preposition stands for no word (十年 is not 十一 "eleven" in a text that writes 十一)
    assert "eleven" not in dict(parts("十年磨一剑", text="十一五期间十一个项目。十年磨一剑。")).get("十年", "")


def test_a_one_character_head_takes_the_sense_of_the_words_ending_in_it():
    assert dict(parts("班额"))["额"] != "forehead"  # 金额, 名额, 数额: an amount


def test_a_character_takes_the_sense_its_texts_words_share():
    text = "企业经营困难，园区运营成本高，要优化营商环境。"
    assert dict(parts("营商环境", text=text))["营"] == "to operate"  # not "camp"


def test_a_phrase_on_two_parallel_frames_splits_into_its_characters():
    assert reader_split("一村一品") == ["一", "村", "一", "品"]  # not 一品 "highest rank"
    assert reader_split("互联互通") == ["互联", "互通"]  # halves that are words stay whole


def test_the_manner_suffix_shi_shapes_the_parts_around_it():
    assert dict(parts("运动式减碳"))["运动"] in ("movement", "campaign")  # not "sports"
    assert dict(parts("订单式培养"))["培养"].startswith("to ")  # training, an action, not "education"
    assert dict(parts("内卷式竞争"))["式"] == "-style"


def test_most_with_a_describing_character_is_a_superlative():
    assert dict(parts("最低收购价"))["最低"] == "lowest"
