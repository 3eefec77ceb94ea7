"""The budget's XLSX template and its upload (a format reader and writer).

The template has a guide sheet (the year in B2) and the sheet "Kinh phí": row 1 headings in
Vietnamese, row 2 the column codes (unit_code, unit_name, group, estimate-a … actual-d), then
seven rows per unit — one per task group — prefilled with what is saved. Amounts may be typed
as Vietnamese write them ("1.250.000", "1 250 000") or as numbers. An upload is checked whole:
every error comes back with its cell and reason, and nothing is saved unless all is valid. The
rows of a unit replace that unit's table (a task group left out is blank)."""

import io
from dataclasses import dataclass

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.lib.money import AmountError, parse_vnd
from cyberyouth.lib.text import has_control
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit
from cyberyouth.uploads import CellBudget, bounded_rows, open_workbook

from . import selectors, services
from .models import GROUPS, BudgetReport, Measure, Source

GUIDE = "Hướng dẫn"
SHEET = "Kinh phí"
MAX_ROWS = 7 * 2000 + 2
AMOUNT_COLUMNS = [(m, s) for m in Measure.values for s in Source.values]
CODES = ["unit_code", "unit_name", "group"] + [f"{m}-{s}" for m, s in AMOUNT_COLUMNS]


@dataclass(frozen=True)
class CellError:
    sheet: str
    cell: str
    reason: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell, "reason": self.reason}


class UploadErrors(DomainError):
    def __init__(self, errors: list[CellError]):
        self.errors = errors
        e = errors[0]
        super().__init__(f"Tệp có {len(errors)} lỗi; chưa lưu gì. Lỗi đầu tiên: {e.sheet}!{e.cell}: {e.reason}",
                         field="file", code="invalid_file")


def _label(measure: str, source: str) -> str:
    return f"{Measure(measure).label} — nguồn {source}) (đồng)"


def template(*, actor, unit: Unit, year: int) -> bytes:
    """A workbook for `unit` and every unit under it that `actor` enters budgets for."""
    services.check_year(year)
    units = selectors.enterable_units(actor=actor, unit=unit, year=year)
    if not units:
        raise ScopeError("Không có đơn vị nào bạn được nhập kinh phí.", field="unit")
    titles = selectors.group_titles()
    reports = {r.unit_id: r for r in BudgetReport.objects.filter(unit__in=units, year=year).prefetch_related("lines")}
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    guide["A1"] = "Biểu kinh phí thực hiện Kế hoạch (Mục IV)"
    guide["A1"].font = Font(bold=True)
    guide["A2"], guide["B2"] = "Năm", year
    guide["A4"] = ("Trang “Kinh phí”: mỗi đơn vị 7 dòng, một dòng cho mỗi nhóm nhiệm vụ. Ghi số tiền bằng đồng, "
                   "ví dụ 1.250.000 hoặc 1 250 000; không ghi số âm, không có phần lẻ; để trống nếu không có. "
                   "Không sửa dòng 2 (mã cột) và trang này. Mỗi đơn vị chỉ ghi kinh phí của chính mình (không cộng "
                   "các đơn vị cấp dưới). Tệp chỉ được lưu khi mọi ô đều hợp lệ.")
    guide["A4"].alignment = Alignment(wrap_text=True)
    guide.column_dimensions["A"].width = 100
    for n, (_code, label) in enumerate(Source.choices, start=6):
        guide.cell(row=n, column=1, value=f"Nguồn {label}")
    ws = wb.create_sheet(SHEET)
    headers = ["Mã đơn vị", "Tên đơn vị", "Nhóm nhiệm vụ"] + [_label(m, s) for m, s in AMOUNT_COLUMNS]
    for c, (code, label) in enumerate(zip(CODES, headers, strict=True), start=1):
        ws.cell(row=1, column=c, value=label).font = Font(bold=True)
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=2, column=c, value=code).fill = PatternFill("solid", fgColor="DDDDDD")
        ws.column_dimensions[get_column_letter(c)].width = 16 if c > 3 else (36 if c == 2 else 14)
    r = 3
    for u in units:
        report = reports.get(u.id)
        saved = {(ln.measure, ln.source, ln.group): ln.amount for ln in report.lines.all()} if report else {}
        for g in GROUPS:
            ws.cell(row=r, column=1, value=u.code)
            ws.cell(row=r, column=2, value=u.name)
            ws.cell(row=r, column=3, value=g)
            for c, (m, s) in enumerate(AMOUNT_COLUMNS, start=4):
                cell = ws.cell(row=r, column=c, value=saved.get((m, s, g)))
                cell.number_format = "#,##0"
            r += 1
    ws.freeze_panes = "D3"
    guide.cell(row=11, column=1, value="Nhóm nhiệm vụ:").font = Font(bold=True)
    for n, g in enumerate(GROUPS, start=12):
        guide.cell(row=n, column=1, value=f"{g}. {titles.get(g, '')}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(*, actor, data: bytes, submit: bool = False) -> list[BudgetReport]:
    """Check a filled template and save it whole, or raise UploadErrors listing every bad cell."""
    try:
        wb = open_workbook(data)
    except DomainError as exc:
        raise UploadErrors([CellError("—", "—", exc.message)]) from None
    try:
        return _upload(wb, actor=actor, submit=submit)
    finally:
        wb.close()


def _upload(wb, *, actor, submit: bool) -> list[BudgetReport]:
    if GUIDE not in wb.sheetnames or SHEET not in wb.sheetnames:
        raise UploadErrors([CellError("—", "—", f"Thiếu trang “{GUIDE}” hoặc “{SHEET}”: hãy dùng mẫu tải từ hệ thống.")])
    budget = CellBudget()
    guide = dict(bounded_rows(wb[GUIDE], max_rows=100, max_cols=2, budget=budget))
    year = (guide.get(2) or (None, None))[1] if len(guide.get(2) or ()) > 1 else None
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool):
        raise UploadErrors([CellError(GUIDE, "B2", "Năm phải là số (ví dụ 2025).")])
    try:
        services.check_year(year)
    except DomainError as exc:
        raise UploadErrors([CellError(GUIDE, "B2", exc.message)]) from None
    allowed = org_selectors.unit_ids(actor=actor, capability="budget.enter", history=False)
    errors: list[CellError] = []
    tables: dict[int, dict] = {}
    units: dict[int, Unit] = {}
    seen: set[tuple[int, int]] = set()
    for r, values in bounded_rows(wb[SHEET], max_rows=MAX_ROWS, max_cols=len(CODES), budget=budget):
        values = tuple(values) + (None,) * (len(CODES) - len(values))
        if r == 1:
            continue
        if r == 2:
            header = [str(v).strip() if v is not None else "" for v in values]
            if header != CODES:
                bad = next(i for i, (a, b) in enumerate(zip(header, CODES, strict=True)) if a != b)
                raise UploadErrors([CellError(SHEET, f"{get_column_letter(bad + 1)}2",
                                              f"Mã cột phải là “{CODES[bad]}”; không sửa dòng 2 của mẫu.")])
            continue
        if all(v in (None, "") for v in values):
            continue
        control = next((i for i, v in enumerate(values) if isinstance(v, str) and has_control(v)), None)
        if control is not None:
            errors.append(CellError(SHEET, f"{get_column_letter(control + 1)}{r}",
                                    "Ô có ký tự điều khiển không hợp lệ (ví dụ NUL)."))
            continue
        code = str(values[0] or "").strip()
        unit = Unit.objects.filter(code=code).first() if code else None
        if unit is None or unit.id not in allowed:
            errors.append(CellError(SHEET, f"A{r}", f"Mã đơn vị “{code}” không có hoặc bạn không được nhập kinh phí "
                                                    "cho đơn vị này."))
            continue
        group = values[2]
        if isinstance(group, float) and group.is_integer():
            group = int(group)
        if isinstance(group, str) and group.strip().isdigit():
            group = int(group.strip())
        if not isinstance(group, int) or isinstance(group, bool) or group not in GROUPS:
            errors.append(CellError(SHEET, f"C{r}", "Nhóm nhiệm vụ phải là số từ 1 đến 7."))
            continue
        if (unit.id, group) in seen:
            errors.append(CellError(SHEET, f"C{r}", f"Đơn vị “{code}”, nhóm {group} xuất hiện hai lần."))
            continue
        seen.add((unit.id, group))
        if unit.id not in units:
            existing = BudgetReport.objects.filter(unit=unit, year=year).first()
            if existing is not None and not existing.is_editable:
                errors.append(CellError(SHEET, f"A{r}", f"Báo cáo kinh phí của “{unit.name}” đang ở trạng thái "
                                                        f"“{existing.get_status_display()}”, không sửa được."))
                continue
            units[unit.id] = unit
            tables[unit.id] = {}
        for c, (m, s) in enumerate(AMOUNT_COLUMNS, start=3):
            try:
                amount = parse_vnd(values[c])
            except AmountError as exc:
                errors.append(CellError(SHEET, f"{get_column_letter(c + 1)}{r}", str(exc)))
                continue
            if amount:
                tables[unit.id][services.cell_key(m, s, group)] = amount
    if not errors and not units:
        errors.append(CellError(SHEET, "A3", "Tệp không có dòng kinh phí nào."))
    if errors:
        raise UploadErrors(errors)
    saved = []
    with transaction.atomic():
        for unit_id, values in tables.items():
            try:
                saved.append(services.budget_save(actor=actor, unit=units[unit_id], year=year, values=values,
                                                  submit=submit))
            except DomainError as exc:
                raise UploadErrors([CellError(SHEET, "—", f"{units[unit_id].name}: {exc.message}")]) from None
    return saved
