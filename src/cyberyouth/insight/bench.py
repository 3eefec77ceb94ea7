"""`cyberyouth bench insight`: accuracy and speed of insight vs a plain baseline.

Baseline, trained here on UIT-VSFC train in this process: scikit-learn TF-IDF over
word 1-2-grams of the raw sentence and one logistic regression per head (the
textbook recipe). Both run on one core (BLAS thread pools limited to 1).

Figures: weighted and macro F1 of both heads on UIT-VSFC dev; throughput (texts/s)
of `analyze_many` (with cues) over a stream repeating dev, and of the baseline on
the same stream; p50/p99 latency of `analyze` on one text; throughput of `themes`.
Wall-clock and CPU-time figures both, and the load average (a shared machine's
wall clock measures the other processes as much as this one).

`measure()` returns the dict (the surveys benchmark includes it); `main` prints a
table and writes JSON (default bench/results/insight.json relative to cwd).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["measure", "main"]


def _baseline(texts: list[str], ys: np.ndarray, yt: np.ndarray):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    X = vec.fit_transform(texts)
    heads = [LogisticRegression(C=10, max_iter=3000, random_state=13).fit(X, y) for y in (ys, yt)]

    def predict(batch: list[str]) -> tuple[np.ndarray, np.ndarray]:
        Z = vec.transform(batch)
        return heads[0].predict_proba(Z), heads[1].predict_proba(Z)

    return predict


def measure(data: str | Path | None = None, texts: int = 20_000, batch: int = 1000, latency_n: int = 1000) -> dict:
    """Figures of the shipped model on UIT-VSFC dev and its speed against the baseline."""
    from threadpoolctl import threadpool_limits

    from cyberyouth.safety import normalize as normalize_mod

    from .cli import default_data_dir
    from .engine import Insight
    from .model import SENTIMENTS, TOPICS, load_model
    from .themes import themes
    from .train import load_csv, metrics

    d = Path(data) if data else default_data_dir()
    if not (d / "dev.csv").is_file():
        raise FileNotFoundError(f"UIT-VSFC not found at {d} (set CYBERYOUTH_DATA_DIR)")
    dev_t, dev_s, dev_tp = load_csv(d / "dev.csv")
    tr_t, tr_s, tr_tp = load_csv(d / "train.csv")
    stream = dev_t * max(1, texts // len(dev_t))
    res: dict = {"data": str(d), "dev_rows": len(dev_t), "throughput_texts": len(stream),
                 "load_avg_start": [round(x, 2) for x in os.getloadavg()]}
    with threadpool_limits(1):
        ins = Insight(load_model())
        ins.analyze_many(["khởi động"])
        normalize_mod._CACHE.clear()
        t, c = time.perf_counter(), time.process_time()
        readings = ins.analyze_many(dev_t)
        cold = (len(dev_t) / (time.perf_counter() - t), len(dev_t) / max(1e-9, time.process_time() - c))
        s_m = metrics(dev_s, np.array([SENTIMENTS.index(r.sentiment) for r in readings]), SENTIMENTS)
        t_m = metrics(dev_tp, np.array([TOPICS.index(r.topic) for r in readings]), TOPICS)
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(stream), batch):
            ins.analyze_many(stream[i : i + batch])
        tp = (len(stream) / (time.perf_counter() - t), len(stream) / max(1e-9, time.process_time() - c))
        lat, lat_cpu = [], []
        for x in dev_t[:latency_n]:
            t, c = time.perf_counter(), time.thread_time()
            ins.analyze(x)
            lat_cpu.append((time.thread_time() - c) * 1000)
            lat.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        for i in range(0, len(stream), batch):
            themes(stream[i : i + batch])
        themes_tp = len(stream) / (time.perf_counter() - t)

        t = time.perf_counter()
        base = _baseline(tr_t, tr_s, tr_tp)
        base_train_s = time.perf_counter() - t
        ps, pt = base(dev_t)
        b_s = metrics(dev_s, ps.argmax(1), SENTIMENTS)
        b_t = metrics(dev_tp, pt.argmax(1), TOPICS)
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(stream), batch):
            base(stream[i : i + batch])
        b_tp = (len(stream) / (time.perf_counter() - t), len(stream) / max(1e-9, time.process_time() - c))
    res["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]

    def head(m: dict) -> dict:
        return {k: m[k] for k in ("weighted_f1", "macro_f1", "accuracy", "per_class")}

    res["insight"] = {
        "model": ins.model.version, "sentiment": head(s_m), "topic": head(t_m),
        "analyze_many_per_s": round(tp[0], 1), "analyze_many_cpu_per_s": round(tp[1], 1),
        "analyze_many_cold_per_s": round(cold[0], 1), "analyze_many_cold_cpu_per_s": round(cold[1], 1),
        "latency_ms_p50": round(float(np.percentile(lat, 50)), 4), "latency_ms_p99": round(float(np.percentile(lat, 99)), 4),
        "latency_cpu_ms_p50": round(float(np.percentile(lat_cpu, 50)), 4),
        "latency_cpu_ms_p99": round(float(np.percentile(lat_cpu, 99)), 4),
        "themes_texts_per_s": round(themes_tp, 1),
    }
    res["baseline"] = {
        "model": "tfidf-word12-logreg (one per head)", "train_s": round(base_train_s, 1),
        "sentiment": head(b_s), "topic": head(b_t),
        "analyze_many_per_s": round(b_tp[0], 1), "analyze_many_cpu_per_s": round(b_tp[1], 1),
    }
    e, b = res["insight"], res["baseline"]
    res["ratios"] = {
        "throughput": round(e["analyze_many_per_s"] / max(1e-9, b["analyze_many_per_s"]), 2),
        "throughput_cpu": round(e["analyze_many_cpu_per_s"] / max(1e-9, b["analyze_many_cpu_per_s"]), 2),
        "sentiment_weighted_f1": round(e["sentiment"]["weighted_f1"] / max(1e-9, b["sentiment"]["weighted_f1"]), 4),
        "topic_weighted_f1": round(e["topic"]["weighted_f1"] / max(1e-9, b["topic"]["weighted_f1"]), 4),
    }
    res["goals"] = {
        "sentiment_weighted_f1>=0.94": e["sentiment"]["weighted_f1"] >= 0.94,
        "topic_weighted_f1>=0.90": e["topic"]["weighted_f1"] >= 0.90,
        "throughput>=10000/s": e["analyze_many_per_s"] >= 10_000,
        "throughput_cpu>=10000/s": e["analyze_many_cpu_per_s"] >= 10_000,
        "beats_baseline_f1": (e["sentiment"]["weighted_f1"] >= b["sentiment"]["weighted_f1"]
                              and e["topic"]["weighted_f1"] >= b["topic"]["weighted_f1"]),
    }
    return res


def table(res: dict) -> str:
    e, b = res["insight"], res["baseline"]
    rows = [
        ("sentiment weighted F1 (dev)", e["sentiment"]["weighted_f1"], b["sentiment"]["weighted_f1"], "{:.4f}"),
        ("sentiment macro F1 (dev)", e["sentiment"]["macro_f1"], b["sentiment"]["macro_f1"], "{:.4f}"),
        ("topic weighted F1 (dev)", e["topic"]["weighted_f1"], b["topic"]["weighted_f1"], "{:.4f}"),
        ("topic macro F1 (dev)", e["topic"]["macro_f1"], b["topic"]["macro_f1"], "{:.4f}"),
        ("analyze_many, texts/s", e["analyze_many_per_s"], b["analyze_many_per_s"], "{:,.0f}"),
        ("analyze_many, per CPU-s", e["analyze_many_cpu_per_s"], b["analyze_many_cpu_per_s"], "{:,.0f}"),
    ]
    out = [f"{'':<30} {'insight':>10} {'baseline':>10} {'ratio':>8}"]
    for name, ev, bv, fmt in rows:
        out.append(f"{name:<30} {fmt.format(ev):>10} {fmt.format(bv):>10} {ev / bv if bv else float('inf'):>7.2f}x")
    out.append(f"insight cold (first pass, empty caches): {e['analyze_many_cold_per_s']:,.0f}/s; analyze p50 "
               f"{e['latency_ms_p50']:.3f} ms, p99 {e['latency_ms_p99']:.3f} ms; themes {e['themes_texts_per_s']:,.0f} texts/s")
    out.append(f"model {e['model']}; baseline {b['model']} (trained in {b['train_s']}s)")
    out.append(f"load average {res['load_avg_start']} at start, {res['load_avg_end']} at end ({os.cpu_count()} CPUs)")
    out.append("goals: " + ", ".join(f"{k} {'OK' if v else 'MISSED'}" for k, v in res["goals"].items()))
    out.append("(published UIT-VSFC test: sentiment PhoBERT 0.9392, MaxEnt 0.8794 weighted F1; topic MaxEnt 0.8403)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="cyberyouth bench insight", description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="UIT-VSFC folder (default: $CYBERYOUTH_DATA_DIR/uit-vsfc or ../shared/data/uit-vsfc)")
    ap.add_argument("--out", default="bench/results/insight.json")
    ap.add_argument("--json", action="store_true", help="print the JSON to stdout instead of the table")
    ap.add_argument("--texts", type=int, default=20_000, help="texts per throughput run")
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args(argv)
    try:
        res = measure(args.data, texts=args.texts, batch=args.batch)
    except OSError as exc:
        print(f"cyberyouth bench insight: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
    print(json.dumps(res, ensure_ascii=False, indent=1) if args.json else table(res))
    if not args.json:
        print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
