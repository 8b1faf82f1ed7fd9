"""A deck built by the previous version of learn/deck.py, for the "learner keeps his history" tests.

tests/data/previous_version.apkg was written by ``python tests/deck_previous_version.py`` at
commit f780b52 (the last commit with the single-module learn/deck.py, before issue 11's deck
work): that build of ENTRIES, name "History test", timestamp 1_700_000_000. It is committed
as it came out and must not be rebuilt: it stands for the decks learners already imported.
The tests import it, review some cards, import a build of the same ENTRIES by today's
code and check that the notes were updated in place and the review history stayed.

The sentences are the team's own, written for this fixture.
"""

from __future__ import annotations

import sys
from pathlib import Path

from learn.entry import Entry, Example, Part

PACKAGE = Path(__file__).parent / "data" / "previous_version.apkg"
NAME = "History test"
TIMESTAMP = 1_700_000_000

GAIGE = Entry(
    "改革",
    "改革",
    "gǎi gé",
    "gai3 ge2",
    "ㄍㄞˇ ㄍㄜˊ",
    ["to reform", "reform"],
    kind="word",
    hsk=4,
    score=9.0,
    count=3,
    source="history.txt",
    gloss_source="cedict",
    classifiers=["项 xiàng", "个 gè"],
    examples=[
        Example(
            "这项改革让办事更方便了。", "zhè xiàng gǎi gé ràng bàn shì gèng fāng biàn le", "這項改革讓辦事更方便了。"
        ),
        Example(
            "村里的改革从一条小路开始。", "cūn lǐ de gǎi gé cóng yī tiáo xiǎo lù kāi shǐ", "村裡的改革從一條小路開始。"
        ),
    ],
)
XINZHI = Entry(
    "新质生产力",
    "新質生產力",
    "xīn zhì shēng chǎn lì",
    "xin1 zhi4 sheng1 chan3 li4",
    "ㄒㄧㄣ ㄓˋ ㄕㄥ ㄔㄢˇ ㄌㄧˋ",
    ["新质 “new quality” + 生产力 “productive forces”"],
    kind="term",
    score=8.0,
    count=2,
    source="history.txt",
    gloss_source="composed",
    first_seen="2023-09",
    parts=[Part("新质", "xīn zhì", "new quality"), Part("生产力", "shēng chǎn lì", "productive forces")],
    examples=[
        Example(
            "工厂用新质生产力换掉了旧机器。",
            "gōng chǎng yòng xīn zhì shēng chǎn lì huàn diào le jiù jī qì",
            "工廠用新質生產力換掉了舊機器。",
        )
    ],
)
YINFA = Entry(
    "银发",
    "銀髮",
    "yín fà",
    "yin2 fa4",
    "ㄧㄣˊ ㄈㄚˋ",
    ["silver hair", "the elderly"],
    kind="word",
    score=7.0,
    count=1,
    source="history.txt",
    gloss_source="cedict",
    examples=[Example("银发族也爱上了网购。", "yín fà zú yě ài shàng le wǎng gòu", "銀髮族也愛上了網購。")],
)
ZHUOZI = Entry(
    "桌子",
    "桌子",
    "zhuō zi",
    "zhuo1 zi5",
    "ㄓㄨㄛ ㄗ˙",
    ["table", "desk"],
    kind="word",
    hsk=1,
    score=6.0,
    count=2,
    source="taiwan.txt",
    gloss_source="cedict",
    script="traditional",
    classifiers=["张 zhāng"],
    examples=[
        Example("桌子上放着两本书。", "zhuō zi shàng fàng zhe liǎng běn shū", "桌子上放著兩本書。"),
        Example("他把桌子搬到窗边。", "tā bǎ zhuō zi bān dào chuāng biān", "他把桌子搬到窗邊。"),
    ],
)
ENTRIES = [GAIGE, XINZHI, YINFA, ZHUOZI]


def build(path: Path = PACKAGE) -> Path:
    """Write the deck with whichever learn.deck is importable (only ever run at f780b52 for the fixture)."""
    from learn.deck import build_deck

    path.parent.mkdir(parents=True, exist_ok=True)
    return build_deck(ENTRIES, path, name=NAME, timestamp=TIMESTAMP)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE))
