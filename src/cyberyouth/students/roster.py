"""A format reader: the school roster workbook (XLSX) — its template, reading it cell by cell,
and the plan of changes an upload would make (the write is `services.roster_apply`).

Sheet "Hướng dẫn": B2 the school's code, B3 the school year ("2025-2026"). Sheet "Danh sách":
row 1 headings in Vietnamese, row 2 the column codes, one student per row from row 3. A file is
checked whole: every error comes back with sheet, cell and reason, and nothing is written unless
the whole file is valid. Students are matched by official code, else by name and date of birth,
so importing the same file twice changes nothing.
"""

import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.orgs import selectors as org_selectors

from . import selectors
from .models import Gender, SchoolClass, SchoolYear, Student, StudentStatus
from .naming import clean_name

GUIDE = "Hướng dẫn"
SHEET = "Danh sách"
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
COLUMNS = [
    ("full_name", "Họ và tên (*)"),
    ("date_of_birth", "Ngày sinh (*) dd/mm/yyyy"),
    ("gender", "Giới tính (Nam/Nữ)"),
    ("class", "Lớp (*)"),
    ("grade", "Khối (1–12)"),
    ("student_code", "Mã học sinh"),
    ("guardian_name", "Họ tên cha mẹ / người giám hộ"),
    ("guardian_contact", "Điện thoại / thư điện tử của cha mẹ"),
]
CODES = [c for c, _ in COLUMNS]


@dataclass(frozen=True)
class CellError:
    sheet: str
    cell: str
    reason: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell, "reason": self.reason}


class RosterErrors(DomainError):
    def __init__(self, errors: list[CellError]):
        self.errors = errors
        e = errors[0]
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        super().__init__(f"Tệp có lỗi, chưa lưu gì. {e.sheet}!{e.cell}: {e.reason}{more}", field="file",
                         code="invalid_file")

    def as_list(self) -> list[dict]:
        return [e.as_dict() for e in self.errors]


def _fail(reason: str, sheet: str = "—", cell: str = "—"):
    raise RosterErrors([CellError(sheet, cell, reason)])


@dataclass
class Row:
    line: int
    full_name: str
    date_of_birth: date
    gender: str
    class_name: str
    grade: int | None
    student_code: str
    guardian_name: str
    guardian_contact: str


@dataclass
class Plan:
    unit_id: int
    school_year_id: int
    school_year: str
    rows: list[Row]
    new_classes: list[str] = field(default_factory=list)
    added: list[Row] = field(default_factory=list)
    updated: list[tuple[int, Row, list[str]]] = field(default_factory=list)   # student id, row, fields changed
    moved: list[tuple[int, Row, str]] = field(default_factory=list)           # student id, row, from class
    unchanged: int = 0
    not_in_file: int = 0

    @property
    def changes(self) -> int:
        return len(self.new_classes) + len(self.added) + len(self.updated) + len(self.moved)

    def summary(self) -> str:
        return (f"{len(self.added)} học sinh mới, {len(self.updated)} cập nhật, {len(self.moved)} chuyển lớp, "
                f"{len(self.new_classes)} lớp mới, {self.unchanged} không đổi")


# ---------------------------------------------------------------- template


def template(*, actor, unit, school_year: SchoolYear | None = None) -> bytes:
    """The roster workbook of `unit`, prefilled with its students of the school year."""
    org_selectors.require(actor=actor, capability="student.manage", unit=unit)
    school_year = school_year or selectors.current_school_year()
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    guide["A1"] = "Danh sách học sinh — Chương trình 311"
    guide["A2"], guide["B2"] = "Mã trường", unit.code
    guide["A3"], guide["B3"] = "Năm học", school_year.name if school_year else ""
    guide["A5"] = ("Mỗi dòng từ dòng 3 của trang “Danh sách” là một học sinh. Không sửa dòng 2 (mã cột), không gộp ô, "
                   "không dùng công thức. Ngày sinh dạng 25/12/2014. Cột có (*) bắt buộc. Học sinh được nhận ra theo mã "
                   "học sinh, nếu không có mã thì theo họ tên và ngày sinh. Tệp chỉ được lưu khi mọi ô đều hợp lệ.")
    ws = wb.create_sheet(SHEET)
    for c, (code, label) in enumerate(COLUMNS, start=1):
        ws.cell(row=1, column=c, value=label).font = Font(bold=True)
        ws.cell(row=2, column=c, value=code).fill = PatternFill("solid", fgColor="DDDDDD")
        ws.column_dimensions[get_column_letter(c)].width = 28 if c in (1, 7, 8) else 14
    if school_year is not None:
        r = 3
        for school_class in SchoolClass.objects.filter(unit=unit, school_year=school_year).order_by("grade", "name"):
            for s in selectors.class_students(actor=actor, school_class=school_class):
                values = [s.full_name, s.date_of_birth.strftime("%d/%m/%Y") if s.date_of_birth else "",
                          s.get_gender_display() if s.gender else "", school_class.name, school_class.grade,
                          s.student_code, s.guardian_name, s.guardian_contact]
                for c, v in enumerate(values, start=1):
                    ws.cell(row=r, column=c, value=v)
                r += 1
    ws.freeze_panes = "B3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- reading


_MERGE = re.compile(rb'<mergeCell[^>]*ref="([A-Z]+[0-9]+)')
_TEXT_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= 80000:
            raise ValueError("số ngày Excel không hợp lệ")
        return from_excel(value).date()
    text = str(value or "").strip()
    if not text:
        raise ValueError("chưa nhập")
    if m := _TEXT_DATE.match(text):
        d, mth, y = (int(x) for x in m.groups())
    elif m := _ISO_DATE.match(text):
        y, mth, d = (int(x) for x in m.groups())
    elif text.replace(".", "", 1).isdigit():
        return _parse_date(float(text))
    else:
        raise ValueError(f"“{text[:30]}” không phải ngày (ghi dạng 25/12/2014)")
    try:
        return date(y, mth, d)
    except ValueError:
        raise ValueError(f"“{text[:30]}” không phải ngày có thật") from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_name(str(value))


def read(data: bytes) -> tuple[str, str, list[Row]]:
    """(school code, school year name, rows) of a filled template, or RosterErrors."""
    if len(data) > MAX_BYTES:
        _fail(f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); tối đa {MAX_BYTES // 1048576} MB.")
    if not data.startswith(b"PK"):
        _fail("Không đọc được tệp: cần tệp Excel .xlsx theo mẫu (không phải .xls, .csv hay tệp khác).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_xml = {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl and zipfile raise many kinds on a file that is not a workbook
        _fail("Không đọc được tệp: cần tệp Excel .xlsx theo mẫu.")
    if GUIDE not in wb.sheetnames or SHEET not in wb.sheetnames:
        _fail(f"Thiếu trang “{GUIDE}” hoặc “{SHEET}”: hãy dùng mẫu tải từ hệ thống.", sheet=", ".join(wb.sheetnames)[:60])
    order = wb.sheetnames
    for index, name in enumerate(order, start=1):
        merged = _MERGE.search(sheet_xml.get(f"xl/worksheets/sheet{index}.xml", b""))
        if merged and name in (GUIDE, SHEET):
            _fail("Tệp có ô gộp: bỏ gộp ô rồi tải lên lại.", sheet=name, cell=merged.group(1).decode())
    guide = {cell.coordinate: cell.value for row in wb[GUIDE].iter_rows(min_row=2, max_row=3, max_col=2)
             for cell in row if hasattr(cell, "coordinate")}
    school_code, year_name = _text(guide.get("B2")), _text(guide.get("B3")).replace("–", "-")
    ws = wb[SHEET]
    errors: list[CellError] = []
    rows: list[Row] = []
    header = None
    for r, cells in enumerate(ws.iter_rows(max_col=len(CODES)), start=1):
        if r > MAX_ROWS + 2:
            _fail(f"Tệp có hơn {MAX_ROWS} học sinh; chia thành nhiều tệp nhỏ hơn.", sheet=SHEET, cell=f"A{r}")
        cells = list(cells) + [None] * (len(CODES) - len(cells))
        values = [getattr(c, "value", None) for c in cells]
        if r == 1:
            continue
        if r == 2:
            header = [_text(v) for v in values]
            if header != CODES:
                bad = next(i for i, (a, b) in enumerate(zip(header, CODES)) if a != b)
                _fail(f"Mã cột phải là “{CODES[bad]}”; không sửa dòng 2 của mẫu.", sheet=SHEET,
                      cell=f"{get_column_letter(bad + 1)}2")
            continue
        if all(v in (None, "") for v in values):
            continue
        formula = next((i for i, c in enumerate(cells) if getattr(c, "data_type", "") == "f"
                        or (isinstance(getattr(c, "value", None), str) and c.value.startswith("="))), None)
        if formula is not None:
            errors.append(CellError(SHEET, f"{get_column_letter(formula + 1)}{r}",
                                    "Ô có công thức: chỉ ghi giá trị (dán “chỉ giá trị”)."))
            continue
        v = dict(zip(CODES, values, strict=True))
        where = lambda code, r=r: f"{get_column_letter(CODES.index(code) + 1)}{r}"  # noqa: E731
        name = _text(v["full_name"])
        if not name:
            errors.append(CellError(SHEET, where("full_name"), "Chưa ghi họ và tên."))
        elif len(name) > 120 or any(ch.isdigit() for ch in name):
            errors.append(CellError(SHEET, where("full_name"), "Họ và tên không hợp lệ."))
        dob = None
        try:
            dob = _parse_date(v["date_of_birth"])
            age = date.today().year - dob.year
            if not 2 <= age <= 40:
                errors.append(CellError(SHEET, where("date_of_birth"), f"Ngày sinh {dob:%d/%m/%Y} không hợp lý."))
        except ValueError as exc:
            errors.append(CellError(SHEET, where("date_of_birth"), f"Ngày sinh: {exc}."))
        gender_text = _text(v["gender"]).lower()
        gender = {"": "", "nam": Gender.MALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE}.get(gender_text)
        if gender is None:
            errors.append(CellError(SHEET, where("gender"), "Giới tính ghi “Nam”, “Nữ” hoặc để trống."))
        class_name = _text(v["class"])
        if not class_name or len(class_name) > 60:
            errors.append(CellError(SHEET, where("class"), "Chưa ghi lớp (ví dụ 6A)."))
        grade = None
        raw_grade = v["grade"]
        if raw_grade not in (None, ""):
            try:
                grade = int(float(str(raw_grade).strip()))
                if not 1 <= grade <= 12 or float(str(raw_grade).strip()) != grade:
                    raise ValueError
            except ValueError:
                errors.append(CellError(SHEET, where("grade"), "Khối là số từ 1 đến 12."))
                grade = None
        elif (number := re.search(r"\d+", class_name)) and 1 <= int(number.group()) <= 12:
            grade = int(number.group())  # "6A" → 6, "K10A1" → 10
        contact = _text(v["guardian_contact"])
        if contact and not any(ch.isdigit() for ch in contact) and "@" not in contact:
            errors.append(CellError(SHEET, where("guardian_contact"), "Liên hệ là số điện thoại hoặc thư điện tử."))
        code = _text(v["student_code"])
        if len(code) > 30:
            errors.append(CellError(SHEET, where("student_code"), "Mã học sinh tối đa 30 ký tự."))
        rows.append(Row(line=r, full_name=name, date_of_birth=dob, gender=gender or "", class_name=class_name,
                        grade=grade, student_code=code, guardian_name=_text(v["guardian_name"])[:120],
                        guardian_contact=contact[:120]))
    if header is None:
        _fail("Trang danh sách trống: hãy dùng mẫu tải từ hệ thống.", sheet=SHEET, cell="A2")
    seen_codes: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    for row in rows:
        if row.student_code:
            if row.student_code in seen_codes:
                errors.append(CellError(SHEET, f"F{row.line}", f"Mã học sinh trùng với dòng {seen_codes[row.student_code]}."))
            seen_codes.setdefault(row.student_code, row.line)
        key = (row.full_name.casefold(), row.date_of_birth)
        if key in seen_people and not row.student_code:
            errors.append(CellError(SHEET, f"A{row.line}", f"Trùng họ tên và ngày sinh với dòng {seen_people[key]}; "
                                                           "ghi mã học sinh để phân biệt."))
        seen_people.setdefault(key, row.line)
    if not rows and not errors:
        _fail("Tệp không có học sinh nào.", sheet=SHEET, cell="A3")
    if errors:
        raise RosterErrors(errors)
    return school_code, year_name, rows


# ---------------------------------------------------------------- planning


def plan(*, unit, school_year: SchoolYear, rows: list[Row]) -> Plan:
    """What importing `rows` into `unit` for `school_year` would change (nothing is written)."""
    result = Plan(unit_id=unit.id, school_year_id=school_year.id, school_year=school_year.name, rows=rows)
    classes = {c.name: c for c in SchoolClass.objects.filter(unit=unit, school_year=school_year)}
    result.new_classes = sorted({r.class_name for r in rows} - set(classes))
    students = list(Student.objects.filter(unit=unit, deidentified_at__isnull=True).exclude(
        status__in=[StudentStatus.LEFT, StudentStatus.GRADUATED]))
    by_code = {s.student_code: s for s in students if s.student_code}
    by_person = {(s.full_name.casefold(), s.date_of_birth): s for s in students}
    current = {}
    for sid, class_name in SchoolClass.objects.filter(
            unit=unit, school_year=school_year, enrolments__valid_to__isnull=True).values_list(
            "enrolments__student_id", "name"):
        current[sid] = class_name
    matched = set()
    for row in rows:
        student = by_code.get(row.student_code) if row.student_code else None
        if student is None:
            student = by_person.get((row.full_name.casefold(), row.date_of_birth))
            if student is not None and row.student_code and student.student_code not in ("", row.student_code):
                student = None
        if student is None:
            result.added.append(row)
            continue
        matched.add(student.id)
        changed = [f for f, new in (("full_name", row.full_name), ("date_of_birth", row.date_of_birth),
                                    ("gender", row.gender), ("student_code", row.student_code),
                                    ("guardian_name", row.guardian_name), ("guardian_contact", row.guardian_contact))
                   if getattr(student, f) != new and not (f == "student_code" and not new)]
        if changed:
            result.updated.append((student.id, row, changed))
        if current.get(student.id) != row.class_name:
            result.moved.append((student.id, row, current.get(student.id, "")))
        if not changed and current.get(student.id) == row.class_name:
            result.unchanged += 1
    result.not_in_file = len([s for s in students if s.id not in matched])
    return result


def read_for(*, actor, unit, data: bytes) -> tuple[SchoolYear, list[Row]]:
    org_selectors.require(actor=actor, capability="student.manage", unit=unit)
    school_code, year_name, rows = read(data)
    if school_code != unit.code:
        _fail(f"Tệp là danh sách của trường có mã “{school_code or '—'}”, không phải “{unit.code}”.",
              sheet=GUIDE, cell="B2")
    school_year = SchoolYear.objects.filter(name=year_name).first()
    if school_year is None:
        _fail(f"Năm học “{year_name or '—'}” chưa có trong hệ thống.", sheet=GUIDE, cell="B3")
    return school_year, rows


def _preview_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "roster-previews"
    path.mkdir(parents=True, exist_ok=True)
    return path


def preview_upload(*, actor, unit, upload) -> dict:
    """Check an uploaded roster and keep it for the "apply" step; returns the plan and its token."""
    data = upload.read(MAX_BYTES + 1)
    school_year, rows = read_for(actor=actor, unit=unit, data=data)
    the_plan = plan(unit=unit, school_year=school_year, rows=rows)
    token = f"{actor.pk}-{unit.id}-{secrets.token_hex(12)}"
    (_preview_dir() / f"{token}.xlsx").write_bytes(data)
    return {"plan": the_plan, "token": token}


def apply_stored(*, actor, unit, token: str) -> Plan:
    """Apply a previewed upload (checked again: the roster may have changed meanwhile)."""
    from .services import roster_apply

    if not re.fullmatch(rf"{actor.pk}-{unit.id}-[0-9a-f]{{24}}", token or ""):
        raise NotFound("Không tìm thấy tệp đã xem trước; hãy tải lên lại.")
    path = _preview_dir() / f"{token}.xlsx"
    if not path.exists():
        raise NotFound("Không tìm thấy tệp đã xem trước; hãy tải lên lại.")
    school_year, rows = read_for(actor=actor, unit=unit, data=path.read_bytes())
    result = roster_apply(actor=actor, unit=unit, school_year=school_year, rows=rows)
    path.unlink(missing_ok=True)
    return result
