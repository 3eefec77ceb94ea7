"""Toxicity model inference: a linear model over hashed n-grams, numpy only.

Artifact (a directory, by default the package's `model/`):
  toxicity.npz  keys (uint64, sorted), weights (float16, V x 3, idf folded in),
                idf (float16), bias (float32, 3), temperature (float32),
                unknown_idf (float32, optional: 0 when absent)
  meta.json     version, labels, feature orders, training summary and dev metrics

Features: for each of the three kinds of n-gram (characters, words, words
without diacritics), x = sum over occurrences of idf[key] * e_key, divided by
sqrt(sum over occurrences of idf[key]^2 + unknown_idf^2 * number of occurrences
of n-grams outside the vocabulary). Training (train.py) builds exactly the
same vectors from `features.extract`, so train and inference cannot drift.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .features import N_KINDS, Grams, KeyIndex, extract

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
    unknown_idf: float = 0.0  # idf given to n-grams outside the vocabulary in the norms
    _wt: list = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One contiguous float64 array per label: the gathers feed np.bincount directly.
        self._wt = [np.ascontiguousarray(self.weights[:, k], dtype=np.float64) for k in range(3)]

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
            unknown_idf = float(z["unknown_idf"]) if "unknown_idf" in z.files else 0.0
        meta = json.loads((d / "meta.json").read_text("utf-8"))
        return cls(keys, weights, idf * idf, bias, temperature, meta, unknown_idf)

    def orders(self) -> dict[str, tuple[int, ...]]:
        f = self.meta.get("features", {})
        return {
            "char_orders": tuple(f.get("char_orders", (1, 2, 3, 4, 5))),
            "word_orders": tuple(f.get("word_orders", (1, 2, 3))),
            "strip_orders": tuple(f.get("strip_orders", (1, 2))),
        }

    def _index(self) -> KeyIndex:
        """Hash table over the keys (built once; `features.KeyIndex`, int32 columns)."""
        t = _TABLES.get(id(self))
        if t is not None and t.keys is self.keys:
            return t
        t = _TABLES[id(self)] = KeyIndex(self.keys, np.int32)
        return t

    def lookup(self, grams: Grams) -> np.ndarray:
        """Vocabulary column of each n-gram occurrence, -1 when unknown."""
        return self._index()(grams.keys)

    def raw_logits(self, texts: list[str]) -> tuple[np.ndarray, Grams, np.ndarray, np.ndarray]:
        """Uncalibrated logits (without bias) of normalised texts."""
        return self._raw(texts)[:4]

    def _raw(self, texts: list[str]) -> tuple[np.ndarray, Grams, np.ndarray, np.ndarray, np.ndarray]:
        n = len(texts)
        grams = extract(texts, **self.orders())
        cols = self.lookup(grams)
        ok = np.flatnonzero(cols >= 0)
        c = cols[ok]
        slot_all = grams.doc * N_KINDS + grams.kind
        slot = slot_all[ok]
        m = n * N_KINDS
        norm2 = np.bincount(slot, weights=self.idf2[c], minlength=m)
        known = None
        if self.unknown_idf > 0:
            # N-grams outside the vocabulary still count in the length of the text
            # (each with the same idf): a comment that is mostly unknown n-grams does
            # not get its few known ones blown up by the normalisation.
            known = np.bincount(slot, minlength=m)
            total = np.bincount(slot_all, minlength=m)
            norm2 = norm2 + (self.unknown_idf**2) * (total - known)
        norms = np.sqrt(norm2)
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        wt = self._wt
        z = np.empty((n, 3))
        for k in range(3):
            s = np.bincount(slot, weights=wt[k][c], minlength=m) * inv
            z[:, k] = s.reshape(n, N_KINDS).sum(1)
        norms = norms.reshape(n, N_KINDS)
        has_known = norms.sum(1) > 0 if known is None else known.reshape(n, N_KINDS).sum(1) > 0
        return z, grams, cols, norms, has_known

    def score(self, texts: list[str]) -> Scored:
        z, grams, cols, norms, has_known = self._raw(texts)
        z = (z + self.bias) / self.temperature
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        # Empty text, or no known n-gram at all (symbols unseen in training):
        # the bias alone would decide; say CLEAN instead.
        empty = ~has_known | np.fromiter((not t for t in texts), dtype=bool, count=len(texts))
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


_TABLES: dict[int, KeyIndex] = {}


# A deployment's own retrained models (`safety train` / `train-categories --out` into it, from
# its moderators' decisions) live outside the package, so that an upgrade does not overwrite them.
MODEL_DIR_ENV = "CYBERYOUTH_SAFETY_MODEL_DIR"


def default_model_dir(artifact: str = "toxicity.npz") -> Path:
    """The folder to load `artifact` from: the one named by CYBERYOUTH_SAFETY_MODEL_DIR when it
    holds that artifact, else the models shipped with the package. A folder named but missing, or
    holding no model at all, is an error rather than a silent fall-back to the shipped models."""
    shipped = Path(str(resources.files("cyberyouth.safety").joinpath("model")))
    own = os.environ.get(MODEL_DIR_ENV, "").strip()
    if not own:
        return shipped
    d = Path(own)
    if not d.is_dir():
        raise RuntimeError(f"{MODEL_DIR_ENV}={own}: no such folder")
    if not any((d / f).is_file() for f in ("toxicity.npz", "categories.npz")):
        raise RuntimeError(f"{MODEL_DIR_ENV}={own}: holds neither toxicity.npz nor categories.npz")
    return d if (d / artifact).is_file() else shipped


@lru_cache(maxsize=4)
def load_model(directory: str | None = None) -> ToxicityModel:
    return ToxicityModel.load(directory or default_model_dir())
