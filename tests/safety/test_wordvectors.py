"""Word vectors from unlabelled text (eleventh round): deterministic, words of the same contexts
meet, the fold into per-word weights is exact, self-harm never sees them, and a word the
labelled set never showed carries the weight its vector learned. The corpora here are written
by the tests themselves."""

import numpy as np
import pytest

from cyberyouth.safety.categories import CATEGORIES, load_category_model
from cyberyouth.safety.engine import Engine
from cyberyouth.safety.train_categories import CategoryConfig, _design, _fold_words, _vector_masks
from cyberyouth.safety.wordvectors import corpus_texts, load_corpus, word_key, word_keys, word_occurrences, word_vectors

# A small corpus: "đấm", "đạp", "tát" share their contexts, as do "ăn", "uống", "nấu";
# the rest is filler so that every word is seen often.
_SUBJ = ("tao", "nó", "thằng kia", "bọn nó", "con bé")
_HIT = ("đấm", "đạp", "tát")
_EAT = ("ăn", "uống", "nấu")


def _corpus() -> list[str]:
    out = []
    for s in _SUBJ:
        for v in _HIT:
            out += [f"{s} {v} vào mặt nó chảy máu", f"hôm qua {s} {v} nó ngã xuống đất", f"{s} bị {v} đau lắm"]
        for v in _EAT:
            out += [f"{s} {v} cơm với canh rau", f"trưa nay {s} {v} bún chả ngon lắm", f"{s} thích {v} phở bò"]
    return out


def _cos(E, keys, a: str, b: str) -> float:
    ia = int(np.searchsorted(keys, np.uint64(word_key(a))))
    ib = int(np.searchsorted(keys, np.uint64(word_key(b))))
    assert keys[ia] == word_key(a) and keys[ib] == word_key(b)
    return float(E[ia] @ E[ib])


def test_word_vectors_are_deterministic_and_unit_length():
    texts = _corpus()
    k1, e1 = word_vectors(texts, dim=8, min_count=3)
    k2, e2 = word_vectors(list(texts), dim=8, min_count=3)
    assert np.array_equal(k1, k2) and np.array_equal(e1, e2)
    assert np.all(np.diff(k1.astype(np.float64)) >= 0) and k1.dtype == np.uint64
    assert np.allclose(np.linalg.norm(e1, axis=1), 1.0)


def test_words_of_the_same_contexts_meet():
    keys, E = word_vectors(_corpus(), dim=8, min_count=3)
    for a in _HIT:
        for b in _HIT:
            if a != b:
                assert _cos(E, keys, a, b) > _cos(E, keys, a, "ăn") + 0.2, (a, b)
    assert _cos(E, keys, "ăn", "uống") > _cos(E, keys, "ăn", "đạp") + 0.2


def test_word_keys_are_the_toxicity_models_word_unigram_keys():
    from cyberyouth.safety.features import extract

    g = extract(["tao đạp nó"])
    k, d = word_keys(["tao đạp nó"])
    assert set(k.tolist()) <= set(g.keys[g.kind == 1].tolist()) and len(k) == 3 and list(d) == [0, 0, 0]
    assert word_key("Đạp") == word_key("đạp") != word_key("dap")


def test_corpus_reads_each_datasets_text_column_and_ignores_labels(tmp_path):
    (tmp_path / "a.csv").write_text("free_text,label_id\nmột hai,0\nba bốn,2\n", "utf-8")
    (tmp_path / "b.csv").write_text(",Comment,Toxicity\n0,năm sáu,1\n1,một hai,0\n", "utf-8")
    (tmp_path / "c.csv").write_text("sentence,sentiment,topic\nbảy tám,2,0\n", "utf-8")
    (tmp_path / "d.csv").write_text(',content,index_spans\n0,chín mười,"[1, 2]"\n', "utf-8")
    paths = [str(tmp_path / f"{n}.csv") for n in "abcd"]
    got = corpus_texts(paths)
    assert sorted(got) == ["ba bốn", "bảy tám", "chín mười", "một hai", "năm sáu"]
    assert corpus_texts(paths[::-1]) == got  # independent of file order
    assert load_corpus(paths, ["một hai", "mười một"]) == got + ["mười một"]
    (tmp_path / "e.csv").write_text("x,y\n1,2\n", "utf-8")
    with pytest.raises(ValueError):
        corpus_texts([str(tmp_path / "e.csv")])


def test_the_fold_into_per_word_weights_is_exact():
    """Summed word vectors times their weights = the words' folded weights looked up as n-grams:
    the shipped artifact carries no vectors, only one more weight per word."""
    keys, E = word_vectors(_corpus(), dim=6, min_count=3)
    texts = ["tao đạp nó ngã", "hôm nay ăn phở bò ngon", "con bé bị tát đau", "không có từ nào"]
    f = Engine(category_model=False).prepare(texts).features
    n = len(texts)
    rng = np.random.default_rng(0)
    vocab = np.unique(f.gram_key)[::3]  # some n-grams, some of them the words themselves
    w_gram = rng.normal(size=(len(vocab), len(CATEGORIES)))
    w_vec = rng.normal(size=(E.shape[1], len(CATEGORIES)))
    cfg = CategoryConfig(vector_scale=0.7)
    X = _design(f, n, vocab, np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), cfg, (keys, E)).toarray()
    V, Dm = len(vocab), E.shape[1]
    direct = X[:, :V] @ w_gram + X[:, V:V + Dm] @ w_vec
    fk, fw = _fold_words(vocab, w_gram, keys, (E @ w_vec) * cfg.vector_scale)
    # the folded table used as the n-gram vocabulary
    idx = np.searchsorted(fk, f.gram_key)
    np.minimum(idx, len(fk) - 1, out=idx)
    ok = fk[idx] == f.gram_key
    from cyberyouth.safety.categories import present_once

    d, c, v = present_once(f.gram_doc[ok], idx[ok], f.gram_val[ok], len(fk))
    folded = np.zeros((n, len(CATEGORIES)))
    np.add.at(folded, d, fw[c] * v[:, None])
    assert np.allclose(direct, folded)
    dw, cw, vw = word_occurrences(keys, f)
    assert set(dw.tolist()) <= {0, 1, 2, 3} and len(set(zip(dw.tolist(), cw.tolist()))) == len(dw)


def test_self_harm_never_sees_the_word_vectors():
    n_cols, V, Dm = 30, 10, 5
    for cats in (("sexual", "violence"), tuple(CATEGORIES)):
        masks = _vector_masks({}, n_cols, V, Dm, cats)
        sh = masks[CATEGORIES.index("self_harm")]
        assert not sh[V:V + Dm].any() and sh[:V].all() and sh[V + Dm:].all()
        for k, c in enumerate(CATEGORIES):
            if c in cats and c != "self_harm":
                assert k not in masks or masks[k][V:V + Dm].all()
            else:
                assert not masks[k][V:V + Dm].any()
    # an existing mask (framing dropped for self_harm) is kept and extended, not replaced
    base = np.ones(n_cols, dtype=bool)
    base[V + Dm + 2] = False
    masks = _vector_masks({CATEGORIES.index("self_harm"): base}, n_cols, V, Dm, ("violence",))
    assert not masks[CATEGORIES.index("self_harm")][V + Dm + 2]
    assert CategoryConfig().vector_categories and "self_harm" not in CategoryConfig().vector_categories


# ------------------------------------------------------------ the shipped artifact

def _shipped_uses_vectors() -> bool:
    return "vector_dim" in load_category_model().meta.get("training", {})


def test_the_shipped_artifact_records_its_word_vectors():
    meta = load_category_model().meta["training"]
    assert _shipped_uses_vectors()
    assert meta["vector_categories"] == ["sexual", "violence"]
    assert meta["unlabelled"] == ["vihsd/train.csv", "victsd/train.csv", "uit-vsfc/train.csv", "vihos/train.csv"]


def test_a_word_the_set_never_shows_lifts_violence_through_its_vector():
    """"húc" (to butt, to ram) is in no text of our labelled set; the unlabelled comments put it
    near the words of fights, so its unigram key carries a violence weight, and a threat made
    with it scores higher than the same threat with a filler word the table does not know."""
    from cyberyouth.safety import dataset
    from cyberyouth.safety.normalize import normalize

    assert not any("húc" in normalize(ex.text).text.split() for ex in dataset.load())
    m = load_category_model()
    k = CATEGORIES.index("violence")
    col = m.lookup(np.array([word_key("húc")], dtype=np.uint64))[0]
    assert col >= 0 and m.w_gram[col, k] > 0.5
    e = Engine()
    with_word = e.analyze("mai ra cổng trường tao húc cho mày một trận")
    filler = e.analyze("mai ra cổng trường tao zzqx cho mày một trận")
    assert with_word.categories["violence"] > filler.categories["violence"]


@pytest.mark.parametrize("text", [
    "tao không muốn sống nữa, tối nay tao sẽ uống hết chỗ thuốc này",
    "tao chán lắm rồi, chắc tao biến mất thì mọi người nhẹ nhõm hơn",
    "mình muốn tự tử, nhảy từ tầng thượng xuống cho xong",
])
def test_self_harm_stays_urgent_with_fight_words_around(text):
    v = Engine().analyze(text + ", bị bọn nó đánh đạp mãi rồi")
    assert v.urgent and "self_harm" in v.flags
