"""Extraction with the phrase background: what one text cannot decide, the background does.

Texts here are written for these tests; the background is the shipped one (learn/data).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from learn.background.model import load, shipped_path
from learn.terms.candidates import gather
from learn.terms.rank import choose_background, extract, rank
from learn.terms.rules import _bound, _collocation, _conventional

ONE_OFF = (
    "为了优化营商环境，这个区今年把开办企业的时间压缩到一天。街道还开了一家新书店，"
    "书店门口的步行范围里有三个公园。书店老板说，步行范围以内的居民都会来看书，步行范围很重要。"
)


def terms(entries) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.simplified for e in entries]


def ranked(text: str, **options) -> list[str]:  # type: ignore[no-untyped-def]
    return [cand.text for cand, *_ in rank(text, glossary=False, **options)[1]]


def scores(text: str, **options) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {cand.text: score for cand, _, _, score in rank(text, glossary=False, **options)[1]}


def test_background_lifts_a_conventional_term_used_once_over_one_writers_wording() -> None:
    with_bg, without = scores(ONE_OFF), scores(ONE_OFF, background=False)
    assert with_bg["营商环境"] > 0.5 and "营商环境" not in without  # used once: only the background vouches for it


def test_one_off_set_phrase_is_found_only_with_the_background() -> None:
    text = "这个区把专精特新作为方向，今年新开了三家书店。书店很小，书店的老板很热情。"
    assert "专精特新" in ranked(text) and "专精" not in ranked(text)
    assert "专精特新" not in ranked(text, background=False)


def test_background_tells_fragments_from_terms() -> None:
    stats = load().lookup(["质生产力", "新质生产力", "专精", "专精特新"])
    assert _bound(stats["质生产力"]) and _bound(stats["专精"])
    assert _conventional(stats["新质生产力"]) and _conventional(stats["专精特新"])


def test_verb_before_a_set_term_is_a_collocation_not_a_term() -> None:
    text = "各地发展新质生产力。发展新质生产力要因地制宜。发展新质生产力不是忽视传统产业。新质生产力离不开创新。"
    found = ranked(text)
    assert "新质生产力" in found and "发展新质生产力" not in found
    bg = choose_background(True)
    _, cands = gather(text)
    stats = bg.lookup(cands)
    from learn.language import lexicon

    tags = lexicon.pos_tags(["发展"])
    assert _collocation(cands["发展新质生产力"], cands, stats, tags)


def test_no_background_judges_the_text_alone() -> None:
    assert rank(ONE_OFF, background=False)[1] and choose_background(False) is None
    assert choose_background(None) is None and choose_background(True) is load()


def test_entries_say_when_a_term_first_appeared() -> None:
    text = "新质生产力正在形成。各地培育新质生产力，新质生产力带来新变化。营商环境持续改善，营商环境更好。"
    by_term = {e.simplified: e for e in extract(text, glossary=False)}
    assert by_term["新质生产力"].first_seen == "2023-09" and by_term["新质生产力"].new_since == "2023"
    assert by_term["新质生产力"].background_df >= 300
    assert by_term["营商环境"].background_df > 100 and by_term["营商环境"].new_since == ""
    plain = {e.simplified: e for e in extract(text, glossary=False, background=False)}
    assert plain["新质生产力"].first_seen == "" and plain["新质生产力"].background_df == 0


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "learn", "extract", *args], capture_output=True, text=True, encoding="utf-8"
    )


def test_cli_json_table_and_switches(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "a.txt"
    src.write_text("新质生产力正在形成。各地培育新质生产力，新质生产力带来新变化。", encoding="utf-8")
    data = json.loads(run_cli(str(src), "--format", "json").stdout)
    first = next(d for d in data if d["simplified"] == "新质生产力")
    assert first["first_seen"] == "2023-09" and first["background_df"] > 0
    assert "since 2023" in run_cli(str(src)).stdout
    off = json.loads(run_cli(str(src), "--format", "json", "--no-background").stdout)
    assert all(d["first_seen"] == "" for d in off)
    same = json.loads(run_cli(str(src), "--format", "json", "--background", str(shipped_path())).stdout)
    assert same == data


def test_cli_bad_background_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "a.txt"
    src.write_text("新质生产力正在形成。", encoding="utf-8")
    bad = tmp_path / "bg.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    for path in (bad, tmp_path / "missing.sqlite3"):
        done = run_cli(str(src), "--background", str(path))
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    both = run_cli(str(src), "--background", str(bad), "--no-background")
    assert both.returncode == 2


def test_corpus_mode_uses_the_background(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(
            f"第{n}篇。新质生产力在发展。各地培育新质生产力，新质生产力带来新变化。", encoding="utf-8"
        )
    data = json.loads(run_cli(str(tmp_path), "--jobs", "2", "--format", "json").stdout)
    assert next(d for d in data if d["simplified"] == "新质生产力")["first_seen"] == "2023-09"


@pytest.mark.parametrize("name", ["extract", "annotate"])
def test_public_functions_stay_callable_after_their_modules_are_imported(name: str) -> None:
    import importlib

    import learn

    for module in ("learn.terms", "learn.terms.rank", "learn.terms.annotate"):
        importlib.import_module(module)
    assert callable(getattr(learn, name))


@pytest.mark.parametrize("name", ["sample.txt", "sample2.txt"])
def test_default_output_of_the_samples_has_no_fragments(name: str) -> None:
    """A returned string that only ever stands inside a longer returned term, and that neither a
    dictionary nor the background knows as a unit, is a fragment (专精 of 专精特新, 银发 of 银发经济)."""
    from pathlib import Path

    from learn.language import lexicon

    text = (Path(__file__).resolve().parents[2] / "decks" / name).read_text(encoding="utf-8")
    found = terms(extract(text, top=80))
    stats, words = load().lookup(found), lexicon.headwords()
    for short in found:
        longer = [t for t in found if short in t and t != short]
        alone = text.count(short) > sum(text.count(t) for t in longer)
        assert not longer or alone or short in words or _conventional(stats.get(short)), (short, longer)


def test_one_off_pairing_of_a_term_with_everyday_words_gives_way_to_the_term() -> None:
    text = "各地推动绿色低碳发展。绿色低碳是方向，绿色低碳的路子要走稳。企业测算产品碳足迹，碳足迹越小越好。"
    found = ranked(text)
    assert "绿色低碳" in found and "碳足迹" in found
    assert "绿色低碳发展" not in found and "产品碳足迹" not in found


def test_pairing_the_background_sees_far_less_than_its_set_term_is_a_collocation() -> None:
    from learn.language import lexicon

    text = "各地壮大新兴产业，建设现代化产业体系。壮大新兴产业要有耐心，现代化产业体系要有底气。"
    _, cands = gather(text)
    stats = load().lookup(cands)
    tags = lexicon.pos_tags({t for c in cands.values() for t in c.tokens})
    zipfs = lexicon.zipf_lookup({t for c in cands.values() for t in c.tokens})
    assert _collocation(cands["壮大新兴产业"], cands, stats, tags, zipfs)  # 45 documents against 402
    assert not _collocation(cands["现代化产业体系"], cands, stats, tags, zipfs)  # 285 against 367: a term


def test_an_edge_character_belongs_where_the_background_mostly_writes_the_rest_with_it() -> None:
    # most 交房 in the background are 保交房: the one-character verb in front is part of the term
    text = "今年我们把保交房放在第一位，小区的居民都很关心。居民说，房子早点交到手里就放心了。"
    assert "保交房" in ranked(text) and "保交房" not in ranked(text, background=False)


def test_a_verb_that_names_a_thing_can_end_a_term_but_a_subject_and_its_verb_cannot() -> None:
    # 诊疗 "diagnosis and treatment" is a thing in CC-CEDICT; 累计 "to calculate the running total" is an act
    text = "这个县推行分级诊疗已经三年了，小病在乡里看。全县企业累计投入两千万元，用来修路。"
    found = ranked(text)
    assert "分级诊疗" in found and "企业累计" not in found


def test_a_verb_before_a_set_term_makes_a_clause_when_the_background_uses_the_term_without_it() -> None:
    # the text never writes 高水平对外开放 alone, but the background mostly does
    text = "港口城市要推进高水平对外开放，让更多企业走出去。市长说，推进高水平对外开放不是口号，要落到每一家工厂。"
    found = ranked(text)
    assert "高水平对外开放" in found and "推进高水平对外开放" not in found


def test_a_phrase_whose_word_the_background_uses_mostly_inside_it_is_set_whatever_its_grammar() -> None:
    # 急难 hardly occurs outside 急难愁盼, 漫灌 outside 大水漫灌; 不断 and 提高 are free words
    text = (
        "社区把居民的急难愁盼记在本子上，一件一件去办。资金不能大水漫灌，要用在刀刃上。这几年，居民的收入在不断提高。"
    )
    found = ranked(text)
    assert {"急难愁盼", "大水漫灌"} <= set(found) and "不断提高" not in found


def test_a_clause_cut_inside_its_last_word_is_no_term() -> None:
    # the background mostly follows 传统产业焕发 with 新 (新活力, 新生机), but 新 is an adjective
    # opening the next word, not the end of a term
    text = "这座城市立足本地产业基础，让传统产业焕发新活力，也让新兴产业落地生根。"
    assert not any(t.startswith("传统产业焕发") for t in ranked(text))
