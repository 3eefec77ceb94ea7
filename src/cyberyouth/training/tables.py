"""Reading imported tables (CSV or XLSX) into checked rows: column names by alias, dates as
Vietnamese write them, every fault reported by row and column, nothing returned half-checked."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from cyberyouth.errors import DomainError, ErrorCode
from cyberyouth.lib.text import fold, has_control, nfc
from cyberyouth.uploads import CellBudget, bounded_rows, check_upload, open_workbook

MAX_ROWS = 200_000
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # as the error messages and the template name it
    aliases: tuple[str, ...]
    kind: str = "text"  # text | date
    required: bool = True


def _read_raw(upload, *, field: str) -> list[tuple[int, list]]:
    is_csv = (getattr(upload, "name", "") or "").lower().endswith(".csv")
    if not is_csv:
        try:
            check_upload(upload, allowed=(".xlsx",), max_bytes=MAX_BYTES, field=field)
        except DomainError as exc:
            if exc.code == "file_type":
                raise DomainError("Chỉ nhận tệp Excel .xlsx hoặc tệp CSV.", field=field, code="file_type") from None
            raise
    upload.seek(0)
    data = upload.read()
    if not is_csv:
        wb = open_workbook(data, field=field)
        ws = wb.worksheets[0]
        return [(n, list(v)) for n, v in bounded_rows(ws, max_rows=MAX_ROWS, max_cols=30, budget=CellBudget(),
                                                       field=field)]
    if not data:
        raise DomainError("Tệp rỗng.", field=field, code="file_empty")
    if len(data) > MAX_BYTES:
        raise DomainError("Tệp quá lớn.", field=field, code="file_size")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("Không đọc được tệp: cần tệp Excel .xlsx hoặc CSV mã hóa UTF-8.", field=field,
                          code="file_content") from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise DomainError(f"Tệp quá {MAX_ROWS} dòng.", field=field, code="file_size")
    return [(n, r) for n, r in enumerate(rows, start=1)]


def parse_date(value) -> date | None:
    """A date cell, or text as "dd/mm/yyyy", "d-m-yyyy", "dd.mm.yyyy" or "yyyy-mm-dd"; None when
    empty; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = nfc(str(value)).strip()
    if not text:
        return None
    for sep in ("/", "-", "."):
        parts = text.split(" ")[0].split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            a, b, c = (int(p) for p in parts)
            return date(a, b, c) if len(parts[0]) == 4 else date(c, b, a)
    raise ValueError(text)


def read_table(upload, *, columns: list[Column], field: str = "file") -> list[dict]:
    """The rows of `upload` as dicts keyed by column key (plus "_row", the row number in the file).
    The header is the first row holding every required column. DomainError listing every fault
    (up to 20) by row and column; no row is returned unless all are clean."""
    raw = _read_raw(upload, field=field)
    wanted = {fold(a): c for c in columns for a in (c.label, *c.aliases)}
    header_at, positions = None, {}
    for number, values in raw[:20]:
        found = {}
        for i, v in enumerate(values):
            c = wanted.get(fold(str(v))) if v is not None else None
            if c is not None and c.key not in found:
                found[c.key] = i
        if all(c.key in found for c in columns if c.required):
            header_at, positions = number, found
            break
    if header_at is None:
        need = ", ".join(f"“{c.label}”" for c in columns if c.required)
        raise DomainError(f"Tệp không có đủ các cột cần thiết. Cần có các cột: {need} (dòng tiêu đề ở đầu tệp).",
                          field=field, code=ErrorCode.INVALID)
    rows, errors = [], []
    for number, values in raw:
        if number <= header_at or not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        row = {"_row": number}
        for c in columns:
            i = positions.get(c.key)
            value = values[i] if i is not None and i < len(values) else None
            if c.kind == "date":
                try:
                    row[c.key] = parse_date(value)
                except ValueError:
                    errors.append(f"Dòng {number}, cột “{c.label}”: “{value}” không phải ngày hợp lệ (ngày/tháng/năm).")
                    continue
            else:
                text = nfc("" if value is None else str(value)).strip()
                if has_control(text):
                    errors.append(f"Dòng {number}, cột “{c.label}”: có ký tự điều khiển không hợp lệ.")
                    continue
                row[c.key] = " ".join(text.split())
            if c.required and not row[c.key]:
                errors.append(f"Dòng {number}, cột “{c.label}”: còn trống.")
        rows.append(row)
    if errors:
        more = f" (và {len(errors) - 20} lỗi khác)" if len(errors) > 20 else ""
        raise DomainError("Tệp có lỗi, chưa nhập dòng nào. " + " ".join(errors[:20]) + more, field=field,
                          code=ErrorCode.INVALID)
    if not rows:
        raise DomainError("Tệp không có dòng dữ liệu nào.", field=field, code="file_empty")
    return rows


def name_key(name: str) -> str:
    """The name as matching compares it: NFC, case, diacritics and spacing ignored (lib.text.fold)."""
    return fold(name)
