"""Stroke order for the writing grids, from Make Me a Hanzi's data as the npm package
hanzi-writer-data ships it (one JSON file per character: SVG outline paths, one per stroke,
in writing order, in a 1024-unit box with y pointing up).

The data is licensed under the Arphic Public License and is about 47 MB, so it is not in the
repository: scripts/setup.sh installs the package into the virtual environment
(.venv/share/learn/hanzi-writer-data, licence file included) and nothing is downloaded at run
time. Without it the handout still builds and says so in one line.
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = "hanzi-writer-data"
_PATH = re.compile(r"[MLHVCSQTAZmlhvcsqtaz0-9 .,eE+-]+")
#: The stroke being added in a step, and the strokes already written.
NEW_INK, OLD_INK, FRAME_INK = "#111111", "#b3b3b3", "#e8c4c4"
MISSING_NOTE = (
    "Stroke order not shown: the stroke data (npm package hanzi-writer-data) is not installed; run scripts/setup.sh."
)


def data_dirs() -> list[Path]:
    """Where the data may be: LEARN_STROKE_DATA, then the environment's share/learn folder."""
    env = os.environ.get("LEARN_STROKE_DATA", "")
    return [Path(p) for p in (env, os.path.join(sys.prefix, "share", "learn", PACKAGE)) if p]


@lru_cache(maxsize=4)
def _data_dir(candidates: tuple[Path, ...]) -> Path | None:
    return next((d for d in candidates if (d / "ARPHICPL.TXT").is_file() or (d / "一.json").is_file()), None)


def data_dir() -> Path | None:
    """The installed stroke data folder, or None when it is not installed."""
    return _data_dir(tuple(data_dirs()))


@lru_cache(maxsize=4096)
def _strokes_in(folder: Path, char: str) -> tuple[str, ...]:
    path = folder / f"{char}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    strokes = data.get("strokes") if isinstance(data, dict) else None
    if not isinstance(strokes, list) or not all(isinstance(s, str) and _PATH.fullmatch(s) for s in strokes):
        return ()  # only plain path data goes into the SVG we write
    return tuple(strokes)


def strokes(char: str) -> list[str]:
    """The SVG path of each stroke of `char`, in writing order ([] when the data lacks it)."""
    folder = data_dir()
    if folder is None or len(char) != 1 or char in "/\\.":
        return []
    return list(_strokes_in(folder, char))


#: Units of the data's box, the space between figures, and the strip's width over its height
#: (four writing squares beside the model, less padding) that the layout is chosen for.
BOX, GAP, STRIP_RATIO = 1024, 110, 4.4
_FLIP = "translate(0 900) scale(1 -1)"  # the data's y runs upwards from -124 to 900


def _layout(count: int, ratio: float = STRIP_RATIO) -> tuple[int, int]:
    """(columns, rows) of `count` figures that make the figures biggest in a ratio:1 box."""
    best = (0.0, count, 1)
    for rows in (1, 2, 3, 4):
        cols = -(-count // rows)
        size = min(ratio / (cols * (BOX + GAP) - GAP), 1.0 / (rows * (BOX + GAP) - GAP))
        if size > best[0]:
            best = (size, cols, rows)
    return best[1], best[2]


def strip(char: str) -> dict[str, object] | None:
    """The stroke order of `char` as one SVG: step k shows strokes 1…k-1 in grey and stroke k
    in black, in a framed square; the squares run in `cols` columns and `rows` rows.

    One image per character (each stroke path written once and reused) keeps the PDF small
    and the typesetting fast; the template numbers the steps. None when the data lacks `char`.
    """
    paths = strokes(char)
    if not paths:
        return None
    cols, rows = _layout(len(paths))
    pitch = BOX + GAP
    width, height = cols * pitch - GAP, rows * pitch - GAP
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 {width} {height}"><defs>'
    ]
    out += [f'<path id="s{i}" d="{d}"/>' for i, d in enumerate(paths)]
    out.append("</defs>")
    for k in range(len(paths)):
        x, y = (k % cols) * pitch, (k // cols) * pitch
        out.append(
            f'<g transform="translate({x} {y})"><rect width="{BOX}" height="{BOX}" fill="none" '
            f'stroke="{FRAME_INK}" stroke-width="16"/><g transform="{_FLIP}">'
        )
        out += [f'<use xlink:href="#s{i}" fill="{OLD_INK}"/>' for i in range(k)]
        out.append(f'<use xlink:href="#s{k}" fill="{NEW_INK}"/></g></g>')
    out.append("</svg>")
    return {
        "svg": "".join(out),
        "count": len(paths),
        "cols": cols,
        "rows": rows,
        "width": width,
        "height": height,
        "pitch": pitch,
    }
