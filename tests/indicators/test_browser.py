"""In a browser: a school's focal point fills the yearly form and sends it; the standing agency
returns it with a comment; the focal point corrects and re-sends; the agency approves; the
dashboard's figure changes."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALUES = {"students_enrolled": "480", "students_cc_reached": "470", "students_cc_ack": "460",
          "union_new_members": "50", "union_new_studied": "40", "staff_student_work": "18", "staff_trained": "17"}


def _form_url(site, year):
    return f"{site.url}/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/{year}/"


def _indicator_2(page, site, year) -> str:
    page.goto(f"{site.url}/chi-tieu/?don_vi=gdnn-gdtx-cat-hai&nam={year}")
    return page.locator('a.value[data-indicator="2"]').inner_text().strip()


def test_fill_return_correct_approve_and_the_dashboard_changes(browser_site):
    from cyberyouth.indicators.models import Period, Submission

    year = Period.objects.order_by("-year").first().year
    agency = browser_site.login("thuongtruc")
    assert _indicator_2(agency, browser_site, year) == "—"

    school = browser_site.login("daumoi.gdnn")
    school.goto(_form_url(browser_site, year))
    for code, value in VALUES.items():
        school.fill(f"#id_v_{code}", value)
    school.fill("#id_v_students_cc_ack", "475")  # more than those reached: refused, next to the field
    school.select_option("#id_v_teaches_safety", "1")
    school.fill("#id_ev_teaches_safety", "Kế hoạch 12/KH-TTGDNN ngày 05/9")
    school.click("button[value=submit]")
    assert school.locator(".has-error .error").first.inner_text().count("không được lớn hơn") == 1
    school.fill("#id_v_students_cc_ack", "460")
    school.click("button[value=submit]")
    assert school.locator("#status").inner_text() == "Đã gửi"

    agency.goto(_form_url(browser_site, year))
    agency.fill("#id_comment", "Số đoàn viên mới đã học chưa khớp danh sách, đề nghị kiểm tra lại.")
    agency.click("button[value=return]")
    assert agency.locator("#status").inner_text() == "Bị trả lại"

    school.goto(_form_url(browser_site, year))
    assert "chưa khớp danh sách" in school.locator("#return-comment").inner_text()
    school.fill("#id_v_union_new_studied", "45")
    school.click("button[value=submit]")
    assert school.locator("#status").inner_text() == "Đã gửi"

    agency.goto(_form_url(browser_site, year))
    agency.click("button[value=approve]")
    assert agency.locator("#status").inner_text() == "Đã duyệt"
    assert Submission.objects.get(unit__code="gdnn-gdtx-cat-hai", year=year).status == "approved"

    shown = _indicator_2(agency, browser_site, year)
    assert re.fullmatch(r"90[,.]0%", shown), shown  # 45 of 50 new members
    school.goto(_form_url(browser_site, year))
    assert school.locator("#id_v_union_new_studied").is_disabled()  # approved data is locked
