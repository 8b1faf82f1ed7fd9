"""The handout PDF, checked the way a reader would: poppler's pdffonts, pdftotext, pdftoppm."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from learn import handout, strokes
from learn.entry import Entry, Example
from learn.errors import LearnError, UsageError
from learn.handout import handout_pdf, level_label, make_handout
from learn.reading import clean_blocks, make_reading

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "decks" / "sample.txt"
TONES = "ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ"

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils not installed")


def _font_or_skip() -> None:
    try:
        handout.font_dirs()
    except LearnError as err:
        pytest.skip(str(err))


TEXT = (
    "城南新区的转型\n"
    "今年，城南新区把培育新质生产力当作工作的着力点。\n"
    "区里按照先立后破的思路改造老厂房，防止一哄而上、重复建设。\n"
    "新建的产业园推行链长制，每条产业链都有一位负责人。\n"
    "不少专精特新企业搬了进来，街道也变得更加绿色。\n"
    "居民说，周末去河边散步、骑车旅游的人越来越多，连小驴车都成了景点。\n"
    "详见https://example.org/city/south/district/transformation/report-2025-final-version.html\n"
)


def _entry(s, t, p, n, meaning, hsk=None, sentence=""):
    return Entry(s, t, p, n, definitions=[meaning], hsk=hsk,
                 examples=[Example(sentence)] if sentence else [])


ENTRIES = [
    _entry("新质生产力", "新質生產力", "xīn zhì shēng chǎn lì", "xin1 zhi4 sheng1 chan3 li4",
           "new quality productive forces"),
    _entry("先立后破", "先立後破", "xiān lì hòu pò", "xian1 li4 hou4 po4",
           "establish the new before abolishing the old"),
    _entry("链长制", "鏈長制", "liàn zhǎng zhì", "lian4 zhang3 zhi4", "industrial chain chief system"),
    _entry("一哄而上", "一哄而上", "yī hòng ér shàng", "yi1 hong4 er2 shang4", "to rush headlong into"),
    _entry("着力点", "著力點", "zhuó lì diǎn", "zhuo2 li4 dian3", "point of effort", 7),
    _entry("专精特新", "專精特新", "zhuān jīng tè xīn", "zhuan1 jing1 te4 xin1",
           "specialized, refined, distinctive and innovative (enterprises)"),
    _entry("绿色", "綠色", "lǜ sè", "lv4 se4", "green", 2),
    _entry("旅游", "旅遊", "lǚ yóu", "lv3 you2", "to travel; tourism", 2),
    _entry("驴车", "驢車", "lǘ chē", "lv2 che1", "donkey cart"),
    _entry("产业链", "產業鏈", "chǎn yè liàn", "chan3 ye4 lian4", "industrial chain", 6),
    _entry("重复", "重複", "chóng fù", "chong2 fu4", "to repeat; duplication", 4),
    _entry("转型", "轉型", "zhuǎn xíng", "zhuan3 xing2", "transformation", 5),
]
OPTIONS = dict(title=f"Tones {TONES}", source="test text", date="2025-03-14")


def _pdf(tmp: Path, name: str, entries=ENTRIES, text=TEXT, **options) -> Path:
    return make_handout(entries, text, tmp / f"{name}.pdf", **{**OPTIONS, **options})


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def flat(text: str) -> str:
    """pdftotext breaks lines inside table cells; compare with whitespace squeezed."""
    return re.sub(r"\s+", " ", text)


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every variant the tests look at, compiled once (each takes ~0.2 s)."""
    _font_or_skip()
    tmp = tmp_path_factory.mktemp("handouts")
    return {
        "a": _pdf(tmp, "a", seed=1),
        "a_again": _pdf(tmp, "a_again", seed=1),
        "b": _pdf(tmp, "b", seed=2),
        "no_key": _pdf(tmp, "no_key", seed=1, answer_key=False),
        "no_grid": _pdf(tmp, "no_grid", seed=1, grid=0),
        "bare": _pdf(tmp, "bare", seed=1, grid=0, exercises=()),
        "letter": _pdf(tmp, "letter", seed=1, paper="letter"),
        "traditional": _pdf(tmp, "traditional", variant="traditional"),
        "both": _pdf(tmp, "both", variant="both", grid=2),
        "full": _pdf(tmp, "full", seed=1, reading="full", exercises=(), grid=0),
    }


@needs_poppler
def test_cjk_font_is_embedded(pdfs):
    out = subprocess.run(["pdffonts", str(pdfs["a"])], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in out.splitlines() if "NotoSansCJK" in line or "NotoSerifCJK" in line]
    assert cjk, out
    assert all(line.split()[-5] == "yes" for line in cjk), out      # the "emb" column
    assert "WenQuanYi" not in out


@needs_poppler
def test_text_has_every_term_pinyin_tone_marks_and_answer_key(pdfs):
    text = flat(pdftext(pdfs["a"]))
    for e in ENTRIES:
        assert e.simplified in text and e.pinyin in text, e.simplified
        assert e.definitions[0] in text
    for mark in TONES.split():
        assert mark in text
    for heading in ("Vocabulary", "Reading", "Exercises", "Matching", "Fill in the blanks", "Pinyin",
                    "Tone marks", "Translation", "Writing practice", "Answer key", "NAME", "CLASS",
                    "2025-03-14", "test text", "HSK 5 (median)"):
        assert heading in text, heading


@needs_poppler
def test_full_reading_prints_every_line_and_long_urls_wrap_whole(pdfs):
    text = flat(pdftext(pdfs["full"]))
    assert "https://example.org/city/south" in text.replace("\u200b", "")   # long URL wraps, stays whole
    for line in TEXT.splitlines()[1:-1]:
        assert line in text.replace(" ", ""), line


@needs_poppler
def test_page_count_follows_the_options(pdfs):
    full = pages(pdfs["a"])
    assert pages(pdfs["no_key"]) == full - 1
    assert pages(pdfs["no_grid"]) < full
    assert pages(pdfs["bare"]) < pages(pdfs["no_grid"])
    assert "Answer key" not in pdftext(pdfs["no_key"])
    no_grid = pdftext(pdfs["no_grid"])
    assert "Writing practice" not in no_grid and "Answer key" in no_grid
    bare = pdftext(pdfs["bare"])
    assert "Exercises" not in bare and "Answer key" not in bare and "Reading" in bare


@needs_poppler
def test_answer_key_is_on_its_own_last_page(pdfs):
    path = pdfs["a"]
    n = pages(path)
    last = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    before = subprocess.run(["pdftotext", "-l", str(n - 1), str(path), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert "Answer key" in last and "Answer key" not in before
    assert "Writing practice" not in last


@needs_poppler
def test_same_seed_same_text_and_bytes_other_seed_other_order(pdfs):
    assert pdftext(pdfs["a"]) == pdftext(pdfs["a_again"])
    assert pdfs["a"].read_bytes() == pdfs["a_again"].read_bytes()
    a, b = pdftext(pdfs["a"]), pdftext(pdfs["b"])
    assert a != b
    exercises_a = a[a.index("Exercises"):]
    exercises_b = b[b.index("Exercises"):]
    assert exercises_a != exercises_b
    # the vocabulary and the reading text do not move (only the numbers of blanked fill-in lines)
    unnumbered = [re.sub(r"\(\d+\)", "", t[:t.index("Exercises")]) for t in (a, b)]
    assert unnumbered[0] == unnumbered[1]


@needs_poppler
def test_page_one_renders_with_ink(pdfs, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdfs["a"]),
                    str(tmp_path / "page")], check=True, capture_output=True)
    png = next(tmp_path.glob("page*.png"))
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height


@needs_poppler
def test_nothing_is_drawn_outside_the_margins(pdfs, tmp_path):
    """Ink check on every page: the outer 12 mm left/right and 6 mm top/bottom stay blank."""
    from PIL import Image

    for name in ("a", "letter", "both"):
        subprocess.run(["pdftoppm", "-gray", "-r", "40", str(pdfs[name]), str(tmp_path / name)],
                       check=True, capture_output=True)
        for png in sorted(tmp_path.glob(f"{name}-*.png")):
            image = Image.open(png)
            w, h = image.size
            side, cap = round(12 / 25.4 * 40), round(6 / 25.4 * 40)
            for box in ((0, 0, side, h), (w - side, 0, w, h), (0, 0, w, cap), (0, h - cap, w, h)):
                assert image.crop(box).getextrema()[0] > 200, (png.name, box)


@needs_poppler
def test_paper_size(pdfs):
    info = subprocess.run(["pdfinfo", str(pdfs["letter"])], capture_output=True, text=True).stdout
    assert "612 x 792" in info
    info = subprocess.run(["pdfinfo", str(pdfs["a"])], capture_output=True, text=True).stdout
    assert "595.276 x 841.89" in info


@needs_poppler
def test_traditional_and_both(pdfs):
    trad = flat(pdftext(pdfs["traditional"]))
    for e in ENTRIES:
        assert e.traditional in trad
    assert "區裡按照" in trad or "區里按照" in trad        # the reading text itself is converted
    assert "词汇" not in trad and "詞彙" in trad
    both = flat(pdftext(pdfs["both"]))
    assert all(e.simplified in both and e.traditional in both for e in ENTRIES)


@needs_poppler
def test_markup_characters_print_literally(tmp_path):
    _font_or_skip()
    nasty = r"# $ * _ [ ] \ < > @ ` ~ // /* {"
    text = f"标题 {nasty}\n我们学习新质生产力 #let x = 1 $x^2$ *粗* _斜_ [链接] \\ <b> 。\n]}})\"\n"
    entries = [Entry("新质生产力", "新質生產力", "xīn zhì shēng chǎn lì", "xin1 zhi4 sheng1 chan3 li4",
                     definitions=[f"productive forces {nasty}"],
                     examples=[Example("我们学习新质生产力 #let x = 1 $x^2$ *粗* _斜_ [链接] \\ <b> 。")])]
    path = make_handout(entries, text, tmp_path / "markup.pdf", title=nasty, source=nasty,
                        date="2025-01-01")
    out = pdftext(path)
    for ch in "#$*_[]\\<>@`~{":
        assert ch in out
    assert nasty in out and "#let x = 1 $x^2$ *粗* _斜_ [链接]" in flat(out)


def test_bad_options_fail_with_one_line_and_write_nothing(tmp_path):
    target = tmp_path / "out.pdf"
    for options, error in ((dict(variant="cantonese"), UsageError), (dict(paper="a5"), UsageError),
                           (dict(grid=-1), UsageError), (dict(grid="6"), UsageError),
                           (dict(exercises=["matching", "essay"]), UsageError),
                           (dict(seed="x"), UsageError)):
        with pytest.raises(error) as info:
            make_handout(ENTRIES, TEXT, target, **options)
        assert "\n" not in str(info.value)
        assert not target.exists() and not list(tmp_path.iterdir())
    with pytest.raises(LearnError, match="no vocabulary"):
        make_handout([], TEXT, target)


def test_missing_font_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(handout, "_FONT_DIRS", ())
    monkeypatch.setenv("LEARN_FONT_DIR", "")
    monkeypatch.setattr(handout.shutil, "which", lambda name: None)
    handout.font_dirs.cache_clear()
    try:
        with pytest.raises(LearnError, match="fonts-noto-cjk"):
            handout_pdf(ENTRIES, TEXT, date="2025-01-01")
    finally:
        handout.font_dirs.cache_clear()


def test_each_word_is_listed_once():
    data = handout.handout_data(ENTRIES + ENTRIES[:3], TEXT, **OPTIONS)
    assert [v["simplified"] for v in data["vocabulary"]] == [e.simplified for e in ENTRIES]


def test_level_label_uses_the_median_and_counts_off_list_words():
    assert level_label(ENTRIES) == "HSK 5 (median) · 6 of 12 words beyond HSK"
    assert level_label([Entry("甲", hsk=7), Entry("乙", hsk=7)]) == "HSK 7–9 (median)"
    assert level_label([Entry("甲")]) == "beyond HSK (all 1 words)"


def _segments(data: dict, n: int) -> list[dict]:
    return data["reading"][n]["segs"]


def test_reading_marks_terms_longest_first_and_keeps_every_character():
    entries = [Entry("产业", pinyin="chǎn yè"), Entry("产业链", pinyin="chǎn yè liàn")]
    data = handout.handout_data(entries, "稳住产业链，发展产业。\n\n第二段话在这里。", reading="full",
                                exercises=(), grid=0)
    first = _segments(data, 0)
    assert "".join(s["t"] for s in first) == "稳住产业链，发展产业。"
    assert [" ".join(p[1] for p in s["r"]) for s in first if "r" in s] == ["chǎn yè liàn", "chǎn yè"]
    assert [s["r"] for s in first if "r" in s][0] == [["产", "chǎn"], ["业", "yè"], ["链", "liàn"]]
    long_text = "\n".join(["这是很长的一段话。" * 20] * 100)
    full = make_reading(long_text, ["产业"], "full")
    assert full.gap_after and full.chars <= 8000
    one_paragraph = "他说：“这是很长的一段话。”" * 2000                  # no line breaks at all
    printed = make_reading(one_paragraph, ["产业"], "full").passages
    assert len(printed) == 1 and 7000 < len(printed[0].text) <= 8000 and printed[0].text.endswith("。”")


@pytest.mark.parametrize("options", [dict(), dict(variant="traditional", paper="letter"),
                                     dict(variant="both", grid=12), dict(exercises=(), grid=0)])
def test_template_compiles_without_typst_warnings(options):
    """Warnings would mean a missing font family, a missing glyph or a layout that did not settle."""
    _font_or_skip()
    # a long table pushes the reading towards a page break (distinct keys, so no row is merged)
    long_list = [replace(e, pinyin_numbered=f"{e.pinyin_numbered} {i}") for i in range(3) for e in ENTRIES]
    inputs = handout.template_inputs(long_list, TEXT, **{**OPTIONS, **options})
    _pdf_bytes, warnings = handout._compiler().compile_with_warnings(sys_inputs=inputs)
    assert [str(w) for w in warnings] == []


def test_pdf_bytes_for_downloads_match_the_file(tmp_path):
    _font_or_skip()
    data = handout_pdf(ENTRIES, TEXT, **OPTIONS, seed=4)
    assert data.startswith(b"%PDF-")
    assert _pdf(tmp_path, "file", seed=4).read_bytes() == data


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "learn", "handout", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_cli_reports_bad_usage_in_one_line(tmp_path):
    (tmp_path / "in.txt").write_text(TEXT, encoding="utf-8")
    result = _cli("in.txt", "-o", "out.pdf", "--exercises", "matching,essay", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "essay" in result.stderr
    result = _cli("missing.txt", "-o", "out.pdf", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    result = _cli("in.txt", "-o", "out.pdf", "--paper", "a3", cwd=tmp_path)
    assert result.returncode == 2
    for out, message in ((".", ". is a folder; give a file name such as lesson.pdf"),
                         ("out.apkg", "out.apkg: the file name must end in .pdf, e.g. out.pdf")):
        result = _cli("in.txt", "-o", out, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr == f"learn handout: error: argument -o/--output: {message}\n"
    assert not (tmp_path / "out.pdf").exists()


@needs_poppler
@pytest.mark.skipif(not SAMPLE.exists(), reason="decks/sample.txt not written yet")
def test_cli_builds_the_sample_handout(tmp_path):
    _font_or_skip()
    pytest.importorskip("learn.extract")
    out = tmp_path / "sample.pdf"
    result = _cli(str(SAMPLE), "-o", str(out), "--top", "12", "--seed", "3", "--grid", "2",
                  "--date", "2025-03-14", "--paper", "letter", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == f"learn handout: 12 terms → {out}\n"   # like learn deck
    text = flat(pdftext(out))
    assert "新质生产力" in text and "Answer key" in text and "2025-03-14" in text
    assert [p.name for p in tmp_path.iterdir()] == ["sample.pdf"]     # no temp file left behind


@needs_poppler
def test_word_bank_never_breaks_a_word_across_lines(tmp_path):
    _font_or_skip()
    words = ["新质生产力", "高质量发展", "老工业城市", "产业链供应链", "营商环境优化", "专精特新企业",
             "数字化转型", "绿色低碳发展", "先进制造业集群"]
    text = "\n".join(f"这座城市的第{i + 1}项重点工作是推动{w}，各部门为此专门成立了工作小组。"
                     for i, w in enumerate(words))
    entries = [Entry(w, w, "a " * len(w), "a1 " * len(w), definitions=[f"term {i}"])
               for i, w in enumerate(words)]
    options = dict(exercises="cloze", grid=0, answer_key=False, **OPTIONS)
    bank = handout.handout_data(entries, text, **options)["exercises"][0]["bank"]
    pdf = make_handout(entries, text, tmp_path / "bank.pdf", **options)
    page = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    printed = page[page.index("Fill in the blanks"):page.index("1. ")]     # the bank, as laid out
    assert len(bank) > 8 and all(w in printed for w in bank), printed


def test_cli_merge_pools_inputs_without_touching_them():
    from learn.cli.common import Extracted
    from learn.cli.handout import merge
    from learn.text import Document

    def found(name, score):
        e = replace(ENTRIES[0], count=2, score=score, examples=[Example("今年培育新质生产力。")])
        return Extracted(Document("今年培育新质生产力。", name), [e, replace(ENTRIES[1], score=0.1)])

    a, b = found("a.txt", 0.5), found("b.txt", 0.9)        # the same text given twice
    entries, text, source = merge([a, b], top=5)
    assert [e.simplified for e in entries] == ["新质生产力", "先立后破"]
    assert entries[0].count == 4 and len(entries[0].examples) == 1
    assert a.entries[0].count == 2 and b.entries[0].count == 2          # inputs unchanged
    assert source == "a.txt, b.txt" and text.count("新质生产力") == 2


@needs_poppler
def test_a_long_title_runs_on_one_footer_line(tmp_path):
    title = "很长的标题" * 40 + " and a long English tail"
    short = handout.running_title(title)
    assert short.endswith("…") and len(short) == 46 and handout.running_title("Week 1 ·  城南") == "Week 1 · 城南"
    _font_or_skip()
    pdf = _pdf(tmp_path, "long", **{**OPTIONS, "title": title}, exercises=(), grid=0, answer_key=False)
    footer = [line for line in pdftext(pdf).splitlines() if line.startswith("很长的标题") and "…" in line]
    assert footer and all(line.startswith(short) for line in footer)


def test_traditional_text_is_printed_in_traditional_with_its_terms_marked():
    trad_text = "城南的轉型\n城南把培育新質生產力當作著力點，推行鏈長制。\n"
    entries = [replace(e, script="traditional") for e in ENTRIES[:3]]
    data = handout.handout_data(entries, trad_text, exercises=(), grid=0, date="2025-03-14")
    assert data["variant"] == "traditional" and data["title"] == "城南的轉型"
    body = _segments(data, 0)
    assert [s["t"] for s in body if "r" in s] == ["新質生產力", "鏈長制"]
    assert "".join(s["t"] for s in body) == "城南把培育新質生產力當作著力點，推行鏈長制。"
    simplified = handout.handout_data(entries, trad_text, variant="simplified", exercises=(), grid=0)
    assert simplified["title"] == "城南的转型"
    assert "".join(s["t"] for s in _segments(simplified, 0)) == "城南把培育新质生产力当作着力点，推行链长制。"
    assert handout.handout_data(ENTRIES[:3], TEXT, exercises=(), grid=0)["variant"] == "simplified"
