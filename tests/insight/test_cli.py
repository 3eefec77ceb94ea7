"""`cyberyouth insight eval|train|analyze` on small files the tests write themselves."""

import csv
import json
import random

import pytest

from cyberyouth.insight.cli import main
from cyberyouth.insight.model import InsightModel

# (sentence, sentiment, topic) in UIT-VSFC's conventions: 0 neg / 1 neu / 2 pos; 0 lecturer /
# 1 curriculum / 2 facility / 3 others.
PIECES = {
    (2, 0): ["thầy dạy rất nhiệt tình", "cô giảng bài dễ hiểu", "thầy vui tính và tận tâm"],
    (0, 0): ["thầy dạy khó hiểu", "cô hay đến lớp muộn", "thầy không nhiệt tình"],
    (2, 1): ["môn học bổ ích", "giáo trình đầy đủ và hay", "nội dung môn học thực tế"],
    (0, 1): ["môn học quá nhiều lý thuyết", "giáo trình sơ sài", "chương trình quá nặng"],
    (0, 2): ["phòng học nóng", "máy chiếu hỏng", "wifi yếu quá"],
    (2, 2): ["phòng máy hiện đại", "thư viện rộng rãi"],
    (1, 3): ["em sẽ học lại kỳ sau", "em không có ý kiến"],
}


def _write(path, n, seed, header=("sentence", "sentiment", "topic")):
    rnd = random.Random(seed)
    keys = sorted(PIECES)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for _ in range(n):
            s, t = rnd.choice(keys)
            w.writerow([rnd.choice(PIECES[(s, t)]) + rnd.choice(["", " .", " ạ", " lắm"]), s, t])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("insight")
    _write(d / "train.csv", 300, 1)
    _write(d / "dev.csv", 80, 2)
    return d


def test_train_then_eval_reproduces_the_stored_dev_metrics(trained, capsys):
    out = trained / "model"
    assert main(["train", "--data", str(trained / "train.csv"), "--dev", str(trained / "dev.csv"),
                 "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert summary["version"] == meta["version"] == InsightModel.load(out).version
    assert main(["eval", "--data", str(trained / "dev.csv"), "--model", str(out), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    for head in ("sentiment", "topic"):
        assert m[head] == meta["dev_metrics"][head]
        assert set(m[head]) >= {"weighted_f1", "macro_f1", "per_class"}
        assert all(set(r) >= {"precision", "recall", "f1", "support"} for r in m[head]["per_class"].values())
    assert m["sentiment"]["weighted_f1"] > 0.9 and m["topic"]["weighted_f1"] > 0.9
    # Same data, same seed: the same artifact.
    assert main(["train", "--data", str(trained / "train.csv"), "--out", str(trained / "again")]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == meta["version"]


def test_eval_with_other_columns_and_label_names(trained, tmp_path, capsys):
    f = tmp_path / "named.csv"
    with f.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["answer", "cam_xuc"])
        w.writerows([["thầy dạy rất nhiệt tình", "positive"], ["phòng học nóng", "negative"], ["em sẽ học lại", "neutral"]])
    assert main(["eval", "--data", str(f), "--text-column", "answer", "--sentiment-column", "cam_xuc",
                 "--topic-column", "", "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["n"] == 3 and "topic" not in m
    assert m["sentiment"]["per_class"]["positive"]["support"] == 1
    assert main(["eval", "--data", str(f), "--text-column", "answer", "--sentiment-column", "cam_xuc",
                 "--topic-column", ""]) == 0
    assert "weighted F1" in capsys.readouterr().out


@pytest.mark.parametrize("content,needle", [
    (None, "file not found"),
    ("sentence,sentiment\nthầy dạy hay,7\n", "sentiment '7'"),
    ("text_x,sentiment\nthầy dạy hay,2\n", "no text column"),
    (b"sentence,sentiment\n\xff\xfe,1\n", "not valid UTF-8"),
    ("sentence,sentiment,topic\n", "no rows"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, content, needle):
    f = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        f.write_bytes(content)
    elif content is not None:
        f.write_text(content, "utf-8")
    assert main(["eval", "--data", str(f)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.count("\n") == 1


def test_eval_rejects_a_named_column_that_is_missing(trained, capsys):
    assert main(["eval", "--data", str(trained / "dev.csv"), "--sentiment-column", "cam_xuc"]) == 2
    assert "no column 'cam_xuc'" in capsys.readouterr().err


def test_train_needs_both_heads(tmp_path, capsys):
    f = tmp_path / "one.csv"
    f.write_text("sentence,sentiment\nthầy dạy hay,2\n", "utf-8")
    assert main(["train", "--data", str(f), "--out", str(tmp_path / "m")]) == 2
    assert "both a sentiment and a topic" in capsys.readouterr().err


def test_analyze_prints_one_json_reading_per_text(capsys):
    assert main(["analyze", "Thầy dạy rất nhiệt tình", "Phòng học nóng quá"]) == 0
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [r["sentiment"] for r in lines] == ["positive", "negative"]
    assert lines[1]["topic"] == "facility" and lines[0]["cues"]
