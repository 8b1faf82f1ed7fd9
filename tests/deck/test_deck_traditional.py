"""Decks from traditional-script texts: traditional first on every card, checked with the real Anki importer."""

from __future__ import annotations

import re
from pathlib import Path

import genanki
import pytest
from test_deck import (
    XINZHI,
    YINFA,
    _package_rows,
    assert_renders,
    import_package,
    imported_without_markup,
    new_collection,
    visible,
)

from learn import deck
from learn.deck import CLOZE_FIELDS, VOCAB_FIELDS, build_deck, known_words_from_package, notes
from learn.entry import Entry, Example, Part
from learn.errors import UsageError

pytest.importorskip("anki.collection")

VOCAB_T, CLOZE_T = deck.VOCAB_MODEL_NAME_TRADITIONAL, deck.CLOZE_MODEL_NAME_TRADITIONAL


def traditional(e: Entry, **changes) -> Entry:
    """The same word as found in a traditional-script text."""
    return Entry.from_dict({**e.to_dict(), "script": "traditional", **changes})


XINZHI_T = traditional(XINZHI)
YINFA_T = traditional(YINFA)
SAME_T = Entry(
    "因地制宜",
    "因地制宜",
    "yīn dì zhì yí",
    "yin1 di4 zhi4 yi2",
    definitions=["adapt to local conditions"],
    kind="idiom",
    script="traditional",
    source="tw.txt",
    examples=[Example("发展要因地制宜。", "fā zhǎn yào yīn dì zhì yí", "發展要因地制宜。")],
)
COMPOSED_T = Entry(
    "传统产业",
    "傳統產業",
    "chuán tǒng chǎn yè",
    "chuan2 tong3 chan3 ye4",
    script="traditional",
    definitions=["传统 “tradition” + 产业 “industry”"],
    gloss_source="composed",
    parts=[Part("传统", "chuán tǒng", "tradition"), Part("产业", "chǎn yè", "industry")],
    examples=[Example("改造传统产业。", "gǎi zào chuán tǒng chǎn yè", "改造傳統產業。")],
)
TRAD_ENTRIES = [XINZHI_T, YINFA_T, SAME_T]
TRAD_NOTES = 3 * 2  # a vocabulary and a cloze note each
TRAD_CARDS = 3 * 3 - 1 + 3  # recognition, recall (not 新质生产力: a composed gloss), context + cloze


def note_types(col) -> dict[str, str]:
    """Simplified form (cloze notes marked) → note type name, for every note."""
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cloze = " cloze" if "Text" in note else ""
        out[note["Simplified"] + cloze] = note.note_type()["name"]
    return out


def cards_of(col, simplified: str) -> dict[str, object]:
    """Card name → card, for the vocabulary and cloze notes of one word."""
    return {col.get_card(c).template()["name"]: col.get_card(c) for c in col.find_cards(f"Simplified:{simplified}")}


@pytest.fixture(scope="module")
def trad_built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trad")
    path = build_deck(TRAD_ENTRIES, folder / "tw.apkg", name="Taiwan news", timestamp=1_700_000_000)
    col = new_collection(folder)
    log = import_package(col, path)
    yield path, col, log
    col.close()


# ---------------------------------------------------------------------------- note types


def test_traditional_note_types_keep_the_frozen_fields_and_card_names():
    for traditional in (False, True):
        vocab, cloze = deck.vocabulary_model(traditional), deck.cloze_model(traditional)
        assert [f["name"] for f in vocab.fields] == list(VOCAB_FIELDS)
        assert [f["name"] for f in cloze.fields] == list(CLOZE_FIELDS)
        assert [t["name"] for t in vocab.templates] == ["Recognition", "Recall", "Context"]
        assert [t["name"] for t in cloze.templates] == ["Cloze"]
    assert deck.vocabulary_model(True).name == "learn vocabulary (traditional)"
    assert deck.cloze_model(True).name == "learn cloze (traditional)"
    assert deck.vocabulary_model(True).model_id == deck.stable_id(VOCAB_T) == 2007439551  # pinned
    assert deck.cloze_model(True).model_id == deck.stable_id(CLOZE_T) == 1378672319
    assert deck.vocabulary_model().model_id == 1918310968 and deck.cloze_model().model_id == 1494575588


def test_a_traditional_text_imports_cleanly_into_the_traditional_note_types(trad_built):
    _, col, log = trad_built
    assert len(log.new) == TRAD_NOTES and not log.conflicting and not log.updated
    assert col.note_count() == TRAD_NOTES and col.card_count() == TRAD_CARDS
    assert set(note_types(col).values()) == {VOCAB_T, CLOZE_T}
    models = {m.name for m in col.models.all_names_and_ids()}
    assert {VOCAB_T, CLOZE_T} <= models and not any(n.endswith("+") for n in models)
    assert_renders(col)


def test_guids_are_the_key_hash_marked_traditional(trad_built):
    path, _, _ = trad_built
    guids = {g for (g,) in _package_rows(path, "SELECT guid FROM notes")}
    key = XINZHI.key
    assert {genanki.guid_for("traditional", key), genanki.guid_for("traditional", "cloze", key)} <= guids
    assert genanki.guid_for("traditional", key) == "^NFc86DoV"  # pinned: same word, same note, forever
    assert genanki.guid_for(key) not in guids and genanki.guid_for("cloze", key) not in guids


# ---------------------------------------------------------------------------- what the cards show


def compact(card_html: str) -> str:
    """What a reader sees, without the gaps between blocks, ruby readings dropped."""
    return re.sub(r"\s+", "", visible(re.sub(r"<rt>.*?</rt>", "", card_html, flags=re.S)))


def hanzi_divs(card_html: str) -> list[str]:
    """Text of each headword block (class "hanzi"), ruby readings dropped, in order."""
    blocks = re.findall(r'<div class="hanzi" lang="([^"]+)">(.*?)</div>', card_html, flags=re.S)
    return [f"{lang}:{re.sub(r'<rt>.*?</rt>|<[^>]+>', '', inner)}" for lang, inner in blocks]


def test_recognition_shows_the_traditional_form_first(trad_built):
    _, col, _ = trad_built
    card = cards_of(col, "新质生产力")["Recognition"]
    question = card.question()
    assert hanzi_divs(question) == ["zh-Hant:新質生產力"]
    assert visible(question).split() == ["新質生產力", "新质生产力", "sound", "and", "meaning?"]
    assert '<div class="other-form" lang="zh-Hans">新质生产力</div>' in question
    assert "tone" not in re.sub(r"<style>.*?</style>", "", question, flags=re.S)  # no tone colours: no hints
    answer = card.answer()
    assert hanzi_divs(answer) == ["zh-Hant:新質生產力"]
    assert '<ruby class="tone4">質<rt>zhì</rt></ruby>' in answer
    shown = compact(answer)
    assert shown.startswith("新質生產力新质生产力ㄒㄧㄣ")
    assert shown.index("要加快培育新質生產力") < shown.index("要加快培育新质生产力")


def test_a_word_written_alike_in_both_scripts_shows_once(trad_built):
    _, col, _ = trad_built
    card = cards_of(col, "因地制宜")["Recognition"]
    assert visible(card.question()).split() == ["因地制宜", "sound", "and", "meaning?"]
    answer = compact(card.answer())
    assert answer.startswith("因地制宜adapt")  # no second line under the headword
    assert answer.count("因地制宜") == 3  # headword, the traditional sentence, the simplified one
    assert "發展要因地制宜" in answer and "发展要因地制宜" in answer


def test_context_asks_with_the_traditional_sentence(trad_built):
    _, col, _ = trad_built
    question = cards_of(col, "新质生产力")["Context"].question()
    assert '<div class="sentence" lang="zh-Hant">要加快培育<span class="hl">新質生產力</span>' in question
    assert not re.search("[质产]", visible(question))


def test_cloze_hides_the_traditional_form_in_the_traditional_sentence(trad_built):
    _, col, _ = trad_built
    card = cards_of(col, "新质生产力")["Cloze"]
    front = compact(card.question())
    assert front.startswith("要加快培育[...]，推動產業升級。")  # no hint from a composed gloss
    assert "新質生產力" not in front and "新质生产力" not in front
    note = card.note()
    assert note["Text"] == "要加快培育{{c1::新質生產力}}，推動產業升級。"
    assert hanzi_divs(card.answer()) == ["zh-Hant:新質生產力"]
    assert "要加快培育新質生產力，推動產業升級。" in compact(card.answer())


def test_recall_answer_leads_with_traditional(trad_built):
    _, col, _ = trad_built
    card = cards_of(col, "银发")["Recall"]
    assert visible(card.question()).startswith("silver hair; the elderly")
    assert not re.search("[银銀发髮]", visible(card.question()))
    assert hanzi_divs(card.answer()) == ["zh-Hant:銀髮"]


def test_chinese_inside_meanings_follows_the_script(tmp_path):
    assert deck.in_traditional("variant of 發|发[fa1]") == "variant of 發[fa1]"
    assert deck.in_traditional("no Chinese here") == "no Chinese here"
    assert deck.in_traditional("里", "tw") == "裡" and deck.in_traditional("里", "hk") == "裏"
    col = new_collection(tmp_path)
    import_package(col, build_deck([COMPOSED_T], tmp_path / "c.apkg", timestamp=1_700_000_000))
    (nid,) = col.find_notes(f'"note:{VOCAB_T}"')
    note = col.get_note(nid)
    assert note["Meaning"] == "傳統 “tradition” + 產業 “industry”"
    assert note["MeaningPrompt"] == "" and "Recall" not in cards_of(col, "传统产业")  # a guess is not asked for
    assert '<span class="part-text" lang="zh-Hant">傳統</span>' in note["Parts"]
    assert_renders(col)
    col.close()


# ---------------------------------------------------------------------------- rebuilding and importing


def test_reimporting_a_traditional_deck_adds_nothing(trad_built):
    path, col, _ = trad_built
    log = import_package(col, path)
    assert not log.new and not log.updated and not log.conflicting
    assert col.note_count() == TRAD_NOTES and col.card_count() == TRAD_CARDS


def test_a_rebuilt_traditional_deck_updates_its_notes_in_place(tmp_path):
    col = new_collection(tmp_path)
    import_package(col, build_deck(TRAD_ENTRIES, tmp_path / "v1.apkg", timestamp=1_700_000_000))
    ids = sorted(col.find_notes(""))
    changed = [XINZHI_T, traditional(YINFA, definitions=["the silver-haired"]), SAME_T]
    log = import_package(col, build_deck(changed, tmp_path / "v2.apkg", timestamp=1_700_000_100))
    assert not log.new and not log.conflicting and len(log.updated) == TRAD_NOTES
    assert sorted(col.find_notes("")) == ids and col.card_count() == TRAD_CARDS
    (nid,) = col.find_notes(f'"note:{VOCAB_T}" Simplified:银发')
    assert col.get_note(nid)["Meaning"] == "the silver-haired"
    col.close()


def test_a_traditional_deck_after_a_simplified_one_adds_its_notes_and_skips_none(tmp_path):
    col = new_collection(tmp_path)
    simplified = [XINZHI, YINFA]
    import_package(col, build_deck(simplified, tmp_path / "cn.apkg", name="words", timestamp=1_700_000_000))
    before = {nid: col.get_note(nid).fields for nid in col.find_notes("")}
    log = import_package(
        col, build_deck([XINZHI_T, YINFA_T], tmp_path / "tw.apkg", name="words", timestamp=1_700_000_100)
    )
    assert len(log.new) == 4 and not log.conflicting and not log.updated and not log.duplicate
    assert {nid: col.get_note(nid).fields for nid in before} == before  # simplified notes untouched
    kinds = sorted(col.get_note(n).note_type()["name"] for n in col.find_notes(""))
    assert kinds == sorted(["learn vocabulary", "learn cloze", VOCAB_T, CLOZE_T] * 2)
    again = import_package(
        col, build_deck([XINZHI_T, YINFA_T], tmp_path / "tw2.apkg", name="words", timestamp=1_700_000_200)
    )
    assert not again.new and len(again.updated) == 4 and col.note_count() == 8
    col.close()


def test_sharing_the_simplified_guids_would_skip_the_traditional_notes(tmp_path, monkeypatch):
    """Why the traditional note types have GUIDs of their own: Anki's importer skips a note whose
    GUID exists under another note type (logged as conflicting) instead of adding or updating it."""
    col = new_collection(tmp_path)
    import_package(col, build_deck([YINFA], tmp_path / "cn.apkg", timestamp=1_700_000_000))
    monkeypatch.setattr(
        notes,
        "note_guid",
        lambda identity, cloze=False, traditional=False: genanki.guid_for(*(("cloze",) if cloze else ()), identity),
    )
    log = import_package(col, build_deck([YINFA_T], tmp_path / "tw.apkg", timestamp=1_700_000_100))
    assert len(log.conflicting) == 2 and not log.new and not log.updated
    assert {col.get_note(n).note_type()["name"] for n in col.find_notes("")} == {"learn vocabulary", "learn cloze"}
    col.close()


# ---------------------------------------------------------------------------- simplified, mixed, forced


def test_a_simplified_deck_has_only_the_original_note_types(tmp_path):
    path = build_deck([XINZHI, YINFA], tmp_path / "cn.apkg", timestamp=1_700_000_000)
    col = new_collection(tmp_path)
    import_package(col, path)
    assert set(note_types(col).values()) == {"learn vocabulary", "learn cloze"}
    assert not any("traditional" in m.name for m in col.models.all_names_and_ids())
    assert hanzi_divs(cards_of(col, "新质生产力")["Recognition"].question()) == ["zh-Hans:新质生产力"]
    col.close()


def test_a_deck_may_mix_both_scripts(tmp_path):
    col = new_collection(tmp_path)
    log = import_package(col, build_deck([XINZHI, YINFA_T], tmp_path / "mixed.apkg", timestamp=1_700_000_000))
    assert len(log.new) == 4 and not log.conflicting
    assert note_types(col) == {
        "新质生产力": "learn vocabulary",
        "新质生产力 cloze": "learn cloze",
        "银发": VOCAB_T,
        "银发 cloze": CLOZE_T,
    }
    assert hanzi_divs(cards_of(col, "新质生产力")["Recognition"].question()) == ["zh-Hans:新质生产力"]
    assert hanzi_divs(cards_of(col, "银发")["Recognition"].question()) == ["zh-Hant:銀髮"]
    assert_renders(col)
    col.close()


def test_the_script_option_forces_one_script(tmp_path):
    col = new_collection(tmp_path)
    import_package(
        col, build_deck([XINZHI, YINFA_T], tmp_path / "t.apkg", script="traditional", timestamp=1_700_000_000)
    )
    assert set(note_types(col).values()) == {VOCAB_T, CLOZE_T}
    assert hanzi_divs(cards_of(col, "新质生产力")["Recognition"].question()) == ["zh-Hant:新質生產力"]
    col2 = new_collection(tmp_path, "col2")
    import_package(
        col2, build_deck([XINZHI, YINFA_T], tmp_path / "s.apkg", script="simplified", timestamp=1_700_000_000)
    )
    assert set(note_types(col2).values()) == {"learn vocabulary", "learn cloze"}
    with pytest.raises(UsageError, match="unknown script 'pinyin'; choose from simplified, traditional"):
        build_deck([XINZHI], tmp_path / "bad.apkg", script="pinyin")
    assert not (tmp_path / "bad.apkg").exists()
    col.close()
    col2.close()


def test_a_traditional_example_missing_falls_back_to_the_simplified_sentence(tmp_path):
    bare = traditional(YINFA, examples=[{"sentence": "银发经济正在兴起。", "pinyin": "yín fà"}])
    fields = dict(zip(CLOZE_FIELDS, deck.cloze_fields(bare, traditional=True), strict=True))
    assert fields["Text"].startswith("{{c1::银发::silver hair}}经济")
    vocab = dict(zip(VOCAB_FIELDS, deck.vocabulary_fields(bare, deck.CARD_TYPES, traditional=True), strict=True))
    assert vocab["SentenceTraditional"] == "" and vocab["MakeContext"] == "y"
    col = new_collection(tmp_path)
    import_package(col, build_deck([bare], tmp_path / "b.apkg", timestamp=1_700_000_000))
    assert col.card_count() == 4
    assert '<span class="hl">银发</span>' in cards_of(col, "银发")["Context"].question()
    assert_renders(col)
    col.close()


def test_markup_in_traditional_text_shows_as_text(tmp_path):
    nasty = Entry(
        "新<b>旧",
        "新<b>舊",
        "xīn jiù",
        "xin1 jiu4",
        definitions=["<i>x</i> {{c2::y}}"],
        script="traditional",
        examples=[Example("说新<b>旧。", "shuō", "說新<b>舊。")],
    )
    col = imported_without_markup(tmp_path, nasty, "<b>")
    (cid,) = col.find_cards(f'"note:{CLOZE_T}"')
    cloze = col.get_card(cid)
    assert "新<b>舊" in visible(cloze.answer()) and "說" in visible(cloze.question())
    col.close()


# ---------------------------------------------------------------------------- reading decks back


def test_known_words_from_a_traditional_deck(trad_built):
    path, _, _ = trad_built
    assert {"新質生產力", "新质生产力", "銀髮", "银发", "因地制宜"} <= known_words_from_package(path)


def test_known_words_from_a_learner_export_with_traditional_notes(tmp_path):
    from anki.collection import ExportAnkiPackageOptions

    col = new_collection(tmp_path)
    import_package(col, build_deck([XINZHI, YINFA_T], tmp_path / "mixed.apkg", timestamp=1_700_000_000))
    out = tmp_path / "export.apkg"
    col.export_anki_package(
        out_path=str(out),
        limit=None,
        options=ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False),
    )
    col.close()
    words = known_words_from_package(out)
    assert {"新质生产力", "新質生產力", "银发", "銀髮"} <= words
    assert not any("<" in w or "{" in w for w in words)


# ---------------------------------------------------------------------------- from a real text

TAIWAN_TEXT = (
    "政府表示，發展新質生產力要因地制宜，不能一鬨而上。各縣市正在推動新質生產力，也關注銀髮經濟。銀髮經濟的商機很大。"
)


@pytest.fixture(scope="module")
def taiwan_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tw") / "taiwan-news.txt"
    path.write_text(TAIWAN_TEXT, encoding="utf-8")
    return path


def test_extracted_traditional_text_gives_a_traditional_first_deck(tmp_path, taiwan_file):
    from learn.cli import main

    out = tmp_path / "tw.apkg"
    assert main(["deck", str(taiwan_file), "-o", str(out), "--top", "8"]) == 0
    col = new_collection(tmp_path)
    log = import_package(col, out)
    assert log.new and not log.conflicting
    assert set(note_types(col).values()) == {VOCAB_T, CLOZE_T}
    cards = cards_of(col, "新质生产力")
    assert hanzi_divs(cards["Recognition"].question()) == ["zh-Hant:新質生產力"]
    assert '<span class="hl">新質生產力</span>' in cards["Context"].question()
    assert "新質生產力" in visible(cards["Cloze"].answer())
    # two sentences hold the term: the Context card asks with the first, the cloze with the second
    assert "發展" in visible(cards["Context"].question()) and "各縣市" in visible(cards["Cloze"].question())
    assert_renders(col)
    col.close()
    forced = tmp_path / "cn.apkg"
    assert main(["deck", str(taiwan_file), "-o", str(forced), "--top", "8", "--script", "simplified"]) == 0
    col = new_collection(tmp_path, "forced")
    import_package(col, forced)
    assert set(note_types(col).values()) == {"learn vocabulary", "learn cloze"}
    col.close()
