import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberyouth.safety import analyze
from cyberyouth.safety.pii import find_personal_data, find_personal_data_many


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("sđt của nó đây 0912 345 678 gọi mà chửi", "phone", "0912 345 678"),
        ("zalo con bé: 0387.654.321", "phone", "0387.654.321"),
        ("+84 912 345 678", "phone", "+84 912 345 678"),
        ("nhà nó số 024 3825 1234", "landline", "024 3825 1234"),
        ("cccd của nó 001203012345", "citizen_id", "001203012345"),
        ("mail nó là nguyen.van.a@gmail.com", "email", "nguyen.van.a@gmail.com"),
        ("nhà nó ở số nhà 12 ngõ 34 phố Huế", "address", "số nhà 12"),
        ("Nguyễn Văn An lớp 7A3 béo như lợn", "student", "Nguyễn Văn An lớp 7A3"),
        ("con Anh Thư lớp 7B láo lắm, ai gặp thì chửi hộ", "student", "Anh Thư lớp 7B"),
        ("Chúc mừng em Bùi Thu Trang lớp 9A1 đạt giải nhất", "student", "Bùi Thu Trang lớp 9A1"),
    ],
)
def test_found(text, kind, value):
    """A pupil named with a class or a school is found, in a school's congratulations too (a minor's
    name in a public post: the moderator checks consent); "Anh" is a given name, not a title."""
    found = find_personal_data(text)
    assert any(p.type == kind and text[p.start : p.end] == value for p in found), found
    assert "personal_data" in analyze(text).flags


@pytest.mark.parametrize(
    "text",
    [
        "Hotline nhà trường: 0912345678",
        "Đường dây nóng bảo vệ trẻ em: 111",
        "Tổng đài hỗ trợ 1900 1234",
        "Văn phòng trường THCS Lê Lợi, điện thoại 024 3825 1234",
        "giá 100000000 đồng",
        "năm 2024 có 12 lớp",
        # An adult named in their role, in a school's own post: not a pupil exposed.
        "Thầy Bùi Văn Nam, hiệu trưởng trường THCS Cát Bà, trao giấy khen cho các em học sinh giỏi",
        "Cô Nguyễn Thị Hoa, giáo viên chủ nhiệm lớp 9A1, đã tổ chức buổi sinh hoạt chuyên đề an toàn trên mạng",
        "cô giáo Lan Anh lớp 7A2 khen cả lớp",
    ],
)
def test_not_personal(text):
    assert find_personal_data(text) == []
    assert "personal_data" not in analyze(text).flags


_PII_PIECES = [
    "0912 345 678", "0387.654.321", "+84 912 345 678", "84-9-1-2-3-4-5-6-7-8", "024 3825 1234", "001203012345",
    "nguyen.van.a@gmail.com", "a@b.c", "@", "số nhà 12", "SN 5", "Nhà số 7", "12 đường Lê Lợi", "12A/3 PHỐ Huế",
    "ngõ 34", "Ngách 5/2", "hẻm 9", "kiệt 3", "Nguyễn Văn An", "lớp 7A3", "trường THCS", "Lan", "hotline",
    "văn phòng", "của nó", "\x00", "\n", "5", "12", "123456789", "1234567890", "đường", "ſn 4", "K", ",", " ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PII_PIECES) | st.text(max_size=4), max_size=8).map("".join), max_size=6))
def test_batch_pre_check_equals_each_text(texts):
    """The batch pre-check only skips texts without personal data: same finds as text by text."""
    assert find_personal_data_many(texts) == [find_personal_data(t) for t in texts]


def test_batch_pre_check_examples():
    texts = ["sđt 0912 345 678", "", "không có gì", "nhà nó ở số nhà 12 ngõ 34 phố Huế", "a\x00b 0912345678",
             "Nguyễn Văn An lớp 7A3", "mail a@b.com", "x" * 3, "năm 2024 có 12 lớp"]
    got = find_personal_data_many(texts)
    assert got == [find_personal_data(t) for t in texts]
    assert [bool(g) for g in got] == [True, False, False, True, True, True, True, False, False]
