"""A card back as a learner sees it: Anki's rendered answer HTML (with the note type's CSS) in a real
headless Chromium. The screenshot goes to test-artifacts/deck-card-back.png for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_deck import import_package, new_collection
from test_deck_cards import GAIGE

from learn.deck import build_deck

pytestmark = pytest.mark.browser
pytest.importorskip("anki.collection")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
# Anki's reviewer turns each [anki:play:a:N] into a replay button; this stands in for it.
PLAY_BUTTON = (
    '<a class="replay-button soundLink" href="#" title="play"><svg viewBox="0 0 64 64" width="32" '
    'height="32"><circle cx="32" cy="32" r="29" fill="#fff" stroke="#414141" stroke-width="3"/>'
    '<path d="M56.502,32.301l-37.502,20.101l0.329,-40.804l37.173,20.703Z" fill="#414141"/></svg></a>'
)


def page_of(answer_html: str) -> str:
    """The answer as Anki's reviewer frames it: body class "card", play buttons in place."""
    body = re.sub(r"\[anki:play:[qa]:\d+\]", PLAY_BUTTON, answer_html)
    return f'<!doctype html><html><head><meta charset="utf-8"></head><body class="card">{body}</body></html>'


def test_the_card_back_shows_sound_measure_words_and_new_since(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    col = new_collection(tmp_path)
    import_package(col, build_deck([GAIGE], tmp_path / "d.apkg", timestamp=1_700_000_000))
    (cid,) = col.find_cards('"note:learn vocabulary" card:Recognition')
    ARTIFACTS.mkdir(exist_ok=True)
    html_path = ARTIFACTS / "deck-card-back.html"
    html_path.write_text(page_of(col.get_card(cid).answer()), encoding="utf-8")
    col.close()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 720, "height": 900})
        page.goto(html_path.as_uri())
        assert page.locator(".replay-button").count() == 2
        assert page.locator(".classifiers").inner_text() == "measure words: 项 xiàng, 次 cì"
        assert page.locator(".new-since").inner_text() == "new since 2024"
        assert page.locator(".classifiers").is_visible() and page.locator(".new-since").is_visible()
        page.screenshot(path=str(ARTIFACTS / "deck-card-back.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "deck-card-back.png").stat().st_size > 10_000
