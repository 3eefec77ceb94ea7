"""A focal point may remove or replace a wrong evidence file before the report is sent (audited)."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.indicators import services
from cyberyouth.indicators.models import EvidenceFile

pytestmark = pytest.mark.django_db
YEAR = 2026
GOOD = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "union_new_members": 50,
        "union_new_studied": 45, "staff_student_work": 18, "staff_trained": 17, "teaches_safety": 1}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.7\n2 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def attached(client_for, units):
    data = {f"v_{k}": v for k, v in GOOD.items()} | {"action": "save",
                                                     "evf_teaches_safety": SimpleUploadedFile("nham.pdf", PDF)}
    assert client_for("daumoi.gdnn").post(f"/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/{YEAR}/", data).status_code == 302
    return EvidenceFile.objects.get(submission__unit=units["gdnn-gdtx-cat-hai"], submission__year=YEAR)


def test_remove_before_sending_with_confirmation_and_audit(client_for, attached, django_capture_on_commit_callbacks):
    focal = client_for("daumoi.gdnn")
    report = focal.get(f"/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/{YEAR}/").content.decode()
    assert f"/chi-tieu/minh-chung/{attached.id}/go-thay/" in report
    confirm = focal.get(f"/chi-tieu/minh-chung/{attached.id}/go-thay/").content.decode()
    assert "nham.pdf" in confirm and "Xác nhận" in confirm
    path = attached.file.path
    with django_capture_on_commit_callbacks(execute=True):
        r = focal.post(f"/chi-tieu/minh-chung/{attached.id}/go-thay/", {"reason": "Đính kèm nhầm"})
    assert r.status_code == 302
    assert not EvidenceFile.objects.filter(id=attached.id).exists()
    entry = AuditEntry.objects.get(action="indicators.evidence_remove")
    assert entry.before["sha256"] == hashlib.sha256(PDF).hexdigest() and entry.note == "Đính kèm nhầm"
    assert entry.unit_id == attached.submission.unit_id
    assert not os.path.exists(path)  # the file went once the removal committed


def test_replace_checks_the_new_file_first(client_for, people, attached):
    focal = client_for("daumoi.gdnn")
    bad = focal.post(f"/chi-tieu/minh-chung/{attached.id}/go-thay/",
                     {"file": SimpleUploadedFile("virus.pdf", b"MZ not a pdf")})
    assert bad.status_code == 200 and EvidenceFile.objects.filter(id=attached.id).exists()
    assert not AuditEntry.objects.filter(action__startswith="indicators.evidence_re").exists()
    good = focal.post(f"/chi-tieu/minh-chung/{attached.id}/go-thay/",
                      {"file": SimpleUploadedFile("dung.pdf", OTHER_PDF)})
    assert good.status_code == 302
    (now,) = EvidenceFile.objects.filter(submission=attached.submission)
    assert now.name == "dung.pdf" and now.sha256 == hashlib.sha256(OTHER_PDF).hexdigest()
    entry = AuditEntry.objects.get(action="indicators.evidence_replace")
    assert entry.before["name"] == "nham.pdf" and entry.after["name"] == "dung.pdf"


def test_not_after_sending_and_not_by_others(people, units, attached):
    with pytest.raises(NotFound):  # another school cannot even see it
        services.evidence_file_remove(actor=people["daumoi.thcscatba"], evidence_file=attached)
    with pytest.raises(ScopeError):  # the leader reads it but changes nothing
        services.evidence_file_remove(actor=people["lanhdao"], evidence_file=attached)
    services.values_save(actor=people["daumoi.gdnn"], unit=units["gdnn-gdtx-cat-hai"], year=YEAR, values=GOOD,
                         submit=True)
    with pytest.raises(DomainError) as refused:
        services.evidence_file_remove(actor=people["daumoi.gdnn"], evidence_file=attached)
    assert "trước khi gửi" in refused.value.message
    assert EvidenceFile.objects.filter(id=attached.id).exists()
