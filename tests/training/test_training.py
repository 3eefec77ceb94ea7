"""Staff training → indicator 3; Union members and the app's political-theory export → indicator 2."""

import io
import unicodedata
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.indicators import selectors as indicator_selectors
from cyberyouth.indicators import services as indicator_services
from cyberyouth.training import selectors, services
from cyberyouth.training.models import Completion, PendingCompletion, RowStatus, TheoryCompletion, UnionMember

pytestmark = pytest.mark.django_db
SCHOOL = "gdnn-gdtx-cat-hai"
YEAR = 2025


def csv_file(text: str, name: str = "ket-qua.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "doan-vien.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def fp(people):
    return people["daumoi.gdnn"]


@pytest.fixture
def school(units):
    """The vocational centre with empty registers (the demo fills them)."""
    from cyberyouth.training.models import CompletionImport, Course, StaffMember, TheoryImport

    from cyberyouth.teams.models import TeamMember

    unit = units[SCHOOL]
    TeamMember.objects.filter(staff__unit=unit).delete()
    Completion.objects.filter(course__unit=unit).delete()
    CompletionImport.objects.filter(course__unit=unit).delete()
    Course.objects.filter(unit=unit).delete()
    TheoryImport.objects.filter(unit=unit).delete()
    UnionMember.objects.filter(unit=unit).delete()
    StaffMember.objects.filter(unit=unit).delete()
    return unit


@pytest.fixture
def staff(fp, school):
    add = services.staff_add
    return {
        "an": add(actor=fp, unit=school, full_name="Nguyễn Văn An", birth_date=date(1985, 3, 2), staff_code="CB01"),
        "binh": add(actor=fp, unit=school, full_name="Trần Thị Bình", birth_date=date(1990, 7, 9)),
        "cuong1": add(actor=fp, unit=school, full_name="Lê Văn Cường", birth_date=date(1980, 1, 1)),
        "cuong2": add(actor=fp, unit=school, full_name="Lê Văn Cường", birth_date=date(1992, 5, 5)),
        "dung": add(actor=fp, unit=school, full_name="Phạm Dũng", does_student_work=False),
        "em": add(actor=fp, unit=school, full_name="Hoàng Thị Em", joined_on=date(2020, 1, 1)),
    }


@pytest.fixture
def course(fp, school):
    return services.course_create(actor=fp, unit=school, title="Tập huấn kỹ năng đấu tranh trên không gian mạng",
                                  organiser="Sở Giáo dục và Đào tạo Hải Phòng", starts_on=date(YEAR, 5, 10),
                                  ends_on=date(YEAR, 5, 12), mode="in_person", hours=16)


def ind3(school, year=YEAR):
    ids = {school.id}
    return (selectors.staff_trained_by_unit(unit_ids=ids, year=year).get(school.id, 0),
            selectors.staff_student_work_by_unit(unit_ids=ids, year=year).get(school.id, 0))


def test_indicator_3_counts_staff_doing_student_work_and_their_cyberspace_training(fp, school, staff, course):
    assert ind3(school) == (0, 5)  # Phạm Dũng does no student work
    services.staff_leave(actor=fp, staff=staff["em"], left_on=date(YEAR, 9, 1))
    assert ind3(school) == (0, 4)  # left before the end of the year
    services.completion_add(actor=fp, course=course, staff=staff["an"], completed_on=date(YEAR, 5, 12),
                            certificate_no="GCN-01")
    services.completion_add(actor=fp, course=course, staff=staff["dung"], completed_on=date(YEAR, 5, 12))
    other = services.course_create(actor=fp, unit=school, title="Bồi dưỡng nghiệp vụ kế toán", organiser="Sở Tài chính",
                                   starts_on=date(YEAR, 6, 1), ends_on=date(YEAR, 6, 2), mode="online",
                                   counts_for_indicator=False)
    services.completion_add(actor=fp, course=other, staff=staff["binh"], completed_on=date(YEAR, 6, 2))
    assert ind3(school) == (1, 4)  # only An: Dũng is outside the denominator, Bình's course is off-topic
    assert ind3(school, YEAR + 1) == (0, 4)  # training counts in its own year
    with pytest.raises(DomainError, match="đã có kết quả"):
        services.completion_add(actor=fp, course=course, staff=staff["an"], completed_on=date(YEAR, 5, 12))


def test_indicator_3_is_read_only_on_the_yearly_form(fp, school, staff):
    year = 2026  # the demo's 2025 reports are approved already
    course = services.course_create(actor=fp, unit=school, title="Lớp 2026", organiser="Tỉnh đoàn",
                                    starts_on=date(year, 3, 1), ends_on=date(year, 3, 2), mode="blended")
    services.completion_add(actor=fp, course=course, staff=staff["an"], completed_on=date(year, 3, 2))
    typed = {"students_enrolled": 480, "students_cc_reached": 470, "students_cc_ack": 460, "union_new_members": 50,
             "union_new_studied": 45, "staff_student_work": 99, "staff_trained": 98, "teaches_safety": 1}
    s = indicator_services.values_save(actor=fp, unit=school, year=year, values=typed,
                                       evidence={"teaches_safety": "Kế hoạch 12/KH"}, confirm_jumps=True)
    values = indicator_selectors.submission_values(submission=s)
    assert (values["staff_trained"].value, values["staff_student_work"].value) == (1, 5)
    assert values["staff_trained"].source == "provider"
    assert (values["union_new_studied"].value, values["union_new_members"].value) == (0, 0)


COMPLETIONS = (
    "Họ và tên,Ngày sinh,Mã cán bộ,Ngày hoàn thành,Số giấy chứng nhận\n"
    "NGUYEN VAN AN,,CB01,12/05/2025,GCN-01\n"                      # by code
    + unicodedata.normalize("NFD", "Trần  Thị Bình") + ",09/07/1990,,12/05/2025,GCN-02\n"  # decomposed, spaces
    "le van cuong,,,12/05/2025,GCN-03\n"                           # two people bear the name: for a person
    "Vũ Văn Lạ,01/01/1970,,12/05/2025,GCN-04\n"                    # nobody: for a person
)


def test_import_matches_staff_and_lists_conflicts_for_a_person(fp, school, staff, course):
    batch = services.completions_import(actor=fp, course=course, upload=csv_file(COMPLETIONS))
    assert (batch.rows_total, batch.rows_matched) == (4, 2)
    assert set(Completion.objects.filter(course=course).values_list("staff__full_name", flat=True)) == {
        "Nguyễn Văn An", "Trần Thị Bình"}
    pending = {p.full_name: p for p in PendingCompletion.objects.filter(batch=batch)}
    assert set(pending) == {"le van cuong", "Vũ Văn Lạ"}
    assert "2 cán bộ trùng họ tên" in pending["le van cuong"].reason
    assert ind3(school) == (2, 5)
    detail = selectors.course_detail(actor=fp, course=course)
    likely = {r["row"].full_name: r["likely"] for r in detail["open_rows"]}
    assert {s.id for s in likely["le van cuong"]} == {staff["cuong1"].id, staff["cuong2"].id}
    services.pending_resolve(actor=fp, row=pending["le van cuong"], staff=staff["cuong2"])
    services.pending_resolve(actor=fp, row=pending["Vũ Văn Lạ"], staff=None)
    assert ind3(school) == (3, 5)
    assert PendingCompletion.objects.get(id=pending["Vũ Văn Lạ"].id).status == RowStatus.DISMISSED
    with pytest.raises(DomainError, match="đã được xử lý"):
        services.pending_resolve(actor=fp, row=pending["le van cuong"], staff=staff["cuong1"])
    # the same file again adds no second completion for anyone
    services.completions_import(actor=fp, course=course, upload=csv_file(COMPLETIONS))
    assert Completion.objects.filter(course=course).count() == 3


@pytest.mark.parametrize("text, words", [
    ("Tên khóa,Điểm\nA,9\n", "Cần có các cột"),                                           # other columns
    ("Họ và tên,Ngày hoàn thành\nNguyễn Văn An,31/02/2025\n", "Dòng 2, cột “Ngày hoàn thành”"),
    ("Họ và tên,Ngày hoàn thành\nNguyễn Văn An,12/05/2025\n,12/05/2025\n", "Dòng 3, cột “Họ và tên”: còn trống"),
    ("Họ và tên,Mã cán bộ,Ngày hoàn thành\nNguyễn Văn An,CB01,12/05/2025\nAn,CB01,12/05/2025\n", "trùng người"),
    ("Họ và tên,Ngày hoàn thành\nNguyễn Văn An,01/01/2020\n", "trước ngày mở lớp"),
])
def test_a_faulty_file_imports_nothing_and_says_where(fp, school, staff, course, text, words):
    with pytest.raises(DomainError, match=words):
        services.completions_import(actor=fp, course=course, upload=csv_file(text))
    assert not Completion.objects.filter(course=course).exists()
    assert not PendingCompletion.objects.filter(batch__course=course).exists()


def test_a_file_of_another_type_is_refused(fp, course, staff):
    with pytest.raises(DomainError, match="xlsx hoặc tệp CSV"):
        services.completions_import(actor=fp, course=course, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))


MEMBERS = [["Mã đoàn viên", "Họ và tên", "Ngày sinh", "Ngày kết nạp"],
           ["DV001", "Đỗ Minh Khôi", date(2008, 4, 1), date(YEAR, 3, 26)],
           ["DV002", "Ngô Thị Lụa", "15/08/2008", "26/03/2025"],
           ["DV003", "Bùi Văn Nam", "02/02/2008", "26/03/2025"],
           ["DV004", "Bùi Văn Nam", "03/03/2008", "26/03/2025"],
           ["DV005", "Vũ Thị Oanh", "10/10/2007", "19/05/2024"]]


def ind2(school, year=YEAR):
    ids = {school.id}
    return (selectors.union_new_studied_by_unit(unit_ids=ids, year=year).get(school.id, 0),
            selectors.union_new_members_by_unit(unit_ids=ids, year=year).get(school.id, 0))


def test_members_and_the_app_export_give_indicator_2(fp, school):
    result = services.members_import(actor=fp, unit=school, upload=xlsx_file(MEMBERS))
    assert result == {"rows": 5, "added": 5, "already": 0}
    assert ind2(school) == (0, 4) and ind2(school, 2024) == (0, 1)
    export = ("Mã đoàn viên;Họ và tên;Ngày sinh;Ngày hoàn thành\n"
              "DV001;Do Minh Khoi;;20/03/2025\n"                       # exact by code
              ";ngo thi  lua;15/08/2008;21/03/2025\n"                  # name without diacritics + birth date
              "X9;Bùi Văn Nam;;22/03/2025\n"                           # two Nams and no birth date: for a person
              ";Người Lạ;01/01/2008;22/03/2025\n")                     # nobody
    batch = services.theory_import(actor=fp, unit=school, upload=csv_file(export, "tnvn.csv"))
    rows = {r.row_number: r for r in TheoryCompletion.objects.filter(batch=batch)}
    assert [rows[n].method for n in (2, 3, 4, 5)] == ["code", "name_birth", "", ""]
    assert ind2(school) == (2, 4)
    nam = UnionMember.objects.get(unit=school, member_code="DV004")
    services.theory_resolve(actor=fp, row=rows[4], member=nam)
    assert ind2(school) == (3, 4)
    services.theory_resolve(actor=fp, row=rows[5], member=None)
    assert ind2(school) == (3, 4)
    # the same register again: nothing doubled
    assert services.members_import(actor=fp, unit=school, upload=xlsx_file(MEMBERS))["added"] == 0


def test_a_register_with_a_code_twice_imports_nothing(fp, school):
    bad = MEMBERS + [["DV002", "Ngô Thị Lụa", "15/08/2008", "26/03/2025"]]
    with pytest.raises(DomainError, match="Dòng 7, cột “Mã đoàn viên”: mã “DV002” trùng với dòng 3"):
        services.members_import(actor=fp, unit=school, upload=xlsx_file(bad))
    assert not UnionMember.objects.filter(unit=school).exists()


def test_another_school_can_neither_see_nor_change_the_records(fp, school, staff, course, people, units):
    other = people["daumoi.thcscatba"]
    with pytest.raises(NotFound):
        services.staff_add(actor=other, unit=school, full_name="X")
    with pytest.raises(NotFound):
        selectors.get_course(actor=other, course_id=course.id)
    with pytest.raises(NotFound):
        selectors.unit_staff(actor=other, unit=school, year=YEAR)
    with pytest.raises(ScopeError):  # the leader reads, never writes
        services.staff_add(actor=people["lanhdao"], unit=school, full_name="X")
    assert selectors.unit_staff(actor=people["lanhdao"], unit=school, year=YEAR)
    # nor reach another school's staff through its own course
    own = services.course_create(actor=other, unit=units["thcs-cat-ba"], title="Lớp", organiser="Phòng GD",
                                 starts_on=date(YEAR, 1, 1), ends_on=date(YEAR, 1, 2), mode="online")
    with pytest.raises(NotFound):
        services.completion_add(actor=other, course=own, staff=staff["an"], completed_on=date(YEAR, 1, 2))


def test_pages_import_resolve_and_refuse_other_schools(client_for, fp, school, staff, course):
    c = client_for("daumoi.gdnn")
    assert c.get(f"/tap-huan/{SCHOOL}/").status_code == 200
    r = c.post(f"/tap-huan/khoa/{course.id}/", {"action": "import", "file": csv_file(COMPLETIONS)})
    assert r.status_code == 302
    page = c.get(f"/tap-huan/khoa/{course.id}/").content.decode()
    assert "Dòng cần ghép tay (2)" in page and "Vũ Văn Lạ" in page
    row = PendingCompletion.objects.get(full_name="le van cuong")
    assert c.post(f"/tap-huan/khoa/{course.id}/", {"action": "resolve", "row": row.id,
                                                   "staff": staff["cuong1"].id}).status_code == 302
    assert ind3(school) == (3, 5)
    bad = c.post(f"/tap-huan/khoa/{course.id}/", {"action": "import", "file": csv_file("a,b\n1,2\n")})
    assert bad.status_code == 200 and "Cần có các cột" in bad.content.decode()
    b = client_for("daumoi.thcscatba")
    assert b.get(f"/tap-huan/{SCHOOL}/").status_code == 404
    assert b.get(f"/tap-huan/khoa/{course.id}/").status_code == 404
    assert b.post(f"/tap-huan/{SCHOOL}/", {"action": "staff", "full_name": "X"}).status_code == 404
    assert b.get(f"/tap-huan/{SCHOOL}/doan-vien/").status_code == 404
    assert client_for("lanhdao").post(f"/tap-huan/{SCHOOL}/", {"action": "staff", "full_name": "X"}).status_code == 403


def test_resolving_without_choosing_says_so_and_changes_nothing(client_for, fp, school, staff, course):
    c = client_for("daumoi.gdnn")
    c.post(f"/tap-huan/khoa/{course.id}/", {"action": "import", "file": csv_file(COMPLETIONS)})
    row = PendingCompletion.objects.get(full_name="le van cuong")
    r = c.post(f"/tap-huan/khoa/{course.id}/", {"action": "resolve", "row": row.id, "staff": ""}, follow=True)
    assert "Chọn cán bộ để ghép" in r.content.decode()
    assert PendingCompletion.objects.get(id=row.id).status == RowStatus.OPEN
