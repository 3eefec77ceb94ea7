"""The learned child-safety category model: eight calibrated one-vs-rest linear scorers.

Inputs are what the engine has already computed for a batch (normalised texts, the
toxicity model's n-grams and probabilities, lexicon hits, personal data) plus the
target/intent/framing cues of data/signals.json. Features of a text:

* hashed word n-grams (the toxicity model's keys, word and diacritic-free word kinds),
  each kind scaled to unit length over all its n-grams (known or not);
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

Artifact: model/categories.npz + model/categories.json (thresholds, version, training
summary). Training: train_categories.py (scikit-learn at training time only).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .lexicon import CATEGORIES as LEX_CATEGORIES
from .lexicon import _trie_regex
from .normalize import normalize, strip_diacritics

__all__ = ["CATEGORIES", "Signals", "CategoryModel", "Features", "load_signals", "load_category_model",
           "featurize", "dense_names"]

CATEGORIES = ("harassment", "sexual", "violence", "self_harm", "scam", "gambling", "drugs", "personal_data")
PII_TYPES = ("phone", "landline", "citizen_id", "email", "address", "student")

# A classmate named with a pronoun or a class: "thằng Nam", "con Lan", "Hà My lớp 7A2".
_UP = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_NAMED = re.compile(
    rf"(?:(?<!\w)(?:thằng|con|bạn|em|nhỏ|bé|đứa|thang|ban|nho|be|dua)\s+[{_UP}]\w+"
    rf"|[{_UP}]\w+(?:\s+[{_UP}]\w+)?\s+(?:lớp|lop)\s+\d)"
)
_CLASS = re.compile(r"(?<!\w)(?:lớp|lop)\s+\d{1,2}[a-z]?\d?(?!\w)")


class Signals:
    """Cue groups (data/signals.json) matched in one pass over a whole batch."""

    def __init__(self, raw: dict) -> None:
        self.groups: tuple[str, ...] = tuple(raw["groups"])
        self.framing: frozenset[str] = frozenset(raw.get("framing_groups", ()))
        index = {g: i for i, g in enumerate(self.groups)}
        self.phrase_groups: dict[str, list[int]] = {}
        for g, phrases in raw["groups"].items():
            for p in phrases:
                q = normalize(p).text
                if q:
                    lst = self.phrase_groups.setdefault(q, [])
                    if index[g] not in lst:
                        lst.append(index[g])
        self._re = _trie_regex(sorted(self.phrase_groups))
        multi: dict[str, str] = {}
        for p in self.phrase_groups:
            if " " in p:
                multi.setdefault(strip_diacritics(p), p)
        self._strip = multi
        self._re_strip = _trie_regex(sorted(multi), fold=True)

    def match_many(self, texts: list[str]) -> list[list[tuple[int, int, int]]]:
        """Per text: (group index, start, end) of each cue (normalised offsets)."""
        starts: list[int] = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        joined = "\n".join(texts)
        out: list[list[tuple[int, int, int]]] = [[] for _ in texts]
        pg = self.phrase_groups
        for m in self._re.finditer(joined):
            p = m.group(1)
            if not p:
                continue
            s = m.start()
            d = bisect_right(starts, s) - 1
            s -= starts[d]
            o = out[d]
            for g in pg[p]:
                o.append((g, s, s + len(p)))
        if self._re_strip is not None:
            for m in self._re_strip.finditer(joined):
                p = m.group(1)
                if not p:
                    continue
                q = self._strip[strip_diacritics(p)]
                s = m.start()
                d = bisect_right(starts, s) - 1
                s -= starts[d]
                for g in pg[q]:
                    out[d].append((g, s, s + len(p)))
        return out


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
    gram_val: np.ndarray  # 1 / sqrt(number of n-grams of that kind in the text)
    gram_idx: np.ndarray  # index of the occurrence in the engine's Grams (for spans)
    cues: list[list[tuple[int, int, int]]] = field(default_factory=list)  # per text (group, start, end)


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
) -> Features:
    """The features of a batch; training and inference both call this."""
    n = len(norm_texts)
    cues = signals.match_many(norm_texts)
    G = len(signals.groups)
    F = G + 2 + len(LEX_CATEGORIES) + 1 + len(PII_TYPES) + 3
    D = np.zeros((n, F))
    rows: list[int] = []
    cols: list[int] = []
    for i, cl in enumerate(cues):
        for g, _s, _e in cl:
            rows.append(i)
            cols.append(g)
    if rows:
        D[rows, cols] = 1.0
    for i, (t, o) in enumerate(zip(norm_texts, originals)):
        if _NAMED.search(o) is not None:
            D[i, G] = 1.0
        if "lớp" in t or "lop" in t:
            if _CLASS.search(t) is not None:
                D[i, G + 1] = 1.0
        sc = lex_scores[i]
        if sc:
            for k, c in enumerate(LEX_CATEGORIES):
                D[i, G + 2 + k] = sc.get(c, 0.0)
        found = pii[i]
        if found:
            D[i, G + 2 + len(LEX_CATEGORIES)] = exposure[i]
            for p in found:
                D[i, G + 3 + len(LEX_CATEGORIES) + PII_TYPES.index(p.type)] = 1.0
    D[:, F - 3] = probs[:, 1]
    D[:, F - 2] = probs[:, 2]
    lengths = np.fromiter((t.count(" ") + 1 if t else 0 for t in norm_texts), dtype=np.float64, count=n)
    D[:, F - 1] = np.log1p(lengths) / 4.0

    sel = np.flatnonzero(np.isin(grams.kind, kinds))
    doc = grams.doc[sel]
    kind = grams.kind[sel].astype(np.int64)
    slot = doc * 3 + kind
    count = np.bincount(slot, minlength=n * 3).astype(np.float64)
    val = 1.0 / np.sqrt(count[slot])
    return Features(D, G + 2, doc, grams.keys[sel], val, sel, cues)


def pair_products(D: np.ndarray, pi: np.ndarray, pj: np.ndarray) -> np.ndarray:
    return D[:, pi] * D[:, pj]


@dataclass(slots=True)
class CategoryModel:
    keys: np.ndarray  # uint64, sorted: the n-gram vocabulary
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

    def __post_init__(self) -> None:
        self._wt = [np.ascontiguousarray(self.w_gram[:, k], dtype=np.float64) for k in range(len(CATEGORIES))]

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    @property
    def kinds(self) -> tuple[int, ...]:
        return tuple(self.meta.get("kinds", (1, 2)))

    @classmethod
    def load(cls, directory: str | Path) -> "CategoryModel":
        d = Path(directory)
        with np.load(d / "categories.npz") as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads((d / "categories.json").read_text("utf-8"))
        return cls(
            arrays["keys"].astype(np.uint64), arrays["w_gram"].astype(np.float32),
            arrays["w_dense"].astype(np.float64), arrays["pair_i"].astype(np.intp), arrays["pair_j"].astype(np.intp),
            arrays["w_pair"].astype(np.float64), arrays["bias"].astype(np.float64),
            arrays["platt_a"].astype(np.float64), arrays["platt_b"].astype(np.float64),
            np.asarray([meta["thresholds"][c] for c in CATEGORIES], dtype=np.float64), meta,
        )

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0 or len(keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        idx = np.searchsorted(self.keys, keys)
        np.minimum(idx, len(self.keys) - 1, out=idx)
        return np.where(self.keys[idx] == keys, idx, -1)

    def logits(self, f: Features) -> tuple[np.ndarray, np.ndarray]:
        """Raw scores (n, 8) and the vocabulary column of each used n-gram (-1 unknown)."""
        n = f.dense.shape[0]
        cols = self.lookup(f.gram_key)
        ok = cols >= 0
        c = cols[ok]
        d = f.gram_doc[ok]
        v = f.gram_val[ok]
        z = f.dense @ self.w_dense + self.bias
        if len(self.pair_i):
            z += pair_products(f.dense, self.pair_i, self.pair_j) @ self.w_pair
        for k, w in enumerate(self._wt):
            z[:, k] += np.bincount(d, weights=w[c] * v, minlength=n)
        return z, cols

    def calibrate(self, z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.platt_a * z + self.platt_b)))


def default_model_dir() -> Path:
    return Path(str(resources.files("cyberyouth.safety").joinpath("model")))


@lru_cache(maxsize=4)
def load_category_model(directory: str | None = None) -> CategoryModel | None:
    d = Path(directory) if directory else default_model_dir()
    if not (d / "categories.npz").is_file():
        return None
    return CategoryModel.load(d)
