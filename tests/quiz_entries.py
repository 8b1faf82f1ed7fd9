"""Hand-made entries for the quiz tests: fast, deterministic, no extraction needed."""

from __future__ import annotations

import json
from pathlib import Path

from learn.entry import Entry, Example


def _entry(
    simplified: str,
    traditional: str,
    pinyin: str,
    numbered: str,
    meaning: list[str],
    kind: str,
    hsk: int | None,
    sentence: str,
) -> Entry:
    return Entry(
        simplified,
        traditional,
        pinyin,
        numbered,
        definitions=meaning,
        kind=kind,
        hsk=hsk,
        count=2,
        examples=[Example(sentence)] if sentence else [],
        source="test",
    )


ENTRIES = [
    _entry(
        "新质生产力",
        "新質生產力",
        "xīn zhì shēng chǎn lì",
        "xin1 zhi4 sheng1 chan3 li4",
        ["new quality productive forces"],
        "term",
        None,
        "这座城市把新质生产力写进了年度计划。",
    ),
    _entry(
        "绿色",
        "綠色",
        "lǜ sè",
        "lv4 se4",
        ["green", "environmentally friendly"],
        "word",
        1,
        "河边的工厂换上了绿色能源。",
    ),
    _entry(
        "发展", "發展", "fā zhǎn", "fa1 zhan3", ["to develop", "development"], "word", 2, "小镇的发展离不开年轻人。"
    ),
    _entry(
        "创新", "創新", "chuàng xīn", "chuang4 xin1", ["to innovate", "innovation"], "word", 4, "老师鼓励学生大胆创新。"
    ),
    _entry(
        "高质量",
        "高質量",
        "gāo zhì liàng",
        "gao1 zhi4 liang4",
        ["high quality"],
        "term",
        None,
        "大家都希望过上高质量的生活。",
    ),
    _entry(
        "产业链",
        "產業鏈",
        "chǎn yè liàn",
        "chan3 ye4 lian4",
        ["industrial chain"],
        "term",
        None,
        "这家公司处在产业链的上游。",
    ),
    _entry(
        "先立后破",
        "先立後破",
        "xiān lì hòu pò",
        "xian1 li4 hou4 po4",
        ["build the new before tearing down the old"],
        "slogan",
        None,
        "能源转型要坚持先立后破。",
    ),
    _entry(
        "人工智能", "人工智能", "rén gōng zhì néng", "ren2 gong1 zhi4 neng2", ["artificial intelligence"], "word", 5, ""
    ),
]


def write_entries(path: Path, entries: list[Entry] | None = None) -> Path:
    """Write entries as `learn build` does: a JSON list of Entry dicts."""
    path.write_text(json.dumps([e.to_dict() for e in entries or ENTRIES], ensure_ascii=False), encoding="utf-8")
    return path
