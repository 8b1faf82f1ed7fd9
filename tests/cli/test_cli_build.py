"""`learn deck` and `learn build` end to end: real extraction, real Anki import, teacher overrides."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import genanki
import pytest

from learn.cli import main
from learn.cli.recipe import load_recipe

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "decks" / "sample.txt"

# Written for these tests: two short texts with repeated policy terms.
TEXT_A = """新区把培育新质生产力作为头等大事。培育新质生产力，关键在于科技创新。
今年，新区的新质生产力项目增加了一倍，银发经济也在快速发展。
发展银发经济，要照顾老年人的需要。不少企业开始布局银发经济，推出适合老年人的产品。
各地推行“链长制”，由链长牵头解决产业链上的难题。链长每月走访企业，链长制取得实效。"""
TEXT_B = """低空经济是一个新赛道。发展低空经济，需要完善基础设施。
这座城市把低空经济写进规划，又提出发展银发经济。银发经济和低空经济都是新的增长点。
无人机企业说，低空经济让它们看到了新的机会。"""


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def import_package(col: Collection, path: Path):
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(path), options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True)
    )
    return col.import_anki_package(request).log


def visible(card_html: str) -> str:
    text = re.sub(r"<style\b.*?</style>", "", card_html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text).strip()


def assert_cards_render(col: Collection) -> None:
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        for side in (visible(card.question()), visible(card.answer())):
            assert not any(p in side.lower() for p in ("problem", "unknown field", "is blank", "{{")), side
        assert visible(card.question())


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("texts")
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    return folder


def later(monkeypatch, seconds: float) -> None:
    """Make the next build's timestamp `seconds` (a rebuild must be newer for Anki to update)."""
    monkeypatch.setattr("learn.deck.packaging.time", types.SimpleNamespace(time=lambda: seconds))


# ---------------------------------------------------------------------------- learn deck


def test_deck_from_two_texts_has_a_subdeck_per_text(texts, tmp_path, capsys):
    out = tmp_path / "two.apkg"
    code, err = run(
        ["deck", str(texts / "a.txt"), str(texts / "b.txt"), "-o", str(out), "--top", "8", "--name", "Policy words"],
        capsys,
    )
    assert code == 0, err
    assert "→" in err and str(out) in err
    col = Collection(str(tmp_path / "c.anki2"))
    import_package(col, out)
    assert col.note_count() > 4
    decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
    assert decks == {"Policy words::a.txt", "Policy words::b.txt"}
    (nid,) = col.find_notes('"note:learn vocabulary" Simplified:银发经济')
    assert {"source::a.txt", "source::b.txt"} <= set(col.get_note(nid).tags)
    assert_cards_render(col)
    col.close()


def test_deck_cards_option_and_default_name(texts, tmp_path, capsys):
    from learn.read.text import headline

    out = tmp_path / "recall-only.apkg"
    code, err = run(["deck", str(texts / "a.txt"), "-o", str(out), "--top", "5", "--cards", "recall,cloze"], capsys)
    assert code == 0, err
    col = Collection(str(tmp_path / "c.anki2"))
    import_package(col, out)
    names = {col.get_card(c).template()["name"] for c in col.find_cards("")}
    assert names <= {"Recall", "Cloze"} and "Cloze" in names
    # named after the text (its headline, else its file name), never after the output file
    named = headline((texts / "a.txt").read_text(encoding="utf-8")) or "a"
    assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {named} != {"recall-only"}
    col.close()


def test_deck_known_from_a_previous_deck_leaves_those_words_out(texts, tmp_path, capsys):
    first = tmp_path / "first.apkg"
    assert run(["deck", str(texts / "a.txt"), "-o", str(first), "--top", "3"], capsys)[0] == 0
    second = tmp_path / "second.apkg"
    code, err = run(["deck", str(texts / "a.txt"), "-o", str(second), "--top", "6", "--known", str(first)], capsys)
    assert code == 0, err
    words = {}
    for path in (first, second):
        col = Collection(str(tmp_path / f"{path.stem}.anki2"))
        import_package(col, path)
        words[path.stem] = {col.get_note(n)["Simplified"] for n in col.find_notes('"note:learn vocabulary"')}
        col.close()
    assert len(words["first"]) == 3 and words["second"] and not words["first"] & words["second"]


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["--cards", "flash"], 2, "unknown card type 'flash'"),
        (["--cards", ","], 2, "no card type given"),
        (["--top", "0"], 2, "at least 1"),
    ],
)
def test_deck_bad_usage_is_one_line_exit_2(texts, tmp_path, capsys, argv, code, message):
    out = tmp_path / "x.apkg"
    with pytest.raises(SystemExit) as info:
        main(["deck", str(texts / "a.txt"), "-o", str(out), *argv])
    err = capsys.readouterr().err
    assert info.value.code == code and message in err and err.count("\n") == 1
    assert not out.exists()


def test_deck_bad_input_is_one_line_exit_1_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.apkg"
    code, err = run(["deck", str(tmp_path / "missing.txt"), "-o", str(out)], capsys)
    assert code == 1 and "missing.txt: no such file" in err and err.count("\n") == 1
    junk = tmp_path / "junk.apkg"
    junk.write_text("not a package")
    (tmp_path / "t.txt").write_text(TEXT_B, encoding="utf-8")
    code, err = run(["deck", str(tmp_path / "t.txt"), "-o", str(out), "--known", str(junk)], capsys)
    assert code == 1 and "junk.apkg: not an Anki package" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.apkg", "t.txt"]
    for out, message in (
        (tmp_path, "is a folder"),
        (tmp_path / "lesson.pdf", "must end in .apkg, e.g. "),
        ("", "expected a file name"),
    ):
        with pytest.raises(SystemExit) as info:
            main(["deck", str(tmp_path / "t.txt"), "-o", str(out)])
        err = capsys.readouterr().err
        assert info.value.code == 2 and message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.apkg", "t.txt"]


# ---------------------------------------------------------------------------- learn build


def recipe(folder: Path, overrides: str = "", handout: bool = False) -> Path:
    path = folder / "lesson.toml"
    path.write_text(
        f"""name = "lesson"
title = "Lesson <1> & more"
sources = ["a.txt"]
top = 8
cards = ["recognition", "recall", "context", "cloze"]
[handout]
enabled = {str(handout).lower()}
{overrides}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def plain_build(texts, tmp_path_factory):
    """A recipe built once without overrides: what the extractor finds on its own."""
    out = tmp_path_factory.mktemp("plain")
    code = main(["build", str(recipe(texts)), "--out-dir", str(out)])
    assert code == 0
    return json.loads((out / "lesson.json").read_text(encoding="utf-8"))


def test_build_writes_apkg_and_json_best_first(plain_build, texts):
    assert len(plain_build) == 8
    scores = [e["score"] for e in plain_build]
    assert scores == sorted(scores, reverse=True)
    assert {"simplified", "traditional", "pinyin", "pinyin_numbered", "definitions", "examples"} <= set(plain_build[0])
    assert all(e["source"] == "a.txt" for e in plain_build)


def _override_plan(plain_build: list[dict]) -> tuple[dict, dict, str]:
    target = next(e for e in plain_build if len(e["pinyin_numbered"].split()) >= 2)
    dropped = next(e for e in plain_build if e["simplified"] != target["simplified"])
    syllables = target["pinyin_numbered"].split()
    syllables[-1] = syllables[-1][:-1] + ("3" if syllables[-1][-1] != "3" else "1")
    return target, dropped, " ".join(syllables)


def definitions(note) -> str:  # type: ignore[no-untyped-def]
    """A note's Meaning without the "new since" line a recent coinage carries."""
    return re.sub(r'<div class="new-since">[^<]*</div>', "", note["Meaning"])


def test_build_applies_teacher_overrides_and_keeps_notes_in_place(plain_build, texts, tmp_path, capsys, monkeypatch):
    target, dropped, new_reading = _override_plan(plain_build)
    overrides = f"""
[[override]]
term = "{target["simplified"]}"
pinyin = "{new_reading}"
definitions = ["teacher's first definition"]
note = "check <this>"

[[override]]
term = "{dropped["simplified"]}"
exclude = true

[[override]]
term = "不存在的词"
exclude = true
"""
    path = recipe(texts, overrides)
    out = tmp_path / "dist"
    later(monkeypatch, 1_800_000_000)
    code, err = run(["build", str(path), "--out-dir", str(out)], capsys)
    assert code == 0, err
    assert "'不存在的词' is not among the terms found" in err
    data = json.loads((out / "lesson.json").read_text(encoding="utf-8"))
    by_term = {e["simplified"]: e for e in data}
    assert dropped["simplified"] not in by_term and len(data) == 8  # the next term took its place
    fixed = by_term[target["simplified"]]
    assert fixed["pinyin_numbered"] == new_reading and fixed["definitions"] == ["teacher's first definition"]

    col = Collection(str(tmp_path / "c.anki2"))
    import_package(col, out / "lesson.apkg")
    assert_cards_render(col)
    assert col.decks.by_name("Lesson <1> & more") is not None
    (nid,) = col.find_notes(f'"note:learn vocabulary" Simplified:{target["simplified"]}')
    note = col.get_note(nid)
    assert note.guid == genanki.guid_for(f"{target['simplified']}|{target['pinyin_numbered']}")
    assert definitions(note) == "teacher&#x27;s first definition" and note["Notes"] == "check &lt;this&gt;"
    card = col.get_card(col.find_cards(f"nid:{nid}")[0])
    card.start_timer()
    col.sched.answer_card(
        col.sched.build_answer(card=card, states=col._backend.get_scheduling_states(card.id), rating=3)
    )
    notes, cards = col.note_count(), col.card_count()
    history = col.db.list("select id from revlog where cid = ?", card.id)

    # The teacher edits the definition; the rebuilt deck updates the same note.
    recipe(texts, overrides.replace("teacher's first definition", "teacher's better definition"))
    later(monkeypatch, 1_800_000_100)
    assert run(["build", str(path), "--out-dir", str(out)], capsys)[0] == 0
    log = import_package(col, out / "lesson.apkg")
    assert not log.new
    assert (col.note_count(), col.card_count()) == (notes, cards)
    assert definitions(col.get_note(nid)) == "teacher&#x27;s better definition"
    assert col.db.list("select id from revlog where cid = ?", card.id) == history
    assert not import_package(col, out / "lesson.apkg").new  # same file again: nothing added
    col.close()


def test_build_writes_the_handout_when_enabled(texts, tmp_path, capsys):
    pytest.importorskip("learn.handout.pdf")
    out = tmp_path / "dist"
    code, err = run(["build", str(recipe(texts, handout=True)), "--out-dir", str(out)], capsys)
    if code != 0 and "font" in err.lower():
        pytest.skip(f"no CJK font for the handout: {err.strip()}")
    assert code == 0, err
    assert (out / "lesson.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in out.iterdir()) == ["lesson.apkg", "lesson.json", "lesson.pdf", "lesson.txt"]
    assert (out / "lesson.txt").read_text(encoding="utf-8").strip() == TEXT_A.strip()  # the reader's text


def test_malformed_recipe_is_one_line_naming_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nsources = ["a.txt"]\ntop = = 3\n', encoding="utf-8")
    code, err = run(["build", str(bad), "--out-dir", str(tmp_path / "dist")], capsys)
    assert code == 1 and err.startswith(f"learn build: {bad}:3: ") and err.count("\n") == 1
    assert not (tmp_path / "dist").exists()


@pytest.mark.skipif(not SAMPLE.exists(), reason="decks/sample.txt not written yet")
def test_shipped_sample_recipe_builds_and_imports(tmp_path):
    """The README's main-job command, as a user runs it (a real process)."""
    out = tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "learn", "build", "decks/sample.toml", "--out-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # a first run is clean: every override of the shipped recipe matches a term the extractor finds
    # (when extraction changes and one no longer does, change decks/sample.toml, not this test)
    assert proc.stderr.splitlines() == [
        f"learn build: 40 terms → {out}/sample.apkg, {out}/sample.json, {out}/sample.txt, {out}/sample.pdf"
    ]
    data = json.loads((out / "sample.json").read_text(encoding="utf-8"))
    overrides = load_recipe(ROOT / "decks" / "sample.toml").overrides
    excluded = {o.term for o in overrides if o.exclude}
    assert len(data) >= 20 and excluded and not excluded & {e["simplified"] for e in data}
    by_term = {e["simplified"]: e for e in data}
    assert all(by_term[o.term]["definitions"] == o.definitions for o in overrides if o.definitions)
    col = Collection(str(tmp_path / "c.anki2"))
    import_package(col, out / "sample.apkg")
    assert col.note_count() >= len(data)
    assert_cards_render(col)
    col.close()


def test_build_writes_nothing_when_the_handout_fails(texts, tmp_path, capsys, monkeypatch):
    from learn.errors import LearnError

    def fail(*_args, **_kwargs):
        raise LearnError("could not typeset the handout: broken")

    monkeypatch.setattr("learn.handout.pdf.handout_pdf", fail)
    out = tmp_path / "dist"
    code, err = run(["build", str(recipe(texts, handout=True)), "--out-dir", str(out)], capsys)
    assert code == 1 and err == "learn build: could not typeset the handout: broken\n"
    assert not out.exists() or not any(out.iterdir())


def test_build_reads_a_folder_of_texts(texts, tmp_path, capsys):
    path = tmp_path / "folder lesson.toml"
    path.write_text(f'sources = ["{texts.as_posix()}"]\ntop = 3\ncards = ["recognition"]\n', encoding="utf-8")
    code, err = run(["build", str(path), "--out-dir", str(tmp_path / "dist")], capsys)
    assert code == 0, err
    data = json.loads((tmp_path / "dist" / "folder-lesson.json").read_text(encoding="utf-8"))
    assert {e["source"] for e in data} == {"a.txt", "b.txt"}
