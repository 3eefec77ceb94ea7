"""Readings, cues and the public interface of cyberyouth.insight."""

import subprocess
import sys

import pytest

from cyberyouth.insight import (
    SENTIMENT_LABELS,
    SENTIMENTS,
    TOPIC_LABELS,
    TOPICS,
    Reading,
    analyze,
    analyze_many,
)
from cyberyouth.insight.prepare import prepare

CASES = [
    # (text, sentiment, topic): plain answers whose labels no reader would dispute.
    ("Thầy dạy rất nhiệt tình, dễ hiểu", "positive", "lecturer"),
    ("Cô giảng bài hay và luôn giúp đỡ học sinh", "positive", "lecturer"),
    ("Phòng học nóng quá, máy chiếu hỏng suốt", "negative", "facility"),
    ("Wifi ở thư viện rất yếu, không vào mạng được", "negative", "facility"),
    ("Môn học quá nhiều lý thuyết, ít thực hành", "negative", "curriculum"),
    ("Thầy không nhiệt tình, hay đến lớp muộn", "negative", "lecturer"),
]


@pytest.mark.parametrize("text,sentiment,topic", CASES)
def test_plain_answers_read_as_any_reader_would(text, sentiment, topic):
    r = analyze(text)
    assert (r.sentiment, r.topic) == (sentiment, topic)
    assert 0.5 < r.sentiment_confidence <= 1.0
    assert 0.0 < r.topic_confidence <= 1.0


def test_reading_shape_and_vietnamese_labels():
    r = analyze("Thầy dạy rất nhiệt tình :)")
    assert isinstance(r, Reading)
    assert r.sentiment in SENTIMENTS and r.topic in TOPICS
    assert r.sentiment_label == SENTIMENT_LABELS[r.sentiment] == "Tích cực"
    assert set(SENTIMENT_LABELS) == set(SENTIMENTS) and set(TOPIC_LABELS) == set(TOPICS)
    with pytest.raises(AttributeError):
        r.sentiment = "negative"  # frozen
    d = r.to_dict()
    assert d["sentiment"] == "positive" and isinstance(d["cues"], list)


def test_batch_equals_one_by_one():
    texts = [t for t, _s, _t in CASES] + ["", "em sẽ học lại kỳ sau", "ok", "!!!"]
    batch = analyze_many(texts)
    assert batch == [analyze(t) for t in texts]
    assert analyze_many([]) == []


@pytest.mark.parametrize("text", ["", "   ", "...", "!!! ???", "qzxw vbnmk", None, "\x00\x01", "😀" * 3 + "x"])
def test_nothing_to_read_is_neutral_with_no_confidence(text):
    r = analyze_many([text])[0]
    if text and "😀" in text:
        # An emoji alone is a reading (the dataset's emoticons carry sentiment).
        assert r.sentiment in SENTIMENTS
        return
    assert (r.sentiment, r.topic, r.sentiment_confidence, r.topic_confidence, r.cues) == (
        "neutral", "others", 0.0, 0.0, ())


def test_cues_are_phrases_of_the_answer_that_drove_the_label():
    r = analyze("Thầy không nhiệt tình")
    assert r.sentiment == "negative"
    # The negation reads with what it negates, never alone.
    assert "không nhiệt tình" in r.cues
    r = analyze("Môn học quá nhiều lý thuyết, ít thực hành")
    assert any("lý thuyết" in c for c in r.cues) and any("ít thực hành" in c for c in r.cues)
    for text, _s, _t in CASES:
        r = analyze(text)
        assert 1 <= len(r.cues) <= 3
        for c in r.cues:
            assert c in prepare(text), (c, text)
            # Most Vietnamese words are two syllables: a lone syllable takes its neighbour.
            assert len(c.split()) >= 2, (c, text)
        # Phrases that touch or overlap are one phrase.
        assert not any(a != b and (a in b) for a in r.cues for b in r.cues)
    assert analyze("Wifi yếu quá").cues == ("wifi yếu quá",)


def test_emoticons_show_as_typed():
    r = analyze("Thầy dạy rất hay :)")
    assert r.sentiment == "positive"
    assert all("colon" not in c for c in r.cues)


def test_long_and_odd_unicode_never_fails():
    texts = ["thầy " * 5000, "Ｔｈầｙ ｄạｙ ｈａｙ", "t\u0301hầy dạy hay", "a\u200bb", "\ud800 broken", "x" * 10_000]
    out = analyze_many(texts)
    assert len(out) == len(texts)
    assert analyze("Ｔｈầｙ ｄạｙ ｈａｙ").sentiment == analyze("thầy dạy hay").sentiment


def test_prepare_matches_the_dataset_conventions():
    assert prepare("Thầy dạy hay:))") == "thầy dạy hay colonsmilesmile"
    assert prepare("tốt.Nhưng ko có wifi") == "tốt . nhưng không có wifi"
    assert prepare("thầy wzjwz208 dạy thay") == "thầy wzjwz dạy thay"
    assert prepare("xD vui") == "colonbigsmile vui"
    for t in ["Cô giáo tốt😍,nhưng phòng nóng quá!!!", "slide giáo trình đầy đủ .", "a:)b"]:
        assert prepare(prepare(t)) == prepare(t)


def test_the_package_never_imports_django():
    code = (
        "import sys; from cyberyouth.insight import analyze, themes; analyze('thầy dạy hay'); themes(['a b']);"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
