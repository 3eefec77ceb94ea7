"""Toxicity model inference: a linear model over hashed n-grams, numpy only.

Artifact (a directory, by default the package's `model/`):
  toxicity.npz  keys (uint64, sorted), weights (float16, V x 3, idf folded in),
                idf (float16), bias (float32, 3), temperature (float32)
  meta.json     version, labels, feature orders, training summary and dev metrics

Features: for each of the three kinds of n-gram (characters, words, words
without diacritics), x = sum over occurrences of idf[key] * e_key, divided by
sqrt(sum over occurrences of idf[key]^2). Training (train.py) builds exactly the
same vectors from `features.extract`, so train and inference cannot drift.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .features import N_KINDS, Grams, extract

__all__ = ["LABELS", "ToxicityModel", "Scored", "load_model", "default_model_dir"]

LABELS = ("CLEAN", "OFFENSIVE", "HATE")


@dataclass(slots=True)
class Scored:
    """Batch output: calibrated probabilities plus what explanations need."""

    probs: np.ndarray  # (n, 3)
    labels: np.ndarray  # (n,) int
    grams: Grams
    cols: np.ndarray  # per n-gram occurrence: vocabulary column, -1 if unknown
    norms: np.ndarray  # (n, N_KINDS) block norms


@dataclass(slots=True)
class ToxicityModel:
    keys: np.ndarray
    weights: np.ndarray  # float32 (V, 3), idf folded in
    idf2: np.ndarray  # float32 (V,), idf squared
    bias: np.ndarray  # float32 (3,)
    temperature: float
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unknown"))

    @classmethod
    def load(cls, directory: str | Path) -> "ToxicityModel":
        d = Path(directory)
        with np.load(d / "toxicity.npz") as z:
            keys = z["keys"].astype(np.uint64)
            idf = z["idf"].astype(np.float32)
            weights = z["weights"].astype(np.float32) * idf[:, None]
            bias = z["bias"].astype(np.float32)
            temperature = float(z["temperature"])
        meta = json.loads((d / "meta.json").read_text("utf-8"))
        return cls(keys, weights, idf * idf, bias, temperature, meta)

    def orders(self) -> dict[str, tuple[int, ...]]:
        f = self.meta.get("features", {})
        return {
            "char_orders": tuple(f.get("char_orders", (1, 2, 3, 4, 5))),
            "word_orders": tuple(f.get("word_orders", (1, 2, 3))),
            "strip_orders": tuple(f.get("strip_orders", (1, 2))),
        }

    def _table(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Open-addressing hash table over the keys (built once, vectorised).

        Most n-grams of a comment are unknown; a table answers those in ~1 probe,
        several times faster than a binary search over 120k keys."""
        t = _TABLES.get(id(self))
        if t is not None and t[3] is self.keys:
            return t[:3]
        bits = max(4, int(len(self.keys) * 4 - 1).bit_length())
        size = 1 << bits
        shift = np.uint64(64 - bits)
        tcol = np.full(size, -1, dtype=np.int32)
        tkeys = np.zeros(size, dtype=np.uint64)
        slot = (self.keys >> shift).astype(np.int64)
        pending = np.arange(len(self.keys))
        while pending.size:
            s = slot[pending]
            free = tcol[s] == -1
            u, first = np.unique(s[free], return_index=True)
            winners = pending[free][first]
            tcol[u] = winners
            tkeys[u] = self.keys[winners]
            placed = np.zeros(len(self.keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & (size - 1)
        _TABLES[id(self)] = (tkeys, tcol, 64 - bits, self.keys)
        return tkeys, tcol, 64 - bits

    def lookup(self, grams: Grams) -> np.ndarray:
        """Vocabulary column of each n-gram occurrence, -1 when unknown."""
        q = grams.keys
        res = np.full(len(q), -1, dtype=np.int64)
        if len(self.keys) == 0 or len(q) == 0:
            return res
        tkeys, tcol, shift = self._table()
        mask = len(tcol) - 1
        slot = (q >> np.uint64(shift)).astype(np.int64)
        active = np.arange(len(q))
        while active.size:
            s = slot[active]
            c = tcol[s]
            hit = (c >= 0) & (tkeys[s] == q[active])
            res[active[hit]] = c[hit]
            cont = (c >= 0) & ~hit  # slot taken by another key: probe the next one
            active = active[cont]
            slot[active] = (s[cont] + 1) & mask
        return res

    def raw_logits(self, texts: list[str]) -> tuple[np.ndarray, Grams, np.ndarray, np.ndarray]:
        """Uncalibrated logits (without bias) of normalised texts."""
        n = len(texts)
        grams = extract(texts, **self.orders())
        cols = self.lookup(grams)
        ok = cols >= 0
        c = cols[ok]
        slot = grams.doc[ok] * N_KINDS + grams.kind[ok]
        norm2 = np.bincount(slot, weights=self.idf2[c], minlength=n * N_KINDS)
        norms = np.sqrt(norm2)
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        z = np.zeros((n, 3))
        w = self.weights[c]
        for k in range(3):
            s = np.bincount(slot, weights=w[:, k], minlength=n * N_KINDS) * inv
            z[:, k] = s.reshape(n, N_KINDS).sum(1)
        return z, grams, cols, norms.reshape(n, N_KINDS)

    def score(self, texts: list[str]) -> Scored:
        z, grams, cols, norms = self.raw_logits(texts)
        z = (z + self.bias) / self.temperature
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        # Empty text, or no known n-gram at all (symbols unseen in training):
        # the bias alone would decide; say CLEAN instead.
        empty = (norms.sum(1) == 0) | np.fromiter((not t for t in texts), dtype=bool, count=len(texts))
        if empty.any():
            p[empty] = (1.0, 0.0, 0.0)
        return Scored(p, p.argmax(1), grams, cols, norms)

    def contributions(self, scored: Scored, doc: int, label: int) -> list[tuple[int, int, float]]:
        """(start, end, contribution) of n-grams pushing text `doc` towards `label` over CLEAN."""
        g = scored.grams
        sel = np.flatnonzero((g.doc == doc) & (scored.cols >= 0))
        if len(sel) == 0:
            return []
        c = scored.cols[sel]
        kinds = g.kind[sel]
        norm = scored.norms[doc, kinds]
        contrib = (self.weights[c, label] - self.weights[c, 0]) / np.where(norm > 0, norm, 1.0)
        out = []
        for i, v in zip(sel.tolist(), contrib.tolist()):
            if v > 0:
                s, e = g.span(i)
                if e > s:
                    out.append((s, e, v))
        return out


_TABLES: dict[int, tuple] = {}


def default_model_dir() -> Path:
    return Path(str(resources.files("cyberyouth.safety").joinpath("model")))


@lru_cache(maxsize=4)
def load_model(directory: str | None = None) -> ToxicityModel:
    return ToxicityModel.load(directory or default_model_dir())
