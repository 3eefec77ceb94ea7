"""A "yes" may be proved by a file: checked, hashed, kept with the report, served only within scope."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.indicators import services
from cyberyouth.indicators.models import EvidenceFile, Submission

pytestmark = pytest.mark.django_db
YEAR = 2026
GOOD = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "union_new_members": 50,
        "union_new_studied": 45, "staff_student_work": 18, "staff_trained": 17, "teaches_safety": 1}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client, **extra):
    data = {f"v_{k}": v for k, v in GOOD.items()} | {"action": "save"} | extra
    return client.post(f"/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/{YEAR}/", data)


def test_a_file_proves_a_yes_and_is_served_within_scope(client_for, units):
    focal = client_for("daumoi.gdnn")
    r = _post(focal, evf_teaches_safety=SimpleUploadedFile("Kế hoạch 12-KH.pdf", PDF))
    assert r.status_code == 302
    f = EvidenceFile.objects.get(submission__unit=units["gdnn-gdtx-cat-hai"], submission__year=YEAR)
    assert f.name == "Kế hoạch 12-KH.pdf" and f.sha256 == hashlib.sha256(PDF).hexdigest()
    page = focal.get(f"/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/{YEAR}/").content.decode()
    assert "Kế hoạch 12-KH.pdf" in page and "Tệp minh chứng đã đính kèm" in page
    for username in ("daumoi.gdnn", "thuongtruc", "lanhdao"):
        got = client_for(username).get(f"/chi-tieu/minh-chung/{f.id}/")
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert client_for("daumoi.thcscatba").get(f"/chi-tieu/minh-chung/{f.id}/").status_code == 404  # another school
    assert client_for("hocsinh").get(f"/chi-tieu/minh-chung/{f.id}/").status_code == 403  # not a student's business
    # The file stays evidence when the report is saved again without a text.
    assert _post(focal).status_code == 302


def test_a_yes_without_text_or_file_is_refused(client_for):
    r = _post(client_for("daumoi.gdnn"))
    assert r.status_code == 200 and "đính kèm tệp" in r.content.decode()


def test_a_disguised_file_is_refused_next_to_its_field_and_nothing_is_written(client_for, units):
    r = _post(client_for("daumoi.gdnn"), evf_teaches_safety=SimpleUploadedFile("ke-hoach.pdf", b"<html>trap</html>"))
    html = r.content.decode()
    assert r.status_code == 200 and "không đúng định dạng .pdf" in html
    assert "đính kèm tệp." not in html  # the file's refusal alone, not also "yes without evidence"
    assert not Submission.objects.filter(unit=units["gdnn-gdtx-cat-hai"], year=YEAR).exists()
    assert not EvidenceFile.objects.exists()


def test_api_upload(people, units, api_for):
    services.values_save(actor=people["daumoi.gdnn"], unit=units["gdnn-gdtx-cat-hai"], year=YEAR, values=GOOD,
                         evidence={"teaches_safety": "Kế hoạch 12/KH"})
    api = api_for("daumoi.gdnn")
    url = f"/api/indicators/submissions/gdnn-gdtx-cat-hai/{YEAR}/evidence"
    r = api.post(f"{url}/teaches_safety", {"file": SimpleUploadedFile("kh.pdf", PDF)})
    assert r.status_code == 201 and r.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    r = api.post(f"{url}/students_enrolled", {"file": SimpleUploadedFile("kh.pdf", PDF)})
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "students_enrolled.file"
    other = api_for("daumoi.thcscatba").post(f"{url}/teaches_safety", {"file": SimpleUploadedFile("kh.pdf", PDF)})
    assert other.status_code == 404  # another school's report is not there for them
    # An approved report is locked: no more files.
    submission = Submission.objects.get(unit=units["gdnn-gdtx-cat-hai"], year=YEAR)
    services.submission_submit(actor=people["daumoi.gdnn"], submission=submission)
    services.submission_approve(actor=people["thuongtruc"], submission=submission)
    r = api.post(f"{url}/teaches_safety", {"file": SimpleUploadedFile("kh.pdf", PDF)})
    assert r.status_code == 400 and r.json()["detail"][0]["code"] == "locked"
    assert EvidenceFile.objects.count() == 1
