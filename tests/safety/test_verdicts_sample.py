"""Speed work must not change a verdict: a sample of verdicts written by the engine before the
eighth round's changes (`scripts/safety_verdicts.py sample`), compared field by field, floats
exactly. The whole comparison (our set and four dev files, 10,651 texts) is
`scripts/safety_verdicts.py dump` run on the old and the new tree, then `compare`.

When a model is retrained on purpose, its verdicts change: regenerate the sample with the
command above (the first line records the model versions it was written with)."""

import csv
import gzip
import json
from pathlib import Path

import pytest

from cyberyouth.safety import get_engine

from .conftest import shared_data_dir

_SAMPLE = Path(__file__).parent / "data" / "verdicts_sample.jsonl.gz"


def _sample():
    with gzip.open(_SAMPLE, "rt", encoding="utf-8") as f:
        head, *rows = [json.loads(line) for line in f]
    return head, rows


def _check(texts, want):
    got = get_engine().analyze_many(texts)
    bad = [(t, w, g.to_dict()) for t, w, g in zip(texts, want, got) if g.to_dict() != w]
    assert not bad, f"{len(bad)} of {len(texts)} verdicts differ, e.g. {bad[0]}"
    # One text alone gives the same verdict as in its batch.
    for t, w in list(zip(texts, want))[::25]:
        assert get_engine().analyze(t).to_dict() == w


def test_sample_was_written_by_these_models():
    head, _ = _sample()
    eng = get_engine()
    assert head == {"toxicity_model": eng.model.version, "category_model": eng.category_model.version}, (
        "models changed: regenerate with `python scripts/safety_verdicts.py sample " + str(_SAMPLE) + "`")


def test_same_verdicts_on_our_set_and_edge_cases():
    _, rows = _sample()
    rows = [r for r in rows if "text" in r]
    assert len(rows) > 300
    _check([r["text"] for r in rows], [r["v"] for r in rows])


def test_same_verdicts_on_vihsd_dev():
    p = shared_data_dir() / "vihsd" / "dev.csv"
    if not p.is_file():
        pytest.skip("ViHSD not present (set CYBERYOUTH_DATA_DIR)")
    _, rows = _sample()
    rows = [r for r in rows if r["src"] == "vihsd"]
    with p.open(encoding="utf-8", newline="") as f:
        texts = [r["free_text"] or "" for r in csv.DictReader(f)]
    _check([texts[r["i"]] for r in rows], [r["v"] for r in rows])
