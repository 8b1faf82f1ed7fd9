"""A real browser on the real server: `streamlit run app.py` on a free localhost port, driven by
Playwright with Debian's chromium. Two questions answered, the page reloaded, the progress still
there. Screenshots go to test-artifacts/."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from quiz_entries import ENTRIES, write_entries

from learn.quiz.questions import meaning_of

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("browser")
    words = write_entries(folder / "words.json")
    port = free_port()
    env = {**os.environ, "LEARN_DB_URL": f"sqlite:///{folder / 'progress.sqlite3'}"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--", str(words)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def answer_right(page) -> str:  # type: ignore[no-untyped-def]
    """Read the prompt, click the right option, press Check; returns the word asked."""
    prompt = page.locator("div[lang=zh]").first.inner_text(timeout=30_000).strip()
    entry = next(e for e in ENTRIES if prompt in (e.simplified, meaning_of(e)))
    option = meaning_of(entry) if prompt == entry.simplified else entry.simplified
    page.get_by_text(option, exact=True).click()
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Right.").wait_for(timeout=30_000)
    return entry.simplified


def test_two_answers_survive_a_reload(server: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(server)
            page.get_by_label("New profile name").fill("Mei")
            page.get_by_role("button", name="Create profile").click()
            first = answer_right(page)
            page.screenshot(path=str(ARTIFACTS / "quiz-answer.png"), full_page=True)
            page.get_by_role("button", name="Good").click()
            page.get_by_role("button", name="Check").wait_for(timeout=30_000)
            second = answer_right(page)
            page.get_by_role("button", name="Good").click()
            page.get_by_role("button", name="Check").wait_for(timeout=30_000)
            assert first != second
            assert "learner=Mei" in page.url

            page.reload()
            page.get_by_text("Progress", exact=True).click()
            page.get_by_text("Progress of Mei").wait_for(timeout=30_000)
            metric = page.locator('[data-testid="stMetricValue"]').first
            assert metric.inner_text(timeout=30_000).strip() == "2"
            page.get_by_text("Hardest words").wait_for()
            page.wait_for_timeout(1500)                   # let the charts draw before the screenshot
            page.screenshot(path=str(ARTIFACTS / "quiz-progress.png"), full_page=True)
        finally:
            browser.close()
