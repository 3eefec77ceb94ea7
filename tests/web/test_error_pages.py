"""Bad input gets a clear error in Vietnamese on pages, a structured one in the API — never a 500."""

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/chi-tieu/?nam=0", "/chi-tieu/?nam=99999", "/chi-tieu/tien-do-bao-cao/?nam=-5",
    "/chi-tieu/du-lieu/hp-dk-cat-hai/0/students-cc/", "/chi-tieu/bao-cao/th-cat-hai/0/",
])
def test_a_bad_year_is_a_400_page_that_says_why(client_for, url):
    r = client_for("thuongtruc").get(url)
    html = r.content.decode()
    assert r.status_code == 400 and "Yêu cầu không hợp lệ" in html
    assert "không hợp lệ" in html or "Không có biểu báo cáo" in html
    assert '<html lang="vi">' in html  # the site's own layout, not Django's bare page


def test_not_found_and_forbidden_speak_vietnamese(client_for):
    missing = client_for("thuongtruc").get("/khong-co-trang-nay/")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()
    other_school = client_for("daumoi.thcscatba").get("/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2025/")
    assert other_school.status_code in (403, 404)
    assert ("Không tìm thấy" in other_school.content.decode() or "Không có quyền" in other_school.content.decode())


def test_the_api_answers_a_bad_year_with_a_structured_400(api_for):
    r = api_for("thuongtruc").get("/api/indicators/compute?year=0")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "year"


def test_an_expired_form_is_explained(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["thuongtruc"])
    r = client.post("/chi-tieu/tien-do-bao-cao/?nam=2025", {"remind": "1"})
    assert r.status_code == 403 and "Phiên làm việc đã hết hạn" in r.content.decode()


def test_the_500_page_needs_nothing():
    from cyberyouth.web.views import error_500

    r = error_500(RequestFactory().get("/"))
    assert r.status_code == 500 and "Lỗi hệ thống" in r.content.decode()


def test_the_api_refuses_numbers_beyond_the_database(api_for):
    api = api_for("kiemduyet")
    r = api.post("/api/monitoring/items", {"channel": 2**70, "text": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"]  # structured, not a 500
    r = api_for("daumoi.thcscatba").get(f"/api/plans/assignments/{2**70}/progress/2026")
    assert r.status_code in (400, 404) and r.json()["detail"]  # structured, not a 500 (the database decides which)
