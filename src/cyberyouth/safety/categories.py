"""The learned child-safety category model: eight calibrated one-vs-rest linear scorers.

Inputs are what the engine has already computed for a batch (normalised texts, the
toxicity model's n-grams and probabilities, lexicon hits, personal data) plus the
target/intent/framing cues of data/signals.json. Features of a text:

* hashed word n-grams (the toxicity model's keys, word and diacritic-free word kinds),
  each present n-gram worth 1/sqrt(number of n-grams of its kind in the text); and pairs of
  diacritic-free words with one word between them (kind 3, extracted for this model only),
  worth half as much: "thằng _ ngu" whatever the name between;
* dense cues: one 0/1 feature per signal group (aimed at a person, threat, silencing,
  exclusion, public exposure, family exposure, despair, means, question, loan, top-up,
  fee, framing as prevention / news / official / fiction / volunteer / health…), a named
  classmate ("thằng Nam", "Lan lớp 7A"), the lexicon's per-category scores, the
  personal-data finds, the toxicity probabilities;
* products of pairs of cues (a threat *and* aimed at someone; a question *and* a means
  *and* death…), only the pairs seen together in training.

Score = sigmoid(a_c * (w_c · x + b_c) + d_c): logistic regression per category, Platt
calibration fitted on out-of-fold scores (grouped cross-validation on train). The
framing cues are not features of `self_harm` (weights fixed at 0): framing lowers
harassment, sexual and violence scores through learned weights but never hides self-harm.
The friendly-register cues ("affect" groups: laughter, shared plans, thanks and praise,
teasing, soft particles) are left out of `self_harm` the same way.

Artifact: model/categories.npz (the word pairs' weights in model/categories_word_pairs.npz) +
model/categories.json (thresholds, version, training summary). Training: train_categories.py
(scikit-learn at training time only).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator

import numpy as np

from .lexicon import CATEGORIES as LEX_CATEGORIES
from .features import SKIP_GAPS, SKIP_KIND
from .features import KeyIndex as _Index
from .lexicon import PhraseAnchors, _trie_regex, folded_phrase
from .normalize import normalize, strip_diacritics

__all__ = ["CATEGORIES", "Signals", "CategoryModel", "Features", "load_signals", "load_category_model",
           "featurize", "dense_names"]

# The eight categories, in the order of every score vector and artifact: the lexicon's seven, then
# personal data (found by patterns, not words). The one list the project names them by.
CATEGORIES = LEX_CATEGORIES + ("personal_data",)
# The categories in words, as the pages name them (one place: helpline, dialogues, clubs).
CATEGORY_WORDS = {
    "harassment": "bắt nạt, quấy rối", "sexual": "tình dục, xâm hại", "violence": "bạo lực, đe dọa",
    "self_harm": "tự hại, nguy cơ tự tử", "scam": "lừa đảo", "gambling": "cờ bạc", "drugs": "ma túy",
    "personal_data": "lộ thông tin cá nhân",
}
PII_TYPES = ("phone", "landline", "citizen_id", "email", "address", "student")

# A classmate named with a pronoun or a class: "thằng Nam", "con Lan", "Hà My lớp 7A2".
_UP = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_NAMED = re.compile(
    rf"(?:(?<!\w)(?:thằng|con|bạn|em|nhỏ|bé|đứa|thang|ban|nho|be|dua)\s+[{_UP}]\w+"
    rf"|[{_UP}]\w+(?:\s+[{_UP}]\w+)?\s+(?:lớp|lop)\s+\d)"
)
_CLASS = re.compile(r"(?<!\w)(?:lớp|lop)\s+\d{1,2}[a-z]?\d?(?!\w)")
# What every _NAMED match without "lớp"/"lop" holds (its first branch, without the lookbehind).
_NAMED_HINT = re.compile(rf"(?:thằng|con|bạn|em|nhỏ|bé|đứa|thang|ban|nho|be|dua)\s+[{_UP}]")


def _candidates(batch: list[str], hint: re.Pattern[str] | None) -> list[int]:
    """Indices of the texts holding "lớp" or "lop", or a match of `hint` (one scan of the batch
    joined by NUL, which none of these patterns matches: a match stays inside its text)."""
    cand = {i for i, t in enumerate(batch) if "lớp" in t or "lop" in t}
    if hint is not None and batch:
        starts: list[int] = []
        pos = 0
        for t in batch:
            starts.append(pos)
            pos += len(t) + 1
        for m in hint.finditer("\x00".join(batch)):
            cand.add(bisect_right(starts, m.start()) - 1)
    return sorted(cand)


class Signals:
    """Cue groups (data/signals.json) found in a whole batch at once (from its word n-grams)."""

    def __init__(self, raw: dict) -> None:
        self.groups: tuple[str, ...] = tuple(raw["groups"])
        self.phrases: dict[str, tuple[str, ...]] = {g: tuple(ps) for g, ps in raw["groups"].items()}  # as written
        self.framing: frozenset[str] = frozenset(raw.get("framing_groups", ()))
        # Friendly register (laughter, shared plans, thanks, teasing, soft particles): like
        # framing, never features of self_harm; not reported as framing, no effect on floors.
        self.affect: frozenset[str] = frozenset(raw.get("affect_groups", ()))
        index = {g: i for i, g in enumerate(self.groups)}
        # Emoticons whose letter the n-grams would read as a word (":v" as "v"): no n-gram of the
        # model overlaps them; read by their cue alone.
        self.gram_free: frozenset[str] = frozenset(normalize(p).text for p in raw.get("gram_free_phrases", ()))
        self.phrase_groups: dict[str, list[int]] = {}
        for g, phrases in raw["groups"].items():
            for p in phrases:
                q = normalize(p).text
                if q:
                    lst = self.phrase_groups.setdefault(q, [])
                    if index[g] not in lst:
                        lst.append(index[g])
        self._re = _trie_regex(sorted(self.phrase_groups))
        self.gram_free_groups: frozenset[int] = frozenset(
            g for p in self.gram_free for g in self.phrase_groups.get(p, ()))
        multi: dict[str, str] = {}
        for p in self.phrase_groups:
            if " " in p:
                multi.setdefault(strip_diacritics(p), p)
        self._strip = multi
        self._re_strip = _trie_regex(sorted(multi), fold=True)
        self._batch_re = re.compile("(\x00)|" + self._re.pattern) if self._re is not None else None
        self._batch_re_strip = (re.compile("(\x00)|" + self._re_strip.pattern)
                                if self._re_strip is not None else None)
        self.anchors = PhraseAnchors(sorted(self.phrase_groups), multi)

    def groups_many(self, texts: list[str], grams=None) -> list[list[int]]:
        """Per text: the group index of each cue found (normalised text), no positions
        (`positions` gives them). With the batch's word n-grams (`features.extract` of the
        same texts, word orders 1–3 and diacritic-free orders 1–2 as the toxicity model
        computes them) the cues are looked up from the n-gram keys (`_groups_from_grams`:
        no second scan of the text); without them, the two regular-expression passes."""
        if grams is not None:
            return self._groups_from_grams(texts, grams)
        return self.groups_many_regex(texts)

    def groups_many_regex(self, texts: list[str]) -> list[list[int]]:
        """`groups_many` by regular expressions: one `findall` per view over the whole
        batch: the texts are joined with NUL (normalised text holds none), which the pattern
        returns as a separator, so the C scan does the work and Python only walks the found
        phrases. The reference the n-gram lookup is tested against."""
        pg = self.phrase_groups
        out: list[list[int]] = [[] for _ in texts]
        joined = "\x00".join(texts)
        for rx, strip in ((self._batch_re, False), (self._batch_re_strip, True)):
            if rx is None:
                continue
            d = 0
            cur = out[0]
            for sep, p in rx.findall(joined):
                if sep:
                    d += 1
                    cur = out[d]
                elif p:
                    q = folded_phrase(p, self._strip) if strip else p
                    if q is not None:
                        cur.extend(pg[q])
        return out

    def _groups_from_grams(self, texts: list[str], grams) -> list[list[int]]:
        return [[g for g, _s, _e in m] for m in self.positions_many(texts, grams)]

    def positions_many(self, texts: list[str], grams) -> list[list[tuple[int, int, int]]]:
        """Per text: (group index, start, end) of each cue, from the batch's word n-grams —
        the same list, in the same order, as `positions` gives for each text."""
        pg = self.phrase_groups
        out: list[list[tuple[int, int, int]]] = [[] for _ in texts]
        for _fold, d, s, e, p in self.anchors.find(texts, grams):
            out[d].extend((g, s, e) for g in pg[p])
        return out

    def positions(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(group index, start, end) of each cue in one normalised text, lazily (a caller
        wanting a few stops early on a long text)."""
        pg = self.phrase_groups
        for rx, strip in ((self._re, False), (self._re_strip, True)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                p = m.group(1)
                if not p:
                    continue
                q = folded_phrase(p, self._strip) if strip else p
                if q is None:
                    continue
                s = m.start()
                for g in pg[q]:
                    yield (g, s, s + len(p))

    def match_many(self, texts: list[str]) -> list[list[tuple[int, int, int]]]:
        """Per text: (group index, start, end) of each cue (normalised offsets)."""
        return [list(self.positions(t)) for t in texts]


@lru_cache(maxsize=1)
def load_signals() -> Signals:
    raw = json.loads(resources.files("cyberyouth.safety").joinpath("data/signals.json").read_text("utf-8"))
    return Signals(raw)


def dense_names(signals: Signals) -> list[str]:
    """Names of the dense features, in column order (the first `n_binary` are 0/1 cues)."""
    return (
        [f"cue:{g}" for g in signals.groups]
        + ["cue:named_person", "cue:class"]
        + [f"lexicon:{c}" for c in LEX_CATEGORIES]
        + ["pii:exposure"]
        + [f"pii:{t}" for t in PII_TYPES]
        + ["toxicity:offensive", "toxicity:hate", "length"]
    )


@dataclass(slots=True)
class Features:
    """Category-model inputs of a batch."""

    dense: np.ndarray  # (n, F) float64; columns per dense_names()
    n_binary: int  # the first n_binary dense columns are the 0/1 cues (pairs are made of them)
    gram_doc: np.ndarray  # per n-gram occurrence of the used kinds
    gram_key: np.ndarray
    gram_val: np.ndarray  # 1 / sqrt(max(number of n-grams of that kind in the text, min_grams))
    gram_idx: np.ndarray  # index of the occurrence in the engine's Grams (for spans)
    cues: list[list[int]] = field(default_factory=list)  # per text: group index of each cue found
    # per text: (group, start, end) of each cue, as Signals.positions gives them (when the cues
    # were looked up from the n-grams; else None and the spans scan the text)
    cue_pos: list[list[tuple[int, int, int]]] | None = None


def featurize(
    norm_texts: list[str],
    originals: list[str],
    grams,
    probs: np.ndarray,
    lex_scores: list[dict[str, float] | None],
    pii: list[list],
    exposure: list[float],
    signals: Signals,
    kinds: tuple[int, ...] = (1, 2),
    cue_grams: bool = True,
    min_grams: int = 1,
    skip_scale: float = 1.0,
) -> Features:
    """The features of a batch; training and inference both call this. With `cue_grams`
    the cues are looked up from `grams` (which must hold word orders 1–3 and diacritic-free
    orders 1–2: `lexicon.grams_ok`), else found by the regular expressions — the same cues.
    Each n-gram present is worth 1/√(n-grams of its kind in the text), counted as at least
    `min_grams`: one or two words carry too little evidence for one n-gram to weigh fully
    (the artifact says which value it was trained with). Kind 3, the diacritic-free word pairs
    with a word between them, is worth `skip_scale` times that: a back-off for phrasings with a
    word changed, not a second copy of the bigrams."""
    n = len(norm_texts)
    if cue_grams:
        cue_pos: list[list[tuple[int, int, int]]] | None = signals.positions_many(norm_texts, grams)
        cues = [[g for g, _s, _e in m] for m in cue_pos]  # type: ignore[union-attr]
    else:
        cue_pos = None
        cues = signals.groups_many_regex(norm_texts)
    G = len(signals.groups)
    F = G + 2 + len(LEX_CATEGORIES) + 1 + len(PII_TYPES) + 3
    D = np.zeros((n, F))
    rows: list[int] = []
    cols: list[int] = []
    for i, cl in enumerate(cues):
        if cl:
            rows.extend([i] * len(cl))
            cols.extend(cl)
    if rows:
        D[rows, cols] = 1.0
    # A named person / a class (matches are rare): the patterns run only on the texts that
    # hold what every match holds — "lớp"/"lop", or (a named person) one of its words, spaces
    # and a capital, found by one scan of the whole batch.
    for col, rx, hint, batch in ((G, _NAMED, _NAMED_HINT, originals), (G + 1, _CLASS, None, norm_texts)):
        for i in _candidates(batch, hint):
            if rx.search(batch[i]):
                D[i, col] = 1.0
    for i, sc in enumerate(lex_scores):
        if sc:
            for k, c in enumerate(LEX_CATEGORIES):
                D[i, G + 2 + k] = sc.get(c, 0.0)
    for i, found in enumerate(pii):
        if found:
            D[i, G + 2 + len(LEX_CATEGORIES)] = exposure[i]
            for p in found:
                D[i, G + 3 + len(LEX_CATEGORIES) + PII_TYPES.index(p.type)] = 1.0
    D[:, F - 3] = probs[:, 1]
    D[:, F - 2] = probs[:, 2]
    lengths = np.fromiter((t.count(" ") + 1 if t else 0 for t in norm_texts), dtype=np.float64, count=n)
    D[:, F - 1] = np.log1p(lengths) / 4.0

    use = np.zeros(SKIP_KIND + 1, dtype=bool)
    use[list(kinds)] = True
    sel = np.flatnonzero(use[grams.kind])
    if signals.gram_free:
        sel = sel[~_in_gram_free_cues(sel, grams, cue_pos if cue_pos is not None else signals.match_many(norm_texts),
                                      norm_texts, signals)]
    doc = grams.doc[sel]
    kind = grams.kind[sel].astype(np.int64)
    slot = doc * (SKIP_KIND + 1) + kind
    count = np.bincount(slot, minlength=n * (SKIP_KIND + 1)).astype(np.float64)
    val = 1.0 / np.sqrt(np.maximum(count[slot], min_grams))
    if skip_scale != 1.0:
        val[kind == SKIP_KIND] *= skip_scale
    return Features(D, G + 2, doc, grams.keys[sel], val, sel, cues, cue_pos)


def _in_gram_free_cues(sel: np.ndarray, grams, cue_pos: list[list[tuple[int, int, int]]], texts: list[str],
                       signals: Signals) -> np.ndarray:
    """Per n-gram of `sel`: whether it overlaps a cue of its text that is one of the signals'
    `gram_free` phrases (normalised offsets)."""
    groups, free = signals.gram_free_groups, signals.gram_free
    spans = [list({(s, e) for g, s, e in m if g in groups and texts[i][s:e] in free}) for i, m in enumerate(cue_pos)]
    return grams_overlapping(sel, grams, spans)


def grams_overlapping(idx: np.ndarray, grams, spans: list[list[tuple[int, int]]]) -> np.ndarray:
    """Per n-gram of `idx` (indices into the batch's `grams`): whether it overlaps one of its
    text's `spans` (offsets in the normalised text). Only the texts with a span are looked at.
    The emoticons read as laughter and the trainer's placeholder fills both go through here."""
    width = max((len(x) for x in spans), default=0)
    out = np.zeros(len(idx), dtype=bool)
    if not width:
        return out
    lo = np.full((len(spans), width), -1, dtype=np.int64)
    hi = np.full((len(spans), width), -1, dtype=np.int64)
    for i, x in enumerate(spans):
        for j, (a, b) in enumerate(x):
            lo[i, j], hi[i, j] = a, b
    doc = grams.doc[idx]
    look = np.flatnonzero(hi[doc, 0] >= 0)
    d, g = doc[look], idx[look]
    start, end = grams.start[g] - grams.base[d], grams.end[g] - grams.base[d]
    out[look] = ((start[:, None] < hi[d]) & (lo[d] < end[:, None])).any(1)
    return out


def pair_products(D: np.ndarray, pi: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """(n, P): the product of the cue columns of each pair."""
    Dt = np.ascontiguousarray(D.T)  # rows gathered, not strided columns
    return (Dt[pi] * Dt[pj]).T


def present_once(doc: np.ndarray, col: np.ndarray, val: np.ndarray, n_cols: int):
    """Each known n-gram counts once per text (presence, scaled by 1/sqrt(the text's
    n-gram count)): a text repeating a phrase 30,000 times cannot push a score without
    bound. Training builds its matrix through this too."""
    if len(col) == 0:
        return doc, col, val
    _, first = np.unique(doc * np.int64(n_cols) + col, return_index=True)
    return doc[first], col[first], val[first]


# The vocabulary is saved as the top KEY_BITS bits of each n-gram's 64-bit key (array `keys40`): the
# keys were half of the artifact (random bits do not compress) and 40 bits are enough here — an
# n-gram the model does not know borrows a known one's weights with probability vocabulary / 2^40,
# about one lookup in seven million. In memory a saved key is multiplied by an odd constant (a
# bijection of 64-bit words) because the index hashes on the top bits. The file keeps the sorted
# keys as gaps (`keys40_gaps`, uint32: about 2^40 / vocabulary each) and the n-gram weights a
# category at a time (`w_gram_t`, where each category's zeros run together): 1.86 -> 1.68 MB.
KEY_BITS = 40
KEY_SHIFT = np.uint64(64 - KEY_BITS)
_SPREAD = np.uint64(0x9E3779B97F4A7C15)


def saved_keys(keys: np.ndarray) -> np.ndarray:
    """n-gram keys as the artifact stores them (sorted keys stay sorted)."""
    return keys >> KEY_SHIFT


def _spread(keys40: np.ndarray) -> np.ndarray:
    return keys40 * _SPREAD


# The word pairs' entries (kind 3), saved apart so each file stays small, named by the json's
# "word_pairs_file" (the artifacts of 05/12/2026 say "pairs_file" and "categories_pairs.npz": they
# load as they are).
WORD_PAIRS_FILE = "categories_word_pairs.npz"


@dataclass(slots=True)
class CategoryModel:
    keys: np.ndarray  # uint64, sorted: the n-gram vocabulary (spread 40-bit keys, see KEY_SHIFT)
    w_gram: np.ndarray  # (V, 8)
    w_dense: np.ndarray  # (F, 8)
    pair_i: np.ndarray  # (P,) column indices into the binary cues
    pair_j: np.ndarray
    w_pair: np.ndarray  # (P, 8)
    bias: np.ndarray  # (8,)
    platt_a: np.ndarray  # (8,)
    platt_b: np.ndarray  # (8,)
    thresholds: np.ndarray  # (8,) on the calibrated probability
    meta: dict = field(default_factory=dict)
    _wt: list = field(default_factory=list, repr=False)
    _index: _Index | None = field(default=None, repr=False)
    _wd: list = field(default_factory=list, repr=False)
    _wp: list = field(default_factory=list, repr=False)
    _short_keys: bool = field(default=False, repr=False)  # keys saved as KEY_BITS bits (see load)

    def __post_init__(self) -> None:
        self._short_keys = self.meta.get("key_bits") == KEY_BITS
        self._wt = [np.ascontiguousarray(self.w_gram[:, k], dtype=np.float64) for k in range(len(CATEGORIES))]
        self._index = _Index(self.keys)
        self._wd = [np.ascontiguousarray(self.w_dense[:, k]) for k in range(len(CATEGORIES))]
        self._wp = [np.ascontiguousarray(self.w_pair[:, k]) for k in range(len(CATEGORIES))]

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    @property
    def kinds(self) -> tuple[int, ...]:
        return tuple(self.meta.get("kinds", (1, 2)))

    @property
    def min_grams(self) -> int:
        return int(self.meta.get("min_grams", 1))

    @property
    def skip_gaps(self) -> tuple[int, ...]:
        """The word pairs' gaps the engine must extract for this model (none before them)."""
        return SKIP_GAPS if SKIP_KIND in self.kinds else ()

    @property
    def skip_scale(self) -> float:
        return float(self.meta.get("skip_scale", 1.0))

    @classmethod
    def load(cls, directory: str | Path) -> "CategoryModel":
        d = Path(directory)
        with np.load(d / "categories.npz") as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads((d / "categories.json").read_text("utf-8"))
        if "keys40_gaps" in arrays:  # sorted keys saved as gaps, weights a category's column at a time
            keys = _spread(np.cumsum(arrays["keys40_gaps"].astype(np.uint64)))
            w_gram = arrays["w_gram_t"].T
            pairs_file = meta.get("word_pairs_file") or meta.get("pairs_file")
            if pairs_file:  # the word pairs' n-grams, in a file of their own
                if not (d / pairs_file).is_file():
                    raise FileNotFoundError(f"{d}: categories.json names {pairs_file}, which is not there "
                                            "(copy every file train-categories wrote)")
                with np.load(d / pairs_file) as z:
                    keys = np.concatenate([keys, _spread(np.cumsum(z["keys40_gaps"].astype(np.uint64)))])
                    w_gram = np.concatenate([w_gram, z["w_gram_t"].T])
        elif meta.get("key_bits") == KEY_BITS:  # the twenty-fourth round's artifact
            keys, w_gram = _spread(arrays["keys40"].astype(np.uint64)), arrays["w_gram"]
        else:  # an artifact of the twenty-third round or before: full keys, looked up as such
            keys, w_gram = arrays["keys"].astype(np.uint64), arrays["w_gram"]
        order = np.argsort(keys, kind="stable")  # the index wants its keys sorted
        return cls(
            keys[order], w_gram.astype(np.float32)[order],
            arrays["w_dense"].astype(np.float64), arrays["pair_i"].astype(np.intp), arrays["pair_j"].astype(np.intp),
            arrays["w_pair"].astype(np.float64), arrays["bias"].astype(np.float64),
            arrays["platt_a"].astype(np.float64), arrays["platt_b"].astype(np.float64),
            np.asarray([meta["thresholds"][c] for c in CATEGORIES], dtype=np.float64), meta,
        )

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        assert self._index is not None  # built in __post_init__
        return self._index(_spread(saved_keys(keys)) if self._short_keys else keys)

    def logits(self, f: Features) -> tuple[np.ndarray, np.ndarray]:
        """Raw scores (n, 8) and the vocabulary column of each used n-gram (-1 unknown)."""
        n = f.dense.shape[0]
        cols = self.lookup(f.gram_key)
        ok = cols >= 0
        d, c, v = present_once(f.gram_doc[ok], cols[ok], f.gram_val[ok], len(self.keys))
        # No BLAS (a thread pool's start-up costs more than these small products): the
        # dense features and the cue pairs are sparse, so each category is one bincount.
        K = len(CATEGORIES)
        z = np.empty((n, K))
        z[:] = self.bias
        D = f.dense
        nz = np.flatnonzero(D)
        r_d, c_d = np.divmod(nz, D.shape[1])
        v_d = D.ravel()[nz]
        if len(self.pair_i):
            # Only texts with two cues or more have a pair; cues are sparse (≈ 1.4 a comment).
            B = D[:, : f.n_binary]
            rows = np.flatnonzero(np.count_nonzero(B, axis=1) >= 2)
            if len(rows):
                Bt = np.ascontiguousarray(B[rows].T) > 0
                p_on, r_on = np.nonzero(Bt[self.pair_i] & Bt[self.pair_j])
                r_on = rows[r_on]
            else:
                p_on = r_on = np.zeros(0, dtype=np.intp)
        else:
            p_on = r_on = np.zeros(0, dtype=np.intp)
        for k, w in enumerate(self._wt):
            z[:, k] += np.bincount(d, weights=w[c] * v, minlength=n)
            z[:, k] += np.bincount(r_d, weights=v_d * self._wd[k][c_d], minlength=n)
            if len(p_on):
                z[:, k] += np.bincount(r_on, weights=self._wp[k][p_on], minlength=n)
        return z, cols

    def calibrate(self, z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.platt_a * z + self.platt_b)))


def default_model_dir() -> Path:
    """Where the category model loads from (CYBERYOUTH_SAFETY_MODEL_DIR, else the shipped one)."""
    from .model import default_model_dir as model_dir

    return model_dir("categories.npz")


@lru_cache(maxsize=4)
def load_category_model(directory: str | None = None) -> CategoryModel | None:
    d = Path(directory) if directory else default_model_dir()
    if not (d / "categories.npz").is_file():
        return None
    return CategoryModel.load(d)
