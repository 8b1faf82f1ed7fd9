"""The handout PDF, checked the way a reader would: poppler's pdffonts, pdftotext, pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from learn.entry import Entry, Example
from learn.errors import LearnError, UsageError
from learn.handout import pdf as handout
from learn.handout import strokes
from learn.handout.pdf import handout_pdf, level_label, make_handout
from learn.handout.reading import clean_blocks, make_reading

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "decks" / "sample.txt"
TONES = "ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils not installed"
)


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
    return Entry(s, t, p, n, definitions=[meaning], hsk=hsk, examples=[Example(sentence)] if sentence else [])


ENTRIES = [
    _entry(
        "新质生产力",
        "新質生產力",
        "xīn zhì shēng chǎn lì",
        "xin1 zhi4 sheng1 chan3 li4",
        "new quality productive forces",
    ),
    _entry(
        "先立后破", "先立後破", "xiān lì hòu pò", "xian1 li4 hou4 po4", "establish the new before abolishing the old"
    ),
    _entry("链长制", "鏈長制", "liàn zhǎng zhì", "lian4 zhang3 zhi4", "industrial chain chief system"),
    _entry("一哄而上", "一哄而上", "yī hòng ér shàng", "yi1 hong4 er2 shang4", "to rush headlong into"),
    _entry("着力点", "著力點", "zhuó lì diǎn", "zhuo2 li4 dian3", "point of effort", 7),
    _entry(
        "专精特新",
        "專精特新",
        "zhuān jīng tè xīn",
        "zhuan1 jing1 te4 xin1",
        "specialized, refined, distinctive and innovative (enterprises)",
    ),
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
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


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
    assert all(line.split()[-5] == "yes" for line in cjk), out  # the "emb" column
    assert "WenQuanYi" not in out


@needs_poppler
def test_text_has_every_term_pinyin_tone_marks_and_answer_key(pdfs):
    text = flat(pdftext(pdfs["a"]))
    for e in ENTRIES:
        assert e.simplified in text and e.pinyin in text, e.simplified
        assert e.definitions[0] in text
    for mark in TONES.split():
        assert mark in text
    for heading in (
        "Vocabulary",
        "Reading",
        "Exercises",
        "Matching",
        "Fill in the blanks",
        "Pinyin",
        "Tone marks",
        "Translation",
        "Writing practice",
        "Answer key",
        "NAME",
        "CLASS",
        "2025-03-14",
        "test text",
        "HSK 5 (median)",
    ):
        assert heading in text, heading


@needs_poppler
def test_full_reading_prints_every_line_and_long_urls_wrap_whole(pdfs):
    text = flat(pdftext(pdfs["full"]))
    assert "https://example.org/city/south" in text.replace("\u200b", "")  # long URL wraps, stays whole
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
    last = subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    before = subprocess.run(
        ["pdftotext", "-l", str(n - 1), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Answer key" in last and "Answer key" not in before
    assert "Writing practice" not in last


@needs_poppler
def test_same_seed_same_text_and_bytes_other_seed_other_order(pdfs):
    assert pdftext(pdfs["a"]) == pdftext(pdfs["a_again"])
    assert pdfs["a"].read_bytes() == pdfs["a_again"].read_bytes()
    a, b = pdftext(pdfs["a"]), pdftext(pdfs["b"])
    assert a != b
    exercises_a = a[a.index("Exercises") :]
    exercises_b = b[b.index("Exercises") :]
    assert exercises_a != exercises_b
    # the vocabulary and the reading text do not move (only the numbers of blanked fill-in lines)
    unnumbered = [re.sub(r"\(\d+\)", "", t[: t.index("Exercises")]) for t in (a, b)]
    assert unnumbered[0] == unnumbered[1]


@needs_poppler
def test_page_one_renders_with_ink(pdfs, tmp_path):
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdfs["a"]), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    png = next(tmp_path.glob("page*.png"))
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height


@needs_poppler
def test_nothing_is_drawn_outside_the_margins(pdfs, tmp_path):
    """Ink check on every page: the outer 12 mm left/right and 6 mm top/bottom stay blank."""
    from PIL import Image

    for name in ("a", "letter", "both"):
        subprocess.run(
            ["pdftoppm", "-gray", "-r", "40", str(pdfs[name]), str(tmp_path / name)], check=True, capture_output=True
        )
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
    assert "區裡按照" in trad or "區里按照" in trad  # the reading text itself is converted
    assert "词汇" not in trad and "詞彙" in trad
    both = flat(pdftext(pdfs["both"]))
    assert all(e.simplified in both and e.traditional in both for e in ENTRIES)


@needs_poppler
def test_markup_characters_print_literally(tmp_path):
    _font_or_skip()
    nasty = r"# $ * _ [ ] \ < > @ ` ~ // /* {"
    text = f'标题 {nasty}\n我们学习新质生产力 #let x = 1 $x^2$ *粗* _斜_ [链接] \\ <b> 。\n]}})"\n'
    entries = [
        Entry(
            "新质生产力",
            "新質生產力",
            "xīn zhì shēng chǎn lì",
            "xin1 zhi4 sheng1 chan3 li4",
            definitions=[f"productive forces {nasty}"],
            examples=[Example("我们学习新质生产力 #let x = 1 $x^2$ *粗* _斜_ [链接] \\ <b> 。")],
        )
    ]
    path = make_handout(entries, text, tmp_path / "markup.pdf", title=nasty, source=nasty, date="2025-01-01")
    out = pdftext(path)
    for ch in "#$*_[]\\<>@`~{":
        assert ch in out
    assert nasty in out and "#let x = 1 $x^2$ *粗* _斜_ [链接]" in flat(out)


def test_bad_options_fail_with_one_line_and_write_nothing(tmp_path):
    target = tmp_path / "out.pdf"
    for options, error in (
        (dict(variant="cantonese"), UsageError),
        (dict(paper="a5"), UsageError),
        (dict(grid=-1), UsageError),
        (dict(grid="6"), UsageError),
        (dict(exercises=["matching", "essay"]), UsageError),
        (dict(seed="x"), UsageError),
    ):
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
    data = handout.handout_data(
        entries, "稳住产业链，发展产业。\n\n第二段话在这里。", reading="full", exercises=(), grid=0
    )
    first = _segments(data, 0)
    assert "".join(s["t"] for s in first) == "稳住产业链，发展产业。"
    assert [" ".join(p[1] for p in s["r"]) for s in first if "r" in s] == ["chǎn yè liàn", "chǎn yè"]
    assert [s["r"] for s in first if "r" in s][0] == [["产", "chǎn"], ["业", "yè"], ["链", "liàn"]]
    long_text = "\n".join(["这是很长的一段话。" * 20] * 100)
    full = make_reading(long_text, ["产业"], "full")
    assert full.gap_after and full.chars <= 8000
    one_paragraph = "他说：“这是很长的一段话。”" * 2000  # no line breaks at all
    printed = make_reading(one_paragraph, ["产业"], "full").passages
    assert len(printed) == 1 and 7000 < len(printed[0].text) <= 8000 and printed[0].text.endswith("。”")


@pytest.mark.parametrize(
    "options",
    [dict(), dict(variant="traditional", paper="letter"), dict(variant="both", grid=12), dict(exercises=(), grid=0)],
)
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
    return subprocess.run(
        [sys.executable, "-m", "learn", "handout", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_cli_reports_bad_usage_in_one_line(tmp_path):
    (tmp_path / "in.txt").write_text(TEXT, encoding="utf-8")
    result = _cli("in.txt", "-o", "out.pdf", "--exercises", "matching,essay", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "essay" in result.stderr
    result = _cli("missing.txt", "-o", "out.pdf", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    result = _cli("in.txt", "-o", "out.pdf", "--paper", "a3", cwd=tmp_path)
    assert result.returncode == 2
    for out, message in (
        (".", ". is a folder; give a file name such as lesson.pdf"),
        ("out.apkg", "out.apkg: the file name must end in .pdf, e.g. out.pdf"),
    ):
        result = _cli("in.txt", "-o", out, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr == f"learn handout: error: argument -o/--output: {message}\n"
    assert not (tmp_path / "out.pdf").exists()


@needs_poppler
@pytest.mark.skipif(not SAMPLE.exists(), reason="decks/sample.txt not written yet")
def test_cli_builds_the_sample_handout(tmp_path):
    _font_or_skip()
    pytest.importorskip("learn.terms.rank")
    out = tmp_path / "sample.pdf"
    result = _cli(
        str(SAMPLE),
        "-o",
        str(out),
        "--top",
        "12",
        "--seed",
        "3",
        "--grid",
        "2",
        "--date",
        "2025-03-14",
        "--paper",
        "letter",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == f"learn handout: 12 terms → {out}\n"  # like learn deck
    text = flat(pdftext(out))
    assert "新质生产力" in text and "Answer key" in text and "2025-03-14" in text
    assert [p.name for p in tmp_path.iterdir()] == ["sample.pdf"]  # no temp file left behind


@needs_poppler
def test_word_bank_never_breaks_a_word_across_lines(tmp_path):
    _font_or_skip()
    words = [
        "新质生产力",
        "高质量发展",
        "老工业城市",
        "产业链供应链",
        "营商环境优化",
        "专精特新企业",
        "数字化转型",
        "绿色低碳发展",
        "先进制造业集群",
    ]
    text = "\n".join(
        f"这座城市的第{i + 1}项重点工作是推动{w}，各部门为此专门成立了工作小组。" for i, w in enumerate(words)
    )
    entries = [Entry(w, w, "a " * len(w), "a1 " * len(w), definitions=[f"term {i}"]) for i, w in enumerate(words)]
    options = dict(exercises="cloze", grid=0, answer_key=False, **OPTIONS)
    bank = handout.handout_data(entries, text, **options)["exercises"][0]["bank"]
    pdf = make_handout(entries, text, tmp_path / "bank.pdf", **options)
    page = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = page[page.index("Fill in the blanks") : page.index("1. ")]  # the bank, as laid out
    assert len(bank) > 8 and all(w in printed for w in bank), printed


def test_cli_merge_pools_inputs_without_touching_them():
    from learn.cli.common import Extracted
    from learn.cli.handout import merge
    from learn.read.text import Document

    def found(name, score):
        e = replace(ENTRIES[0], count=2, score=score, examples=[Example("今年培育新质生产力。")])
        return Extracted(Document("今年培育新质生产力。", name), [e, replace(ENTRIES[1], score=0.1)])

    a, b = found("a.txt", 0.5), found("b.txt", 0.9)  # the same text given twice
    entries, text, source = merge([a, b], top=5)
    assert [e.simplified for e in entries] == ["新质生产力", "先立后破"]
    assert entries[0].count == 4 and len(entries[0].examples) == 1
    assert a.entries[0].count == 2 and b.entries[0].count == 2  # inputs unchanged
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


# ---------- issue 12: reading, ruby, Kai, stroke order, grids, seed handout ----------

NEWS = (
    "攀登\n"
    "城南新区培育新质生产力\n"
    "■本报记者 张三 李四\n"
    "(新华社北京3月6日电)\n"
    "今年，城南新区把培育新质生产力当作工作的着力点，各部门为此成立了专门的工作小组。\n"
    "区里按照先立后破的思路改造老厂房，防止一哄而上、重复建设，也不搞一刀切。\n"
    "图为城南新区的产业园。记者 王五 摄\n"
    "城南的老街道\n"
    "老街道两旁的小店生意兴隆，周末常有游客来这里拍照、喝茶、买点心，热闹得很。\n"
    "上海既拥有深厚的制造业基础又形成浓郁的\n"
    "创新氛围，加快建设正当其时\n"
    + "".join(
        f"第{i}段：这一段讲的是别的事情，和词表里的词语没有什么关系，只是为了让文章变长一些。\n" for i in range(1, 30)
    )
    + "新建的产业园推行链长制，每条产业链都有一位负责人，专精特新企业也搬了进来。\n"
    "新华社评论员\n"
)


def test_furniture_goes_in_every_reading_mode():
    blocks = clean_blocks(NEWS, "城南新区培育新质生产力")
    texts = [b.text for b in blocks]
    assert texts[0].startswith("今年，城南新区")  # marker, headline, byline, dateline gone
    assert not any(t.startswith(("■", "图为", "攀登", "新华社")) or "摄" in t for t in texts)
    assert not any("浓郁" in t or "正当其时" in t for t in texts)  # a pull quote split over two lines
    assert [b.text for b in blocks if b.heading] == ["城南的老街道"]  # a real subheading stays
    assert "今年,城南" not in "".join(texts) and "今年，城南" in texts[0]  # ASCII commas become full-width
    for mode in ("excerpt", "full"):
        shown = make_reading(NEWS, ["新质生产力"], mode, "城南新区培育新质生产力").shown
        assert "本报记者" not in shown and "新华社" not in shown and "摄" not in shown


def test_excerpt_keeps_the_densest_paragraphs_with_gaps_marked():
    forms = ["新质生产力", "先立后破", "一哄而上", "链长制", "产业链", "专精特新"]
    reading = make_reading(NEWS, forms, "excerpt", "城南新区培育新质生产力")
    assert reading.mode == "excerpt" and reading.chars <= 880 < reading.total_chars
    shown = reading.shown
    assert all(f in shown for f in forms)  # every word the text has
    assert "第1段" not in shown  # filler left out
    assert [p.gap_before for p in reading.passages] == [False, False, True]
    assert make_reading(NEWS, forms, "none").passages == []
    with pytest.raises(UsageError, match="reading"):
        handout.handout_data(ENTRIES, NEWS, reading="some")


def _words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """pdftotext's word boxes on one page: (xMin, yMin, xMax, yMax, text); a run of Chinese is one word."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(a), float(b), float(c), float(d), w)
        for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', out
        )
    ]


READING_ONLY = dict(exercises=(), grid=0, answer_key=False, **OPTIONS)


@needs_poppler
def test_ruby_keeps_the_text_spacing_and_sits_over_its_term(tmp_path):
    """Every full line of the reading advances exactly one em (10.5 pt) per character: no gaps
    beside marked terms and no letter-spacing; each term's pinyin lies over the term itself (the
    first time the paragraph has it: a term is marked once per paragraph)."""
    _font_or_skip()
    text = (
        "城南\n"
        + "".join(
            f"今年城南新区把培育{e.simplified}当作工作的着力点之一，区里也在推动{ENTRIES[i - 1].simplified}。"
            for i, e in enumerate(ENTRIES)
        )
        + "\n"
    )
    pdf = make_handout(ENTRIES, text, tmp_path / "ruby.pdf", reading="full", **READING_ONLY)
    words = _words(pdf, 1)
    han = re.compile(r"[\u4e00-\u9fff，。、“”：；]+")
    lines = [w for w in words if han.fullmatch(w[4]) and len(w[4]) > 30]
    assert len(lines) >= 5
    right = max(w[2] for w in lines)
    for x0, _y0, x1, _y1, chars in lines:
        if abs(x1 - right) < 1:  # a full, justified line
            assert abs((x1 - x0) / len(chars) - 10.5) < 0.3, chars
    checked = 0
    ordered = sorted(lines, key=lambda w: (w[1], w[0]))
    joined = "".join(w[4] for w in ordered)
    starts = [sum(len(w[4]) for w in ordered[:n]) for n in range(len(ordered))]
    for (x0, y0, x1, _y1, chars), offset in zip(ordered, starts, strict=True):
        advance = (x1 - x0) / len(chars)
        for e in ENTRIES:
            at = chars.find(e.simplified)
            if at < 0 or joined.find(e.simplified) != offset + at:  # not the paragraph's first one
                continue
            t0, t1 = x0 + at * advance, x0 + (at + len(e.simplified)) * advance
            first = e.pinyin.split()[0]
            above = [w for w in words if w[4] == first and y0 - 12 < w[3] <= y0 + 1 and t0 - 2 <= w[0] <= t1]
            assert above and all(w[2] <= t1 + 2 for w in above), (e.simplified, t0, t1, above)
            checked += 1
    assert checked >= 5


@needs_poppler
def test_kai_model_characters_are_embedded_taiwan_face_for_traditional(pdfs):
    if handout.kai_dir() is None:
        pytest.skip("AR PL UKai (fonts-arphic-ukai) not installed")
    for name, face in (("a", "UKaiCN"), ("traditional", "UKaiTW")):
        out = subprocess.run(["pdffonts", str(pdfs[name])], capture_output=True, text=True, check=True).stdout
        kai = [line for line in out.splitlines() if "UKai" in line]
        assert kai and all(line.split()[-5] == "yes" for line in kai), out
        assert any(face in line for line in kai), out
    no_grid = subprocess.run(["pdffonts", str(pdfs["no_grid"])], capture_output=True, text=True).stdout
    assert "UKai" not in no_grid  # only the grids use it


def test_hsk_column_says_beyond_for_off_list_words():
    rows = handout.handout_data(ENTRIES, TEXT, **OPTIONS)["vocabulary"]
    assert [r["hsk"] for r in rows[:5]] == ["beyond", "beyond", "beyond", "beyond", "7–9"]


@needs_poppler
def test_table_pinyin_never_wraps_inside_a_term(tmp_path):
    _font_or_skip()
    long = [
        Entry(
            "全生命周期管理",
            "全生命週期管理",
            "quán shēng mìng zhōu qī guǎn lǐ",
            "x",
            definitions=["whole life-cycle management of state assets, from planning through construction to disposal"],
        ),
        Entry("政府工作报告", "政府工作報告", "zhèng fǔ gōng zuò bào gào", "y", definitions=["government work report"]),
    ]
    pdf = make_handout(long + ENTRIES, TEXT, tmp_path / "table.pdf", **READING_ONLY)
    lines = pdftext(pdf).splitlines()
    for e in long + ENTRIES:
        assert any(e.pinyin in line for line in lines), e.pinyin


def test_a_repeated_character_gets_one_row_and_a_note():
    words = [
        Entry("大模型", pinyin="dà mó xíng", pinyin_numbered="a"),
        Entry("模速空间", pinyin="mó sù kōng jiān", pinyin_numbered="b"),
        Entry("人人", pinyin="rén rén", pinyin_numbered="c"),
    ]
    grid = handout.handout_data(words, "大模型和模速空间，人人都说好。", exercises=(), grid=3)["grid"]
    assert [[r["char"] for r in g["rows"]] for g in grid] == [["大", "模", "型"], ["速", "空", "间"], ["人"]]
    assert "模" in grid[1]["note"] and "大模型" in grid[1]["note"]
    assert "人" in grid[2]["note"] and "in this word" in grid[2]["note"]
    assert grid[0]["note"] == ""


def test_stroke_strips_come_from_the_installed_data(tmp_path, monkeypatch):
    """Made-up data for 一 (one stroke) and 二 (two): one framed figure per stroke, y flipped,
    earlier strokes grey and the new one black, each path written once."""
    (tmp_path / "一.json").write_text('{"strokes": ["M 100 400 L 900 400 L 900 380 Z"], "medians": []}', "utf-8")
    (tmp_path / "二.json").write_text('{"strokes": ["M 1 1 Z", "M 2 2 Z"]}', "utf-8")
    (tmp_path / "ARPHICPL.TXT").write_text("licence", "utf-8")
    monkeypatch.setattr(strokes, "data_dirs", lambda: [tmp_path])
    one = strokes.strip("一")
    assert one["count"] == 1 and 'd="M 100 400 L 900 400 L 900 380 Z"' in one["svg"] and "scale(1 -1)" in one["svg"]
    two = strokes.strip("二")
    assert two["count"] == 2 and two["svg"].count("<path ") == 2 and two["svg"].count("<rect ") == 2
    assert two["svg"].count(f'fill="{strokes.NEW_INK}"') == 2 and two["svg"].count(f'fill="{strokes.OLD_INK}"') == 1
    assert strokes.strip("三") is None
    assert strokes._layout(13) == (7, 2) and strokes._layout(4) == (4, 1)
    grid = handout.handout_data([Entry("一二三", pinyin="yī èr sān")], "一二三。", exercises=(), grid=1)
    assert [(r["strokes"] or {}).get("count") for r in grid["grid"][0]["rows"]] == [1, 2, None]
    assert grid["strokes_note"] == "" and handout.stroke_coverage(grid["grid"]) == (2, 3)


@needs_poppler
def test_without_stroke_data_the_handout_builds_with_a_one_line_note(tmp_path, monkeypatch):
    _font_or_skip()
    monkeypatch.setattr(strokes, "data_dirs", lambda: [tmp_path / "nowhere"])
    pdf = _pdf(tmp_path, "no-strokes", exercises=(), answer_key=False)
    text = flat(pdftext(pdf))
    assert "Stroke order not shown" in text and "hanzi-writer-data" in text


needs_strokes = pytest.mark.skipif(strokes.data_dir() is None, reason="stroke data not installed (scripts/setup.sh)")


def _strip_ink(path: Path, folder: Path) -> int:
    """Black pixels in the squares right of the first model character (where the strip goes)."""
    from PIL import Image

    n = next(n for n in range(1, pages(path) + 1) if any(w[4] == "Writing" for w in _words(path, n)))
    label = next(w for w in _words(path, n) if w[4] == "xīn" and w[3] - w[1] < 7)  # the model square's reading
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "144", "-f", str(n), "-l", str(n), str(path), str(folder / f"render-{path.stem}")],
        check=True,
        capture_output=True,
    )
    image = Image.open(next(folder.glob(f"render-{path.stem}*.pgm")))  # 2 pixels a point
    row = image.crop((int(2 * label[0] + 72), int(2 * label[1]), int(2 * label[0] + 300), int(2 * label[1] + 60)))
    return sum(row.histogram()[:100])


@needs_poppler
@needs_strokes
def test_stroke_order_figures_are_drawn_for_every_covered_grid_character(pdfs, tmp_path, monkeypatch):
    data = handout.handout_data(ENTRIES, TEXT, seed=1, **OPTIONS)
    covered, total = handout.stroke_coverage(data["grid"])
    assert covered == total > 10  # the data has all these characters
    assert "Stroke order not shown" not in flat(pdftext(pdfs["a"]))
    with_strokes = _strip_ink(pdfs["a"], tmp_path)
    monkeypatch.setattr(strokes, "data_dirs", lambda: [tmp_path / "nowhere"])
    without = _strip_ink(_pdf(tmp_path, "bare-grid", seed=1), tmp_path)
    assert with_strokes > 50 and without < 5, (with_strokes, without)


@needs_poppler
@needs_poppler
def test_sections_break_only_when_a_third_of_the_page_is_left(pdfs, tmp_path):
    """A short vocabulary list leaves room: the reading, or the exercises, follow on page 1."""

    def page_one(path: Path) -> str:
        return subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    assert "Reading" in page_one(pdfs["a"])
    short = _pdf(tmp_path, "short", reading="none", grid=0)
    assert "Exercises" in page_one(short) and "Matching" in page_one(short)
    assert "Answer key" not in page_one(short)  # the key keeps its own page


# ---------- the seed article (outside the repository) ----------

SEED = ROOT.parent / "shared" / "corpus" / "xinzhi-shengchanli.txt"


@pytest.fixture(scope="module")
def seed_handout(tmp_path_factory):
    if not SEED.exists():
        pytest.skip("seed article not found at ../shared/corpus")
    _font_or_skip()
    from learn.read.text import read_document
    from learn.terms.rank import extract

    text = read_document(str(SEED)).text
    entries = extract(text, top=20, source=SEED.name)
    path = make_handout(
        entries, text, tmp_path_factory.mktemp("seed") / "seed.pdf", source=SEED.name, date="2025-03-14"
    )
    return entries, text, path


@pytest.mark.seed
@needs_poppler
def test_seed_handout_fits_six_pages_with_a_clean_short_reading(seed_handout):
    entries, text, path = seed_handout
    # seven at most: writing blocks never split across pages, so which six terms lead the list
    # (the ranking's business, learn/data/term_model.json) decides whether they take one page or two
    assert pages(path) <= 7
    out = pdftext(path)
    assert "本报记者" not in out and "攀登" not in out and "新华社评论员" not in out
    data = handout.handout_data(entries, text, date="2025-03-14")
    shown = sum(len(s["t"]) for p in data["reading"] for s in p["segs"] if "t" in s)
    assert 600 <= shown <= 900


@pytest.mark.seed
def test_seed_word_bank_has_more_words_than_blanks_and_fill_ins_hide_their_answers(seed_handout):
    entries, text, _path = seed_handout
    data = handout.handout_data(entries, text, date="2025-03-14")
    cloze = next(x for x in data["exercises"] if x["kind"] == "cloze")
    assert len(cloze["bank"]) > len(cloze["items"]) >= 6
    blanks = {s["blank"] for p in data["reading"] for s in p["segs"] if "blank" in s}
    assert blanks == {n + 1 for n, it in enumerate(cloze["items"]) if it["in_reading"]}


@pytest.mark.seed
def test_seed_and_another_text_get_different_matching_orders(seed_handout):
    entries, text, _path = seed_handout
    from learn.terms.rank import extract

    other = SAMPLE.read_text(encoding="utf-8") if SAMPLE.exists() else TEXT
    others = extract(other, top=20) if SAMPLE.exists() else ENTRIES

    def letters(e, t):
        x = next(x for x in handout.handout_data(e, t, seed=1)["exercises"] if x["kind"] == "matching")
        return [i["answer"] for i in x["items"]]

    assert letters(entries, text) != letters(others, other)


@pytest.mark.seed
@needs_strokes
def test_seed_grid_characters_all_have_stroke_order(seed_handout):
    entries, text, _path = seed_handout
    covered, total = handout.stroke_coverage(handout.handout_data(entries, text)["grid"])
    assert total >= 15 and covered == total


@pytest.mark.seed
def test_seed_handout_builds_within_two_seconds(seed_handout):
    import time

    entries, text, _path = seed_handout
    handout_pdf(entries, text, date="2025-03-14")
    times = []
    for seed in range(3):
        start = time.perf_counter()
        handout_pdf(entries, text, date="2025-03-14", seed=seed)
        times.append(time.perf_counter() - start)
    assert min(times) <= 2.0, times


@needs_poppler
def test_cli_reading_items_and_tones(tmp_path):
    _font_or_skip()
    (tmp_path / "in.txt").write_text(TEXT + "大家一起去看一次，不是为了热闹。\n", encoding="utf-8")
    for bad in (("--reading", "some"), ("--items", "0"), ("--tones", "sung")):
        result = _cli("in.txt", "-o", "out.pdf", *bad, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and bad[0] in result.stderr
    assert not (tmp_path / "out.pdf").exists()
    pytest.importorskip("learn.terms.rank")
    result = _cli(
        "in.txt",
        "-o",
        "out.pdf",
        "--reading",
        "none",
        "--items",
        "3",
        "--exercises",
        "tones",
        "--grid",
        "0",
        "--date",
        "2025-03-14",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    text = pdftext(tmp_path / "out.pdf")
    assert "Reading" not in text and "Exercise 1 · Tone marks" in text
    key = text[text.index("Answer key") :]
    assert re.search(r"\b1\. ", key) and re.search(r"\b3\. ", key) and not re.search(r"\b4\. ", key)


def test_spoken_tones_reach_the_table_the_ruby_and_the_tone_answers():
    spoken = handout.handout_data(ENTRIES, TEXT, tones="spoken", reading="full", **OPTIONS)
    citation = handout.handout_data(ENTRIES, TEXT, reading="full", **OPTIONS)
    row = next(r for r in spoken["vocabulary"] if r["simplified"] == "一哄而上")
    assert row["pinyin"] == "yí hòng ér shàng"
    assert next(r for r in citation["vocabulary"] if r["simplified"] == "一哄而上")["pinyin"] == "yī hòng ér shàng"
    ruby = [s["r"] for p in spoken["reading"] for s in p["segs"] if s.get("t") == "一哄而上"]
    assert ruby and ruby[0][0] == ["一", "yí"]
    tones = next(x for x in spoken["exercises"] if x["kind"] == "tones")
    answers = {it["hint"]: it["answer"] for it in tones["items"]}
    assert answers.get("一哄而上", "yí hòng ér shàng") == "yí hòng ér shàng"


def test_layout_settles_wherever_the_table_ends():
    """The one-third rule must not feed back on itself: tables of every length, no warning
    (a position-based rule flipped between 'break' and 'no break' and never settled)."""
    _font_or_skip()
    many = [
        replace(e, pinyin_numbered=f"{e.pinyin_numbered} {i}", definitions=[f"{e.definitions[0]} {i}"])
        for i in range(3)
        for e in ENTRIES
    ]
    for n in range(12, 30, 2):
        inputs = handout.template_inputs(many[:n], TEXT, **OPTIONS)
        _pdf_bytes, warnings = handout._compiler().compile_with_warnings(sys_inputs=inputs)
        assert [str(w) for w in warnings] == [], n


def test_a_recipe_sets_reading_items_and_tones(tmp_path):
    from learn.cli.recipe import load_recipe

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "r.toml").write_text(
        'sources = ["a.txt"]\n[handout]\nreading = "none"\nitems = 3\ntones = "spoken"\n', encoding="utf-8"
    )
    options = load_recipe(tmp_path / "r.toml").handout.options
    assert options == {"reading": "none", "items": 3, "tones": "spoken"}
    data = handout.handout_data(ENTRIES, TEXT, **options)
    assert data["reading"] == [] and all(len(x["items"]) <= 3 for x in data["exercises"])
    for bad in ('reading = "some"', "items = 0", 'tones = "sung"'):
        (tmp_path / "r.toml").write_text(f'sources = ["a.txt"]\n[handout]\n{bad}\n', encoding="utf-8")
        with pytest.raises(LearnError, match=bad.split()[0]):
            load_recipe(tmp_path / "r.toml")


def test_a_fill_in_answer_is_blanked_wherever_the_reading_shows_it():
    from learn.handout.exercises import Script

    marker = handout._Marker(
        [Entry("产业链", pinyin="chǎn yè liàn"), Entry("产业链长", pinyin="chǎn yè liàn zhǎng")],
        Script(),
        False,
        blanks=[("产业链", 3)],
    )
    segs = marker.segments("我们都知道，发展产业链很重要。产业链长要稳。")
    assert [s.get("blank") for s in segs] == [None, 3, None, 3, None]  # every place, inside a longer term too
    assert "".join(s.get("t", "") for s in segs) == "我们都知道，发展很重要。长要稳。"
    assert not [s for s in segs if "r" in s]  # nothing readable of the answer is left marked


def test_stroke_data_that_is_not_plain_path_data_is_ignored(tmp_path, monkeypatch):
    (tmp_path / "一.json").write_text('{"strokes": ["M 1 1 Z\\"/><script/>"]}', "utf-8")
    monkeypatch.setattr(strokes, "data_dirs", lambda: [tmp_path])
    assert strokes.strip("一") is None


def test_grid_headings_follow_the_print_script_and_the_tones():
    words = [
        replace(ENTRIES[0], definitions=["≈ 新 “new” + 质 “quality” + 生产力 “productive forces”"]),
        replace(ENTRIES[3]),
    ]
    trad = handout.handout_data(words, TEXT, variant="traditional", exercises=(), grid=2)["grid"]
    assert "質" in trad[0]["meaning"] and "质" not in trad[0]["meaning"]
    spoken = handout.handout_data(words, TEXT, tones="spoken", exercises=(), grid=2)["grid"]
    assert spoken[1]["pinyin"] == "yí hòng ér shàng" and spoken[1]["rows"][0]["pinyin"] == "yí"
    both = handout.handout_data(words, TEXT, variant="both", exercises=(), grid=2)["grid"]
    assert "生" not in both[0]["note"] and [r["char"] for r in both[0]["rows"]] == list("新质生产力質產")


def test_ruby_pairs_give_each_character_its_syllable():
    assert handout.ruby_pairs("产业链", "chǎn yè liàn") == [["产", "chǎn"], ["业", "yè"], ["链", "liàn"]]
    assert handout.ruby_pairs("5G网络", "5G wǎng luò") == [["5", "5G"], ["G", ""], ["网", "wǎng"], ["络", "luò"]]
    assert handout.ruby_pairs("AI大模型", "AI dà mó xíng")[2:] == [["大", "dà"], ["模", "mó"], ["型", "xíng"]]
    assert handout.ruby_pairs("链长", "liàn") == [["链", "liàn"], ["长", ""]]  # does not line up
