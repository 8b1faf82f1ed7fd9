"""The Read page, Write mode, the tone-colour setting and the deck button, driven by AppTest.
AppTest does not run a component's JavaScript, so these tests read what Python sends to the reader
and writing components; the real browser (test_browser_reader.py) clicks and draws."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from reader_text import reader_entries, write_material
from streamlit.testing.v1 import AppTest

from learn.quiz import components
from learn.quiz.known import KnownWords, add_to_reviews
from learn.quiz.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("LEARN_DB_URL", f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    monkeypatch.setattr(sys, "argv", ["app.py", str(write_material(tmp_path))])
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input(key="new_profile").set_value("Ann")
    at.button(key="create_profile").click().run()
    assert not at.exception
    return at


def sent(at: AppTest, key: str) -> dict[str, Any]:
    """The arguments the app gave the component with this key."""
    element = next(e for e in at.get("component_instance") if e.key == key)
    return json.loads(element.proto.json_args)


def read_page(at: AppTest) -> dict[str, Any]:
    at.sidebar.radio(key="page").set_value("Read").run()
    assert not at.exception
    return sent(at, "reader")


def test_the_read_page_sends_the_cleaned_text_with_its_terms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    data = read_page(at)
    text = "".join(s["t"] for p in data["paragraphs"] for s in p["s"])
    assert text.startswith("这座城市把新质生产力写进了年度计划。") and "本报记者" not in text
    assert "小城里的新变化" in at.markdown[0].value  # the headline, above the text
    marked = {data["terms"][s["k"]]["word"] for p in data["paragraphs"] for s in p["s"] if "k" in s}
    assert marked == {e.simplified for e in reader_entries()}
    assert data["pinyin"] == "terms" and data["colours"] is True and data["states"] == {}
    assert data["lang"] == "zh-CN"


def test_the_pinyin_switch_and_the_tone_colour_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    read_page(at)
    at.button_group(key="reader_pinyin").set_value("all").run()
    data = sent(at, "reader")
    plain = [s for p in data["paragraphs"] for s in p["s"] if "k" not in s]
    assert data["pinyin"] == "all" and all("r" in s for s in plain)
    at.button_group(key="reader_pinyin").set_value("off").run()
    data = sent(at, "reader")
    assert data["pinyin"] == "off" and not any("r" in s for p in data["paragraphs"] for s in p["s"])
    at.sidebar.toggle(key="tone_colours").set_value(False).run()
    assert sent(at, "reader")["colours"] is False


def test_known_and_added_words_are_marked_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    store = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    try:
        ann, entries = store.learner("Ann"), reader_entries()
        KnownWords(store.engine).mark(ann, entries[1])
        add_to_reviews(store.engine, ann, entries[6])
    finally:
        store.close()
    data = read_page(at)
    assert data["states"] == {entries[1].key: "known", entries[6].key: "review"}
    listing = at.get("download_button")[0]
    assert listing.label == "Download my known words (.txt)"


def test_write_mode_sends_the_characters_and_their_stroke_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if components.hanzi_writer_script() is None:
        pytest.skip("hanzi-writer is not installed (scripts/setup.sh)")
    at = start(tmp_path, monkeypatch)
    at.selectbox(key="mode").set_value("write").run()
    assert not at.exception
    data = sent(at, "write")
    question = at.session_state["question"]
    assert question.mode == "write" and data["id"].endswith(question.key)
    assert "".join(data["chars"]) == question.answer
    assert set(data["data"]) == set(data["chars"]) and all(d["medians"] for d in data["data"].values())
    assert any(m.value.endswith(question.prompt + "</span></div>") or question.note in m.value for m in at.markdown)


def test_write_mode_without_hanzi_writer_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(components, "hanzi_writer_script", lambda: None)
    at = start(tmp_path, monkeypatch)
    at.selectbox(key="mode").set_value("write").run()
    assert [w.value for w in at.warning] == [components.MISSING_WRITER]
    assert not at.get("component_instance")
    first = at.session_state["question"].key
    skip = next(b for b in at.button if b.label == "Skip this word")
    skip.click().run()
    assert at.session_state["question"].key != first


def test_the_deck_button_sits_beside_the_handout_button(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    labels = [b.label for b in at.sidebar.button] + [b.label for b in at.get("download_button")]
    assert "Prepare handout (PDF)" in labels and "Download Anki deck" in labels


def test_tone_colours_off_reaches_the_answer_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    at.sidebar.toggle(key="tone_colours").set_value(False).run()
    question = at.session_state["question"]
    at.radio(key=f"answer-{at.session_state['serial'] % 2}").set_value(question.answer)
    at.button[0].click().run()
    card = next(m.value for m in at.markdown if "learn-entry" in m.value)
    assert "color:#e53935" not in card and "color:#1e6fd9" not in card
