"""The fast paths (batch lexicon scan, hash-table lookup, batch explanations) give the
same results as the straightforward ones."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberyouth.safety import analyze, analyze_many
from cyberyouth.safety.features import Grams, extract
from cyberyouth.safety.lexicon import load_lexicon
from cyberyouth.safety.model import load_model
from cyberyouth.safety.normalize import normalize

_LEX = load_lexicon()
_PHRASES = sorted(_LEX.entries)[:80] + ["tu tu", "cá", "cát bà", "chết mất", "ngu", "mày"]
_WORDS = st.sampled_from(_PHRASES + ["xin", "chào", "bạn", ",", ".", "!", "😂", "a", "đi"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=12).map(" ".join), min_size=1, max_size=6))
def test_batch_lexicon_scan_equals_single(texts):
    texts = [normalize(t).text for t in texts]
    many = _LEX.match_many(texts)
    for t, hits in zip(texts, many):
        single = _LEX.match_many([t])[0]
        assert hits == single
        for h in hits:
            assert t[h.start : h.end] != ""


def test_lookup_equals_binary_search():
    model = load_model()
    keys = model.keys
    rng = np.random.default_rng(0)
    # Every known key (including those in the table's overflow) and random unknown ones.
    q = np.concatenate([keys, rng.integers(0, 2**63, 50_000, dtype=np.int64).astype(np.uint64), [np.uint64(0)]])
    e = np.zeros(len(q), dtype=np.int64)
    got = model.lookup(Grams(q, e, e, e, np.zeros(len(q), dtype=np.int8), e[:1], e[:1]))
    idx = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
    want = np.where(keys[idx] == q, idx, -1)
    assert np.array_equal(got, want)


def test_explanations_do_not_depend_on_the_batch():
    texts = ["Đm thằng óc chó này ngu vl", "trời đẹp quá", "d.m thang oc cho ngu vl",
             "Bọn mày ngu vl, chơi tài xỉu đi", "", "   ", "😂😂", "cút mẹ mày đi đồ súc vật"]
    many = analyze_many(texts * 3)
    for t, v in zip(texts * 3, many):
        assert v == analyze(t)
        for s in v.spans:
            assert 0 <= s.start < s.end <= len(t)


def test_extract_is_per_text():
    texts = [normalize(t).text for t in ["mày ngu vl", "", "xin chào các bạn", "đ.m"]]
    g = extract(texts)
    for i, t in enumerate(texts):
        gi = extract([t])
        assert np.array_equal(np.sort(g.keys[g.doc == i]), np.sort(gi.keys))


def test_word_pairs_skip_one_word_read_both_typed_forms_and_stay_in_their_text():
    """Kind 3 (the category model's only): pairs of diacritic-free words with one word between
    them — "thằng Nam ngu" and "thang Minh ngu" share one, whatever the name; typed with or
    without diacritics, the same key; never a pair across two texts of a batch. The category
    model's n-grams are the extraction's word n-grams as they are, then the pairs."""
    from cyberyouth.safety.features import SKIP_GAPS, SKIP_KIND, category_grams

    texts = [normalize(t).text for t in ["thằng Nam ngu", "thang minh ngu", "ngu", "nam ngu quá"]]
    plain = extract(texts)
    assert (np.diff(plain.kind) >= 0).all()  # in order of kind: the word n-grams are one slice
    g = category_grams(plain, texts, SKIP_GAPS)
    pairs = g.kind == SKIP_KIND
    assert np.bincount(g.doc[pairs], minlength=4).tolist() == [1, 1, 0, 1]
    k0, k1, k3 = (g.keys[pairs & (g.doc == i)][0] for i in (0, 1, 3))
    assert k0 == k1 != k3
    assert g.span(int(np.flatnonzero(pairs & (g.doc == 0))[0])) == (0, len(texts[0]))
    words = plain.kind > 0
    n = int(words.sum())
    assert not pairs[:n].any() and pairs[n:].all()
    for a in ("keys", "doc", "start", "end", "kind"):
        assert np.array_equal(getattr(g, a)[:n], getattr(plain, a)[words])
    assert np.array_equal(category_grams(plain, texts, ()).keys, plain.keys[words])
    # Two words apart too, and from an extraction that hashed no diacritic-free view (a pass of
    # their own): the same keys.
    two = [normalize(t).text for t in ["thằng Nam học ngu", "thang lan di ngu"]]
    g2 = category_grams(extract(two), two, (1, 2))
    p2 = g2.kind == SKIP_KIND
    assert np.bincount(g2.doc[p2]).tolist() == [3, 3]  # two one word apart, one two apart
    assert len(set(g2.keys[p2 & (g2.doc == 0)]) & set(g2.keys[p2 & (g2.doc == 1)])) == 1  # "thang _ _ ngu"
    bare = extract(texts, strip_orders=())
    assert bare.words is None
    gb = category_grams(bare, texts, SKIP_GAPS)
    assert np.array_equal(gb.keys[gb.kind == SKIP_KIND], g.keys[pairs])


# Phrases and cues looked up from the word n-gram keys (PhraseAnchors) against the regexes.


def _sig_words():
    from cyberyouth.safety.categories import load_signals

    sig = load_signals()
    cues = sorted(sig.phrase_groups)[::7]
    return cues + ["tu tu", "tự tử", "?", "??", "lãi 0%", "lai 0%", "0%x", "a_b", "đánh,nó", "_", "-",
                   "KHÔNG", "ko", "nó", "mày", "xin", ",", ".", "!", "😂", "𝐀", "đi", "chết",
                   # one phrase typed five ways: its own marks, none, half, other marks
                   "thắt cổ", "that co", "thắt co", "thật cô", "thật có", "muon chết"]


_ANCHOR_WORDS = st.sampled_from(_PHRASES + _sig_words())
_SEPS = st.sampled_from([" ", " ", " ", ", ", "", "_", "?", " ? "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(_ANCHOR_WORDS, _SEPS), max_size=14)
                .map(lambda ws: "".join(w + s for w, s in ws)), min_size=1, max_size=8))
def test_phrase_lookup_from_ngrams_equals_regex(texts):
    """The n-gram-key lookup finds exactly the regex's matches: lexicon hits (same order)
    and cue groups, whatever the punctuation, underscores and diacritic-free spellings."""
    from cyberyouth.safety.categories import load_signals

    sig = load_signals()
    texts = [normalize(t).text for t in texts]
    grams = extract(texts, **load_model().orders())
    assert _LEX.match_many(texts, grams) == _LEX.match_many_regex(texts)
    got = sig.groups_many(texts, grams)
    want = sig.groups_many_regex(texts)
    assert [sorted(set(g)) for g in got] == [sorted(set(w)) for w in want]


def test_phrase_lookup_known_cases():
    from cyberyouth.safety.categories import load_signals

    sig = load_signals()
    texts = [normalize(t).text for t in ["bạn ổn không ?", "bạn ổn không?", "vay lãi 0% nha", "lãi 0%x",
                                         "tu tu di", "đánh, nó", "mày liệu hồn", ""]]
    grams = extract(texts, **load_model().orders())
    got = sig.groups_many(texts, grams)
    want = sig.groups_many_regex(texts)
    assert [sorted(set(g)) for g in got] == [sorted(set(w)) for w in want]
    q = sig.groups.index("question")
    assert q in got[0] and q not in got[1]
    assert _LEX.match_many(texts, grams) == _LEX.match_many_regex(texts)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(_ANCHOR_WORDS, _SEPS), max_size=14)
                .map(lambda ws: "".join(w + s for w, s in ws)), min_size=1, max_size=6))
def test_cue_positions_from_ngrams_equal_the_regex_positions(texts):
    """The spans of a flagged category show the cues at the positions the regex finds."""
    from cyberyouth.safety.categories import load_signals

    sig = load_signals()
    texts = [normalize(t).text for t in texts]
    got = sig.positions_many(texts, extract(texts, **load_model().orders()))
    assert got == [list(sig.positions(t)) for t in texts]


def test_key_index_every_level():
    """Keys crowded on the same top bits and the same low bits reach the second table and
    the sorted overflow; every lookup equals a binary search."""
    from cyberyouth.safety.features import KeyIndex

    rng = np.random.default_rng(1)
    top = rng.integers(0, 2**63, 40, dtype=np.int64).astype(np.uint64) & np.uint64(0xFFF0000000000000)
    low = rng.integers(0, 16, 30).astype(np.uint64)
    mid = rng.integers(0, 2**40, 1200, dtype=np.int64).astype(np.uint64) << np.uint64(8)
    keys = np.unique(np.concatenate([top[rng.integers(0, 40, 1200)] | mid | low[rng.integers(0, 30, 1200)],
                                     rng.integers(0, 2**63, 500, dtype=np.int64).astype(np.uint64), [np.uint64(0)]]))
    for dtype in (np.int64, np.int32):
        index = KeyIndex(keys, dtype)
        assert len(index.okeys) > 0 and index.flag2.any()  # all three levels are used
        q = np.concatenate([keys, keys ^ np.uint64(1 << 20), rng.integers(0, 2**63, 5000, dtype=np.int64).astype(np.uint64)])
        idx = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
        assert np.array_equal(index(q), np.where(keys[idx] == q, idx, -1))
    assert np.array_equal(KeyIndex(keys[:0])(q[:3]), [-1, -1, -1])


_NAME_PIECES = ["thằng", "con", "bạn", "em", "bé", "dua", "Nam", "Hà My", "Ánh", "lớp", "lop", " ", "  ", "\n", "\x00",
                "7", "7A2", "9a", "_", ",", "x", "é", "Lan"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_NAME_PIECES) | st.text(max_size=3), max_size=10).map("".join), max_size=6))
def test_named_person_and_class_candidates_equal_the_batch_scan(texts):
    """The patterns run on the candidate texts only find the texts one scan of the joined batch finds."""
    from bisect import bisect_right

    from cyberyouth.safety.categories import _CLASS, _NAMED, _NAMED_HINT, _candidates

    for rx, hint in ((_NAMED, _NAMED_HINT), (_CLASS, None)):
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        want = sorted({bisect_right(starts, m.start()) - 1 for m in rx.finditer("\x00".join(texts))})
        assert [i for i in _candidates(texts, hint) if rx.search(texts[i])] == want
