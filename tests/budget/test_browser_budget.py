"""A focal point fills in the school's budget as Vietnamese write amounts, is told about a
negative one, sends it; the standing agency approves it and the zone's totals move."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_fill_send_approve_and_the_totals_move(browser_site):
    from cyberyouth.budget import selectors
    from cyberyouth.orgs.models import Unit, User

    zone = Unit.objects.get(code="hp-dk-cat-hai")
    before = selectors.totals(actor=User.objects.get(username="thuongtruc"), unit=zone, year=2026).actual
    page = browser_site.login("daumoi.thcscathai")
    page.goto(f"{browser_site.url}/kinh-phi/thcs-cat-hai/2026/")
    page.get_by_label("Thực hiện, nguồn b), nhóm 1").fill("2.750.000")
    page.get_by_label("Thực hiện, nguồn c), nhóm 6").fill("-500.000")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".form-errors")).to_contain_text("Chưa lưu")
    expect(page.locator("td.has-error")).to_contain_text("không được âm")
    page.get_by_label("Thực hiện, nguồn c), nhóm 6").fill("500 000")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo kinh phí")
    page.context.close()

    admin = browser_site.login("thuongtruc")
    admin.goto(f"{browser_site.url}/kinh-phi/thcs-cat-hai/2026/")
    admin.get_by_role("button", name="Duyệt", exact=True).click()
    expect(admin.locator(".messages")).to_contain_text("Đã duyệt")
    admin.goto(f"{browser_site.url}/kinh-phi/?nam=2026")
    expect(admin.locator("body")).to_contain_text("3.250.000")
    after = selectors.totals(actor=User.objects.get(username="thuongtruc"), unit=zone, year=2026).actual
    assert after == before + 3_250_000
