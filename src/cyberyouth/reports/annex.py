"""The statistical annex (Phụ lục) of a report as XLSX: the tables behind the document, with
numerators and denominators per unit, so that a reader can check every percentage."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cyberyouth.indicators.selectors import STATUS_LABELS

from .composer import Facts
from .models import DocumentKind

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Times New Roman"


def _sheet(wb: Workbook, title: str, heading: str, columns: list[tuple[str, int]], rows: list[list]):
    ws = wb.create_sheet(title[:31])
    ws.cell(row=1, column=1, value=heading).font = Font(name=FONT, bold=True, size=13)
    for col, (label, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=col, value=label)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = Font(name=FONT, size=11)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
            if isinstance(value, float):
                cell.number_format = "0.0"
    ws.freeze_panes = "A4"
    return ws


def build_annex(facts: Facts) -> bytes:
    """Sheets: indicators per unit (numerator, denominator, value, status), task groups,
    reporting completeness, and for a review the year-by-year series."""
    wb = Workbook()
    wb.remove(wb.active)
    year = facts.year
    rows = []
    for unit_row in facts.indicators.rows:
        for r in unit_row.indicators:
            rows.append([unit_row.unit, unit_row.name, r.number, r.name, r.numerator, r.denominator,
                         None if r.value is None else round(r.value, 2),
                         r.target.label if r.target else "", STATUS_LABELS.get(r.status, "")])
    _sheet(wb, "Chỉ tiêu theo đơn vị", f"Phụ lục 1. Các chỉ tiêu theo đơn vị, năm {year}",
           [("Mã đơn vị", 20), ("Đơn vị", 45), ("Chỉ tiêu", 8), ("Tên chỉ tiêu", 40), ("Tử số", 10),
            ("Mẫu số", 10), ("Kết quả (%)", 12), ("Mốc so sánh", 18), ("Trạng thái", 12)], rows)
    results = facts.results
    group_rows = [[g.number, g.title, g.assigned, g.counts.get("done", 0), g.counts.get("in_progress", 0),
                   g.counts.get("not_started", 0), g.counts.get("not_applicable", 0), g.counts.get("missing", 0),
                   g.evidence] for g in results.groups]
    _sheet(wb, "Nhiệm vụ theo nhóm", f"Phụ lục 2. Kết quả thực hiện nhiệm vụ theo nhóm, năm {year}",
           [("Nhóm", 7), ("Tên nhóm nhiệm vụ", 60), ("Lượt giao", 10), ("Hoàn thành", 11), ("Đang thực hiện", 11),
            ("Chưa triển khai", 11), ("Không áp dụng", 11), ("Chưa báo cáo", 11), ("Minh chứng", 11)], group_rows)
    comp = facts.indicators.completeness
    by_unit = {r.unit_id: r for r in comp.rows} if comp is not None else {}
    comp_rows = []
    for u in results.completeness:
        c = by_unit.get(u.unit_id)
        comp_rows.append([u.name, u.assigned, u.reported, round(100.0 * u.reported / u.assigned, 1) if u.assigned else None,
                          c.timeliness_label if c else "Không thuộc diện báo cáo",
                          c.status_label if c else ""])
    _sheet(wb, "Tình hình báo cáo", f"Phụ lục 3. Tình hình cập nhật tiến độ và báo cáo số liệu năm {year}",
           [("Đơn vị", 45), ("Lượt nhiệm vụ", 12), ("Đã cập nhật", 12), ("Tỷ lệ (%)", 10),
            ("Báo cáo số liệu", 14), ("Trạng thái duyệt", 14)], comp_rows)
    if facts.kind == DocumentKind.REVIEW:
        srows = [[s.number, s.name, p.year, p.numerator, p.denominator,
                  None if p.value is None else round(p.value, 2), STATUS_LABELS.get(p.status, "")]
                 for s in facts.series_indicators for p in s.points]
        _sheet(wb, "Chỉ tiêu qua các năm", "Phụ lục 4. Các chỉ tiêu qua các năm",
               [("Chỉ tiêu", 8), ("Tên chỉ tiêu", 40), ("Năm", 8), ("Tử số", 10), ("Mẫu số", 10),
                ("Kết quả (%)", 12), ("Trạng thái", 12)], srows)
        yrows = [[y, r.assigned, r.reported, r.totals.get("done", 0), r.totals.get("in_progress", 0),
                  r.totals.get("not_started", 0), r.totals.get("not_applicable", 0), r.totals.get("missing", 0),
                  r.evidence]
                 for y, r in facts.series_results]
        _sheet(wb, "Nhiệm vụ qua các năm", "Phụ lục 5. Thực hiện nhiệm vụ qua các năm",
               [("Năm", 8), ("Lượt giao", 10), ("Đã báo cáo", 11), ("Hoàn thành", 11), ("Đang thực hiện", 11),
                ("Chưa triển khai", 11), ("Không áp dụng", 11), ("Chưa báo cáo", 11), ("Minh chứng", 11)], yrows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
