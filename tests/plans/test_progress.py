"""Progress per task per unit per year, with evidence files checked for size, type and content."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cyberyouth.audit.models import AuditEntry
from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.plans import selectors, services
from cyberyouth.plans.models import Assignment, Evidence, Plan, Progress

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def own(units):
    return Assignment.objects.filter(unit=units["thcs-cat-ba"], task__group__number=6, task__letter="c").get()


def test_record_and_update_progress_is_audited(people, own):
    actor = people["daumoi.thcscatba"]
    p = services.progress_record(actor=actor, assignment=own, year=2026, status="in_progress", summary="Đang làm")
    p2 = services.progress_record(actor=actor, assignment=own, year=2026, status="done",
                                  summary="Đối thoại trực tiếp 12/3 và trực tuyến 20/4", completed_on=date(2026, 4, 20))
    assert p.pk == p2.pk and Progress.objects.get(pk=p.pk).status == "done"
    entries = AuditEntry.objects.filter(action="progress.record", target_id=str(p.pk)).order_by("id")
    assert entries.count() == 2
    assert entries.last().before["status"] == "in_progress" and entries.last().after["status"] == "done"


@pytest.mark.parametrize("kwargs, field", [
    ({"year": 2019, "status": "done"}, "year"),
    ({"year": 2026, "status": "bogus"}, "status"),
    ({"year": 2026, "status": "done", "summary": ""}, "summary"),
    ({"year": 2026, "status": "done", "summary": "x"}, "completed_on"),
    ({"year": 2026, "status": "in_progress", "started_on": date(2026, 5, 1), "completed_on": date(2026, 4, 1)},
     "completed_on"),
    ({"year": 2026, "status": "in_progress", "started_on": date(2099, 1, 1)}, "started_on"),
])
def test_bad_progress_is_refused_with_the_field(people, own, kwargs, field):
    with pytest.raises(DomainError) as exc:
        services.progress_record(actor=people["daumoi.thcscatba"], assignment=own, **kwargs)
    assert exc.value.field == field
    assert not Progress.objects.filter(assignment=own, year=kwargs["year"]).exists()


def test_another_schools_focal_point_cannot_record(people, units):
    """Another school's task is not even there for them: NotFound, the same as a missing one."""
    other = Assignment.objects.filter(unit=units["thcs-cat-hai"]).first()
    with pytest.raises(NotFound):
        services.progress_record(actor=people["daumoi.thcscatba"], assignment=other, year=2026, status="in_progress")


class TestEvidence:
    @pytest.fixture
    def progress(self, people, own):
        return services.progress_record(actor=people["daumoi.thcscatba"], assignment=own, year=2026,
                                        status="in_progress", summary="Đang thực hiện")

    def test_a_pdf_is_stored_with_its_hash(self, people, progress):
        e = services.evidence_add_file(actor=people["daumoi.thcscatba"], progress=progress, title="Biên bản",
                                       upload=SimpleUploadedFile("bien-ban.pdf", PDF))
        assert e.size == len(PDF) and len(e.sha256) == 64 and e.content_type == "application/pdf"
        assert e.file.read() == PDF

    @pytest.mark.parametrize("name, content, code", [
        ("script.exe", b"MZ...", "file_type"),
        ("bien-ban.pdf", b"<html>not a pdf</html>", "file_content"),
        ("anh.png", b"\xff\xd8\xff\xe0 jpeg bytes", "file_content"),
        ("rong.pdf", b"", "file_empty"),
    ])
    def test_bad_files_are_refused(self, people, progress, name, content, code):
        with pytest.raises(DomainError) as exc:
            services.evidence_add_file(actor=people["daumoi.thcscatba"], progress=progress, title="x",
                                       upload=SimpleUploadedFile(name, content))
        assert exc.value.code == code and exc.value.field == "file"
        assert not Evidence.objects.filter(progress=progress).exists()

    @override_settings(EVIDENCE_MAX_BYTES=100)
    def test_too_large(self, people, progress):
        with pytest.raises(DomainError, match="quá lớn"):
            services.evidence_add_file(actor=people["daumoi.thcscatba"], progress=progress, title="x",
                                       upload=SimpleUploadedFile("a.pdf", PDF + b"0" * 200))

    def test_links_must_be_http(self, people, progress):
        with pytest.raises(DomainError):
            services.evidence_add_link(actor=people["daumoi.thcscatba"], progress=progress, title="x",
                                       url="javascript:alert(1)")
        e = services.evidence_add_link(actor=people["daumoi.thcscatba"], progress=progress, title="Bài đăng",
                                       url="https://thcscatba.edu.vn/tin/1")
        assert e.url.startswith("https://")

    def test_files_are_served_only_within_scope(self, people, progress, client_for):
        e = services.evidence_add_file(actor=people["daumoi.thcscatba"], progress=progress, title="Biên bản",
                                       upload=SimpleUploadedFile("bien-ban.pdf", PDF))
        assert client_for("thuongtruc").get(f"/ke-hoach/minh-chung/{e.id}/").status_code == 200
        assert client_for("daumoi.gdnn").get(f"/ke-hoach/minh-chung/{e.id}/").status_code == 404


def test_progress_page_shows_errors_next_to_fields(client_for, own):
    c = client_for("daumoi.thcscatba")
    r = c.post(f"/ke-hoach/phan-cong/{own.id}/2026/", {"save_progress": "1", "status": "done", "summary": ""})
    page = r.content.decode()
    assert r.status_code == 200 and "cần mô tả kết quả" in page
    r = c.post(f"/ke-hoach/phan-cong/{own.id}/2026/",
               {"add_evidence": "1", "title": "x", "file": SimpleUploadedFile("a.exe", b"MZ")})
    assert "không được chấp nhận" in r.content.decode()
    assert not Progress.objects.filter(assignment=own, year=2026).exists()  # nothing half-written


def test_child_plan_details_parent_tasks(people, units):
    parent = Plan.objects.get(year=2023, parent=None)
    task = parent.task_groups.get(number=6).tasks.get(letter="c")
    plan = services.child_plan_create(actor=people["daumoi.thcscatba"], parent=parent, owner_unit=units["thcs-cat-ba"],
                                      title="Kế hoạch thực hiện Chương trình 311 năm học 2026-2027", year=2026,
                                      details=[(task, "Đối thoại với học sinh tháng 10 (trực tiếp) và tháng 3 (trực tuyến)")])
    child_task = plan.task_groups.get().tasks.get()
    assert child_task.parent_task == task and child_task.assignments.get().unit.code == "thcs-cat-ba"
    with pytest.raises(ScopeError):
        services.child_plan_create(actor=people["daumoi.thcscatba"], parent=parent, owner_unit=units["thcs-cat-hai"],
                                   title="X", year=2026)


def test_matrix_counts_match_the_records(people):
    plan = Plan.objects.get(year=2023, parent=None)
    units_, rows, counts = selectors.progress_matrix(actor=people["thuongtruc"], plan=plan, year=2024)
    stored = Progress.objects.filter(assignment__task__group__plan=plan, year=2024)
    assert counts["done"] == stored.filter(status="done").count()
    assert sum(counts.values()) == Assignment.objects.filter(task__group__plan=plan).count()
    _, rows_done, counts_done = selectors.progress_matrix(actor=people["thuongtruc"], plan=plan, year=2024,
                                                          status="done")
    assert counts_done["done"] == counts["done"] and counts_done["in_progress"] == 0
