"""How fast the quiz's reader opens a 20,000-character report (goal: under 2 s), in a real browser.

The report is the project's own eval articles (benchmarks/eval, simplified, never the sealed ones)
joined to at least 20,000 characters. Its words are extracted once, as `learn build` would, into
report.json with the text beside it (report.txt); `learn quiz report.json` serves it on a fresh
database and Debian's chromium (Playwright, headless) opens it:

  open        click "Read" → every paragraph of the first page drawn with its marked terms
              (first time in the server process, then the median of the next runs)
  next page   choose another page → drawn
  every word  switch the pinyin to every word on a page: first time (dictionaries cold), then warm
It also prints the server-side work alone (clean and page the text; one page's data per mode).

    .venv/bin/python benchmarks/bench_reader.py [--runs N] [--chars N]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_app import CHROMIUM, launch, new_profile  # noqa: E402
from browser_app import server as quiz_server  # noqa: E402

FRAME = 'iframe[title="learn.quiz.components.reader"]'


def report(chars: int) -> str:
    """The eval articles written for the project (simplified, not sealed), joined to `chars` or more."""
    rows = csv.DictReader(
        (
            ln
            for ln in (ROOT / "benchmarks/eval/catalog.tsv").read_text(encoding="utf-8").splitlines()
            if not ln.startswith("#")
        ),
        fieldnames=["id", "set", "script", "writer", "genre"],
        delimiter="\t",
    )
    texts = []
    for row in rows:
        path = ROOT / "benchmarks/eval" / f"{row['id']}.txt"
        if row["script"] == "simplified" and row["set"] != "sealed" and path.is_file():
            texts.append(path.read_text(encoding="utf-8").strip())
        if sum(map(len, texts)) >= chars:
            break
    return "城市发展年度报告\n\n" + "\n\n".join(texts) + "\n"


def material(folder: Path, text: str) -> Path:
    """report.json + report.txt, the way `learn build` leaves a recipe for the quiz."""
    from learn.terms.rank import extract

    started = time.perf_counter()
    entries = extract(text, top=80, source="report.txt")
    print(f"extraction (not part of opening): {len(entries)} terms in {time.perf_counter() - started:.1f} s")
    (folder / "report.txt").write_text(text, encoding="utf-8")
    words = folder / "report.json"
    words.write_text(json.dumps([e.to_dict() for e in entries], ensure_ascii=False), encoding="utf-8")
    return words


def drawn(page, paragraphs: int, mode_check: str = "true") -> None:  # type: ignore[no-untyped-def]
    """Wait until the reader frame holds `paragraphs` paragraphs with their marks (and `mode_check`)."""
    page.wait_for_function(
        f"""() => {{ const f = document.querySelector('{FRAME}');
             const d = f && f.contentDocument; if (!d) return false;
             const ps = d.querySelectorAll('#root .para, #root .head');
             return ps.length === {paragraphs} && d.querySelectorAll('.term').length > 0 && ({mode_check}); }}""",
        timeout=120_000,
        polling=10,
    )


def server_side(text: str) -> None:
    from learn.quiz import reader
    from learn.terms.rank import extract

    entries = extract(text, top=80)
    started = time.perf_counter()
    doc = reader.document(text)
    took = time.perf_counter() - started
    print(f"server: clean and page {doc.chars:,} characters: {took * 1000:.0f} ms, {len(doc.pages)} pages")
    marker = reader.Marker(entries)
    for mode in ("off", "terms", "all"):
        times = []
        for page in doc.pages:
            started = time.perf_counter()
            reader.page_data(page, marker, mode)
            times.append(time.perf_counter() - started)
        print(
            f"server: one page's data, pinyin {mode:5}: median {statistics.median(times) * 1000:.1f} ms, "
            f"first {times[0] * 1000:.0f} ms, all pages {sum(times) * 1000:.0f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chars", type=int, default=20_000)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("bench_reader: Debian's chromium is needed (bash scripts/setup.sh test)")
    from playwright.sync_api import sync_playwright

    from learn.quiz import reader

    text = report(args.chars)
    doc = reader.document(text)
    first_page = len(doc.pages[0])
    print(f"report: {len(text):,} characters, {doc.chars:,} after cleaning, {len(doc.pages)} pages")
    with tempfile.TemporaryDirectory(prefix="learn-bench-reader-") as tmp:
        words = material(Path(tmp), text)
        with quiz_server(Path(tmp) / "progress.sqlite3", str(words)) as url, sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 1000})
                new_profile(page, url, "Bench")
                opens = []
                for _ in range(args.runs):
                    page.get_by_text("Practise", exact=True).click()
                    page.get_by_role("button", name="Check").wait_for(timeout=60_000)
                    started = time.perf_counter()
                    page.get_by_text("Read", exact=True).click()
                    drawn(page, first_page)
                    opens.append(time.perf_counter() - started)
                print(
                    f"open the reader: first {opens[0]:.2f} s, then median {statistics.median(opens[1:] or opens):.2f} s"
                    f" ({args.runs} runs; goal under 2 s)"
                )
                last = len(doc.pages) - 1
                page.get_by_label("Text page").click()
                started = time.perf_counter()
                page.get_by_role("option", name=f"{last + 1} of {len(doc.pages)}", exact=True).click()
                drawn(page, len(doc.pages[last]))
                print(f"next page ({last + 1} of {len(doc.pages)}): {time.perf_counter() - started:.2f} s")
                started = time.perf_counter()
                page.get_by_text("Every word").click()
                drawn(page, len(doc.pages[last]), "d.querySelectorAll('.para .py').length > 200")
                print(f"every word, first time: {time.perf_counter() - started:.2f} s")
                page.get_by_text("Terms", exact=True).click()
                drawn(page, len(doc.pages[last]), "d.querySelectorAll('.para .py').length < 200")
                page.get_by_label("Text page").click()
                page.get_by_role("option", name=f"1 of {len(doc.pages)}", exact=True).click()
                drawn(page, first_page, "d.querySelectorAll('.para .py').length < 200")
                started = time.perf_counter()
                page.get_by_text("Every word").click()
                drawn(page, first_page, "d.querySelectorAll('.para .py').length > 200")
                print(f"every word, another page: {time.perf_counter() - started:.2f} s")
            finally:
                browser.close()
    server_side(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
