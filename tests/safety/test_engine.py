import json
import subprocess
import sys
from pathlib import Path

from cyberyouth.safety import MODEL_VERSION, analyze, analyze_many

PKG = Path(__file__).resolve().parents[2] / "src" / "cyberyouth" / "safety"


def test_no_django_import():
    code = "import sys, cyberyouth.safety as s; s.analyze('xin chào'); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(PKG.parents[1]), "PATH": ""})
    assert out.stdout.strip() == "False"


def test_verdict_shape_and_explanation():
    text = "Đm thằng óc chó này ngu vl"
    v = analyze(text)
    assert v.label in ("OFFENSIVE", "HATE")
    assert v.model == MODEL_VERSION
    tox = [s for s in v.spans if s.category == "toxicity"]
    assert tox
    covered = " ".join(text[s.start : s.end].lower() for s in tox)
    assert any(w in covered for w in ("đm", "óc chó", "ngu"))
    d = v.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert set(d["toxicity"]["scores"]) == {"CLEAN", "OFFENSIVE", "HATE"}


def test_clean_text():
    v = analyze("Cảm ơn thầy cô đã dạy chúng em rất tận tình")
    assert v.label == "CLEAN" and v.flags == []


def test_teencode_and_no_diacritics_still_detected():
    assert analyze("d.m thang oc cho ngu vl").label != "CLEAN"


def test_artifact_is_small_and_complete():
    model_dir = PKG / "model"
    files = list(model_dir.iterdir())
    assert {"toxicity.npz", "meta.json"} <= {f.name for f in files}
    assert all(f.stat().st_size < 2_000_000 for f in files)
    assert sum(f.stat().st_size for f in files) < 5_000_000
    meta = json.loads((model_dir / "meta.json").read_text("utf-8"))
    assert meta["version"] == MODEL_VERSION


def test_analyze_many_order():
    texts = [f"bình luận số {i}" for i in range(50)] + ["chơi lô đề"]
    vs = analyze_many(texts)
    assert len(vs) == 51 and "gambling" in vs[-1].flags
