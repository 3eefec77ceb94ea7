"""The roster workbook: template, errors by sheet and cell with nothing written, idempotent
re-import, an updated file's changes listed before they are applied, hostile files."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cyberyouth.students import roster, services
from cyberyouth.students.models import Enrolment, SchoolClass, Student

from .conftest import xlsx

pytestmark = pytest.mark.django_db


def ROWS():
    return [["Nguyễn Thị Lan", "05/09/2013", "Nữ", "R7A", None, "HS001", "Nguyễn Văn Tư", "0912000001"],
            ["Trần Văn Minh", datetime(2013, 4, 2), "Nam", "R7A", 7, "", "Trần Thị Hạnh", "0912000002"],
            ["Lê Ngọc Ánh", 41500, "", "R8B", None, "", "", ""]]  # 41500 = Excel serial for 14/8/2013


def _plan(world, data):
    year, rows = roster.read_for(actor=world["fp"], unit=world["catba"], data=data)
    return year, rows, roster.plan(unit=world["catba"], school_year=year, rows=rows)


def _errors(world, data) -> list[dict]:
    with pytest.raises(roster.RosterErrors) as exc:
        roster.read_for(actor=world["fp"], unit=world["catba"], data=data)
    return exc.value.as_list()


def test_import_then_same_file_changes_nothing(world):
    data = xlsx(ROWS(), year=world["year"].name)
    year, rows, plan = _plan(world, data)
    assert [r.date_of_birth for r in rows] == [date(2013, 9, 5), date(2013, 4, 2), date(2013, 8, 14)]
    assert len(plan.added) == 3 and plan.new_classes == ["R7A", "R8B"]
    services.roster_apply(actor=world["fp"], unit=world["catba"], school_year=year, rows=rows)
    lan = Student.objects.get(unit=world["catba"], student_code="HS001")
    assert lan.full_name == "Nguyễn Thị Lan" and lan.gender == "F"
    assert SchoolClass.objects.get(unit=world["catba"], school_year=year, name="R8B").grade == 8
    before = (Student.objects.count(), Enrolment.objects.count())
    _, rows2, plan2 = _plan(world, data)
    assert plan2.changes == 0 and plan2.unchanged == 3
    services.roster_apply(actor=world["fp"], unit=world["catba"], school_year=year, rows=rows2)
    assert (Student.objects.count(), Enrolment.objects.count()) == before


def test_updated_file_lists_changes_before_applying(world):
    year = world["year"]
    _, rows, _ = _plan(world, xlsx(ROWS(), year=year.name))
    services.roster_apply(actor=world["fp"], unit=world["catba"], school_year=year, rows=rows)
    changed = ROWS()
    changed[0][7] = "0988777666"          # new contact, matched by code
    changed[1][3] = "R8B"                 # moves class, matched by name + date of birth
    changed[0][0] = "Nguyễn Thị Lan Anh"  # renamed, still matched by code
    _, rows, plan = _plan(world, xlsx(changed, year=year.name))
    assert {tuple(f) for _, _, f in plan.updated} == {("full_name", "guardian_contact")}
    assert [(r.full_name, old) for _, r, old in plan.moved] == [("Trần Văn Minh", "R7A")]
    assert Student.objects.get(student_code="HS001").guardian_contact == "0912000001"  # nothing written yet
    services.roster_apply(actor=world["fp"], unit=world["catba"], school_year=year, rows=rows)
    assert Student.objects.get(student_code="HS001").guardian_contact == "0988777666"
    minh = Student.objects.get(full_name="Trần Văn Minh")
    assert Enrolment.objects.get(student=minh, valid_to__isnull=True).school_class.name == "R8B"


def test_template_round_trips(world):
    data = roster.template(actor=world["fp"], unit=world["catba"], school_year=world["year"])
    wb = load_workbook(io.BytesIO(data))
    assert wb[roster.GUIDE]["B2"].value == "thcs-cat-ba"
    _, _, plan = _plan(world, data)
    assert plan.changes == 0 and plan.unchanged == 11


@pytest.mark.parametrize("case, where, words", [
    ("not_xlsx", "—", "Excel"),
    ("formula", "Danh sách!A3", "công thức"),
    ("merged", "Danh sách!A3", "gộp"),
    ("text_date", "Danh sách!B3", "không phải ngày"),
    ("impossible_date", "Danh sách!B3", "ngày có thật"),
    ("bad_gender", "Danh sách!C3", "Giới tính"),
    ("no_class", "Danh sách!D3", "lớp"),
    ("wrong_header", "Danh sách!B2", "Mã cột"),
    ("wrong_school", "Hướng dẫn!B2", "thcs-cat-hai"),
    ("unknown_year", "Hướng dẫn!B3", "Năm học"),
    ("duplicate_code", "Danh sách!F4", "trùng"),
])
def test_bad_files_say_where_and_write_nothing(world, case, where, words):
    year = world["year"].name
    rows = ROWS()
    kwargs = {"year": year}
    if case == "not_xlsx":
        data = b"ho_ten,ngay_sinh\nAn,1/1/2014\n"
    else:
        if case == "formula":
            rows[0][0] = "=A4&\"x\""
        elif case == "merged":
            kwargs["extra"] = lambda ws: ws.merge_cells("A3:B3")
        elif case == "text_date":
            rows[0][1] = "mùng 5 tháng 9"
        elif case == "impossible_date":
            rows[0][1] = "31/02/2013"
        elif case == "bad_gender":
            rows[0][2] = "khác"
        elif case == "no_class":
            rows[0][3] = None
        elif case == "wrong_header":
            kwargs["header"] = ["full_name", "dob"] + roster.CODES[2:]
        elif case == "wrong_school":
            kwargs["school"] = "thcs-cat-hai"
        elif case == "unknown_year":
            kwargs["year"] = "1999-2000"
        elif case == "duplicate_code":
            rows[1][5] = "HS001"
        data = xlsx(rows, **kwargs)
    before = Student.objects.count()
    errors = _errors(world, data)
    first = errors[0]
    assert f"{first['sheet']}!{first['cell']}" == where or (where == "—" and first["cell"] == "—")
    assert words.lower() in " ".join(e["reason"] for e in errors).lower()
    assert Student.objects.count() == before


def test_a_hundred_thousand_rows_is_refused_quickly(world):
    def fill(ws):
        for r in range(3, 100_003):
            ws.cell(row=r, column=1, value="Nguyễn Văn A")
    data = xlsx([], year=world["year"].name, extra=fill)
    errors = _errors(world, data)
    assert "5000" in errors[0]["reason"] and errors[0]["cell"] == f"A{roster.MAX_ROWS + 3}"


def test_page_preview_then_apply(world, client_for):
    page = client_for("daumoi.thcscatba")
    upload = SimpleUploadedFile("ds.xlsx", xlsx(ROWS(), year=world["year"].name))
    r = page.post("/hoc-sinh/nhap-danh-sach/", {"unit": "thcs-cat-ba", "file": upload})
    body = r.content.decode()
    assert r.status_code == 200 and "3 học sinh mới" in body and "Nguyễn Thị Lan" in body
    assert not Student.objects.filter(student_code="HS001").exists()
    token = body.split('name="token" value="')[1].split('"')[0]
    r = page.post("/hoc-sinh/nhap-danh-sach/", {"unit": "thcs-cat-ba", "token": token, "apply": "1"})
    assert r.status_code == 302 and Student.objects.filter(student_code="HS001").exists()
    bad = SimpleUploadedFile("ds.xlsx", b"not a workbook")
    body = page.post("/hoc-sinh/nhap-danh-sach/", {"unit": "thcs-cat-ba", "file": bad}).content.decode()
    assert "chưa lưu gì" in body and "Excel" in body
    # another school's focal point cannot import into this school, nor use its token
    other = client_for("daumoi.thcscathai")
    assert other.get("/hoc-sinh/nhap-danh-sach/mau.xlsx?unit=thcs-cat-ba").status_code == 404
    assert other.get("/hoc-sinh/nhap-danh-sach/mau.xlsx")["Content-Disposition"].endswith('thcs-cat-hai.xlsx"')
    assert other.post("/hoc-sinh/nhap-danh-sach/", {"unit": "thcs-cat-ba", "token": token,
                                                    "apply": "1"}).status_code == 404


def test_api_dry_run_then_apply_and_scope(world, api_for):
    api = api_for("daumoi.thcscatba")
    data = xlsx(ROWS(), year=world["year"].name)
    r = api.post("/api/students/roster/thcs-cat-ba", {"file": SimpleUploadedFile("d.xlsx", data)})
    assert r.status_code == 200 and r.json()["added"] == 3 and not Student.objects.filter(student_code="HS001").exists()
    r = api.post("/api/students/roster/thcs-cat-ba?dry_run=false", {"file": SimpleUploadedFile("d.xlsx", data)})
    assert r.json()["added"] == 3 and Student.objects.filter(student_code="HS001").exists()
    bad = api.post("/api/students/roster/thcs-cat-ba", {"file": SimpleUploadedFile("d.xlsx", b"PK\x03\x04junk")})
    assert bad.status_code == 400 and bad.json()["errors"][0]["cell"] == "—"
    other = api_for("daumoi.thcscathai")
    r = other.post("/api/students/roster/thcs-cat-ba", {"file": SimpleUploadedFile("d.xlsx", data)})
    assert r.status_code == 404
