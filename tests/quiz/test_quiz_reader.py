"""The reader's data (learn.quiz.reader): the text cleaned as the handout's reading is, pages that
cover it exactly, terms marked longest first, readings under the right characters in each
pinyin mode, and what the word panel shows."""

from __future__ import annotations

import json

import pytest
from reader_text import BYLINE, CAPTION, HEADLINE, TEXT, reader_entries

from learn.entry import Entry
from learn.quiz import reader


def test_the_text_is_cleaned_like_the_handouts_reading() -> None:
    doc = reader.document(TEXT)
    shown = "".join(b.text for page in doc.pages for b in page)
    assert doc.title == HEADLINE
    assert HEADLINE not in shown and BYLINE not in shown and CAPTION not in shown
    assert "这座城市把新质生产力写进了年度计划。" in shown and shown.endswith("先立后破。")


def test_pages_cover_a_long_text_in_order_within_the_limit() -> None:
    paragraphs = [f"第{n}段。" + "城市发展离不开年轻人的创新。" * (n % 7 + 1) for n in range(300)]
    blocks = [reader.Block(p) for p in paragraphs] + [reader.Block("长" * 50 + "。" + "短句。" * 900)]
    pages = reader.paginate(blocks, 2000)
    assert len(pages) > 5
    assert all(sum(len(b.text) for b in page) <= 2000 for page in pages)
    assert "".join(b.text for page in pages for b in page) == "".join(b.text for b in blocks)


def test_a_heading_never_ends_a_page() -> None:
    blocks = [reader.Block("甲" * 900 + "。"), reader.Block("小标题", heading=True), reader.Block("乙" * 900 + "。")]
    pages = reader.paginate(blocks, 1000)
    assert [[b.heading for b in page] for page in pages] == [[False], [True, False]]


def test_terms_are_marked_longest_first() -> None:
    entries = [Entry("生产力", pinyin="shēng chǎn lì"), Entry("新质生产力", pinyin="xīn zhì shēng chǎn lì")]
    marker = reader.Marker(entries)
    text = "发展新质生产力，提高生产力。"
    assert [(text[a:b], n) for a, b, n in marker.spans(text)] == [("新质生产力", 1), ("生产力", 0)]


@pytest.mark.parametrize("mode", ["off", "terms", "all"])
def test_page_segments_rebuild_the_paragraph_and_carry_readings_by_mode(mode: str) -> None:
    doc = reader.document(TEXT)
    entries = reader_entries()
    page = reader.page_data(doc.pages[0], reader.Marker(entries), mode)
    assert ["".join(s["t"] for s in p["s"]) for p in page] == [b.text for b in doc.pages[0]]
    terms = [s for p in page for s in p["s"] if "k" in s]
    plain = [s for p in page for s in p["s"] if "k" not in s]
    assert {entries[s["k"]].simplified for s in terms} >= {"新质生产力", "绿色", "先立后破", "人工智能"}
    for seg in terms:
        assert seg["t"] == entries[seg["k"]].headword
        assert len(seg["n"]) == len(seg["t"])  # tone colours even without pinyin
        if mode == "off":
            assert "r" not in seg
        else:
            assert " ".join(r for r in seg["r"] if r) == entries[seg["k"]].pinyin
    assert all(("r" in s) == (mode == "all") for s in plain)
    json.dumps(page)  # what the component receives


def test_every_word_mode_reads_each_character_in_context() -> None:
    page = reader.page_data([reader.Block("银发经济重复了一哄而上的老路。")], reader.Marker([]), "all")
    seg = page[0]["s"][0]
    readings = dict(zip(seg["t"], seg["r"], strict=True))
    assert readings["银"] == "yín" and readings["发"] == "fà" and readings["重"] == "chóng"
    assert readings["哄"] == "hòng" and readings["。"] == ""
    assert seg["n"][seg["t"].index("银")] == "2" and seg["n"][-1] == "0"


def test_a_traditional_paragraph_is_read_too() -> None:
    page = reader.page_data([reader.Block("銀髮經濟持續發展。")], reader.Marker([]), "all")
    assert page[0]["s"][0]["r"][:4] == ["yín", "fà", "jīng", "jì"]


def test_unknown_modes_are_refused() -> None:
    with pytest.raises(ValueError):
        reader.page_data([], reader.Marker([]), "some")


def test_the_panel_has_reading_forms_meaning_measure_words_and_new_since() -> None:
    entries = reader_entries()
    cards = reader.term_cards(entries)
    first, develop = cards[0], cards[2]
    assert first["word"] == "新质生产力" and first["other"] == "新質生產力"
    assert first["pinyin"] == "xīn zhì shēng chǎn lì" and first["n"] == "14134"
    assert first["meaning"] == "new quality productive forces" and first["new"] == "2023"
    assert develop["classifiers"] == ["个 gè"] and develop["level"] == "HSK 2"
    assert first["key"] == entries[0].key


def test_a_traditional_text_shows_traditional_first_and_speaks_taiwanese_mandarin() -> None:
    entries = [Entry("发展", "發展", "fā zhǎn", "fa1 zhan3", script="traditional")]
    card = reader.term_cards(entries)[0]
    assert (card["word"], card["other"]) == ("發展", "发展")
    assert reader.language(entries) == "zh-TW" and reader.language(reader_entries()) == "zh-CN"
    marker = reader.Marker(entries)
    assert marker.spans("經濟發展") == [(2, 4, 0)]


def test_user_text_stays_data() -> None:
    """The component puts text in with textContent; here it only has to arrive unchanged."""
    page = reader.page_data(
        [reader.Block("<script>alert(1)</script>新质生产力")], reader.Marker(reader_entries()), "terms"
    )
    assert page[0]["s"][0]["t"] == "<script>alert(1)</script>"
