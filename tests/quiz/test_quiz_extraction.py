"""The quiz server's extractions: "(cached)" only for a remembered result, a fixed number of results
remembered, large texts extracted in a child process (same entries), one extraction per text at a time."""

from __future__ import annotations

import threading

import pytest

from learn.errors import LearnError
from learn.quiz import extraction
from learn.quiz.extraction import Extractions

pytest.importorskip("learn.terms.rank")

TEXTS = [
    "河边的工厂换上了绿色能源。绿色能源让小镇的空气变好了。小镇的绿色能源项目吸引了年轻人。",
    "老师鼓励学生大胆创新。创新让学校的课堂更有意思。学生们把创新写进了作文。",
    "这家公司处在产业链的上游。产业链上的小企业也在成长。产业链越来越完整。",
]


def test_cached_means_remembered_not_fast() -> None:
    """Issue 23: "(cached)" was shown for any extraction under 50 ms; a first-time one is never cached."""
    cache = Extractions()
    first = cache.get(TEXTS[0], 10, "tw", "a.txt")
    again = cache.get(TEXTS[0], 10, "tw", "a.txt")
    assert not first.cached and again.cached and again.entries == first.entries
    assert not cache.get(TEXTS[0], 15, "tw", "a.txt").cached  # other options: another result
    assert not cache.get(TEXTS[1], 10, "tw", "b.txt").cached  # fast, but new


def test_a_fixed_number_of_results_is_remembered() -> None:
    cache = Extractions(max_results=2)
    for text in TEXTS:
        cache.get(text, 10, "tw", "t.txt")
    assert len(cache) == 2
    assert not cache.get(TEXTS[0], 10, "tw", "t.txt").cached  # the oldest went first
    assert cache.get(TEXTS[2], 10, "tw", "t.txt").cached


def test_a_large_text_is_extracted_in_a_child_process_with_the_same_result() -> None:
    in_process = Extractions(child_from=10**9).get(TEXTS[1], 10, "tw", "b.txt").entries
    calls = []
    real = extraction.in_child

    def spy(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args)

    extraction.in_child = spy
    try:
        child = Extractions(child_from=10).get(TEXTS[1], 10, "tw", "b.txt").entries
    finally:
        extraction.in_child = real
    assert len(calls) == 1 and child == in_process


def test_a_childs_failure_is_one_line() -> None:
    assert extraction.in_child("only English here", 10, "tw", "notes.txt") == []
    with pytest.raises(LearnError, match="variant must be one of") as err:
        extraction.in_child(TEXTS[0], 10, "xx", "notes.txt")
    assert "\n" not in str(err.value) and "Traceback" not in str(err.value)


def test_two_sessions_asking_for_one_text_extract_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    cache, calls, gate = Extractions(), [], threading.Event()

    def slow(self, text, top, variant, source):  # type: ignore[no-untyped-def]
        calls.append(text)
        gate.wait(5)
        return []

    monkeypatch.setattr(Extractions, "_extract", slow)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(TEXTS[2], 10, "tw", "c"))) for _ in range(3)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert len(calls) == 1 and sorted(r.cached for r in results) == [False, True, True]
