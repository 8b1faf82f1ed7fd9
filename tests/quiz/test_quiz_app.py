"""The Streamlit app driven by AppTest: every mode answered right and wrong, the score, the stored
review, profiles, materials, the progress page and the handout download."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from quiz_entries import ENTRIES, write_entries
from streamlit.testing.v1 import AppTest

from learn.entry import Entry, Example
from learn.quiz import materials
from learn.quiz.questions import MODES, REVIEW
from learn.quiz.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entries: list[Entry] | None = None,
    name: str = "Ann",
    argv: list[str] | None = None,
) -> AppTest:
    """The app on a fresh database with `entries` given on the command line, profile `name` created."""
    monkeypatch.setenv("LEARN_DB_URL", f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    words = write_entries(tmp_path / "words.json", entries)
    monkeypatch.setattr(sys, "argv", argv if argv is not None else ["app.py", str(words)])
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    at.text_input(key="new_profile").set_value(name)
    at.button(key="create_profile").click().run()
    assert not at.exception
    return at


def stored(tmp_path: Path, name: str = "Ann") -> list:
    store = Store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    try:
        return store.reviews(store.learner(name))
    finally:
        store.close()


def respond(at: AppTest, right: bool) -> None:
    """Fill in the current question's form, right or wrong, and press Check."""
    question, serial = at.session_state["question"], at.session_state["serial"] % 2
    if question.mode == "pinyin":
        at.text_input(key=f"answer-{serial}").set_value(question.answer.replace(" ", "") if right else "ma1")
    elif question.mode == "tones":
        tones = [int(t) for t in question.answer.split()]
        tones[0] = tones[0] if right else tones[0] % 4 + 1
        for i, tone in enumerate(tones):
            at.radio(key=f"tone-{serial}-{i}").set_value(tone)
    else:
        choice = question.answer if right else next(o for o in question.options if o != question.answer)
        at.radio(key=f"answer-{serial}").set_value(choice)
    next(b for b in at.button if b.label == "Check").click().run()
    assert not at.exception


def score(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Score")).split("** ")[1]


def grade_suggested(at: AppTest) -> str:
    """Press the highlighted (suggested) grade button; returns its name."""
    [suggested] = [b for b in at.button if b.key and b.key.startswith("grade-") and b.proto.type == "primary"]
    suggested.click().run()
    assert not at.exception
    return suggested.label


@pytest.mark.parametrize("mode", [*MODES, REVIEW])
def test_each_mode_right_then_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    at = start(tmp_path, monkeypatch)
    at.selectbox(key="mode").set_value(mode).run()
    for n, right in enumerate([True, False], start=1):
        question = at.session_state["question"]
        assert mode in (REVIEW, question.mode)
        respond(at, right)
        assert (len(at.success), len(at.error) + len(at.warning)) == ((1, 0) if right else (0, 1))
        assert score(at) == f"{1} / {n}"
        entry = next(e for e in ENTRIES if e.key == question.key)
        card = next(m.value for m in at.markdown if "learn-entry" in m.value)
        assert entry.simplified in card and entry.meaning.split(";")[0] in card
        assert entry.examples[0].sentence.split(entry.simplified)[0] in card if entry.examples else True
        grade = grade_suggested(at)
        assert grade in (("Easy", "Good", "Hard") if right else ("Again",))
        review = stored(tmp_path)[-1]
        assert (review.key, review.mode, review.correct) == (question.key, question.mode, right)
        assert review.rating == {"Again": 1, "Hard": 2, "Good": 3, "Easy": 4}[grade]
        assert at.session_state["outcome"] is None and at.session_state["question"] is not None
    assert len(stored(tmp_path)) == 2


def test_pinyin_with_wrong_tones_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    at.selectbox(key="mode").set_value("pinyin").run()
    serial, question = at.session_state["serial"] % 2, at.session_state["question"]
    first, rest = question.answer.split(" ", 1)
    typed = f"{first[:-1]}{int(first[-1]) % 4 + 1} {rest}"  # the first tone wrong
    at.text_input(key=f"answer-{serial}").set_value(typed)
    next(b for b in at.button if b.label == "Check").click().run()
    assert "Right syllables, wrong tones" in at.warning[0].value
    assert score(at) == "0 / 1"
    next(b for b in at.button if b.key == "grade-Hard").click().run()  # the learner overrides
    [review] = stored(tmp_path)
    assert not review.correct and review.rating == 2 and review.answer == typed


def test_user_text_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    evil = Entry(
        "试验",
        "試驗",
        "shì yàn",
        "shi4 yan4",
        definitions=["<img src=x onerror=alert(1)>"],
        examples=[Example("这是<b>试验</b>句子。")],
    )
    at = start(tmp_path, monkeypatch, entries=[evil, *ENTRIES[:3]])
    at.selectbox(key="mode").set_value("pinyin").run()
    for _ in range(4):  # each mode starts somewhere else in the list
        if at.session_state["question"].key == evil.key:
            break
        respond(at, True)
        grade_suggested(at)
    respond(at, True)
    card = next(m.value for m in at.markdown if "learn-entry" in m.value)
    assert "<img" not in card and "&lt;img src=x" in card and "&lt;b&gt;" in card
    assert card.startswith('<div class="learn-entry" lang="zh-CN">')  # Han drawn with a Chinese font


def test_trimmed_terms_are_not_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    at.multiselect(key="left_out:words").set_value([e.key for e in ENTRIES[:-1]]).run()
    assert "(1 of 8 terms kept)" in at.expander[0].label
    at.selectbox(key="mode").set_value("pinyin").run()
    for _ in range(2):
        assert at.session_state["question"].key == ENTRIES[-1].key
        respond(at, True)
        grade_suggested(at)


def test_progress_kept_per_learner_and_after_a_reload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    respond(at, True)
    grade_suggested(at)
    respond(at, False)
    grade_suggested(at)
    at.sidebar.radio(key="page").set_value("Progress").run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["2", "50%"]
    assert any(b.label == "Export progress (CSV)" for b in at.get("download_button"))
    assert len(at.dataframe) == 2  # accuracy per mode, hardest words
    # another learner sees nothing of Ann's
    at.sidebar.button(key="switch_profile").click().run()
    at.selectbox(key="profile").set_value("New profile…").run()
    at.text_input(key="new_profile").set_value("Bob")
    at.button(key="create_profile").click().run()
    assert at.sidebar.markdown[0].value == "Practising as **Bob**"
    assert "No reviews yet" in at.info[0].value and not at.metric
    # a reload is a new session: the URL remembers the profile, the database the progress
    again = AppTest.from_file(APP, default_timeout=30)
    again.query_params["learner"] = "Ann"
    again.run()
    again.sidebar.radio(key="page").set_value("Progress").run()
    assert again.sidebar.markdown[0].value == "Practising as **Ann**"
    assert again.metric[0].value == "2"


def test_profile_without_a_name_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARN_DB_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setattr(sys, "argv", ["pytest"])
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="new_profile").set_value("   ")
    at.button(key="create_profile").click().run()
    assert "needs a name" in at.error[0].value and not at.exception


def test_pasted_and_uploaded_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("learn.terms.rank")
    at = start(tmp_path, monkeypatch, argv=["pytest"])
    at.sidebar.radio(key="material").set_value("Paste text").run()
    assert "Paste a text" in at.info[0].value
    at.sidebar.text_area(key="paste").set_value(
        "各地加快发展新质生产力。新质生产力是创新起主导作用的先进生产力。发展新质生产力要坚持先立后破，因地制宜。"
    ).run()
    assert not at.exception and "terms from pasted text" in at.status[0].label
    assert at.session_state["question"] is not None
    # issue 23: a first extraction that was merely fast said "(cached)"; only a remembered one does now
    at.sidebar.text_area(key="paste").set_value(
        "河边的工厂换上了绿色能源。绿色能源让小镇的空气变好了。小镇的绿色能源项目吸引了年轻人。"
    ).run()
    assert "extracted in" in at.status[0].label and "(cached)" not in at.status[0].label
    at.sidebar.slider(key="top").set_value(25).run()
    at.sidebar.slider(key="top").set_value(30).run()
    assert "(cached)" in at.status[0].label
    at.sidebar.radio(key="material").set_value("Upload a .txt/.md file").run()
    at.sidebar.file_uploader(key="upload").set_value(("notes.md", b"# only English here", "text/markdown")).run()
    assert "notes.md: no Chinese text found" in at.error[0].value


def test_bundled_sample_and_built_recipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if materials.sample_path() is None:
        pytest.skip("decks/sample.txt is absent")
    pytest.importorskip("learn.terms.rank")
    at = start(tmp_path, monkeypatch, argv=["pytest"])
    at.sidebar.radio(key="material").set_value("Bundled sample").run()
    assert not at.exception and "terms from sample.txt" in at.status[0].label
    words = {e.simplified for e in at.session_state["practice"].entries}
    assert "新质生产力" in words
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dist").mkdir()
    write_entries(tmp_path / "dist" / "mine.json")
    at.sidebar.radio(key="material").set_value("Built recipe (dist/)").run()
    assert at.sidebar.selectbox(key="recipe").value.stem in ("mine", "sample")
    at.sidebar.selectbox(key="recipe").set_value(tmp_path / "dist" / "mine.json").run()
    assert {e.key for e in at.session_state["practice"].entries} == {e.key for e in ENTRIES}


def test_handout_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handout = pytest.importorskip("learn.handout.pdf")
    try:
        handout.font_dirs()
    except Exception as err:  # noqa: BLE001 — no CJK font on this machine
        pytest.skip(f"no CJK font: {err}")
    at = start(tmp_path, monkeypatch)
    at.sidebar.button(key="make_handout").click().run()
    assert not at.exception and not at.sidebar.error
    _wanted, pdf = at.session_state["handout"]
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert any(b.label == "Download handout PDF" for b in at.get("download_button"))


def test_a_text_named_on_the_command_line_is_preselected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = materials.sample_path()
    if sample is None:
        pytest.skip("decks/sample.txt is absent")
    pytest.importorskip("learn.terms.rank")
    at = start(tmp_path, monkeypatch, argv=["app.py", str(sample)])
    assert at.sidebar.radio(key="material").value == "Command line: sample.txt"
    assert "terms from sample.txt" in at.status[0].label and at.session_state["question"] is not None


def test_markup_in_meanings_shows_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Streamlit labels read markdown, $LaTeX$ and :red[…]: a sense must not become a link or a formula.
    odd = "[see](http://x.test) *stress* $E=mc^2$ :red[hot]"
    entries = [
        Entry(
            e.simplified,
            e.traditional,
            e.pinyin,
            e.pinyin_numbered,
            definitions=[f"{odd} {i}"],
            examples=e.examples,
            count=1,
        )
        for i, e in enumerate(ENTRIES)
    ]
    at = start(tmp_path, monkeypatch, entries)
    at.selectbox(key="mode").set_value("meaning").run()
    serial = at.session_state["serial"] % 2
    labels = at.radio(key=f"answer-{serial}").options
    assert labels and all(r"\[see\](http\://x.test) \*stress\* \$E=mc^2\$ \:red\[hot\]" in label for label in labels)
    respond(at, right=False)
    assert r"\[see\]" in at.error[0].value and "[see](" not in at.error[0].value


def test_plain_escapes_markdown_but_keeps_ordinary_punctuation() -> None:
    from learn.quiz.display import plain

    assert plain("Right.") == "Right." and plain("to act (on); move-ment!") == "to act (on); move-ment!"
    assert plain("1. first\n- dash") == "1\\. first\n\\- dash"
    assert plain("<b>&amp;</b> # _x_ `c` a|b ~s~") == r"\<b\>\&amp;\</b\> \# \_x\_ \`c\` a\|b \~s\~"


def test_check_without_an_answer_asks_for_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    for mode in ("meaning", "pinyin", "tones"):
        at.selectbox(key="mode").set_value(mode).run()
        question = at.session_state["question"]
        if mode == "tones":  # one syllable left without a tone
            at.radio(key=f"tone-{at.session_state['serial'] % 2}-0").set_value(1)
        next(b for b in at.button if b.label == "Check").click().run()
        assert not at.exception and at.session_state["outcome"] is None
        assert "Answer first" in at.warning[0].value and score(at) == "0 / 0"
        assert at.session_state["question"] is question  # the same question waits for an answer
    respond(at, True)
    assert score(at) == "1 / 1" and not any("Answer first" in w.value for w in at.warning)
    assert stored(tmp_path) == []  # nothing was counted as a miss


def test_each_mode_starts_with_another_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    firsts = []
    for mode in [REVIEW, *MODES]:
        at.selectbox(key="mode").set_value(mode).run()
        firsts.append(at.session_state["question"].key)
    assert len(set(firsts)) == len(firsts), firsts


def test_a_wrong_pick_says_what_it_means(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(tmp_path, monkeypatch)
    for mode in ("meaning", "reverse"):
        at.selectbox(key="mode").set_value(mode).run()
        question = at.session_state["question"]
        picked = next(o for o in question.options if o != question.answer)
        at.radio(key=f"answer-{at.session_state['serial'] % 2}").set_value(picked)
        next(b for b in at.button if b.label == "Check").click().run()
        other = next(e for e in ENTRIES if e.key == question.option_keys[picked])
        [panel] = [m.value for m in at.markdown if "learn-picked" in m.value]
        if mode == "meaning":  # the meaning picked belongs to another word: name the word
            assert f"You chose “{picked}”" in panel and other.simplified in panel and other.pinyin in panel
        else:  # the word picked: say what it means
            assert f'You chose <b lang="zh">{picked}</b>' in panel and other.definitions[0] in panel
        grade_suggested(at)
    respond(at, True)
    assert not [m for m in at.markdown if "learn-picked" in m.value]


def test_answer_panel_marks_a_recent_coinage_and_offers_speech(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    coined = Entry(
        "模速空间",
        "模速空間",
        "mó sù kōng jiān",
        "mo2 su4 kong1 jian1",
        definitions=["an AI park"],
        kind="name",
        first_seen="2024-03",
        examples=[Example("模速空间在南京。")],
    )
    at = start(tmp_path, monkeypatch, entries=[coined, *ENTRIES[:3]])
    at.multiselect(key="left_out:words").set_value([e.key for e in ENTRIES[:3]]).run()
    at.selectbox(key="mode").set_value("pinyin").run()
    respond(at, True)
    card = next(m.value for m in at.markdown if "learn-entry" in m.value)
    assert "new since 2024" in card
    [speech] = [e for e in at.main if getattr(e, "type", "") == "iframe"]
    html = speech.proto.srcdoc
    assert "zh-CN" in html and "speechSynthesis" in html and "\\u6a21\\u901f\\u7a7a\\u95f4" in html

    from learn.quiz.display import entry_card

    assert "new since" not in entry_card(ENTRIES[0])  # unknown first use: no badge
    assert "new since" not in entry_card(Entry("发展", first_seen="1954-09"))
