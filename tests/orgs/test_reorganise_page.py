"""The reorganisation page: split with shares in the form, a confirmation before anything is
written, the new-role list defaulting to the least powerful role."""

from decimal import Decimal

import pytest

from cyberyouth.orgs.forms import PersonRoleForm, roles_least_powerful_first
from cyberyouth.orgs.models import Role, Unit, UnitSuccession, UnitType

pytestmark = pytest.mark.django_db


def _split_data(**extra):
    return {"kind": "split", "effective_date": "2026-09-01", "legal_basis": "Quyết định 12/QĐ-UBND",
            "s1_code": "thcs-cat-ba-a", "s1_name": "Trường THCS Cát Bà A", "s1_share": "60",
            "s2_code": "thcs-cat-ba-b", "s2_name": "Trường THCS Cát Bà B", "s2_share": "40", **extra}


def test_split_from_the_form_asks_confirmation_then_records_shares(client_for, units):
    admin = client_for("thuongtruc")
    page = admin.get("/don-vi/thcs-cat-ba/sap-xep/").content.decode()
    assert "Chia tách thành nhiều đơn vị" in page and "Tỷ lệ kế thừa" in page
    confirm = admin.post("/don-vi/thcs-cat-ba/sap-xep/", _split_data())
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "không hoàn tác được" in text
    assert "Trường THCS Cát Bà A" in text and "60 %" in text and "40 %" in text
    assert not Unit.objects.filter(code="thcs-cat-ba-a").exists()  # nothing written yet
    done = admin.post("/don-vi/thcs-cat-ba/sap-xep/", _split_data(confirmed="1"))
    assert done.status_code == 302
    shares = {s.successor.code: s.share for s in UnitSuccession.objects.filter(predecessor=units["thcs-cat-ba"])}
    assert shares == {"thcs-cat-ba-a": Decimal("0.6"), "thcs-cat-ba-b": Decimal("0.4")}
    assert Unit.objects.get(code="thcs-cat-ba-a").unit_type == UnitType.LOWER_SECONDARY


def test_split_shares_must_add_up_and_rows_be_complete(client_for):
    admin = client_for("thuongtruc")
    r = admin.post("/don-vi/thcs-cat-ba/sap-xep/", _split_data(s2_share="30")).content.decode()
    assert "phải bằng 100 %" in r and "không hoàn tác" not in r
    r = admin.post("/don-vi/thcs-cat-ba/sap-xep/", _split_data(s2_name="")).content.decode()
    assert "cần cả mã và tên" in r
    r = admin.post("/don-vi/thcs-cat-ba/sap-xep/", {**_split_data(), "s2_code": "", "s2_name": "",
                                                     "s2_share": ""}).content.decode()
    assert "ít nhất hai đơn vị kế thừa" in r


def test_a_unit_with_children_names_where_each_goes(client_for, units):
    zone_children = Unit.objects.filter(parent=units["hp-dk-cat-hai"], valid_to__isnull=True).count()
    admin = client_for("sysadmin")
    data = {"kind": "split", "effective_date": "2026-09-01", "s1_code": "dk-a", "s1_name": "Đặc khu A",
            "s1_share": "50", "s2_code": "dk-b", "s2_name": "Đặc khu B", "s2_share": "50"}
    r = admin.post("/don-vi/hp-dk-cat-hai/sap-xep/", data).content.decode()
    assert r.count("Chọn đơn vị kế thừa mà đơn vị trực thuộc này chuyển về") == zone_children > 0


def test_a_refused_move_is_explained_after_confirmation(client_for, units):
    admin = client_for("thuongtruc")
    kindergarten = Unit.objects.filter(unit_type=UnitType.KINDERGARTEN, parent=units["hp-dk-cat-hai"]).first()
    data = {"kind": "move", "effective_date": "2026-09-01", "target": kindergarten.id, "confirmed": "1"}
    r = admin.post("/don-vi/thcs-cat-ba/sap-xep/", data)
    assert r.status_code == 200 and "chỉ trực thuộc" in r.content.decode()
    units["thcs-cat-ba"].refresh_from_db()
    assert units["thcs-cat-ba"].parent_id == units["hp-dk-cat-hai"].id


def test_the_new_role_list_starts_with_the_least_powerful_role():
    order = [role for role, _ in roles_least_powerful_first()]
    assert order[0] == Role.LEADER and order[-1] == Role.ADMIN
    assert PersonRoleForm().fields["role"].initial == Role.LEADER
    html = str(PersonRoleForm()["role"])
    assert 'value="leader" selected' in html and html.index('value="leader"') < html.index('value="admin"')


def test_going_back_from_the_confirmation_keeps_what_was_filled_and_writes_nothing(client_for):
    admin = client_for("thuongtruc")
    back = admin.post("/don-vi/thcs-cat-ba/sap-xep/", _split_data(confirmed="1", back="1"))
    page = back.content.decode()
    assert back.status_code == 200 and 'value="Trường THCS Cát Bà A"' in page and "không hoàn tác" not in page
    assert not Unit.objects.filter(code="thcs-cat-ba-a").exists()
