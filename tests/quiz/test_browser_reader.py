"""The reader, Write mode and the deck download in a real browser on the real server: terms marked,
the word panel, the pinyin switch and tone colours, the play button, "Add to my reviews" arriving
in "Review due", "I know this" keeping a word out of new cards, a character drawn stroke by stroke
with the mouse and stored as a review, and the app's deck imported by the real Anki importer
beside the one `learn deck` builds. Screenshots go to test-artifacts/."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_app import CHROMIUM, ROOT, SPEECH_STUB, choose_mode, draw, launch, medians, new_profile, open_reader
from browser_app import server as quiz_server
from quiz_entries import ENTRIES
from reader_text import reader_entries, write_material

from learn.quiz import components, reader
from learn.quiz.known import KnownWords
from learn.quiz.store import Store

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    return write_material(tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def url(material: Path) -> Iterator[str]:
    with quiz_server(material.parent / "progress.sqlite3", str(material)) as running:
        yield running


def store_of(material: Path) -> Store:
    return Store(f"sqlite:///{material.parent / 'progress.sqlite3'}")


def click_term(frame: Any, word: str) -> Any:
    """Click the first marked `word`; returns the panel that opens under its paragraph."""
    frame.locator(f'.term[data-w="{word}"]').first.click()
    panel = frame.locator(".panel")
    panel.wait_for(timeout=30_000)
    return panel


def test_reader_marks_terms_opens_the_panel_and_switches_pinyin(url: str, material: Path) -> None:
    from playwright.sync_api import sync_playwright

    doc = reader.document(material.with_suffix(".txt").read_text(encoding="utf-8"))
    marker = reader.Marker(reader_entries())
    expected = sum(len(marker.spans(b.text)) for b in doc.pages[0])
    term_chars = sum(b - a for block in doc.pages[0] for a, b, _n in marker.spans(block.text))
    han = sum(1 for block in doc.pages[0] for c in block.text if "\u4e00" <= c <= "\u9fff")
    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 1000})
            context.add_init_script(SPEECH_STUB)
            page = context.new_page()
            new_profile(page, url, "Lin")
            frame = open_reader(page)
            assert frame.locator(".term").count() == expected
            assert "本报记者" not in frame.locator("#root").inner_text()  # cleaned as the handout's reading
            # Terms (default): a syllable over every character of every term, none elsewhere
            assert frame.locator(".term .py").count() == term_chars == frame.locator(".py").count()
            panel = click_term(frame, "发展")
            text = panel.inner_text()
            for shown in ("發展", "fā zhǎn", "to develop; development", "measure words: 个 gè", "HSK 2"):
                assert shown in text, shown
            panel = click_term(frame, "新质生产力")
            assert "new since 2023" in panel.inner_text() and "新質生產力" in panel.inner_text()
            assert frame.locator(".panel").count() == 1  # one panel at a time
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / "reader-panel.png"), full_page=True)
            panel.get_by_role("button", name="Play the sentence").click()
            spoken = page.evaluate("window.__spoken")
            assert spoken == [{"text": "这座城市把新质生产力写进了年度计划。", "lang": "zh-CN"}]
            panel.get_by_role("button", name="Play the word").click()
            assert page.evaluate("window.__spoken")[-1]["text"] == "新质生产力"
            # tone colours: on by default (新 is first tone: red), off from the sidebar setting
            first = frame.locator(".term .c").first
            assert first.evaluate("e => getComputedStyle(e).color") == "rgb(229, 57, 53)"
            page.get_by_text("Every word").click()
            frame.locator(".para .py").nth(term_chars).wait_for(timeout=30_000)
            assert frame.locator(".py").count() == han  # every Chinese character has its syllable
            page.screenshot(path=str(ARTIFACTS / "reader-every-word.png"), full_page=True)
            page.get_by_text("Off", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('iframe[title=\"learn.quiz.components.reader\"]')"
                ".contentDocument.querySelectorAll('.py').length === 0",
                timeout=30_000,
            )
            page.get_by_text("Tone colours").click()
            page.wait_for_function(
                "() => !document.querySelector('iframe[title=\"learn.quiz.components.reader\"]')"
                ".contentDocument.body.classList.contains('colours')",
                timeout=30_000,
            )
            assert frame.locator(".term span[style*=color]").count() == 0
        finally:
            browser.close()


def test_added_words_come_up_in_review_due_and_known_words_stay_out(url: str, material: Path) -> None:
    from playwright.sync_api import sync_playwright

    added, known = ENTRIES[5], ENTRIES[0]  # 产业链 (ranked sixth); 新质生产力 (the first new word)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            new_profile(page, url, "Kai")
            frame = open_reader(page)
            panel = click_term(frame, added.simplified)
            panel.get_by_role("button", name="Add to my reviews").click()
            page.get_by_text("added to your reviews").wait_for(timeout=30_000)
            frame.get_by_role("button", name="In your reviews ✓").wait_for(timeout=30_000)
            assert "review" in (frame.locator(f'.term[data-w="{added.simplified}"]').first.get_attribute("class") or "")
            panel = click_term(frame, known.simplified)
            panel.get_by_role("button", name="I know this").click()
            page.get_by_text("marked known").wait_for(timeout=30_000)
            frame.get_by_role("button", name="Known ✓ (undo)").wait_for(timeout=30_000)
            store = store_of(material)
            try:
                kai = store.learner("Kai")
                assert KnownWords(store.engine).keys(kai) == {known.key}
                assert list(store.cards(kai)) == [(added.key, "meaning")]
            finally:
                store.close()
            # Practise, "Review due" (the first mode): the added word first, then a new word that is
            # not the known one, although the known one is first in the list
            page.get_by_text("Practise", exact=True).click()
            prompt = page.locator("div[lang=zh]").first
            prompt.wait_for(timeout=30_000)
            assert prompt.inner_text().strip() == added.simplified
            page.get_by_text("industrial chain", exact=True).click()
            page.get_by_role("button", name="Check").click()
            page.get_by_role("button", name="Good").click()
            page.get_by_role("button", name="Check").wait_for(timeout=30_000)
            assert page.locator("div[lang=zh]").first.inner_text().strip() == ENTRIES[1].simplified
        finally:
            browser.close()


def test_write_mode_draws_a_character_with_the_mouse_and_stores_the_review(url: str, material: Path) -> None:
    from playwright.sync_api import sync_playwright

    if components.hanzi_writer_script() is None:
        pytest.skip("hanzi-writer is not installed (scripts/setup.sh)")
    outside: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) else None)
            new_profile(page, url, "Wen")
            choose_mode(page, "Write (draw the characters)")
            frame = page.frame_locator('iframe[title="learn.quiz.components.write"]')
            box = frame.locator("#target svg")
            box.wait_for(timeout=60_000)
            reading = page.locator(".learn-write-prompt").inner_text().strip()
            entry = next(e for e in ENTRIES if e.pinyin == reading)
            for n, char in enumerate(entry.headword):
                strokes = medians(char)
                if n == 0:  # first a stroke out of order: the last one before the first
                    draw(page, box.bounding_box(), strokes[-1:])
                    frame.get_by_text("Not that stroke").wait_for(timeout=10_000)
                draw(page, box.bounding_box(), strokes)
                if n == 1:
                    page.screenshot(path=str(ARTIFACTS / "write-drawing.png"), full_page=True)
                page.wait_for_timeout(900)  # the next character's box comes after a short pause
            chars = len(entry.headword)
            page.get_by_text(f"1 mistake in {chars} characters: saved as Good.").wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "write-done.png"), full_page=True)
        finally:
            browser.close()
    store = store_of(material)
    try:
        (review,) = store.reviews(store.learner("Wen"))
    finally:
        store.close()
    assert (review.key, review.mode, review.correct, review.rating) == (entry.key, "write", True, 3)
    assert review.answer == f"1 mistake in {chars} characters"
    assert outside == []  # hanzi-writer and the stroke data came from this server, nothing from outside


def test_download_anki_deck_is_the_deck_learn_deck_builds(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    anki = pytest.importorskip("anki.collection")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    sample = ROOT / "decks" / "sample.txt"
    with quiz_server(tmp_path / "progress.sqlite3", str(sample)) as running, sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            new_profile(page, running, "Deck")
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="Download Anki deck").click()
            assert download.value.suggested_filename == "sample.apkg"
            download.value.save_as(tmp_path / "app.apkg")
        finally:
            browser.close()
    cli = tmp_path / "cli" / "sample.apkg"  # `learn deck sample.txt -o sample.apkg`: the deck is named sample
    cli.parent.mkdir()
    subprocess.run([sys.executable, "-m", "learn", "deck", str(sample), "-o", str(cli), "--top", "30"], check=True)

    def notes(path: Path) -> tuple[int, set[str], set[str]]:
        col = anki.Collection(str(path.with_suffix(".anki2")))
        try:
            request = anki.ImportAnkiPackageRequest(package_path=str(path), options=anki.ImportAnkiPackageOptions())
            col.import_anki_package(request)
            guids = set(col.db.list("select guid from notes"))
            decks = {d.name for d in col.decks.all_names_and_ids()} - {"Default"}
            return col.note_count(), guids, decks
        finally:
            col.close()

    assert notes(tmp_path / "app.apkg") == notes(cli)  # same notes (GUIDs) in the same deck
    col = anki.Collection(str(tmp_path / "both.anki2"))
    try:
        for path in (tmp_path / "app.apkg", cli):  # the app's deck, then a newer build from the command line
            request = anki.ImportAnkiPackageRequest(package_path=str(path), options=anki.ImportAnkiPackageOptions())
            log = col.import_anki_package(request).log
        assert not log.new and len(log.updated) == col.note_count()  # every note updated in place
    finally:
        col.close()
