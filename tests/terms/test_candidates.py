"""Candidate gathering: counts, neighbours, quotes, lists, dictionary joins, repeated sentences."""

from learn.terms.candidates import gather


def test_counts_neighbours_and_marks():
    text = (
        "各地发展新质生产力。要因地制宜发展新质生产力，坚持“先立后破”。推进高端化、智能化、绿色化。新质生产力是关键。"
    )
    sents, cands = gather(text)
    assert len(sents) == 4
    whole = cands["新质生产力"]
    assert whole.count == 3 and len(whole.tokens) >= 2
    assert sum(whole.right.values()) == 3 and "发展" in whole.left
    assert cands["先立后破"].quoted == 1
    assert cands["智能化"].listed == 1 and cands["绿色化"].listed == 1


def test_dictionary_words_are_joined():
    _, cands = gather("科技赋能产业。科技赋能企业。")
    assert cands["赋能"].tokens == ("赋能",)


def test_verbatim_repeated_sentence_counts_once():
    _, cands = gather("银发经济潜力大。" * 5 + "发展银发经济。")
    assert cands["银发经济"].count == 2


def test_one_off_long_runs_are_not_candidates():
    _, cands = gather("这座城市的老工业基地正在悄悄发生变化。")
    assert not any(len(c.tokens) > 2 for c in cands.values())
