"""In a browser: a school's focal point fills the yearly form and sends it; the standing agency
returns it with a comment; the focal point corrects and re-sends; the agency approves; the
dashboard's figure changes."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The tourism college types its students' figures (it keeps no class lists here); its indicators 2
# and 3 come from its training records and are shown, not typed.
UNIT = "cd-du-lich-cat-ba"
VALUES = {"students_enrolled": "480", "students_cc_reached": "470", "students_cc_ack": "460"}


def _form_url(site, year):
    return f"{site.url}/chi-tieu/bao-cao/{UNIT}/{year}/"


def _indicator_1(page, site, year) -> str:
    page.goto(f"{site.url}/chi-tieu/?don_vi={UNIT}&nam={year}")
    return page.locator('a.value[data-indicator="1"]').inner_text().strip()


def test_fill_return_correct_approve_and_the_dashboard_changes(browser_site):
    from cyberyouth.indicators.models import Period, Submission
    from cyberyouth.orgs.demo import DEMO_PASSWORD
    from cyberyouth.orgs.models import Role, Unit, User
    from cyberyouth.orgs.services import person_grant

    year = Period.objects.order_by("-year").first().year
    _, password = person_grant(actor=User.objects.get(username="sysadmin"), unit=Unit.objects.get(code=UNIT),
                               username="daumoi.cddulich", role=Role.FOCAL_POINT, full_name="Lê Văn Thử")
    focal = User.objects.get(username="daumoi.cddulich")
    focal.set_password(DEMO_PASSWORD)
    focal.must_change_password = False
    focal.save()
    agency = browser_site.login("thuongtruc")
    assert _indicator_1(agency, browser_site, year) == "—"

    school = browser_site.login("daumoi.cddulich")
    school.goto(_form_url(browser_site, year))
    assert school.locator("#id_v_union_new_members").is_disabled()  # from the training records
    for code, value in VALUES.items():
        school.fill(f"#id_v_{code}", value)
    school.fill("#id_v_students_cc_ack", "475")  # more than those reached: refused, next to the field
    school.select_option("#id_v_teaches_safety", "1")
    school.fill("#id_ev_teaches_safety", "Kế hoạch 12/KH-CĐDL ngày 05/9")
    school.click("button[value=submit]")
    assert school.locator(".has-error .error").first.inner_text().count("không được lớn hơn") == 1
    school.fill("#id_v_students_cc_ack", "460")
    school.click("button[value=submit]")
    assert school.locator("#status").inner_text() == "Đã gửi"

    agency.goto(_form_url(browser_site, year))
    agency.fill("#id_comment", "Số học sinh đã cam kết chưa khớp sổ cam kết, đề nghị kiểm tra lại.")
    agency.click("button[value=return]")
    assert agency.locator("#status").inner_text() == "Bị trả lại"

    school.goto(_form_url(browser_site, year))
    assert "chưa khớp sổ cam kết" in school.locator("#return-comment").inner_text()
    school.fill("#id_v_students_cc_ack", "432")
    school.click("button[value=submit]")
    assert school.locator("#status").inner_text() == "Đã gửi"

    agency.goto(_form_url(browser_site, year))
    agency.click("button[value=approve]")
    assert agency.locator("#status").inner_text() == "Đã duyệt"
    assert Submission.objects.get(unit__code=UNIT, year=year).status == "approved"

    shown = _indicator_1(agency, browser_site, year)
    assert re.fullmatch(r"90[,.]0%", shown), shown  # 432 of 480 students
    school.goto(_form_url(browser_site, year))
    assert school.locator("#id_v_students_cc_ack").is_disabled()  # approved data is locked
