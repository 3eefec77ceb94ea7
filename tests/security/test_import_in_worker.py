"""A big import file goes to the worker, not the web request: the page answers at once and then
shows the outcome; the stored file is deleted afterwards; nobody else sees the job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from cyberyouth.monitoring import services
from cyberyouth.monitoring.models import ImportJob, Item

pytestmark = pytest.mark.django_db


def _big_csv(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["text,url"]
    for n in range(rows):
        url = "ftp://sai" if n == bad_row else f"https://x.example/bai-{n}"
        lines.append(f"Bài thu thập số {n} về một nhóm rủ học sinh chơi cá độ trực tuyến {'x' * 40},{url}")
    return ("\n".join(lines) + "\n").encode()


def test_a_big_file_is_imported_by_the_worker(client_for, channel, django_capture_on_commit_callbacks):
    data = _big_csv(2500)
    assert len(data) > services.IMPORT_INLINE_BYTES
    before = Item.objects.count()
    c = client_for("kiemduyet")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/giam-sat/nhap/", {"channel": channel.pk, "file": SimpleUploadedFile("lon.csv", data)})
    job = ImportJob.objects.latest("id")
    assert r.status_code == 302 and r["Location"] == f"/giam-sat/nhap/{job.pk}/"
    assert Item.objects.count() == before  # nothing imported during the request
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    assert "trong nền" in c.get(r["Location"]).content.decode()
    services.import_job_run(job_id=job.pk)  # what the worker's task does
    job.refresh_from_db()
    assert job.status == "done" and "2500 nội dung mới" in job.message and not job.file
    assert Item.objects.count() == before + 2500
    assert "2500 nội dung mới" in c.get(r["Location"]).content.decode()
    assert client_for("thuongtruc").get(r["Location"]).status_code == 404


def test_a_big_bad_file_fails_with_the_rows_and_imports_nothing(client_for, channel, people,
                                                                django_capture_on_commit_callbacks):
    before = Item.objects.count()
    upload = SimpleUploadedFile("sai.csv", _big_csv(2500, bad_row=10))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_request(actor=people["kiemduyet"], channel=channel, upload=upload)
    job = services.import_job_run(job_id=job.pk)
    assert job.status == "failed" and "Dòng 12" in job.message and Item.objects.count() == before
    page = client_for("kiemduyet").get(f"/giam-sat/nhap/{job.pk}/").content.decode()
    assert "Chưa nhập dòng nào" in page and "Dòng 12" in page


def test_a_small_file_is_still_imported_at_once(client_for, channel):
    before = Item.objects.count()
    r = client_for("kiemduyet").post("/giam-sat/nhap/", {"channel": channel.pk, "file": SimpleUploadedFile(
        "nho.csv", "text\nMột bài nhỏ\n".encode())})
    assert r.status_code == 302 and r["Location"] == "/giam-sat/" and Item.objects.count() == before + 1
