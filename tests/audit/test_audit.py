import pytest

from cyberyouth.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_log_is_append_only():
    entry = AuditEntry.objects.filter(action="unit.merge").first()
    assert entry is not None and entry.after["successor"]["code"] == "hp-dk-cat-hai"
    entry.note = "sửa"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(note="x")


def test_administrator_reads_and_filters_the_log(client_for):
    c = client_for("thuongtruc")
    page = c.get("/nhat-ky/?action=unit.merge").content.decode()
    assert "unit.merge" in page and "unit.create" not in page


def test_others_cannot_read_the_log(client_for):
    assert client_for("daumoi.thcscatba").get("/nhat-ky/").status_code == 403
    assert client_for("kiemduyet").get("/nhat-ky/").status_code == 403


def test_entries_carry_the_unit_they_concern():
    merge = AuditEntry.objects.filter(action="unit.merge").first()
    assert merge.unit.code == "hp-dk-cat-hai"
    submission = AuditEntry.objects.filter(target_type="indicators.submission").first()
    from cyberyouth.indicators.models import Submission

    assert submission.unit_id == Submission.objects.get(id=submission.target_id).unit_id
    role = AuditEntry.objects.filter(action="role.grant").first()
    from cyberyouth.orgs.models import RoleAssignment

    assert role.unit_id == RoleAssignment.objects.get(id=role.target_id).unit_id


def test_leader_reads_the_log_of_their_scope_only(client_for, people, units):
    from cyberyouth.audit.services import audit_record

    # A unit outside the leader's subtree: one created beside Đặc khu Cát Hải, under the city.
    from cyberyouth.orgs.models import Unit

    elsewhere = Unit.objects.exclude(id__in=_subtree_ids(units["hp-dk-cat-hai"])).exclude(
        id=units["hp-dk-cat-hai"].parent_id).filter(valid_to__isnull=True).first()
    assert elsewhere is not None
    audit_record(actor=people["sysadmin"], action="unit.rename", target=elsewhere, after={"name": "NGOÀI-PHẠM-VI"})
    audit_record(actor=people["sysadmin"], action="unit.rename", target=units["thcs-cat-ba"],
                 after={"name": "TRONG-PHẠM-VI"})
    audit_record(actor=people["sysadmin"], action="user.create", target=people["hocsinh"], after={"x": "HỆ-THỐNG"})

    leader = client_for("lanhdao").get("/nhat-ky/?action=unit.rename")
    assert leader.status_code == 200
    page = leader.content.decode()
    assert "TRONG-PHẠM-VI" in page and "NGOÀI-PHẠM-VI" not in page
    assert "HỆ-THỐNG" not in client_for("lanhdao").get("/nhat-ky/?action=user.create").content.decode()
    # The system administrator, whose scope is the whole tree, reads all three.
    admin = client_for("sysadmin").get("/nhat-ky/").content.decode()
    assert "TRONG-PHẠM-VI" in admin and "NGOÀI-PHẠM-VI" in admin and "HỆ-THỐNG" in admin


def _subtree_ids(unit):
    from cyberyouth.orgs import selectors

    return selectors.descendant_ids(unit_ids=[unit.id], on=selectors.today())
