"""In a real chromium: an anonymous student on a phone-sized screen writes about self-harm; the
counsellor sees it first in the queue with the words highlighted, answers; the student reads the
answer with the code; the counsellor refers the case to the police and downloads the letter."""

import io
import os
import re

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

MESSAGE = "Mấy bạn trong lớp cứ chế ảnh em, em không muốn sống nữa, em muốn tự tử"
SHOTS = os.environ.get("HELPLINE_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_anonymous_student_to_counsellor_and_back(browser_site, tmp_path):
    from cyberyouth.helpline import services
    from cyberyouth.helpline.models import Case, Referral
    from cyberyouth.orgs.models import User

    tuvan = User.objects.get(username="tuvan")
    for case in Case.objects.filter(awaiting_answer=True, unit__code="hp-dk-cat-hai"):  # the demo's waiting cases
        services.answer(actor=tuvan, case_id=case.pk, text="Cô đã đọc, cô gọi lại cho em ngay.")

    counsellor = browser_site.login("tuvan")
    phone = counsellor.context.browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                                   is_mobile=True, has_touch=True)
    child = phone.new_page()
    child.set_default_timeout(15000)
    child.goto(f"{browser_site.url}/tong-dai/can-giup-do/")
    expect(child.locator("a.hotline")).to_be_visible()
    expect(child.locator("a.hotline")).to_have_attribute("href", "tel:111")
    _shot(child, "help-390")
    child.fill("#id_text", MESSAGE)
    child.get_by_role("button", name="Gửi cho tư vấn viên").click()
    expect(child.locator("h1")).to_contain_text("Đã gửi")
    code = child.locator("#case-code").inner_text().strip()
    secret = child.locator("#case-secret").inner_text().strip()
    assert child.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    _shot(child, "sent-390")

    counsellor.goto(f"{browser_site.url}/tong-dai/")
    # the status filter applies as soon as it is chosen (site.js: no inline handler under the CSP)
    counsellor.select_option("select[name=trang_thai]", "closed")
    counsellor.wait_for_url(re.compile(r"trang_thai=closed"))
    counsellor.goto(f"{browser_site.url}/tong-dai/")
    first = counsellor.locator("section.queue-row").first
    expect(first).to_have_attribute("data-case", code)
    expect(first.locator("mark.hl-self_harm").first).to_be_visible()
    _shot(counsellor, "queue-desktop")
    first.get_by_role("link", name=f"Ca {code}").click()
    expect(counsellor.locator("h1")).to_contain_text(code)
    expect(counsellor.locator("ul.thread mark.hl").first).to_be_visible()
    counsellor.fill("#answer textarea[name=text]", "Cô ở đây với em. Em đang ở đâu? Em có an toàn không?")
    counsellor.get_by_role("button", name="Gửi trả lời").click()
    expect(counsellor.locator(".messages")).to_contain_text("Đã gửi câu trả lời")

    child.goto(f"{browser_site.url}/tong-dai/ca-cua-toi/")  # still in this browser's short session
    expect(child.locator("ul.thread")).to_contain_text("Cô ở đây với em")
    child.get_by_role("button", name="Thoát (trên máy dùng chung)").click()
    child.goto(f"{browser_site.url}/tong-dai/ca-cua-toi/")
    child.fill("#id_code", code)
    child.fill("#id_secret", secret)
    child.get_by_role("button", name="Mở").click()
    expect(child.locator("ul.thread")).to_contain_text("Cô ở đây với em")
    _shot(child, "child-case-390")

    counsellor.select_option("#refer select[name=to]", "police")
    counsellor.fill("#refer textarea[name=reason]", "Học sinh có ý định tự tử, đề nghị phối hợp bảo vệ ngay")
    counsellor.get_by_role("button", name="Chuyển tuyến").click()
    expect(counsellor.locator(".messages")).to_contain_text("Đã ghi nhận chuyển tuyến")
    with counsellor.expect_download() as download:
        counsellor.get_by_role("link", name="Tải công văn (DOCX)").first.click()
    path = tmp_path / "cong-van.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert code in text and "Công an đặc khu Cát Hải" in text
    _shot(counsellor, "case-desktop")
    case = Case.objects.get(code=code)
    assert case.status == "referred" and Referral.objects.filter(case=case, to="police").exists()
    phone.close()
