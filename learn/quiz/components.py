"""The quiz's two custom Streamlit components, served from this machine (never from a CDN).

  reader   learn/quiz/frontend/reader: the text with marked terms, the pinyin, the word panel
  write    learn/quiz/frontend/write: hanzi-writer's stroke-by-stroke quiz for Write mode

Both speak Streamlit's component protocol by hand (no JavaScript build step). hanzi-writer (MIT)
comes from npm like the stroke data: scripts/setup.sh unpacks the package into
.venv/share/learn/hanzi-writer (LEARN_HANZI_WRITER points elsewhere). Streamlit serves one folder
per component, so the write component's folder is put together once per version in the user's
cache folder: our index.html beside a copy of hanzi-writer.min.js and its licence.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

FRONTEND = Path(__file__).parent / "frontend"
HANZI_WRITER = "hanzi-writer"
SCRIPT = "hanzi-writer.min.js"
MISSING_WRITER = (
    "Write mode needs hanzi-writer (npm), which scripts/setup.sh installs into "
    ".venv/share/learn/hanzi-writer; it is not installed here."
)


def hanzi_writer_dirs() -> list[Path]:
    """Where the npm package may be: LEARN_HANZI_WRITER, then the environment's share/learn folder."""
    env = os.environ.get("LEARN_HANZI_WRITER", "")
    return [Path(p) for p in (env, os.path.join(sys.prefix, "share", "learn", HANZI_WRITER)) if p]


def hanzi_writer_script() -> Path | None:
    """hanzi-writer.min.js of the installed package, or None."""
    for folder in hanzi_writer_dirs():
        for candidate in (folder / "dist" / SCRIPT, folder / SCRIPT):
            if candidate.is_file():
                return candidate
    return None


def write_folder() -> Path | None:
    """The write component's folder (index.html + hanzi-writer), made on first use; None when
    hanzi-writer is not installed."""
    script = hanzi_writer_script()
    if script is None:
        return None
    page = FRONTEND / "write" / "index.html"
    return _assembled(str(script), str(page), _digest(script, page))


def _digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


@lru_cache(maxsize=4)
def _assembled(script: str, page: str, digest: str) -> Path:
    from platformdirs import user_cache_dir

    base = Path(os.environ.get("LEARN_CACHE_DIR") or user_cache_dir("learn")) / "components"
    folder = base / f"write-{digest}"
    if not (folder / "index.html").is_file():
        part = base / f".write-{digest}-{os.getpid()}"
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir(parents=True)
        shutil.copyfile(page, part / "index.html")
        shutil.copyfile(script, part / SCRIPT)
        licence = Path(script).parent.parent / "LICENSE"
        if licence.is_file():
            shutil.copyfile(licence, part / "LICENSE.hanzi-writer")
        try:
            part.rename(folder)
        except OSError:  # another server made it meanwhile
            shutil.rmtree(part, ignore_errors=True)
    return folder


def reader(data: dict[str, Any], key: str, on_change: Callable[[], None] | None = None) -> Any:
    """Draw the reader; returns the last action the learner took ({action, key, nonce}) or None."""
    import streamlit.components.v1 as components

    component = components.declare_component("reader", path=str(FRONTEND / "reader"))
    return component(**data, key=key, default=None, on_change=on_change)


def writer(data: dict[str, Any], key: str, on_change: Callable[[], None] | None = None) -> Any:
    """Draw the writing box; returns the finished drawing's result or None. Raises LookupError
    when hanzi-writer is not installed (the caller says so instead of drawing a broken widget)."""
    import streamlit.components.v1 as components

    folder = write_folder()
    if folder is None:
        raise LookupError(MISSING_WRITER)
    component = components.declare_component("write", path=str(folder))
    return component(**data, key=key, default=None, on_change=on_change)
