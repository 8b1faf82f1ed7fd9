"""What today's cards add, rendered by the real Anki: sound (TTS), measure words, "new since", sentence variety."""

from __future__ import annotations

import json
import re

import pytest
from test_deck import XINZHI, YINFA, entry, import_package, new_collection, visible

from learn.cli.recipe import load_recipe
from learn.deck import build_deck
from learn.entry import Entry, Example
from learn.errors import LearnError
from learn.language import lexicon

pytest.importorskip("anki.collection")
TTSTag = pytest.importorskip("anki.sound").TTSTag

VOICES = ["Apple_Tingting", "Microsoft_Huihui"]
GAIGE = entry(
    "改革",
    "gǎi gé",
    "gai3 ge2",
    traditional="改革",
    definitions=["reform", "to reform"],
    classifiers=["项 xiàng", "次 cì"],
    first_seen="2024-03",
    gloss_source="cedict",
    source="b.txt",
    examples=[
        Example("这项改革比例是58:42。", "zhè xiàng gǎi gé bǐ lì shì 58:42", "這項改革比例是58:42。"),
        Example("村里的改革从小路开始。", "cūn lǐ de gǎi gé cóng xiǎo lù kāi shǐ", "村裡的改革從小路開始。"),
    ],
)
OLD = entry(
    "街道",
    "jiē dào",
    "jie1 dao4",
    definitions=["street"],
    classifiers=["条 tiáo"],
    first_seen="1954-09",
    examples=[Example("街道很干净。", "jiē dào hěn gān jìng")],
)


def shown(card_html: str) -> str:
    """The visible text with runs of white space as one space, none before a comma."""
    return " ".join(visible(card_html).split()).replace(" ,", ",")


def cards(col, simplified: str, note_type: str = "learn vocabulary") -> dict[str, object]:
    ids = col.find_cards(f'"note:{note_type}" Simplified:{simplified}')
    return {col.get_card(c).template()["name"]: col.get_card(c) for c in ids}


def tts(av_tags) -> list[tuple[str, str, list[str]]]:
    return [(t.field_text, t.lang, list(t.voices)) for t in av_tags if isinstance(t, TTSTag)]


@pytest.fixture(scope="module")
def col(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cards")
    collection = new_collection(folder)
    import_package(collection, build_deck([GAIGE, YINFA, OLD, XINZHI], folder / "d.apkg", timestamp=1_700_000_000))
    yield collection
    collection.close()


# ---------------------------------------------------------------------------- sound


def test_the_answer_side_speaks_the_word_and_its_plain_sentence(col):
    got = cards(col, "改革")
    for name in ("Recognition", "Recall", "Context"):
        card = got[name]
        assert tts(card.question_av_tags()) == []  # nothing is said before the answer
        # the sentence is read without its highlight markup and with its colon decoded
        assert tts(card.answer_av_tags()) == [("改革", "zh_CN", VOICES), ("这项改革比例是58:42。", "zh_CN", VOICES)]
        assert "[anki:play:a:0]" in card.answer() and "[anki:play:a:1]" in card.answer()


def test_the_cloze_back_speaks_the_word_and_the_whole_sentence(col):
    card = cards(col, "改革", "learn cloze")["Cloze"]
    assert tts(card.question_av_tags()) == []
    assert tts(card.answer_av_tags()) == [("村里的改革从小路开始。", "zh_CN", VOICES), ("改革", "zh_CN", VOICES)]


def test_a_word_without_a_sentence_speaks_only_the_word(tmp_path):
    lone = entry("链长", "liàn zhǎng", "lian4 zhang3", definitions=["chain leader"])
    collection = new_collection(tmp_path)
    import_package(collection, build_deck([lone], tmp_path / "l.apkg", timestamp=1_700_000_000))
    card = cards(collection, "链长")["Recognition"]
    assert tts(card.answer_av_tags()) == [("链长", "zh_CN", VOICES)]
    collection.close()


def test_no_audio_leaves_every_tts_tag_out_and_a_rebuild_switches_it_in_place(tmp_path):
    collection = new_collection(tmp_path)
    import_package(collection, build_deck([GAIGE], tmp_path / "a.apkg", timestamp=1_700_000_000))
    log = import_package(collection, build_deck([GAIGE], tmp_path / "q.apkg", timestamp=1_700_000_100, audio=False))
    assert len(log.updated) == 2 and not log.new
    for cid in collection.find_cards(""):
        card = collection.get_card(cid)
        assert not card.answer_av_tags() and "anki:" not in card.answer()
        assert "{{tts" not in str(card.note_type()["tmpls"])
    collection.close()


def test_learn_deck_no_audio_and_the_recipe_option(tmp_path):
    from learn.cli import main

    text = tmp_path / "t.txt"
    text.write_text("社区食堂今年开张了。社区食堂的饭菜很便宜，街道也更热闹了。", encoding="utf-8")
    for flags, spoken in (([], True), (["--no-audio"], False)):
        out = tmp_path / f"{spoken}.apkg"
        assert main(["deck", str(text), "-o", str(out), "--top", "3", *flags]) == 0
        collection = new_collection(tmp_path, str(spoken))
        import_package(collection, out)
        said = [cid for cid in collection.find_cards("") if collection.get_card(cid).answer_av_tags()]
        assert bool(said) is spoken
        collection.close()
    recipe = tmp_path / "r.toml"
    recipe.write_text('sources = ["t.txt"]\naudio = false\n', encoding="utf-8")
    assert load_recipe(recipe).audio is False
    recipe.write_text('sources = ["t.txt"]\n', encoding="utf-8")
    assert load_recipe(recipe).audio is True
    recipe.write_text('sources = ["t.txt"]\naudio = "no"\n', encoding="utf-8")
    with pytest.raises(LearnError, match=r"r.toml:2: 'audio' must be true or false"):
        load_recipe(recipe)


# ---------------------------------------------------------------------------- measure words


def test_measure_words_come_from_cedict_for_the_words_reading():
    found = lexicon.cedict_lookup(["街道", "长", "世界"])
    assert lexicon.classifiers(found["街道"], "jie1 dao4") == ["条 tiáo"]
    assert lexicon.classifiers(found["长"], "zhang3") == [] and lexicon.classifiers([], "gai3 ge2") == []
    assert lexicon.classifiers(found["世界"], "shi4 jie4") == ["个 gè"]
    # CC-CEDICT's "world (CL:個|个[ge4])": the note is taken out of the sense a learner reads
    assert "world" in found["世界"][0].definitions and not any("(CL:" in d for d in found["世界"][0].definitions)


def test_measure_words_are_in_the_json_list(tmp_path, capsys):
    import learn
    from learn.cli import main

    text = tmp_path / "street.txt"
    text.write_text("街道还开了一家助老超市。助老超市的货架很低，街道的老人常来买菜。", encoding="utf-8")
    assert main(["extract", str(text), "--format", "json"]) == 0
    listed = {e["simplified"]: e for e in json.loads(capsys.readouterr().out)}
    # which words the ranking keeps is the model's call (an everyday 街道 is not among them);
    # every entry carries the field, and a word's entry has its measure word
    assert listed and all(isinstance(e["classifiers"], list) for e in listed.values())
    assert learn.annotate("街道").classifiers == ["条 tiáo"]
    assert not any("CL:" in d for e in listed.values() for d in e["definitions"])


def test_measure_words_show_on_the_back_in_the_cards_script(col, tmp_path):
    back = shown(cards(col, "改革")["Recognition"].answer())
    assert "reform; to reform measure words: 项 xiàng, 次 cì" in back
    assert "measure word: 条 tiáo" in shown(cards(col, "街道")["Recall"].answer())
    assert "measure" not in shown(cards(col, "银发")["Recognition"].answer())
    assert "measure" not in shown(cards(col, "改革")["Recall"].question())
    assert "measure words: 项 xiàng" in shown(cards(col, "改革", "learn cloze")["Cloze"].answer())
    collection = new_collection(tmp_path, "tw")
    taiwan = Entry.from_dict({**GAIGE.to_dict(), "script": "traditional"})
    import_package(collection, build_deck([taiwan], tmp_path / "tw.apkg", timestamp=1_700_000_000))
    answer = cards(collection, "改革", "learn vocabulary (traditional)")["Recognition"].answer()
    assert "measure words: 項 xiàng, 次 cì" in shown(answer) and 'class="mw" lang="zh-Hant"' in answer
    collection.close()


def test_measure_words_are_escaped(tmp_path):
    odd = entry("样子", "yàng zi", "yang4 zi5", definitions=["appearance"], classifiers=["<b>个</b> gè{{c1::x}}"])
    collection = new_collection(tmp_path)
    import_package(collection, build_deck([odd], tmp_path / "o.apkg", timestamp=1_700_000_000, cards=["recognition"]))
    answer = cards(collection, "样子")["Recognition"].answer()
    assert "<b>" not in answer and "measure word: <b>个</b> gè{{c1::x}}" in shown(answer)
    collection.close()


# ---------------------------------------------------------------------------- new since, variety


def test_a_recent_coinage_says_new_since_its_first_year(col):
    assert "new since 2024" in shown(cards(col, "改革")["Recognition"].answer())
    assert "new since" not in shown(cards(col, "街道")["Recognition"].answer())  # in the background since 1954
    assert "new since" not in shown(cards(col, "改革")["Context"].question())


def test_context_and_cloze_use_different_sentences_when_there_are_two(col):
    context = cards(col, "改革")["Context"].question()
    cloze = cards(col, "改革", "learn cloze")["Cloze"].question()
    assert "这项" in visible(context) and "这项" not in visible(cloze)
    assert "村里的" in visible(cloze) and "村里的" not in visible(context)
    # one sentence: both use it
    assert "经济正在兴起" in visible(cards(col, "银发")["Context"].question())
    assert "经济正在兴起" in visible(cards(col, "银发", "learn cloze")["Cloze"].question())


def test_hsk_beyond_the_syllabus_is_tagged_beyond(col):
    tags = cards(col, "银发")["Recognition"].note().tags  # HSK 7–9
    assert "hsk::7-9" in tags
    (nid,) = col.find_notes('"note:learn vocabulary" Simplified:街道')
    assert "hsk::beyond" in col.get_note(nid).tags and not col.find_notes("tag:hsk::none")


def test_a_word_with_nothing_new_shows_no_empty_lines(col):
    answer = cards(col, "银发")["Recognition"].answer()
    assert 'class="classifiers"' not in answer and 'class="new-since"' not in answer
    assert not re.search(r"<div[^>]*>\s*</div>", answer.split("</style>")[-1])
