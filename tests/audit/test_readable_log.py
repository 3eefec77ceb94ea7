"""The audit log as people read it: field labels, labels of codes, names of units — and its export."""

import io

import pytest
from openpyxl import load_workbook

from cyberyouth.audit.changes import describe
from cyberyouth.audit.models import AuditEntry
from cyberyouth.orgs.models import Unit

pytestmark = pytest.mark.django_db


def changes_of(action: str):
    entry = AuditEntry.objects.filter(action=action).order_by("id").first()
    assert entry is not None, action
    return {c.label: (c.before, c.after) for c in describe([entry])[0][1]}


def test_a_role_grant_reads_in_words():
    changes = changes_of("role.grant")
    assert set(changes) == {"người dùng", "vai trò", "đơn vị"}
    assert changes["vai trò"][1] in {"Quản trị cơ quan thường trực", "Đầu mối đơn vị", "Cán bộ Đoàn", "Kiểm duyệt viên",
                                     "Tư vấn viên tổng đài", "Lãnh đạo (chỉ xem)", "Học sinh"}


def test_a_unit_creation_names_its_parent_and_type_and_dates():
    entry = next(e for e in AuditEntry.objects.filter(action="unit.create").order_by("id") if e.after.get("parent"))
    changes = {c.label: (c.before, c.after) for c in describe([entry])[0][1]}
    assert changes["loại đơn vị"][1] and "_" not in changes["loại đơn vị"][1]
    from cyberyouth.orgs.models import Unit

    assert changes["đơn vị cấp trên"][1] in set(Unit.objects.values_list("name", flat=True))
    assert changes["hiệu lực từ"][1].count("/") == 2


def test_a_merge_names_the_units_not_their_codes():
    changes = changes_of("unit.merge")
    assert "Huyện Cát Hải" in changes["đơn vị trước sắp xếp"][0]
    assert changes["đơn vị kế thừa"][1] == "Đặc khu Cát Hải"


def test_submitted_figures_are_named_by_their_data_element():
    changes = changes_of("submission.import")
    assert "students_cc_ack" not in changes["số liệu"][1] and "students_enrolled" not in changes["số liệu"][1]
    assert changes["trạng thái"][1] in {"Đang nhập", "Đã gửi", "Đã duyệt", "Bị trả lại"}


def test_a_rename_shows_before_and_after_only_for_what_changed():
    entry = AuditEntry.objects.filter(action="unit.rename").first()
    rows = describe([entry])[0][1]
    assert [(r.label, bool(r.before), bool(r.after)) for r in rows] == [("tên", True, True)]


def test_every_key_in_the_demo_log_has_a_vietnamese_label():
    english = set()
    for entry, changes in describe(AuditEntry.objects.all()):
        for change in changes:
            keys = set((entry.before or {}) if isinstance(entry.before, dict) else ()) | set(
                (entry.after or {}) if isinstance(entry.after, dict) else ())
            if change.label.replace(" ", "_") in keys:
                english.add((entry.action, change.label))
    assert not english


def test_the_page_shows_labels_and_no_python_dicts(client_for):
    page = client_for("thuongtruc").get("/nhat-ky/", {"action": "role.grant"}).content.decode()
    assert "vai trò" in page and "{&#x27;" not in page and "{'" not in page


def test_filters_find_people_by_name_and_actions_by_label(client_for, people):
    admin = client_for("thuongtruc")
    actor = people["daumoi.thcscatba"]
    actor.full_name = "Nguyễn Thị Hạnh"
    actor.save()
    AuditEntry.objects.create(actor=actor, action="progress.record", target_type="plans.progress", target_id="1",
                              unit=Unit.objects.get(code="thcs-cat-ba"))  # within the administrator's scope
    by_name = admin.get("/nhat-ky/", {"actor": "thị hạnh"}).context["page"]
    # Everyone whose name holds the words (demo students may share them), the newest entry being this one.
    assert by_name[0].actor_id == actor.pk
    assert all("thị hạnh" in e.actor.full_name.lower() for e in by_name)
    by_label = admin.get("/nhat-ky/", {"action": "Giao vai trò"}).context["page"]
    assert by_label.paginator.count and all(e.action == "role.grant" for e in by_label)


def test_export_is_the_filtered_log_in_words(client_for):
    admin = client_for("thuongtruc")
    response = admin.get("/nhat-ky/", {"action": "unit.rename", "xuat": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Thời điểm")
    body = rows[head + 1:]
    assert len(body) == AuditEntry.objects.filter(action="unit.rename").count()
    assert all(r[2] == "Đổi tên đơn vị" and r[5].startswith("tên: ") for r in body)
    assert any(r[0] == "Thao tác: unit.rename" for r in rows[:head])


def test_the_export_is_refused_like_the_page(client_for):
    assert client_for("daumoi.thcscatba").get("/nhat-ky/", {"xuat": "xlsx"}).status_code == 403
