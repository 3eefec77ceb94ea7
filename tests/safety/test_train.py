"""Training on a small sample the test writes itself; reproducibility."""

import csv
import json
import random

from cyberyouth.safety.cli import main
from cyberyouth.safety.model import ToxicityModel
from cyberyouth.safety.normalize import normalize

TOXIC = ["mày ngu như chó", "đm thằng óc chó", "cút mẹ mày đi", "đồ súc vật", "vl ngu thế"]
HATE = ["bọn bắc kỳ ăn cắp", "lũ parky cút về nước", "tụi nó là lũ chó", "bọn mọi rợ"]
CLEAN = ["trời đẹp quá", "cảm ơn bạn nhiều", "bài hát hay quá", "chúc mừng năm mới", "hôm nay đi học vui"]


def _write(path, n, seed):
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        for i in range(n):
            lab = rnd.choice([0, 0, 0, 1, 2])
            base = rnd.choice([CLEAN, TOXIC, HATE][lab])
            w.writerow([f"{base} {rnd.choice(CLEAN)} {i % 7}", ["CLEAN", "OFFENSIVE", "HATE"][lab]])


def test_train_is_reproducible_and_evaluable(tmp_path, capsys):
    tr, dv = tmp_path / "train.csv", tmp_path / "dev.csv"
    _write(tr, 300, 1)
    _write(dv, 80, 2)
    outs = []
    for name in ("a", "b"):
        assert main(["train", "--data", str(tr), "--dev", str(dv), "--out", str(tmp_path / name), "--seed", "3"]) == 0
        outs.append(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert outs[0]["dev_metrics"]["macro_f1"] > 0.8
    # eval of the saved artifact reproduces the dev metrics stored at training time.
    assert main(["eval", "--data", str(dv), "--model", str(tmp_path / "a"), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["macro_f1"] == outs[0]["dev_metrics"]["macro_f1"]
    model = ToxicityModel.load(tmp_path / "a")
    s = model.score([normalize("mày ngu như chó").text])
    assert s.labels[0] == 1


def test_train_merges_several_csvs(tmp_path, capsys):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    _write(a, 120, 4)
    _write(b, 120, 5)
    assert main(["train", "--data", str(a), "--data", str(b), "--out", str(tmp_path / "m")]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["version"].startswith("vi-tox-linear-")


def test_span_texts_weigh_what_they_are_told(tmp_path, capsys):
    """ViHOS-style span texts enter the fit with their own weight (recorded in the meta); the
    weight changes the model, and the same weight gives the same model."""
    tr, dv, vihos = tmp_path / "train.csv", tmp_path / "dev.csv", tmp_path / "vihos"
    _write(tr, 200, 6)
    _write(dv, 60, 7)
    vihos.mkdir()
    with (vihos / "train.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["content", "index_spans"])
        for i, text in enumerate(TOXIC * 4):
            full = f"{CLEAN[i % len(CLEAN)]} và {text} nhé bạn"
            start = full.index(text)
            w.writerow([full, json.dumps(list(range(start, start + len(text))))])
    versions = {}
    for name, weight in (("half", "0.5"), ("half2", "0.5"), ("full", "1")):
        args = ["train", "--data", str(tr), "--dev", str(dv), "--vihos", str(vihos), "--vihos-weight", weight,
                "--out", str(tmp_path / name)]
        assert main(args) == 0
        versions[name] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["version"]
        meta = json.loads((tmp_path / name / "meta.json").read_text("utf-8"))
        assert meta["training"]["vihos_weight"] == float(weight)
    assert versions["half"] == versions["half2"] != versions["full"]
