"""The Anki deck, checked with the real Anki importer and renderer (the `anki` package)."""

from __future__ import annotations

import html
import re
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from learn import deck
from learn.deck import (
    CLOZE_FIELDS,
    VOCAB_FIELDS,
    build_deck,
    deck_name,
    known_words_from_package,
    markup,
    notetypes,
    parse_cards,
)
from learn.entry import TONE_COLOURS, Entry, Example, Part
from learn.errors import LearnError, UsageError

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection


# ---------------------------------------------------------------------------- helpers


def new_collection(folder: Path, name: str = "col") -> Collection:
    return Collection(str(folder / f"{name}.anki2"))


def import_package(col: Collection, path: Path):
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(path), options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True)
    )
    return col.import_anki_package(request).log


_ANKI_PROBLEMS = ("problem", "unknown field", "front of this card is blank", "error")


PLAY = re.compile(r"\[anki:play:[qa]:\d+\]")  # where Anki's reviewer puts a play button


def visible(card_html: str) -> str:
    """What a reader sees: the HTML without style/script blocks, tags and play buttons, entities decoded."""
    text = re.sub(r"<(style|script)\b.*?</\1>", "", card_html, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", PLAY.sub(" ", text))).strip()


def assert_renders(col: Collection, braces_in_text: bool = False) -> None:
    """Every card: no template problem on either side, something visible on the front.

    Leftover ``{{`` means a field or filter Anki did not replace (unless the text has braces).
    """
    problems = _ANKI_PROBLEMS + (() if braces_in_text else ("{{", "}}"))
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        question, answer = card.question(), card.answer()
        for side in (visible(question).lower(), visible(answer).lower()):
            assert not any(p in side for p in problems), side
        assert visible(question), f"blank front: card {card.template()['name']}"


def entry(simplified: str, pinyin: str, numbered: str, **kw) -> Entry:
    return Entry(simplified=simplified, pinyin=pinyin, pinyin_numbered=numbered, **kw)


XINZHI = entry(
    "新质生产力",
    "xīn zhì shēng chǎn lì",
    "xin1 zhi4 sheng1 chan3 li4",
    traditional="新質生產力",
    zhuyin="ㄒㄧㄣ ㄓˋ ㄕㄥ ㄔㄢˇ ㄌㄧˋ",
    definitions=["new quality productive forces"],
    kind="term",
    score=9.0,
    examples=[
        Example(
            "要加快培育新质生产力，推动产业升级。",
            "yào jiā kuài péi yù xīn zhì shēng chǎn lì",
            "要加快培育新質生產力，推動產業升級。",
        )
    ],
    source="a.txt",
    gloss_source="composed",
    parts=[Part("新质", "xīn zhì", "new quality"), Part("生产力", "shēng chǎn lì", "productive forces")],
)
YINFA = entry(
    "银发",
    "yín fà",
    "yin2 fa4",
    traditional="銀髮",
    zhuyin="ㄧㄣˊ ㄈㄚˋ",
    definitions=["silver hair", "the elderly"],
    hsk=7,
    score=5.0,
    examples=[Example("银发经济正在兴起。", "yín fà jīng jì zhèng zài xīng qǐ", "銀髮經濟正在興起。")],
    source="a.txt",
    gloss_source="cedict",
)
NO_MEANING = entry(
    "模速",
    "mó sù",
    "mo2 su4",
    traditional="模速",
    score=3.0,
    examples=[Example("模速空间里人很多。", "mó sù kōng jiān lǐ rén hěn duō")],
    source="a.txt",
)
NO_SENTENCE = entry(
    "链长", "liàn zhǎng", "lian4 zhang3", traditional="鏈長", definitions=["chain leader"], score=2.0, source="a.txt"
)
ENTRIES = [XINZHI, YINFA, NO_MEANING, NO_SENTENCE]
# recognition ×4, recall ×2 (not 模速: no meaning; not 新质生产力: a composed gloss is a guess),
# context ×3 (not 链长), cloze ×3 (not 链长)
EXPECTED_CARDS = 4 + 2 + 3 + 3
EXPECTED_NOTES = 4 + 3


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Collection]:
    folder = tmp_path_factory.mktemp("deck")
    path = build_deck(ENTRIES, folder / "v1.apkg", name="Test deck", timestamp=1_700_000_000)
    col = new_collection(folder)
    import_package(col, path)
    yield path, col
    col.close()


# ---------------------------------------------------------------------------- the frozen contract


def test_field_lists_and_ids_are_pinned():
    # Changing any of these breaks in-place updates for every learner: see deck.py's docstring.
    assert VOCAB_FIELDS == (
        "Simplified",
        "Traditional",
        "Pinyin",
        "PinyinNumbered",
        "Zhuyin",
        "Coloured",
        "ColouredTraditional",
        "Ruby",
        "PinyinColoured",
        "Meaning",
        "MeaningPrompt",
        "Parts",
        "GlossSource",
        "Expansion",
        "HSK",
        "Kind",
        "Sentence",
        "SentencePinyin",
        "SentenceTraditional",
        "Source",
        "Notes",
        "MakeRecognition",
        "MakeRecall",
        "MakeContext",
    )
    assert CLOZE_FIELDS == (
        "Text",
        "Simplified",
        "Traditional",
        "Pinyin",
        "Coloured",
        "Meaning",
        "SentencePinyin",
        "SentenceTraditional",
        "Source",
        "Notes",
    )
    assert [t["name"] for t in deck.vocabulary_model().templates] == ["Recognition", "Recall", "Context"]
    assert deck.vocabulary_model().model_id == 1918310968
    assert deck.cloze_model().model_id == 1494575588
    assert deck.stable_id("deck:learn") == deck.stable_id("deck:learn") != deck.stable_id("deck:other")


def test_guid_is_the_entry_key_hash_in_every_build(tmp_path):
    assert genanki.guid_for(XINZHI.key) == "j#N#k2)Xqr"  # pinned: same word, same note, forever
    guids = []
    for n in (1, 2):
        path = build_deck([XINZHI], tmp_path / f"{n}.apkg", timestamp=1_700_000_000 + n)
        guids.append(sorted(_package_rows(path, "SELECT guid FROM notes")))
    assert guids[0] == guids[1] == sorted([(genanki.guid_for(XINZHI.key),), (genanki.guid_for("cloze", XINZHI.key),)])


def _package_rows(path: Path, query: str) -> list[tuple]:
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    db = path.with_suffix(".sqlite")
    db.write_bytes(data)
    con = sqlite3.connect(db)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------------------- import and render


def test_import_gives_expected_notes_and_cards(built):
    _, col = built
    assert col.note_count() == EXPECTED_NOTES
    assert col.card_count() == EXPECTED_CARDS
    names = sorted(col.get_card(c).template()["name"] for c in col.find_cards(""))
    assert names.count("Recognition") == 4 and names.count("Recall") == 2
    assert names.count("Context") == 3 and names.count("Cloze") == 3


def test_every_card_renders_with_a_visible_front(built):
    assert_renders(built[1])


def test_required_fields_are_filled(built):
    _, col = built
    must = (
        "Simplified",
        "Traditional",
        "Pinyin",
        "PinyinNumbered",
        "Coloured",
        "Ruby",
        "PinyinColoured",
        "Kind",
        "MakeRecognition",
    )
    for nid in col.find_notes('"note:learn vocabulary"'):
        note = col.get_note(nid)
        for name in must:
            assert note[name].strip(), (note["Simplified"], name)
    for nid in col.find_notes('"note:learn cloze"'):
        note = col.get_note(nid)
        assert "{{c1::" in note["Text"] and note["Simplified"] and note["Pinyin"]


def test_cards_show_what_they_promise(built):
    _, col = built
    (nid,) = col.find_notes('"note:learn vocabulary" Simplified:新质生产力')
    by_name = {col.get_card(c).template()["name"]: col.get_card(c) for c in col.find_cards(f"nid:{nid}")}
    assert "新质生产力" in visible(by_name["Recognition"].question())
    assert "new quality" not in visible(by_name["Recognition"].question())
    assert "Recall" not in by_name  # its meaning is composed from the parts: a guess is never asked for
    context = by_name["Context"].question()
    assert '<span class="hl">新质生产力</span>' in context
    answer = by_name["Recognition"].answer()
    assert "<rt>xīn</rt>" in answer and "ㄒㄧㄣ" in answer and "新質生產力" in visible(answer)
    assert "new quality" in visible(answer) and "a.txt" in visible(answer)
    (cloze_id,) = col.find_cards('"note:learn cloze" Simplified:新质生产力')
    cloze_front = visible(col.get_card(cloze_id).question())
    assert "新质生产力" not in cloze_front and "[...]" in cloze_front and "new quality" not in cloze_front
    (recall_id,) = col.find_cards("card:Recall Simplified:银发")
    assert visible(col.get_card(recall_id).question()).startswith("silver hair; the elderly")
    assert "新质生产力" in visible(col.get_card(cloze_id).answer())


def test_tags_have_no_spaces_and_name_source_kind_level(built):
    _, col = built
    (nid,) = col.find_notes('"note:learn vocabulary" Simplified:银发')
    tags = col.get_note(nid).tags
    assert set(tags) == {"source::a.txt", "kind::word", "hsk::7-9"}
    assert all(" " not in t for t in tags)
    assert col.find_notes("tag:hsk::beyond") and not col.find_notes("tag:hsk::none")  # past the syllabus


def test_reimporting_the_same_file_adds_nothing(built):
    path, col = built
    log = import_package(col, path)
    assert not log.new and not log.updated
    assert col.note_count() == EXPECTED_NOTES and col.card_count() == EXPECTED_CARDS


def test_rebuild_updates_notes_in_place_and_keeps_review_history(tmp_path):
    col = new_collection(tmp_path)
    import_package(col, build_deck(ENTRIES, tmp_path / "v1.apkg", timestamp=1_700_000_000))
    (nid,) = col.find_notes('"note:learn vocabulary" Simplified:银发')
    card = col.get_card(col.find_cards(f"nid:{nid} card:Recognition")[0])
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=3))  # Good
    reviewed = col.get_card(card.id)
    revlog_before = col.db.list("select id from revlog where cid = ?", card.id)
    assert revlog_before and reviewed.type != 0

    changed = [
        XINZHI,
        Entry.from_dict(
            {
                **YINFA.to_dict(),
                "definitions": ["the silver-haired; older people"],
                "examples": [{"sentence": "发展银发经济大有可为。", "pinyin": "fā zhǎn"}],
            }
        ),
        NO_MEANING,
        NO_SENTENCE,
    ]
    log = import_package(col, build_deck(changed, tmp_path / "v2.apkg", timestamp=1_700_000_100))
    assert not log.new and len(log.updated) == EXPECTED_NOTES  # a newer build: Anki updates every note
    assert col.note_count() == EXPECTED_NOTES and col.card_count() == EXPECTED_CARDS
    note = col.get_note(nid)
    assert note["Meaning"] == "the silver-haired; older people"
    assert '发展<span class="hl">银发</span>经济' in note["Sentence"]
    after = col.get_card(card.id)
    assert col.db.list("select id from revlog where cid = ?", card.id) == revlog_before
    assert (after.type, after.ivl, after.due, after.reps) == (reviewed.type, reviewed.ivl, reviewed.due, reviewed.reps)
    col.close()


def test_an_older_build_does_not_overwrite_a_newer_one(tmp_path):
    col = new_collection(tmp_path)
    import_package(col, build_deck([YINFA], tmp_path / "new.apkg", timestamp=1_700_000_500))
    older = Entry.from_dict({**YINFA.to_dict(), "definitions": ["stale"]})
    import_package(col, build_deck([older], tmp_path / "old.apkg", timestamp=1_700_000_000))
    (nid,) = col.find_notes('"note:learn vocabulary"')
    assert col.get_note(nid)["Meaning"] == "silver hair; the elderly"
    col.close()


# ---------------------------------------------------------------------------- escaping


def imported_without_markup(tmp_path, nasty: Entry, *tags: str):
    """Build and import a deck of one entry full of markup; every card renders and no side holds
    any of `tags` as live markup. Returns the open collection."""
    col = new_collection(tmp_path)
    import_package(col, build_deck([nasty], tmp_path / "x.apkg", timestamp=1_700_000_000))
    assert col.card_count() == 4
    assert_renders(col, braces_in_text=True)
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        for side in (card.question(), card.answer()):
            body = re.sub(r"<style>.*?</style>", "", side, flags=re.S)
            assert not any(t in body for t in tags)
    return col


def test_markup_in_terms_and_sentences_shows_as_text(tmp_path):
    nasty = entry(
        "新<script>alert(1)</script>&旧",
        "xīn jiù",
        "xin1 jiu4",
        definitions=["<b>bold</b> & {{c2::x}} [sound:a.mp3]"],
        source="<i>x</i>.txt",
        examples=[Example("他说新<script>alert(1)</script>&旧都好，<img src=x>。", "tā shuō")],
    )
    col = imported_without_markup(tmp_path, nasty, "<script", "<img", "<b>bold")
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        shown = visible(card.answer())
        assert "<script>alert(1)</script>&旧" in shown
        assert card.template()["name"] == "Cloze" or "<b>bold</b> & {{c2::x}} [sound:a.mp3]" in shown
    assert all(not c.startswith("a.mp3") for c in col.media.check().missing)


# ---------------------------------------------------------------------------- options


def test_cards_option_picks_card_types(tmp_path):
    col = new_collection(tmp_path)
    import_package(col, build_deck(ENTRIES, tmp_path / "r.apkg", cards=["recall"], timestamp=1_700_000_000))
    names = {col.get_card(c).template()["name"] for c in col.find_cards("")}
    assert names == {"Recall"} and col.card_count() == 2 and col.note_count() == 2  # 银发, 链长
    col2 = new_collection(tmp_path, "col2")
    import_package(col2, build_deck(ENTRIES, tmp_path / "c.apkg", cards=["cloze"], timestamp=1_700_000_000))
    assert {col2.get_card(c).template()["name"] for c in col2.find_cards("")} == {"Cloze"}
    with pytest.raises(LearnError, match="unknown card type"):
        build_deck(ENTRIES, tmp_path / "bad.apkg", cards=["flash"])
    assert not (tmp_path / "bad.apkg").exists()
    col.close()
    col2.close()


def test_several_sources_get_subdecks_and_duplicates_go_in_once(tmp_path):
    from_b = Entry.from_dict({**YINFA.to_dict(), "source": "b.txt"})
    only_b = Entry.from_dict({**NO_SENTENCE.to_dict(), "source": "b.txt"})
    col = new_collection(tmp_path)
    import_package(
        col,
        build_deck(
            [XINZHI, YINFA, from_b, only_b],
            tmp_path / "s.apkg",
            name="Lesson",
            cards=["recognition"],
            timestamp=1_700_000_000,
        ),
    )
    assert col.note_count() == 3
    decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
    assert decks == {"Lesson::a.txt", "Lesson::b.txt"}
    (nid,) = col.find_notes('"note:learn vocabulary" Simplified:银发')
    assert {"source::a.txt", "source::b.txt"} <= set(col.get_note(nid).tags)
    assert col.get_note(nid)["Source"] == "a.txt, b.txt"
    col.close()


def test_empty_input_is_a_clear_error_and_writes_nothing(tmp_path):
    with pytest.raises(LearnError, match="nothing to put in the deck: no terms were found") as info:
        build_deck([], tmp_path / "e.apkg")
    assert "--" not in str(info.value)  # also raised for recipes, which have no command-line options
    with pytest.raises(LearnError, match="nothing to put in the deck"):
        build_deck([NO_SENTENCE], tmp_path / "e.apkg", cards=["context"])
    assert list(tmp_path.iterdir()) == []


def test_guid_keys_keep_a_corrected_word_on_its_old_note(tmp_path):
    fixed = Entry.from_dict({**NO_SENTENCE.to_dict(), "pinyin": "liàn cháng", "pinyin_numbered": "lian4 chang2"})
    path = build_deck(
        [fixed],
        tmp_path / "g.apkg",
        guid_keys={fixed.key: NO_SENTENCE.key},
        notes={fixed.key: "teacher's <note>"},
        timestamp=1_700_000_000,
    )
    assert _package_rows(path, "SELECT guid FROM notes") == [(genanki.guid_for(NO_SENTENCE.key),)]
    (flds,) = _package_rows(path, "SELECT flds FROM notes")[0]
    assert "teacher&#x27;s &lt;note&gt;" in flds.split("\x1f")[VOCAB_FIELDS.index("Notes")]


# ---------------------------------------------------------------------------- tone colours and readings


def test_tone_colours_follow_the_documented_convention():
    assert deck.coloured(XINZHI) == (
        '<span class="tone1">新</span><span class="tone4">质</span>'
        '<span class="tone1">生</span><span class="tone3">产</span>'
        '<span class="tone4">力</span>'
    )
    css = deck.card_css()
    for n in (1, 2, 3, 4, 5):
        assert f".tone{n} {{ color: {TONE_COLOURS[n]}; }}" in css
        assert f".nightMode .tone{n}" in css
    assert ".card.nightMode" in css and ".night_mode" in css
    # English meanings falling back to the CJK font keep narrow quotes (looked at in Chromium)
    assert ".meaning, .notes { font-variant-east-asian: proportional-width; }" in css
    assert deck.pinyin_coloured(YINFA) == '<span class="tone2">yín</span> <span class="tone4">fà</span>'


def test_ruby_puts_pinyin_above_and_falls_back_when_syllables_disagree():
    assert deck.ruby(YINFA) == ('<ruby class="tone2">银<rt>yín</rt></ruby><ruby class="tone4">发<rt>fà</rt></ruby>')
    odd = entry("5G基站", "jī zhàn", "ji1 zhan4")
    assert deck.ruby(odd).startswith("5G<ruby") and "<rt>zhàn</rt>" in deck.ruby(odd)
    broken = entry("一哄而上", "yī hòng", "yi1 hong4")
    assert "<rt>" not in deck.ruby(broken) and 'class="pinyin-line"' in deck.ruby(broken)


# ---------------------------------------------------------------------------- --known from Anki exports


def _learner_collection(folder: Path) -> Collection:
    """A learner's own collection: a Basic note in traditional characters and a cloze note."""
    col = new_collection(folder, "learner")
    basic = col.new_note(col.models.by_name("Basic"))
    basic["Front"], basic["Back"] = "<b>銀髮</b>", "silver hair"
    col.add_note(basic, col.decks.id("Chinese"))
    cloze = col.new_note(col.models.by_name("Cloze"))
    cloze["Text"] = "我们要{{c1::因地制宜::adapt}}。"
    col.add_note(cloze, col.decks.id("Chinese"))
    two = col.new_note(col.models.by_name("Basic"))
    two["Front"], two["Back"] = "产业链 / 供应链", "chains"
    col.add_note(two, col.decks.id("Chinese"))
    return col


@pytest.mark.parametrize("legacy", [False, True], ids=["anki21b-zstd", "legacy-anki21"])
def test_known_words_from_an_anki_export(tmp_path, legacy):
    col = _learner_collection(tmp_path)
    out = tmp_path / "mine.apkg"
    col.export_anki_package(
        out_path=str(out),
        limit=None,
        options=anki_collection.ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=legacy),
    )
    col.close()
    words = known_words_from_package(out)
    assert {"銀髮", "银发", "因地制宜", "产业链", "供应链"} <= words
    assert "silver hair" not in words and not any("<" in w for w in words)


def test_known_words_from_a_collection_package(tmp_path):
    col = _learner_collection(tmp_path)
    out = tmp_path / "all.colpkg"
    col.export_collection_package(str(out), include_media=False, legacy=False)
    assert {"銀髮", "银发", "因地制宜"} <= known_words_from_package(out)


def test_known_words_from_our_own_deck(built):
    path, _ = built
    words = known_words_from_package(path)
    assert {"新质生产力", "新質生產力", "银发", "銀髮", "链长", "鏈長"} <= words


def test_bad_packages_are_one_line_errors(tmp_path):
    text = tmp_path / "words.apkg"
    text.write_text("not a zip")
    empty = tmp_path / "empty.apkg"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("media", "{}")
    broken = tmp_path / "broken.apkg"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd garbage")
    junk = tmp_path / "junk.apkg"
    with zipfile.ZipFile(junk, "w") as z:
        z.writestr("collection.anki2", b"SQLite? no." * 100)
    for bad in (text, empty, broken, junk):
        with pytest.raises(LearnError) as info:
            known_words_from_package(bad)
        assert str(bad) in str(info.value) and "\n" not in str(info.value)


def test_a_newer_build_updates_the_note_types_styling_without_a_second_note_type(tmp_path, monkeypatch):
    col = new_collection(tmp_path)
    import_package(col, build_deck([YINFA], tmp_path / "v1.apkg", timestamp=1_700_000_000))
    css = notetypes.card_css()
    monkeypatch.setattr(notetypes, "card_css", lambda: css + "\n.meta { font-size: 12px; }\n")
    log = import_package(col, build_deck([YINFA], tmp_path / "v2.apkg", timestamp=1_700_000_100))
    assert not log.new
    names = sorted(m.name for m in col.models.all_names_and_ids())
    assert names.count("learn vocabulary") == 1 and not any(n.endswith("+") for n in names)
    assert ".meta { font-size: 12px; }" in col.models.by_name("learn vocabulary")["css"]
    col.close()


def test_recall_front_and_cloze_hint_never_show_the_answer(tmp_path):
    cited = entry(
        "发",
        "fā",
        "fa1",
        definitions=["to send out; to issue", "see 發|发[fa1]"],
        examples=[Example("发展。", "fā zhǎn")],
    )
    pointer = entry("於", "yú", "yu2", definitions=["variant of 于[yu2]"], examples=[Example("於是。", "yú shì")])
    col = new_collection(tmp_path)
    import_package(
        col, build_deck([cited, pointer], tmp_path / "p.apkg", cards=["recall", "cloze"], timestamp=1_700_000_000)
    )
    recall = [col.get_card(c) for c in col.find_cards("card:Recall")]
    assert len(recall) == 1  # 於's only sense points at characters: no recall card
    front = visible(recall[0].question())
    assert "to send out; to issue" in front and not re.search(r"[发發]", front)
    for cid in col.find_cards("card:Cloze"):
        assert not re.search(r"[发發於于]", visible(col.get_card(cid).question()).replace("展", "").replace("是", ""))
    assert_renders(col)
    col.close()


def test_a_composed_gloss_is_never_asked_for(tmp_path):
    """A guess from the parts shows on the back, labelled, but makes no Recall card and no cloze hint."""
    composed = entry(
        "传统产业",
        "chuán tǒng chǎn yè",
        "chuan2 tong3 chan3 ye4",
        traditional="傳統產業",
        definitions=["传统 “tradition” + 产业 “industry”"],
        gloss_source="composed",
        parts=[Part("传统", "chuán tǒng", "tradition"), Part("产业", "chǎn yè", "industry")],
        examples=[Example("改造传统产业。", "gǎi zào chuán tǒng chǎn yè")],
    )
    col = new_collection(tmp_path)
    import_package(col, build_deck([composed], tmp_path / "g.apkg", timestamp=1_700_000_000))
    names = {col.get_card(c).template()["name"] for c in col.find_cards("")}
    assert names == {"Recognition", "Context", "Cloze"}
    (cloze,) = [col.get_card(c) for c in col.find_cards("card:Cloze")]
    assert cloze.note()["Text"] == "改造{{c1::传统产业}}。"
    assert visible(cloze.question()).startswith("改造 [...] 。") and "tradition" not in visible(cloze.question())
    (recognition,) = [col.get_card(c) for c in col.find_cards("card:Recognition")]
    back = visible(recognition.answer())
    assert "“tradition” + 产业 “industry”" in back and "gloss: composed" in back
    assert_renders(col)
    col.close()


def test_escaping_round_trips_any_text_and_leaves_no_markup():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def check(text: str) -> None:
        out = deck.esc(text)
        assert not set(out) & set("<>{}[]:\"'\x1f")
        assert html.unescape(out) == markup._CONTROL.sub("", text)

    check()


def test_card_types_are_read_one_way_everywhere():
    assert parse_cards(" Recall, cloze,recall") == ["recall", "cloze"]
    assert parse_cards(("context",)) == ["context"]
    with pytest.raises(UsageError, match="unknown card type 'flash'; choose from recognition, recall"):
        parse_cards(["recall", "flash"])
    with pytest.raises(UsageError, match="no card type given"):
        parse_cards(" , ")


def test_deck_names_have_no_blank_levels():
    assert deck_name("Policy ::  words\tweek 1") == "Policy::words week 1"
    assert deck_name("a::::b::") == "a::b" and deck_name(" :: ") == "learn" and deck_name("<b>") == "<b>"


def test_a_term_is_never_matched_inside_an_escaped_character():
    # esc(":") is "&#58;": highlighting the term "58" after escaping would break the entity
    assert deck.highlight("比例是58:42", "58") == '比例是<span class="hl">58</span>&#58;42'
    odd = Entry("58", pinyin="wǔ bā", pinyin_numbered="wu3 ba1", definitions=["fifty-eight"])
    assert deck.cloze_text(odd, "58:42") == "{{c1::58::fifty-eight}}&#58;42"
    assert deck.cloze_fields(Entry("", examples=[Example("句子。")])) is None
