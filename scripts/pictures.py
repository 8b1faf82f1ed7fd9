#!/usr/bin/env python3
"""Make the README's pictures again from a real build of the sample recipe.

    .venv/bin/python scripts/pictures.py      → docs/images/anki-card.png, quiz.png, handout.png,
                                                reader.png, write.png

- anki-card.png: the sample deck imported with the real `anki` package into a throw-away
  collection; the answer side of the Recognition card of 新质生产力 as Anki renders it (its HTML and
  the note type's CSS), shown in headless Chromium;
- quiz.png: `learn quiz` on the built list with a fresh progress database; a new learner answers the
  first question right, and the page with the feedback is photographed;
- handout.png: page 2 of the sample handout (the reading: pinyin over the listed words, numbered
  blanks of the fill-in exercise), rasterised by poppler's pdftoppm;
- reader.png: the quiz's Read page on the same list (the recipe's text beside it, dist/sample.txt):
  the marked terms with their pinyin, and the panel of 新质生产力 opened by a click;
- write.png: Write mode: the first word's first character drawn stroke by stroke with the mouse
  (hanzi-writer checks each stroke), the second one half written.

Needs what the test suite needs (`bash scripts/setup.sh test`): Debian's chromium, fonts-noto-cjk,
poppler-utils. Look at the PNGs before committing them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
WORD = "新质生产力"
# Anki's reviewer turns each sound tag into a round play button; this draws one like it
PLAY = '<span class="replay-button"><svg viewBox="0 0 64 64" width="40" height="40"><circle cx="32" cy="32" r="29" fill="#e8e8e8" stroke="#888"/><path d="M 24 18 L 24 46 L 47 32 Z" fill="#555"/></svg></span>'


def build(out: Path) -> None:
    """`learn build decks/sample.toml` into `out`."""
    cmd = [sys.executable, "-m", "learn", "build", "decks/sample.toml", "--out-dir", str(out)]
    subprocess.run(cmd, cwd=ROOT, check=True)


def card_html(apkg: Path, folder: Path) -> str:
    """The answer side of WORD's Recognition card, as Anki renders it, in a page like its reviewer's."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(folder / "pictures.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))
        note = col.get_note(col.find_notes(f'"note:learn vocabulary" Simplified:{WORD}')[0])
        card = next(c for c in note.cards() if c.template()["name"] == "Recognition")
        answer = re.sub(r"\[anki:play:[qa]:\d+\]", PLAY, card.answer())
    finally:
        col.close()
    return (
        '<!doctype html><html><head><meta charset="utf-8"><style>body { margin: 0; padding: 24px; }'
        " .replay-button { display: inline-block; vertical-align: middle; }</style></head>"
        f'<body class="card card1"><div id="qa">{answer}</div></body></html>'
    )


def shoot_card(browser, html: str, target: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 640, "height": 400})
    page.set_content(html)
    page.wait_for_timeout(300)  # fonts
    page.screenshot(path=str(target), full_page=True)
    page.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_quiz(words: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`learn quiz WORDS` on a free port with a fresh progress database; returns once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("LEARN_CLASS", "LEARN_TEACHER_PASSWORD")}
    env["LEARN_DB_URL"] = f"sqlite:///{folder / 'progress.sqlite3'}"
    cmd = [sys.executable, "-m", "learn", "quiz", str(words), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("pictures: the quiz app did not start")


def shoot_quiz(browser, words: Path, url: str, target: Path) -> None:  # type: ignore[no-untyped-def]
    """A new learner answers the first question right; the feedback shows the whole entry."""
    from learn.entry import Entry
    from learn.quiz.questions import meaning_of

    entries = [Entry.from_dict(d) for d in json.loads(words.read_text(encoding="utf-8"))]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(url)
    page.get_by_label("Your name (at most 60 characters)").fill("Mei")
    page.get_by_role("button", name="Create profile").click()
    prompt = page.locator("div[lang=zh]").first.inner_text(timeout=60_000).strip()
    entry = next(e for e in entries if prompt in (e.simplified, meaning_of(e)))
    page.get_by_text(meaning_of(entry) if prompt == entry.simplified else entry.simplified, exact=True).click()
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Right.").wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(target), full_page=False)
    page.close()


HANDOUT_PAGE = "2"  # page 1 is the vocabulary table; the reading shows more of what a handout does


def shoot_handout(pdf: Path, target: Path) -> None:
    """One page of the handout, 900 pixels wide."""
    page = ["-f", HANDOUT_PAGE, "-l", HANDOUT_PAGE]
    size = ["-scale-to-x", "900", "-scale-to-y", "-1"]
    subprocess.run(["pdftoppm", "-png", "-singlefile", *page, *size, pdf, target.with_suffix("")], check=True)


def shoot_reader(browser, url: str, target: Path) -> None:  # type: ignore[no-untyped-def]
    """The Read page with the panel of WORD open."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    new_learner(page, url, "Lin")
    page.get_by_text("Read", exact=True).click()
    frame = page.frame_locator('iframe[title="learn.quiz.components.reader"]')
    frame.locator(f'.term[data-w="{WORD}"]').first.click(timeout=60_000)
    frame.locator(".panel").wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(target), full_page=False)
    page.close()


def shoot_write(browser, words: Path, url: str, target: Path) -> None:  # type: ignore[no-untyped-def]
    """Write mode with the first character drawn and the second half written."""
    from learn.entry import Entry
    from learn.handout import strokes

    folder = strokes.data_dir()
    if folder is None:
        raise SystemExit("pictures: the stroke data is not installed (bash scripts/setup.sh)")
    entries = [Entry.from_dict(d) for d in json.loads(words.read_text(encoding="utf-8"))]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    new_learner(page, url, "Wen")
    page.get_by_label("Mode").click()
    page.get_by_role("option", name="Write (draw the characters)").click()
    frame = page.frame_locator('iframe[title="learn.quiz.components.write"]')
    box = frame.locator("#target svg")
    box.wait_for(timeout=60_000)
    reading = page.locator(".learn-write-prompt").inner_text().strip()
    word = next(e.headword for e in entries if e.pinyin == reading)
    for n, char in enumerate(word[:2]):
        medians = json.loads((folder / f"{char}.json").read_text(encoding="utf-8"))["medians"]
        draw(page, box.bounding_box(), medians if n == 0 else medians[: max(1, len(medians) // 2)])
        page.wait_for_timeout(1200)
    page.screenshot(path=str(target), full_page=False)
    page.close()


def draw(page, box: dict, strokes: list, padding: float = 20) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Draw strokes given in Make Me a Hanzi's 1024-unit box (y up) with the mouse, as a pen would."""
    size = box["width"]
    scale = (size - 2 * padding) / 1024
    for stroke in strokes:
        points = [(box["x"] + padding + x * scale, box["y"] + size - padding - (y + 124) * scale) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            for k in range(1, 5):
                page.mouse.move(ax + (bx - ax) * k / 4, ay + (by - ay) * k / 4)
        page.mouse.up()
        page.wait_for_timeout(250)


def new_learner(page, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_role("heading", name="Who are you?").wait_for(timeout=60_000)
    if page.get_by_label("Your name (at most 60 characters)").count() == 0:
        page.get_by_label("Your profile").click()
        page.get_by_role("option", name="New profile…").click()
    page.get_by_label("Your name (at most 60 characters)").fill(name)
    page.get_by_role("button", name="Create profile").click()
    page.get_by_role("button", name="Check").wait_for(timeout=60_000)


def main() -> int:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="learn-pictures-") as tmp:
        work = Path(tmp)
        build(work / "dist")
        shoot_handout(work / "dist" / "sample.pdf", IMAGES / "handout.png")
        html = card_html(work / "dist" / "sample.apkg", work)
        server, url = serve_quiz(work / "dist" / "sample.json", work)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                try:
                    shoot_card(browser, html, IMAGES / "anki-card.png")
                    shoot_quiz(browser, work / "dist" / "sample.json", url, IMAGES / "quiz.png")
                    shoot_reader(browser, url, IMAGES / "reader.png")
                    shoot_write(browser, work / "dist" / "sample.json", url, IMAGES / "write.png")
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name in ("anki-card.png", "quiz.png", "handout.png", "reader.png", "write.png"):
        print(f"pictures: wrote docs/images/{name} ({(IMAGES / name).stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
