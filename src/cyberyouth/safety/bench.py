"""`cyberyouth bench safety`: accuracy and speed of the engine vs a plain baseline.

Baseline: scikit-learn TF-IDF word (1-2) + character (1-5, char_wb) n-grams and a
logistic regression (balanced classes), trained here on ViHSD train, in this
process. Both run on one core (BLAS thread pools limited to 1).

Figures: macro-F1 on ViHSD dev; throughput (comments/s) of `analyze_many` and of
`scan` (the CLI path, JSONL in, JSON lines out); p50/p99 latency of `analyze` on
one comment. Wall-clock figures are the goals; CPU-time figures (process/thread
CPU time) and the load average are recorded too, because wall-clock figures on a
shared machine measure the other processes as much as this one. The throughput
stream repeats dev; the engine's token caches are warm after the first pass, so
the first pass over dev with empty caches is reported separately ("cold").
Writes JSON (default bench/results/safety.json relative to cwd).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

__all__ = ["main", "data_dir"]


def data_dir() -> Path:
    """Shared data: $CYBERYOUTH_DATA_DIR, else <repo root>/../shared/data."""
    env = os.environ.get("CYBERYOUTH_DATA_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    # src/cyberyouth/safety/bench.py -> repo root is parents[3]
    candidates = [here.parents[3] / ".." / "shared" / "data", Path.cwd() / ".." / "shared" / "data"]
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    return candidates[0].resolve()


def _percentile(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def _baseline(train_texts, train_y):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), min_df=2, sublinear_tf=True, max_features=200_000)
    X = hstack([word.fit_transform(train_texts), char.fit_transform(train_texts)]).tocsr()
    clf = LogisticRegression(C=10, max_iter=3000, class_weight="balanced", random_state=13).fit(X, train_y)

    def predict_proba(texts):
        Z = hstack([word.transform(texts), char.transform(texts)]).tocsr()
        return clf.predict_proba(Z)

    return predict_proba


def _run(args: argparse.Namespace) -> dict:
    from threadpoolctl import threadpool_limits

    from . import normalize as normalize_mod
    from .cli import main as cli_main
    from .engine import get_engine
    from .train import load_labelled_csv, metrics

    d = Path(args.data) if args.data else data_dir()
    train_csv, dev_csv = d / "vihsd" / "train.csv", d / "vihsd" / "dev.csv"
    if not dev_csv.is_file():
        raise FileNotFoundError(f"ViHSD not found under {d} (set CYBERYOUTH_DATA_DIR)")
    dev_t, dev_y = load_labelled_csv(dev_csv)
    tr_t, tr_y = load_labelled_csv(train_csv)
    n_rep = max(1, args.comments // len(dev_t))
    stream = dev_t * n_rep
    res: dict = {"data": str(d), "dev_rows": len(dev_t), "throughput_comments": len(stream)}

    res["load_avg_start"] = [round(x, 2) for x in os.getloadavg()]
    with threadpool_limits(1):
        engine = get_engine()
        engine.analyze_many(["warm-up"])  # lazy tables, compiled regexes

        # --- engine
        # First pass over dev with empty token caches: the cold-cache throughput.
        normalize_mod._CACHE.clear()
        t, c = time.perf_counter(), time.process_time()
        verdicts = engine.analyze_many(dev_t)
        cold_tp = len(dev_t) / (time.perf_counter() - t)
        cold_cpu_tp = len(dev_t) / max(1e-9, time.process_time() - c)
        pred = np.array([["CLEAN", "OFFENSIVE", "HATE"].index(v.label) for v in verdicts])
        eng_m = metrics(dev_y, pred)
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(stream), args.batch):
            engine.analyze_many(stream[i : i + args.batch])
        eng_tp = len(stream) / (time.perf_counter() - t)
        eng_cpu_tp = len(stream) / max(1e-9, time.process_time() - c)

        # --- the same engine before the learned category model (lexicons only), same stream
        from .engine import Engine

        before = Engine(category_model=False)
        before.analyze_many(dev_t)
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(stream), args.batch):
            before.analyze_many(stream[i : i + args.batch])
        before_tp = len(stream) / (time.perf_counter() - t)
        before_cpu_tp = len(stream) / max(1e-9, time.process_time() - c)

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in.jsonl"
            src.write_text("".join(json.dumps({"text": x}, ensure_ascii=False) + "\n" for x in stream), "utf-8")
            buf = io.StringIO()
            t = time.perf_counter()
            with redirect_stdout(buf):
                cli_main(["scan", str(src)])
            scan_tp = len(stream) / (time.perf_counter() - t)
            assert buf.getvalue().count("\n") == len(stream)

            lat, lat_cpu = [], []
            for x in dev_t[: args.latency_n]:
                t, c = time.perf_counter(), time.thread_time()
                engine.analyze(x)
                lat_cpu.append((time.thread_time() - c) * 1000)
                lat.append((time.perf_counter() - t) * 1000)

            # --- baseline
            t = time.perf_counter()
            base = _baseline(tr_t, tr_y)
            base_train_s = time.perf_counter() - t
            base_pred = base(dev_t).argmax(1)
            base_m = metrics(dev_y, base_pred)
            t, c = time.perf_counter(), time.process_time()
            for i in range(0, len(stream), args.batch):
                base(stream[i : i + args.batch])
            base_tp = len(stream) / (time.perf_counter() - t)
            base_cpu_tp = len(stream) / max(1e-9, time.process_time() - c)

            # Baseline "scan": read the same JSONL, predict, write JSON lines.
            buf = io.StringIO()
            t = time.perf_counter()
            lines = src.read_text("utf-8").splitlines()
            for i in range(0, len(lines), args.batch):
                chunk = [json.loads(ln)["text"] for ln in lines[i : i + args.batch]]
                for p in base(chunk):
                    k = int(p.argmax())
                    buf.write(json.dumps({"label": ["CLEAN", "OFFENSIVE", "HATE"][k],
                                          "scores": dict(zip(["CLEAN", "OFFENSIVE", "HATE"], p.round(4).tolist()))}) + "\n")
            base_scan_tp = len(stream) / (time.perf_counter() - t)

            base_lat, base_lat_cpu = [], []
            for x in dev_t[: args.latency_n]:
                t, c = time.perf_counter(), time.thread_time()
                base([x])
                base_lat_cpu.append((time.thread_time() - c) * 1000)
                base_lat.append((time.perf_counter() - t) * 1000)
    res["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]

    res["engine_lexicon_categories"] = {
        "analyze_many_per_s": round(before_tp, 1), "analyze_many_cpu_per_s": round(before_cpu_tp, 1),
    }
    res["engine"] = {
        "model": engine.model.version,
        "category_model": engine.category_model.version if engine.category_model is not None else "lexicons",
        "macro_f1": eng_m["macro_f1"], "accuracy": eng_m["accuracy"], "per_class": eng_m["per_class"],
        "confusion_matrix": eng_m["confusion_matrix"],
        "analyze_many_per_s": round(eng_tp, 1), "scan_per_s": round(scan_tp, 1),
        "latency_ms_p50": round(_percentile(lat, 50), 4), "latency_ms_p99": round(_percentile(lat, 99), 4),
        "analyze_many_cpu_per_s": round(eng_cpu_tp, 1),
        "analyze_many_cold_per_s": round(cold_tp, 1), "analyze_many_cold_cpu_per_s": round(cold_cpu_tp, 1),
        "latency_cpu_ms_p50": round(_percentile(lat_cpu, 50), 4),
        "latency_cpu_ms_p99": round(_percentile(lat_cpu, 99), 4),
    }
    res["baseline"] = {
        "model": "tfidf-word12-charwb15-logreg",
        "macro_f1": base_m["macro_f1"], "accuracy": base_m["accuracy"], "per_class": base_m["per_class"],
        "confusion_matrix": base_m["confusion_matrix"], "train_s": round(base_train_s, 1),
        "analyze_many_per_s": round(base_tp, 1), "scan_per_s": round(base_scan_tp, 1),
        "latency_ms_p50": round(_percentile(base_lat, 50), 4), "latency_ms_p99": round(_percentile(base_lat, 99), 4),
        "analyze_many_cpu_per_s": round(base_cpu_tp, 1),
        "latency_cpu_ms_p50": round(_percentile(base_lat_cpu, 50), 4),
        "latency_cpu_ms_p99": round(_percentile(base_lat_cpu, 99), 4),
    }
    e, b = res["engine"], res["baseline"]
    res["goals"] = {
        "macro_f1>=0.70": e["macro_f1"] >= 0.70,
        "throughput>=baseline": e["analyze_many_per_s"] >= b["analyze_many_per_s"],
        "throughput>=10000/s": e["analyze_many_per_s"] >= 10_000,
        "throughput>=lexicon-only engine": e["analyze_many_per_s"] >= res["engine_lexicon_categories"]["analyze_many_per_s"],
        "p99<2ms": e["latency_ms_p99"] < 2.0,
    }
    return res


def _table(res: dict) -> str:
    e, b = res["engine"], res["baseline"]
    rows = [
        ("macro-F1 (ViHSD dev)", e["macro_f1"], b["macro_f1"], True, "{:.4f}"),
        ("accuracy (ViHSD dev)", e["accuracy"], b["accuracy"], True, "{:.4f}"),
        *[(f"F1 {k}", e["per_class"][k]["f1"], b["per_class"][k]["f1"], True, "{:.4f}") for k in e["per_class"]],
        ("analyze_many, comments/s", e["analyze_many_per_s"], b["analyze_many_per_s"], True, "{:,.0f}"),
        ("scan, comments/s", e["scan_per_s"], b["scan_per_s"], True, "{:,.0f}"),
        ("analyze p50, ms", e["latency_ms_p50"], b["latency_ms_p50"], False, "{:.3f}"),
        ("analyze p99, ms", e["latency_ms_p99"], b["latency_ms_p99"], False, "{:.3f}"),
        ("analyze_many, per CPU-s", e["analyze_many_cpu_per_s"], b["analyze_many_cpu_per_s"], True, "{:,.0f}"),
        ("analyze p50, CPU ms", e["latency_cpu_ms_p50"], b["latency_cpu_ms_p50"], False, "{:.3f}"),
        ("analyze p99, CPU ms", e["latency_cpu_ms_p99"], b["latency_cpu_ms_p99"], False, "{:.3f}"),
    ]
    out = [f"{'':<28} {'engine':>12} {'baseline':>12} {'ratio':>8}"]
    for name, ev, bv, _higher, fmt in rows:
        ratio = ev / bv if bv else float("inf")
        out.append(f"{name:<28} {fmt.format(ev):>12} {fmt.format(bv):>12} {ratio:>7.2f}x")
    out.append(f"engine, first pass over dev with empty token caches: {e['analyze_many_cold_per_s']:,.0f}/s "
               f"({e['analyze_many_cold_cpu_per_s']:,.0f} per CPU-s)")
    lx = res["engine_lexicon_categories"]
    out.append(f"engine with lexicon categories only (before the category model), same stream: "
               f"{lx['analyze_many_per_s']:,.0f}/s ({lx['analyze_many_cpu_per_s']:,.0f} per CPU-s)")
    out.append(f"engine model {e['model']} + {e['category_model']}; baseline {b['model']} (trained in {b['train_s']}s)")
    out.append(f"load average {res['load_avg_start']} at start, {res['load_avg_end']} at end "
               f"({os.cpu_count()} CPUs): wall-clock figures suffer when the machine is busy; "
               "CPU-time figures much less")
    out.append("goals: " + ", ".join(f"{k} {'OK' if v else 'MISSED'}" for k, v in res["goals"].items()))
    out.append("(published ViHSD test macro-F1: mBERT 0.63, PhoBERT-large 0.65, ViSoBERT 0.69)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="cyberyouth bench safety", description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="data folder holding vihsd/ (default: $CYBERYOUTH_DATA_DIR or ../shared/data)")
    ap.add_argument("--out", default="bench/results/safety.json")
    ap.add_argument("--json", action="store_true", help="print the JSON to stdout instead of the table")
    ap.add_argument("--comments", type=int, default=20_000, help="comments per throughput run")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--latency-n", type=int, default=2000)
    args = ap.parse_args(argv)
    try:
        res = _run(args)
    except (FileNotFoundError, OSError) as exc:
        print(f"cyberyouth bench safety: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1), "utf-8")
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        print(_table(res))
        print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
