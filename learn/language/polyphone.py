"""Polyphones read by a model made for the job: g2pM's Bi-LSTM (Park & Lee, Interspeech 2020).

g2pM ships its weights inside its PyPI package (Apache-2.0, 2.1 MB, numpy only): nothing is
downloaded. Its own loop runs one matrix product per time step and direction and scores every
class; this module reads the same weights, works both directions' gates together at each step
(one small product per direction, below the size at which OpenBLAS starts threads), computes a
character's input projection once and remembers it, reads up to 32 sentences side by side and
scores only each polyphone's own readings, so a character only ever takes one of them. The weights (and numpy) load on first use, not
on import.
"""

from __future__ import annotations

import importlib.util
import pickle
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy loads with the weights, on first use: `learn extract` starts without it
    import numpy as np

#: A model reading at least this probable beats a dictionary's proper-name reading (see pinyin).
SURE = 0.9


@dataclass(frozen=True)
class Guess:
    reading: str  # numbered, as g2pM writes it (lu:4, neutral tone 5)
    probability: float  # among the character's own readings


class _Model:
    """The weights, rearranged once for fast reading (both directions' gates side by side)."""

    def __init__(self, folder: Path) -> None:
        import numpy as np

        def load(name: str) -> Any:
            with open(folder / name, "rb") as f:  # the package's own data files
                return pickle.load(f)  # noqa: S301

        self.ids: dict[str, int] = load("char2idx.pkl")
        classes: dict[str, int] = load("class2idx.pkl")
        weights = load("np_ckpt.pkl")
        self.embedding = weights["embedding.weight"]
        h = weights["lstm.weight_hh_l0"].shape[1]
        # gate columns regrouped as i, f, o, g, each [forward | backward], so one tanh serves all
        # (σ(x) = (tanh(x/2) + 1) / 2) and the two directions share every step's gate arithmetic
        order = [g * h + k for g in (0, 1, 3, 2) for k in range(h)]
        self.into = [
            (
                weights[f"lstm.weight_ih_l0{way}"].T[:, order],
                (weights[f"lstm.bias_ih_l0{way}"] + weights[f"lstm.bias_hh_l0{way}"])[order],
            )
            for way in ("", "_reverse")
        ]
        # each direction's recurrent weights on their own: a product of (32 × 32) by (32 × 128)
        # per step stays under the size from which OpenBLAS starts threads (see _SMALL)
        self.recurrent = [weights[f"lstm.weight_hh_l0{way}"].T[:, order].astype(np.float64) for way in ("", "_reverse")]
        # each character's input projection, computed the first time a batch holds it
        self.projected = np.zeros((len(self.embedding), 2, 4 * h))
        self.ready = np.zeros(len(self.embedding), dtype=bool)
        self.scale = np.r_[np.full(6 * h, 0.5), np.ones(2 * h)]
        self.hidden = h
        self.w0, self.b0 = weights["logit_layer.0.weight"].T.astype(np.float64), weights["logit_layer.0.bias"]
        self.w1, self.b1 = weights["logit_layer.2.weight"].T, weights["logit_layer.2.bias"]
        names = {i: p for p, i in classes.items()}
        self.choices: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}
        for ch, readings in load("digest_cedict.pkl").items():
            known = [classes[r] for r in readings if r in classes]
            if len(readings) > 1 and known:
                self.choices[ch] = (np.array(known), tuple(names[i] for i in known))
        self.unknown, self.start, self.end = self.ids["<UNK>"], self.ids["시"], self.ids["끝"]
        # each polyphone's own classes as one padded row, so a batch picks among them at once
        self.slot = {ch: i for i, ch in enumerate(self.choices)}
        width = max((len(columns) for columns, _ in self.choices.values()), default=1)
        self.columns = np.zeros((len(self.choices), width), dtype=np.intp)
        self.valid = np.zeros((len(self.choices), width), dtype=bool)
        for i, (columns, _) in enumerate(self.choices.values()):
            self.columns[i, : len(columns)], self.valid[i, : len(columns)] = columns, True

    def states(self, texts: list[str]) -> list[np.ndarray]:
        """Hidden states of both directions for each character of each text, the texts read side
        by side (one product per step for all of them: a text's sentences cost little more than
        one). Each text is bounded by start/end marks; padding follows the real steps in both
        directions, so it never reaches them."""
        import numpy as np

        rows = [[self.start, *(self.ids.get(ch, self.unknown) for ch in text), self.end] for text in texts]
        n, h, b = max(map(len, rows)), self.hidden, len(rows)
        fw = np.zeros((n, b), dtype=np.intp) + self.end
        bw = fw.copy()
        for j, ids in enumerate(rows):
            fw[: len(ids), j], bw[: len(ids), j] = ids, ids[::-1]
        self._project(np.unique(fw))
        x = np.concatenate(
            [self.projected[ids, way].reshape(n, b, 4, 1, h) for way, ids in enumerate((fw, bw))], axis=3
        ).reshape(n, b, 8 * h)
        out = np.empty((n, b, 2 * h))
        state, cell = np.zeros((b, 2 * h)), np.zeros((b, 2 * h))
        (forward, backward), scale = self.recurrent, self.scale
        for t in range(n):
            both = np.stack([(state[:, :h] @ forward).reshape(b, 4, h), (state[:, h:] @ backward).reshape(b, 4, h)], 2)
            a = np.tanh((x[t] + both.reshape(b, 8 * h)) * scale)
            s = a[:, : 6 * h] * 0.5 + 0.5
            cell = s[:, 2 * h : 4 * h] * cell + s[:, : 2 * h] * a[:, 6 * h :]
            state = s[:, 4 * h :] * np.tanh(cell)
            out[t] = state
        result = []
        for j, ids in enumerate(rows):
            m = len(ids)
            result.append(np.concatenate([out[1 : m - 1, j, :h], out[m - 2 : 0 : -1, j, h:]], axis=1))
        return result

    def _project(self, ids: np.ndarray) -> None:
        """The input projections of the characters `ids` not yet projected, a few rows at a time."""
        todo = ids[~self.ready[ids]]
        for i in range(0, len(todo), _SMALL):
            rows = todo[i : i + _SMALL]
            for way, (w, bias) in enumerate(self.into):
                self.projected[rows, way] = self.embedding[rows] @ w + bias
        self.ready[todo] = True

    def guess(self, texts: list[str]) -> list[dict[int, Guess]]:
        """The reading of each polyphone of each text, by position."""
        import numpy as np

        where = [[k for k, ch in enumerate(text) if ch in self.choices] for text in texts]
        todo = [j for j, w in enumerate(where) if w]
        out: list[dict[int, Guess]] = [{} for _ in texts]
        if not todo:
            return out
        states = self.states([texts[j] for j in todo])
        hidden = np.concatenate([states_j[where[j]] for j, states_j in zip(todo, states, strict=True)])
        slots = np.array([self.slot[texts[j][k]] for j in todo for k in where[j]], dtype=np.intp)
        inner = np.concatenate(
            [np.maximum(hidden[i : i + _SMALL] @ self.w0 + self.b0, 0) for i in range(0, len(hidden), _SMALL)]
        )
        # only each character's own classes are scored: its columns of the last layer, no BLAS call
        columns = self.columns[slots]
        z = np.einsum("pk,kpw->pw", inner, self.w1[:, columns]) + self.b1[columns]
        z = np.where(self.valid[slots], z, -np.inf)
        best = z.argmax(axis=1)
        # softmax among the character's own classes: the best one's share is 1 / Σ exp(z - z_best)
        share = 1.0 / np.exp(z - z[np.arange(len(z)), best][:, None]).sum(axis=1)
        row = 0
        for j in todo:
            for k in where[j]:
                out[j][k] = Guess(self.choices[texts[j][k]][1][best[row]], float(share[row]))
                row += 1
        return out


@lru_cache(maxsize=1)
def _model() -> _Model | None:
    spec = importlib.util.find_spec("g2pM")
    if spec is None or not spec.submodule_search_locations:
        # a declared dependency: without it every polyphone outside a dictionary word gets its
        # default reading (正当其时 dàng, 一哄而上 hǒng), so say so once rather than read worse quietly
        warnings.warn(
            "the g2pM package is not installed: polyphones get their dictionary default readings "
            "(pip install 'g2pM>=0.1.2.5')",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return _Model(Path(next(iter(spec.submodule_search_locations))))


def available() -> bool:
    """Whether the g2pM package (a declared dependency) is installed."""
    return _model() is not None


def polyphonic(ch: str) -> bool:
    """Whether the model reads `ch` (a character with more than one reading)."""
    model = _model()
    return model is not None and ch in model.choices


#: Rows per matrix product: OpenBLAS runs a product of m × k by k × n on one thread while m·n·k is
#: below 4 · 65536; on more it starts its thread pool, which costs a cold start about 0.15 s of CPU
#: and of wall time (measured: learn extract 1.47 → 1.33 CPU s) and spins on a loaded machine.
_SMALL = 16

_SEEN: dict[str, dict[int, Guess]] = {}
_KEEP = 16_384  # sentences remembered: a text is read once for every term it illustrates
_BATCH = 32  # sentences read side by side (more makes BLAS start threads, slower here)


def guess(text: str) -> dict[int, Guess]:
    """The model's reading of each polyphonic character of `text`, by position."""
    if text not in _SEEN:
        read([text])
    return _SEEN.get(text, {})


def read(texts: list[str]) -> None:
    """Read many sentences at once (see _Model.states), remembering the guesses for guess()."""
    model = _model()
    todo = sorted({t for t in texts if t and t not in _SEEN}, key=len)
    if model is None or not todo:
        return
    if len(_SEEN) + len(todo) > _KEEP:
        _SEEN.clear()
    for i in range(0, len(todo), _BATCH):
        batch = todo[i : i + _BATCH]
        _SEEN.update(zip(batch, model.guess(batch), strict=True))
