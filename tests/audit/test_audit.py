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
    assert client_for("lanhdao").get("/nhat-ky/").status_code == 403
