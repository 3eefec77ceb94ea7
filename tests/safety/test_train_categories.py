"""The category trainer's NB-SVM scaling and per-category loss (thirteenth round): the scale
comes from the rows being fitted, and it is folded into the saved weights, so the artifact
scores with one dot product per category as before."""

import numpy as np
from scipy.sparse import csr_matrix, diags, hstack

from cyberyouth.safety.normalize import strip_diacritics

from cyberyouth.safety.categories import CATEGORIES
from cyberyouth.safety import dataset
from cyberyouth.safety.train_categories import CategoryConfig, _engine, _features, _fit_all, _fit_one, filled_grams, nb_scale


def _toy(seed=0, n=240, V=40):
    """n texts, V n-gram columns (values like the features': 1/sqrt(n-grams in the text)) and
    three dense columns; each category has a few n-grams of its own."""
    rng = np.random.default_rng(seed)
    Y = np.zeros((n, len(CATEGORIES)), dtype=np.int64)
    G = (rng.random((n, V)) < 0.08).astype(float)
    for k in range(len(CATEGORIES)):
        pos = rng.random(n) < 0.15
        Y[pos, k] = 1
        own = [(3 * k + j) % V for j in range(3)]
        G[np.ix_(pos, own)] = (rng.random((pos.sum(), 3)) < 0.6)
    G = G / np.sqrt(np.maximum(G.sum(1, keepdims=True), 1))
    D = rng.random((n, 3))
    return hstack([csr_matrix(G), csr_matrix(D)]).tocsr(), Y, V


def test_nb_scale_weighs_the_telling_ngrams_up_and_has_mean_one():
    # column 0 only in positives, column 1 as often in both, column 2 only in negatives
    G = csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1]], dtype=float))
    y = np.array([1, 1, 0, 0])
    s = nb_scale(G, y, alpha=1.0, power=1.0)
    assert abs(s.mean() - 1.0) < 1e-12
    assert s[0] > s[1] and s[2] > s[1]
    assert abs(s[0] - s[2]) < 1e-12  # |r|: evidence against counts like evidence for
    # a row of weight 0 does not count; the power flattens the scale
    w = np.array([1.0, 1.0, 1.0, 0.0])
    assert not np.allclose(nb_scale(G, y, w, 1.0, 1.0), s)
    G2 = csr_matrix(np.array([[1, 1], [1, 1], [0, 1], [0, 0]], dtype=float))
    assert np.std(nb_scale(G2, y, power=0.5)) < np.std(nb_scale(G2, y, power=1.0))


def test_the_nb_scale_is_folded_into_the_weights():
    """The saved weights score the raw features exactly as the fitted model scores the scaled
    ones: scoring needs no scale (the artifact's scoring path is unchanged)."""
    X, Y, V = _toy()
    cfg = CategoryConfig()
    assert set(cfg.nb_categories) == set(CATEGORIES) - {"personal_data"}
    assert set(cfg.hinge_categories) == {"harassment", "sexual", "violence"}
    W, b = _fit_all(X, Y, cfg, {}, None, V)
    for k, c in enumerate(CATEGORIES):
        s = np.ones(X.shape[1])
        if c in cfg.nb_categories:
            s[:V] = nb_scale(X[:, :V], Y[:, k], None, cfg.nb_alpha, cfg.nb_power)
        hinge = c in cfg.hinge_categories
        w, icpt = _fit_one((X @ diags(s)).tocsr(), Y[:, k], cfg.hinge_C if hinge else cfg.C, cfg.seed, None, hinge)
        assert np.allclose(X @ W[:, k] + b[k], (X @ diags(s)) @ w + icpt, atol=1e-8), c


def test_nb_scaling_and_the_hinge_can_be_switched_off():
    """Without them the trainer is the previous one: a plain logistic regression per category."""
    X, Y, V = _toy(1)
    cfg = CategoryConfig(nb_categories=(), hinge_categories=())
    W, b = _fit_all(X, Y, cfg, {}, None, V)
    for k in range(len(CATEGORIES)):
        w, icpt = _fit_one(X, Y[:, k], cfg.C, cfg.seed, None, False)
        assert np.allclose(W[:, k], w) and abs(b[k] - icpt) < 1e-12
    # with NB scaling the telling n-grams of a category weigh more than without
    W_nb, _ = _fit_all(X, Y, CategoryConfig(hinge_categories=()), {}, None, V)
    own = [0, 1, 2]  # category 0's own n-grams
    assert np.abs(W_nb[own, 0]).sum() > np.abs(W[own, 0]).sum()


def test_masked_columns_stay_at_zero_with_nb_scaling():
    """Masks (framing and affect cues out of self_harm) still hold: the n-gram columns come
    first and are never masked, so the scale lines up with them."""
    X, Y, V = _toy(2)
    k = CATEGORIES.index("self_harm")
    mask = np.ones(X.shape[1], dtype=bool)
    mask[V + 1] = False
    W, _ = _fit_all(X, Y, CategoryConfig(), {k: mask}, None, V)
    assert W[V + 1, k] == 0.0
    assert np.any(W[V + 1, [j for j in range(len(CATEGORIES)) if j != k]] != 0.0)


def test_hinge_categories_are_saved_in_logit_units():
    """The spans' cut-offs are in logit units: a category fitted with the hinge has Platt's
    slope folded into its weights (slope 1 in the artifact)."""
    from cyberyouth.safety.categories import load_category_model

    cm = load_category_model()
    for c in cm.meta["training"].get("hinge_categories", []):
        assert cm.platt_a[CATEGORIES.index(c)] == 1.0, c


def test_the_goal_threshold_also_holds_everyday_comments_within_their_margin():
    """Hard negatives alone let a small category's threshold sink while everyday comments pay:
    with their out-of-fold scores given, no threshold flags more than `everyday_fpr` of them."""
    from cyberyouth.safety.train_categories import _threshold_goal

    y = np.array([1] * 10 + [0] * 90)
    p = np.concatenate([np.linspace(0.05, 0.9, 10), np.full(90, 0.01)])  # the set: separable at 0.05
    everyday = np.concatenate([np.full(950, 0.01), np.full(50, 0.2)])  # 5 % of everyday text at 0.2
    assert _threshold_goal(p, y, 0.92, 0.035) == 0.05
    t = _threshold_goal(p, y, 0.92, 0.035, everyday, 0.01)
    assert t == 0.21 and (everyday >= t).mean() <= 0.01
    assert _threshold_goal(p, y, 0.92, 0.035, everyday, 1.0) == 0.05  # no margin asked: as before


def test_the_goal_threshold_is_fine_where_small_categories_score():
    """A small category's calibrated scores are small: under 0.1 the candidate thresholds step by
    0.0025, so the policy stops where the recall goal is still reached (0.0425), not a quarter
    lower (0.04, the step of 0.01 before the nineteenth round)."""
    from cyberyouth.safety.train_categories import _threshold_goal

    y = np.array([1] * 10 + [0] * 90)
    p = np.concatenate([np.linspace(0.0425, 0.3, 10), np.full(90, 0.01)])
    assert _threshold_goal(p, y, 0.92, 0.035) == 0.0425


def test_a_partial_row_is_no_negative_for_the_categories_it_does_not_judge():
    """A moderator's confirmation names one category: category k is fitted on the rows that
    say something about k — exactly as if the rows judging other categories only were absent."""
    from cyberyouth.safety.dataset import Example
    from cyberyouth.safety.train_categories import _known

    X, Y, V = _toy(seed=3)
    n = X.shape[0]
    partial = np.arange(n) % 5 == 0  # every fifth text: only its first category (0) was judged
    Y[partial, 0] = 1
    examples = [Example("t", frozenset(c for k, c in enumerate(CATEGORIES) if Y[i, k] and (not partial[i] or k == 0)),
                        "", str(i), "original", bool(partial[i])) for i in range(n)]
    known = _known(examples)
    assert known[~partial].all() and known[partial, 0].all() and not known[partial, 1:].any()
    weight = np.linspace(0.5, 1.5, n)
    cfg = CategoryConfig()
    W, b = _fit_all(X, Y, cfg, {}, weight, V, known)
    rest = np.flatnonzero(~partial)
    W_rest, b_rest = _fit_all(X[rest], Y[rest], cfg, {}, weight[rest], V)
    W_all, _ = _fit_all(X, Y, cfg, {}, weight, V)
    for k in range(1, len(CATEGORIES)):
        assert np.allclose(W[:, k], W_rest[:, k]) and b[k] == b_rest[k]
    assert np.allclose(W[:, 0], W_all[:, 0])  # the judged category uses every row
    assert not np.allclose(W[:, 1], W_all[:, 1])  # (and the mask does change the others)


def test_a_weight_per_category_weighs_that_category_s_fit_only():
    """`ordinary_weight_by` gives the everyday comments another weight in a category's fit (here
    self-harm's): the fit gets an (n, 8) weight, and each category is fitted exactly as with its
    own column — the others as before."""
    X, Y, V = _toy(seed=5)
    n = X.shape[0]
    base = np.where(np.arange(n) < n - 60, 1.0, 0.5)  # the last 60 rows: "everyday comments"
    heavy = np.where(np.arange(n) < n - 60, 1.0, 3.0)
    k = CATEGORIES.index("self_harm")
    weight = np.tile(base[:, None], (1, len(CATEGORIES)))
    weight[:, k] = heavy
    cfg = CategoryConfig()
    W, b = _fit_all(X, Y, cfg, {}, weight, V)
    W_base, b_base = _fit_all(X, Y, cfg, {}, base, V)
    W_heavy, b_heavy = _fit_all(X, Y, cfg, {}, heavy, V)
    assert np.allclose(W[:, k], W_heavy[:, k]) and b[k] == b_heavy[k]
    assert not np.allclose(W[:, k], W_base[:, k])
    for j in range(len(CATEGORIES)):
        if j != k:
            assert np.allclose(W[:, j], W_base[:, j]) and b[j] == b_base[j]


def test_metrics_skip_what_a_partial_row_did_not_judge():
    from cyberyouth.safety.train_categories import category_metrics

    Y = np.zeros((3, len(CATEGORIES)), dtype=np.int64)
    Y[0, 1] = 1  # confirmed sexual, partial
    pred = np.zeros_like(Y)
    pred[0, 0] = pred[0, 1] = 1  # also flagged harassment: not judged, so not a false positive
    pred[2, 0] = 1  # a harmless text flagged harassment
    known = np.ones(Y.shape, dtype=bool)
    known[0] = False
    known[0, 1] = True
    m = category_metrics(Y, pred, known)
    h = m["per_category"]["harassment"]
    assert (h["fp"], h["fpr"]) == (1, 0.5)  # one of the two texts judged for harassment
    assert m["per_category"]["sexual"]["recall"] == 1.0
    assert m["n_harmless"] == 2 and m["harmless_flagged"] == 0.5


def test_a_new_file_leaves_every_earlier_group_in_its_fold():
    """Folds come from a hash of each group alone: adding a file's groups moves no other group
    (dealt round-robin, a new file reshuffled the folds and the small categories' thresholds
    jumped with them); a group's texts share one fold; the folds are about equal."""
    from cyberyouth.safety.train_categories import _group_folds

    old = [f"harm_wave9:{i}" for i in range(2000) for _ in range(2)]
    new = old + [f"harm_wave99:{i}" for i in range(500)]
    before, after = _group_folds(old, 5, 13), _group_folds(new, 5, 13)
    assert (after[:len(old)] == before).all()
    assert (before[0::2] == before[1::2]).all()
    sizes = np.bincount(before[0::2], minlength=5)
    assert sizes.min() > 350 and sizes.max() < 450, sizes
    assert not (_group_folds(old, 5, 7) == before).all()


def test_the_words_a_placeholder_was_filled_with_are_left_out_of_the_fit():
    """Every n-gram touching the name a line's {ten} was filled with — in the line and in its
    typed forms — and no other n-gram is left out; rows that are no line of the set keep all of
    theirs. (Harms name a classmate far more often than harmless lines do: the pool's names had
    learnt harassment, and a comment that is only a friend's name tagged was flagged.)"""
    named = [ex for ex in dataset.split("train") if ex.variant == "original" and dataset.fills(ex.group)][:4]
    rows = named + dataset.every_variant(named)
    texts = [ex.text for ex in rows] + ["Lam Thuy Vy ơi vào xem này"]
    groups = [ex.group for ex in rows] + ["ordinary:x"]
    f, prep = _features(_engine((1, 2)), texts, (1, 2), 9)
    out = filled_grams(f, prep, groups, CategoryConfig().neutral_placeholders)
    g = prep.grams
    seen = 0
    for j in range(len(out)):
        d = int(f.gram_doc[j])
        s, e = g.span(int(f.gram_idx[j]))
        gram = prep.norms[d].text[s:e]
        if d == len(rows):
            assert not out[j]
            continue
        name_words = {w for name in dataset.fills(groups[d]) for w in strip_diacritics(name.lower()).split()}
        touches = bool(set(strip_diacritics(gram).split()) & name_words)
        assert out[j] == touches, (texts[d], gram)
        seen += out[j]
    assert seen > 20
    assert CategoryConfig().neutral_placeholders == ("{ten}", "{ten2}", "{ten_ascii}")
