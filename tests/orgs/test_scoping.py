"""A school's user can never see or change another school's data; a leader changes nothing."""

import pytest

from cyberyouth.orgs import selectors
from cyberyouth.plans.models import Assignment, Progress

pytestmark = pytest.mark.django_db


def test_focal_point_sees_only_its_school(people, units):
    visible = selectors.unit_ids(actor=people["daumoi.thcscatba"], capability="unit.read")
    assert visible == {units["thcs-cat-ba"].id}


def test_focal_point_cannot_open_another_school_by_page(client_for, units):
    c = client_for("daumoi.thcscatba")
    assert c.get("/don-vi/thcs-cat-ba/").status_code == 200
    assert c.get("/don-vi/thcs-cat-hai/").status_code == 404
    assert c.get("/don-vi/hp-dk-cat-hai/").status_code == 404
    # its own page names the special zone above it without a link that would only answer "not found"
    own = c.get("/don-vi/thcs-cat-ba/").content.decode()
    assert "Đặc khu Cát Hải" in own and 'href="/don-vi/hp-dk-cat-hai/"' not in own
    tree = c.get("/don-vi/").content.decode()
    assert "Trường THCS Cát Bà" in tree and "Trường THCS Cát Hải" not in tree


def test_focal_point_cannot_read_or_write_another_schools_progress(client_for, units):
    other = Assignment.objects.filter(unit=units["thcs-cat-hai"]).first()
    own = Assignment.objects.filter(unit=units["thcs-cat-ba"]).first()
    c = client_for("daumoi.thcscatba")
    assert c.get(f"/ke-hoach/phan-cong/{own.id}/2026/").status_code == 200
    assert c.get(f"/ke-hoach/phan-cong/{other.id}/2026/").status_code == 404
    before = Progress.objects.filter(assignment=other).count()
    r = c.post(f"/ke-hoach/phan-cong/{other.id}/2026/", {"save_progress": "1", "status": "in_progress"})
    assert r.status_code == 404
    assert Progress.objects.filter(assignment=other).count() == before
    matrix = c.get(f"/ke-hoach/{own.task.group.plan_id}/ma-tran/?nam=2024").content.decode()
    assert "Trường THCS Cát Hải" not in matrix


def test_focal_point_cannot_read_or_write_another_school_by_api(api_for, units):
    other = Assignment.objects.filter(unit=units["thcs-cat-hai"]).first()
    api = api_for("daumoi.thcscatba")
    assert api.get("/api/units/thcs-cat-hai").status_code == 404
    codes = {u["code"] for u in api.get("/api/units/").json()}
    assert codes == {"thcs-cat-ba"}
    assert api.get(f"/api/plans/assignments/{other.id}/progress/2025").status_code == 404
    r = api.put(f"/api/plans/assignments/{other.id}/progress/2026", {"status": "in_progress"},
                content_type="application/json")
    assert r.status_code == 404
    assert not Progress.objects.filter(assignment=other, year=2026).exists()


def test_leader_reads_everything_in_scope_but_changes_nothing(client_for, api_for, units):
    own = Assignment.objects.filter(unit=units["thcs-cat-ba"]).first()
    c = client_for("lanhdao")
    assert c.get("/don-vi/thcs-cat-hai/").status_code == 200
    assert c.get(f"/ke-hoach/phan-cong/{own.id}/2025/").status_code == 200
    r = c.post(f"/ke-hoach/phan-cong/{own.id}/2026/", {"save_progress": "1", "status": "in_progress"})
    assert r.status_code == 403
    assert c.get("/don-vi/hp-dk-cat-hai/sap-xep/").status_code == 403
    r = c.post("/don-vi/thcs-cat-ba/sap-xep/", {"kind": "rename", "effective_date": "2026-09-01", "new_name": "X"})
    assert r.status_code == 403
    api = api_for("lanhdao")
    r = api.put(f"/api/plans/assignments/{own.id}/progress/2026", {"status": "in_progress"},
                content_type="application/json")
    assert r.status_code == 403
    assert r.json()["detail"][0]["code"] == "forbidden"
    r = api.post("/api/units/thcs-cat-ba/reorganise", {"kind": "rename", "effective_date": "2026-09-01",
                                                        "new_name": "X"}, content_type="application/json")
    assert r.status_code in (400, 403)
    assert not Progress.objects.filter(assignment=own, year=2026).exists()
    units["thcs-cat-ba"].refresh_from_db()
    assert units["thcs-cat-ba"].name == "Trường THCS Cát Bà"


def test_anonymous_is_sent_to_login(client):
    r = client.get("/don-vi/")
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_administrator_grants_and_ends_roles_and_a_focal_point_cannot(client_for, units):
    from cyberyouth.audit.models import AuditEntry
    from cyberyouth.orgs.models import RoleAssignment

    admin = client_for("thuongtruc")
    r = admin.post("/don-vi/thcs-cat-hai/nguoi-dung/", {"username": "phodaumoi.thcscathai", "full_name": "",
                                                         "role": "focal_point"})
    assert "cần họ và tên" in r.content.decode()
    r = admin.post("/don-vi/thcs-cat-hai/nguoi-dung/", {"username": "phodaumoi.thcscathai",
                                                         "full_name": "Ngô Thị Hạnh", "role": "focal_point"})
    assert "mật khẩu tạm thời" in r.content.decode()
    assignment = RoleAssignment.objects.get(user__username="phodaumoi.thcscathai", unit=units["thcs-cat-hai"])
    assert AuditEntry.objects.filter(action="role.grant", target_id=str(assignment.id)).exists()
    assert "password" not in str(AuditEntry.objects.filter(action="user.create").last().after)
    # Ending a role asks for confirmation first; nothing changes until it is given.
    asked = admin.post("/don-vi/thcs-cat-hai/nguoi-dung/", {"revoke": assignment.id}).content.decode()
    assert "Xác nhận kết thúc vai trò" in asked and "Ngô Thị Hạnh" in asked
    assignment.refresh_from_db()
    assert assignment.valid_to is None
    admin.post("/don-vi/thcs-cat-hai/nguoi-dung/", {"revoke": assignment.id, "confirmed": "1"})
    assignment.refresh_from_db()
    assert assignment.valid_to is not None

    focal = client_for("daumoi.thcscatba")
    r = focal.post("/don-vi/thcs-cat-ba/nguoi-dung/", {"username": "x", "full_name": "X", "role": "admin"})
    assert r.status_code == 403
    assert not RoleAssignment.objects.filter(user__username="x").exists()
