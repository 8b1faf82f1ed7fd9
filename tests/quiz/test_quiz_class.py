"""Private profiles and the teacher's page, driven through the app with AppTest: nobody lands in
another learner's profile, class mode asks for a PIN (the URL grants nothing), wrong PINs are
limited, and the teacher's page sits behind the teacher's password."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from quiz_entries import write_entries
from streamlit.testing.v1 import AppTest
from test_quiz_app import grade_suggested, respond

from learn.quiz.auth import MAX_TRIES
from learn.quiz.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PIN = "2718"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    """One quiz server's settings: a database (SQLite, PostgreSQL), the test words, no class mode yet."""
    monkeypatch.setenv("LEARN_DB_URL", db_url)
    monkeypatch.delenv("LEARN_CLASS", raising=False)
    monkeypatch.delenv("LEARN_TEACHER_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "argv", ["app.py", str(write_entries(tmp_path / "words.json"))])
    return db_url


def visit(learner: str | None = None) -> AppTest:
    """A new browser session (optionally opened with ?learner=…)."""
    at = AppTest.from_file(APP, default_timeout=30)
    if learner is not None:
        at.query_params["learner"] = learner
    at.run()
    assert not at.exception
    return at


def practised(at: AppTest, times: int = 2) -> None:
    for _ in range(times):
        respond(at, True)
        grade_suggested(at)


def leave(at: AppTest) -> None:
    """Back to the first screen: Sign out (class mode) or Switch profile (own machine)."""
    [button] = [b for b in at.sidebar.button if b.key in ("sign_out", "switch_profile")]
    button.click().run()


def create(at: AppTest, name: str, pin: str | None = None, again: str | None = None) -> None:
    if not [box for box in at.selectbox if box.key == "profile"]:
        leave(at)
    if at.selectbox(key="profile").value != "New profile…":
        at.selectbox(key="profile").set_value("New profile…").run()
    at.text_input(key="new_profile").set_value(name)
    if pin is not None:
        at.text_input(key="new_pin").set_value(pin)
        at.text_input(key="new_pin_again").set_value(pin if again is None else again)
    at.button(key="create_profile").click().run()
    assert not at.exception


def sign_in(at: AppTest, name: str, pin: str) -> None:
    at.selectbox(key="profile").set_value(name).run()
    at.text_input(key="pin").set_value(pin)
    at.button(key="sign_in").click().run()
    assert not at.exception


def nothing_of_anyone(at: AppTest) -> None:
    """The page shows no learner's progress: no metrics, no question, no term list."""
    assert at.session_state["question"] is None if "question" in at.session_state else True
    assert not at.metric and not at.dataframe and not at.get("iframe")
    assert not [m for m in at.markdown if "Score" in m.value or "learn-entry" in m.value]


def test_a_new_visitor_is_asked_who_they_are(server: str) -> None:
    at = visit()
    assert at.selectbox(key="profile").value == "New profile…"  # an empty server: make one
    create(at, "Ann")
    practised(at)
    create(at, "Zoe")  # the last profile created
    # a second visitor lands in nobody's profile, neither the first nor the last one created
    other = visit()
    box = other.selectbox(key="profile")
    assert box.value is None and box.options == ["Ann", "Zoe", "New profile…"]
    assert [h.value for h in other.subheader] == ["Who are you?"]  # in the main area, not the sidebar
    nothing_of_anyone(other)
    other.sidebar.radio(key="page").set_value("Progress").run()
    nothing_of_anyone(other)
    # the visitor's own browser remembers its own choice in the URL
    mine = visit(learner="Ann")
    assert mine.sidebar.markdown[0].value == "Practising as **Ann**" and mine.session_state["question"] is not None


def test_new_profile_is_plain_text_and_a_taken_name_is_refused(server: str) -> None:
    at = visit()
    create(at, "Ann")
    leave(at)
    option = at.selectbox(key="profile").options[-1]
    assert option == "New profile…" and all(ord(ch) < 0x2100 for ch in option)  # no emoji to show as a box
    create(at, " Ann ")
    assert "exists already" in at.error[0].value
    store = Store(server)
    assert store.learners() == ["Ann"]
    store.close()


def test_class_mode_the_url_grants_nothing_without_the_pin(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARN_CLASS", "1")
    ann = visit()
    create(ann, "Ann", PIN)
    assert ann.sidebar.markdown[0].value == "Signed in as **Ann**"
    practised(ann)
    ann.sidebar.radio(key="page").set_value("Progress").run()
    assert ann.metric[0].value == "2"
    # another browser opens Ann's link: it sees the sign-in form, never her questions or progress
    intruder = visit(learner="Ann")
    assert intruder.selectbox(key="profile").value == "Ann"  # preselected, not opened
    assert intruder.text_input(key="pin").value == "" and any("PIN" in c.value for c in intruder.caption)
    nothing_of_anyone(intruder)
    intruder.sidebar.radio(key="page").set_value("Progress").run()
    nothing_of_anyone(intruder)
    sign_in(intruder, "Ann", "0000")
    assert "Wrong" in intruder.error[0].value
    nothing_of_anyone(intruder)
    # the profile list shows names only
    assert intruder.selectbox(key="profile").options == ["Ann", "New profile…"]


def test_class_mode_wrong_pins_are_limited_across_sessions(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARN_CLASS", "1")
    create(visit(), "Ann", PIN)
    guesser = visit()
    for _ in range(MAX_TRIES - 1):
        sign_in(guesser, "Ann", "1111")
    # a reload (a new session) does not reset the count
    guesser = visit()
    sign_in(guesser, "Ann", "1111")
    assert "Too many wrong tries" in guesser.error[0].value
    sign_in(guesser, "Ann", PIN)  # even the right PIN waits now
    assert "Too many wrong tries" in guesser.error[0].value and "signed_in" not in guesser.session_state


def test_class_mode_sign_in_out_and_creating(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARN_CLASS", "1")
    at = visit()
    create(at, "Ann", "12")
    assert "at least 4" in at.error[0].value and "signed_in" not in at.session_state
    create(at, "Ann", PIN, again="2719")
    assert "differ" in at.error[0].value
    create(at, "Ann", PIN)
    practised(at, 1)
    at.sidebar.button(key="sign_out").click().run()
    assert "signed_in" not in at.session_state and "learner" not in at.query_params
    nothing_of_anyone(at)
    create(at, "Ann", "9999")  # nobody takes over a name
    assert "exists already" in at.error[0].value
    sign_in(at, "Ann", PIN)
    assert at.session_state["signed_in"][1] == "Ann" and at.session_state["question"] is not None
    assert "learner=Ann" in f"learner={at.query_params['learner']}"


def test_teacher_page_behind_the_password(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARN_CLASS", "1")
    at = visit()
    assert at.sidebar.radio(key="page").options == ["Practise", "Read", "Progress"]  # no password set: no page
    monkeypatch.setenv("LEARN_TEACHER_PASSWORD", "s3cret class")
    create(at, "Ann", PIN)
    practised(at, 1)
    respond(at, False)
    grade_suggested(at)
    create(visit(), "Bob", "3141")
    teacher = visit()
    teacher.sidebar.radio(key="page").set_value("Teacher").run()
    teacher.text_input(key="teacher_password").set_value("guess")
    teacher.button(key="teacher_open").click().run()
    assert "Wrong" in teacher.error[0].value and not teacher.dataframe
    teacher.text_input(key="teacher_password").set_value("s3cret class")
    teacher.button(key="teacher_open").click().run()
    assert not teacher.exception
    assert [m.value for m in teacher.metric] == ["2", "2", "50%"]
    assert list(teacher.dataframe[0].value["material"]) == ["words.json"]  # set on the command line
    learners = teacher.dataframe[1].value
    assert list(learners["learner"]) == ["Ann", "Bob"] and list(learners["reviews"]) == [2, 0]
    assert list(learners["accuracy"]) == ["50%", "–"] and list(learners["due now"]) == [0, 0]
    hardest = teacher.dataframe[2].value
    assert len(hardest) == 1 and hardest["wrong"][0] == 1
    unstarted = teacher.dataframe[3].value
    assert len(unstarted) == 8 - 2
    labels = {b.label for b in teacher.get("download_button")}
    assert {"Learners (CSV)", "All reviews (CSV)"} <= labels
    # the teacher resets a forgotten PIN
    teacher.selectbox(key="reset_learner").set_value("Bob")
    teacher.text_input(key="reset_pin").set_value("5555")
    teacher.text_input(key="reset_pin_again").set_value("5555")
    teacher.button(key="reset_pin_submit").click().run()
    assert "Bob has a new PIN" in teacher.info[-1].value
    bob = visit()
    sign_in(bob, "Bob", "5555")
    assert bob.session_state["signed_in"][1] == "Bob"


def test_teacher_reteach_handout(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    handout = pytest.importorskip("learn.handout.pdf")
    try:
        handout.font_dirs()
    except Exception as err:  # noqa: BLE001 — no CJK font on this machine
        pytest.skip(f"no CJK font: {err}")
    monkeypatch.setenv("LEARN_TEACHER_PASSWORD", "pw")
    at = visit()
    create(at, "Ann")
    respond(at, False)
    grade_suggested(at)
    at.sidebar.radio(key="page").set_value("Teacher").run()
    at.text_input(key="teacher_password").set_value("pw")
    at.button(key="teacher_open").click().run()
    at.button(key="make_reteach").click().run()
    assert not at.exception and not at.error
    pdf = at.session_state["reteach"]
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert any(b.label == "Download re-teach handout" for b in at.get("download_button"))


def test_a_profile_with_a_pin_asks_for_it_even_outside_class_mode(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARN_CLASS", "1")
    ann = visit()
    create(ann, "Ann", PIN)
    practised(ann, 1)
    monkeypatch.delenv("LEARN_CLASS")  # the server restarted without --class by mistake
    create(visit(), "Pat")  # a profile without a PIN opens as before
    intruder = visit(learner="Ann")
    assert intruder.selectbox(key="profile").value == "Ann" and any("has a PIN" in c.value for c in intruder.caption)
    nothing_of_anyone(intruder)
    sign_in(intruder, "Ann", "0000")
    assert "Wrong" in intruder.error[0].value
    nothing_of_anyone(intruder)
    sign_in(intruder, "Ann", PIN)
    assert intruder.session_state["question"] is not None and "learner" in intruder.query_params
