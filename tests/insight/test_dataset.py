"""The shipped model against UIT-VSFC dev (skipped when the data is absent)."""

import json
import re
from pathlib import Path

from cyberyouth.insight import MODEL_VERSION
from cyberyouth.insight.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_model_card_matches_eval_on_dev(vsfc_dir, capsys):
    assert main(["eval", "--data", str(vsfc_dir / "dev.csv"), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    meta = json.loads((ROOT / "src/cyberyouth/insight/model/meta.json").read_text("utf-8"))
    assert m["model"] == meta["version"] == MODEL_VERSION
    card = (ROOT / "docs/insight.md").read_text("utf-8")
    assert m["model"] in card
    for head in ("sentiment", "topic"):
        assert m[head] == meta["dev_metrics"][head]
        h = m[head]
        row = next(ln for ln in card.splitlines() if ln.startswith(f"| {head} weighted F1 "))
        assert f"{h['weighted_f1']:.4f}" in row and f"{h['macro_f1']:.4f}" in row, row
        for name, r in h["per_class"].items():
            row = next(ln for ln in card.splitlines() if ln.startswith(f"| {name} "))
            nums = re.findall(r"\d\.\d{4}", row)
            assert nums[:3] == [f"{r['precision']:.4f}", f"{r['recall']:.4f}", f"{r['f1']:.4f}"], row


def test_model_is_small():
    size = sum(p.stat().st_size for p in (ROOT / "src/cyberyouth/insight/model").iterdir())
    assert size < 5 * 1024 * 1024
