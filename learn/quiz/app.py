"""The quiz app (Streamlit): pick a profile and material, practise, see progress.

Run with `learn quiz [PATH...]` or `streamlit run app.py` from the repository. Everything that
decides (questions, grading, scheduling, storage) lives in the UI-free modules of learn.quiz;
this file only lays out widgets and keeps the current question in st.session_state.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

import streamlit as st

from learn.entry import Entry
from learn.errors import LearnError
from learn.quiz import materials, progress, syllabus, teacher, views, welcome
from learn.quiz.auth import TEACHER as TEACHER_SUBJECT
from learn.quiz.auth import Auth, check_new_pin, class_mode, learner_subject, teacher_password
from learn.quiz.display import entry_card, example_sentence, paste_guard_html, picked_html, plain, speech_html
from learn.quiz.extraction import Extractions
from learn.quiz.known import KnownWords
from learn.quiz.materials import Material
from learn.quiz.practice import Outcome, Practice
from learn.quiz.questions import MODES, REVIEW, TONE_NAMES, Question
from learn.quiz.scheduler import RATINGS, now
from learn.quiz.store import Store, default_url
from learn.quiz.teacher import Classroom
from learn.quiz.writing import LABEL as WRITE_LABEL
from learn.quiz.writing import WRITE

SAMPLE, RECIPE, UPLOAD, PASTE = "Bundled sample", "Built recipe (dist/)", "Upload a .txt/.md file", "Paste text"
CLASS = "Class: "  # + the name of a material the teacher set
PASTE_LABEL, PASTE_LIMIT = "Chinese text", 50_000
PASTE_ADVICE = "For a longer text choose “Upload a .txt/.md file”, or build it with `learn build`."
PRACTISE, READ, PROGRESS, TEACHER = "Practise", "Read", "Progress", "Teacher"
ASK_FOR = {"pinyin": "type the pinyin", "tones": "pick a tone for every syllable", "": "choose one of the options"}
MODE_LABELS = {REVIEW: "Review due (all modes, scheduler's order)", **MODES, WRITE: WRITE_LABEL}
VARIANTS = {"tw": "Taiwan", "hk": "Hong Kong", "t": "OpenCC standard"}


# --- cached resources ----------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def open_store(url: str) -> Store:
    """One Store (engine + connection pool) per database URL, shared by every session."""
    return Store(url)


@st.cache_resource(show_spinner=False)
def open_auth(url: str) -> Auth:
    """PINs and sign-in limits, on the store's engine."""
    return Auth(open_store(url).engine)


@st.cache_resource(show_spinner=False)
def open_classroom(url: str) -> Classroom:
    """Class-wide queries for the teacher's page, on the store's engine."""
    return Classroom(open_store(url).engine)


@st.cache_resource(show_spinner=False)
def open_known(url: str) -> KnownWords:
    """Each learner's "I know this" words (the reader), on the store's engine."""
    return KnownWords(open_store(url).engine)


@st.cache_resource(show_spinner=False)
def open_extractions() -> Extractions:
    """Extraction is the slow step (seconds): remembered per process, within fixed bounds."""
    return Extractions()


def settle_heap() -> None:
    """Hide what is alive now (the dictionaries an extraction loads: ~200 MB) from the cyclic garbage collector.

    Streamlit collects after every script run, and a full collection walks every tracked object:
    about 100 ms of CPU per click with the dictionaries loaded. Frozen objects are never walked
    again; they are long-lived by nature, and what is freed later goes by reference counting.
    """
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner=False, max_entries=8)
def loaded(path: str, mtime: float) -> Material:
    """A file material, re-read only when the file changes."""
    return materials.from_paths([path]) if path else Material("")


@st.cache_resource(show_spinner="Preparing the class's materials…")
def class_from_command_line(url: str, paths: tuple[str, ...], stamps: tuple[float, ...]) -> list[str]:
    """A class's server: the PATHs of `learn quiz --class PATH...` become class materials, once per
    server and file version (`stamps`: modification times)."""
    return syllabus.from_command_line(open_classroom(url), list(paths), open_extractions())


def for_a_class() -> bool:
    """A server for a class: class mode, or a teacher's page. Its command-line PATHs are class materials."""
    return class_mode() or bool(teacher_password())


def cli_paths() -> list[str]:
    """PATHs given after `--` to `streamlit run app.py` (what `learn quiz PATH...` passes)."""
    argv = sys.argv
    return argv[1:] if argv and Path(argv[0]).name == "app.py" else []


# --- sidebar: material -----------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=32)
def class_material(url: str, name: str, version: str) -> list[Entry] | None:
    """A class material's entries, read once per version (parsing them costs a rerun ~10 ms)."""
    return open_classroom(url).material(name)


def choose_material(room: Classroom, url: str) -> Material | None:
    """The material radio and its inputs; returns the material, or None while input is missing.

    The class's materials (set by the teacher) come first; everything else is the learner's own
    practice, which the teacher's page never shows (learn.quiz.teacher).
    """
    paths = [] if for_a_class() else cli_paths()  # then they are class materials
    versions = room.material_versions()
    sources = (
        [CLASS + name for name in versions]
        + ([f"Command line: {', '.join(Path(p).name for p in paths)}"] if paths else [])
        + [SAMPLE, RECIPE, UPLOAD, PASTE]
    )
    source = st.sidebar.radio("Material", sources, format_func=plain, key="material")
    if source.startswith(CLASS):
        name = source[len(CLASS) :]
        entries = class_material(url, name, versions[name]) if name in versions else None
        if not entries:
            _waiting("The teacher removed it.")
            return None
        return Material(name, entries=entries)
    if source == SAMPLE:
        path = materials.sample_path()
        if path is None:
            st.warning("The bundled sample (decks/sample.txt) is not here; choose another material.")
            return None
        return loaded(str(path), _mtime(path))
    if source == RECIPE:
        return _recipe()
    if source == UPLOAD:
        upload = st.sidebar.file_uploader("Text file", type=["txt", "md"], key="upload")
        if not upload:
            _waiting("Upload a file.")
            return None
        return materials.from_upload(upload.name, upload.getvalue())
    if source == PASTE:
        return _pasted()
    if len(paths) == 1:
        return loaded(paths[0], _mtime(Path(paths[0])))
    return materials.from_paths(paths)


def _pasted() -> Material | None:
    """The paste box, limited to PASTE_LIMIT characters in the browser itself: a guard refuses a
    longer paste before the page takes it in, and says what to do instead (Streamlit also cuts
    what reaches the server to max_chars)."""
    text = st.sidebar.text_area(
        PASTE_LABEL,
        height=160,
        max_chars=PASTE_LIMIT,
        key="paste",
        help=f"Up to {PASTE_LIMIT:,} characters. {PASTE_ADVICE}",
    )
    with st.sidebar:
        st.html(paste_guard_html(PASTE_LABEL, PASTE_LIMIT, PASTE_ADVICE), unsafe_allow_javascript=True)
    if not text.strip():
        _waiting("Paste a text.")
        return None
    return materials.from_text(text, "pasted text")


def _mtime(path: Path) -> float:
    """Modification time (the cache key of a file material); 0 when gone, so loading reports it."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _recipe() -> Material | None:
    files = materials.recipe_files()
    if not files:
        st.warning("No built recipes yet: run `learn build decks/sample.toml` to write dist/*.json.")
        return None
    path = st.sidebar.selectbox("Recipe", files, format_func=lambda p: p.stem, key="recipe")
    return loaded(str(path), _mtime(path))


def _waiting(message: str) -> None:
    st.info(message + " The sidebar has the material choices.")


def entries_of(material: Material) -> list[Entry]:
    """Ready entries, or the material's text extracted (with a progress indicator when not cached)."""
    if material.entries is not None:
        return material.entries
    top = st.sidebar.slider("Terms to extract", 5, 100, 30, step=5, key="top")
    variant = st.sidebar.selectbox("Traditional forms", list(VARIANTS), format_func=VARIANTS.__getitem__, key="variant")
    assert variant is not None  # a selectbox with options always has a choice
    name = plain(material.name)  # an uploaded file's name: shown, not read as markdown
    with st.status(f"Extracting vocabulary from {name}…", expanded=False) as status:
        done = open_extractions().get(material.text, top, variant, material.name)
        if not done.cached:
            settle_heap()
        status.update(
            label=f"{len(done.entries)} terms from {name} "
            + ("(cached)" if done.cached else f"(extracted in {done.seconds:.1f} s)"),
            state="complete",
        )
    return done.entries


def trimmed(material: Material, entries: list[Entry]) -> list[Entry]:
    """Show the term list and let the learner leave terms out before practising (per material)."""
    key = f"left_out:{material.name}"
    left = set(st.session_state.get(key, [])) & {e.key for e in entries}
    kept = f"{len(entries) - len(left)} of {len(entries)} terms kept" if left else f"{len(entries)} terms"
    with st.expander(f"Review the term list ({kept})"):
        st.dataframe(
            [
                {
                    "word": e.headword,
                    "also written": e.other_form,
                    "pinyin": e.pinyin,
                    "meaning": e.meaning,
                    "kind": e.kind,
                    "HSK": e.hsk,
                    "count": e.count,
                }
                for e in entries
            ],
            hide_index=True,
            width="stretch",
        )
        labels = {e.key: f"{e.headword} {e.pinyin}" for e in entries}
        left_out = st.multiselect("Leave out", list(labels), format_func=labels.__getitem__, key=key)
    return [e for e in entries if e.key not in set(left_out)]


# --- practising ------------------------------------------------------------------------------


def practice_for(store: Store, learner_id: int, material: Material, entries: list[Entry], mode: str) -> Practice:
    """The Practice of this learner × material × mode × term list, kept across reruns.

    Each mode starts new words at its own place in the list, and the word just asked in another
    mode is not asked first, so switching modes does not repeat the same opening word.
    """
    context = (store.url, learner_id, material.name, mode, tuple(e.key for e in entries))
    state = st.session_state
    if state.get("context") != context:
        previous: Practice | None = state.get("practice")
        if state.get("score_of") != learner_id:
            state.score, state.score_of = (0, 0), learner_id
        state.context = context
        known = partial(open_known(store.url).keys, learner_id)
        state.practice = Practice(
            entries, store, learner_id, mode, rng=random.Random(), start=list(MODE_LABELS).index(mode), known=known
        )
        if previous is not None and previous.learner_id == learner_id:
            state.practice.last_key = previous.last_key
        state.question = None
        state.outcome = None
    return state.practice


def ask_next(practice: Practice) -> None:
    """Pick the next question and start its clock (`serial` counts the questions of this session)."""
    state = st.session_state
    state.question = practice.next_question()
    state.outcome = None
    state.need_answer = False
    state.asked_at = time.monotonic()
    state.serial = state.get("serial", 0) + 1


def on_check() -> None:
    """Form callback: judge the response and suggest a grade."""
    state = st.session_state
    question: Question | None = state.get("question")
    if question is None or state.get("outcome") is not None:  # a double click, or a stale form
        return
    elapsed = time.monotonic() - state.asked_at
    response = _response(question, slot(state.serial))
    if not _answered(response):
        state.need_answer = True  # a Check without an answer asks for one; it is no miss
        return
    state.need_answer = False
    state.outcome = state.practice.check(question, response, elapsed)
    state.response = response if isinstance(response, str) else " ".join(map(str, response or []))
    right, asked = state.get("score", (0, 0))
    state.score = (right + int(state.outcome.verdict.correct), asked + 1)


def _answered(response: Any) -> bool:
    """Whether the form holds an answer: an option, some typed text, a tone for every syllable."""
    return bool(response.strip()) if isinstance(response, str) else bool(response)


def slot(serial: int) -> int:
    """What the answer widgets' keys end in: 0 or 1, alternating from question to question.

    A new question never shows the last one's answer, and only two sets of keys ever exist:
    Streamlit keeps a widget's metadata as long as its key lives, so a new key per question grew
    a session by about 1 KB per answer, for as long as it lasted.
    """
    return serial % 2


def _response(question: Question, ending: int) -> Any:
    state = st.session_state
    if question.mode == "tones":
        picked = [state.get(f"tone-{ending}-{i}") for i in range(len(question.syllables))]
        return [] if None in picked else [int(t) for t in picked if t is not None]
    return state.get(f"answer-{ending}")


def on_grade(rating: int) -> None:
    """Grade-button callback: schedule the card, store the review, move on."""
    state = st.session_state
    if state.get("question") is None or state.get("outcome") is None:  # already graded (double click)
        return
    state.practice.record(state.question, state.outcome, rating, answer=state.get("response", ""))
    ask_next(state.practice)


def show_question(question: Question) -> None:
    """The prompt and an answer form; submitting calls on_check."""
    ending = slot(st.session_state.serial)
    st.caption(f"{MODES[question.mode]} · {question.instruction}")
    big = question.mode in ("meaning", "pinyin", "tones", "script")
    size = "2.6rem" if big else "1.3rem"
    st.markdown(
        f'<div lang="zh" style="font-size:{size};line-height:1.5">{escape(question.prompt)}</div>',
        unsafe_allow_html=True,
    )
    if question.note and question.mode not in ("meaning",):
        st.caption(plain(question.note))
    with st.form(f"form-{ending}"):
        if question.mode == "pinyin":
            st.text_input("Pinyin", key=f"answer-{ending}", placeholder="xin1zhi4 or xīnzhì")
        elif question.mode == "tones":
            for i, syllable in enumerate(question.syllables):
                st.radio(
                    syllable,
                    [1, 2, 3, 4, 5],
                    format_func=TONE_NAMES.get,
                    index=None,
                    horizontal=True,
                    key=f"tone-{ending}-{i}",
                )
        else:
            st.radio("Answer", question.options, format_func=plain, index=None, key=f"answer-{ending}")
        if st.session_state.get("need_answer"):
            st.warning(f"Answer first: {ASK_FOR.get(question.mode, ASK_FOR[''])}, then press Check.")
        st.form_submit_button("Check", type="primary", on_click=on_check)


def show_feedback(practice: Practice, question: Question, outcome: Outcome) -> None:
    """Right or wrong, the full entry, and the four grade buttons (the suggested one highlighted)."""
    verdict = outcome.verdict
    if verdict.correct:
        st.success(plain(verdict.message))
    elif verdict.tones_only:
        st.warning(plain(verdict.message))
    else:
        st.error(plain(verdict.message))
    if not verdict.correct:
        _explain_pick(practice, question)
    entry = practice.by_key[question.key]
    st.markdown(entry_card(entry, colours=st.session_state.get("tone_colours", True)), unsafe_allow_html=True)
    st.iframe(speech_html(entry.headword, example_sentence(entry)), height=80)
    suggested = outcome.suggested.name
    st.caption(
        f"Suggested grade: **{suggested}** ({'right' if verdict.correct else 'wrong'}, "
        f"{outcome.elapsed:.0f} s). It decides when this card comes back."
    )
    for column, (name, rating) in zip(st.columns(4), RATINGS.items(), strict=True):
        column.button(
            name,
            key=f"grade-{name}",
            type="primary" if name == suggested else "secondary",
            on_click=on_grade,
            args=(int(rating),),
            width="stretch",
        )


def _explain_pick(practice: Practice, question: Question) -> None:
    """After a wrong choice: what the option the learner picked means (another word of the list)."""
    picked = st.session_state.get("response", "")
    other = practice.by_key.get(question.option_keys.get(picked, ""))
    if other is not None and other.key != question.key:
        st.markdown(picked_html(picked, other, question.mode), unsafe_allow_html=True)


def practise_page(store: Store, learner: tuple[int, str], material: Material) -> None:
    entries = trimmed(material, materials.unique(entries_of(material)))
    if not entries:
        st.warning("No terms to practise: the term list is empty.")
        return
    mode = st.selectbox("Mode", list(MODE_LABELS), format_func=MODE_LABELS.__getitem__, key="mode")
    assert mode is not None  # a selectbox with options always has a choice
    practice_for(store, learner[0], material, entries, mode)
    question_area()
    handout_button(material, entries)
    views.deck_button(material, entries)


@st.fragment
def question_area() -> None:
    """The score and the question, or the feedback on its answer.

    A fragment: Check and the grade buttons rerun only this function, not the whole page (the
    sidebar, the material, the term list), which keeps an answer cheap for the server.
    """
    state = st.session_state
    practice: Practice = state.practice
    right, asked = state.get("score", (0, 0))
    st.markdown(f"**Score this session:** {right} / {asked}")
    if state.get("question") is None and state.get("outcome") is None:
        ask_next(practice)
    if state.question is None:
        st.warning(
            f"None of these {len(practice.entries)} terms can be asked in this mode "
            "(it needs definitions, example sentences, traditional forms, stroke data or more terms)."
        )
    elif state.question.mode == WRITE:
        views.write_question(practice, state.question, partial(ask_next, practice))
    elif state.outcome is None:
        if practice.why == "ahead":
            st.caption("Nothing is due now: practising ahead of schedule (add terms or come back later).")
        show_question(state.question)
    else:
        show_feedback(practice, state.question, state.outcome)


def handout_button(material: Material, entries: list[Entry]) -> None:
    """Build the PDF handout for these terms on request and offer it as a download."""
    state = st.session_state
    wanted = (material.name, tuple(e.key for e in entries))
    if st.sidebar.button("Prepare handout (PDF)", key="make_handout"):
        from learn.handout.pdf import handout_pdf

        with st.spinner("Typesetting the handout…"):
            try:
                state.handout = (
                    wanted,
                    handout_pdf(entries, materials.handout_text(material, entries), title=material.name, seed=0),
                )
            except LearnError as err:
                st.sidebar.error(str(err))
    made = state.get("handout")
    if made and made[0] == wanted:
        st.sidebar.download_button(
            "Download handout PDF",
            made[1],
            file_name=f"{Path(material.name).stem}-handout.pdf",
            mime="application/pdf",
            key="handout_pdf",
        )


# --- progress page ---------------------------------------------------------------------------


def progress_page(store: Store, learner: tuple[int, str]) -> None:
    learner_id, name = learner
    reviews = store.reviews(learner_id)
    cards = list(store.cards(learner_id).values())
    st.subheader(f"Progress of {plain(name)}")
    if not reviews:
        st.info("No reviews yet: answer a few questions on the Practise page.")
        return
    when = now()
    right = sum(r.correct for r in reviews)
    a, b, c = st.columns(3)
    a.metric("Reviews", len(reviews))
    b.metric("Accuracy", f"{right / len(reviews):.0%}")
    c.metric("Cards due now", sum(card.due <= when for card in cards))
    st.markdown("**Reviews per day** (last 30 days, UTC)")
    per_day = progress.last_days(progress.reviews_per_day(reviews), when.date())
    st.bar_chart(_series(per_day, "reviews"), x="day", y="reviews")
    st.markdown("**Accuracy per mode**")
    st.dataframe(
        [
            {"mode": MODES.get(m, m), "reviews": n, "right": r, "accuracy": f"{r / n:.0%}"}
            for m, (r, n) in progress.accuracy_by_mode(reviews).items()
        ],
        hide_index=True,
    )
    st.markdown("**Cards due in the next 14 days**")
    st.bar_chart(_series(progress.due_forecast(cards, when), "cards due"), x="day", y="cards due")
    st.markdown("**Hardest words**")
    hard = progress.hardest(reviews)
    if hard:
        st.dataframe(
            [
                {
                    "word": h.word,
                    "meaning": h.meaning,
                    "reviews": h.reviews,
                    "wrong": h.wrong,
                    "accuracy": f"{h.accuracy:.0%}",
                }
                for h in hard
            ],
            hide_index=True,
        )
    else:
        st.caption("No word answered wrong yet.")
    st.download_button(
        "Export progress (CSV)",
        progress.to_csv(reviews),
        file_name=f"learn-progress-{name}.csv",
        mime="text/csv",
        key="export_csv",
    )


def _series(counts: dict[Any, int], column: str) -> list[dict[str, Any]]:
    return [{"day": day.isoformat(), column: n} for day, n in counts.items()]


# --- the teacher's page ----------------------------------------------------------------------


def teacher_page(store: Store, auth: Auth, room: Classroom) -> None:
    """The class at a glance, behind the teacher's password: learners, hardest and unstarted words,
    CSV exports, a re-teach handout, and (class mode) a PIN reset."""
    state = st.session_state
    if not state.get("teacher") and not welcome.restored_teacher(store.engine, teacher_password()):
        _teacher_sign_in(auth)
        return
    st.sidebar.button("Sign out (teacher)", key="teacher_sign_out", on_click=welcome.sign_out)
    welcome.write_trust_cookies()
    syllabus.editor(room, open_extractions())
    st.subheader("The class")
    stats = room.learners(now())
    reviews = sum(s.reviews for s in stats)
    right = sum(s.right for s in stats)
    a, b, c = st.columns(3)
    a.metric("Learners", len(stats))
    b.metric("Reviews", reviews)
    c.metric("Accuracy", f"{right / reviews:.0%}" if reviews else "–")
    st.markdown("**Learners**")
    st.dataframe(
        [
            {
                "learner": s.name,
                "reviews": s.reviews,
                "accuracy": "–" if s.accuracy is None else f"{s.accuracy:.0%}",
                "due now": s.due,
                "last review (UTC)": s.last.strftime("%Y-%m-%d %H:%M") if s.last else "–",
            }
            for s in stats
        ],
        hide_index=True,
        width="stretch",
    )
    _class_words(room)
    st.markdown("**Export**")
    left, right_col = st.columns(2)
    left.download_button(
        "Learners (CSV)",
        teacher.learners_csv(stats),
        file_name="learn-class-learners.csv",
        mime="text/csv",
        key="class_learners_csv",
    )
    right_col.download_button(
        "All reviews (CSV)",
        room.log_csv(),
        file_name="learn-class-reviews.csv",
        mime="text/csv",
        key="class_reviews_csv",
    )
    _reteach(room)
    if class_mode():
        _reset_pin(store, auth)


def _teacher_sign_in(auth: Auth) -> None:
    st.subheader("Teacher's page")
    with st.form("teacher_form"):
        st.text_input("Teacher's password", type="password", key="teacher_password")
        st.form_submit_button("Open the teacher's page", key="teacher_open", on_click=_check_teacher, args=(auth,))
    if st.session_state.get("teacher_error"):
        st.error(plain(st.session_state.teacher_error))


def _check_teacher(auth: Auth) -> None:
    state = st.session_state
    attempt = auth.teacher_sign_in(state.get("teacher_password", ""), client=welcome.browser(TEACHER_SUBJECT))
    welcome.forget("teacher_password")
    state.teacher = attempt.ok
    state.teacher_error = attempt.message
    welcome.keep_trust(TEACHER_SUBJECT, attempt.token)
    if attempt.ok:
        welcome.keep_teacher_signed_in(auth.engine, teacher_password())


def _class_words(room: Classroom) -> None:
    st.markdown("**The class's hardest words**")
    hard = room.hardest()
    if hard:
        st.dataframe(
            [
                {
                    "word": h.word,
                    "pinyin": h.pinyin,
                    "meaning": h.meaning,
                    "learners": h.learners,
                    "reviews": h.reviews,
                    "wrong": h.wrong,
                    "accuracy": f"{h.accuracy:.0%}",
                }
                for h in hard
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No word answered wrong yet.")
    waiting = room.unstarted()
    st.markdown(f"**Words nobody has started** ({len(waiting)})")
    if waiting:
        st.dataframe(
            [{"word": e.headword, "pinyin": e.pinyin, "meaning": e.meaning} for e in waiting],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Every word of the class's materials has been answered at least once.")


def _reteach(room: Classroom) -> None:
    """A handout of the class's hardest words with their source sentences (the handout code)."""
    st.markdown("**Re-teach handout**")
    if st.button("Prepare re-teach handout (PDF)", key="make_reteach", disabled=not room.hardest(1)):
        with st.spinner("Typesetting the re-teach handout…"):
            try:
                st.session_state.reteach = teacher.reteach_pdf(room.reteach_entries())
            except LearnError as err:
                st.error(str(err))
    if st.session_state.get("reteach"):
        st.download_button(
            "Download re-teach handout",
            st.session_state.reteach,
            file_name="learn-reteach.pdf",
            mime="application/pdf",
            key="reteach_pdf",
        )
    st.caption(f"The class's {teacher.RETEACH} hardest words with their source sentences and exercises.")


def _reset_pin(store: Store, auth: Auth) -> None:
    """Class mode: give a learner a new PIN (forgotten, or a profile made before class mode)."""
    with st.expander("Set a learner's PIN"):
        with st.form("reset_pin_form"):
            st.selectbox("Learner", store.learners(), index=None, key="reset_learner")
            st.text_input("New PIN", type="password", key="reset_pin")
            st.text_input("The new PIN again", type="password", key="reset_pin_again")
            st.form_submit_button("Set PIN", key="reset_pin_submit", on_click=_set_learner_pin, args=(store, auth))
        if st.session_state.get("reset_message"):
            st.info(plain(st.session_state.reset_message))


def _set_learner_pin(store: Store, auth: Auth) -> None:
    state = st.session_state
    name = state.get("reset_learner")
    try:
        if name not in store.learners():
            raise LearnError("choose a learner")
        check_new_pin(state.get("reset_pin", ""), state.get("reset_pin_again", ""))
        learner_id = store.learner(name)
        auth.set_pin(learner_id, state.reset_pin, replace=True)
        welcome.end_sign_ins(store.engine, learner_subject(learner_id))  # a stolen sign-in ends with the old PIN
        state.reset_message = f"{name} has a new PIN."
    except LearnError as err:
        state.reset_message = str(err)
    welcome.forget("reset_pin", "reset_pin_again")


# --- the page --------------------------------------------------------------------------------


def main() -> None:
    """Draw the app (called on every rerun)."""
    st.set_page_config(page_title="learn · quiz", page_icon="📖")
    st.title("learn · quiz")
    try:
        store = open_store(default_url())
    except LearnError as err:
        st.error(str(err))
        return
    if for_a_class() and cli_paths():
        try:
            class_from_command_line(store.url, tuple(cli_paths()), tuple(_mtime(Path(p)) for p in cli_paths()))
        except LearnError as err:
            st.error(str(err))
    pages = [PRACTISE, READ, PROGRESS] + ([TEACHER] if teacher_password() else [])
    page = st.sidebar.radio("Page", pages, key="page", horizontal=True)
    if page == TEACHER:
        teacher_page(store, open_auth(store.url), open_classroom(store.url))
        return
    learner = welcome.choose_learner(store, open_auth(store.url))
    if learner is None:
        return
    views.tone_colours()
    if page == PROGRESS:
        progress_page(store, learner)
        return
    try:
        material = choose_material(open_classroom(store.url), store.url)
        if material is not None and page == READ:
            known = open_known(store.url)
            views.reader_page(store, known, learner[0], material, materials.unique(entries_of(material)))
        elif material is not None:
            practise_page(store, learner, material)
    except LearnError as err:
        st.error(str(err))


if __name__ == "__main__":
    main()
