"""A short text for the reader tests, written for them around the quiz test words (quiz_entries),
with the furniture the handout's reading removes: a byline, a photo caption, a page marker."""

from __future__ import annotations

from pathlib import Path

from quiz_entries import ENTRIES, write_entries

from learn.entry import Entry

HEADLINE = "小城里的新变化"
TEXT = f"""{HEADLINE}
本报记者 王明
这座城市把新质生产力写进了年度计划。河边的工厂换上了绿色能源，街上的公交车也换成了电动车。
图为工人在检查新设备（王明 摄）
小镇的发展离不开年轻人。老师鼓励学生大胆创新，学校还开了一门人工智能课。
城市新貌
大家都希望过上高质量的生活。这家公司处在产业链的上游，能源转型要坚持先立后破。
"""
BYLINE, CAPTION = "本报记者 王明", "图为工人在检查新设备"


def reader_entries() -> list[Entry]:
    """The quiz test words, one with measure words and a first appearance in the background."""
    entries = [Entry.from_dict(e.to_dict()) for e in ENTRIES]
    entries[2].classifiers = ["个 gè"]  # 发展
    entries[0].first_seen = "2023-09"  # 新质生产力
    return entries


def write_material(folder: Path) -> Path:
    """words.json as `learn build` writes it, with the text beside it (words.txt)."""
    (folder / "words.txt").write_text(TEXT, encoding="utf-8")
    return write_entries(folder / "words.json", reader_entries())
