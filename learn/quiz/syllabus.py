"""Syllabus: the materials a teacher sets for the class, and the teacher's page section that sets them.

A class material comes from the command line (`learn quiz --class PATH...`: every PATH is one) or
from the teacher's page (a built recipe, the bundled sample, or an uploaded text). Its entries are
fixed when it is set — a text is extracted once, with the number of terms the teacher chose — so
that every learner practises the same words and the class figures count exactly those
(learn.quiz.teacher). What a learner uploads or pastes is not a class material: it stays theirs.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from learn.entry import Entry
from learn.errors import LearnError
from learn.quiz import materials
from learn.quiz.display import plain
from learn.quiz.extraction import Extractions
from learn.quiz.materials import Material
from learn.quiz.teacher import COMMAND_LINE, TEACHER_PAGE, Classroom

DEFAULT_TOP = 30
RECIPE, SAMPLE, UPLOAD = "A built recipe (dist/)", "The bundled sample", "An uploaded .txt/.md file"


def fixed_entries(material: Material, extractions: Extractions, top: int = DEFAULT_TOP) -> list[Entry]:
    """The material's entries: its own list, or its text extracted once (top `top`, Taiwan forms)."""
    if material.entries is not None:
        return materials.unique(material.entries)
    return materials.unique(extractions.get(material.text, top, "tw", material.name).entries)


def from_command_line(room: Classroom, paths: list[str], extractions: Extractions) -> list[str]:
    """Set each command-line PATH as a class material (named by its file); returns the names."""
    names = []
    for path in paths:
        material = materials.from_paths([path])
        room.set_material(Path(path).name, fixed_entries(material, extractions), COMMAND_LINE)
        names.append(Path(path).name)
    return names


def editor(room: Classroom, extractions: Extractions) -> None:
    """The teacher's page section: the class's materials, removing one, setting another."""
    st.markdown("**The class's materials**")
    current = room.materials()
    if current:
        st.dataframe(
            [
                {
                    "material": m.name,
                    "terms": len(m.entries),
                    "set on": m.set_by,
                    "since (UTC)": m.added.strftime("%Y-%m-%d %H:%M"),
                }
                for m in current
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(
            "None yet: the class figures below stay empty until you set one (here, or with "
            "`learn quiz --class PATH`). Learners' own texts never count."
        )
    with st.expander("Set or remove a class material"):
        _adder(room, extractions)
        if current:
            gone = st.selectbox(
                "Class material", [m.name for m in current], index=None, key="syllabus_remove", format_func=plain
            )
            if st.button("Remove from the class", key="syllabus_remove_button", disabled=gone is None):
                room.remove_material(gone or "")
                st.rerun()
    if st.session_state.get("syllabus_message"):
        st.info(plain(st.session_state.syllabus_message))


def _adder(room: Classroom, extractions: Extractions) -> None:
    source = st.radio("From", [RECIPE, SAMPLE, UPLOAD], key="syllabus_source", horizontal=True)
    top = st.number_input("Terms to take from a text", 5, 100, DEFAULT_TOP, step=5, key="syllabus_top")
    material = _chosen(source)
    if st.button("Set for the class", key="syllabus_set", type="primary", disabled=material is None) and material:
        with st.spinner(f"Preparing {material.name}…"):
            try:
                entries = fixed_entries(material, extractions, int(top))
                if not entries:
                    raise LearnError(f"{material.name}: no terms found")
                room.set_material(material.name, entries, TEACHER_PAGE)
                st.session_state.syllabus_message = f"{material.name} is a class material ({len(entries)} terms)."
            except LearnError as err:
                st.session_state.syllabus_message = str(err)
        st.rerun()


def _chosen(source: str) -> Material | None:
    """The material picked in the adder, or None while nothing is picked."""
    if source == RECIPE:
        files = materials.recipe_files()
        if not files:
            st.caption("No built recipes: run `learn build decks/RECIPE.toml` first.")
            return None
        recipe = st.selectbox("Recipe", files, format_func=lambda p: p.stem, key="syllabus_recipe")
        return materials.from_paths([str(recipe)]) if recipe else None
    if source == SAMPLE:
        sample = materials.sample_path()
        return materials.from_paths([str(sample)]) if sample else None
    upload = st.file_uploader("Text file", type=["txt", "md"], key="syllabus_upload")
    return materials.from_upload(upload.name, upload.getvalue()) if upload else None
