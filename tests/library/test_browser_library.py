"""A focal point records an infographic and sends it; the standing agency approves it; a student
on a phone finds it in the e-library without diacritics, opens it and downloads it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_record_approve_and_a_student_finds_it_on_a_phone(browser_site, tmp_path):
    from cyberyouth.library.artwork import infographic_png
    from cyberyouth.library.models import Product

    picture = tmp_path / "phong-chong-bat-nat.png"
    picture.write_bytes(infographic_png("Nói không với bắt nạt trên mạng", ["Không im lặng", "Báo thầy cô"], "THCS"))
    page = browser_site.login("daumoi.thcscatba")
    page.goto(f"{browser_site.url}/thu-vien/quan-ly/")
    page.fill("#id_title", "Nói không với bắt nạt trên mạng")
    page.select_option("#id_kind", "info_graphic")
    page.select_option("#id_topic", "safety")
    page.fill("#id_author", "Câu lạc bộ Truyền thông THCS Cát Bà")
    page.select_option("#id_licence", "cc-by-nc")
    page.fill("#id_made_on", "2026-10-20")
    page.set_input_files("#id_file", str(picture))
    page.get_by_role("button", name="Ghi sản phẩm").click()
    expect(page.locator(".messages")).to_contain_text("chờ duyệt")
    product = Product.objects.get(title="Nói không với bắt nạt trên mạng")
    # the focal point cannot approve its own product: no such button
    expect(page.get_by_role("button", name="Duyệt và công bố")).to_have_count(0)
    page.context.close()

    admin = browser_site.login("thuongtruc")
    admin.goto(f"{browser_site.url}/thu-vien/quan-ly/")
    admin.get_by_role("link", name="Nói không với bắt nạt trên mạng").first.click()
    admin.get_by_role("button", name="Duyệt và công bố").click()
    expect(admin.locator(".messages")).to_contain_text("Đã duyệt")
    admin.context.close()
    product.refresh_from_db()
    views = product.views  # the approver's page after approving counted once

    phone = browser_site.phone()
    phone.goto(f"{browser_site.url}/thu-vien/")
    phone.fill("#q", "bat nat")
    phone.get_by_role("button", name="Lọc").click()
    phone.get_by_role("link", name="Nói không với bắt nạt trên mạng").last.click()
    expect(phone.locator(".viewer img")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename.endswith(".png")
    product.refresh_from_db()
    assert product.views == views + 1 and product.downloads == 1
