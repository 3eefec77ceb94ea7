"""A person's flows in a real chromium: the standing agency and a school focal point."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_standing_agency_goes_through_tree_history_plan_and_matrix(browser_site):
    page = browser_site.login("thuongtruc")
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()

    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    expect(page.locator(".tree")).to_contain_text("Đặc khu Cát Hải")
    page.get_by_role("link", name="30/6/2025 (trước sắp xếp)").click()
    expect(page.locator(".tree")).to_contain_text("Huyện Cát Hải")
    expect(page.locator(".tree")).to_contain_text("Phòng Nội vụ, Lao động - Thương binh và Xã hội huyện Cát Hải")
    page.locator(".tree").get_by_role("link", name="Huyện Cát Hải", exact=True).click()
    expect(page.locator("h1")).to_contain_text("đã chấm dứt từ 01/07/2025")
    expect(page.locator(".timeline")).to_contain_text("Đặc khu Cát Hải")

    # the reorganisation form shows the split's rows only for a split (site.js, no inline script)
    page.goto(f"{browser_site.url}/don-vi/thcs-cat-ba/sap-xep/")
    expect(page.locator("#split-rows")).to_be_hidden()
    page.select_option("#id_kind", "split")
    expect(page.locator("#split-rows")).to_be_visible()

    page.get_by_role("link", name="Kế hoạch", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Triển khai thực hiện Quyết định số 311")).click()
    expect(page.locator("body")).to_contain_text("Tổng đài hỗ trợ và ứng cứu thanh thiếu nhi trên không gian mạng")
    expect(page.locator("body")).to_contain_text("Nguyễn Quang Vinh")
    page.get_by_role("link", name="Ma trận nhiệm vụ × đơn vị").click()
    page.select_option("#id_trang_thai", "done")
    page.fill("#id_nam", "2024")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.matrix")).to_contain_text("Hoàn thành")
    expect(page.locator("table.matrix")).not_to_contain_text("Đang thực hiện")


def test_focal_point_records_progress_with_evidence(browser_site, tmp_path):
    page = browser_site.login("daumoi.thcscatba")
    page.get_by_role("link", name="Nhiệm vụ của tôi").first.click()
    expect(page.locator("table")).not_to_contain_text("Trường THCS Cát Hải")
    page.get_by_role("row", name=re.compile(r"^6c\)")).get_by_role("link", name="Cập nhật").click()
    expect(page.locator("h1")).to_contain_text("Nhiệm vụ 6c")

    # A mistake first: the error is shown next to the field, in Vietnamese.
    page.select_option("#id_status", "done")
    page.get_by_role("button", name="Lưu tiến độ").click()
    expect(page.locator(".field.has-error")).to_contain_text("cần mô tả kết quả")

    page.fill("#id_summary", "Lãnh đạo nhà trường đối thoại trực tiếp với học sinh ngày 12/3 và trực tuyến ngày 20/4.")
    page.fill("#id_started_on", "2026-03-01")
    page.fill("#id_completed_on", "2026-04-20")
    page.get_by_role("button", name="Lưu tiến độ").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu tiến độ")

    bad = tmp_path / "virus.exe"
    bad.write_bytes(b"MZ")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Thêm minh chứng").click()
    expect(page.locator(".field.has-error")).to_contain_text("không được chấp nhận")

    good = tmp_path / "bien-ban-doi-thoai.pdf"
    good.write_bytes(PDF)
    page.fill("#id_title", "Biên bản đối thoại")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Thêm minh chứng").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm minh chứng")
    expect(page.get_by_role("link", name="Biên bản đối thoại")).to_be_visible()

    # What the person did is on record.
    from cyberyouth.plans.models import Evidence, Progress

    progress = Progress.objects.get(assignment__unit__code="thcs-cat-ba", assignment__task__group__number=6,
                                    assignment__task__letter="c", year=2026)
    assert progress.status == "done" and Evidence.objects.filter(progress=progress).count() == 1
