"""The standing agency's yearly report, a school's report, and the one source of truth."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.plans import selectors as plan_selectors
from cyberyouth.reports import services
from cyberyouth.reports.composer import fmt_int, fmt_pct


def _indicators_json(year: int, unit: str, username: str) -> list[dict]:
    out = StringIO()
    call_command("indicators", "compute", "--json", "--year", str(year), "--unit", unit, "--as", username, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def yearly_2025(people, units, rd):
    document = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025, want_pdf=False,
                                              on=date(2025, 12, 20))
    return document, rd.open_docx(document)


def test_yearly_header_uses_names_as_of_the_date(yearly_2025):
    document, doc = yearly_2025
    assert document.unit.code == "hp-dk-cat-hai"  # the plan's issuing unit, carried on by the zone
    assert document.issuer.code == "hp-cat-hai-nvldtbxh"
    left, right = doc.tables[0].rows[0].cells
    lines = [p for p in left.paragraphs if p.text.strip()]
    assert lines[0].text == "UBND ĐẶC KHU CÁT HẢI" and not any(r.bold for r in lines[0].runs)
    assert lines[1].text == "PHÒNG VĂN HÓA - XÃ HỘI" and all(r.bold for r in lines[1].runs)
    number, place = doc.tables[0].rows[1].cells
    assert number.text.strip().startswith("Số:") and number.text.strip().endswith("/BC-VHXH")
    assert place.text.strip() == "Cát Hải, ngày 20 tháng 12 năm 2025"
    body = [p.text for p in doc.paragraphs if p.text.strip()]
    assert body[0] == "BÁO CÁO"
    assert "năm 2025" in body[1] + body[2]
    for heading in ("I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN", "III. KHÓ KHĂN, VƯỚNG MẮC",
                    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026", "V. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in body
    # The reorganisation of 1/7/2025 is told, with its legal basis.
    assert any("Nghị quyết số 1669/NQ-UBTVQH15" in t and "Đặc khu Cát Hải" in t for t in body)


def test_a_2024_report_dated_before_the_merger_names_the_old_bodies(people, rd):
    document = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2024, want_pdf=False,
                                              on=date(2025, 1, 10))
    doc = rd.open_docx(document)
    assert document.unit.code == "hp-cat-hai"
    left = doc.tables[0].rows[0].cells[0]
    lines = [p.text for p in left.paragraphs if p.text.strip()]
    assert lines == ["UBND HUYỆN CÁT HẢI", "PHÒNG NỘI VỤ, LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]
    recipients = [p.text for p in doc.tables[-1].rows[0].cells[0].paragraphs]
    assert "- Sở Lao động - Thương binh và Xã hội thành phố Hải Phòng (để báo cáo);" in recipients


def test_indicator_table_equals_indicators_compute_json(yearly_2025, rd):
    """One source of truth: the document prints exactly `cyberyouth indicators compute --json`."""
    document, doc = yearly_2025
    data = _indicators_json(2025, "hp-dk-cat-hai", "thuongtruc")
    total = data[0]
    assert total["unit"] == "hp-dk-cat-hai"
    table = rd.find_table(doc, "TT", "Tử số")
    rows = rd.cell_texts(table)[1:]
    assert len(rows) == len(total["indicators"]) == 5
    for row, ind in zip(rows, total["indicators"]):
        assert row[0] == str(ind["number"])
        assert row[2] == fmt_int(ind["numerator"])
        assert row[3] == fmt_int(ind["denominator"])
        assert row[4] == fmt_pct(ind["value"])
    # Per unit: every unit below the zone, the same values.
    per_unit = rd.find_table(doc, "Đơn vị", "Chỉ tiêu 1")
    printed = {r[0].strip(): r[1:] for r in rd.cell_texts(per_unit)[1:]}
    assert len(printed) == len(data) - 1
    for unit_row in data[1:]:
        values = [fmt_pct(i["value"]) for i in unit_row["indicators"]]
        assert printed[unit_row["name"]] == values
    # And the version keeps the rows it printed.
    assert document.indicator_snapshot["rows"] == data


def test_task_group_table_equals_the_progress_matrix(yearly_2025, people, units, rd):
    """Table 1 counts every cell of the task × unit matrix (the page's numbers, all 24 units'
    columns), and each row adds up: "Lượt giao" = the five status columns."""
    document, doc = yearly_2025
    unit_list, rows, counts = plan_selectors.progress_matrix(actor=people["thuongtruc"], plan=document.plan, year=2025)
    expected: dict[int, dict[str, int]] = {}
    for row in rows:
        group = expected.setdefault(row.task.group.number, {})
        for cell in row.cells:
            if cell:
                group[cell["status"]] = group.get(cell["status"], 0) + 1
    table = rd.find_table(doc, "TT", "Nhóm nhiệm vụ")
    assert rd.cell_texts(table)[0][2:8] == ["Lượt giao", "Hoàn thành", "Đang thực hiện", "Chưa triển khai",
                                            "Không áp dụng", "Chưa báo cáo"]
    printed = rd.cell_texts(table)[1:]
    assert len(printed) == 8
    statuses = ("done", "in_progress", "not_started", "not_applicable", "missing")
    for row in printed[:-1]:
        c = expected[int(row[0])]
        assert row[2] == fmt_int(sum(c.values()))
        assert row[3:8] == [fmt_int(c.get(s, 0)) for s in statuses]
        assert sum(int(x.replace(".", "")) for x in row[3:8]) == int(row[2].replace(".", ""))
    assert printed[-1][2:8] == [fmt_int(sum(counts.values()))] + [fmt_int(counts[s]) for s in statuses]


def test_user_written_text_and_signer_are_printed(yearly_2025, rd):
    _, doc = yearly_2025
    text = rd.body_text(doc)
    assert "Việc sắp xếp đơn vị hành chính, tổ chức lại cơ quan chuyên môn" in text  # demo note
    signature = [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text.strip()]
    assert signature == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Nguyễn Thị Thu Hà"]


def test_missing_user_text_is_flagged_not_invented(people, units, rd):
    document = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2023, want_pdf=False)
    text = rd.body_text(rd.open_docx(document))
    assert text.count("hiện chưa nhập") == 2  # difficulties and proposals


def test_school_report_to_the_standing_agency(people, units, rd):
    document = services.document_generate_now(actor=people["daumoi.gdnn"], kind="yearly", year=2025,
                                              unit=units["gdnn-gdtx-cat-hai"], want_pdf=False, on=date(2025, 12, 1))
    doc = rd.open_docx(document)
    left = doc.tables[0].rows[0].cells[0]
    lines = [p.text for p in left.paragraphs if p.text.strip()]
    assert lines[0] == "UBND ĐẶC KHU CÁT HẢI"
    assert lines[1] == "TRUNG TÂM GIÁO DỤC NGHỀ NGHIỆP - GIÁO DỤC THƯỜNG XUYÊN"
    recipients = [p.text for p in doc.tables[-1].rows[0].cells[0].paragraphs]
    assert recipients[1] == "- Phòng Văn hóa - Xã hội đặc khu Cát Hải (để tổng hợp);"
    assert [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text.strip()] == ["GIÁM ĐỐC"]
    data = _indicators_json(2025, "gdnn-gdtx-cat-hai", "daumoi.gdnn")
    table = rd.find_table(doc, "TT", "Tử số")
    printed = {r[0]: r for r in rd.cell_texts(table)[1:]}
    for ind in data[0]["indicators"]:
        if ind["denominator"]:
            assert printed[str(ind["number"])][4] == fmt_pct(ind["value"])


def test_focal_point_cannot_report_for_another_school(people, units):
    with pytest.raises(NotFound):  # another school is not even visible: the same 404 as a wrong code
        services.document_request(actor=people["daumoi.gdnn"], kind="yearly", year=2025, unit=units["thcs-cat-ba"])
    with pytest.raises(DomainError):  # the zone is outside a focal point's report rights
        services.document_request(actor=people["daumoi.gdnn"], kind="yearly", year=2025, unit=units["hp-dk-cat-hai"])
    with pytest.raises(ScopeError):  # leaders read, they do not generate
        services.document_request(actor=people["lanhdao"], kind="yearly", year=2025)


def test_bad_years_are_refused(people):
    with pytest.raises(DomainError) as e:
        services.document_request(actor=people["thuongtruc"], kind="yearly", year=2031)
    assert e.value.field == "year"
    with pytest.raises(DomainError) as e:
        services.document_request(actor=people["thuongtruc"], kind="review", year=2027)
    assert e.value.field == "milestone"


def test_versions_are_kept(people):
    a = services.document_generate_now(actor=people["thuongtruc"], kind="plan", want_pdf=False)
    b = services.document_generate_now(actor=people["thuongtruc"], kind="plan", want_pdf=False)
    assert b.version == a.version + 1
    assert a.docx.name != b.docx.name and a.docx_sha256 and b.author == people["thuongtruc"]
    assert b.data_as_of is not None and b.status == "done"


def test_task_group_2_reports_content_monitoring_with_the_statistics_page_numbers(people, rd):
    from django.utils import timezone

    from cyberyouth.monitoring import selectors as monitoring_selectors

    year = timezone.localdate().year  # the demo's monitored items were captured this year
    document = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=year, want_pdf=False)
    text = rd.body_text(rd.open_docx(document))
    stats = monitoring_selectors.statistics_for(
        actor=people["thuongtruc"], year=year, unit_ids=org_selectors.year_unit_ids(unit=document.unit, year=year))
    assert stats["total"] > 0
    assert f"hệ thống tiếp nhận {fmt_int(stats['total'])} nội dung" in text
    assert f"xác nhận {fmt_int(stats['confirmed'])} trường hợp vi phạm" in text
