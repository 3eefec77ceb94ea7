import pytest

from cyberyouth.safety import analyze
from cyberyouth.safety.pii import find_personal_data


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
    ],
)
def test_found(text, kind, value):
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
    ],
)
def test_not_personal(text):
    assert find_personal_data(text) == []
    assert "personal_data" not in analyze(text).flags
