"""Tests that read the real data in ../shared/data (skipped when it is absent)."""

import json
import re
from pathlib import Path

from cyberyouth.safety.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_model_card_matches_eval_on_dev(vihsd_dir, capsys):
    assert main(["eval", "--data", str(vihsd_dir / "dev.csv"), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    meta = json.loads((ROOT / "src/cyberyouth/safety/model/meta.json").read_text("utf-8"))
    assert meta["dev_metrics"]["macro_f1"] == m["macro_f1"]
    assert meta["dev_metrics"]["confusion_matrix"] == m["confusion_matrix"]
    card = (ROOT / "docs/safety/model-card.md").read_text("utf-8")
    assert f"{m['macro_f1']:.4f}" in card
    assert m["model"] in card
    for name, r in m["per_class"].items():
        row = next(ln for ln in card.splitlines() if ln.startswith(f"| {name} "))
        nums = re.findall(r"\d\.\d{4}", row)
        assert nums[:3] == [f"{r['precision']:.4f}", f"{r['recall']:.4f}", f"{r['f1']:.4f}"], row
