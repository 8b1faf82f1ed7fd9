"""A real quiz server and Debian's chromium for browser tests and the screenshot script: `streamlit
run app.py -- MATERIAL...` on a free localhost port and a fresh database, Playwright driving
/usr/bin/chromium headless (never `playwright install`)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# a stand-in for the browser's speech synthesis: records what any frame asks it to say, in the top page
SPEECH_STUB = """
(() => {
  if (window.top === window) { window.__spoken = []; }
  class Utterance { constructor(text) { this.text = text; this.lang = ""; } }
  window.SpeechSynthesisUtterance = Utterance;
  Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
    speak: (u) => window.top.__spoken.push({text: u.text, lang: u.lang}),
    cancel: () => {}, getVoices: () => [],
  }});
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return bool(reply.read().strip() == b"ok")
    except OSError:
        return False


@contextlib.contextmanager
def server(database: Path, *material: str, **settings: str) -> Iterator[str]:
    """The quiz on `database` (SQLite) with `material` on its command line; yields its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("LEARN_CLASS", "LEARN_TEACHER_PASSWORD")}
    env.update({"LEARN_DB_URL": f"sqlite:///{database}", **settings})
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    cmd += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(
        [*cmd, "--", *material], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not become healthy")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def new_profile(page: Any, url: str, name: str) -> None:
    """Open the quiz and create profile `name` (the form shows at once on an empty server)."""
    page.goto(url)
    page.get_by_role("heading", name="Who are you?").wait_for(timeout=30_000)
    if page.get_by_label("Your name (at most 60 characters)").count() == 0:
        page.get_by_label("Your profile").click()
        page.get_by_role("option", name="New profile…").click()
    page.get_by_label("Your name (at most 60 characters)").fill(name)
    page.get_by_role("button", name="Create profile").click()
    page.get_by_role("button", name="Check").wait_for(timeout=60_000)


def open_reader(page: Any) -> Any:
    """Go to the Read page; returns the reader component's frame, drawn."""
    page.get_by_text("Read", exact=True).click()
    frame = page.frame_locator('iframe[title="learn.quiz.components.reader"]')
    frame.locator(".term").first.wait_for(timeout=60_000)
    return frame


def choose_mode(page: Any, label: str) -> None:
    page.get_by_label("Mode").click()
    page.get_by_role("option", name=label).click()


def medians(char: str) -> list[list[list[float]]]:
    """The stroke medians of `char` from the installed stroke data (what hanzi-writer checks against)."""
    import json

    from learn.handout import strokes

    folder = strokes.data_dir()
    assert folder is not None, "stroke data not installed"
    return list(json.loads((folder / f"{char}.json").read_text(encoding="utf-8"))["medians"])


def draw(page: Any, box: dict[str, float], strokes: list[list[list[float]]], padding: float = 20) -> None:
    """Draw `strokes` (in Make Me a Hanzi's 1024-unit box, y up) with the mouse into hanzi-writer's
    square at `box`, the way a learner's pen moves: down at the start, through the points, up."""
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
        page.wait_for_timeout(300)
