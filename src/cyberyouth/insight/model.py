"""Insight model inference: two linear heads over hashed n-grams, numpy only.

Artifact (a directory, by default the package's `model/`):
  insight.npz  keys (uint64, sorted), weights (float16, V x 7: 3 sentiment + 4 topic
               columns, idf not folded in), idf (float16), bias (float32, 7),
               temperature (float32, 2: one per head), unknown_idf (float32)
  meta.json    version, labels, feature orders, training summary and dev metrics

Features are those of `cyberyouth.safety.features.extract` on `prepare`d text: for
each kind of n-gram (characters, words, words without diacritics) x = sum of
idf[key] * e_key over the text's n-grams, divided by the L2 norm of that kind's
block (n-grams outside the vocabulary counting with `unknown_idf`). Training
(train.py) builds the same vectors through `design`, so train and inference
cannot drift.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from cyberyouth.safety.features import N_KINDS, Grams, extract
from cyberyouth.safety.model import ToxicityModel

__all__ = ["SENTIMENTS", "TOPICS", "InsightModel", "Scored", "load_model", "default_model_dir"]

SENTIMENTS = ("negative", "neutral", "positive")
TOPICS = ("lecturer", "curriculum", "facility", "others")
HEADS = ((0, 3), (3, 7))  # column ranges of the sentiment and topic heads


@dataclass(slots=True)
class Scored:
    """Batch output: calibrated probabilities of both heads plus what cues need."""

    sentiment: np.ndarray  # (n, 3)
    topic: np.ndarray  # (n, 4)
    grams: Grams
    cols: np.ndarray  # per n-gram occurrence: vocabulary column, -1 if unknown
    inv_norms: np.ndarray  # (n * N_KINDS,) 1 / block norm (0 for an empty block)
    known: np.ndarray  # (n,) bool: the text has at least one known word n-gram


@dataclass(slots=True)
class InsightModel:
    keys: np.ndarray
    weights: np.ndarray  # float32 (V, 7), idf folded in
    idf2: np.ndarray  # float32 (V,)
    bias: np.ndarray  # float32 (7,)
    temperature: np.ndarray  # float32 (2,)
    meta: dict = field(default_factory=dict)
    unknown_idf: float = 0.0
    _push: np.ndarray | None = field(default=None, repr=False, compare=False)

    # The hash table over the keys is safety's (same keys, same probing): reused, not copied.
    _index = ToxicityModel._index
    lookup = ToxicityModel.lookup

    def __post_init__(self) -> None:
        self.weights = np.ascontiguousarray(self.weights, dtype=np.float64)
        # Push of each n-gram towards each sentiment label against the mean of the
        # other two (what cues show), flattened label-major for one gather per batch.
        w = self.weights[:, :3]
        self._push = np.ascontiguousarray((1.5 * w - 0.5 * w.sum(1, keepdims=True)).T).ravel()

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    @classmethod
    def load(cls, directory: str | Path) -> "InsightModel":
        d = Path(directory)
        with np.load(d / "insight.npz") as z:
            keys = z["keys"].astype(np.uint64)
            idf = z["idf"].astype(np.float32)
            weights = z["weights"].astype(np.float32) * idf[:, None]
            bias = z["bias"].astype(np.float32)
            temperature = z["temperature"].astype(np.float32)
            unknown_idf = float(z["unknown_idf"])
        meta = json.loads((d / "meta.json").read_text("utf-8"))
        return cls(keys, weights, idf * idf, bias, temperature, meta, unknown_idf)

    def orders(self) -> dict[str, tuple[int, ...]]:
        f = self.meta.get("features", {})
        return {
            "char_orders": tuple(f.get("char_orders", (1, 2, 3, 4, 5))),
            "word_orders": tuple(f.get("word_orders", (1, 2, 3))),
            "strip_orders": tuple(f.get("strip_orders", (1, 2))),
        }

    def raw_logits(self, texts: list[str]) -> tuple[np.ndarray, Grams, np.ndarray, np.ndarray, np.ndarray]:
        """Logits without bias (n, 7) of prepared texts, and the pieces cues need."""
        n = len(texts)
        grams = extract(texts, **self.orders())
        cols = self.lookup(grams)
        ok = np.flatnonzero(cols >= 0)
        c = cols[ok]
        slot = grams.doc[ok] * N_KINDS + grams.kind[ok]
        m = n * N_KINDS
        norm2 = np.bincount(slot, weights=self.idf2[c], minlength=m)
        known = np.bincount(slot, minlength=m)
        if self.unknown_idf > 0:
            total = np.bincount(grams.doc * N_KINDS + grams.kind, minlength=m)
            norm2 = norm2 + (self.unknown_idf**2) * (total - known)
        norms = np.sqrt(norm2)
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        # z = X @ W with X[doc, col] = sum of inv[block] over the text's occurrences of col:
        # scipy builds the sparse matrix with a counting sort and multiplies in C.
        # Occurrences grouped by text: the n-grams come in runs already ordered by text
        # (one run per kind and order), which a stable sort merges in near-linear time.
        d = grams.doc[ok]
        order = np.argsort(d, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(d, minlength=n), out=indptr[1:])
        X = csr_matrix((inv[slot[order]], c[order], indptr), shape=(n, len(self.keys)))
        z = X @ self.weights
        # A text with no known word (empty, only punctuation, or words never seen in
        # training) says nothing the model can read: only its character n-grams would
        # speak, and a lone space or comma is not an opinion.
        has_known = known.reshape(n, N_KINDS)[:, 1:].sum(1) > 0
        return z, grams, cols, inv, has_known

    def score(self, texts: list[str]) -> Scored:
        z, grams, cols, inv, known = self.raw_logits(texts)
        z = z + self.bias
        probs = []
        for h, (a, b) in enumerate(HEADS):
            s = z[:, a:b] / float(self.temperature[h])
            s -= s.max(1, keepdims=True)
            p = np.exp(s)
            p /= p.sum(1, keepdims=True)
            probs.append(p)
        return Scored(probs[0], probs[1], grams, cols, inv, known)

    def sentiment_contributions(self, scored: Scored, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per known n-gram occurrence: its push towards its text's sentiment label
        against the mean of the other two labels (logit units). Returns (index into
        the grams, contribution)."""
        g = scored.grams
        sel = np.flatnonzero(scored.cols >= 0)
        if sel.size == 0:
            return sel, np.zeros(0)
        c = scored.cols[sel]
        d = g.doc[sel]
        contrib = self._push[labels[d] * len(self.keys) + c] * scored.inv_norms[d * N_KINDS + g.kind[sel]]
        return sel, contrib


def default_model_dir() -> Path:
    return Path(str(resources.files("cyberyouth.insight").joinpath("model")))


@lru_cache(maxsize=4)
def load_model(directory: str | None = None) -> InsightModel:
    return InsightModel.load(directory or default_model_dir())
