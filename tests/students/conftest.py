"""A small school world for the students tests: one school year, two classes at THCS Cát Bà with
their homeroom teachers, one class at THCS Cát Hải, students in each (built through the services)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.models import Role, User
from cyberyouth.students import services
from cyberyouth.students.models import Enrolment, SchoolYear, Student

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan():
    return SimpleUploadedFile("phieu.pdf", PDF, content_type="application/pdf")


def _teacher(sysadmin, username, unit):
    user = User.objects.create_user(username=username, password="x", full_name=f"GV {username}")
    org_services.role_grant(actor=sysadmin, user=user, role=Role.HOMEROOM_TEACHER, unit=unit,
                            valid_from=date(2020, 1, 1))
    return user


def _student(cls, name, dob, code=""):
    s = Student.objects.create(unit=cls.unit, full_name=name, date_of_birth=dob, student_code=code)
    Enrolment.objects.create(student=s, school_class=cls, unit=cls.unit, valid_from=cls.school_year.starts_on)
    return s


@pytest.fixture
def world(people, units):
    sysadmin = people["sysadmin"]
    year = SchoolYear.objects.filter(starts_on__lte=date.today()).order_by("-starts_on").first()
    if year is None or year.ends_on < date.today():
        start = date(date.today().year if date.today().month >= 9 else date.today().year - 1, 9, 5)
        year = SchoolYear.objects.create(name=f"T{start.year}", starts_on=start, ends_on=date(start.year + 1, 5, 31))
    catba, cathai = units["thcs-cat-ba"], units["thcs-cat-hai"]
    fp = people["daumoi.thcscatba"]
    t6a, t6b = _teacher(sysadmin, "gv.6a", catba), _teacher(sysadmin, "gv.6b", catba)
    c6a = services.class_create(actor=fp, unit=catba, school_year=year, name="T6A", grade=6, homeroom_teacher=t6a)
    c6b = services.class_create(actor=fp, unit=catba, school_year=year, name="T6B", grade=6, homeroom_teacher=t6b)
    c9 = services.class_create(actor=fp, unit=catba, school_year=year, name="T9A", grade=9)
    cx = services.class_create(actor=people["daumoi.thcscathai"], unit=cathai, school_year=year, name="T7A", grade=7)
    a = [_student(c6a, n, date(2014, 3, i + 1)) for i, n in enumerate(
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"])]
    b = [_student(c6b, n, date(2014, 5, i + 1)) for i, n in enumerate(["Đỗ Văn Hải", "Bùi Thị Hoa", "Ngô Văn Khoa"])]
    n9 = [_student(c9, n, date(2011, 1, i + 1)) for i, n in enumerate(["Mai Văn Long", "Đặng Thị Mơ"])]
    x = [_student(cx, n, date(2013, 7, i + 1)) for i, n in enumerate(["Lý Văn Nam", "Trịnh Thị Oanh"])]
    return {"year": year, "catba": catba, "cathai": cathai, "fp": fp, "t6a": t6a, "t6b": t6b, "c6a": c6a,
            "c6b": c6b, "c9": c9, "cx": cx, "a": a, "b": b, "n9": n9, "x": x, "sysadmin": sysadmin}


def xlsx(rows, *, school="thcs-cat-ba", year=None, header=None, extra=None) -> bytes:
    from openpyxl import Workbook

    from cyberyouth.students.roster import CODES, GUIDE, SHEET

    wb = Workbook()
    g = wb.active
    g.title = GUIDE
    g["B2"], g["B3"] = school, year
    ws = wb.create_sheet(SHEET)
    for c, code in enumerate(header or CODES, start=1):
        ws.cell(row=2, column=c, value=code)
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    if extra:
        extra(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
