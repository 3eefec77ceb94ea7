"""Reading staff data needs a read capability (orgs/capabilities.py): the student, the moderator
and the counsellor read nothing of plans, progress, evidence, indicator data or documents of
their own school or area — by page and by API; the Youth Union reads its own units' progress
only. Each refusal has one exact status: 403 for a page or operation the role has no use of at
all (it holds the capability nowhere), 404 for an object outside the scope of a role that has it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.indicators.models import Submission
from cyberyouth.plans import services as plan_services
from cyberyouth.plans.models import Assignment, Plan
from cyberyouth.reports import services

pytestmark = pytest.mark.django_db
NO_STAFF_READS = ("hocsinh", "kiemduyet", "tuvan")


@pytest.fixture
def school_facts(people, units):
    """A school document, a school assignment with evidence, a school submission (thcs-cat-ba,
    the student's own school)."""
    doc = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025,
                                         unit=units["thcs-cat-ba"], want_pdf=False)
    assignment = Assignment.objects.filter(unit=units["thcs-cat-ba"]).first()
    evidence = plan_services.evidence_add(actor=people["daumoi.thcscatba"], assignment=assignment, year=2025,
                                          title="Biên bản", url="https://thcscatba.example/bien-ban")
    submission = Submission.objects.get(unit=units["thcs-cat-ba"], year=2025)
    return {"doc": doc, "assignment": assignment, "evidence": evidence, "submission": submission}


@pytest.mark.parametrize("username", NO_STAFF_READS)
def test_roles_without_staff_reads_get_403_on_pages(username, client_for, school_facts):
    c = client_for(username)
    a, doc = school_facts["assignment"], school_facts["doc"]
    plan = Plan.objects.filter(parent__isnull=True).first()
    for url in (f"/ke-hoach/{plan.id}/", f"/ke-hoach/{plan.id}/ma-tran/?nam=2025", f"/ke-hoach/phan-cong/{a.id}/2025/",
                f"/ke-hoach/minh-chung/{school_facts['evidence'].id}/", "/chi-tieu/bao-cao/thcs-cat-ba/2025/",
                "/chi-tieu/?don_vi=thcs-cat-ba", "/chi-tieu/du-lieu/thcs-cat-ba/2025/ct1-quy-tac-ung-xu/",
                f"/bao-cao/{doc.id}/", f"/bao-cao/{doc.id}/tai/docx/"):
        assert c.get(url).status_code == 403, url
    assert c.get("/chi-tieu/xuat-csv/").status_code == 403


@pytest.mark.parametrize("username", NO_STAFF_READS)
def test_roles_without_staff_reads_get_nothing_by_api(username, api_for, school_facts):
    api = api_for(username)
    a, doc = school_facts["assignment"], school_facts["doc"]
    assert api.get("/api/plans/").status_code == 403
    assert api.get(f"/api/plans/assignments/{a.id}/progress/2025").status_code == 403
    r = api.get("/api/indicators/submissions/thcs-cat-ba/2025")
    assert r.status_code == 403 and r.json()["detail"][0]["code"] == "forbidden"
    assert api.get("/api/indicators/compute?year=2025&unit=thcs-cat-ba").status_code == 403
    assert api.get("/api/indicators/compute?year=2025").status_code == 403
    assert api.get("/api/reports/documents").status_code == 403
    assert api.get(f"/api/reports/documents/{doc.id}").status_code == 403
    assert api.get("/api/reports/notes/thcs-cat-ba/yearly/2025").status_code == 403


def test_youth_union_reads_its_own_units_progress_only(api_for, client_for, units, school_facts):
    union = Assignment.objects.filter(unit=units["hp-cat-hai-doan"]).first()
    assert union is not None
    api = api_for("doan")
    assert api.get(f"/api/plans/assignments/{union.id}/progress/2025").status_code == 200
    assert api.get(f"/api/plans/assignments/{school_facts['assignment'].id}/progress/2025").status_code == 404
    assert len(api.get("/api/plans/").json()) >= 1  # the plan itself is readable
    plan = union.task.group.plan
    page = client_for("doan").get(f"/ke-hoach/{plan.id}/ma-tran/?nam=2025")
    assert page.status_code == 200
    columns = [u.code for u in page.context["units"]]
    assert columns == ["hp-cat-hai-doan"]
    assert client_for("doan").get("/chi-tieu/bao-cao/thcs-cat-ba/2025/").status_code == 403  # no indicator reads


def test_a_focal_point_cannot_add_evidence_to_another_schools_task(people, units):
    other = Assignment.objects.filter(unit=units["gdnn-gdtx-cat-hai"]).first()
    from cyberyouth.errors import NotFound

    with pytest.raises(NotFound):
        plan_services.evidence_add(actor=people["daumoi.thcscatba"], assignment=other, year=2025, title="x",
                                   upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))


@pytest.mark.parametrize("username", NO_STAFF_READS)
def test_the_menu_offers_no_page_they_cannot_read(username, client_for):
    links = dict((label, url) for url, label in client_for(username).get("/", follow=True).context["nav_links"])
    assert not {"Kế hoạch", "Chỉ tiêu", "Văn bản, báo cáo"} & set(links)
    assert {"Kế hoạch", "Chỉ tiêu", "Văn bản, báo cáo"} <= {
        label for _, label in client_for("lanhdao").get("/").context["nav_links"]}
