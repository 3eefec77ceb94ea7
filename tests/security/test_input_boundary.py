"""One input boundary: NUL and other control characters are refused with a clear 400 (pages) or
422 (API) in every text field, parameter, path and import row, on SQLite and PostgreSQL alike;
integer parameters are range-checked; forms and the API share the same length limits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.errors import DomainError
from cyberyouth.lib.text import has_control
from cyberyouth.monitoring import services as monitoring_services
from cyberyouth.monitoring.models import Item
from cyberyouth.plans.models import Assignment, Progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(units):
    return Assignment.objects.filter(unit=units["thcs-cat-ba"], task__group__number=6, task__letter="c").get()


def test_has_control():
    assert has_control("a\x00b") and has_control("\x1b[31m") and has_control("x\x85")
    assert not has_control("Dòng một\nDòng hai\tcột\r\n") and not has_control("Đặc khu Cát Hải")


def test_api_json_text_field_with_nul_is_422(api_for, own):
    api = api_for("daumoi.thcscatba")
    r = api.put(f"/api/plans/assignments/{own.id}/progress/2026", {"status": "in_progress", "summary": "a\x00b"},
                content_type="application/json")
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["code"] == "control_character" and detail["field"] == "summary" and "NUL" in detail["message"]
    assert not Progress.objects.filter(assignment=own, year=2026).exists()


def test_api_nested_json_and_query_parameters(api_for, channel):
    api = api_for("kiemduyet")
    r = api.post("/api/monitoring/items", {"channel_id": channel.pk, "items": [{"text": "ok"}, {"text": "x\x00"}]},
                 content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "items.1.text"
    r = api.get("/api/units/tree", {"on": "2025-01-01\x00"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "on"
    r = api.get("/api/units/hp%00x")
    assert r.status_code == 422


def test_page_form_and_parameters_with_nul_are_400(client_for, own):
    c = client_for("daumoi.thcscatba")
    r = c.post(f"/ke-hoach/phan-cong/{own.id}/2026/", {"save_progress": "1", "status": "in_progress",
                                                        "summary": "Đã làm\x00"})
    assert r.status_code == 400 and "ký tự điều khiển" in r.content.decode()
    assert not Progress.objects.filter(assignment=own, year=2026).exists()
    assert c.get("/giam-sat/", {"nhom": "\x00"}).status_code in {400, 403}
    r = client_for("kiemduyet").get("/giam-sat/", {"nhom": "a\x00"})
    assert r.status_code == 400 and "ký tự điều khiển" in r.content.decode()
    assert client_for("kiemduyet").get("/don-vi/%00/").status_code == 400


def test_public_form_with_nul_is_400_and_stores_nothing(client):
    before = Item.objects.count()
    r = client.post("/giam-sat/to-giac/", {"text": "lừa đảo\x00", "link": ""})
    assert r.status_code == 400 and Item.objects.count() == before


def test_csv_import_row_with_nul_is_refused_by_row(people, channel):
    data = "text,url\nBài một,https://x.example/1\nBài\x00hai,\n".encode()
    before = Item.objects.count()
    with pytest.raises(DomainError) as exc:
        monitoring_services.import_rows(actor=people["kiemduyet"], channel=channel, filename="a.csv", data=data)
    assert exc.value.code == "control_character" and "Dòng: 3" in exc.value.message
    assert Item.objects.count() == before


def test_import_page_with_nul_in_file_is_a_clear_error(client_for, channel):
    c = client_for("kiemduyet")
    r = c.post("/giam-sat/nhap/", {"channel": channel.pk,
                                   "file": SimpleUploadedFile("a.csv", "text\nBài\x00\n".encode())})
    assert r.status_code in {200, 400} and "ký tự điều khiển" in r.content.decode()


@pytest.mark.parametrize("url", [
    "/ke-hoach/nhiem-vu-cua-toi/?nam=-1", "/ke-hoach/nhiem-vu-cua-toi/?nam=99999999999999999999",
    "/giam-sat/?trang=99999999999999999999", "/giam-sat/?trang=0",
    "/giam-sat/thong-ke/?nam=99999999999999999999", "/chi-tieu/?nam=-5", "/chi-tieu/?nam=" + "9" * 5000,
])
def test_integer_parameters_are_range_checked(client_for, url):
    r = client_for("thuongtruc").get(url)
    assert r.status_code == 400, url
    page = r.content.decode()
    assert "phải từ" in page or "quá dài" in page or "quá lớn" in page


def test_forms_and_api_share_length_limits(client_for, api_for, own):
    from cyberyouth.plans.services import SUMMARY_MAX

    long_text = "x" * (SUMMARY_MAX + 1)
    r = api_for("daumoi.thcscatba").put(f"/api/plans/assignments/{own.id}/progress/2026",
                                        {"status": "in_progress", "summary": long_text}, content_type="application/json")
    assert r.status_code == 422
    r = client_for("daumoi.thcscatba").post(f"/ke-hoach/phan-cong/{own.id}/2026/",
                                             {"save_progress": "1", "status": "in_progress", "summary": long_text})
    assert r.status_code == 200 and "10000" in r.content.decode().replace(".", "")
    assert not Progress.objects.filter(assignment=own, year=2026).exists()
    # 3,000,000 characters in any field of any form: refused at the boundary
    r = client_for("daumoi.thcscatba").post(f"/ke-hoach/phan-cong/{own.id}/2026/",
                                             {"save_progress": "1", "status": "in_progress", "summary": "y" * 3_000_000})
    assert r.status_code == 400 and "quá dài" in r.content.decode()


@pytest.mark.parametrize("url", [
    "/api/monitoring/queue?offset=99999999999999999999", "/api/monitoring/queue?offset=-1",
    "/api/plans/999999999999999999999", "/api/reports/documents/99999999999999999999",
    "/api/indicators/compute?year=99999999999999999999",
])
def test_api_integer_parameters_never_give_a_server_error(api_for, url):
    r = api_for("thuongtruc").get(url)
    assert r.status_code == 400 and r.json()["detail"][0]["code"] in {"out_of_range", "invalid"}
