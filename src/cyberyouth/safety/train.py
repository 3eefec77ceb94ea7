"""Training of the toxicity model (scikit-learn at training time only).

Steps, all deterministic for a given seed:
  1. normalise texts; hash n-grams with `features.extract` (the inference code);
  2. vocabulary = n-grams in >= min_df training texts; idf as in scikit-learn;
     each kind of n-gram is L2-normalised per text, n-grams outside the
     vocabulary counting with `unknown_idf` (the idf of a one-text n-gram);
  3. multinomial logistic regression (C = 0.75), balanced class weights;
  4. keep the `max_features` n-grams with the largest weights, refit on them
     (keeps the artifact small: ~16 bytes per n-gram);
  5. on dev (if given): per-class bias offsets maximising macro-F1 (grid search),
     then a temperature minimising the log-loss (calibration);
  6. write toxicity.npz + meta.json; dev metrics come from the saved artifact
     through the inference path, so `safety eval` reproduces them exactly.

ViHOS (optional, --vihos DIR): its spans say which words make a comment toxic.
Each span-annotated comment gives two extra training texts: the span text alone
(labelled like the comment in ViHSD when known, else OFFENSIVE) and the comment
with its spans cut out (CLEAN), each weighing `vihos_weight` (0.5, chosen by grouped
cross-validation) against 1 for a labelled row. Rows whose text is in the dev set are dropped.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import N_KINDS, extract
from .model import LABELS, ToxicityModel
from .normalize import normalize

__all__ = ["load_labelled_csv", "load_vihos", "train", "metrics", "DataError"]

TEXT_COLS = ("free_text", "text", "content", "comment", "Comment", "sentence", "noi_dung")
LABEL_COLS = ("label_id", "label", "labels", "toxicity_label", "nhan")
_LABEL_NAMES = {
    "clean": 0, "0": 0, "sạch": 0, "normal": 0, "ok": 0,
    "offensive": 1, "1": 1, "xúc phạm": 1, "toxic": 1,
    "hate": 2, "2": 2, "thù ghét": 2,
}


class DataError(Exception):
    """Bad input data: the CLI prints the message and exits with code 2."""


def read_csv_rows(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
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
    return fields, rows


def _pick(fields: list[str], wanted: str | None, candidates: tuple[str, ...], what: str, p) -> str:
    if wanted:
        if wanted not in fields:
            raise DataError(f"{p}: no column {wanted!r} (columns: {', '.join(fields)})")
        return wanted
    for c in candidates:
        if c in fields:
            return c
    raise DataError(f"{p}: no {what} column (tried {', '.join(candidates)}; columns: {', '.join(fields)})")


def parse_label(value: str) -> int | None:
    v = (value or "").strip().lower()
    if v in _LABEL_NAMES:
        return _LABEL_NAMES[v]
    try:
        f = float(v)
    except ValueError:
        return None
    return int(f) if f in (0.0, 1.0, 2.0) else None


def load_labelled_csv(
    path: str | Path, text_col: str | None = None, label_col: str | None = None
) -> tuple[list[str], np.ndarray]:
    """Any CSV with a text column and a label column (0/1/2 or CLEAN/OFFENSIVE/HATE)."""
    fields, rows = read_csv_rows(path)
    tc = _pick(fields, text_col, TEXT_COLS, "text", path)
    lc = _pick(fields, label_col, LABEL_COLS, "label", path)
    texts: list[str] = []
    labels: list[int] = []
    for i, r in enumerate(rows, start=2):
        lab = parse_label(r.get(lc) or "")
        if lab is None:
            raise DataError(f"{path}:{i}: label {r.get(lc)!r} is not 0/1/2 or CLEAN/OFFENSIVE/HATE")
        texts.append(r.get(tc) or "")
        labels.append(lab)
    if not texts:
        raise DataError(f"{path}: no rows")
    return texts, np.asarray(labels, dtype=np.int64)


def load_vihos(directory: str | Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """ViHOS train split: (comment, list of [start, end) spans)."""
    d = Path(directory)
    f = d / "train.csv" if d.is_dir() else d
    fields, rows = read_csv_rows(f)
    tc = _pick(fields, None, ("content",), "text", f)
    sc = _pick(fields, None, ("index_spans",), "span", f)
    out = []
    for r in rows:
        text = r.get(tc) or ""
        try:
            idx = sorted(set(json.loads(r.get(sc) or "[]")))
        except ValueError:
            continue
        spans: list[tuple[int, int]] = []
        for i in idx:
            if not (0 <= i < len(text)):
                continue
            if spans and i == spans[-1][1]:
                spans[-1] = (spans[-1][0], i + 1)
            else:
                spans.append((i, i + 1))
        out.append((text, spans))
    return out


def _vihos_augment(
    vihos: list[tuple[str, list[tuple[int, int]]]], known: dict[str, int], exclude: set[str]
) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for text, spans in vihos:
        key = normalize(text).text
        if key in exclude or not spans:
            continue
        parent = known.get(key, 1)
        if parent == 0:
            parent = 1
        toxic = " ".join(text[s:e] for s, e in spans)
        rest = []
        last = 0
        for s, e in spans:
            rest.append(text[last:s])
            last = e
        rest.append(text[last:])
        texts.append(toxic)
        labels.append(parent)
        rest_text = " ".join(x for x in rest if x.strip())
        if len(rest_text.split()) >= 3:
            texts.append(rest_text)
            labels.append(0)
    return texts, labels


# ---------------------------------------------------------------- metrics


def metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """Macro-F1, accuracy, per-class precision/recall/F1 and confusion matrix."""
    k = len(LABELS)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true), np.asarray(y_pred)), 1)
    per: dict[str, dict[str, float]] = {}
    f1s = []
    for i, name in enumerate(LABELS):
        tp = cm[i, i]
        p = tp / cm[:, i].sum() if cm[:, i].sum() else 0.0
        r = tp / cm[i, :].sum() if cm[i, :].sum() else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[name] = {"precision": round(float(p), 4), "recall": round(float(r), 4),
                     "f1": round(float(f), 4), "support": int(cm[i, :].sum())}
        f1s.append(f)
    return {
        "macro_f1": round(float(np.mean(f1s)), 4),
        "accuracy": round(float(np.trace(cm) / max(1, cm.sum())), 4),
        "per_class": per,
        "confusion_matrix": cm.tolist(),
        "labels": list(LABELS),
        "n": int(cm.sum()),
    }


def _macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    f = []
    for i in range(3):
        tp = np.sum((p == i) & (y == i))
        fp = np.sum((p == i) & (y != i))
        fn = np.sum((p != i) & (y == i))
        f.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f))


# ---------------------------------------------------------------- training


@dataclass
class TrainConfig:
    seed: int = 13
    C: float = 0.75
    min_df: int = 2
    max_features: int = 120_000
    char_orders: tuple[int, ...] = (1, 2, 3, 4, 5)
    word_orders: tuple[int, ...] = (1, 2, 3)
    strip_orders: tuple[int, ...] = (1, 2)
    # Idf given to n-grams outside the kept vocabulary when normalising a text
    # ("unknown" = the idf of an n-gram seen in one training text); 0 ignores them.
    unknown_idf: str | float = "df1"
    # Sample weight of the ViHOS span-derived texts (ViHSD rows weigh 1).
    vihos_weight: float = 0.5


def _design(grams, n_docs: int, vocab: np.ndarray, idf: np.ndarray, unknown_idf: float = 0.0):
    """The feature matrix, exactly as `ToxicityModel._raw` computes it at inference."""
    from scipy.sparse import csr_matrix

    idx = np.searchsorted(vocab, grams.keys)
    np.minimum(idx, len(vocab) - 1, out=idx)
    ok = vocab[idx] == grams.keys
    c = idx[ok]
    slot = grams.doc[ok] * N_KINDS + grams.kind[ok]
    m = n_docs * N_KINDS
    norm2 = np.bincount(slot, weights=idf[c].astype(np.float64) ** 2, minlength=m)
    if unknown_idf > 0:
        total = np.bincount(grams.doc * N_KINDS + grams.kind, minlength=m)
        norm2 = norm2 + unknown_idf**2 * (total - np.bincount(slot, minlength=m))
    norm = np.sqrt(norm2)
    val = idf[c] / norm[slot]
    m = csr_matrix((val, (grams.doc[ok], c)), shape=(n_docs, len(vocab)))
    m.sum_duplicates()
    return m


def _fit(X, y, C: float, seed: int, sample_weight=None):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    clf.fit(X, y, sample_weight=sample_weight)
    return clf


def _tune_bias(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Offsets for OFFENSIVE and HATE (CLEAN fixed at 0) maximising macro-F1 on dev."""
    best = (_macro_f1(y, z.argmax(1)), 0.0, 0.0)
    grid = np.round(np.arange(-2.0, 2.001, 0.1), 2)
    for b1 in grid:
        for b2 in grid:
            f = _macro_f1(y, (z + np.array([0.0, b1, b2])).argmax(1))
            # Prefer the smallest offsets among ties: less dev-specific.
            if f > best[0] + 1e-9 or (abs(f - best[0]) < 1e-9 and abs(b1) + abs(b2) < abs(best[1]) + abs(best[2])):
                best = (f, float(b1), float(b2))
    return np.array([0.0, best[1], best[2]])


def _tune_temperature(z: np.ndarray, y: np.ndarray) -> float:
    best_t, best_nll = 1.0, np.inf
    for t in np.round(np.arange(0.3, 4.001, 0.05), 3):
        s = z / t
        s = s - s.max(1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(1, keepdims=True))
        nll = -logp[np.arange(len(y)), y].mean()
        if nll < best_nll:
            best_t, best_nll = float(t), float(nll)
    return best_t


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
    vihos: str | Path | None = None,
    config: TrainConfig | None = None,
    text_col: str | None = None,
    label_col: str | None = None,
    log=print,
) -> dict:
    """Train, tune on dev, save to `out`; returns the meta dict (with dev metrics)."""
    cfg = config or TrainConfig()
    t0 = time.time()
    np.random.seed(cfg.seed)
    texts, y = load_labelled_csv(data, text_col, label_col)
    norm = [normalize(t).text for t in texts]
    dev_texts: list[str] = []
    y_dev = np.zeros(0, dtype=np.int64)
    if dev:
        dev_texts, y_dev = load_labelled_csv(dev, text_col, label_col)
    dev_norm = [normalize(t).text for t in dev_texts]
    sources = [{"file": Path(data).name, "rows": len(texts), "sha256": _sha256(data)}]
    w = np.ones(len(norm))

    if vihos:
        known = dict(zip(norm, y.tolist()))
        aug_t, aug_y = _vihos_augment(load_vihos(vihos), known, set(dev_norm))
        vf = Path(vihos) / "train.csv" if Path(vihos).is_dir() else Path(vihos)
        sources.append({"file": "vihos/" + vf.name, "rows_added": len(aug_t), "sha256": _sha256(vf)})
        log(f"vihos: +{len(aug_t)} span-derived texts")
        norm = norm + [normalize(t).text for t in aug_t]
        y = np.concatenate([y, np.asarray(aug_y, dtype=np.int64)])
        w = np.concatenate([w, np.full(len(aug_y), cfg.vihos_weight)])

    orders = dict(char_orders=cfg.char_orders, word_orders=cfg.word_orders, strip_orders=cfg.strip_orders)
    g = extract(norm, **orders)
    n = len(norm)
    uniq, inv = np.unique(g.keys, return_inverse=True)
    pairs = np.unique(inv.astype(np.int64) * n + g.doc)
    df = np.bincount(pairs // n, minlength=len(uniq))
    keep = df >= cfg.min_df
    vocab = uniq[keep]
    idf = (np.log((1 + n) / (1 + df[keep])) + 1).astype(np.float32)
    log(f"{n} texts, {len(uniq)} n-grams, {len(vocab)} with df >= {cfg.min_df}")

    if cfg.unknown_idf == "df1":
        unknown_idf = float(np.float16(np.log((1 + n) / 2) + 1))
    else:
        unknown_idf = float(np.float16(cfg.unknown_idf))
    X = _design(g, n, vocab, idf, unknown_idf)
    if len(vocab) > cfg.max_features:
        # Feature selection: the largest weights of one joint model on all n-grams.
        clf = _fit(X, y, cfg.C, cfg.seed, sample_weight=w)
        strength = np.abs(clf.coef_).max(0)
        top = np.sort(np.argsort(-strength, kind="stable")[: cfg.max_features])
        vocab, idf = vocab[top], idf[top]
        X = _design(g, n, vocab, idf, unknown_idf)
        log(f"pruned to {len(vocab)} n-grams")
    clf = _fit(X, y, cfg.C, cfg.seed, sample_weight=w)
    coef, icpt = clf.coef_, clf.intercept_

    # float16 storage; tuning below runs on the stored (rounded) weights.
    weights16 = coef.T.astype(np.float16)
    idf16 = idf.astype(np.float16)
    intercept = np.asarray(icpt, dtype=np.float32)
    meta = {
        "version": "",
        "labels": list(LABELS),
        "features": {k: list(v) for k, v in orders.items()},
        "training": {
            "seed": cfg.seed, "C": cfg.C, "min_df": cfg.min_df, "max_features": cfg.max_features,
            "unknown_idf": unknown_idf,
            "class_weight": "balanced", "vihos_weight": cfg.vihos_weight if vihos else None,
            "n_texts": n, "n_features": int(len(vocab)), "sources": sources,
        },
    }
    model = ToxicityModel(
        vocab, weights16.astype(np.float32) * idf16.astype(np.float32)[:, None],
        idf16.astype(np.float32) ** 2, intercept, 1.0, meta, unknown_idf,
    )
    bias = intercept.copy()
    temperature = 1.0
    if dev:
        z, *_ = model.raw_logits(dev_norm)
        z = z + intercept
        offsets = _tune_bias(z, y_dev)
        bias = (intercept + offsets).astype(np.float32)
        temperature = _tune_temperature(z + offsets, y_dev)
        meta["training"]["dev_bias_offsets"] = offsets.round(3).tolist()
        meta["training"]["temperature"] = temperature
    digest = hashlib.sha256(
        vocab.tobytes() + weights16.tobytes() + bias.tobytes() + np.float32(unknown_idf).tobytes()
    ).hexdigest()[:10]
    meta["version"] = f"vi-tox-linear-{digest}"

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / "toxicity.npz", keys=vocab, weights=weights16, idf=idf16,
        bias=bias, temperature=np.float32(temperature), unknown_idf=np.float32(unknown_idf),
    )
    (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    if dev:
        saved = ToxicityModel.load(out_dir)
        pred = saved.score(dev_norm).labels
        meta["dev_metrics"] = metrics(y_dev, pred)
        meta["dev_metrics"]["file"] = Path(dev).name
        meta["dev_metrics"]["sha256"] = _sha256(dev)
        (out_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        log(f"dev macro-F1 {meta['dev_metrics']['macro_f1']:.4f}")
    log(f"trained in {time.time() - t0:.0f}s -> {out_dir}")
    return meta
