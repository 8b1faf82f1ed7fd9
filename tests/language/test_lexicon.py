"""Lexicon: the SQLite cache compiles from the packages and answers look-ups."""

import importlib

from learn.language import lexicon


def test_lookups():
    senses = lexicon.cedict_lookup(["银发", "不存在的词"])
    assert "不存在的词" not in senses
    assert senses["银发"][0].traditional == "銀髮" and senses["银发"][0].pinyin == "yin2 fa4"
    assert lexicon.zipf_lookup(["发展"])["发展"] > 5
    assert "上海" in lexicon.headwords(names=True) and "上海" not in lexicon.headwords()
    assert lexicon.hsk_levels()["因地制宜"] == 7
    assert lexicon.pos_tags(["推动"])["推动"] == "v"
    assert lexicon.bigram_reading("一哄")


def test_cache_is_built_where_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARN_CACHE_DIR", str(tmp_path))
    fresh = importlib.reload(lexicon)
    try:
        assert fresh.cedict_lookup(["赋能"])["赋能"][0].pinyin == "fu4 neng2"
        assert list(tmp_path.glob("lexicon-*.sqlite3"))
        assert not list(tmp_path.glob("*.part"))
    finally:
        monkeypatch.delenv("LEARN_CACHE_DIR")
        importlib.reload(lexicon)


def test_cut_by_remembered_blocks_matches_jieba():
    """cut() joins jieba's tokens block by block, from a cache: the same tokens as one jieba call,
    for mixed text and for the same block met again inside another sentence."""
    jieba = lexicon._jieba()
    texts = [
        "新质生产力是推动高质量发展的内在要求，2024年GDP增长5.2%！",
        "高质量发展 AI-based 技术。\n新质生产力",
        "",
        "，。",
        "“银发经济”",
    ]
    for text in texts:
        assert lexicon.cut(text) == jieba.lcut(text, HMM=False)


def test_remembered_lookups_are_fresh_copies():
    """A caller that changes the lists it gets back does not change what the next caller sees."""
    first = lexicon.cedict_lookup(["银发", "发展"])
    first["银发"].clear()
    again = lexicon.cedict_lookup({"发展", "银发", "不存在的词"})
    assert again["银发"]  # not emptied above
    assert list(again) == list(lexicon._cedict_rows(["银发", "发展"]))  # dictionary order
    assert lexicon.pos_tags(["推动", "不存在的词"]) == {"推动": "v"}
    assert lexicon.pos_tags(["推动", "不存在的词"]) == {"推动": "v"}  # remembered, same answer
