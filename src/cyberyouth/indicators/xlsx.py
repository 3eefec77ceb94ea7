"""XLSX template and upload for the yearly forms.

The template has a guide sheet (with the year) and one sheet per form: row 1 headings in
Vietnamese, row 2 the machine codes (unit_code, unit_name, element codes, ev:<code> for
evidence, note, confirm), data from row 3 — one unit per row, prefilled with what is saved.
An upload is checked whole; every error comes back with sheet, cell and reason, and nothing
is saved unless the whole file is valid.
"""

import io
from dataclasses import dataclass

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.lib.collation import Vietnamese
from cyberyouth.lib.text import has_control
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit
from cyberyouth.uploads import CellBudget, bounded_rows, open_workbook

from . import providers, selectors, services
from .models import ReportForm, Submission, ValueType

GUIDE = "Hướng dẫn"
MAX_ROWS = 5000


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


def _columns(form: ReportForm) -> list[tuple[str, str, object]]:
    cols: list[tuple[str, str, object]] = [("unit_code", "Mã đơn vị", None), ("unit_name", "Tên đơn vị", None)]
    for e in selectors.form_elements(form=form):
        if e.provider and not getattr(providers.get(e.provider), "partial", True):
            continue  # filled by its provider, not by hand (a partial provider's units without records type it)
        label = e.name + (" (Có/Không)" if e.value_type == ValueType.BOOLEAN else "")
        cols.append((e.code, label, e))
        if e.value_type == ValueType.BOOLEAN and e.evidence_required:
            cols.append((f"ev:{e.code}", f"Minh chứng: {e.name}", e))
    cols += [("note", "Giải trình", None), ("confirm", "Xác nhận số liệu tăng đột biến (ghi x)", None)]
    return cols


def template(*, actor, year: int, unit: Unit) -> bytes:
    """A workbook for `unit` and every unit under it that the actor enters data for."""
    on = min(org_selectors.today(), selectors.default_on(year))
    below = org_selectors.descendant_ids(unit_ids=[unit.id], on=on)
    allowed = org_selectors.unit_ids(actor=actor, capability="data.enter", history=False)
    units = list(Unit.objects.filter(id__in=below & allowed).order_by(Vietnamese("name")))
    if not units:
        raise ScopeError("Không có đơn vị nào bạn được nhập số liệu.", field="unit")
    subs = {s.unit_id: s for s in Submission.objects.filter(year=year, unit__in=units)}
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    guide["A1"], guide["B1"] = "Biểu báo cáo chỉ tiêu Chương trình 311", ""
    guide["A2"], guide["B2"] = "Năm báo cáo", year
    guide["A4"] = ("Mỗi trang là một biểu; mỗi dòng từ dòng 3 là một đơn vị. Không sửa dòng 2 (mã cột). "
                   "Số liệu là số nguyên không âm; cột Có/Không ghi “Có” hoặc “Không”; chọn “Có” thì ghi minh chứng. "
                   "Tệp chỉ được lưu khi mọi ô đều hợp lệ.")
    forms = {f.id: f for f in ReportForm.objects.all()}
    by_form: dict[int, list[Unit]] = {}
    for u in units:
        f = selectors.form_for_type(u.unit_type, list(forms.values()))
        if f is not None:
            by_form.setdefault(f.id, []).append(u)
    for form_id, form_units in sorted(by_form.items()):
        form = forms[form_id]
        ws = wb.create_sheet(form.code[:31])
        cols = _columns(form)
        for c, (code, label, _) in enumerate(cols, start=1):
            ws.cell(row=1, column=c, value=label).font = Font(bold=True)
            ws.cell(row=2, column=c, value=code).fill = PatternFill("solid", fgColor="DDDDDD")
            ws.column_dimensions[get_column_letter(c)].width = 14 if c > 2 else 30
        for r, u in enumerate(form_units, start=3):
            s = subs.get(u.id)
            saved = {v.element.code: v for v in s.values.select_related("element")} if s else {}
            for c, (code, _, e) in enumerate(cols, start=1):
                value = None
                if code == "unit_code":
                    value = u.code
                elif code == "unit_name":
                    value = u.name
                elif code == "note":
                    value = s.note if s else None
                elif code.startswith("ev:"):
                    v = saved.get(code[3:])
                    value = v.evidence if v else None
                elif e is not None and code in saved and saved[code].value is not None:
                    value = saved[code].value if e.value_type == ValueType.INTEGER else (
                        "Có" if saved[code].value else "Không")
                ws.cell(row=r, column=c, value=value)
        ws.freeze_panes = "C3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(*, actor, data: bytes, submit: bool = False) -> list[Submission]:
    """Check a filled template and save it whole, or raise UploadErrors listing every bad cell.
    The workbook is streamed (read-only), with its unpacked size, rows and cells bounded."""
    try:
        wb = open_workbook(data)
    except DomainError as exc:
        raise UploadErrors([CellError("—", "—", exc.message)]) from None
    try:
        return _upload(wb, actor=actor, submit=submit)
    except DomainError as exc:
        if isinstance(exc, UploadErrors):
            raise
        raise UploadErrors([CellError("—", "—", exc.message)]) from None
    finally:
        wb.close()


class _Cell:
    """A streamed cell: its value and where it stands."""

    __slots__ = ("value", "coordinate")

    def __init__(self, value, coordinate: str):
        self.value, self.coordinate = value, coordinate


def _upload(wb, *, actor, submit: bool) -> list[Submission]:
    errors: list[CellError] = []
    if GUIDE not in wb.sheetnames:
        raise UploadErrors([CellError("—", "—", f"Thiếu trang “{GUIDE}”: hãy dùng mẫu tải từ hệ thống.")])
    budget = CellBudget()
    guide = {number: values for number, values in bounded_rows(wb[GUIDE], max_rows=50, max_cols=2, budget=budget)}
    year = (guide.get(2) or (None, None))[1] if len(guide.get(2) or ()) > 1 else None
    if not isinstance(year, int):
        raise UploadErrors([CellError(GUIDE, "B2", "Năm báo cáo phải là số (ví dụ 2026).")])
    forms = {f.code[:31]: f for f in ReportForm.objects.all()}
    allowed = org_selectors.unit_ids(actor=actor, capability="data.enter", history=False)
    rows: list[tuple[Unit, dict, dict, str, bool]] = []
    seen: set[str] = set()
    for ws in wb.worksheets:
        if ws.title == GUIDE:
            continue
        form = forms.get(ws.title)
        if form is None:
            errors.append(CellError(ws.title, "A1", "Trang không thuộc biểu nào (đổi tên trang?)."))
            continue
        cols = _columns(form)
        expected = [c[0] for c in cols]
        elements = selectors.form_elements(form=form)
        streamed = bounded_rows(ws, max_rows=MAX_ROWS, max_cols=len(expected), budget=budget)
        for r, values in streamed:
            if r == 1:
                continue
            values = tuple(values) + (None,) * (len(expected) - len(values))
            if r == 2:
                header = list(values)
                if header != expected:
                    bad = next(i for i, (a, b) in enumerate(zip(header, expected)) if a != b)
                    errors.append(CellError(ws.title, f"{get_column_letter(bad + 1)}2",
                                            f"Mã cột phải là “{expected[bad]}”; không sửa dòng 2 của mẫu."))
                    break
                continue
            cells = {code: _Cell(values[i], f"{get_column_letter(i + 1)}{r}") for i, code in enumerate(expected)}
            if all(c.value in (None, "") for c in cells.values()):
                continue
            control = next((c for c in cells.values() if isinstance(c.value, str) and has_control(c.value)), None)
            if control is not None:
                errors.append(CellError(ws.title, control.coordinate, "Ô có ký tự điều khiển không hợp lệ (ví dụ NUL)."))
                continue
            code = str(cells["unit_code"].value or "").strip()
            unit = Unit.objects.filter(code=code).first() if code else None
            where = cells["unit_code"].coordinate
            blank = all(c.value in (None, "") for k, c in cells.items() if k not in ("unit_code", "unit_name"))
            if blank and unit is not None and unit.id in allowed:
                continue  # a unit left blank is not part of this upload
            if unit is None or unit.id not in allowed:
                errors.append(CellError(ws.title, where, f"Mã đơn vị “{code}” không có hoặc bạn không được nhập "
                                                         "số liệu cho đơn vị này."))
                continue
            if code in seen:
                errors.append(CellError(ws.title, where, f"Đơn vị “{code}” xuất hiện hai lần."))
                continue
            seen.add(code)
            if selectors.form_for_type(unit.unit_type) != form:
                errors.append(CellError(ws.title, where, f"“{unit.name}” không báo cáo theo biểu này."))
                continue
            existing = Submission.objects.filter(unit=unit, year=year).first()
            if existing is not None and not existing.is_editable:
                errors.append(CellError(ws.title, where, f"Báo cáo của “{unit.name}” đang ở trạng thái "
                                                         f"“{existing.get_status_display()}”, không sửa được."))
                continue
            raw = {e.code: cells[e.code].value for e in elements if e.code in cells}
            evidence = {k[3:]: str(c.value or "") for k, c in cells.items() if k.startswith("ev:")}
            confirm = str(cells["confirm"].value or "").strip().lower() in {"x", "có", "co", "1", "yes"}
            _, problems = services.validate_values(
                elements=elements, raw=raw, evidence=evidence, previous=selectors.previous_values(unit=unit, year=year),
                confirm_jumps=confirm, complete=submit,
                provided=services._provided(unit, year, elements))
            for element_code, message in problems.items():
                errors.append(CellError(ws.title, cells[element_code].coordinate, message))
            rows.append((unit, raw, evidence, str(cells["note"].value or ""), confirm))
    if not errors and not rows:
        errors.append(CellError(GUIDE, "A4", "Tệp không có dòng số liệu nào."))
    if errors:
        raise UploadErrors(errors)
    saved = []
    with transaction.atomic():
        for unit, raw, evidence, note, confirm in rows:
            saved.append(services.values_save(actor=actor, unit=unit, year=year, values=raw, evidence=evidence,
                                              note=note, confirm_jumps=confirm, submit=submit))
    return saved
