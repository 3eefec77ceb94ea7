"""`cyberyouth insight …`: eval, train, analyze. Entry point: main(argv) -> exit code.

Errors in the input (missing file, bad column, bad encoding) print one line on
stderr and return 2; they never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["main", "default_data_dir"]


def default_data_dir() -> Path:
    """UIT-VSFC: $CYBERYOUTH_DATA_DIR/uit-vsfc, else the first shared/data/uit-vsfc found
    beside the repository or one of its parents (<repo>/../shared/data, as for safety)."""
    import os

    env = os.environ.get("CYBERYOUTH_DATA_DIR")
    if env:
        return Path(env) / "uit-vsfc"
    root = Path(__file__).resolve().parents[3]  # src/cyberyouth/insight/cli.py -> repo root
    for d in (root, *root.parents):
        c = d.parent / "shared" / "data" / "uit-vsfc"
        if c.is_dir():
            return c
    return root.parent / "shared" / "data" / "uit-vsfc"


def _cmd_eval(args: argparse.Namespace) -> int:
    from .engine import evaluate
    from .model import load_model

    m = evaluate(args.data, model=load_model(args.model) if args.model else None, text_col=args.text_column,
                 sentiment_col=args.sentiment_column or None, topic_col=args.topic_column or None)
    if args.json:
        print(json.dumps(m, ensure_ascii=False, indent=1))
        return 0
    print(f"{m['file']}: n={m['n']}  ({m['model']})")
    for head in ("sentiment", "topic"):
        if head not in m:
            continue
        h = m[head]
        print(f"\n{head}: weighted F1 {h['weighted_f1']:.4f}  macro F1 {h['macro_f1']:.4f}  accuracy {h['accuracy']:.4f}")
        print(f"{'class':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
        for name, r in h["per_class"].items():
            print(f"{name:<12} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} {r['support']:>8}")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from .train import TrainConfig, train

    cfg = TrainConfig(seed=args.seed)
    data = args.data or str(default_data_dir() / "train.csv")
    dev = args.dev
    if dev is None and not args.data:
        dev = str(default_data_dir() / "dev.csv")
    meta = train(data, args.out, dev=dev or None, config=cfg, text_col=args.text_column,
                 sentiment_col=args.sentiment_column, topic_col=args.topic_column,
                 log=lambda s: print(s, file=sys.stderr))
    dev_m = meta.get("dev_metrics") or {}
    print(json.dumps({"version": meta["version"], "cv_weighted_f1": meta["training"].get("cv_weighted_f1"),
                      "dev_weighted_f1": {h: dev_m[h]["weighted_f1"] for h in ("sentiment", "topic") if h in dev_m}},
                     ensure_ascii=False))
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .engine import Insight
    from .model import load_model

    ins = Insight(load_model(args.model) if args.model else None)
    texts = args.text or [ln for ln in sys.stdin.read().splitlines() if ln.strip()]
    for t, r in zip(texts, ins.analyze_many(texts)):
        print(json.dumps({"text": t, **r.to_dict()}, ensure_ascii=False))
    return 0


def _add_columns(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-column", help="column of the text (default: sentence, text, answer, …)")
    p.add_argument("--sentiment-column", default="sentiment",
                   help="column of the sentiment label, 0/1/2 or negative/neutral/positive ('' to skip)")
    p.add_argument("--topic-column", default="topic",
                   help="column of the topic label, 0/1/2/3 or lecturer/curriculum/facility/others ('' to skip)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cyberyouth insight", description="Sentiment and topic of students' free text")
    sub = ap.add_subparsers(dest="cmd", required=True)

    ev = sub.add_parser("eval", help="weighted/macro F1 and per-class figures on a labelled CSV")
    ev.add_argument("--data", required=True, help="labelled CSV (UIT-VSFC's columns by default)")
    _add_columns(ev)
    ev.add_argument("--model", help="model directory (default: the shipped model)")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=_cmd_eval)

    tr = sub.add_parser("train", help="train the model (default: UIT-VSFC train, reported on dev)")
    tr.add_argument("--data", help="labelled CSV (default: uit-vsfc/train.csv of the shared data)")
    tr.add_argument("--dev", help="labelled CSV for the reported metrics (default with the default data: dev.csv)")
    _add_columns(tr)
    tr.add_argument("--out", default=str(Path(__file__).resolve().parent / "model"),
                    help="model directory (default: the package's model/)")
    tr.add_argument("--seed", type=int, default=13)
    tr.set_defaults(func=_cmd_train)

    an = sub.add_parser("analyze", help="one JSON reading per text (arguments, or lines on stdin)")
    an.add_argument("text", nargs="*")
    an.add_argument("--model", help="model directory (default: the shipped model)")
    an.set_defaults(func=_cmd_analyze)
    return ap


def main(argv: list[str] | None = None) -> int:
    from .train import DataError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DataError as exc:
        print(f"cyberyouth insight: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnicodeError, ValueError) as exc:
        print(f"cyberyouth insight: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
