"""The app (AppTest) on each database backend — SQLite and a real PostgreSQL (conftest's db_url):
every mode answered and stored, the progress page, and one learner's progress kept from another.
The app's other behaviour is tested on SQLite in test_quiz_app.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from quiz_driver import APP, answer_right, profile
from quiz_entries import write_entries
from streamlit.testing.v1 import AppTest

from learn.quiz.questions import MODES, REVIEW
from learn.quiz.store import Store


def test_every_mode_is_stored_and_shown_per_learner(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARN_DB_URL", db_url)
    monkeypatch.delenv("LEARN_CLASS", raising=False)
    monkeypatch.setattr(sys, "argv", ["app.py", str(write_entries(tmp_path / "words.json"))])
    at = AppTest.from_file(APP, default_timeout=60).run()
    profile(at, "Ann")
    modes = [*MODES, REVIEW]
    for mode in modes:
        at.selectbox(key="mode").set_value(mode).run()
        answer_right(at)
    at.sidebar.radio(key="page").set_value("Progress").run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == [str(len(modes)), "100%"]
    store = Store(db_url)
    reviews = store.reviews(store.learner("Ann"))
    assert len(reviews) == len(modes) and {r.mode for r in reviews} >= set(MODES)
    assert all(r.correct for r in reviews)
    # a second browser session, another learner: nothing of Ann's
    other = AppTest.from_file(APP, default_timeout=60).run()
    profile(other, "Bob")
    other.sidebar.radio(key="page").set_value("Progress").run()
    assert "No reviews yet" in other.info[0].value and not other.metric
    assert store.reviews(store.learner("Bob")) == []
    store.close()
