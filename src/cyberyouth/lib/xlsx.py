"""A page's table as an XLSX workbook (openpyxl): what officials print or file, with the page's filters written above it.

Every export of a list page (the task × unit matrix, the completeness list, the moderation queue,
the audit log) goes through `table_workbook`, so that all of them look alike: a heading, the
filters as shown, a bold header row frozen and repeated on every printed page, landscape A4
fitted to the page width.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .text import nfc

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EEF2F6")


def table_workbook(*, title: str, heading: str, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence],
                   filters: Sequence[tuple[str, str]] = ()) -> bytes:
    """One sheet named `title`: `heading`, one line per filter (label: value), then the table.
    `columns` are (label, width in characters). Datetimes are written in local time."""
    wb = Workbook()
    ws = wb.active
    ws.title = nfc(title)[:31]
    ws.cell(row=1, column=1, value=nfc(heading)).font = Font(bold=True, size=13)
    line = 2
    for label, value in filters:
        ws.cell(row=line, column=1, value=f"{nfc(label)}: {nfc(str(value))}").font = Font(italic=True)
        line += 1
    ws.cell(row=line, column=1, value=f"Xuất lúc {timezone.localtime():%d/%m/%Y %H:%M}").font = Font(
        italic=True, color="5B6675")
    header = line + 2
    for col, (label, width) in enumerate(columns, start=1):
        cell = ws.cell(row=header, column=col, value=nfc(label))
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=header + 1):
        for c, raw in enumerate(values, start=1):
            shown: object = raw
            if isinstance(raw, datetime):
                shown = timezone.localtime(raw).replace(tzinfo=None) if timezone.is_aware(raw) else raw
            elif isinstance(raw, str):
                shown = nfc(raw)
            cell = ws.cell(row=r, column=c, value=shown)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(shown, str))
            if isinstance(shown, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
