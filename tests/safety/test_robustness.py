import os
import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from cyberyouth.safety import LABELS, Verdict, analyze, analyze_many


def _ok(v: Verdict):
    assert v.label in LABELS
    assert abs(sum(v.scores.values()) - 1) < 0.01
    assert all(0.0 <= x <= 1.0 for x in v.categories.values())
    assert v.model


def test_empty_and_emoji_only():
    for t in ["", "   ", "\n\n", "\u200b"]:
        v = analyze(t)
        _ok(v)
        assert v.label == "CLEAN" and v.flags == [] and v.spans == []
        assert v.scores == {"CLEAN": 1.0, "OFFENSIVE": 0.0, "HATE": 0.0}
    for t in ["😂😂😂", "👍", "❤️❤️"]:
        v = analyze(t)
        _ok(v)
        assert v.flags == [] and v.personal_data == []


def test_binary_garbage_and_mixed_scripts():
    rnd = random.Random(0)
    garbage = bytes(rnd.randrange(256) for _ in range(5000)).decode("latin-1")
    for t in [garbage, "\x00\x01\x02", "привет 你好 مرحبا đm thằng ngu ทดสอบ", b"\xff\xfe bytes".decode("utf-8", "replace"), os.urandom(64)]:
        _ok(analyze(t))


def test_non_str_inputs():
    vs = analyze_many([None, 123, b"m\xc3\xa0y ngu", "ok"])
    assert len(vs) == 4
    for v in vs:
        _ok(v)


def test_one_megabyte_bounded_time():
    big = ("Bọn mày ngu vl, sđt 0912 345 678, chơi tài xỉu đi 😂 " * 30000)[: 1 << 20]
    t = time.perf_counter()
    v = analyze(big)
    assert time.perf_counter() - t < 30
    _ok(v)
    assert "gambling" in v.flags
    for s in v.spans:
        assert 0 <= s.start < s.end <= len(big)


def test_batch_equals_single():
    texts = ["mày ngu như bò", "trời đẹp", "", "chơi lô đề"]
    many = analyze_many(texts)
    for t, v in zip(texts, many):
        assert analyze(t) == v


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_gives_a_verdict(s):
    v = analyze(s)
    _ok(v)
    for sp in v.spans:
        assert 0 <= sp.start <= sp.end <= len(s)
    for p in v.personal_data:
        assert 0 <= p.start < p.end <= len(s)
