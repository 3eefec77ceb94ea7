"""Training and evaluation of the category model (scikit-learn at training time only).

Steps, deterministic:
  1. the train split of the project's set (dataset.py), plus any labelled CSVs given;
  2. features from the engine itself (`Engine.prepare` → categories.featurize), so
     training and inference cannot drift;
  3. vocabulary: word / diacritic-free word n-grams in >= `min_df` training lines (a line's
     typed forms count once);
     cue pairs seen together in >= `min_pair` training texts;
  4. per category, an L2 logistic regression (liblinear, balanced classes) on
     [n-grams, dense cues × `dense_scale`, cue pairs × `pair_scale`]; for self_harm the
     framing cues and the friendly-register (affect) cues are left out (their weights stay 0);
     each category's n-gram columns scaled by its naive-Bayes log-count ratio (NB-SVM,
     `nb_categories`), harassment, sexual and violence with the squared hinge loss
     (`hinge_categories`); the scale is folded into the saved weights (same scoring path);
  5. grouped 5-fold cross-validation on train (a text and its variants in the same fold):
     out-of-fold scores → Platt calibration per category → the threshold per category
     (the highest threshold whose out-of-fold recall reaches `goal_recall` within
     `goal_fpr`; or the F1-best one with `threshold_policy="f1"`). Dev is never used to fit,
     calibrate or choose thresholds. Ordinary comments (`ordinary`, e.g. ViHSD train's clean
     rows) join the fit as harmless texts at a low weight (higher in some categories' fits), and so
     do every train line's typed forms (no diacritics, teencode) the set left out
     (`every_variant`), its counterfactual copies (laughter, an address word, a particle, tags)
     and a copy of each of those texts with a word in ten left out (`dropout_variant`);
     calibration and thresholds use the set's out-of-fold scores only;
  6. save categories.npz + categories.json; dev metrics come from the saved artifact
     through the engine (`evaluate`), so `safety eval --categories` reproduces them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import dataset
from .categories import KEY_BITS, WORD_PAIRS_FILE, CATEGORIES, CategoryModel, dense_names, grams_overlapping, pair_products, present_once, saved_keys
from .features import SKIP_GAPS, SKIP_KIND

__all__ = ["CategoryConfig", "train_categories", "evaluate", "category_metrics"]


@dataclass
class CategoryConfig:
    # Sixth round: C = 8 with the cues at half scale (grouped CV on train: mean recall at the
    # goal thresholds 0.846 -> 0.885, everyday comments flagged out of fold 10.8 % -> 9.2 %):
    # the n-grams were over-regularised next to the dense cues.
    C: float = 8.0
    dense_scale: float = 0.5
    pair_scale: float = 0.5
    min_df: int = 2
    min_pair: int = 3
    # Thirty-first round: 3 too — pairs of diacritic-free words with a word between them
    # (features.SKIP_KIND), each worth skip_scale of an n-gram. On the rounds a yardstick model is
    # trained without (13-14), recall at FPR 0.05 rose for every category (harassment 0.655 ->
    # 0.676, sexual 0.880 -> 0.896, violence 0.844 -> 0.869); at scale 1 dev lost as much as the
    # held-out rounds gained (harassment 0.706 -> 0.681, violence 0.855 -> 0.829): a back-off, not a
    # second copy of the bigrams. Model card history, "Thirty-first round".
    kinds: tuple[int, ...] = (1, 2, 3)
    skip_scale: float = 0.5
    folds: int = 5
    seed: int = 13
    # "goal": per category, the highest threshold whose out-of-fold recall reaches
    # goal_recall while the out-of-fold FPR stays within goal_fpr (margins under the
    # issue's 0.90 / 0.05); "f1": the F1-best threshold. Categories in recall_first always
    # use "goal": the helpline's triage depends on self-harm recall most of all. Since the
    # fifth round "goal" is the policy for every category: "f1" left every category's recall
    # under 0.90 and harassment's FPR over 0.05; "goal" serves the two goals at the
    # cost of more hard negatives flagged (model card, "Categories").
    threshold_policy: str = "goal"
    recall_first: tuple[str, ...] = ("self_harm",)
    goal_recall: float = 0.92
    goal_fpr: float = 0.035
    # Fourteenth round: the goal policy also holds each category's share of everyday comments
    # flagged (out of fold) within goal_everyday_fpr, recall_first categories excepted. Our set's
    # negatives are hard negatives only: as rounds were added, the small categories' thresholds
    # drifted down within the set's FPR margin while everyday comments paid (drugs 0.08 -> 0.02,
    # everyday comments flagged drugs 0.8 % -> 2.1 %).
    goal_everyday_fpr: float = 0.01
    # Ordinary comments (a CSV whose rows labelled clean are taken as harmless for every
    # category), weighted `ordinary_weight` each: our set's harmless texts are all hard
    # negatives, so without them everyday words ("anh", "em", "ảnh", "kèo") drift towards
    # harms. At most `ordinary_n` rows, chosen by a hash of the text (deterministic).
    # They weigh in the fit only: calibration and thresholds use our set's out-of-fold scores.
    # Since the sixth round also students' own words (UIT-VSFC train, feedback on teaching) and
    # 9,000 rows: grouped CV chose 9,000 over 6,000 (everyday rows flagged out of fold 7.9 % →
    # 6.1 %, macro-F1 0.725 → 0.744); students' feedback flagged on UIT-VSFC dev 8.8 % → 2.5 %.
    # Sixteenth round: also UIT-ViCTSD train's clean news comments, 12,000 rows in all. Grouped CV
    # on train, seeds 13 / 7 / 29, recall at FPR 0.05 (harassment, sexual, violence, self-harm), mean
    # of the seeds: 9,000 rows of ViHSD + UIT-VSFC .698 / .884 / .800 / .871; 12,000 of them .692 /
    # .891 / .813 / .870; 12,000 with ViCTSD .702 / .889 / .812 / .868; 16,000 with ViCTSD .701 /
    # .887 / .799 / .870. On text from elsewhere (the datasets' dev splits), with ViCTSD: any flag
    # on ViHSD clean comments 10.0 % -> 9.1 %, UIT-VSFC 2.1 % -> 1.5 %, ViCTSD non-toxic 13.1 % ->
    # 10.4 % (self-harm 119 -> 77 of 1,768: long news comments about cars, prices, deaths by
    # accident). Of the 12,000, 3 mention a suicide.
    ordinary: tuple[str, ...] = ()
    ordinary_n: int = 12000
    # Twenty-second round: 0.3 -> 0.5 with the dropout copies, which double the set's rows in the
    # fit (everyday comments flagged otherwise rose by 1-2 points; model card history).
    ordinary_weight: float = 0.5
    # Per category, another weight for the ordinary comments (pairs of category and weight); the
    # categories' fits are independent, so each weight moves its own category only.
    # Thirtieth round. Self-harm 3.0: its threshold is chosen by recall alone (`recall_first`: no
    # everyday bound, framing never hides it), so its everyday alarms — each one urgent — can only
    # be taught away in the fit: "cùng một dòng sông", "không bao giờ hết mực". Everyday comments
    # flagged self-harm ViHSD clean 73 -> 45 of 2,190, ViCTSD 84 -> 41 of 1,768, UIT-VSFC 6 -> 2;
    # dev self-harm the same 0.916 / 0.027 (ranking 0.940 -> 0.937); held out (rounds 13-14) 0.802 /
    # 0.041 -> 0.807 / 0.040, ranking 0.824 -> 0.837. 6.0: ViHSD 40, but dev 0.907.
    # Sexual and violence 1.0: their thresholds were held by the everyday bound with the set's FPR
    # margin unused; with everyday comments learnt better the bound lets them fall until violence's
    # out-of-fold FPR meets its cap (0.028 -> 0.035). Grouped CV sexual 0.834 / 0.025 -> 0.846 / 0.030,
    # violence 0.749 / 0.028 -> 0.771 / 0.035; dev 0.825 / 0.015 -> 0.841 / 0.017 and 0.782 / 0.028 ->
    # 0.802 / 0.033; held out 0.808 / 0.024 -> 0.837 / 0.030 and 0.784 / 0.030 -> 0.805 / 0.035, the
    # rankings the same. Harassment stays 0.5: at 1.0 (0.598 -> 0.637 in CV) its FPR on the held-out
    # rounds went 0.042 -> 0.051, over the goal. Heavier still (2.0-3.0): no higher rankings, more
    # of the set's hard negatives flagged (model card history, "Thirtieth round").
    ordinary_weight_by: tuple[tuple[str, float], ...] = (("sexual", 1.0), ("violence", 1.0), ("self_harm", 3.0))
    # Tenth round: the friendly-register cues (signals.json "affect_groups": laughter, shared
    # plans, thanks and praise, teasing, soft particles) are features of these categories only
    # (never of self_harm): they tell banter from hostility when both say "mày/tao". Twenty-eighth
    # round: not of violence. A threat is no less a threat for a laugh after it, and with the veiled
    # threats of the twenty-fifth written round found just over the threshold, laughter took them
    # under it (dev violence with ":v" appended 0.796 -> 0.740, with "=)))))" 0.773; on one threat
    # 0.77 -> 0.61 with "=))"). Without: 0.795 -> 0.763 and 0.794, dev violence 0.795 / 0.030
    # against 0.796 / 0.031, everyday comments flagged the same (ViHSD clean 10.7 %).
    affect_categories: tuple[str, ...] = ("harassment", "sexual")
    # Thirteenth round (issue #18, the ranking of the weak three): NB-SVM (Wang & Manning 2012).
    # Per category, each n-gram column is multiplied by |r|^nb_power, r its log-count ratio
    # (presence in the category's positives vs its negatives, sample-weighted, + nb_alpha),
    # computed from the rows being fitted only (inside each fold in CV), the scales normalised to
    # mean 1; the fitted weight times the scale is what is saved, so scoring is unchanged.
    # Informative n-grams are regularised less than the 60,000 rare ones. Grouped CV on train
    # (seeds 13 / 7), with the hinge below: partial AUC at FPR <= 0.05 harassment 0.750 -> 0.768 /
    # 0.744 -> 0.768, sexual 0.845 -> 0.875 / 0.826 -> 0.854, violence 0.785 -> 0.794 / 0.791 ->
    # 0.809; macro-F1 0.745 -> 0.761 / 0.711 -> 0.739; everyday comments flagged out of fold
    # 4.7 % -> 4.3 % / 6.3 % -> 5.3 %. Left out of self_harm, everyday comments flagged rose at
    # seeds 13, 7 and 29: self_harm has it. Not personal_data: there it split the seeds (CV
    # macro-F1 +0.009 at 7, -0.002 at 13, -0.004 at 29) and it weighs up the set's placeholder
    # school names and notices ("Cát Bà", "phòng học"), which flagged two hard negatives.
    nb_categories: tuple[str, ...] = tuple(c for c in CATEGORIES if c != "personal_data")
    nb_power: float = 0.5
    nb_alpha: float = 1.0
    # Thirteenth round: on the NB-scaled columns, the squared hinge (liblinear's L2 SVM, C =
    # hinge_C; Platt turns its margins into probabilities as before) against the logistic loss:
    # sexual ranked higher at seeds 13, 7, 29 (partial AUC +0.016 / +0.014 / +0.010), harassment
    # and violence within ± 0.004, macro-F1 +0.003 / 0.000 / +0.003 and fewer everyday comments
    # flagged at all three; for all eight categories, seed 13's macro-F1 fell (0.756 -> 0.745) and
    # everyday comments flagged rose (4.6 % -> 4.9 %), so the other five keep the LR.
    hinge_categories: tuple[str, ...] = ("harassment", "sexual", "violence")
    # Sixteenth round: C 1 -> 0.5 (with every_variant below and the twelfth written round; grouped
    # CV on train, seeds 13 / 7 / 29): recall at FPR 0.05 harassment +0.010 / +0.005 / +0.007,
    # sexual +0.005 / +0.002 / +0.003, violence +0.006 / +0.001 / +0.008; macro-F1 +0.002 / +0.002
    # / +0.001; everyday comments flagged +0.2 points. 0.25 was a plateau with more everyday flags.
    hinge_C: float = 0.5
    # Sixteenth round: every train line joins the fit in both typed forms, without diacritics and
    # in teencode (dataset.every_variant), not only the one in three / one in four the set gives it;
    # like ordinary comments, in the fit only (calibration and thresholds use the set's texts, so
    # the figures compare). Grouped CV on train, measured on the set's texts, seeds 13 / 7 / 29:
    # recall at FPR 0.05 sexual +0.012 / +0.023 / +0.021, violence +0.010 / +0.015 / +0.024,
    # harassment -0.003 / +0.019 / +0.014; recall at the thresholds up for all four weak
    # categories at every seed; macro-F1 +0.023 / +0.031 / +0.014; everyday comments flagged
    # +0.3 / +0.3 / +0.2 points. No-diacritics forms alone did as well for harassment with fewer
    # everyday flags, less for sexual and violence.
    every_variant: bool = True
    # Twentieth round: every train line joins the fit twice more, same labels, in the fit only:
    # with laughter appended (dataset.laughter_variant: a form of signals.json's laughter group)
    # and with an address word first or a soft particle last (dataset.register_variant). Our
    # texts laugh and say "nhé" more in banter than in harms, so the model had learnt them as
    # signs of banter: "😂😂" appended to every dev text took harassment recall 0.517 -> 0.359 and
    # violence 0.783 -> 0.576, "bạn ơi " first harassment -> 0.287, " nhé" last -> 0.423. With
    # both copies: 0.510, 0.776, 0.498, 0.485 (plain 0.512); the plain dev figures within 0.01;
    # grouped CV harassment recall 0.613 -> 0.592; everyday comments flagged ViHSD clean 6.9 % ->
    # 7.5 %. scripts/safety_perturbations.py measures them; the model card history has the table.
    laughter_variant: bool = True
    # Twenty-first round: the register copies are two per line (an address first *and* a particle
    # last), the address words include "ê mày" and "ê ê", and a third copy ends with one or two
    # platform tags (dataset.tag_variant: "#xuhuong" appended took harassment recall 0.512 -> 0.620
    # and FPR 0.023 -> 0.034; "ê mày" first violence FPR 0.033 -> 0.089). With them: 0.525 / 0.025,
    # 0.050; plain dev within 0.01; everyday comments flagged 7.5 -> 7.8 % (ViHSD clean dev).
    register_variant: bool = True
    tag_variant: bool = True
    # Twenty-second round: every text of the fit once more with about one word in ten left out
    # (dataset.dropout_variant), a fit row of these categories only: the small four kept theirs
    # (with copies, their thresholds rose — scam 0.11 -> 0.25, drugs 0.0425 -> 0.055 — and dev lost
    # a scam and three drug texts). Measurements in the model card history, "Twenty-second round".
    dropout_categories: tuple[str, ...] = ("harassment", "sexual", "violence", "self_harm")
    # Weights under prune_below are saved as 0 (sixteenth round: n-grams under it in every category
    # dropped; since the nineteenth, each weight under it: the written rounds took the file over 2 MB,
    # 2.18 MB, and two thirds of the entries are that small — 1.6 MB, every dev figure the same to the
    # third decimal but one text). Twenty-second round: 0.015 — the dropout copies spread weight
    # over more n-grams (2.06 MB); at 0.015 1.95 MB, the same dev recall everywhere, one more false
    # drugs flag. Twenty-fifth round: 0.0175 — written rounds 18-20 took it to 2.01 MB at 0.015; 1.97
    # MB. Twenty-sixth round: 0.0275 — rounds 21-22 (drugs and gambling, 1,209 lines) took it to
    # 2.16 MB at 0.0175 and 2.11 MB at 0.02; at 0.0275 1.98 MB (1.996 MB with the round's last two
    # files), every dev figure the same to the third decimal (violence's FPR 0.033 -> 0.032); at
    # 0.03 sexual lost a text. Twenty-seventh round: 0.029 — the twenty-fourth written round took it
    # to 2.004 MB at 0.0275; 1.983 MB, dev the same to the third decimal. Twenty-eighth round: 0.04
    # — the twenty-fifth written round (1,230 lines) took it to 2.07 MB at 0.029, 2.05 at 0.033 and
    # 2.015 at 0.036. Twenty-ninth round: 0.05 — the twenty-sixth written round (1,370 lines) took
    # it to 2.10 MB at 0.04 and 2.03 at 0.046; 1.99 MB, dev the same but one sexual text (0.825 ->
    # 0.824).
    prune_below: float = 0.05
    # Seventeenth round: an n-gram of a text is worth 1/sqrt(max(n-grams of its kind, min_grams)).
    # With 1, a one-word text's single n-gram weighed fully: "o" (read "ở", where someone lives)
    # scored personal data 0.99, "Nooo" (read "nó") harassment 0.93, "ờ"/"ồ" personal data 0.46.
    # Grouped CV on train (seeds 13 / 7 / 29, means of recall at FPR 0.05 harassment / sexual /
    # violence / self-harm; everyday comments flagged out of fold): 1 .703 / .885 / .816 / .869,
    # 5.6 %; 4 .703 / .886 / .816 / .868, 5.5 %; 9 .704 / .886 / .818 / .869, 5.4 %; 16 .700 / .886
    # / .815 / .870, 5.2 %. 9 (one n-gram of a text of up to 4 words weighs 1/3): on ViHSD's clean
    # dev comments of <= 3 words, flagged 26 -> 8 of 329.
    min_grams: int = 9
    # Twenty-seventh round: the n-grams of the words a line's placeholders were filled with (a name)
    # are left out of the fit — every n-gram overlapping one, in every form of the line. The names
    # are drawn from a pool, and harms name a classmate far more often than harmless lines do, so
    # each name's own n-grams had learnt harassment ("vy" +0.95, "hưng" +1.13): a comment that is only
    # a friend's name tagged ("Lam Thuy Vy", "Việt Hưng") scored 0.75. A name says who, not what.
    # Dev, which names other children (the same 5,090 texts): harassment 0.534 / 0.023 -> 0.612 /
    # 0.028 at the thresholds, the ranking within 0.011; names alone no longer flagged. Held out,
    # with names neither pool holds, the ranking fell (0.633 -> 0.599 at FPR 0.05, 0.612 with the
    # twenty-fourth written round's named harmless lines): the named-person cue and length took the
    # names' weight (model card history, "Twenty-seventh round"). Classes and schools left out too, or only
    # the n-grams inside a name: the same within a text or two.
    neutral_placeholders: tuple[str, ...] = dataset.NAME_PLACEHOLDERS
    # Files of the set left out of training (shell-style patterns of their names, e.g. "*wave13*"):
    # a model trained without them is judged on every text of them (`held_out_metrics`), as on a new
    # writer's texts — the yardstick of the twenty-second round. Never set for the shipped model.
    hold_out: tuple[str, ...] = ()


def _engine(kinds):
    from .categories import load_signals
    from .engine import Engine

    e = Engine(category_model=False, signals=load_signals())
    e.skip_gaps = SKIP_GAPS if SKIP_KIND in kinds else ()
    return e


def _features(engine, texts: list[str], kinds, min_grams: int = 1, skip_scale: float = 1.0):
    """The features of `texts` and the engine's preparation of them (its n-grams' offsets)."""
    prep = engine.prepare(texts)
    f = prep.features
    if tuple(kinds) != (1, 2) or min_grams != 1 or skip_scale != 1.0:
        from .categories import featurize

        f = featurize([n.text for n in prep.norms], texts, prep.grams, prep.scored.probs,
                      prep.lex_scores, prep.pii, prep.exposure, engine.signals, tuple(kinds), min_grams=min_grams,
                      skip_scale=skip_scale)
    return f, prep


def filled_grams(f, prep, groups: list[str], placeholders: tuple[str, ...]) -> np.ndarray:
    """Per n-gram occurrence of `f`: whether it overlaps a word the text's line filled one of
    `placeholders` with (found in the normalised text, with or without diacritics, every
    occurrence). Rows whose group is no line of the set (ordinary comments, CSV rows) have none."""
    from .normalize import strip_diacritics

    spans: list[list[tuple[int, int]]] = [[] for _ in groups]
    for i, group in enumerate(groups):
        words = dataset.fills(group, placeholders)
        if not words:
            continue
        text = strip_diacritics(prep.norms[i].text)
        for w in set(words):
            rx = re.compile(r"(?<!\w)" + re.escape(strip_diacritics(w.lower())) + r"(?!\w)")
            spans[i].extend(m.span() for m in rx.finditer(text))
    return grams_overlapping(f.gram_idx, prep.grams, spans)


def ordinary_texts(paths, limit: int, exclude: set[str]) -> list[str]:
    """Clean rows of labelled comment CSVs (ViHSD layout `free_text,label_id`, 0 = clean; or
    `text,label` with CLEAN/0; UIT-ViCTSD's `Comment`, `Toxicity` 0; or UIT-VSFC's students'
    feedback, every row), deduplicated, at most `limit`, the first by a hash of the text
    (deterministic, independent of file order)."""
    import csv

    seen: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                text = (r.get("free_text") or r.get("text") or r.get("sentence") or r.get("Comment") or "").strip()
                # UIT-VSFC (`sentence,sentiment,topic`): students' feedback, every row ordinary;
                # UIT-ViCTSD (`Comment,Constructiveness,Toxicity,…`): news comments, Toxicity 0 clean
                label = "0" if "sentiment" in r else str(
                    r.get("label_id", r.get("label", r.get("Toxicity", "")))).strip().upper()
                if text and label in ("0", "CLEAN") and text not in exclude:
                    seen.add(text)
    key = lambda t: hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest()  # noqa: E731
    return sorted(seen, key=key)[:limit]


def _labels(examples) -> np.ndarray:
    Y = np.zeros((len(examples), len(CATEGORIES)), dtype=np.int64)
    for i, ex in enumerate(examples):
        for c in ex.labels:
            Y[i, CATEGORIES.index(c)] = 1
    return Y


def _known(examples) -> np.ndarray:
    """(n, 8) bool: whether each text says anything about each category — everywhere, but for a
    partial row (a moderator's confirmation) only at the categories confirmed."""
    K = np.ones((len(examples), len(CATEGORIES)), dtype=bool)
    for i, ex in enumerate(examples):
        if ex.partial:
            K[i] = [c in ex.labels for c in CATEGORIES]
    return K


def _design(f, n: int, vocab: np.ndarray, pi: np.ndarray, pj: np.ndarray, cfg: CategoryConfig):
    from scipy.sparse import csr_matrix, hstack

    idx = np.searchsorted(vocab, f.gram_key)
    np.minimum(idx, max(len(vocab) - 1, 0), out=idx)
    ok = vocab[idx] == f.gram_key if len(vocab) else np.zeros(len(idx), dtype=bool)
    d, c, v = present_once(f.gram_doc[ok], idx[ok], f.gram_val[ok], len(vocab))
    G = csr_matrix((v, (d, c)), shape=(n, len(vocab)))
    Dn = csr_matrix(f.dense * cfg.dense_scale)
    Pp = csr_matrix(pair_products(f.dense, pi, pj) * cfg.pair_scale)
    return hstack([G, Dn, Pp]).tocsr()


def _fit_one(X, y, C: float, seed: int, weight=None, hinge: bool = False):
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if y.sum() == 0:
        return np.zeros(X.shape[1]), -5.0
    if hinge:
        clf = LinearSVC(C=C, loss="squared_hinge", dual=True, class_weight="balanced", random_state=seed,
                        max_iter=5000)
    else:
        clf = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", random_state=seed, max_iter=2000)
    clf.fit(X, y, sample_weight=weight)
    return clf.coef_[0], float(clf.intercept_[0])


def nb_scale(G, y: np.ndarray, weight=None, alpha: float = 1.0, power: float = 0.5) -> np.ndarray:
    """Per n-gram column of G (rows: texts): |r|^power normalised to mean 1, r the log-count
    ratio of Wang & Manning (2012) — log of the n-gram's share of presences in the positives
    over its share in the negatives, each count + alpha, rows counted at their sample weight."""
    w = np.ones(G.shape[0]) if weight is None else np.asarray(weight, dtype=np.float64)
    P = (G > 0).astype(np.float64)
    p = alpha + P.T @ (w * (y == 1))
    q = alpha + P.T @ (w * (y == 0))
    s = np.abs(np.log((p / p.sum()) / (q / q.sum()))) ** power
    m = s.mean() if len(s) else 0.0
    return s / m if m > 0 else np.ones(G.shape[1])


def _drop(n_cols: int, n_vocab: int, cols: list[int], pi, pj) -> np.ndarray:
    """All columns but the given cues and every pair holding one of them."""
    keep = np.ones(n_cols, dtype=bool)
    fr = set(cols)
    for c in cols:
        keep[n_vocab + c] = False
    n_dense_end = n_cols - len(pi)
    for k, (a, b) in enumerate(zip(pi.tolist(), pj.tolist())):
        if a in fr or b in fr:
            keep[n_dense_end + k] = False
    return keep


def _masks(n_cols: int, n_vocab: int, framing_cols: list[int], pi, pj, affect_cols: list[int] | None = None,
           affect_categories: tuple[str, ...] = CATEGORIES) -> dict[int, np.ndarray]:
    """Columns each category may use: self_harm never sees the framing or affect cues; the
    affect (friendly-register) cues are features of `affect_categories` only."""
    affect_cols = list(affect_cols or [])
    masks: dict[int, np.ndarray] = {}
    for k, c in enumerate(CATEGORIES):
        drop = list(framing_cols) + affect_cols if c == "self_harm" else (
            [] if c in affect_categories else affect_cols)
        if drop:
            masks[k] = _drop(n_cols, n_vocab, drop, pi, pj)
    return masks


def _fit_all(X, Y, cfg: CategoryConfig, masks, weight=None, n_vocab: int = 0,
             known: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per category, weights over all columns of X (zeros where masked); the first `n_vocab`
    columns are n-grams: for `cfg.nb_categories` they are fitted scaled by `nb_scale` (from
    these rows) and the scale is folded into the returned weights, so X @ W scores as fitted.
    With `known` (n, 8), category k is fitted on the rows that say something about it only: a
    moderator's "violence" confirmation is no negative for harassment."""
    from scipy.sparse import diags

    W = np.zeros((X.shape[1], len(CATEGORIES)))
    b = np.zeros(len(CATEGORIES))
    for k, c in enumerate(CATEGORIES):
        wk = None if weight is None else np.asarray(weight)
        if wk is not None and wk.ndim == 2:  # a weight per row and category
            wk = wk[:, k]
        Xk, yk = X, Y[:, k]
        if known is not None and not known[:, k].all():
            rows = np.flatnonzero(known[:, k])
            Xk, yk, wk = X[rows], yk[rows], None if wk is None else wk[rows]
        m = masks.get(k)
        if m is not None:
            Xk = Xk[:, np.flatnonzero(m)]  # n-gram columns are never masked: they stay the first n_vocab
        s = None
        if c in cfg.nb_categories and n_vocab:
            s = np.ones(Xk.shape[1])
            s[:n_vocab] = nb_scale(Xk[:, :n_vocab], yk, wk, cfg.nb_alpha, cfg.nb_power)
            Xk = (Xk @ diags(s)).tocsr()
        hinge = c in cfg.hinge_categories
        w, icpt = _fit_one(Xk, yk, cfg.hinge_C if hinge else cfg.C, cfg.seed, wk, hinge)
        if s is not None:
            w = w * s
        if m is not None:
            full = np.zeros(X.shape[1])
            full[np.flatnonzero(m)] = w
            w = full
        W[:, k] = w
        b[k] = icpt
    return W, b


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if y.sum() == 0 or y.sum() == len(y):
        return 1.0, 0.0
    clf = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000).fit(z.reshape(-1, 1), y)
    return float(clf.coef_[0, 0]), float(clf.intercept_[0])


# Candidate thresholds of the goal policy: steps of 0.0025 under 0.1, then 0.01. The small
# categories' calibrated probabilities are small (their prior in the set is), and a step of 0.01 at
# 0.04 is a quarter of the threshold: the nineteenth round's finer steps let scam, gambling and
# personal data stop just where out-of-fold recall still reaches the goal (on dev: the same
# recall, harmless texts flagged 20.8 % -> 20.2 %, ViHSD clean comments 7.0 % -> 6.9 %).
_GOAL_GRID = np.unique(np.concatenate([np.round(np.arange(0.005, 0.1, 0.0025), 4),
                                       np.round(np.arange(0.1, 0.961, 0.01), 2)]))


def _threshold_goal(p: np.ndarray, y: np.ndarray, recall: float, fpr: float,
                    everyday: np.ndarray | None = None, everyday_fpr: float = 1.0) -> float:
    """The threshold serving the goals (recall >= `recall`, false-positive rate <= `fpr`)
    with a margin: among thresholds whose out-of-fold FPR is within `fpr` — and, when the
    out-of-fold scores of everyday comments are given, whose share of them flagged is within
    `everyday_fpr` — the highest one reaching `recall`; when none reaches it, the one with the
    best recall."""
    grid = _GOAL_GRID
    pos, neg = y == 1, y == 0
    ok = []
    for t in grid:
        pred = p >= t
        r = float(pred[pos].mean()) if pos.any() else 0.0
        f = float(pred[neg].mean()) if neg.any() else 0.0
        if everyday is not None and len(everyday) and float((everyday >= t).mean()) > everyday_fpr:
            continue
        if f <= fpr:
            ok.append((t, r))
    if not ok:
        return float(grid[-1])
    reach = [t for t, r in ok if r >= recall]
    if reach:
        return float(max(reach))
    best_r = max(r for _, r in ok)
    return float(min(t for t, r in ok if r == best_r))


def _threshold(p: np.ndarray, y: np.ndarray, beta: float) -> float:
    best = (-1.0, 0.5)
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        fp = float(np.sum(pred & (y == 0)))
        fn = float(np.sum(~pred & (y == 1)))
        b2 = beta * beta
        f = (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0
        # Ties: the threshold nearest 0.5 (the least data-specific).
        if f > best[0] + 1e-9 or (abs(f - best[0]) < 1e-9 and abs(t - 0.5) < abs(best[1] - 0.5)):
            best = (f, float(t))
    return best[1]


def _group_folds(groups: list[str], k: int, seed: int) -> np.ndarray:
    """Each group's fold, from a hash of the group alone: a file added to the set leaves every
    earlier group in its fold. (Dealt round-robin in hash order until the twenty-third round, a new
    file moved most groups to another fold, and the small categories' thresholds — set on
    out-of-fold scores of a few dozen texts — moved with them: a self-harm round halved gambling's.)"""
    fold_of = {g: dataset._h(f"{seed}:{g}") % k for g in set(groups)}
    return np.array([fold_of[g] for g in groups])


def category_metrics(Y: np.ndarray, pred: np.ndarray, known: np.ndarray | None = None) -> dict:
    """Per category precision, recall, F1, false-positive rate, support; plus means. With
    `known`, each category is measured on the texts that say something about it, and "harmless"
    are the texts judged harmless in every category."""
    if known is None:
        known = np.ones(Y.shape, dtype=bool)
    per = {}
    for k, c in enumerate(CATEGORIES):
        y, p = Y[known[:, k], k] == 1, pred[known[:, k], k] == 1
        tp, fp, fn, tn = int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum()), int((~y & ~p).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        fpr = fp / (fp + tn) if fp + tn else 0.0
        per[c] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                  "fpr": round(fpr, 4), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn, "negatives": fp + tn}
    clean = ~Y.any(1) & known.all(1)
    # Means over the categories the texts hold (a file of moderators' decisions may have none of
    # some: their 0 would be no measurement, not a failure).
    held = [r for r in per.values() if r["support"]] or list(per.values())
    return {
        "per_category": per,
        "macro_f1": round(float(np.mean([r["f1"] for r in held])), 4),
        "min_recall": round(min(r["recall"] for r in held), 4),
        "max_fpr": round(max(r["fpr"] for r in per.values()), 4),
        "harmless_flagged": round(float(pred[clean].any(1).mean()) if clean.any() else 0.0, 4),
        "n": int(len(Y)),
        "n_harmless": int(clean.sum()),
    }


def recall_at_fpr(p: np.ndarray, y: np.ndarray, fpr: float) -> float:
    """The recall the scores `p` reach on these texts with the best threshold whose false-positive
    rate stays within `fpr` — what the ranking allows, whatever threshold the model ships with.
    Ties never help: a threshold flags every text with its score or none of them."""
    pos, neg = p[y == 1], np.sort(p[y == 0])[::-1]
    if not len(pos):
        return 0.0
    k = int(np.floor(fpr * len(neg) + 1e-9))  # false positives allowed
    if k >= len(neg):
        return 1.0
    return float((pos > neg[k]).mean())


ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def train_categories(out: str | Path, config: CategoryConfig | None = None, extra: list[str] | None = None,
                     log=print) -> dict:
    """Train, calibrate and save the category model; returns its metadata. BLAS runs on one
    thread, set before numpy loads: with two, sums are added in another order and the last bits
    of the weights (the artifact's version) change with the machine — limiting threads later
    (threadpoolctl) was not enough. So a process not started that way trains in a child that is."""
    cfg = config or CategoryConfig()
    dataset.held_out_files(cfg.hold_out)  # a pattern that matches no file stops here, not in the child
    if all(os.environ.get(v) == "1" for v in ONE_THREAD):
        return _train_categories(out, cfg, extra, log)
    spec = json.dumps({"out": str(out), "config": asdict(cfg), "extra": list(extra or [])})
    env = {**os.environ, **dict.fromkeys(ONE_THREAD, "1")}
    proc = subprocess.run([sys.executable, "-m", "cyberyouth.safety.train_categories", spec], env=env,
                          capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        log(line)
    if proc.returncode != 0:
        raise RuntimeError(f"training failed: {proc.stderr.strip()[-2000:]}")
    return json.loads((Path(out) / "categories.json").read_text("utf-8"))


def _train_categories(out: str | Path, cfg: CategoryConfig, extra: list[str] | None, log) -> dict:
    t0 = time.time()
    examples = dataset.split("train", cfg.hold_out)
    for path in extra or []:
        examples = examples + dataset.read_csv(path)
    n_set = len(examples)
    # Rows: the set's texts [:n_set], then the typed forms joining the fit only [n_set:n_fit], then
    # the ordinary comments [n_fit:].
    examples = (examples + (dataset.every_variant(examples) if cfg.every_variant else [])
                + (dataset.laughter_variant(examples) if cfg.laughter_variant else [])
                + (dataset.register_variant(examples) if cfg.register_variant else [])
                + (dataset.tag_variant(examples) if cfg.tag_variant else []))
    if cfg.dropout_categories:
        examples = examples + dataset.dropout_variant(examples)
    n_fit = len(examples)
    ordinary = ordinary_texts(cfg.ordinary, cfg.ordinary_n, {ex.text for ex in examples})
    texts = [ex.text for ex in examples] + ordinary
    groups = [ex.group for ex in examples] + [f"ordinary:{t}" for t in ordinary]
    Y = np.vstack([_labels(examples), np.zeros((len(ordinary), len(CATEGORIES)), dtype=np.int64)])
    known = np.vstack([_known(examples), np.ones((len(ordinary), len(CATEGORIES)), dtype=bool)])
    # A dropout copy is a fit row of `dropout_categories` only (unknown, so left out, for the others).
    dropout_rows = np.array([ex.variant == "dropout" for ex in examples] + [False] * len(ordinary))
    known[np.ix_(dropout_rows, [c not in cfg.dropout_categories for c in CATEGORIES])] = False
    # (n, 8): a row's weight in each category's fit.
    weight = np.tile(np.concatenate([np.ones(n_fit), np.full(len(ordinary), cfg.ordinary_weight)])[:, None],
                     (1, len(CATEGORIES)))
    for c, w in cfg.ordinary_weight_by:
        weight[n_fit:, CATEGORIES.index(c)] = w
    engine = _engine(cfg.kinds)
    f, prep = _features(engine, texts, cfg.kinds, cfg.min_grams, cfg.skip_scale)
    n = len(texts)
    if cfg.neutral_placeholders:
        keep = ~filled_grams(f, prep, groups, cfg.neutral_placeholders)
        log(f"n-grams of the placeholders' words left out: {int((~keep).sum())} occurrences")
        f.gram_doc, f.gram_key, f.gram_val, f.gram_idx = f.gram_doc[keep], f.gram_key[keep], f.gram_val[keep], f.gram_idx[keep]
    # The word pairs' keys: saved in a file of their own (each file of the artifact stays under 2 MB).
    pair_keys = np.unique(f.gram_key[prep.grams.kind[f.gram_idx] == SKIP_KIND])
    del prep
    # min_df counts lines, not texts: a line's typed forms share its n-grams, and one line seen in
    # three forms is no more evidence than one (counted by texts, every_variant let each line's own
    # n-grams in: 146,450 n-grams against 79,557, an artifact twice the size, the same CV ranking).
    uniq, inv = np.unique(f.gram_key, return_inverse=True)
    line_of = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    n_lines = len(line_of)
    gram_line = np.array([line_of[g] for g in groups], dtype=np.int64)[f.gram_doc]
    df = np.bincount(np.unique(inv.astype(np.int64) * n_lines + gram_line) // n_lines, minlength=len(uniq))
    vocab = uniq[df >= cfg.min_df]
    nb = f.n_binary
    B = f.dense[:, :nb] > 0
    co = B.T.astype(np.int64) @ B.astype(np.int64)
    pi, pj = np.nonzero(np.triu(co >= cfg.min_pair, k=1))
    framing_cols = [i for i, g in enumerate(engine.signals.groups) if g in engine.signals.framing]
    # The friendly register (affect cues): never a feature of self_harm (framing never hides
    # self-harm), and only of the categories it tells from banter (`affect_categories`).
    affect_cols = [i for i, g in enumerate(engine.signals.groups) if g in engine.signals.affect]
    log(f"{n} texts, {len(vocab)} n-grams, {f.dense.shape[1]} dense features, {len(pi)} cue pairs")

    X = _design(f, n, vocab, pi, pj, cfg)
    masks = _masks(X.shape[1], len(vocab), framing_cols, pi, pj, affect_cols,
                   tuple(c for c in cfg.affect_categories if c != "self_harm"))

    # Grouped cross-validation: out-of-fold scores for calibration and thresholds.
    folds = _group_folds(groups, cfg.folds, cfg.seed)
    oof = np.zeros((n, len(CATEGORIES)))
    for k in range(cfg.folds):
        tr, te = folds != k, folds == k
        # Vocabulary and pairs stay those of all train: a small optimism, the same for every fold.
        W, b = _fit_all(X[tr], Y[tr], cfg, masks, weight[tr], len(vocab), known[tr])
        oof[te] = X[te] @ W + b
    ordinary_oof = oof[n_fit:]
    oof, Y_all, Y, known_all, known = oof[:n_set], Y, Y[:n_set], known, known[:n_set]
    # Calibration and thresholds per category on the texts that say something about it.
    a, d = np.array([_platt(oof[known[:, k], k], Y[known[:, k], k]) for k in range(len(CATEGORIES))]).T
    P_oof = 1.0 / (1.0 + np.exp(-(a * oof + d)))
    P_everyday = 1.0 / (1.0 + np.exp(-(a * ordinary_oof + d)))
    thr = np.zeros(len(CATEGORIES))
    for k, c in enumerate(CATEGORIES):
        p, y = P_oof[known[:, k], k], Y[known[:, k], k]
        if c in cfg.recall_first:
            thr[k] = _threshold_goal(p, y, cfg.goal_recall, cfg.goal_fpr)
        elif cfg.threshold_policy == "goal":
            thr[k] = _threshold_goal(p, y, cfg.goal_recall, cfg.goal_fpr, P_everyday[:, k],
                                     cfg.goal_everyday_fpr)
        else:
            thr[k] = _threshold(p, y, 2.0 if c == "self_harm" else 1.0)
    cv = category_metrics(Y, (P_oof >= thr).astype(int), known)
    if len(ordinary):
        P_ord = P_everyday >= thr
        cv["ordinary_flagged"] = round(float(P_ord.any(1).mean()), 4)
        cv["ordinary_fpr"] = {c: round(float(P_ord[:, k].mean()), 4) for k, c in enumerate(CATEGORIES)}
        log(f"ordinary comments flagged (out of fold): {cv['ordinary_flagged']:.3f}")
    log(f"grouped {cfg.folds}-fold CV on train: macro-F1 {cv['macro_f1']:.4f}, min recall {cv['min_recall']:.3f}, "
        f"max FPR {cv['max_fpr']:.3f}")

    W, b = _fit_all(X, Y_all, cfg, masks, weight, len(vocab), known_all)
    # The hinge's margins are not logits (Platt's slope 3-5 where the LR's is about 1) and the
    # engine's spans measure a cue's or n-gram's push in logit units: Platt's slope is folded into
    # the hinge categories' weights (the same scores, the spans' cut-offs keep their meaning).
    for k, c in enumerate(CATEGORIES):
        if c in cfg.hinge_categories:
            W[:, k] *= a[k]
            b[k] *= a[k]
            a[k] = 1.0
    V = len(vocab)
    nd = f.dense.shape[1]
    w_gram = W[:V].astype(np.float32)
    w_dense = W[V:V + nd] * cfg.dense_scale
    w_pair = W[V + nd:] * cfg.pair_scale
    # A weight under `prune_below` moves a logit by less than that: it is saved as 0, and an n-gram
    # with no weight left is dropped (the artifact stays under 2 MB: two thirds of the entries are
    # that small, and zeros compress).
    w_gram[np.abs(w_gram) < cfg.prune_below] = 0.0
    used = w_gram.any(1)
    vocab, w_gram = vocab[used], w_gram[used]
    # The artifact keeps KEY_BITS bits of each key (categories.KEY_SHIFT); n-grams sharing them (about one
    # chance in a hundred at this size) become one entry with the sum of their weights, as hashed
    # features would. The vocabulary is sorted, so such n-grams are neighbours.
    vocab, first = np.unique(saved_keys(vocab), return_index=True)
    if len(first) < len(w_gram):
        w_gram = np.add.reduceat(w_gram, first)
    # The version names everything scoring reads: weights, calibration, thresholds, min_grams, skip_scale.
    digest = hashlib.sha256(
        vocab.tobytes() + w_gram.tobytes() + w_dense.tobytes() + w_pair.tobytes() + b.tobytes() + a.tobytes()
        + d.tobytes() + thr.tobytes() + np.int64(cfg.min_grams).tobytes()
        + (np.float64(cfg.skip_scale).tobytes() if SKIP_KIND in cfg.kinds else b"")
    ).hexdigest()[:10]
    meta = {
        "version": f"vi-cat-linear-{digest}",
        "categories": list(CATEGORIES),
        "kinds": list(cfg.kinds),
        "min_grams": cfg.min_grams,
        "skip_scale": cfg.skip_scale,
        "key_bits": KEY_BITS,
        "dense_features": dense_names(engine.signals),
        "thresholds": {c: float(t) for c, t in zip(CATEGORIES, thr)},
        "thresholds_chosen_by": (
            f"grouped {cfg.folds}-fold cross-validation on train: out-of-fold "
            + ("F1-best threshold" if cfg.threshold_policy == "f1" else "goal policy")
            + f"; {', '.join(cfg.recall_first) or 'none'}: the highest threshold with recall >= {cfg.goal_recall} "
            f"within FPR <= {cfg.goal_fpr}"),
        "training": {
            "C": cfg.C, "dense_scale": cfg.dense_scale, "pair_scale": cfg.pair_scale, "min_df": cfg.min_df,
            "min_pair": cfg.min_pair, "folds": cfg.folds, "seed": cfg.seed, "n_texts": n_set,
            "ordinary": [f"{Path(p).parent.name}/{Path(p).name}" for p in cfg.ordinary], "n_ordinary": len(ordinary),
            "ordinary_weight": cfg.ordinary_weight,
            "ordinary_weight_by": dict(cfg.ordinary_weight_by), "threshold_policy": cfg.threshold_policy,
            "goal_recall": cfg.goal_recall, "goal_fpr": cfg.goal_fpr, "goal_everyday_fpr": cfg.goal_everyday_fpr,
            "affect_categories": list(cfg.affect_categories),
            "nb_categories": list(cfg.nb_categories), "nb_power": cfg.nb_power, "nb_alpha": cfg.nb_alpha,
            "hinge_categories": list(cfg.hinge_categories), "hinge_C": cfg.hinge_C,
            "neutral_placeholders": list(cfg.neutral_placeholders),
            "every_variant": cfg.every_variant, "n_variants_in_fit": n_fit - n_set, "prune_below": cfg.prune_below,
            "n_ngrams": int(len(vocab)), "n_pairs": int(len(pi)), "extra": [Path(p).name for p in extra or []],
            "cv": cv,
        },
    }
    if cfg.hold_out:
        meta["training"]["hold_out"] = list(cfg.hold_out)
        meta["training"]["held_out_files"] = sorted(dataset.held_out_files(cfg.hold_out))
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    is_pair = np.isin(vocab, saved_keys(pair_keys))
    if is_pair.any():
        meta["word_pairs_file"] = WORD_PAIRS_FILE
        np.savez_compressed(out_dir / WORD_PAIRS_FILE, keys40_gaps=_gaps(vocab[is_pair]),
                            w_gram_t=np.ascontiguousarray(w_gram[is_pair].T, dtype=np.float16))
    else:
        (out_dir / WORD_PAIRS_FILE).unlink(missing_ok=True)
    np.savez_compressed(
        out_dir / "categories.npz", keys40_gaps=_gaps(vocab[~is_pair]),
        w_gram_t=np.ascontiguousarray(w_gram[~is_pair].T, dtype=np.float16),
        w_dense=w_dense.astype(np.float32),
        pair_i=pi.astype(np.int16), pair_j=pj.astype(np.int16), w_pair=w_pair.astype(np.float32),
        bias=b.astype(np.float32), platt_a=a.astype(np.float32), platt_b=d.astype(np.float32),
    )
    (out_dir / "categories.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    m = evaluate(model_dir=str(out_dir), hold_out=cfg.hold_out)
    meta["dev_metrics"] = m
    if cfg.hold_out:
        h = evaluate(model_dir=str(out_dir), part="held_out", hold_out=cfg.hold_out)
        h.pop("errors")  # thousands of texts: `safety eval --categories --held-out --errors` lists them
        meta["held_out_metrics"] = h
        log("held out (" + ", ".join(meta["training"]["held_out_files"]) + f", {h['n']} texts): "
            + "; ".join(f"{c} {r['recall']:.3f} / {r['fpr']:.3f}, at FPR 0.05 {r['recall_at_fpr_05']:.3f}"
                        for c, r in h["per_category"].items() if r["support"]))
    (out_dir / "categories.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    log(f"dev: macro-F1 {m['macro_f1']:.4f}, min recall {m['min_recall']:.3f}, max FPR {m['max_fpr']:.3f} "
        f"({time.time() - t0:.0f}s)")
    return meta


def _gaps(sorted_keys: np.ndarray) -> np.ndarray:
    """Sorted keys as the differences that rebuild them (`np.cumsum`), in 32 bits when they fit."""
    gaps = np.diff(sorted_keys, prepend=np.uint64(0))
    return gaps.astype(np.uint32) if len(gaps) and int(gaps.max()) < 2**32 else gaps


def evaluate(data: str | None = None, model_dir: str | None = None, engine=None, part: str = "dev",
             hold_out: tuple[str, ...] | list[str] = ()) -> dict:
    """Per-category metrics of the engine on a part of the set (the dev split; or, for a model
    trained with `hold_out`, "held_out": the files it was trained without — and then "dev" is the
    rest of the dev split) or on a labelled CSV."""
    from .engine import Engine

    examples = dataset.read_csv(data) if data else dataset.split(part, hold_out)
    if engine is None:
        cm = CategoryModel.load(model_dir) if model_dir else None
        engine = Engine(category_model=cm) if cm is not None else Engine()
    Y, known = _labels(examples), _known(examples)
    verdicts = engine.analyze_many([ex.text for ex in examples], explain=False)
    pred = np.zeros_like(Y)
    for i, v in enumerate(verdicts):
        for c in v.flags:
            pred[i, CATEGORIES.index(c)] = 1
    m = category_metrics(Y, pred, known)
    # The ranking's own limit, apart from the shipped thresholds (chosen out of fold on train):
    # the recall a threshold set on these very texts could reach at the FPR goal.
    for k, c in enumerate(CATEGORIES):
        scores = np.array([v.categories.get(c, 0.0) for v in verdicts])[known[:, k]]
        m["per_category"][c]["recall_at_fpr_05"] = round(recall_at_fpr(scores, Y[known[:, k], k], 0.05), 4)
    if data:
        m["file"] = Path(data).name
    elif part == "held_out":
        m["file"] = "files held out of training (" + ", ".join(sorted(dataset.held_out_files(hold_out))) + ")"
    else:
        m["file"] = "dev split of the project's set" + (" without the held-out files" if hold_out else "")
    m["model"] = engine.category_model.version if engine.category_model is not None else "lexicons"
    errors = []
    for ex, v, y, p, kn in zip(examples, verdicts, Y, pred, known):
        if ((y != p) & kn).any():
            errors.append({"text": ex.text, "family": ex.family, "truth": sorted(ex.labels), "flags": list(v.flags),
                           "partial": ex.partial})
    m["errors"] = errors
    return m


if __name__ == "__main__":  # the one-thread child of `train_categories`
    _spec = json.loads(sys.argv[1])
    _cfg = {k: tuple(v) if isinstance(v, list) else v for k, v in _spec["config"].items()}
    _train_categories(_spec["out"], CategoryConfig(**_cfg), _spec["extra"], print)
