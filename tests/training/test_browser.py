"""A focal point imports a course's completion export, resolves a row the file could not match,
and sees indicator 3 move on the yearly form (read-only there)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_import_resolve_and_indicator_3_moves(browser_site, tmp_path):
    from cyberyouth.training.models import StaffMember

    staff = list(StaffMember.objects.filter(unit__code="gdnn-gdtx-cat-hai", does_student_work=True).order_by("id"))
    page = browser_site.login("daumoi.gdnn")
    page.goto(f"{browser_site.url}/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2026/")
    trained = page.get_by_label(re.compile("Trong đó: số được tập huấn"))
    expect(trained).to_be_disabled()
    before = int(trained.input_value())

    page.goto(f"{browser_site.url}/tap-huan/gdnn-gdtx-cat-hai/")
    page.get_by_text("Thêm lớp tập huấn").click()
    page.fill("#id_title", "Tập huấn kỹ năng số cho cán bộ Đoàn")
    page.fill("#id_organiser", "Tỉnh đoàn")
    page.fill("#id_starts_on", "2026-10-01")
    page.fill("#id_ends_on", "2026-10-02")
    page.get_by_role("button", name="Thêm", exact=True).last.click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm lớp tập huấn")

    # one row matches by code; the other is written without diacritics and a misspelt name
    a, b = staff[10], staff[11]
    export = tmp_path / "ket-qua.csv"
    export.write_text("Họ và tên,Mã cán bộ,Ngày hoàn thành\n"
                      f"{a.full_name},{a.staff_code},02/10/2026\n"
                      f"{b.full_name.upper()} X,,02/10/2026\n", encoding="utf-8")
    page.get_by_text("Nhập kết quả từ tệp").click()
    page.set_input_files("#id_file", str(export))
    page.get_by_role("button", name="Nhập tệp").click()
    expect(page.locator(".messages")).to_contain_text("1 dòng khớp với sổ cán bộ, 1 dòng cần ghép tay")
    page.get_by_role("combobox", name="Ghép dòng 3 với").select_option(value=str(b.id))
    page.get_by_role("button", name="Ghép", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã ghép dòng với cán bộ")

    page.goto(f"{browser_site.url}/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2026/")
    expect(page.get_by_label(re.compile("Trong đó: số được tập huấn"))).to_have_value(str(before + 2))


def test_app_export_resolve_two_rows_and_indicator_2_moves(browser_site, tmp_path):
    from cyberyouth.training.models import UnionMember

    page = browser_site.login("daumoi.gdnn")
    form = f"{browser_site.url}/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2026/"
    page.goto(form)
    studied = page.get_by_label(re.compile("Trong đó: số đã học lý luận chính trị"))
    expect(studied).to_be_disabled()
    before = int(studied.input_value())

    page.goto(f"{browser_site.url}/tap-huan/gdnn-gdtx-cat-hai/doan-vien/?nam=2026")
    # the app's export: one member by code, one by name without diacritics and birth date
    by_code, by_name = UnionMember.objects.filter(unit__code="gdnn-gdtx-cat-hai", admitted_on__year=2026).order_by(
        "member_code")[12:14]
    export = tmp_path / "tnvn.csv"
    export.write_text("Mã đoàn viên;Họ và tên;Ngày sinh;Ngày hoàn thành\n"
                      f"{by_code.member_code};{by_code.full_name};;01/11/2026\n"
                      f";{by_name.name_key.upper()};{by_name.birth_date:%d/%m/%Y};01/11/2026\n", encoding="utf-8")
    page.get_by_text("Nhập kết quả học lý luận chính trị").click()
    page.set_input_files("#id_theory-file", str(export))
    page.get_by_role("button", name="Nhập kết quả").click()
    expect(page.locator(".messages")).to_contain_text("2 dòng khớp với đoàn viên")

    # the two rows the demo's earlier export could not match: a person matches them
    for code in ("GDNN20260011", "GDNN20260012"):
        member = UnionMember.objects.get(unit__code="gdnn-gdtx-cat-hai", member_code=code)
        box = page.get_by_role("combobox", name=re.compile("Ghép dòng")).first
        box.select_option(value=str(member.id))
        box.locator("xpath=..").get_by_role("button", name="Ghép", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Đã ghép dòng với đoàn viên")

    page.goto(form)
    expect(page.get_by_label(re.compile("Trong đó: số đã học lý luận chính trị"))).to_have_value(str(before + 4))
