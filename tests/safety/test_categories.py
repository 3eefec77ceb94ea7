"""Each child-safety category: positives and false-positive traps."""

import pytest

from cyberyouth.safety import analyze
from cyberyouth.safety.lexicon import load_lexicon
from cyberyouth.safety.normalize import normalize

POSITIVES = {
    "harassment": [
        "Mày ngu như bò ấy, cút đi",
        "cả lớp đừng chơi với nó nữa, cô lập nó đi",
        "thằng óc chó, đồ súc vật",
        "béo như lợn mà cũng đòi đi thi",
    ],
    "sexual": [
        "em gửi ảnh nude cho anh xem đi, đừng nói với bố mẹ nhé",
        "không gửi thêm ảnh thì anh tung ảnh lên mạng",
        "em học lớp mấy, cởi áo ra cho anh xem",
        "clip sex nữ sinh",
        "thằng giáo sư đầu bùi",  # the insult the teencode map no longer reads into every "Bùi"
    ],
    "violence": [
        "tan học chờ tao ở cổng trường, tao chém mày",
        "mai mang dao đánh chết nó",
        "tao giết mày",
    ],
    "self_harm": [
        "mình không muốn sống nữa",
        "muon chet qua, chan song lam roi",
        "tối nay mình sẽ rạch tay",
        "ai chơi thử thách cá voi xanh không",
    ],
    "scam": [
        "Việc nhẹ lương cao cho học sinh, nạp tiền để nhận nhiệm vụ",
        "Chúc mừng bạn đã trúng thưởng iPhone, nộp phí nhận thưởng 500k",
        "bạn ơi gửi mã OTP cho mình với",
        "cho sinh viên vay không cần thế chấp, chỉ cần CCCD",
    ],
    "gambling": [
        "soi kèo nhà cái hôm nay",
        "chơi tài xỉu, lô đề uy tín",
        "game bài đổi thưởng nạp đầu x2",
    ],
    "drugs": [
        "ai bán cỏ không, mua cỏ ở đâu",
        "tối nay đi bay lắc, có kẹo ke",
        "ship hàng đá tận nơi",
    ],
}

TRAPS = {
    "self_harm": ["Mệt chết mất thôi", "cười chết mất", "ngon chết đi được", "nóng chết đi được"],
    "violence": ["chém gió thôi mà", "đi đá bóng không", "giết thời gian bằng game"],
    "scam": [
        "Công an cảnh báo thủ đoạn lừa đảo: kẻ gian yêu cầu cung cấp mã OTP, tuyệt đối không chuyển tiền",
        "kiếm tiền mua trà sữa",
    ],
    "gambling": ["cá kho tộ ngon quá", "đi Cát Bà chơi", "bóng đá Việt Nam thắng rồi"],
    "drugs": ["uống trà đá vỉa hè", "tác hại của ma túy đối với học sinh, nói không với ma túy"],
    "sexual": ["ăn vú sữa Lò Rèn", "sex education", "chia ngọt sẻ bùi", "bánh đậu xanh ăn bùi bùi ngọt ngọt",
               "Thầy Bùi Văn Nam phát biểu khai mạc hội trại"],
}


@pytest.mark.parametrize("category, text", [(c, t) for c, ts in POSITIVES.items() for t in ts])
def test_positive(category, text):
    v = analyze(text)
    assert category in v.flags, (text, v.categories)
    spans = [s for s in v.spans if s.category == category]
    if category != "harassment" or spans:
        assert spans, v.spans
        for s in spans:
            assert 0 <= s.start < s.end <= len(text)


@pytest.mark.parametrize("category, text", [(c, t) for c, ts in TRAPS.items() for t in ts])
def test_trap(category, text):
    v = analyze(text)
    assert category not in v.flags, (text, v.categories)


def test_self_harm_is_urgent():
    v = analyze("mình không muốn sống nữa")
    assert v.urgent
    assert not analyze("hôm nay trời đẹp").urgent


def test_spans_are_original_offsets():
    text = "Ai CHƠI tài   xỉu ko"
    v = analyze(text)
    # The lexicon phrase among the gambling spans, mapped back across case and spaces (the
    # model may add an n-gram of its own as further evidence, "Ai" or "ko" next to it, and
    # touching spans are shown as one).
    shown = [text[s.start : s.end] for s in v.spans if s.category == "gambling"]
    assert any("tài   xỉu" in s for s in shown), shown


@pytest.mark.parametrize("text, found", [
    ("tao muốn thắt cổ", True),
    ("tao muon that co", True),  # typed without diacritics
    ("tao muốn thắt co", True),  # half typed: each word either its own or bare
    ("nói thật cô rất duyên", False),  # other marks: another word
    ("hàng thật có chữ Việt Nam", False),
])
def test_a_word_typed_with_diacritics_is_read_as_typed(text, found):
    hits = load_lexicon().match(normalize(text).text)
    assert any(h.phrase == "thắt cổ" for h in hits) is found


@pytest.mark.parametrize("text, found", [
    ("tao muốn chết thật", True),  # the trap "chết thật" only touches the phrase
    ("cười muốn chết luôn", False),  # the trap "cười muốn chết" holds it whole
])
def test_a_self_harm_phrase_yields_only_to_a_trap_that_holds_it(text, found):
    hits = load_lexicon().match(normalize(text).text)
    assert any(h.category == "self_harm" for h in hits) is found


def test_typed_as():
    from cyberyouth.safety.lexicon import typed_as

    assert typed_as("tu tu", "tự tử") and typed_as("tự tu", "tự tử") and typed_as("tự tử", "tự tử")
    assert not typed_as("tụ tu", "tự tử") and not typed_as("thật cô", "thắt cổ")


def test_word_boundaries():
    lex = load_lexicon()
    # "kèo" inside "kẹo kéo"? No. "ke" inside "kem"? No: whole words only.
    assert not [h for h in lex.match(normalize("ăn kem với bánh") .text) if h.phrase == "ke"]
    assert not [h for h in lex.match(normalize("đám cưới dâu rể").text) if h.category == "sexual"]


def test_a_request_said_not_to_be_done_is_written_once():
    """The refusal cue's phrases (signals.json) are the scam lexicon's warning context too: a
    bank's "không bao giờ yêu cầu…" scales the lexicon score before the floor, and the list is
    kept in one place — the lexicon names the cue group and holds none of its phrases."""
    import json
    from importlib import resources

    from cyberyouth.safety.lexicon import Lexicon

    data = resources.files("cyberyouth.safety").joinpath("data")
    raw = json.loads(data.joinpath("lexicon.json").read_text("utf-8"))
    refusal = json.loads(data.joinpath("signals.json").read_text("utf-8"))["groups"]["frame_refusal"]
    assert raw["warning_context"]["cue_group"] == "frame_refusal"
    assert not set(raw["warning_context"]["phrases"]) & set(refusal)
    lex = load_lexicon()
    text = normalize("Ngân hàng không bao giờ yêu cầu khách hàng cung cấp mã OTP").text
    assert lex.has_warning_context(text)
    assert not lex.has_warning_context(normalize("gửi mã OTP cho anh").text)
    with pytest.raises(ValueError, match="frame_refusal"):
        Lexicon(raw)  # a cue group named but not given fails loud, not silently unscaled


def test_a_warning_typed_without_diacritics_is_a_warning_too():
    """The lexicon's warning phrases of three words or more match typed without diacritics, as its
    harm phrases and the refusal cue do; two-word ones do not ("chớ vay", don't borrow, stripped is
    "cho vay", to lend — a loan scam's words)."""
    lex = load_lexicon()
    for text in ("Ngan hang khong bao gio yeu cau cung cap ma OTP", "tuyet doi khong chuyen tien cho nguoi la",
                 "ngân hàng khong bao gio yêu cầu mã otp"):
        assert lex.has_warning_context(normalize(text).text), text
    for text in ("gui ma otp cho anh de nhan qua", "can than quen moi cho vay", "chi cho vay sinh vien"):
        assert not lex.has_warning_context(normalize(text).text), text


def test_lexicon_data_is_normalised_and_weighted():
    lex = load_lexicon()
    for phrase, entries in lex.entries.items():
        assert normalize(phrase).text == phrase
        for cat, w in entries:
            assert 0 < w <= 1, (phrase, cat)
