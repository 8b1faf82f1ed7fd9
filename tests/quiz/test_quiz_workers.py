"""`learn quiz --workers N`: N Streamlit processes behind HAProxy on one database.

The command line and the supervisor are tested on their own; then a real class: `learn quiz
--class --workers 2` with HAProxy from Debian, learners and the teacher as clients of Streamlit's
websocket protocol (tests/quiz_protocol.py), half of them on each worker. One worker is killed
(SIGKILL) in the middle of the class. Its learners reload, land on a live process, are still signed
in (no PIN typed again), and go on; the teacher's page opens without the password; every answer
given is in the database exactly once, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from quiz_entries import write_entries
from quiz_protocol import Learner, Page, PageError
from server_checks import healthy, wait_until

from learn.cli import main, workers
from learn.cli.quiz import free_port, port_free
from learn.quiz.auth import Auth
from learn.quiz.display import plain
from learn.quiz.store import Store

LEARN = [sys.executable, "-m", "learn"]
PASSWORD = "chalk and talk"
PIN = "2468"


def test_dry_run_prints_every_worker_and_a_valid_proxy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = write_entries(tmp_path / "words.json")
    port = free_port(18900)
    assert main(["quiz", "--workers", "3", "--dry-run", "--port", str(port), str(words)]) == 0
    out = capsys.readouterr().out
    servers = [line for line in out.splitlines() if " streamlit run " in line]
    ports = {line.split("--server.port ")[1].split()[0] for line in servers}
    assert len(servers) == 3 and len(ports) == 3 and str(port) not in ports
    assert all("--runner.postScriptGC false" in line and str(words) in line for line in servers)
    config = out[out.index("global") :]
    assert f"bind 127.0.0.1:{port}" in config and f"cookie {workers.COOKIE} insert" in config
    assert "set-header X-Forwarded-For %[src]" in config  # the sign-in limits per address see the browser
    try:
        proxy = workers.haproxy_path()
    except Exception:
        pytest.skip("haproxy is not installed (scripts/setup.sh test installs it)")
    (tmp_path / "haproxy.cfg").write_text(config)
    checked = subprocess.run([proxy, "-c", "-q", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_without_haproxy_it_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers.shutil, "which", lambda *_a, **_k: None)
    words = write_entries(tmp_path / "words.json")
    assert main(["quiz", "--workers", "2", "--port", str(free_port(18950)), str(words)]) == 1
    err = capsys.readouterr().err.strip()
    assert "needs HAProxy" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("count", ["0", "many", "65"])
def test_a_bad_worker_count_is_a_usage_error(count: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["quiz", "--workers", count, "--dry-run"])
    assert stop.value.code == 2
    assert "worker" in capsys.readouterr().err


def test_the_supervisor_starts_a_dead_worker_again_and_stops_all_on_a_signal(tmp_path: Path) -> None:
    serving = "import signal, sys, time; signal.signal(signal.SIGTERM, lambda *a: sys.exit(0)); time.sleep(60)"
    once = tmp_path / "failed-once"
    failing_once = f"import pathlib, sys; p = pathlib.Path({str(once)!r}); p.exists() or (p.touch(), sys.exit(3)); "
    children = [
        workers.Child("worker 1", [sys.executable, "-c", failing_once + serving], True, env=dict(os.environ)),
        workers.Child("worker 2", [sys.executable, "-c", serving], True, env=dict(os.environ)),
        workers.Child("proxy", [sys.executable, "-c", serving], False, env=dict(os.environ)),
    ]
    for child in children:
        child.start()
    wait_until(lambda: children[0].popen is not None and children[0].popen.poll() is not None, 30, "no exit")
    first = children[0].popen
    assert workers.look_after(children, time.monotonic()) is None  # noticed; starts again after 1 s
    assert workers.look_after(children, time.monotonic() + 1.5) is None
    assert children[0].popen is not first and children[0].failures == 1
    time.sleep(0.5)  # let the Python children install their SIGTERM handlers
    assert workers.stop_all(children, signal.SIGTERM)
    assert all(c.popen is not None and c.popen.poll() is not None for c in children)


# --- a class on two workers ----------------------------------------------------------------------


def children(parent: int) -> dict[int, list[bytes]]:
    """pid → command line of each live child of `parent` (from /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found[int(stat.parent.name)] = cmd
    return found


def worker_pids(parent: int) -> dict[int, int]:
    """port → pid of each Streamlit child of `learn quiz`."""
    return {
        int(cmd[cmd.index(b"--server.port") + 1]): pid
        for pid, cmd in children(parent).items()
        if b"--server.port" in cmd
    }


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def answer(learners: list[Learner], actions: int) -> None:
    """Each learner takes `actions` steps (answer, grade, …); a broken page is reloaded and the step tried again."""

    async def one(learner: Learner) -> None:
        for _ in range(actions):
            try:
                await learner.step()
            except PageError:
                await learner.reload()
                await learner.step()

    await asyncio.gather(*(one(learner) for learner in learners))


async def teacher_sees_the_class(teacher: Page, password: str = "") -> bool:
    """Open the Teacher page; type the password when given; whether the class's page shows."""
    teacher.set("page", "Teacher")
    await teacher.run()
    if password:
        teacher.set("teacher_password", password)
        opener = teacher.find("teacher_open")
        assert opener is not None, teacher.texts()
        await teacher.click(opener)
    return "The class" in teacher.texts("heading") and teacher.find("teacher_password") is None


def test_a_worker_killed_in_the_middle_of_a_class_loses_nothing(db_url: str, tmp_path: Path) -> None:
    try:
        workers.haproxy_path()
    except Exception:
        pytest.skip("haproxy is not installed (scripts/setup.sh test installs it)")
    words = write_entries(tmp_path / "words.json")
    store = Store(db_url)
    auth = Auth(store.engine)
    names = [f"Pupil {i}" for i in range(6)]
    for name in names:
        auth.set_pin(store.learner(name), PIN)
    port = free_port(19100)
    loop = asyncio.new_event_loop()  # one loop: the websockets belong to it
    env = {**os.environ, "LEARN_DB_URL": db_url, "LEARN_TEACHER_PASSWORD": PASSWORD}
    cluster = subprocess.Popen(
        [*LEARN, "quiz", "--class", "--workers", "2", "--port", str(port), str(words)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started: dict[int, list[bytes]] = {}
    try:
        wait_until(lambda: healthy(port) or cluster.poll() is not None, 120, "the proxy did not answer")
        started = children(cluster.pid)
        assert cluster.poll() is None, cluster.stderr.read() if cluster.stderr else ""
        pids = worker_pids(cluster.pid)
        first = pids[min(pids)]  # cookie w1 is the first worker's port
        base = f"http://127.0.0.1:{port}"
        learners = [Learner(base, name, pin=PIN, seed=i) for i, name in enumerate(names)]
        for i, learner in enumerate(learners):
            learner.page.cookies[workers.COOKIE] = f"w{i % 2 + 1}"  # half the class on each worker
        teacher = Page(base)
        teacher.cookies[workers.COOKIE] = "w1"

        async def before() -> None:
            await asyncio.gather(*(learner.open() for learner in learners), teacher.open())
            assert await teacher_sees_the_class(teacher, PASSWORD)
            await answer(learners, 6)  # three questions each, and a fourth shown

        loop.run_until_complete(before())
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: gone(first), 30, "the worker did not die")

        async def after() -> None:
            await answer(learners, 6)
            await teacher.open()  # the teacher reloads too
            assert await teacher_sees_the_class(teacher), "the teacher had to sign in again"
            for learner in learners:
                await learner.page.close()
            await teacher.close()

        loop.run_until_complete(after())
        on_first = learners[0::2]
        assert all(learner.reloads >= 1 for learner in on_first), "the killed worker's learners never reloaded"
        assert all(learner.pins_typed == 1 for learner in learners), "a reload asked for the PIN again"
        assert all(learner.page.cookies[workers.COOKIE] in ("w1", "w2") for learner in learners)
        cluster.send_signal(signal.SIGTERM)
        assert cluster.wait(timeout=60) == 0
        wait_until(lambda: port_free(port), 30, "the proxy's port stayed taken")
    finally:
        loop.close()
        leftover = {**started, **children(cluster.pid)}  # workers (one restarted) and the proxy
        if cluster.poll() is None:
            cluster.kill()
            cluster.wait()
        for pid in leftover:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
    for learner in learners:
        learner_id = store.learner(learner.name)
        reviews = store.reviews(learner_id)
        given = Counter((a.mode, a.answer) for a in learner.answers)
        assert len(learner.answers) == 6
        assert Counter((r.mode, plain(r.answer)) for r in reviews) == given, learner.name
        per_card = Counter((r.key, r.mode) for r in reviews)
        assert {k: c.reps for k, c in store.cards(learner_id).items()} == dict(per_card)
    store.close()


# --- the same in a real browser -------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def answer_one(page) -> None:  # type: ignore[no-untyped-def]
    """Pick the first option of the question shown (or type something), press Check, then Good.

    It waits until the page is connected and its script has finished, as a learner waits for the
    page to settle. Text typed into a page that has only just loaded is now and then not yet
    seen by Streamlit's frontend (with or without workers: "Answer first" comes back); the learner
    then types it again, and so does this helper.
    """
    form = page.locator('[data-testid="stForm"]')
    for attempt in range(3):
        page.get_by_role("button", name="Check").wait_for(timeout=60_000)
        page.locator(IDLE).wait_for(timeout=60_000)
        if form.get_by_role("textbox").count():
            form.get_by_role("textbox").fill("xin1")
        else:
            groups = form.get_by_role("radiogroup").all()
            fresh = form.locator("input[type=radio]:checked").count() == 0
            assert fresh or attempt, "a new question showed an answer already"
            for group in groups:
                group.locator("label").first.click()
            assert form.locator("input[type=radio]:checked").count() == len(groups)  # the check above can see
        try:
            page.get_by_role("button", name="Check").click(timeout=10_000)
        except Exception:  # a slow rerun of the earlier press may have taken the answer already
            if not page.get_by_role("button", name="Good").count():
                raise
        page.get_by_role("button", name="Good").or_(page.get_by_text("Answer first")).first.wait_for(timeout=60_000)
        if page.get_by_role("button", name="Good").count():
            break
    try:
        page.get_by_role("button", name="Good").click()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "quiz-workers-failed.png"), full_page=True)
        raise
    page.get_by_text("Score this session").wait_for(timeout=60_000)
    page.get_by_role("button", name="Check").wait_for(timeout=60_000)


@pytest.mark.browser
def test_in_a_browser_the_page_moves_to_a_live_worker_still_signed_in(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    pytest.importorskip("playwright.sync_api")
    try:
        workers.haproxy_path()
    except Exception:
        pytest.skip("haproxy is not installed (scripts/setup.sh test installs it)")
    from playwright.sync_api import sync_playwright

    words = write_entries(tmp_path / "words.json")
    db_url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    store = Store(db_url)
    ann = store.learner("Ann")
    Auth(store.engine).set_pin(ann, PIN)
    port = free_port(19300)
    env = {**os.environ, "LEARN_DB_URL": db_url, "LEARN_TEACHER_PASSWORD": PASSWORD}
    cluster = subprocess.Popen(
        [*LEARN, "quiz", "--class", "--workers", "2", "--port", str(port), str(words)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started: dict[int, list[bytes]] = {}
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: healthy(port) or cluster.poll() is not None, 120, "the proxy did not answer")
        started = children(cluster.pid)
        pids = worker_pids(cluster.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                context.add_cookies([{"name": workers.COOKIE, "value": "w1", "url": base}])
                page = context.new_page()
                page.goto(base)
                page.get_by_label("Your profile").click()
                page.get_by_role("option", name="Ann").click()
                page.get_by_label("PIN", exact=True).fill(PIN)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_text("Signed in as Ann").wait_for(timeout=60_000)
                for _ in range(3):  # the answer fields' keys alternate: the third reuses the first's
                    answer_one(page)
                page.wait_for_function("document.cookie.includes('learn_sign_in=')", timeout=10_000)
                os.kill(pids[min(pids)], signal.SIGKILL)  # Ann's worker dies in the middle of the class
                page.reload()
                page.get_by_text("Signed in as Ann").wait_for(timeout=60_000)  # no PIN asked again
                try:
                    answer_one(page)
                except Exception:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "quiz-workers-after-kill.png"), full_page=True)
                    raise
                assert {c["name"]: c["value"] for c in context.cookies()}[workers.COOKIE] in ("w1", "w2")
            finally:
                browser.close()
        assert len(store.reviews(ann)) == 4
    finally:
        leftover = {**started, **children(cluster.pid)}
        cluster.send_signal(signal.SIGTERM)
        try:
            cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()
            cluster.wait()
        for pid in leftover:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
        store.close()
