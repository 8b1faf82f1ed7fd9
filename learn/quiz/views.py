"""The quiz pages added beside the cards: the reader, Write mode, and taking the words away.

  reader_page     the whole text with the terms marked (learn.quiz.reader builds it, the reader
                  component draws it); "I know this" and "Add to my reviews" act on the store
  write_question  one Write question: the reading and meaning, hanzi-writer's box, the result
  deck_button     "Download Anki deck" for the material, the deck `learn deck` builds
  tone_colours    the quiz's tone-colour setting, which the reader and the cards follow
Streamlit only here; what decides lives in the UI-free modules (reader, writing, known).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

import streamlit as st

from learn.entry import Entry
from learn.errors import LearnError
from learn.quiz import components, materials, reader, writing
from learn.quiz.answers import Verdict
from learn.quiz.display import coloured_pinyin, entry_card, plain
from learn.quiz.known import KnownWords, add_to_reviews, reviewing
from learn.quiz.materials import Material
from learn.quiz.practice import Outcome, Practice
from learn.quiz.questions import Question
from learn.quiz.store import Store

READER_KEY = "reader"
WRITE_KEY = "write"


# --- settings ------------------------------------------------------------------------------------


def tone_colours() -> bool:
    """The quiz's tone-colour setting (sidebar, on by default): cards, reader and panel follow it."""
    return bool(
        st.sidebar.toggle(
            "Tone colours", value=True, key="tone_colours", help="1 red, 2 orange, 3 green, 4 blue, neutral grey"
        )
    )


# --- the reader ----------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def _document(text: str) -> reader.Document:
    """The cleaned, paged text (cleaning a long report once per process)."""
    return reader.document(text)


@st.cache_data(show_spinner=False, max_entries=64)
def _page(text: str, number: int, pinyin: str, entries: tuple[Entry, ...]) -> list[dict[str, Any]]:
    """One page's paragraphs (readings of every word are the slow part: worked out once)."""
    page = _document(text).pages[number]
    return reader.page_data(page, reader.Marker(entries), pinyin)


def reader_text(material: Material, entries: Sequence[Entry]) -> str:
    """The material's text; a list with no text keeps its words' source sentences."""
    return materials.handout_text(material, entries)


def reader_page(store: Store, known: KnownWords, learner_id: int, material: Material, entries: Sequence[Entry]) -> None:
    """The whole text, paged, with the extracted terms marked; a click opens the word's panel."""
    text = reader_text(material, entries)
    doc = _document(text)
    if not doc.pages:
        st.warning("There is no text to read in this material.")
        return
    title = escape(doc.title or material.name)
    st.markdown(
        f"<h3 lang=\"zh\" style=\"font-family:'Noto Sans CJK SC','Noto Sans CJK TC',sans-serif;"
        f'font-weight:700;line-height:1.5;padding-top:0">{title}</h3>',
        unsafe_allow_html=True,
    )
    if not material.text:
        st.caption("This word list keeps no text: the reader shows its words' source sentences.")
    left, right = st.columns([3, 2])
    with left:
        mode = st.segmented_control(
            "Pinyin",
            list(reader.PINYIN_MODES),
            format_func=lambda mode: reader.PINYIN_MODES[mode],
            default="terms",
            required=True,
            key="reader_pinyin",
        )
    number = 0
    if len(doc.pages) > 1:
        with right:
            number = st.selectbox(
                "Text page",
                range(len(doc.pages)),
                key=f"reader_page:{material.name}",
                format_func=lambda n: f"{n + 1} of {len(doc.pages)}",
            )
    chosen = tuple(entries)
    keys = [e.key for e in chosen]
    states = {k: "review" for k in reviewing(keys, store.due_dates(learner_id))}
    states.update({k: "known" for k in known.keys(learner_id) if k in set(keys)})
    with st.spinner("Reading every word of this page…", show_time=False):
        paragraphs = _page(text, number, mode or "terms", chosen)
    data = {
        "paragraphs": paragraphs,
        "terms": reader.term_cards(chosen),
        "states": states,
        "pinyin": mode or "terms",
        "colours": bool(st.session_state.get("tone_colours", True)),
        "lang": reader.language(chosen),
        "page": f"{material.name}#{number}",
    }
    components.reader(
        data, key=READER_KEY, on_change=partial(_reader_action, store, known, learner_id, {e.key: e for e in chosen})
    )
    if number + 1 < len(doc.pages):
        st.button(
            f"Next page ({number + 2} of {len(doc.pages)})",
            key="reader_next",
            on_click=partial(_turn_page, f"reader_page:{material.name}", number + 1),
        )
    _reader_notes(doc, number, len(chosen))
    st.download_button(
        "Download my known words (.txt)",
        known.word_list(learner_id),
        file_name="learn-known-words.txt",
        mime="text/plain",
        key="known_txt",
    )


def _turn_page(key: str, number: int) -> None:
    st.session_state[key] = number


def _reader_notes(doc: reader.Document, number: int, terms: int) -> None:
    message = st.session_state.get("reader_message")
    if message:
        st.success(plain(message))
    st.caption(
        f"{doc.chars:,} characters · page {number + 1} of {len(doc.pages)} · {terms} terms marked: "
        "click one for its reading, meaning and measure words. Words you know stop coming as new cards; "
        "words you add come up in “Review due”."
    )


def _reader_action(store: Store, known: KnownWords, learner_id: int, by_key: dict[str, Entry]) -> None:
    """The reader component's callback: "I know this", its undo, or "Add to my reviews"."""
    state = st.session_state
    value = state.get(READER_KEY)
    if not isinstance(value, dict) or value.get("nonce") == state.get("reader_nonce"):
        return
    state.reader_nonce = value.get("nonce")
    entry = by_key.get(str(value.get("key", "")))
    action = value.get("action")
    if entry is None:
        return
    if state.get("outcome") is None:  # an unanswered question is chosen again, with this word known or due
        state.question = None
    if action == "known":
        known.mark(learner_id, entry)
        state.reader_message = f"{entry.headword}: marked known; it will not come as a new card."
    elif action == "unknown":
        known.forget(learner_id, entry.key)
        state.reader_message = f"{entry.headword}: no longer marked known."
    elif action == "review":
        known.forget(learner_id, entry.key)
        mode = add_to_reviews(store.engine, learner_id, entry)
        state.reader_message = (
            f"{entry.headword}: added to your reviews; it comes up in “Review due”."
            if mode
            else f"{entry.headword} cannot be asked in the quiz (no meaning or reading)."
        )


# --- Write mode ----------------------------------------------------------------------------------


def write_question(practice: Practice, question: Question, next_question: Callable[[], None]) -> None:
    """One Write question: reading and meaning as the prompt, hanzi-writer's box, then the result."""
    entry = practice.by_key[question.key]
    state = st.session_state
    colours = bool(state.get("tone_colours", True))
    st.caption(f"{writing.LABEL} · {question.instruction}")
    reading = coloured_pinyin(entry) if colours else plain(entry.pinyin)
    st.markdown(
        f'<div class="learn-write-prompt" style="font-size:1.8rem;line-height:1.4">{reading}</div>',
        unsafe_allow_html=True,
    )
    if question.note:
        st.markdown(plain(question.note))
    drawing = writing.drawing(entry)
    if drawing.note:
        st.caption(plain(drawing.note))
    serial = state.get("serial", 0)
    done = state.get("write_result")
    if done and done[0] == serial:
        _write_feedback(entry, done[1], next_question)
        return
    data = {"id": f"{serial}|{entry.key}", "chars": drawing.chars, "data": drawing.data, "size": 280}
    try:
        components.writer(data, key=WRITE_KEY, on_change=partial(_write_done, practice, question, drawing, serial))
    except LookupError as err:
        st.warning(str(err))
        st.button("Skip this word", key=f"write-skip-{serial}", on_click=next_question)


def _write_done(practice: Practice, question: Question, drawing: writing.Drawing, serial: int) -> None:
    """The write component's callback: grade the drawing by its mistakes and store the review."""
    state = st.session_state
    value = state.get(WRITE_KEY)
    if not isinstance(value, dict) or value.get("id") != f"{serial}|{question.key}":
        return
    if (state.get("write_result") or (None,))[0] == serial:  # already stored (a resent value)
        return
    result = writing.Result.from_value(value, len(drawing.chars))
    elapsed = time.monotonic() - state.get("asked_at", time.monotonic())
    outcome = Outcome(Verdict(result.correct, result.summary()), result.rating, elapsed)
    practice.record(question, outcome, result.rating, answer=result.summary())
    right, asked = state.get("score", (0, 0))
    state.score = (right + int(result.correct), asked + 1)
    state.write_result = (serial, result)


def _write_feedback(entry: Entry, result: writing.Result, next_question: Callable[[], None]) -> None:
    message = f"{result.summary()}: saved as {result.rating.name}."
    (st.success if result.rating.name in ("Easy", "Good") else st.warning)(plain(message))
    st.markdown(entry_card(entry, colours=bool(st.session_state.get("tone_colours", True))), unsafe_allow_html=True)
    st.button("Next word", key="write-next", type="primary", on_click=next_question)


# --- taking the words away -----------------------------------------------------------------------


def deck_name(material: Material) -> str:
    """The deck's name as `learn deck` gives it (learn.cli.deck.default_name): the text's headline,
    else its file name without the suffix; texts named together on the command line: their names
    joined with " + ". The same name means the same Anki deck, so a rebuild lands in place."""
    from learn.read.text import headline

    names = [Path(n).stem for n in material.name.split(", ")] if material.origin == "" else []
    if len(names) > 1 and all(names):
        return " + ".join(names)
    return headline(material.text) or Path(material.name).stem or "learn"


def file_name(material: Material) -> str:
    """The download's file name: the material's file name with .apkg (pasted text: pasted-text.apkg)."""
    stem = Path(material.name).stem if material.origin else material.name
    return "-".join(stem.split()) + ".apkg" if stem else "learn.apkg"


def deck_bytes(entries: Sequence[Entry], name: str, description: str) -> bytes:
    """The .apkg `learn deck` writes for these entries (same note GUIDs, note types and deck id)."""
    from learn.deck import build_deck

    with tempfile.TemporaryDirectory(prefix="learn-deck-") as folder:
        path = build_deck(list(entries), Path(folder) / "deck.apkg", name=name, description=description)
        return path.read_bytes()


def _built_deck(material: Material) -> Path | None:
    """The deck `learn build` wrote beside a recipe's word list, when it is there and not older."""
    origin = Path(material.origin) if material.origin else None
    if origin is None or origin.suffix.lower() != ".json":
        return None
    deck = origin.with_suffix(".apkg")
    try:
        return deck if deck.stat().st_mtime >= origin.stat().st_mtime - 5 else None
    except OSError:
        return None


def deck_button(material: Material, entries: Sequence[Entry]) -> None:
    """ "Download Anki deck" beside "Prepare handout": built when clicked, for any material."""
    built = _built_deck(material)
    if built is not None:
        data: Any = partial(built.read_bytes)
    else:
        name = deck_name(material)
        data = partial(deck_bytes, tuple(entries), name, f"Vocabulary from {material.name}")
    digest = hashlib.sha1("\n".join(e.key for e in entries).encode()).hexdigest()[:8]
    try:
        st.sidebar.download_button(
            "Download Anki deck",
            data,
            file_name=file_name(material),
            mime="application/octet-stream",
            key=f"deck_apkg_{digest}",
            on_click="ignore",
            help="The deck `learn deck` builds: re-importing a newer one updates your notes.",
        )
    except LearnError as err:
        st.sidebar.error(str(err))
