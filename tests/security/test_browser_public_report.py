"""A child pastes a link and presses send within a second of opening the form: the report is kept
(not thrown away while the sender is thanked), the sender gets a reference, and the moderators see it."""

import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_a_report_sent_within_one_second_reaches_the_moderators(browser_site):
    from cyberyouth.monitoring.models import PublicReport

    moderator = browser_site.login("kiemduyet")
    anonymous = moderator.context.browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = anonymous.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{browser_site.url}/dang-nhap/")
    page.get_by_role("link", name="tố giác nội dung xấu, độc trên mạng").click()
    opened = time.monotonic()
    # Pasted and sent at once, as a child in a hurry does (one script, no typing delay).
    page.evaluate("""() => {
        document.querySelector('#id_link').value = 'https://www.facebook.com/groups/vi-du/posts/42';
        document.querySelector('#id_text').value = 'Nhóm này rủ học sinh chơi tài xỉu ăn tiền';
        [...document.querySelectorAll('button')].find(b => b.textContent.includes('Gửi tố giác')).click();
    }""")
    sent_after = time.monotonic() - opened
    expect(page.locator("h1")).to_contain_text("Cảm ơn bạn")
    assert sent_after < 1.0
    reference = page.locator(".reference").inner_text()
    report = PublicReport.objects.get(reference=reference)
    assert report.item.text.startswith("Nhóm này rủ học sinh") and report.suspicion == "too_fast"

    # The sender checks the status with the reference.
    page.goto(f"{browser_site.url}/giam-sat/to-giac/tra-cuu/")
    page.fill("#ma", reference)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("[role=status]")).to_contain_text("Đã nhận")

    # The moderator finds it: in the screening bin (sent too fast for a person), and releases it.
    moderator.goto(f"{browser_site.url}/giam-sat/")
    moderator.get_by_role("link", name="Tố giác cần sàng lọc").click()
    row = moderator.locator("tr", has_text=reference)
    expect(row).to_contain_text("tài xỉu")
    row.locator("input[type=checkbox]").check()
    moderator.get_by_role("button", name="Chuyển vào hàng đợi").click()
    expect(moderator.locator(".messages")).to_contain_text("Đã chuyển 1 tố giác")
    moderator.goto(f"{browser_site.url}/giam-sat/")
    expect(moderator.locator("table.queue")).to_contain_text("tài xỉu")
    anonymous.close()
