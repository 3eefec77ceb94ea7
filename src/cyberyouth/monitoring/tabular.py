"""Reading hand-collected items from CSV (UTF-8, comma or semicolon) or XLSX, by row number."""

import csv
import io

from cyberyouth.errors import DomainError, ErrorCode
from cyberyouth.lib.text import has_control

COLUMNS = ("text", "url", "external_id", "author", "published_at")
# Vietnamese headers accepted too (what a person typing a sheet would write).
ALIASES = {"noi_dung": "text", "nội dung": "text", "dia_chi": "url", "địa chỉ": "url", "đường dẫn": "url",
           "ma": "external_id", "mã": "external_id", "tac_gia": "author", "tác giả": "author",
           "thoi_gian": "published_at", "thời gian đăng": "published_at", "ngày đăng": "published_at"}
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


def _header(cells) -> list[str]:
    names = []
    for cell in cells:
        name = str(cell or "").strip().lower()
        names.append(ALIASES.get(name, name))
    if "text" not in names:
        raise DomainError("Dòng đầu phải có cột “text” (nội dung). Các cột: " + ", ".join(COLUMNS) + ".", field="file")
    return names


def read_rows(*, filename: str, data: bytes) -> list[tuple[int, dict]]:
    """[(row number as a spreadsheet shows it, {column: value})], blank rows skipped."""
    if len(data) > MAX_BYTES:
        raise DomainError("Tệp tối đa 10 MB.", field="file")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx(data)
    elif name.endswith(".csv"):
        rows = _csv(data)
    else:
        raise DomainError("Chỉ nhận tệp .csv hoặc .xlsx.", field="file")
    if not rows:
        raise DomainError("Tệp trống.", field="file")
    header = _header(rows[0])
    out = []
    bad = [number for number, cells in enumerate(rows, start=1)
           if any(isinstance(v, str) and has_control(v) for v in cells)]
    if bad:
        more = f" (và {len(bad) - 20} dòng khác)" if len(bad) > 20 else ""
        raise DomainError("Tệp có ký tự điều khiển không hợp lệ (ví dụ ký tự NUL), chưa nhập dòng nào. Dòng: "
                          + ", ".join(map(str, bad[:20])) + more + ".", field="file", code=ErrorCode.CONTROL_CHARACTER)
    for number, cells in enumerate(rows[1:], start=2):
        values = {header[i]: ("" if v is None else v) for i, v in enumerate(cells) if i < len(header)}
        if not any(str(v).strip() for v in values.values()):
            continue
        out.append((number, {k: values.get(k, "") for k in COLUMNS}))
        if len(out) > MAX_ROWS:
            raise DomainError(f"Tối đa {MAX_ROWS} dòng mỗi tệp.", field="file")
    return out


def _csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("Tệp CSV phải mã hóa UTF-8.", field="file") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise DomainError(f"Tệp CSV không đọc được: {exc}.", field="file") from None


def _xlsx(data: bytes) -> list[list]:
    from cyberyouth.uploads import CellBudget, bounded_rows, open_workbook

    wb = open_workbook(data)
    try:
        ws = wb.worksheets[0]
        # A header row and MAX_ROWS data rows (+ a few blank ones); wider columns are ignored.
        return [list(values) for _, values in bounded_rows(ws, max_rows=MAX_ROWS + 100, max_cols=20,
                                                             budget=CellBudget())]
    finally:
        wb.close()
