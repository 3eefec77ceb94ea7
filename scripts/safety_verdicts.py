"""Dump every verdict of the safety engine on fixed texts, to prove a speed change changed nothing.

    python scripts/safety_verdicts.py dump OUT.jsonl          # with the code on sys.path
    python scripts/safety_verdicts.py compare OLD.jsonl NEW.jsonl
    python scripts/safety_verdicts.py sample tests/safety/data/verdicts_sample.jsonl.gz

The texts: our category set (every original and variant), the dev files of ViHSD, UIT-VSFC,
ViCTSD and ViHOS under $CYBERYOUTH_DATA_DIR (those present), and a few edge cases. They are
analysed in batches of 1,000 (as `cyberyouth bench safety`) and each text again alone for the
first 300 of each source (a verdict must not depend on its batch). One JSON line per text:
the source, the index and `Verdict.to_dict()` — floats written by `repr`, so scores must be
bit-identical. Run the old tree with `PYTHONPATH=<old>/src` and compare the two files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from pathlib import Path

EDGE = ["", "   ", "\x00\x01", "😂😂", "a" * 5000, "Đm thằng óc chó này ngu vl " * 200,
        "0912345678 nhà em ở 12 Lê Lợi", "mày ngu vl\nbiết tay tao", "chết đi", "đ.m", "ＭＡＹ ＮＧＵ"]


def sources() -> list[tuple[str, list[str]]]:
    from cyberyouth.safety import dataset

    out = [("categories", [e.text for e in dataset.load()])]
    d = Path(os.environ.get("CYBERYOUTH_DATA_DIR", "/work/shared/data"))
    for name, col in (("vihsd", "free_text"), ("uit-vsfc", "sentence"), ("victsd", "Comment"), ("vihos", "content")):
        p = d / name / "dev.csv"
        if not p.is_file():
            continue
        with p.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        out.append((name, [r.get(col) or "" for r in rows]))
    out.append(("edge", EDGE))
    return out


def dump(path: str) -> None:
    from cyberyouth.safety.engine import get_engine

    eng = get_engine()
    h = hashlib.sha256()
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for name, texts in sources():
            verdicts = []
            for i in range(0, len(texts), 1000):
                verdicts += eng.analyze_many(texts[i : i + 1000])
            for i, t in enumerate(texts[:300]):
                alone = eng.analyze_many([t])[0]
                if alone != verdicts[i]:
                    raise SystemExit(f"{name}[{i}]: verdict alone differs from the batch's")
            for i, v in enumerate(verdicts):
                line = json.dumps({"src": name, "i": i, "v": v.to_dict()}, ensure_ascii=False, sort_keys=True)
                h.update(line.encode())
                f.write(line + "\n")
                n += 1
    print(f"{n} verdicts, sha256 {h.hexdigest()}")


def sample(path: str) -> None:
    """The sample `tests/safety/test_verdicts_sample.py` compares against: every 10th text of our
    set, the edge cases (texts stored) and the first 300 ViHSD dev comments (by index only)."""
    import gzip

    from cyberyouth.safety.engine import get_engine

    eng = get_engine()
    src = dict(sources())
    rows: list[dict] = []
    for name, texts, keep_text in (("categories", src["categories"][::10], True), ("edge", EDGE, True),
                                   ("vihsd", src.get("vihsd", [])[:300], False)):
        for i, (t, v) in enumerate(zip(texts, eng.analyze_many(texts))):
            rows.append({"src": name, "i": i, **({"text": t} if keep_text else {}), "v": v.to_dict()})
    head = {"toxicity_model": eng.model.version,
            "category_model": eng.category_model.version if eng.category_model else None}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in [head, *rows]:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(rows)} verdicts -> {path}")


def compare(a: str, b: str) -> int:
    la = Path(a).read_text("utf-8").splitlines()
    lb = Path(b).read_text("utf-8").splitlines()
    diff = [i for i, (x, y) in enumerate(zip(la, lb)) if x != y]
    if len(la) != len(lb):
        print(f"line counts differ: {len(la)} vs {len(lb)}")
    for i in diff[:10]:
        print(f"- {la[i]}\n+ {lb[i]}")
    print(f"{len(la)} vs {len(lb)} lines, {len(diff)} differ")
    return 1 if diff or len(la) != len(lb) else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "sample":
        sample(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
