"""Server memory after large uploads: the quiz server's resident memory (RSS) as a learner uploads
ten different large texts, one after another, in a real browser.

The server is `streamlit run app.py` on a fresh SQLite database; Playwright drives Debian's
chromium (headless) to create a profile, choose "Upload a .txt/.md file" and upload each file; once
the app reports its terms, the server's VmRSS is read from /proc. The texts are cut from the
background corpus (../shared/corpus/background/xwlb, read at run time, never copied into the
project): ten files of about --mb MB each, none sharing a day with another. Without the corpus the
benchmark says so and stops.

    .venv/bin/python benchmarks/bench_quiz_memory.py [--files 10] [--mb 4]

Prints RSS before the first upload, after each upload, and the growth from the first upload to the
last (what a long-lived class server keeps per material).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "background" / "xwlb"
sys.path.insert(0, str(ROOT / "tests"))  # the browser flags and port picker the quiz tests use
from browser_app import ARGS, CHROMIUM, free_port  # noqa: E402


def texts(folder: Path, count: int, size: int) -> list[str]:
    """`count` texts of about `size` bytes, each from its own run of consecutive days."""
    days = sorted(folder.glob("*.txt"))
    out, part, n = [], [], 0
    for day in days:
        text = day.read_text(encoding="utf-8")
        part.append(text)
        n += len(text.encode())
        if n >= size:
            out.append("\n".join(part))
            part, n = [], 0
            if len(out) == count:
                return out
    raise SystemExit(f"the corpus holds only {len(out)} texts of {size:,} bytes; ask for fewer or smaller")


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("LEARN_CLASS", "LEARN_TEACHER_PASSWORD")}
    env["LEARN_DB_URL"] = f"sqlite:///{folder / 'progress.sqlite3'}"
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
        "--server.maxUploadSize",
        "50",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--mb", type=float, default=4.0, help="size of each upload in MB (default 4)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"skipped: {CORPUS} is not here")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="learn-bench-memory-") as tmp:
        folder = Path(tmp)
        paths = []
        for i, text in enumerate(texts(CORPUS, args.files, int(args.mb * 1_000_000))):
            path = folder / f"upload-{i + 1:02d}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        proc, url = start_server(folder)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                page = browser.new_page(viewport={"width": 1200, "height": 1000})
                page.goto(url)
                page.get_by_label(re.compile("name")).first.fill("Bench")  # the new profile's name
                page.get_by_role("button", name="Create profile").click()
                page.get_by_text("Upload a .txt/.md file").click()
                page.wait_for_timeout(1000)
                print(f"server RSS before the first upload: {rss_mb(proc.pid):7.0f} MB")
                figures = []
                for n, path in enumerate(paths, start=1):
                    started = time.perf_counter()
                    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
                    page.get_by_text(f"terms from {path.name}").wait_for(timeout=600_000)
                    took = time.perf_counter() - started
                    time.sleep(1.0)
                    figures.append(rss_mb(proc.pid))
                    print(
                        f"after upload {n:2d} ({path.stat().st_size / 1e6:.1f} MB, {took:5.1f} s): "
                        f"RSS {figures[-1]:7.0f} MB"
                    )
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(
            f"growth from upload 1 to upload {len(figures)}: {figures[-1] - figures[0]:+.0f} MB; "
            f"peak {max(figures):.0f} MB"
        )


if __name__ == "__main__":
    main()
