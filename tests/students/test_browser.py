"""In a browser: a school imports its roster, a homeroom teacher records a family's paper consent
and prints the class's login codes, a student signs in on a phone-sized screen, sets a password
and acknowledges the Code of Conduct; the school's yearly form takes the figures from the records
and the indicator 1 on the dashboard moves once the report is approved."""

import re
from datetime import date

import pytest

from .conftest import PDF, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _indicator_1(page, site, year) -> str:
    page.goto(f"{site.url}/chi-tieu/?don_vi=thcs-cat-ba&nam={year}")
    return page.locator('a.value[data-indicator="1"]').inner_text().strip()


def test_roster_codes_phone_login_code_of_conduct_and_indicator_1(browser_site, tmp_path):
    from cyberyouth.indicators.models import Period
    from cyberyouth.orgs import services as org_services
    from cyberyouth.orgs.models import Role, Unit, User
    from cyberyouth.students.models import SchoolClass
    from cyberyouth.students.selectors import current_school_year

    year = Period.objects.order_by("-year").first().year
    school_year = current_school_year()
    teacher = User.objects.create_user(username="gvcn.catba.6c", password="CatHai@2025", full_name="Mẫu Thị Cô")
    org_services.role_grant(actor=User.objects.get(username="sysadmin"), user=teacher, role=Role.HOMEROOM_TEACHER,
                            unit=Unit.objects.get(code="thcs-cat-ba"))
    agency = browser_site.login("thuongtruc")
    before = _indicator_1(agency, browser_site, year)

    # 1. The school imports its roster: preview first, then apply.
    roster = tmp_path / "danh-sach.xlsx"
    rows = [[f"Thử Văn {n}", "12/03/2014", "Nam", "6C", 6, "", "Thử Văn Bố", "0912000111"]
            for n in ("An", "Bình", "Cường", "Dũng", "Giang", "Hải")]
    roster.write_bytes(xlsx(rows, year=school_year.name))
    school = browser_site.login("daumoi.thcscatba")
    school.goto(f"{browser_site.url}/hoc-sinh/nhap-danh-sach/")
    school.set_input_files("#id_file", str(roster))
    school.click("text=Kiểm tra tệp")
    assert "6 học sinh mới" in school.locator(".card").first.inner_text()
    school.click("button[name=apply]")
    assert "Đã nhập danh sách" in school.locator(".messages").inner_text()
    six_c = SchoolClass.objects.get(unit__code="thcs-cat-ba", school_year=school_year, name="6C")
    six_c.homeroom_teacher = teacher
    six_c.save()

    # 2. The homeroom teacher records An's paper consent with its scan and prints the class's codes.
    scan = tmp_path / "phieu.pdf"
    scan.write_bytes(PDF)
    gv = browser_site.login("gvcn.catba.6c")
    gv.goto(f"{browser_site.url}/hoc-sinh/lop/{six_c.id}/")
    gv.click("text=Thử Văn An")
    gv.select_option("#id_purpose", "account")
    gv.fill("#id_guardian_name", "Thử Văn Bố")
    gv.check("#id_student_agreed")
    gv.fill("#id_signed_on", date.today().isoformat())
    gv.set_input_files("#id_scan", str(scan))
    gv.click("#record-consent")
    assert "Đã ghi nhận phiếu đồng ý" in gv.locator(".messages").inner_text()
    gv.goto(f"{browser_site.url}/hoc-sinh/lop/{six_c.id}/")
    with gv.expect_download() as download:
        gv.click("#print-codes")
    assert download.value.suggested_filename.endswith(".pdf")
    gv.goto(f"{browser_site.url}/hoc-sinh/lop/{six_c.id}/")
    gv.click("#print-codes-page")
    cards = gv.locator(".login-card")
    assert cards.count() == 1  # only the student whose family consented
    username = cards.first.locator(".username").inner_text()
    code = cards.first.locator(".code").inner_text()

    # 3. The student, on a phone: first sign-in with the code, a password, the Code of Conduct.
    phone = browser_site.phone()
    phone.goto(f"{browser_site.url}/dang-nhap/")
    assert phone.locator("#help").is_visible()
    phone.click("text=Học sinh đăng nhập lần đầu")
    phone.fill("#id_username", username)
    phone.fill("#id_code", code)
    phone.fill("#id_password", "12345678")
    phone.fill("#id_password_again", "12345678")
    phone.click("button[type=submit]")
    assert "chữ số" in phone.locator(".error").first.inner_text()
    phone.fill("#id_code", code)
    phone.fill("#id_password", "meo-an-ca-kho")
    phone.fill("#id_password_again", "meo-an-ca-kho")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{browser_site.url}/hoc-sinh/cua-em/")
    assert phone.locator("#help").is_visible() and phone.locator(".tile.report").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    phone.click("text=Quy tắc ứng xử trên mạng xã hội")
    phone.click("#commit")
    assert "Em đã cam kết năm học này" in phone.locator(".tile.done").inner_text()

    # 4. The yearly form takes the figures from the records (read-only); saved, the dashboard moves.
    school.goto(f"{browser_site.url}/chi-tieu/bao-cao/thcs-cat-ba/{year}/")
    assert school.locator("#id_v_students_enrolled").is_disabled()
    assert school.locator("#id_v_students_enrolled").input_value() == "6"
    assert school.locator("#id_v_students_cc_ack").input_value() == "1"
    assert school.locator("#record-links a").first.get_attribute("href") == "/hoc-sinh/"
    school.fill("#id_note", "Số học sinh lấy từ danh sách lớp 6C đã nhập.")
    school.click("button[value=submit]")
    assert school.locator("#status").inner_text() == "Đã gửi"
    agency.goto(f"{browser_site.url}/chi-tieu/bao-cao/thcs-cat-ba/{year}/")
    agency.click("button[value=approve]")
    assert agency.locator("#status").inner_text() == "Đã duyệt"
    after = _indicator_1(agency, browser_site, year)
    assert after != before and re.fullmatch(r"16[,.]7%", after), (before, after)
