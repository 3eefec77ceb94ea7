"""Vietnamese order: one Python key (lib.text.vi_key) and the database agree, on SQLite and PostgreSQL."""

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.text import vi_key, vi_sorted

NAMES = [
    "Xuân Trường", "Đào Thị Hoa", "Dung", "Việt Hải", "Văn Phong", "Ánh", "Anh", "Âu Cơ", "Ăn", "anh", "Ánh Dương",
    "Ơn", "Ô Chợ Dừa", "Ong", "Ưng", "Uyên", "Trường THCS Cát Bà", "Trường THCS Cát Hải", "Trường Tiểu học Gia Luận",
    "Trường tiểu học Hiền Hào", "Trường Mầm non Hoa Phượng", "Xã Gia Luận", "Xã Hiền Hào", "Đặc khu Cát Hải",
    "Đoàn Thanh niên", "Đ", "D", "Dz", "Bà", "Ba", "Bá", "Bả", "Bã", "Bạ", "ba", "Ba Đình", "Ba-Vì", "Ba 2", "Ba1",
    "Hải Phòng", "Hải An", "Hà Nội", "Hạ Long", "Ha Giang", "Hà Giang", "Nguyễn Văn An", "Nguyễn Văn Ân", "Nguyễn Văn Ấn",
    "Phạm Thị Thu", "Phan Văn Tú", "Yến", "Ý Yên", "Ỷ Lan",
]


def test_vietnamese_letters_and_tones_sort_as_in_a_dictionary():
    assert vi_sorted(["Xuân", "Đào", "Dung"]) == ["Dung", "Đào", "Xuân"]
    assert vi_sorted(["Việt Hải", "Văn Phong"]) == ["Văn Phong", "Việt Hải"]
    assert vi_sorted(["ơ", "ô", "o", "ư", "u", "â", "ă", "a"]) == ["a", "ă", "â", "o", "ô", "ơ", "u", "ư"]
    # Tones come second: the letters decide first, then none, huyền, hỏi, ngã, sắc, nặng.
    assert vi_sorted(["bạ", "bá", "bã", "bả", "bà", "ba"]) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    assert vi_sorted(["Bàn", "Ban", "Bao"]) == ["Ban", "Bàn", "Bao"]


def test_composed_and_decomposed_text_sort_the_same():
    import unicodedata

    assert vi_key(unicodedata.normalize("NFD", "Việt Hải")) == vi_key("Việt Hải")


@given(st.lists(st.sampled_from(NAMES), min_size=2, max_size=12))
def test_the_key_is_a_total_order(names):
    once = vi_sorted(names)
    assert vi_sorted(list(reversed(once))) == once


@pytest.fixture
def named_units(db):
    from cyberyouth.orgs.models import Unit, UnitType

    shuffled = NAMES[:]
    random.Random(311).shuffle(shuffled)
    return [Unit.objects.create(code=f"sort-{i}", unit_type=UnitType.COMMUNE,
                                valid_from=date(2020, 1, 1), name=name)
            for i, name in enumerate(shuffled)]


def test_the_database_sorts_names_as_the_python_key_does(named_units):
    from cyberyouth.orgs.models import Unit

    codes = [u.code for u in named_units]
    in_database = list(Unit.objects.filter(code__in=codes).order_by(Vietnamese("name")).values_list("name", flat=True))
    assert in_database == vi_sorted(NAMES)
    # Units are listed in that order by default (menus, lists of schools).
    assert list(Unit.objects.filter(code__in=codes).values_list("name", flat=True)) == vi_sorted(NAMES)


def test_on_postgresql_the_order_comes_from_icu(named_units):
    from django.db import connection

    from cyberyouth.lib.collation import collation_name

    if connection.vendor != "postgresql":
        assert collation_name(connection) == "vi"
        return
    assert collation_name(connection) == "vi-x-icu"


def test_search_matching_folds_marks_and_matches_word_beginnings():
    from cyberyouth.lib.text import fold, matches

    assert fold("  ĐẶC KHU Cát Hải ") == "dac khu cat hai"
    assert matches("cat ba", "Trường THCS Cát Bà") and matches("THCS cát", "Trường THCS Cát Bà")
    assert not matches("cat ba", "Xã Đồng Bài")
    assert not matches("", "Trường THCS Cát Bà")


def test_the_unit_tree_lists_dong_bai_before_gia_luan(db, client_for):
    """"Đ" comes after "D" and before "G" (in code-point order it would follow "X")."""
    page = client_for("thuongtruc").get("/don-vi/", {"ngay": "2025-06-30"}).content.decode()  # before the merge
    assert "Xã Đồng Bài" in page and "Xã Gia Luận" in page
    assert page.index("Xã Đồng Bài") < page.index("Xã Gia Luận")


def test_the_completeness_list_is_in_vietnamese_order(db, client_for):
    rows = client_for("thuongtruc").get("/chi-tieu/tien-do-bao-cao/?nam=2024").context["result"].rows
    keys = [(vi_key(r.parent_name), vi_key(r.name)) for r in rows]
    assert len(rows) > 3 and keys == sorted(keys)
