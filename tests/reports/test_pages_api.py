"""Pages and API of the reports app, and scoping by view and by API."""

import pytest

from cyberyouth.reports import services
from cyberyouth.reports.models import GeneratedDocument, ReportNote


@pytest.fixture
def school_doc(people, units):
    return services.document_generate_now(actor=people["daumoi.gdnn"], kind="yearly", year=2025,
                                          unit=units["gdnn-gdtx-cat-hai"], want_pdf=False)


def test_index_lists_forms_and_documents(client_for, school_doc):
    page = client_for("thuongtruc").get("/bao-cao/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Báo cáo kết quả năm" in html and "Sơ kết 2025, tổng kết 2030" in html and "Xuất kế hoạch" in html
    assert f"/bao-cao/{school_doc.id}/" in html


def test_generate_a_school_report_from_the_page(client_for, units):
    c = client_for("daumoi.gdnn")
    page = c.get("/bao-cao/")
    assert "form-review" not in page.content.decode()  # reviews are the standing agency's
    response = c.post("/bao-cao/tao/", {"kind": "yearly", "nam-year": "2025", "nam-unit": "gdnn-gdtx-cat-hai"})
    assert response.status_code == 302
    doc = GeneratedDocument.objects.filter(unit=units["gdnn-gdtx-cat-hai"]).latest("id")
    assert doc.status == "done" and not doc.pdf  # PDF unticked
    detail = c.get(response["Location"])
    assert "Tải DOCX" in detail.content.decode()
    download = c.get(f"/bao-cao/{doc.id}/tai/docx/")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")
    assert c.get(f"/bao-cao/{doc.id}/tai/pdf/").status_code == 404


def test_bad_input_shows_an_error_next_to_the_field(db, client_for):
    c = client_for("thuongtruc")
    response = c.post("/bao-cao/tao/", {"kind": "yearly", "nam-year": "1999", "nam-unit": "hp-dk-cat-hai"})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_large_scope_page_shows_progress_and_polls(db, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    c = client_for("thuongtruc")
    response = c.post("/bao-cao/tao/", {"kind": "review", "sk-year": "2025", "sk-unit": "hp-dk-cat-hai"})
    assert response.status_code == 302
    html = c.get(response["Location"]).content.decode()
    assert "<progress" in html and 'hx-trigger="every 2s"' in html
    partial = c.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="doc-status"')


def test_notes_page_saves_the_units_text(client_for, units):
    c = client_for("thuongtruc")
    url = "/bao-cao/noi-dung/?unit=hp-dk-cat-hai&kind=yearly&year=2026"
    assert c.get(url).status_code == 200
    response = c.post(url, {"difficulties": "- Thiếu kinh phí", "proposals": "- Đề nghị bổ sung",
                            "signer_title": "TRƯỞNG PHÒNG"})
    assert response.status_code == 302
    note = ReportNote.objects.get(unit=units["hp-dk-cat-hai"], kind="yearly", year=2026)
    assert note.difficulties == "- Thiếu kinh phí" and note.updated_by.username == "thuongtruc"
    bad = c.post(url, {"difficulties": "x", "funding_vnd": "-5"})
    assert bad.status_code == 200 and 'class="error"' in bad.content.decode()


def test_school_user_cannot_reach_another_schools_documents(client_for, api_for, people, units):
    other = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025,
                                           unit=units["thcs-cat-ba"], want_pdf=False)
    c = client_for("daumoi.gdnn")
    assert c.get(f"/bao-cao/{other.id}/").status_code == 404
    assert c.get(f"/bao-cao/{other.id}/tai/docx/").status_code == 404
    assert str(other.id) not in c.get("/bao-cao/").content.decode().split("Văn bản đã tạo")[1]
    api = api_for("daumoi.gdnn")
    assert api.get(f"/api/reports/documents/{other.id}").status_code == 404
    assert other.id not in [d["id"] for d in api.get("/api/reports/documents").json()]
    r = api.post("/api/reports/documents", {"kind": "yearly", "year": 2025, "unit": "thcs-cat-ba"},
                 content_type="application/json")
    assert r.status_code == 404
    r = api.put("/api/reports/notes/thcs-cat-ba/yearly/2025", {"difficulties": "x"}, content_type="application/json")
    assert r.status_code == 404
    assert client_for("hocsinh").get("/bao-cao/").status_code == 403  # documents are not a student's business


def test_api_generate_and_notes(api_for):
    api = api_for("thuongtruc")
    r = api.put("/api/reports/notes/hp-dk-cat-hai/review/2025", {"difficulties": "- Khó khăn A",
                                                                    "proposals": "- Đề xuất B", "funding_vnd": 1500000},
                content_type="application/json")
    assert r.status_code == 200 and r.json()["funding_vnd"] == 1500000
    assert api.get("/api/reports/notes/hp-dk-cat-hai/review/2025").json()["difficulties"] == "- Khó khăn A"
    r = api.post("/api/reports/documents", {"kind": "plan", "want_pdf": False}, content_type="application/json")
    assert r.status_code == 201 and r.json()["files"]["docx"].endswith("/tai/docx/")
    bad = api.post("/api/reports/documents", {"kind": "review", "year": 2027}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"][0]["field"] == "milestone"
    bad = api.put("/api/reports/notes/hp-dk-cat-hai/review/2025", {"funding_vnd": -1}, content_type="application/json")
    assert bad.status_code == 422


@pytest.mark.browser
def test_browser_export_the_plan(browser_site):
    page = browser_site.login("thuongtruc")
    page.goto(f"{browser_site.url}/bao-cao/")
    page.uncheck("#form-plan input[name=want_pdf]")
    page.click("#form-plan button[type=submit]")
    page.wait_for_selector("text=Tải DOCX")
    assert "Kế hoạch" in page.inner_text("h1")
