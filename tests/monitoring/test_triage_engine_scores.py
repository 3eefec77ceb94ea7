"""Triage on the engine's learned category scores: its own flags count, not only the operators'
thresholds (the calibrated scores are not all cut at the same value)."""

from cyberyouth.monitoring import triage
from cyberyouth.safety import analyze

RULES = [triage.Rule(code, severity, threshold) for code, _, severity, threshold in triage.DEFAULT_CATEGORIES]


def test_an_engine_flag_below_the_operator_threshold_still_enters_the_queue():
    a = triage.Analysis(toxicity="CLEAN", scores={"harassment": 0.52, "violence": 0.1}, spans=[],
                        flags=["harassment"])
    top, severity, score, queued = triage.rank(a, RULES)
    assert queued and top == "harassment" and score == 0.52  # 0.52 < the default 0.6
    a.flags = []
    assert triage.rank(a, RULES)[3] is False


def test_implicit_threat_enters_the_queue_and_a_prevention_lesson_does_not():
    threat, lesson = triage.analyze_texts([
        "mày mà dám kể chuyện hôm nay với cô giáo thì coi chừng đấy",
        "Tiết sinh hoạt: khi bị bạn bè đe dọa hoặc cô lập, em hãy báo ngay cho thầy cô",
    ])
    assert "harassment" in threat.flags
    assert triage.rank(threat, RULES)[3] is True
    assert lesson.flags == []
    assert triage.rank(lesson, RULES)[3] is False


def test_self_harm_question_is_urgent_and_on_top():
    (a,) = triage.analyze_texts(["uống bao nhiêu viên thuốc ngủ thì không tỉnh lại nữa"])
    assert a.urgent and "self_harm" in a.flags
    top, severity, _, queued = triage.rank(a, RULES)
    assert queued and top == "self_harm" and severity == max(r.severity for r in RULES)


def test_flatten_keeps_the_engine_flags():
    v = analyze("soi kèo nhà cái hôm nay, vào tiền trận tối nay đi anh em")
    assert triage.flatten(v).flags == list(v.flags)
    assert triage.flatten(v.to_dict() | {"label": v.label, "flags": v.flags}).flags == list(v.flags)
