"""Training of the insight model (scikit-learn at training time only).

Steps, all deterministic for a given seed:
  1. `prepare` the texts; hash n-grams with `cyberyouth.safety.features.extract`
     (the inference code);
  2. vocabulary = n-grams in >= min_df training texts; idf as in scikit-learn;
     each kind of n-gram L2-normalised per text, n-grams outside the vocabulary
     counting with `unknown_idf` (the idf of a one-text n-gram);
  3. per head (sentiment, topic) a multinomial logistic regression on the same
     features; both heads share one vocabulary, so one lookup serves both;
  4. k-fold cross-validation on train gives out-of-fold logits; from them, per-class
     offsets of each head maximising weighted F1, then the temperature of each head
     minimising the log-loss (dev plays no part in fitting, decision or calibration);
  5. write insight.npz + meta.json; dev metrics (when --dev is given) come from
     the saved artifact through the inference path, so `insight eval` reproduces them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from cyberyouth.safety.features import extract
from cyberyouth.safety.train import _design as design

from .model import SENTIMENTS, TOPICS, InsightModel
from .prepare import prepare

__all__ = ["DataError", "TrainConfig", "load_csv", "metrics", "train", "TEXT_COLS"]

TEXT_COLS = ("sentence", "text", "answer", "content", "comment", "free_text", "noi_dung")
_SENTIMENT_NAMES = {"negative": 0, "neg": 0, "tiêu cực": 0, "neutral": 1, "neu": 1, "trung tính": 1,
                    "positive": 2, "pos": 2, "tích cực": 2}
_TOPIC_NAMES = {"lecturer": 0, "giảng viên": 0, "curriculum": 1, "training_program": 1, "chương trình": 1,
                "facility": 2, "cơ sở vật chất": 2, "others": 3, "other": 3, "khác": 3}


class DataError(Exception):
    """Bad input data: the CLI prints the message and exits with code 2."""


def _label(value: str, names: dict[str, int], k: int) -> int | None:
    v = (value or "").strip().lower()
    if v in names:
        return names[v]
    try:
        f = float(v)
    except ValueError:
        return None
    return int(f) if f.is_integer() and 0 <= f < k else None


def load_csv(
    path: str | Path,
    text_col: str | None = None,
    sentiment_col: str | None = "sentiment",
    topic_col: str | None = "topic",
) -> tuple[list[str], np.ndarray | None, np.ndarray | None]:
    """Texts and labels of a CSV. A label column set to None (or absent when it was
    left at its default) is not read; labels are 0/1/2 (0/1/2/3) or their names."""
    p = Path(path)
    if not p.is_file():
        raise DataError(f"file not found: {p}")
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            fields = list(reader.fieldnames or [])
    except UnicodeDecodeError as exc:
        raise DataError(f"{p}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise DataError(f"{p}: bad CSV: {exc}") from None
    if text_col:
        if text_col not in fields:
            raise DataError(f"{p}: no column {text_col!r} (columns: {', '.join(fields)})")
        tc = text_col
    else:
        tc = next((c for c in TEXT_COLS if c in fields), "")
        if not tc:
            raise DataError(f"{p}: no text column (tried {', '.join(TEXT_COLS)}; columns: {', '.join(fields)})")
    if not rows:
        raise DataError(f"{p}: no rows")
    out: list[np.ndarray | None] = []
    for col, names, k, what in ((sentiment_col, _SENTIMENT_NAMES, 3, "sentiment"), (topic_col, _TOPIC_NAMES, 4, "topic")):
        if not col:
            out.append(None)
            continue
        if col not in fields:
            if col == what:  # the default name, absent: this file has no such labels
                out.append(None)
                continue
            raise DataError(f"{p}: no column {col!r} (columns: {', '.join(fields)})")
        vals = []
        for i, r in enumerate(rows, start=2):
            lab = _label(r.get(col) or "", names, k)
            if lab is None:
                raise DataError(f"{p}:{i}: {what} {r.get(col)!r} is not one of 0..{k - 1} or {'/'.join(n for n in names if n.isascii() and ' ' not in n)}")
            vals.append(lab)
        out.append(np.asarray(vals, dtype=np.int64))
    return [r.get(tc) or "" for r in rows], out[0], out[1]


# ---------------------------------------------------------------- metrics


def metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: tuple[str, ...]) -> dict:
    """Weighted and macro F1, accuracy, per-class precision/recall/F1/support, confusion matrix."""
    k = len(labels)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true), np.asarray(y_pred)), 1)
    per: dict[str, dict] = {}
    f1s, sup = [], []
    for i, name in enumerate(labels):
        tp = cm[i, i]
        p = tp / cm[:, i].sum() if cm[:, i].sum() else 0.0
        r = tp / cm[i, :].sum() if cm[i, :].sum() else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[name] = {"precision": round(float(p), 4), "recall": round(float(r), 4),
                     "f1": round(float(f), 4), "support": int(cm[i, :].sum())}
        f1s.append(f)
        sup.append(cm[i, :].sum())
    total = max(1, int(cm.sum()))
    return {
        "weighted_f1": round(float(np.dot(f1s, sup) / total), 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
        "accuracy": round(float(np.trace(cm) / total), 4),
        "per_class": per,
        "confusion_matrix": cm.tolist(),
        "labels": list(labels),
        "n": int(cm.sum()),
    }


def weighted_f1(y: np.ndarray, p: np.ndarray, k: int) -> float:
    f = 0.0
    for i in range(k):
        tp = np.sum((p == i) & (y == i))
        fp = np.sum((p == i) & (y != i))
        fn = np.sum((p != i) & (y == i))
        f += (2 * tp / (2 * tp + fp + fn) if tp else 0.0) * np.sum(y == i)
    return float(f / max(1, len(y)))


# ---------------------------------------------------------------- training


@dataclass
class TrainConfig:
    seed: int = 13
    C: tuple[float, float] = (8.0, 8.0)  # sentiment, topic
    class_weight: tuple[str | None, str | None] = (None, None)
    min_df: int = 2
    max_features: int = 150_000
    # Character 1-grams add nothing cross-validation can see (docs/insight.md): left out.
    char_orders: tuple[int, ...] = (2, 3, 4, 5)
    word_orders: tuple[int, ...] = (1, 2, 3)
    strip_orders: tuple[int, ...] = (1, 2)
    unknown_idf: str | float = "df1"
    folds: int = 5
    # Per-class offsets maximising the out-of-fold weighted F1 (needs folds > 1).
    tune_offsets: bool = True
    extra: dict = field(default_factory=dict)


@dataclass
class Features:
    """Prepared texts hashed once; `matrix(vocab, idf)` builds any design from them."""

    texts: list[str]
    grams: object
    n: int

    def matrix(self, vocab: np.ndarray, idf: np.ndarray, unknown_idf: float):
        return design(self.grams, self.n, vocab, idf, unknown_idf)


def featurize(texts: list[str], cfg: TrainConfig) -> Features:
    prepared = [prepare(t) for t in texts]
    g = extract(prepared, char_orders=cfg.char_orders, word_orders=cfg.word_orders, strip_orders=cfg.strip_orders)
    return Features(prepared, g, len(prepared))


def vocabulary(f: Features, cfg: TrainConfig, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """Keys with df >= min_df among `rows` (all texts by default), their idf, unknown_idf."""
    g = f.grams
    if rows is None:
        keys, doc, n = g.keys, g.doc, f.n
    else:
        mask = np.zeros(f.n, dtype=bool)
        mask[rows] = True
        sel = mask[g.doc]
        keys, doc, n = g.keys[sel], g.doc[sel], len(rows)
    uniq, inv = np.unique(keys, return_inverse=True)
    pairs = np.unique(inv.astype(np.int64) * f.n + doc)
    df = np.bincount(pairs // f.n, minlength=len(uniq))
    keep = df >= cfg.min_df
    idf = (np.log((1 + n) / (1 + df[keep])) + 1).astype(np.float32)
    unknown = float(np.float16(np.log((1 + n) / 2) + 1)) if cfg.unknown_idf == "df1" else float(cfg.unknown_idf)
    return uniq[keep], idf, unknown


def fit_head(X, y, C: float, class_weight, seed: int, k: int | None = None):
    """(coef (k, V), intercept (k,)) of one head. Classes absent from `y` (a small or
    partial training file) get zero weights and an intercept that never wins."""
    from sklearn.linear_model import LogisticRegression

    k = k or int(y.max()) + 1
    present = np.unique(y)
    if len(present) == 1:
        coef, icpt = np.zeros((1, X.shape[1])), np.zeros(1)
    else:
        clf = LogisticRegression(C=C, max_iter=5000, class_weight=class_weight, random_state=seed)
        clf.fit(X, y)
        coef, icpt = clf.coef_, clf.intercept_
        if len(present) == 2:  # scikit-learn's binary form: one row, for the second class
            coef, icpt = np.vstack([-coef / 2, coef / 2]), np.array([-icpt[0] / 2, icpt[0] / 2])
    full = np.zeros((k, X.shape[1]))
    bias = np.full(k, float(icpt.min()) - 10.0)
    full[present] = coef
    bias[present] = icpt
    return full, bias


def _temperature(z: np.ndarray, y: np.ndarray) -> float:
    best_t, best_nll = 1.0, np.inf
    for t in np.round(np.arange(0.3, 4.001, 0.05), 3):
        s = z / t
        s = s - s.max(1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(1, keepdims=True))
        nll = -logp[np.arange(len(y)), y].mean()
        if nll < best_nll:
            best_t, best_nll = float(t), float(nll)
    return best_t


def tune_offsets(z: np.ndarray, y: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Per-class offsets added to logits (first class fixed at 0) that maximise weighted F1,
    by coordinate ascent over a grid; the smallest offsets win ties (less data-specific)."""
    k = z.shape[1]
    off = np.zeros(k)
    grid = np.round(np.arange(-2.0, 2.001, 0.1), 2)
    best = weighted_f1(y, z.argmax(1), k)
    for _ in range(rounds):
        changed = False
        for j in range(1, k):
            for v in grid:
                trial = off.copy()
                trial[j] = v
                f = weighted_f1(y, (z + trial).argmax(1), k)
                if f > best + 1e-9 or (abs(f - best) < 1e-9 and np.abs(trial).sum() < np.abs(off).sum()):
                    if abs(trial[j] - off[j]) > 1e-12:
                        changed = True
                    best, off = f, trial
        if not changed:
            break
    return off


def folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Stratified fold index arrays (deterministic)."""
    rng = np.random.RandomState(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        for j, chunk in enumerate(np.array_split(idx, k)):
            out[j].extend(chunk.tolist())
    return [np.sort(np.asarray(f, dtype=np.int64)) for f in out]


def cross_validate(f: Features, ys: tuple[np.ndarray, np.ndarray], cfg: TrainConfig) -> dict:
    """Out-of-fold logits of both heads (vocabulary and idf rebuilt inside each fold)."""
    oof = [np.zeros((f.n, 3)), np.zeros((f.n, 4))]
    parts = folds(ys[1] * 3 + ys[0], cfg.folds, cfg.seed)
    for j, test in enumerate(parts):
        train_rows = np.concatenate([p for i, p in enumerate(parts) if i != j])
        vocab, idf, unk = vocabulary(f, cfg, train_rows)
        X = f.matrix(vocab, idf, unk)
        for h in range(2):
            coef, icpt = fit_head(X[train_rows], ys[h][train_rows], cfg.C[h], cfg.class_weight[h], cfg.seed, 3 + h)
            oof[h][test] = X[test] @ coef.T + icpt
    return {
        "logits": oof,
        "weighted_f1": [round(weighted_f1(ys[h], oof[h].argmax(1), oof[h].shape[1]), 4) for h in range(2)],
    }


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def train(
    data: str | Path,
    out: str | Path,
    dev: str | Path | None = None,
    config: TrainConfig | None = None,
    text_col: str | None = None,
    sentiment_col: str = "sentiment",
    topic_col: str = "topic",
    log=print,
) -> dict:
    """Train both heads, calibrate by cross-validation, save to `out`; returns meta (with dev metrics)."""
    cfg = config or TrainConfig()
    t0 = time.time()
    texts, ys_, yt_ = load_csv(data, text_col, sentiment_col, topic_col)
    if ys_ is None or yt_ is None:
        raise DataError(f"{data}: training needs both a sentiment and a topic column")
    ys = (ys_, yt_)
    f = featurize(texts, cfg)
    log(f"{f.n} texts prepared and hashed")

    cv = cross_validate(f, ys, cfg) if cfg.folds > 1 else None
    temps = [1.0, 1.0]
    offsets = [np.zeros(3), np.zeros(4)]
    if cv is not None:
        log(f"cross-validation weighted F1: sentiment {cv['weighted_f1'][0]:.4f}, topic {cv['weighted_f1'][1]:.4f}")
        if cfg.tune_offsets:
            offsets = [tune_offsets(cv["logits"][h], ys[h]) for h in range(2)]
            tuned = [weighted_f1(ys[h], (cv["logits"][h] + offsets[h]).argmax(1), 3 + h) for h in range(2)]
            log(f"with per-class offsets {[o.round(2).tolist() for o in offsets]}: sentiment {tuned[0]:.4f}, topic {tuned[1]:.4f}")
        temps = [_temperature(cv["logits"][h] + offsets[h], ys[h]) for h in range(2)]

    vocab, idf, unknown_idf = vocabulary(f, cfg)
    X = f.matrix(vocab, idf, unknown_idf)
    log(f"{len(vocab)} n-grams with df >= {cfg.min_df}")
    if len(vocab) > cfg.max_features:
        # Feature selection: the largest weights (either head) of a first fit on all n-grams.
        strength = np.zeros(len(vocab))
        for h in range(2):
            coef, _ = fit_head(X, ys[h], cfg.C[h], cfg.class_weight[h], cfg.seed, 3 + h)
            strength = np.maximum(strength, np.abs(coef).max(0))
        top = np.sort(np.argsort(-strength, kind="stable")[: cfg.max_features])
        vocab, idf = vocab[top], idf[top]
        X = f.matrix(vocab, idf, unknown_idf)
        log(f"pruned to {len(vocab)} n-grams")
    coefs, icpts = [], []
    for h in range(2):
        coef, icpt = fit_head(X, ys[h], cfg.C[h], cfg.class_weight[h], cfg.seed, 3 + h)
        coefs.append(coef)
        icpts.append(icpt)
    weights16 = np.concatenate(coefs, 0).T.astype(np.float16)
    idf16 = idf.astype(np.float16)
    bias = (np.concatenate(icpts) + np.concatenate(offsets)).astype(np.float32)
    temperature = np.asarray(temps, dtype=np.float32)
    digest = hashlib.sha256(vocab.tobytes() + weights16.tobytes() + bias.tobytes() + temperature.tobytes()).hexdigest()[:10]
    orders = dict(char_orders=cfg.char_orders, word_orders=cfg.word_orders, strip_orders=cfg.strip_orders)
    meta: dict = {
        "version": f"vi-vsfc-linear-{digest}",
        "sentiments": list(SENTIMENTS),
        "topics": list(TOPICS),
        "features": {k: list(v) for k, v in orders.items()},
        "training": {
            **{k: v for k, v in asdict(cfg).items() if k not in ("char_orders", "word_orders", "strip_orders")},
            "unknown_idf": unknown_idf, "temperature": temps,
            "offsets": [o.round(2).tolist() for o in offsets],
            "n_texts": f.n, "n_features": int(len(vocab)),
            "sources": [{"file": Path(data).name, "rows": f.n, "sha256": _sha256(data)}],
        },
    }
    if cv is not None:
        meta["training"]["cv_weighted_f1"] = {"sentiment": cv["weighted_f1"][0], "topic": cv["weighted_f1"][1]}
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / "insight.npz", keys=vocab, weights=weights16, idf=idf16, bias=bias,
        temperature=temperature, unknown_idf=np.float32(unknown_idf),
    )
    (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    if dev:
        from .engine import evaluate

        m = evaluate(dev, model=InsightModel.load(out_dir), text_col=text_col,
                     sentiment_col=sentiment_col, topic_col=topic_col)
        meta["dev_metrics"] = {"file": Path(dev).name, "sha256": _sha256(dev),
                               "sentiment": m["sentiment"], "topic": m["topic"]}
        (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        log(f"dev weighted F1: sentiment {m['sentiment']['weighted_f1']:.4f}, topic {m['topic']['weighted_f1']:.4f}")
    log(f"trained in {time.time() - t0:.0f}s -> {out_dir}")
    return meta
