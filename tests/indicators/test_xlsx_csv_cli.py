"""XLSX template and upload (round trip; a broken file gives cell-level errors and saves
nothing), CSV export, and the CLI printing the same numbers as the dashboard."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cyberyouth.indicators import selectors, xlsx
from cyberyouth.indicators.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db
YEAR = 2026


def _template(people, units, who="thuongtruc", unit="hp-dk-cat-hai"):
    return load_workbook(io.BytesIO(xlsx.template(actor=people[who], year=YEAR, unit=units[unit])))


def _row_of(ws, code):
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == code)


def _col(ws, code):
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(row=2, column=c).value == code)


def _fill(ws, unit_code, values):
    r = _row_of(ws, unit_code)
    for k, v in values.items():
        ws.cell(row=r, column=_col(ws, k), value=v)


def _bytes(wb):
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# indicators 2 and 3 are filled from the training app's records, not from the workbook
VOC = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "teaches_safety": "Có",
       "ev:teaches_safety": "KH 12/KH ngày 5/9/2026"}


def test_template_has_a_sheet_per_form_and_every_unit_under_the_parent(people, units):
    wb = _template(people, units)
    assert wb["Hướng dẫn"]["B2"].value == YEAR
    assert {"co-so-gdnn", "truong-pho-thong", "dia-phuong"} <= set(wb.sheetnames)
    codes = {wb["co-so-gdnn"].cell(row=r, column=1).value for r in range(3, wb["co-so-gdnn"].max_row + 1)}
    assert codes == {"gdnn-gdtx-cat-hai", "cd-du-lich-cat-ba"}
    assert "channels_active" not in [c.value for c in wb["co-so-gdnn"][2]]  # filled by its provider


def test_round_trip_saves_every_row(people, units):
    wb = _template(people, units)
    _fill(wb["co-so-gdnn"], "gdnn-gdtx-cat-hai", VOC)
    _fill(wb["co-so-gdnn"], "cd-du-lich-cat-ba", VOC | {"students_enrolled": 320, "students_cc_reached": 300,
                                                         "students_cc_ack": 290})
    saved = xlsx.upload(actor=people["thuongtruc"], data=_bytes(wb), submit=True)
    assert {s.unit.code for s in saved} == {"gdnn-gdtx-cat-hai", "cd-du-lich-cat-ba"}
    s = Submission.objects.get(unit__code="cd-du-lich-cat-ba", year=YEAR)
    assert s.status == SubmissionStatus.SUBMITTED
    assert selectors.submission_values(submission=s)["students_enrolled"].value == 320
    # the template downloaded again carries what was saved
    again = _template(people, units, who="daumoi.gdnn", unit="gdnn-gdtx-cat-hai")
    ws = again["co-so-gdnn"]
    assert ws.cell(row=_row_of(ws, "gdnn-gdtx-cat-hai"), column=_col(ws, "students_cc_ack")).value == 460


def test_broken_file_reports_sheet_cell_reason_and_saves_nothing(people, units):
    wb = _template(people, units)
    ws = wb["co-so-gdnn"]
    _fill(ws, "gdnn-gdtx-cat-hai", VOC | {"students_cc_ack": 999})                 # part above its whole
    _fill(ws, "cd-du-lich-cat-ba", VOC | {"students_enrolled": "mười", "ev:teaches_safety": None})
    ws.cell(row=ws.max_row + 1, column=1, value="thcs-khong-co")                   # unknown unit
    with pytest.raises(xlsx.UploadErrors) as exc:
        xlsx.upload(actor=people["thuongtruc"], data=_bytes(wb))
    errors = {(e.sheet, e.cell): e.reason for e in exc.value.errors}
    r1, r2 = _row_of(ws, "gdnn-gdtx-cat-hai"), _row_of(ws, "cd-du-lich-cat-ba")
    from openpyxl.utils import get_column_letter as L

    assert "không được lớn hơn" in errors[("co-so-gdnn", f"{L(_col(ws, 'students_cc_ack'))}{r1}")]
    assert "số nguyên" in errors[("co-so-gdnn", f"{L(_col(ws, 'students_enrolled'))}{r2}")]
    assert "minh chứng" in errors[("co-so-gdnn", f"{L(_col(ws, 'teaches_safety'))}{r2}")]
    assert any(cell.startswith("A") and "thcs-khong-co" in reason for (_, cell), reason in errors.items())
    assert not Submission.objects.filter(year=YEAR, unit__code__in=["gdnn-gdtx-cat-hai", "cd-du-lich-cat-ba"]).exists()


def test_not_a_workbook_and_tampered_header(people, units):
    with pytest.raises(xlsx.UploadErrors) as exc:
        xlsx.upload(actor=people["thuongtruc"], data=b"not an xlsx")
    assert "xlsx" in exc.value.errors[0].reason
    wb = _template(people, units)
    wb["co-so-gdnn"].cell(row=2, column=3, value="something_else")
    with pytest.raises(xlsx.UploadErrors) as exc:
        xlsx.upload(actor=people["thuongtruc"], data=_bytes(wb))
    assert exc.value.errors[0].cell == "C2"


def test_focal_point_cannot_upload_another_schools_rows(people, units):
    wb = _template(people, units)
    _fill(wb["co-so-gdnn"], "cd-du-lich-cat-ba", VOC)
    with pytest.raises(xlsx.UploadErrors) as exc:
        xlsx.upload(actor=people["daumoi.gdnn"], data=_bytes(wb))
    assert any("không được nhập" in e.reason for e in exc.value.errors)


def test_upload_page_lists_cell_errors(client_for, people, units):
    wb = _template(people, units)
    _fill(wb["co-so-gdnn"], "gdnn-gdtx-cat-hai", VOC | {"students_cc_ack": 999})
    f = io.BytesIO(_bytes(wb))
    f.name = "bieu.xlsx"
    html = client_for("thuongtruc").post(f"/chi-tieu/excel/?nam={YEAR}", {"file": f}).content.decode()
    assert 'id="upload-errors"' in html and "không được lớn hơn" in html
    r = client_for("thuongtruc").get(f"/chi-tieu/excel/?tai=1&nam={YEAR}&don_vi=hp-dk-cat-hai")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_csv_export_columns_and_scope(client_for):
    body = client_for("thuongtruc").get("/chi-tieu/xuat-csv/?nam=2025").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Mã đơn vị", "Đơn vị", "Năm", "Mã số liệu", "Số liệu", "Giá trị", "Trạng thái báo cáo",
                       "Cập nhật lúc"]
    assert any(r[0] == "gdnn-gdtx-cat-hai" and r[3] == "students_enrolled" and r[6] == "Đã duyệt" for r in rows[1:])
    assert all(r[2] == "2025" for r in rows[1:])
    assert all(r[1] and r[4] for r in rows[1:])  # names beside the codes, for a person reading it


def test_cli_json_matches_the_selector(people, units):
    out = io.StringIO()
    call_command("indicators", "compute", "--year", "2025", "--unit", "hp-dk-cat-hai", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    computed = [r.as_dict() for r in selectors.compute_indicators(actor=people["sysadmin"], year=2025,
                                                                   unit=units["hp-dk-cat-hai"])]
    assert printed == computed
    first = printed[0]["indicators"][0]
    assert set(first) >= {"numerator", "denominator", "value", "target", "status"}
    out = io.StringIO()
    call_command("indicators", "compute", "--year", "2025", "--as", "daumoi.thcscatba", "--json", stdout=out)
    assert [r["unit"] for r in json.loads(out.getvalue())] == ["thcs-cat-ba"]
