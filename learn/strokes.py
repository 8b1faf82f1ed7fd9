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
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = "hanzi-writer-data"
#: The stroke being added in a step, and the strokes already written.
NEW_INK, OLD_INK = "#111111", "#b3b3b3"
MISSING_NOTE = ("Stroke order not shown: the stroke data (npm package hanzi-writer-data) is not "
                "installed; run scripts/setup.sh.")


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
    return tuple(s for s in strokes if isinstance(s, str)) if isinstance(strokes, list) else ()


def strokes(char: str) -> list[str]:
    """The SVG path of each stroke of `char`, in writing order ([] when the data lacks it)."""
    folder = data_dir()
    if folder is None or len(char) != 1 or char in "/\\.":
        return []
    return list(_strokes_in(folder, char))


def _svg(path: str, ink: str) -> str:
    # flip y: the data's box runs from y = -124 to 900 upwards
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1024 1024">'
            f'<path transform="translate(0 900) scale(1 -1)" fill="{ink}" d="{path}"/></svg>')


def stroke_images(char: str) -> list[dict[str, str]]:
    """One pair of small SVGs per stroke: `new` (the stroke as it is added) and `old` (greyed).

    Step k of the figure strip overlays `old` of strokes 1…k-1 and `new` of stroke k; the
    template does the overlaying, so each stroke is drawn (and embedded) only twice.
    """
    return [{"new": _svg(p, NEW_INK), "old": _svg(p, OLD_INK)} for p in strokes(char)]
