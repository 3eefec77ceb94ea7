"""themes(): the most frequent meaningful phrases of a group of answers."""

from cyberyouth.insight import themes
from cyberyouth.insight.themes import stopwords

ANSWERS = [
    "Thầy dạy rất nhiệt tình, bài tập nhiều quá",
    "bài tập nhiều, thầy nhiệt tình",
    "Em thấy bài tập khó. Thầy nhiệt tình.",
    "Phòng học nóng, bài tập hay",
    "mạng xã hội làm em mất ngủ",
    "em hay thức khuya vì mạng xã hội",
]


def test_counts_answers_not_occurrences_and_prefers_pairs():
    got = dict(themes(ANSWERS + ["bài tập bài tập bài tập"]))
    assert got["bài tập"] == 5  # five answers mention it, however often
    assert got["nhiệt tình"] == 3
    assert got["mạng xã"] == 2 and got["xã hội"] == 2
    # Their syllables are not listed on their own.
    assert not {"bài", "tập", "nhiệt", "tình"} & set(got)


def test_most_frequent_first_then_vietnamese_order():
    got = themes(ANSWERS)
    counts = [c for _p, c in got]
    assert counts == sorted(counts, reverse=True)
    assert got[0] == ("bài tập", 4)
    assert themes(ANSWERS) == themes(list(reversed(ANSWERS)))  # order of answers does not matter


def test_stop_words_numbers_and_single_mentions_are_not_themes():
    got = dict(themes(ANSWERS + ["thầy và em", "lớp 10 lớp 10"], top=50))
    assert all(w not in stopwords() for p in got for w in p.split())
    assert "phòng học" not in got  # one answer only: not a theme
    assert not any(ch.isdigit() for p in got for ch in p)
    assert dict(themes(ANSWERS, min_count=1, top=50))["phòng học"] == 1


def test_pairs_never_cross_punctuation_and_top_limits():
    got = dict(themes(["nóng, quá tải", "nóng, quá tải"], top=50))
    assert "nóng quá" not in got
    assert len(themes(ANSWERS, top=2)) == 2
    assert themes([]) == [] and themes(["", "!!!"]) == []


def test_a_lone_negation_or_frequency_word_is_not_a_theme():
    got = dict(themes(["không", "không hiểu", "không hiểu bài", "nhiều"] * 2, top=50))
    assert "không hiểu" in got and "không" not in got and "nhiều" not in got
