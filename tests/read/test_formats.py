"""Every input format and encoding, on files the tests generate themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from learn.errors import LearnError
from learn.read.formats import unwrap_lines
from learn.read.text import read_document, read_documents

SIMP = (
    "新质生产力是创新起主导作用的先进生产力质态。各地要因地制宜发展新质生产力，坚持先立后破，"
    "推动产业高端化、智能化、绿色化。专精特新企业在产业链中的作用越来越重要。"
)
TRAD = (
    "新質生產力是創新起主導作用的先進生產力質態。各地要因地制宜發展新質生產力，堅持先立後破，"
    "推動產業高端化、智能化、綠色化。專精特新企業在產業鏈中的作用越來越重要。"
)
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "gb2312"]
)
def test_simplified_text_in_every_encoding(tmp_path, encoding):
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(SIMP.encode(encoding))
    doc = read_document(str(path))
    assert doc.text == SIMP
    assert doc.script == "simplified"


@pytest.mark.parametrize("encoding", ["big5", "cp950", "utf-16", "utf-8", "gb18030"])
def test_traditional_text_in_every_encoding(tmp_path, encoding):
    path = tmp_path / "article.md"
    path.write_bytes(TRAD.encode(encoding))
    doc = read_document(str(path))
    assert doc.text == TRAD
    assert doc.script == "traditional"


def test_hong_kong_big5_hkscs_characters(tmp_path):
    text = "香港人講「嘅」同「咗」，佢哋今日去咗中環。" * 3
    path = tmp_path / "hk.txt"
    path.write_bytes(text.encode("big5hkscs"))
    assert read_document(str(path)).text == text


HTML_PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{{charset}}"><title>新质生产力 - 某某新闻网</title>
<script>window.tracker = "广告追踪代码不该出现";</script>
<style>.nav {{{{ color: red }}}}</style></head>
<body>
<header><div class="logo">某某新闻网</div></header>
<nav><a href="/">首页</a> | <a href="/gn">国内新闻</a> | <a href="/gj">国际新闻</a> | <a href="/login">登录注册</a></nav>
<main><article>
<h1>怎样理解新质生产力</h1>
<p>{SIMP}</p>
<p>{SIMP}</p>
<p>会议强调，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，加快构建新发展格局。</p>
</article></main>
<aside><h3>热门排行</h3><ul><li>明日天气预报</li><li>股市收盘行情</li></ul></aside>
<footer>版权所有 © 2024 某某新闻网 · 联系我们 · 广告服务</footer>
<script>document.write("页面底部脚本文字");</script>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_the_article_and_drops_boilerplate(tmp_path, charset):
    path = tmp_path / "page.html"
    path.write_bytes(HTML_PAGE.format(charset=charset).encode(charset, errors="xmlcharrefreplace"))
    text = read_document(str(path)).text
    assert "新质生产力是创新起主导作用" in text and "新发展格局" in text
    for boilerplate in ("广告追踪代码", "页面底部脚本", "国内新闻", "登录注册", "热门排行", "版权所有", "color"):
        assert boilerplate not in text


def test_html_without_charset_declaration_is_detected(tmp_path):
    page = HTML_PAGE.replace('<meta charset="{charset}">', "").format()
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb18030"))
    assert "先立后破" in read_document(str(path)).text


def test_short_html_page_still_drops_menus(tmp_path):
    path = tmp_path / "short.html"
    path.write_text(
        f"<html><body><nav>首页 新闻 登录</nav><script>var 脚本=1</script>"
        f"<p>{SIMP[:40]}</p><footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    text = read_document(str(path)).text
    assert text.startswith("新质生产力") and "首页" not in text and "脚本" not in text and "版权" not in text


def _typst_pdf(tmp_path: Path, body: str) -> Path:
    typst = pytest.importorskip("typst")
    if not (NOTO_DIR / "NotoSansCJK-Regular.ttc").exists():
        pytest.skip("fonts-noto-cjk is not installed")
    src = tmp_path / "report.typ"
    src.write_text(
        "#set page(width: 12cm, height: auto, margin: 1cm)\n"
        '#set text(font: "Noto Sans CJK SC", size: 11pt, lang: "zh")\n' + body,
        encoding="utf-8",
    )
    out = tmp_path / "report.pdf"
    out.write_bytes(typst.compile(str(src), font_paths=[str(NOTO_DIR)]))
    return out


def test_pdf_text_layer_with_wrapped_lines_joined(tmp_path):
    pdf = _typst_pdf(tmp_path, f"= 政府工作报告\n\n{SIMP}\n\n{SIMP}\n")
    text = read_document(str(pdf)).text
    lines = text.split("\n")
    assert lines[0] == "政府工作报告"  # the heading keeps its own line
    assert lines[1] == SIMP + SIMP or lines[1:3] == [SIMP, SIMP]  # wraps inside sentences are joined


def test_unwrap_joins_only_full_lines_that_do_not_end_a_sentence():
    page = "标题\n这是一个很长的句子被排版软件在\n中间断开了，后面还有内容继续写\n下去。\n新段落开始了。"
    assert (
        unwrap_lines(page) == "标题\n这是一个很长的句子被排版软件在中间断开了，后面还有内容继续写下去。\n新段落开始了。"
    )
    assert unwrap_lines("English words that were\nwrapped here") == "English words that were wrapped here"


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("政策术语", level=1)
    document.add_paragraph(SIMP)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "专精特新", "specialised and innovative"
    table.cell(1, 0).text, table.cell(1, 1).text = "先立后破", "build before breaking"
    document.add_paragraph("结尾一段话。")
    path = tmp_path / "terms.docx"
    document.save(str(path))
    text = read_document(str(path)).text
    assert text.split("\n") == [
        "政策术语",
        SIMP,
        "专精特新 specialised and innovative",
        "先立后破 build before breaking",
        "结尾一段话。",
    ]


def test_content_sniffing_for_files_without_suffix(tmp_path):
    pdf = _typst_pdf(tmp_path, SIMP)
    nosuffix = tmp_path / "download"
    nosuffix.write_bytes(pdf.read_bytes())
    assert "先立后破" in read_document(str(nosuffix)).text
    page = tmp_path / "saved"
    page.write_text(HTML_PAGE.format(charset="utf-8"), encoding="utf-8")
    assert "国内新闻" not in read_document(str(page)).text


def test_directory_reads_every_supported_file_recursively(tmp_path):
    (tmp_path / "b.txt").write_bytes(SIMP.encode("gbk"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text(HTML_PAGE.format(charset="utf-8"), encoding="utf-8")
    (tmp_path / "sub" / "c.md").write_bytes(TRAD.encode("big5"))
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff" + bytes(100))  # not a text suffix: ignored
    (tmp_path / ".hidden.txt").write_text(SIMP, encoding="utf-8")  # hidden: ignored
    docs = read_documents([str(tmp_path)])
    assert [d.name for d in docs] == ["b.txt", "sub/a.html", "sub/c.md"]
    assert [d.script for d in docs] == ["simplified", "simplified", "traditional"]


def test_directory_skips_bad_members_with_one_line_each(tmp_path):
    (tmp_path / "good.txt").write_text(SIMP, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    skipped: list[str] = []
    docs = read_documents([str(tmp_path)], on_skip=skipped.append)
    assert [d.name for d in docs] == ["good.txt"]
    assert len(skipped) == 2 and all("\n" not in s for s in skipped)
    assert any("empty.txt" in s for s in skipped) and any("broken.pdf" in s for s in skipped)


def test_named_bad_file_is_an_error_not_a_skip(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(LearnError, match="empty"):
        read_documents([str(tmp_path / "empty.txt")])
