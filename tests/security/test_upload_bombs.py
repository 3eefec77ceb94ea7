"""Uploads are parsed in bounded time and memory: a small XLSX/DOCX that unpacks to tens of MB is
refused before any parsing; sheets are streamed with the row and cell limits checked as they go."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth import uploads
from cyberyouth.errors import DomainError
from cyberyouth.indicators import xlsx
from cyberyouth.monitoring import tabular

pytestmark = pytest.mark.django_db

YEAR = 2025


def _template(people, units):
    return xlsx.template(actor=people["thuongtruc"], year=YEAR, unit=units["hp-dk-cat-hai"])


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return out.getvalue()


def _sheet_xml(rows: int) -> bytes:
    body = "<row><c><v>1</v></c></row>" * rows  # no row numbers: it compresses a thousandfold
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>').encode()


def _bomb(people, units) -> bytes:
    """The issue's attack: a sheet that unpacks to ~31 MB from a file well under 1 MB."""
    data = _template(people, units)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet") and not n.endswith("1.xml"))
    return _replace(data, sheet, _sheet_xml(1_200_000))


def test_xlsx_bomb_is_refused_before_parsing(people, units, monkeypatch):
    bomb = _bomb(people, units)
    assert len(bomb) < 1024 * 1024
    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook",
                        lambda *a, **k: pytest.fail("the workbook was parsed"))
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("the workbook was parsed"))
    with pytest.raises(xlsx.UploadErrors) as exc:
        xlsx.upload(actor=people["thuongtruc"], data=bomb)
    assert "giải nén quá lớn" in exc.value.errors[0].reason
    with pytest.raises(DomainError) as exc:
        tabular.read_rows(filename="a.xlsx", data=bomb)
    assert "giải nén quá lớn" in exc.value.message


def test_rows_are_counted_while_streaming(people, units, monkeypatch):
    wb = openpyxl.load_workbook(io.BytesIO(_template(people, units)))
    ws = wb.worksheets[1]
    for r in range(ws.max_row + 1, 600):
        ws.cell(row=r, column=1, value=f"khong-co-{r}")
    buffer = io.BytesIO()
    wb.save(buffer)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 50)
    with pytest.raises(xlsx.UploadErrors) as exc:
        xlsx.upload(actor=people["thuongtruc"], data=buffer.getvalue())
    assert "quá 50 dòng" in exc.value.errors[0].reason


def test_cells_per_file_are_bounded(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_CELLS", 1_000)
    wb = openpyxl.Workbook()
    wb.active.append(["text", "url", "author"])
    for n in range(600):
        wb.active.append([f"bài {n}", "", "ai đó"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(DomainError) as exc:
        tabular.read_rows(filename="a.xlsx", data=buffer.getvalue())
    assert "ô dữ liệu" in exc.value.message


def test_docx_evidence_bomb_is_refused_by_the_upload_check():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:p/>" * 12_000_000)
    upload = SimpleUploadedFile("bao-cao.docx", out.getvalue())
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(upload, allowed=(".docx",), max_bytes=10 * 1024 * 1024)
    assert exc.value.code in {"file_size", "file_content"}


def test_a_normal_workbook_still_imports(people, units):
    wb = openpyxl.Workbook()
    wb.active.append(["text", "url"])
    wb.active.append(["Bài viết bình thường", "https://x.example/1"])
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = tabular.read_rows(filename="a.xlsx", data=buffer.getvalue())
    assert rows == [(2, {"text": "Bài viết bình thường", "url": "https://x.example/1", "external_id": "",
                         "author": "", "published_at": ""})]


def test_a_sheet_compressed_too_well_is_refused(people, units):
    data = _template(people, units)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet") and not n.endswith("1.xml"))
    with pytest.raises(DomainError) as exc:
        tabular.read_rows(filename="a.xlsx", data=_replace(data, sheet, _sheet_xml(400_000)))
    assert "tỉ lệ nén" in exc.value.message
