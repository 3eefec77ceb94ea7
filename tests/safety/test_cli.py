import csv
import json

import pytest

from cyberyouth.safety.cli import main

KEYS = {"toxicity", "categories", "flags", "spans", "personal_data", "model"}


def _lines(capsys):
    out = capsys.readouterr().out
    return [json.loads(ln) for ln in out.splitlines()]


def test_scan_plain_lines(tmp_path, capsys):
    f = tmp_path / "in.txt"
    f.write_text("hôm nay trời đẹp\n\nmày ngu như bò\nsđt của nó 0912 345 678\n", "utf-8")
    assert main(["scan", str(f)]) == 0
    rows = _lines(capsys)
    assert len(rows) == 4
    for r in rows:
        assert KEYS <= set(r)
        assert r["toxicity"]["label"] in ("CLEAN", "OFFENSIVE", "HATE")
        assert set(r["toxicity"]["scores"]) == {"CLEAN", "OFFENSIVE", "HATE"}
        assert abs(sum(r["toxicity"]["scores"].values()) - 1) < 0.01
    assert "harassment" in rows[2]["flags"]
    assert rows[3]["personal_data"][0]["type"] == "phone"
    assert {"start", "end", "category"} == set(rows[2]["spans"][0])


def test_scan_csv_and_text_col(tmp_path, capsys):
    f = tmp_path / "in.csv"
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "body"])
        w.writerow(["1", "chơi tài xỉu không"])
        w.writerow(["2", "bài giảng hay quá, thầy dạy dễ hiểu"])
    assert main(["scan", str(f)]) == 0  # first non-numeric column
    rows = _lines(capsys)
    assert len(rows) == 2 and "gambling" in rows[0]["flags"] and rows[1]["flags"] == []
    assert main(["scan", str(f), "--text-col", "body"]) == 0
    assert len(_lines(capsys)) == 2


def test_scan_jsonl_stdin(monkeypatch, capsys):
    import io
    import sys

    data = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in ["muốn chết quá, không muốn sống nữa", "ok"])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    assert main(["scan", "-"]) == 0
    rows = _lines(capsys)
    assert len(rows) == 2 and "self_harm" in rows[0]["flags"]


def _labelled(tmp_path, name="d.csv", header=("free_text", "label_id")):
    f = tmp_path / name
    rows = [("mày ngu như chó", 1), ("bọn bắc kỳ ăn cắp", 2), ("trời đẹp quá", 0), ("cảm ơn bạn", 0)]
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return f


def test_eval_json(tmp_path, capsys):
    f = _labelled(tmp_path)
    assert main(["eval", "--data", str(f), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert {"macro_f1", "accuracy", "per_class", "confusion_matrix"} <= set(m)
    assert set(m["per_class"]) == {"CLEAN", "OFFENSIVE", "HATE"}
    assert {"precision", "recall", "f1"} <= set(m["per_class"]["HATE"])
    assert sum(map(sum, m["confusion_matrix"])) == 4


def test_eval_custom_columns(tmp_path, capsys):
    f = _labelled(tmp_path, header=("text", "label"))
    assert main(["eval", "--data", str(f), "--text-col", "text", "--label-col", "label", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 4


@pytest.mark.parametrize(
    "argv_fn, needle",
    [
        (lambda p: ["eval", "--data", str(p / "missing.csv")], "not found"),
        (lambda p: ["scan", str(p / "missing.txt")], "not found"),
        (lambda p: ["eval", "--data", str(p / "d.csv"), "--text-col", "nope"], "nope"),
        (lambda p: ["scan", str(p / "bad.txt")], "UTF-8"),
        (lambda p: ["eval", "--data", str(p / "bad.txt")], "UTF-8"),
        (lambda p: ["scan", str(p / "bad.jsonl")], "JSON"),
        (lambda p: ["train", "--data", str(p / "missing.csv"), "--out", str(p / "m")], "not found"),
    ],
)
def test_errors_are_one_line_exit_2(tmp_path, capsys, argv_fn, needle):
    _labelled(tmp_path)
    (tmp_path / "bad.txt").write_bytes(b"ok\n\xff\xfe\xfa bad\n")
    (tmp_path / "bad.jsonl").write_text('{"text": "a"}\n{not json\n', "utf-8")
    assert main(argv_fn(tmp_path)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def _held_out_model(tmp_path, hold_out):
    """The shipped category model, its metadata saying it was trained without `hold_out` (its
    weights are not: the test is of what the command reads, not of training)."""
    import shutil

    from cyberyouth.safety.categories import WORD_PAIRS_FILE, default_model_dir

    d = tmp_path / "model"
    d.mkdir()
    for name in ("categories.npz", WORD_PAIRS_FILE):
        shutil.copy(default_model_dir() / name, d)
    meta = json.loads((default_model_dir() / "categories.json").read_text("utf-8"))
    meta["training"]["hold_out"] = hold_out
    (d / "categories.json").write_text(json.dumps(meta), "utf-8")
    return d


def test_eval_categories_held_out_judges_the_files_the_model_never_saw(tmp_path, capsys):
    from cyberyouth.safety import dataset

    model = _held_out_model(tmp_path, ["harm_wave14_short", "negatives_wave14_short"])
    assert main(["eval", "--categories", "--held-out", "--model", str(model), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    held = dataset.split("held_out", ["harm_wave14_short", "negatives_wave14_short"])
    assert m["n"] == len(held) and m["n_harmless"] == sum(not ex.labels for ex in held)
    assert m["file"] == "files held out of training (harm_wave14_short, negatives_wave14_short)"
    assert m["per_category"]["harassment"]["support"] == sum("harassment" in ex.labels for ex in held)
    # Without --held-out: the dev split without those files.
    assert main(["eval", "--categories", "--model", str(model), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["n"] == len(dataset.split("dev", ["harm_wave14_short", "negatives_wave14_short"]))
    assert m["file"].endswith("without the held-out files")


@pytest.mark.parametrize("argv_fn, needle", [
    (lambda p: ["eval", "--categories", "--held-out"], "nothing was held out"),
    (lambda p: ["eval", "--categories", "--held-out", "--model", str(p / "model"), "--data", str(p / "d.csv")],
     "choose one"),
    (lambda p: ["eval", "--categories", "--model", str(p / "nowhere")], "not a category model"),
    (lambda p: ["train-categories", "--hold-out", "*wave99*", "--out", str(p / "m")], "matches no file"),
])
def test_held_out_errors_are_one_line_exit_2(tmp_path, capsys, argv_fn, needle):
    _held_out_model(tmp_path, ["harm_wave14_short"])
    _labelled(tmp_path)
    assert main(argv_fn(tmp_path)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_train_categories_hold_out_reaches_the_training(tmp_path, capsys, monkeypatch):
    """The flag is the config's `hold_out`, and the held-out figures are printed with dev's."""
    from cyberyouth.safety import train_categories as tc

    seen = {}

    def fake_train(out, cfg, extra, log):
        seen["hold_out"] = cfg.hold_out
        return {"version": "v", "thresholds": {}, "dev_metrics": {"n": 1, "errors": []},
                "held_out_metrics": {"n": 2}}

    monkeypatch.setattr(tc, "train_categories", fake_train)
    argv = ["train-categories", "--hold-out", "*wave13*", "--hold-out", "*wave14*", "--out", str(tmp_path / "m")]
    assert main(argv) == 0
    assert seen["hold_out"] == ("*wave13*", "*wave14*")
    out = json.loads(capsys.readouterr().out)
    assert out["dev_metrics"] == {"n": 1} and out["held_out_metrics"] == {"n": 2}
