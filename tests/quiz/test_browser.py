"""A real browser on the real server: `streamlit run app.py` on a free localhost port, driven by
Playwright with Debian's chromium. Two questions answered, the page reloaded, the progress still
there; a browser remembers its own profile and no other browser gets it; in class mode a second
browser on a learner's link sees nothing without the PIN; the teacher's page with its re-teach
handout; the play button calls speech synthesis. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from quiz_entries import ENTRIES, write_entries

from learn.quiz.questions import meaning_of

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
TEACHER_PASSWORD = "blackboard 42"
NAME_LABEL = "Your name (at most 60 characters)"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


def serve(folder: Path, **settings: str) -> Iterator[str]:
    """`streamlit run app.py` on a fresh database with the test words, `settings` in its environment."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    pytest.importorskip("playwright.sync_api")
    words = write_entries(folder / "words.json")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("LEARN_CLASS", "LEARN_TEACHER_PASSWORD")}
    env.update({"LEARN_DB_URL": f"sqlite:///{folder / 'progress.sqlite3'}", **settings})
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--",
        str(words),
    ]
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def class_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A class server: profiles need PINs, the teacher's page has a password."""
    yield from serve(tmp_path_factory.mktemp("class"), LEARN_CLASS="1", LEARN_TEACHER_PASSWORD=TEACHER_PASSWORD)


def answer_right(page) -> str:  # type: ignore[no-untyped-def]
    """Read the prompt, click the right option, press Check; returns the word asked."""
    prompt = page.locator("div[lang=zh]").first.inner_text(timeout=30_000).strip()
    entry = next(e for e in ENTRIES if prompt in (e.simplified, meaning_of(e)))
    option = meaning_of(entry) if prompt == entry.simplified else entry.simplified
    page.get_by_text(option, exact=True).click()
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Right.").wait_for(timeout=30_000)
    return entry.simplified


def answer_wrong(page) -> str:  # type: ignore[no-untyped-def]
    """Read the prompt, click a wrong option, press Check; returns the word asked."""
    prompt = page.locator("div[lang=zh]").first.inner_text(timeout=30_000).strip()
    entry = next(e for e in ENTRIES if prompt in (e.simplified, meaning_of(e)))
    right = meaning_of(entry) if prompt == entry.simplified else entry.simplified
    options = page.locator('[data-testid="stForm"] [role="radiogroup"] label').all_inner_texts()
    page.get_by_text(next(o.strip() for o in options if o.strip() != right), exact=True).click()
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not quite").wait_for(timeout=30_000)
    return entry.simplified


def test_two_answers_survive_a_reload(server: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(server)
            page.get_by_label(NAME_LABEL).fill("Mei")
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
            page.wait_for_timeout(1500)  # let the charts draw before the screenshot
            page.screenshot(path=str(ARTIFACTS / "quiz-progress.png"), full_page=True)
        finally:
            browser.close()


# a stand-in for the browser's speech synthesis: records what the page asks it to say (in any frame)
SPEECH_STUB = """
(() => {
  const log = (window.top === window) ? (window.__spoken = []) : null;
  class Utterance { constructor(text) { this.text = text; this.lang = ""; } }
  window.SpeechSynthesisUtterance = Utterance;
  Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
    speak: (u) => window.top.__spoken.push({text: u.text, lang: u.lang}),
    cancel: () => {}, getVoices: () => [],
  }});
})();
"""


def launch(p):  # type: ignore[no-untyped-def]
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def create_with_pin(page, name: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    """Class mode, an empty server: New profile… is preselected; fill in name and PIN twice."""
    page.get_by_label(NAME_LABEL).fill(name)
    page.get_by_label("Choose a PIN (4 or more characters)").fill(pin)
    page.get_by_label("The PIN again").fill(pin)
    page.get_by_role("button", name="Create profile").click()
    page.get_by_text(f"Signed in as {name}").wait_for(timeout=30_000)


def choose_profile(page, option: str) -> None:  # type: ignore[no-untyped-def]
    """Open the "Who are you?" list and pick `option`."""
    page.get_by_label("Your profile").click()
    page.get_by_role("option", name=option).click()


def open_new_profile_form(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """Open the quiz at `server` and show the new-profile form (shown at once when nobody has a profile yet)."""
    page.goto(server)
    page.get_by_text("Who are you?").first.wait_for(timeout=30_000)
    if page.get_by_label(NAME_LABEL).count() == 0:  # other tests made profiles first
        choose_profile(page, "New profile…")


def good(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Good").click()
    page.get_by_role("button", name="Check").wait_for(timeout=30_000)


def test_class_mode_second_browser_cannot_read_the_first_ones_progress(class_server: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            ann = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            ann.goto(class_server)
            create_with_pin(ann, "Ann", "2718")
            answer_right(ann)
            good(ann)
            assert "learner=Ann" in ann.url
            # a second browser (its own cookies and storage) opens Ann's very link
            other = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            other.goto(ann.url)
            other.get_by_label("PIN", exact=True).wait_for(timeout=30_000)
            assert other.get_by_role("button", name="Check").count() == 0
            assert other.get_by_text("Score this session").count() == 0
            other.get_by_text("Progress", exact=True).click()
            other.get_by_text("Class mode: choose your name").wait_for(timeout=30_000)
            assert other.locator('[data-testid="stMetricValue"]').count() == 0
            assert other.get_by_text("Progress of Ann").count() == 0
            other.get_by_label("PIN", exact=True).fill("0000")
            other.get_by_role("button", name="Sign in").click()
            other.get_by_text("Wrong. 4 tries left").wait_for(timeout=30_000)
            assert other.locator('[data-testid="stMetricValue"]').count() == 0
            other.screenshot(path=str(ARTIFACTS / "quiz-class-intruder.png"), full_page=True)
            # with the PIN it opens, in that browser
            other.get_by_label("PIN", exact=True).fill("2718")
            other.get_by_role("button", name="Sign in").click()
            other.get_by_text("Progress of Ann").wait_for(timeout=30_000)
            assert other.locator('[data-testid="stMetricValue"]').first.inner_text(timeout=30_000).strip() == "1"
        finally:
            browser.close()


def test_teacher_page_in_the_browser(class_server: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            learner = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            open_new_profile_form(learner, class_server)
            create_with_pin(learner, "Bo", "1414")
            answer_right(learner)
            good(learner)
            missed = answer_wrong(learner)
            learner.get_by_role("button", name="Again").click()
            learner.get_by_role("button", name="Check").wait_for(timeout=30_000)
            teacher = browser.new_context(viewport={"width": 1280, "height": 1700}).new_page()
            teacher.goto(class_server)
            teacher.get_by_text("Teacher", exact=True).click()
            teacher.get_by_label("Teacher's password").fill("wrong")
            teacher.get_by_role("button", name="Open the teacher's page").click()
            teacher.get_by_text("Wrong.").wait_for(timeout=30_000)
            teacher.get_by_label("Teacher's password").fill(TEACHER_PASSWORD)
            teacher.get_by_role("button", name="Open the teacher's page").click()
            teacher.get_by_text("The class", exact=True).wait_for(timeout=30_000)
            teacher.get_by_text("Words nobody has started").wait_for(timeout=30_000)
            teacher.get_by_role("button", name="All reviews (CSV)").wait_for(timeout=30_000)
            teacher.get_by_role("button", name="Prepare re-teach handout (PDF)").wait_for(timeout=30_000)
            values = teacher.locator('[data-testid="stMetricValue"]').all_inner_texts()
            assert int(values[0]) >= 1 and int(values[1]) >= 2
            hardest = teacher.locator('[data-testid="stDataFrame"]').nth(
                2
            )  # after the class's materials and the learners
            hardest.get_by_text(missed, exact=True).wait_for(state="attached", timeout=30_000)  # the word Bo missed
            teacher.get_by_role("button", name="Prepare re-teach handout (PDF)").click()
            teacher.get_by_role("button", name="Download re-teach handout").wait_for(timeout=60_000)
            teacher.wait_for_timeout(1000)  # let the tables draw before the screenshot
            teacher.screenshot(path=str(ARTIFACTS / "quiz-teacher.png"), full_page=True)
        finally:
            browser.close()


def test_play_button_speaks_the_word_in_chinese(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 1000})
            context.add_init_script(SPEECH_STUB)
            page = context.new_page()
            open_new_profile_form(page, server)
            page.get_by_label(NAME_LABEL).fill("Lin")
            page.get_by_role("button", name="Create profile").click()
            word = answer_right(page)
            frame = page.frame_locator('iframe[srcdoc*="learn-speech"]')
            frame.get_by_role("button", name="Play the word").click()
            page.wait_for_function("window.__spoken && window.__spoken.length > 0", timeout=10_000)
            frame.get_by_role("button", name="Play the sentence").click()
            page.wait_for_function("window.__spoken.length > 1", timeout=10_000)
            page.screenshot(path=str(ARTIFACTS / "quiz-speech.png"))
            spoken = page.evaluate("window.__spoken")
            entry = next(e for e in ENTRIES if e.simplified == word)
            assert spoken == [{"text": word, "lang": "zh-CN"}, {"text": entry.examples[0].sentence, "lang": "zh-CN"}]
            # a browser whose only voices are not Chinese is told so
            speech = next(f for f in page.frames if f.locator("#say-word").count())
            speech.evaluate("window.speechSynthesis.getVoices = () => [{lang: 'en-US', name: 'English'}]")
            frame.get_by_role("button", name="Play the word").click()
            frame.get_by_text("No Chinese voice in this browser").wait_for(timeout=10_000)
        finally:
            browser.close()


def test_this_browser_remembers_its_own_profile_and_no_other_browser_gets_it(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            mine = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            open_new_profile_form(mine, server)
            mine.get_by_label(NAME_LABEL).fill("Kai")
            mine.get_by_role("button", name="Create profile").click()
            answer_right(mine)
            mine.wait_for_function("document.cookie.includes('learn_learner=Kai')", timeout=10_000)
            # the same browser, opened again without ?learner=, is Kai's
            mine.goto(server)
            mine.get_by_text("Score this session").wait_for(timeout=30_000)
            assert "learner=Kai" in mine.url
            # another browser opening the bare address is asked who it is, and sees no progress
            other = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            other.goto(server)
            other.get_by_text("Who are you?").first.wait_for(timeout=30_000)
            assert other.get_by_text("Score this session").count() == 0
            assert "learner=" not in other.url
        finally:
            browser.close()
