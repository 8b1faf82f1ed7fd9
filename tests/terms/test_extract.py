"""Extraction on the team's own sample and on small texts: coinages whole, no noise, options work."""

import json
from pathlib import Path

import pytest

from learn.terms.rank import extract, rank

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "decks" / "sample.txt"
SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"


@pytest.fixture(scope="module")
def sample_entries():
    return extract(SAMPLE.read_text(encoding="utf-8"), top=60, glossary=False)


def terms(entries):
    return [e.simplified for e in entries]


def test_sample_finds_coinages_whole_without_glossary(sample_entries):
    found = terms(sample_entries)
    for term in ("新质生产力", "先立后破", "营商环境", "高质量发展", "因地制宜"):
        assert term in found, term
    for fragment in ("新质", "质生产力"):
        assert fragment not in found


def test_datelines_and_quarters_are_not_vocabulary():
    text = "本报讯（记者 李明）前三季度国内生产总值同比增长。三季度消费回暖，四季度有望提振。"
    found = terms(extract(text, glossary=False))
    assert "国内生产总值" in found
    assert not {"本报讯", "三季度", "四季度", "前三季度"} & set(found)


def test_no_numbers_latin_function_words_or_single_characters(sample_entries):
    for e in sample_entries:
        assert len(e.simplified) >= 2
        assert not any(c.isdigit() or c.isascii() for c in e.simplified)
        assert e.simplified not in ("我们", "进行", "已经", "表示")


def test_entries_are_annotated(sample_entries):
    for e in sample_entries:
        assert e.pinyin and e.pinyin_numbered and e.zhuyin and e.traditional
        assert len(e.pinyin.split()) == len(e.simplified)
        assert e.kind in ("word", "term", "idiom", "slogan", "name")
        assert e.count >= 1 and e.examples and e.simplified in e.examples[0].sentence
    scores = [e.score for e in sample_entries]
    assert scores == sorted(scores, reverse=True)


def test_person_names_and_bylines_are_left_out():
    text = (
        "本报记者 王小明\n"
        "市发展改革委主任李建国表示，发展新质生产力要因地制宜。"
        "李建国说，新质生产力不是一哄而上。专家王小明认为，新质生产力需要耐心资本。"
    )
    found = terms(extract(text, glossary=False))
    assert "新质生产力" in found
    assert not any(n in t for t in found for n in ("李建国", "王小明", "本报记者"))


def test_known_words_and_max_hsk_are_removed(sample_entries):
    text = SAMPLE.read_text(encoding="utf-8")
    first = sample_entries[0].simplified
    assert first not in terms(extract(text, top=60, glossary=False, known={first}))
    low = extract(text, top=60, glossary=False, max_hsk=6)
    assert all(e.hsk is None or e.hsk > 6 for e in low)


def test_top_limits_and_empty_text():
    assert len(extract(SAMPLE.read_text(encoding="utf-8"), top=5)) == 5
    assert extract("") == [] and extract("hello world 123") == []


def test_traditional_input_is_analysed_and_shown_in_its_own_script():
    text = "發展新質生產力要因地制宜。新質生產力不是一鬨而上。各地發展新質生產力要先立後破。"
    entries = extract(text, glossary=False)
    by_term = {e.simplified: e for e in entries}
    assert "新质生产力" in by_term
    assert by_term["新质生产力"].traditional == "新質生產力"
    assert by_term["新质生产力"].examples[0].traditional.startswith("發展新質生產力")


def test_json_round_trip(sample_entries):
    from learn.entry import Entry

    data = json.loads(json.dumps([e.to_dict() for e in sample_entries], ensure_ascii=False))
    assert Entry.from_dict(data[0]) == sample_entries[0]


@pytest.mark.seed
@pytest.mark.skipif(not SEED.exists(), reason="../shared/corpus is not here")
def test_seed_article_core_coinages_come_out_whole():
    entries = extract(SEED.read_text(encoding="utf-8"), top=80, glossary=False)
    found = terms(entries)
    for term in ("新质生产力", "先立后破", "专精特新", "全要素生产率", "现代化产业体系"):
        assert term in found, term
    for fragment in ("新质", "模速", "核爆"):
        assert fragment not in found
    by_term = {e.simplified: e for e in entries}
    assert by_term["全要素生产率"].pinyin_numbered == "quan2 yao4 su4 sheng1 chan3 lv4"


def test_traditional_input_headword_and_repeated_sentences_counted():
    text = "發展新質生產力要因地制宜。新質生產力不是一鬨而上。" * 2 + "各地發展新質生產力。"
    entry = {e.simplified: e for e in extract(text, glossary=False)}["新质生产力"]
    assert entry.script == "traditional" and entry.headword == "新質生產力" and entry.other_form == "新质生产力"
    assert entry.count == 5


def test_long_noun_chain_whole_but_not_a_long_clause():
    text = (
        "各村发展新型农村集体经济。新型农村集体经济让农民增收。壮大新型农村集体经济要因地制宜。"
        "这里产业发展脱胎换骨。可以说产业发展脱胎换骨，农民也增收。"
    )
    found = terms(extract(text, glossary=False))
    assert "新型农村集体经济" in found and "新型农村" not in found
    assert "产业发展脱胎换骨" not in found


def test_verb_plus_productive_suffix_is_a_term():
    text = "要围绕产业链布局创新链。推动创新链各环节融合。创新链和产业链深度融合，科技创新加快。"
    assert "创新链" in terms(extract(text, glossary=False))


def test_abbreviation_split_in_two_at_the_end_is_kept_whole():
    text = "从能耗双控逐步转向碳排放双控。推动能耗双控落地见效。各地转向碳排放双控，碳排放双控要求更严。"
    found = terms(extract(text, glossary=False))
    assert "碳排放双控" in found and "能耗双控" in found


def test_unmarked_one_off_pairing_ranks_below_a_word_used_twice():
    text = "合唱团讲究声部协同。各地的禀赋不同，发展要看禀赋。"
    # the learned model, not a hand rule, decides where an unmarked pairing stands; marking it
    # by quotes must still lift it
    plain = {c.text: score for c, _, _, score in rank(text, glossary=False)[1]}
    quoted = {c.text: score for c, _, _, score in rank(text.replace("声部协同", "“声部协同”"), glossary=False)[1]}
    assert quoted["声部协同"] > plain["声部协同"]


def test_dictionary_word_jieba_cuts_apart_is_judged_by_its_common_pieces():
    found = terms(extract("这件事成了。发展要看禀赋。结果成了好事，禀赋重要，要看各地。", glossary=False))
    assert not {"这件", "成了好事", "结果成了"} & set(found)


def test_compressed_coinage_ends_where_single_characters_end():
    text = "推进源网荷储一体化，电源侧、电网侧、负荷侧、储能侧协同。源网荷储一体化项目落地。"
    found = terms(extract(text, glossary=False))
    assert {"源网荷储", "源网荷储一体化"} & set(found) and "源网荷" not in found


def test_four_character_parallel_list_marks_slogans():
    text = "今年经济工作要坚持稳中求进、以进促稳、先立后破。各地要积极培育新增长引擎。"
    found = terms(extract(text, glossary=False))
    assert {"稳中求进", "以进促稳", "先立后破"} <= set(found)


def test_prefix_character_at_the_end_belongs_to_the_next_word():
    text = "园区通过万兆全光网联接算力中心。企业通过万兆全光网联接数据平台。"
    assert "万兆全" not in terms(extract(text, glossary=False))


def test_frames_that_repeat_their_first_character_are_set_phrases():
    text = "发展特色产业不能照搬照抄，要因村施策。大院大所大校集聚，平台互联互通。系统实现实时监控。"
    found = terms(extract(text, glossary=False))
    assert {"照搬照抄", "大院大所大校", "互联互通"} <= set(found)
    assert "实现实时" not in found and "大院大所" not in found


def test_counted_abbreviations_are_slogans_but_counted_trips_are_not_words():
    text = "做好三农工作，三农问题是重中之重。办一件事要跑三趟，现在一趟都不用跑。乡村振兴要抓好三农。"
    entries = {e.simplified: e for e in extract(text, glossary=False)}
    assert entries["三农"].kind == "slogan"
    assert "三趟" not in entries and "一趟" not in entries


def test_new_type_plus_a_term_is_a_term_not_a_phrase():
    text = (
        "储能产业发展快。新型储能装机增长，储能电站不断建成。发展新型储能要守住安全底线。储能技术进步，储能成本下降。"
    )
    entries = {e.simplified: e for e in extract(text, glossary=False)}
    assert entries["新型储能"].kind == "term"
    order = list(entries)
    assert order.index("新型储能") < order.index("储能")


def test_an_unknown_stem_with_a_bay_or_lake_suffix_is_a_place():
    text = "在鹤屿湾，海上风电项目陆续投产。鹤屿湾的渔民也参与运维。鹤屿湾还建了储能电站。"
    assert "鹤屿湾" not in terms(extract(text, glossary=False))
    named = {e.simplified: e.kind for e in extract(text, glossary=False, include_names=True)}
    assert named.get("鹤屿湾") == "name"


def test_object_cut_off_its_set_preposition_is_not_a_term():
    text = "发展要从实际出发，因地制宜。各地从实际出发，分类指导。始终从实际出发，防止一哄而上。"
    assert "实际出发" not in terms(extract(text, glossary=False))


def test_two_character_word_jieba_splits_is_found_when_seen_often_together():
    text = (
        "按照一揽子化债方案推进化债。化债不是不要发展，而是在发展中化债。记者林书遥报道。林书遥说，林书遥认为化债要稳。"
    )
    found = terms(extract(text, glossary=False))
    assert "化债" in found
    assert "书遥" not in found  # a given name after its surname, not a word


def test_a_part_never_seen_on_its_own_is_a_fragment():
    text = "从能耗双控逐步转向碳排放双控。推动能耗双控落地见效。各地转向碳排放双控，碳排放双控要求更严。"
    found = terms(extract(text, glossary=False))
    assert "能耗双控" in found and "碳排放双控" in found and "双控" not in found


def test_frames_with_a_two_character_unit_and_no_mere_repetition():
    text = "小微企业常被融资难融资贵困扰。银行要一条链一条链地服务，推动长钱长投。"
    found = terms(extract(text, glossary=False))
    assert "融资难融资贵" in found and "一条链一条链" not in found


def test_a_tight_four_part_noun_chain_is_one_term():
    text = "破除地方保护，建设全国统一大市场。企业要融入全国统一大市场，统一大市场让要素流动更顺畅。"
    found = terms(extract(text, glossary=False))
    assert "全国统一大市场" in found and "大市场" not in found


def test_an_affix_modifier_before_a_set_term_is_one_term_even_once():
    text = "城市要对接国家重大科技任务，在新型举国体制中找准位置，推进新型城镇化。"
    found = terms(extract(text, glossary=False))
    assert "新型举国体制" in found and "举国体制" not in found
    assert "新型城镇化" in found


def test_short_place_names_are_not_vocabulary():
    text = (
        "溪宁市推进数字化转型。溪宁的数据中心去年投用，溪宁还建了算力平台。"
        "澄川：向难题要答案。澄川设立基金，澄川大学牵头攻关，澄川高新区企业参与。"
    )
    found = terms(extract(text, glossary=False))
    assert "溪宁" not in found and "澄川" not in found and "溪宁市" not in found


def test_quoted_clauses_and_time_phrases_are_not_terms():
    text = (
        "今年以来，消费回暖。“资金跟着项目走”，专项债投向更准。今年以来，“资金跟着项目走”成了共识。"
        "“死亡之谷”难跨越，专项债要用好。"
    )
    found = terms(extract(text, glossary=False))
    assert "资金跟着项目走" not in found and "今年以来" not in found
    assert "死亡之谷" in found


def test_counted_shares_whole_units_and_can_forms_are_not_terms():
    text = (
        "全县近三成村庄发展特色产业，全县农民增收。核心技术是买不来、讨不来的，"
        "各个部门要合力，有的地方还在观望。各个部门、有的地方都要行动。近三成企业参与。"
    )
    found = terms(extract(text, glossary=False))
    assert not {"全县", "近三成", "买不来", "讨不来", "各个部门", "有的地方"} & set(found)


def test_a_village_name_is_kept_whole_as_a_name():
    text = (
        "桑塘村的蚕桑产业远近闻名。村支书说，桑塘村把蚕房改成了工坊。"
        "回到桑塘村，游客可以体验缫丝。桑塘村的集体收入翻了一番。"
    )
    assert "塘村" not in terms(extract(text, glossary=False))
    named = {e.simplified: e.kind for e in extract(text, glossary=False, include_names=True)}
    assert named.get("桑塘村") == "name"


def test_traditional_input_keeps_its_script_in_clauses_cut_from_a_sentence():
    text = (
        "我們要大力發展新質生產力，這是推動高質量發展的內在要求和重要著力點，各地紛紛把培育新質生產力作為今年工作的"
        "頭等大事，新質生產力的提法已經寫入政府工作報告之中。新質生產力帶來新變化。"
    )
    cut = [
        ex
        for e in extract(text, glossary=False)
        for ex in e.examples
        if ex.sentence.startswith("…") or ex.sentence.endswith("…")
    ]
    assert cut and all(ex.traditional.strip("…") in text for ex in cut)


def test_a_named_policy_is_vocabulary_but_people_and_places_are_names():
    text = (
        "北京的学校落实“双减”已经三年。习近平主席提出的共建一带一路倡议，让北京的企业走了出去。"
        "“双减”以后，北京的孩子作业少了。"
    )
    kinds = {c.text: kind for c, kind, _, _ in rank(text, glossary=False)[1]}
    assert kinds.get("双减") != "name" and kinds.get("一带一路") != "name"
    assert kinds.get("北京", "name") == "name"  # ranked low or labelled a name, never vocabulary
    assert "双减" in terms(extract(text, glossary=False))


def test_a_given_name_does_not_outlive_the_person_it_belongs_to():
    text = (
        "园区管委会主任谭启明介绍，今年外贸增长很快。谭启明说，企业都在建海外仓。谭启明表示，明年还要再建三个海外仓。"
    )
    found = terms(extract(text, glossary=False))
    assert "启明" not in found and "谭启明" not in found


# Our own short news text with the patterns a new user met on an ice-and-snow article (issue 19):
# clause pieces, fragments of longer terms, a document title taken for an idiom, quoted slogans
# and a member of a 、-series.
ICE_AND_SNOW = (
    "冰雪经济成为北方小城的新名片\n"
    "今年年初，国务院办公厅印发关于以冰雪运动高质量发展激发冰雪经济活力的若干意见，"
    "提出推动冰雪运动、冰雪文化、冰雪装备、冰雪旅游、冰雪康养全链条发展。"
    "记者在当地看到，群众性冰雪运动越办越红火，各地按照“北冰南展西扩东进”的思路布局场地。"
    "清晨，雪场的压雪车和造雪机开始作业。场地负责人说，过去压雪车全靠进口，如今国产造雪机也用上了。"
    "“冰天雪地也是金山银山”，县里把冰雪资源变成了增收门路，冰雪康养和冰雪研学成了新卖点。"
    "业内人士认为，激发冰雪经济活力，要补齐冰雪装备短板，让群众性冰雪运动有场地、有教练。"
    "冬奥会留下的场馆也要用好，冰雪经济才能四季有客。"
)


def test_ice_and_snow_text_has_no_clause_pieces_or_fragments_and_keeps_marked_terms():
    entries = extract(ICE_AND_SNOW, top=40, glossary=False)
    found = terms(entries)
    for junk in ("激发冰雪经济活力", "国务院办公厅印发", "群众性冰雪", "雪车"):
        assert junk not in found, junk
    for term in ("冰雪经济", "北冰南展西扩东进", "冰天雪地也是金山银山", "冰雪康养"):
        assert term in found, term
    kinds = {e.simplified: e.kind for e in entries}
    assert kinds.get("若干意见", "term") != "idiom"


def test_traditional_input_finds_what_its_simplified_form_finds():
    """A name or term of a traditional text comes out whole, as from the same text in simplified
    script (政院 must not be cut from 行政院)."""
    from learn.language import lexicon

    text = (
        "行政院會今天通過住宅法修正草案，行政院長表示，社會住宅要加速興建。"
        "行政院說明，包租代管將擴大辦理，租金補貼也會加碼。"
        "立法院與行政院將協商，讓青年安心成家。行政院並要求各部會配合。"
    )
    assert _simplified_terms(text) == _simplified_terms(lexicon.to_simplified(text))
    found = _simplified_terms(text, include_names=True)
    assert "行政院" in found and "政院" not in found


def _simplified_terms(text, **options):
    return [e.simplified for e in extract(text, top=40, glossary=False, **options)]
