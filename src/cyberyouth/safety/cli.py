"""`cyberyouth safety …`: eval [--categories], scan, train, train-categories. Entry point: main(argv) -> exit code.

Errors in the input (missing file, bad column, bad encoding) print one line on
stderr and return 2; they never show a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Iterator

__all__ = ["main"]

BATCH = 2000


class CliError(Exception):
    pass


def _read_bytes(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    p = Path(source)
    if not p.is_file():
        raise CliError(f"file not found: {source}")
    return p.read_bytes()


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{source}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def _looks_numeric(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _iter_texts(source: str, text_col: str | None, fmt: str) -> Iterator[str]:
    """Texts of a CSV, JSONL or plain-lines input, in order."""
    from .train import TEXT_COLS

    text = _decode(_read_bytes(source), source)
    if fmt == "auto":
        suffix = Path(source).suffix.lower() if source != "-" else ""
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        if suffix == ".csv":
            fmt = "csv"
        elif suffix in (".jsonl", ".ndjson") or first.lstrip().startswith("{"):
            fmt = "jsonl"
        elif text_col is not None:
            fmt = "csv"
        else:
            fmt = "lines"
    if fmt == "csv":
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            header = next(reader, None)
            if header is None:
                return
            if text_col is not None:
                if text_col not in header:
                    raise CliError(f"{source}: no column {text_col!r} (columns: {', '.join(header)})")
                col = header.index(text_col)
                rows = reader
            else:
                col = next((header.index(c) for c in TEXT_COLS if c in header), -1)
                rows = list(reader)
                if col < 0:
                    # First column whose values are not numbers.
                    sample = rows[:50]
                    for j in range(len(header)):
                        vals = [r[j] for r in sample if j < len(r) and r[j].strip()]
                        if vals and not all(_looks_numeric(v) for v in vals):
                            col = j
                            break
                    if col < 0:
                        raise CliError(f"{source}: no text column found (use --text-col)")
            for r in rows:
                yield r[col] if col < len(r) else ""
        except csv.Error as exc:
            raise CliError(f"{source}: bad CSV: {exc}") from None
    elif fmt == "jsonl":
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CliError(f"{source}:{i}: bad JSON: {exc.msg}") from None
            field = text_col or "text"
            if not isinstance(obj, dict) or field not in obj:
                raise CliError(f"{source}:{i}: no field {field!r}")
            v = obj[field]
            yield v if isinstance(v, str) else ("" if v is None else str(v))
    else:
        yield from text.splitlines()


# ---------------------------------------------------------------- commands


def _cmd_scan(args: argparse.Namespace) -> int:
    from .engine import Engine
    from .model import load_model

    engine = Engine(model=load_model(args.model) if args.model else None)
    out = sys.stdout
    batch: list[str] = []

    # One encoder for all lines (json.dumps with options builds a new one per call);
    # same output as json.dumps(..., ensure_ascii=False).
    encode = json.JSONEncoder(ensure_ascii=False).encode

    def flush() -> None:
        out.write("".join(encode(v.to_dict()) + "\n" for v in engine.analyze_many(batch)))
        batch.clear()

    for t in _iter_texts(args.file, args.text_col, args.format):
        batch.append(t)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    out.flush()
    return 0


def evaluate(data: str, text_col: str | None = None, label_col: str | None = None, model_dir: str | None = None) -> dict:
    """Metrics of the (shipped or given) model on a labelled CSV."""
    from .model import load_model
    from .normalize import normalize
    from .train import load_labelled_csv, metrics

    texts, y = load_labelled_csv(data, text_col, label_col)
    model = load_model(model_dir) if model_dir else load_model()
    pred = model.score([normalize(t).text for t in texts]).labels
    m = metrics(y, pred)
    m["model"] = model.version
    m["file"] = Path(data).name
    return m


def _cell(row: dict, key: str, width: int, measured: bool) -> str:
    """A figure, or "—" where there is nothing to measure (no text of the category, or none
    judged free of it: a file of moderators' decisions may hold a few categories only)."""
    return f"{row[key]:>{width}.4f}" if measured else f"{'—':>{width}}"


def _cmd_eval_categories(args: argparse.Namespace) -> int:
    from .train_categories import evaluate as evaluate_categories

    # A model trained with `train-categories --hold-out` is judged on the rest of dev, or with
    # --held-out on every text of the files it was trained without.
    hold_out = []
    if args.model:
        meta_file = Path(args.model) / "categories.json"
        if not meta_file.is_file():
            raise CliError(f"{args.model}: not a category model (no categories.json in it)")
        hold_out = json.loads(meta_file.read_text("utf-8")).get("training", {}).get("hold_out", [])
    if args.held_out and not hold_out:
        raise CliError("--held-out: this model was trained on every file of the set, nothing was held out "
                       "(train one with `train-categories --hold-out PATTERN`, then pass it with --model)")
    if args.held_out and args.data:
        raise CliError("--held-out and --data: choose one (the held-out files, or a CSV)")
    try:
        m = evaluate_categories(args.data, model_dir=args.model, part="held_out" if args.held_out else "dev",
                                hold_out=hold_out)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if not args.errors:
        m.pop("errors", None)
    if args.json:
        print(json.dumps(m, ensure_ascii=False, indent=1))
        return 0
    print(f"{m['file']}: n={m['n']} ({m['n_harmless']} harmless)  macro-F1 {m['macro_f1']:.4f}  ({m['model']})")
    print(f"{'category':<14} {'precision':>9} {'recall':>7} {'F1':>7} {'FPR':>7} {'support':>8} {'R@FPR.05':>9}")
    for name, r in m["per_category"].items():
        pos, neg = r["support"] > 0, r.get("negatives", 1) > 0
        print(f"{name:<14} {_cell(r, 'precision', 9, r['tp'] + r['fp'] > 0)} {_cell(r, 'recall', 7, pos)} "
              f"{_cell(r, 'f1', 7, pos)} {_cell(r, 'fpr', 7, neg)} {r['support']:>8} "
              f"{_cell(r, 'recall_at_fpr_05', 9, pos and neg)}")
    print(f"harmless texts with any flag: {m['harmless_flagged']:.4f}")
    print("R@FPR.05: the recall a threshold chosen on these texts could reach with FPR <= 0.05 (the ranking's limit); "
          "macro-F1 over the categories the texts hold")
    for e in m.get("errors", []):
        truth = (",".join(e["truth"]) or "-") + (" (only these judged)" if e.get("partial") else "")
        print(f"  [{e['family']}] truth={truth} flags={','.join(e['flags']) or '-'}: {e['text']}")
    return 0


def _cmd_train_categories(args: argparse.Namespace) -> int:
    from .train_categories import CategoryConfig, train_categories

    try:
        cfg = CategoryConfig(seed=args.seed)
        if args.ordinary:
            cfg.ordinary = tuple(args.ordinary)
        if args.hold_out:
            cfg.hold_out = tuple(args.hold_out)
        meta = train_categories(args.out, cfg, extra=args.data or [],
                                log=lambda s: print(s, file=sys.stderr))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    dev = {k: v for k, v in meta["dev_metrics"].items() if k != "errors"}
    out = {"version": meta["version"], "thresholds": meta["thresholds"], "dev_metrics": dev}
    if "held_out_metrics" in meta:
        out["held_out_metrics"] = meta["held_out_metrics"]
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.categories:
        return _cmd_eval_categories(args)
    if not args.data:
        raise CliError("--data is required (or --categories for the category model on the project's dev set)")
    m = evaluate(args.data, args.text_col, args.label_col, args.model)
    if args.json:
        print(json.dumps(m, ensure_ascii=False, indent=1))
        return 0
    print(f"{m['file']}: n={m['n']}  macro-F1 {m['macro_f1']:.4f}  accuracy {m['accuracy']:.4f}  ({m['model']})")
    print(f"{'class':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
    for name, r in m["per_class"].items():
        print(f"{name:<10} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} {r['support']:>8}")
    print("confusion (rows = truth, columns = predicted):", m["labels"])
    for name, row in zip(m["labels"], m["confusion_matrix"]):
        print(f"  {name:<10} " + " ".join(f"{v:>6}" for v in row))
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from .train import TrainConfig, train

    data = args.data
    if len(data) > 1:
        # Several labelled CSVs (e.g. ViHSD + moderators' decisions): merge them first.
        data = [_merge_csvs(data, args.text_col, args.label_col, args.out)]
    cfg = TrainConfig(seed=args.seed)
    if args.C is not None:
        cfg.C = args.C
    if args.max_features is not None:
        cfg.max_features = args.max_features
    if args.vihos_weight is not None:
        cfg.vihos_weight = args.vihos_weight
    meta = train(
        data[0], args.out, dev=args.dev, vihos=args.vihos, config=cfg,
        text_col=args.text_col if len(args.data) == 1 else None,
        label_col=args.label_col if len(args.data) == 1 else None,
        log=lambda s: print(s, file=sys.stderr),
    )
    print(json.dumps({"version": meta["version"], "dev_metrics": meta.get("dev_metrics")}, ensure_ascii=False))
    return 0


def _merge_csvs(paths: list[str], text_col: str | None, label_col: str | None, out: str) -> str:
    from .train import load_labelled_csv

    Path(out).mkdir(parents=True, exist_ok=True)
    merged = Path(out) / "_train_merged.csv"
    with merged.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        for p in paths:
            texts, y = load_labelled_csv(p, text_col, label_col)
            w.writerows(zip(texts, y.tolist()))
    return str(merged)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cyberyouth safety", description="Vietnamese harmful-content engine")
    sub = ap.add_subparsers(dest="cmd", required=True)

    ev = sub.add_parser("eval", help="metrics of the model on a labelled CSV")
    ev.add_argument("--data", help="labelled CSV (with --categories: columns text, labels; default the dev split)")
    ev.add_argument("--categories", action="store_true",
                    help="per-category precision, recall, F1 and false-positive rate of the category model")
    ev.add_argument("--errors", action="store_true", help="with --categories: list the texts it gets wrong")
    ev.add_argument("--held-out", action="store_true",
                    help="with --categories and a --model trained with --hold-out: the files it never saw, "
                         "naming children, classes and schools that neither split names")
    ev.add_argument("--text-col")
    ev.add_argument("--label-col")
    ev.add_argument("--model", help="model directory (default: the shipped model)")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=_cmd_eval)

    sc = sub.add_parser("scan", help="one JSON verdict per input line (CSV, JSONL or plain lines)")
    sc.add_argument("file", nargs="?", default="-")
    sc.add_argument("--text-col", help="CSV column or JSONL field holding the text")
    sc.add_argument("--format", choices=("auto", "csv", "jsonl", "lines"), default="auto")
    sc.add_argument("--model", help="model directory (default: the shipped model)")
    sc.set_defaults(func=_cmd_scan)

    tc = sub.add_parser("train-categories", help="train the category model on the project's set (+ CSVs)")
    tc.add_argument("--data", action="append", help="extra labelled CSV (text, labels); repeatable")
    tc.add_argument("--ordinary", action="append",
                    help="CSV of everyday comments whose clean rows count as harmless (e.g. ViHSD train); repeatable")
    tc.add_argument("--hold-out", action="append", metavar="PATTERN",
                    help="leave the set's files matching PATTERN (e.g. '*wave13*') out of training, to judge "
                         "the model on them (eval --categories --held-out); repeatable")
    tc.add_argument("--out", required=True)
    tc.add_argument("--seed", type=int, default=13)
    tc.set_defaults(func=_cmd_train_categories)

    tr = sub.add_parser("train", help="train the toxicity model")
    tr.add_argument("--data", required=True, action="append", help="labelled CSV (text, label); repeatable")
    tr.add_argument("--dev", help="labelled CSV to tune the decision and calibration on")
    tr.add_argument("--vihos", help="ViHOS folder (span supervision)")
    tr.add_argument("--vihos-weight", type=float, default=None,
                    help="sample weight of ViHOS span texts (default 0.5; ViHSD rows weigh 1)")
    tr.add_argument("--out", required=True)
    tr.add_argument("--seed", type=int, default=13)
    tr.add_argument("--text-col")
    tr.add_argument("--label-col")
    tr.add_argument("--C", type=float, default=None, help=argparse.SUPPRESS)
    tr.add_argument("--max-features", type=int, default=None, help=argparse.SUPPRESS)
    tr.set_defaults(func=_cmd_train)
    return ap


def main(argv: list[str] | None = None) -> int:
    from .train import DataError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, DataError) as exc:
        print(f"cyberyouth safety: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnicodeError, ValueError) as exc:
        print(f"cyberyouth safety: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
