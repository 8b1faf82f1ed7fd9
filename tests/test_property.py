"""Property tests: arbitrary Unicode never makes extract, annotate or the text helpers raise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn.read.text import clean, detect_script, sentences

extract_module = pytest.importorskip("learn.terms.rank")
annotate_module = pytest.importorskip("learn.terms.annotate")

# Text biased towards what real input is made of: common and rare Han, CJK punctuation,
# full-width forms, quotes, digits, Latin, whitespace, plus the odd surrogate-free oddity.
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
RARE_HAN = st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF) | st.characters(
    min_codepoint=0x20000, max_codepoint=0x2A6DF
)
PUNCT = st.sampled_from(list("。，、；：？！“”‘’「」『』（）《》【】…—·～\n\r\t \u3000\ufeff0123456789ＡＢ１２"))
COMMON = st.sampled_from(list("的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年新质生产力先立后破"))
CJKISH = st.text(st.one_of(HAN, COMMON, COMMON, PUNCT, RARE_HAN), max_size=300)
ANY = st.text(max_size=200)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(ANY, CJKISH))
def test_text_helpers_never_raise(text):
    cleaned = clean(text)
    assert detect_script(cleaned) in ("simplified", "traditional")
    for sentence in sentences(cleaned):
        assert sentence and sentence == sentence.strip()


@SETTINGS
@given(st.one_of(ANY, CJKISH))
def test_extract_never_raises(text):
    entries = extract_module.extract(text, top=10)
    assert isinstance(entries, list)
    for entry in entries:
        assert entry.simplified.strip() and entry.key


@SETTINGS
@given(
    st.one_of(st.text(HAN | COMMON, min_size=1, max_size=8), st.text(min_size=1, max_size=8)),
    st.sampled_from(["tw", "hk", "t"]),
)
def test_annotate_never_raises(term, variant):
    entry = annotate_module.annotate(term, text=term + "。", variant=variant)
    assert entry.simplified == term


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(ANY, CJKISH), min_size=1, max_size=3))
def test_corpus_ranking_never_raises(texts):
    from learn.read.text import Document, detect_script
    from learn.terms.corpus import extract_corpus

    docs = [Document(t, f"doc{i}.txt", detect_script(t)) for i, t in enumerate(texts)]
    result = extract_corpus(docs, top=10)
    assert result.pieces == len(texts) and len(result.merged) <= 10
