"""A learner who imported a deck built by the previous version, reviewed it, then imports today's build.

Anki's importer (rslib import_export/package/apkg/import/notes.rs) matches a note type by id and
keeps it when its fields and card templates have the same names in the same order
("equal_schema"); then, with the default options (update note types / notes "if newer", merge
note types off), it replaces templates and CSS and the fields of every note whose GUID it
knows, and leaves cards, scheduling and the review log alone. A different field list makes it
add a second note type instead and skip every note the learner has ("conflicting"). So the
field lists stay frozen and this version's new information goes into templates and existing
fields; these tests hold the real importer to that, starting from tests/data/previous_version.apkg.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from deck_previous_version import ENTRIES, NAME, PACKAGE, TIMESTAMP
from test_deck import assert_renders
from test_deck_cards import shown

from learn.deck import build_deck, fields

anki_collection = pytest.importorskip("anki.collection")
TTSTag = pytest.importorskip("anki.sound").TTSTag


def default_import(col, path: Path):
    """Import as Anki's dialog does by default (the collection's presets: no merging, update if newer)."""
    options = col._backend.get_import_anki_package_presets()
    assert not options.merge_notetypes
    request = anki_collection.ImportAnkiPackageRequest(package_path=str(path), options=options)
    return col.import_anki_package(request).log


def card_of(col, simplified: str, card: str, note_type: str = "learn vocabulary"):
    (cid,) = col.find_cards(f'"note:{note_type}" card:{card} Simplified:{simplified}')
    return col.get_card(cid)


def review(col, card, ease: int) -> None:
    card.start_timer()
    col.sched.answerCard(card, ease)


def schedule(col) -> dict[int, tuple]:
    return {
        cid: (c.nid, c.type, c.queue, c.ivl, c.due, c.reps, c.lapses, c.factor)
        for cid in col.find_cards("")
        for c in [col.get_card(cid)]
    }


def revlog(col) -> list[tuple]:
    return col.db.all("SELECT id, cid, ease, ivl, lastIvl, type FROM revlog ORDER BY id")


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    """The previous deck imported and partly reviewed; then today's build imported over it."""
    folder = tmp_path_factory.mktemp("learner")
    col = anki_collection.Collection(str(folder / "learner.anki2"))
    first = default_import(col, PACKAGE)
    assert len(first.new) == 8 and not first.conflicting
    for simplified, card, ease in (
        ("改革", "Recognition", 3),
        ("改革", "Context", 4),
        ("银发", "Recall", 1),
        ("新质生产力", "Recall", 3),
    ):
        review(col, card_of(col, simplified, card), ease)
    review(col, card_of(col, "桌子", "Recognition", "learn vocabulary (traditional)"), 3)
    before = {
        "notes": sorted(col.find_notes("")),
        "schedule": schedule(col),
        "revlog": revlog(col),
        "models": sorted((m.name, m.id) for m in col.models.all_names_and_ids()),
    }
    assert len(before["revlog"]) == 5
    new_build = build_deck(ENTRIES, folder / "today.apkg", name=NAME, timestamp=time.time())
    log = default_import(col, new_build)
    yield col, before, log
    col.close()


def test_the_previous_version_fixture_is_what_learners_have():
    assert PACKAGE.is_file() and time.time() > TIMESTAMP


def test_every_note_is_updated_in_place(learner):
    col, before, log = learner
    assert len(log.updated) == 8 and not log.new and not log.conflicting and not log.duplicate
    assert sorted(col.find_notes("")) == before["notes"]
    assert sorted((m.name, m.id) for m in col.models.all_names_and_ids()) == before["models"]  # no "learn vocabulary+"


def test_review_history_and_scheduling_are_kept(learner):
    col, before, _ = learner
    assert revlog(col) == before["revlog"]
    assert schedule(col) == before["schedule"]
    reviewed = card_of(col, "改革", "Context")
    assert reviewed.reps == 1 and reviewed.type != 0


def test_updated_notes_show_the_new_fields_and_templates(learner):
    col, _, _ = learner
    card = card_of(col, "改革", "Recognition")  # reviewed before the update
    note = card.note()
    assert 'class="classifiers"' in note["Meaning"] and "项" in note["Meaning"]
    assert [tag.field_text for tag in card.answer_av_tags() if isinstance(tag, TTSTag)] == [
        "改革",
        "这项改革让办事更方便了。",
    ]
    assert "measure words: 项 xiàng, 个 gè" in shown(card.answer())
    xinzhi = card_of(col, "新质生产力", "Recognition")
    assert "new since 2023" in shown(xinzhi.answer())
    assert "hsk::beyond" in card_of(col, "银发", "Recognition").note().tags
    assert "hsk::none" not in card_of(col, "银发", "Recognition").note().tags
    zhuozi = card_of(col, "桌子", "Recognition", "learn vocabulary (traditional)")
    assert "measure word: 張 zhāng" in shown(zhuozi.answer())


def test_the_cloze_moves_to_another_sentence_and_keeps_its_card(learner):
    col, before, _ = learner
    (cid,) = col.find_cards('"note:learn cloze" Simplified:改革')
    assert cid in before["schedule"]
    assert "村里的" in col.get_card(cid).note()["Text"]  # the Context card keeps the first sentence
    assert "这项" in card_of(col, "改革", "Context").note()["Sentence"]


def test_a_recall_card_made_from_a_guess_is_left_for_empty_cards(learner):
    """The previous version asked for 新质生产力's composed gloss; today's leaves MakeRecall empty. Anki
    keeps the card (and its one review) but reports it under Tools → Empty Cards, as the README says."""
    col, before, _ = learner
    recall = card_of(col, "新质生产力", "Recall")
    assert recall.id in before["schedule"] and recall.reps == 1
    assert not recall.note()["MakeRecall"]
    report = col.get_empty_cards()
    assert [c for n in report.notes for c in n.card_ids] == [recall.id]


def test_every_card_still_renders(learner):
    col, _, _ = learner
    col.remove_cards_and_orphaned_notes([c for n in col.get_empty_cards().notes for c in n.card_ids])
    assert_renders(col)


def test_a_changed_field_list_would_lose_every_note(tmp_path, monkeypatch):
    """Why the field lists are frozen: the same note type id with one field more becomes a second
    note type under the default options, and the learner's notes are skipped as conflicting."""
    col = anki_collection.Collection(str(tmp_path / "c.anki2"))
    default_import(col, PACKAGE)
    extra = fields.Field("Extra", lambda n: "")
    monkeypatch.setattr(fields, "VOCAB_FIELDS", fields.VOCAB_FIELDS + ("Extra",))
    monkeypatch.setattr(fields, "VOCABULARY", fields.VOCABULARY + (extra,))
    from learn.deck import notetypes

    monkeypatch.setattr(notetypes, "VOCAB_FIELDS", fields.VOCAB_FIELDS)
    log = default_import(col, build_deck(ENTRIES, tmp_path / "changed.apkg", name=NAME, timestamp=time.time()))
    assert len(log.conflicting) == 4  # every vocabulary note: not updated
    names = [m.name for m in col.models.all_names_and_ids()]
    assert len([n for n in names if n.startswith("learn vocabulary")]) == 4  # two of each script
    col.close()
