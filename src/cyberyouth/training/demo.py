"""Demo records of the two vocational institutions of Cát Hải: a staff register with the
training courses of 2023–2025, newly admitted Union members and the "Thanh niên Việt Nam" app's
completion lists — so that indicators 2 and 3 of the demo's yearly reports come from records.
For 2026 (the open year) a completion export and an app export each leave rows for a person to
match. `figures_records` writes records that yield given figures (used by tests too)."""

import random
from datetime import date, timedelta

from django.db import transaction

from cyberyouth.orgs.models import Unit

from .models import (Attendance, Completion, CompletionImport, Course, MatchMethod, Mode, PendingCompletion, RowStatus,
                     Session, Source, StaffMember, TheoryCompletion, TheoryImport, UnionMember)
from .tables import name_key

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng", "Phan", "Đoàn"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hải", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hiếu", "Hoa", "Khánh", "Lan", "Linh", "Long", "Mai",
         "Nam", "Ngân", "Phúc", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Tú", "Vy", "Yến"]

# unit → year → (new members, of whom studied, staff doing student work, of whom trained)
FIGURES = {
    "gdnn-gdtx-cat-hai": {2023: (52, 30, 16, 8), 2024: (58, 41, 16, 11), 2025: (62, 52, 16, 14)},
    "cd-du-lich-cat-ba": {2023: (45, 25, 14, 7), 2024: (48, 35, 14, 10), 2025: (50, 44, 14, 12)},
}
COURSES = {
    2023: ("Tập huấn kỹ năng tuyên truyền, đấu tranh phản bác thông tin xấu độc trên không gian mạng",
           "Thành đoàn Hải Phòng", Mode.IN_PERSON, 16),
    2024: ("Bồi dưỡng phương pháp giáo dục học sinh, sinh viên sử dụng mạng xã hội an toàn",
           "Sở Giáo dục và Đào tạo Hải Phòng", Mode.BLENDED, 12),
    2025: ("Cập nhật kiến thức an ninh mạng và Quy tắc ứng xử trên mạng xã hội cho cán bộ làm công tác HSSV",
           "Công an thành phố Hải Phòng phối hợp Sở Giáo dục và Đào tạo", Mode.ONLINE, 8),
}


def _names(rng: random.Random, n: int) -> list[str]:
    return [f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(n)]


def _members(unit: Unit, year: int, n: int, rng: random.Random, *, start: int = 1) -> list[UnionMember]:
    made = [UnionMember(unit=unit, member_code=f"{unit.code[:4].upper()}{year}{i:04d}", full_name=name,
                        name_key=name_key(name), admitted_on=date(year, 3, 26),
                        birth_date=date(year - 17, rng.randint(1, 12), rng.randint(1, 28)))
            for i, name in enumerate(_names(rng, n), start=start)]
    return UnionMember.objects.bulk_create(made)


def _studied(unit: Unit, members: list[UnionMember], year: int) -> TheoryImport:
    batch = TheoryImport.objects.create(unit=unit, file_name=f"thanh-nien-viet-nam-{year}.xlsx")
    TheoryCompletion.objects.bulk_create([
        TheoryCompletion(batch=batch, row_number=i, member_code=m.member_code, full_name=m.full_name,
                         birth_date=m.birth_date, completed_on=date(year, 3, 20), member=m, method=MatchMethod.CODE,
                         status=RowStatus.MATCHED) for i, m in enumerate(members, start=2)])
    return batch


def figures_records(*, unit: Unit, year: int, members: int = 0, studied: int = 0, staff: int = 0,
                    trained: int = 0, seed: int = 0) -> None:
    """Records that make `unit`'s indicators 2 and 3 for `year` read members/studied and
    staff/trained: members admitted that year, staff in post that year only."""
    rng = random.Random(f"{unit.code}-{year}-{seed}")
    new = _members(unit, year, members, rng, start=UnionMember.objects.filter(unit=unit).count() + 1)
    if studied:
        _studied(unit, new[:studied], year)
    people = StaffMember.objects.bulk_create([
        StaffMember(unit=unit, full_name=name, name_key=name_key(name), joined_on=date(year, 1, 1),
                    left_on=date(year + 1, 1, 1)) for name in _names(rng, staff)])
    if trained:
        course = Course.objects.create(unit=unit, title=f"Tập huấn năm {year}", organiser="Thành đoàn",
                                       starts_on=date(year, 5, 1), ends_on=date(year, 5, 2))
        Completion.objects.bulk_create([Completion(course=course, staff=s, completed_on=date(year, 5, 2))
                                        for s in people[:trained]])


def _sessions(course: Course, completers: list[StaffMember], partial: list[StaffMember]) -> None:
    """The 2025 course's three sessions and their attendance: the completers at every one, two
    colleagues at the first only (short of the course's 80 %)."""
    topics = [("Nhận diện thông tin xấu độc, tin giả trên mạng xã hội", 3),
              ("Kỹ năng phản bác và lan tỏa thông tin tích cực", 3),
              ("Thực hành xử lý tình huống; Quy tắc ứng xử trên mạng xã hội", course.hours - 6)]
    sessions = [Session.objects.create(course=course, topic=t, held_on=course.starts_on + timedelta(days=i),
                                       mode=course.mode, hours=h, organiser=course.organiser)
                for i, (t, h) in enumerate(topics)]
    Attendance.objects.bulk_create([Attendance(session=x, staff=s) for x in sessions for s in completers]
                                   + [Attendance(session=sessions[0], staff=s) for s in partial])


@transaction.atomic
def load(*, actor) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=FIGURES)}
    if len(units) < len(FIGURES) or StaffMember.objects.filter(unit__in=units.values()).exists():
        return
    rng = random.Random(17)
    for code, years in FIGURES.items():
        unit = units[code]
        staff_total = max(f[2] for f in years.values())
        staff = StaffMember.objects.bulk_create([
            StaffMember(unit=unit, full_name=name, name_key=name_key(name), staff_code=f"CB{i:03d}",
                        birth_date=date(rng.randint(1970, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                        position=rng.choice(["Giáo viên chủ nhiệm", "Bí thư Đoàn trường", "Cán bộ phòng Công tác HSSV",
                                             "Phó Giám đốc", "Giáo viên tư vấn học đường"]),
                        joined_on=date(2018, 8, 15)) for i, name in enumerate(_names(rng, staff_total), start=1)])
        StaffMember.objects.create(unit=unit, full_name="Đinh Văn Kế", name_key=name_key("Đinh Văn Kế"),
                                   position="Kế toán", does_student_work=False, joined_on=date(2015, 1, 1))
        for year, (members, studied, _, trained) in years.items():
            title, organiser, mode, hours = COURSES[year]
            course = Course.objects.create(unit=unit, title=title, organiser=organiser, topic="Không gian mạng",
                                           starts_on=date(year, 6, 10), ends_on=date(year, 6, 12), mode=mode,
                                           hours=hours)
            # each year trains a different slice of the register, so that the counts differ by year
            chosen = [staff[(i + 5 * (year - 2023)) % len(staff)] for i in range(trained)]
            Completion.objects.bulk_create([
                Completion(course=course, staff=s, completed_on=date(year, 6, 12), certificate_no=f"{year}/GCN-{i:03d}",
                           source=Source.IMPORT) for i, s in enumerate(chosen, start=1)])
            if year == 2025:
                _sessions(course, chosen, [s for s in staff if s not in chosen][:2])
            new = _members(unit, year, members, rng)
            _studied(unit, new[:studied], year)
    # 2026, the open year, at the vocational centre: a course whose export left two rows to match,
    # and new members whose app export left two rows to match.
    unit = units["gdnn-gdtx-cat-hai"]
    staff = list(StaffMember.objects.filter(unit=unit, does_student_work=True).order_by("id"))
    course = Course.objects.create(unit=unit, title="Tập huấn nhận diện, phản bác thông tin xấu độc năm 2026",
                                   organiser="Thành đoàn Hải Phòng", topic="Không gian mạng",
                                   starts_on=date(2026, 4, 8), ends_on=date(2026, 4, 9), mode=Mode.IN_PERSON, hours=12)
    Completion.objects.bulk_create([Completion(course=course, staff=s, completed_on=date(2026, 4, 9),
                                               source=Source.IMPORT) for s in staff[:6]])
    batch = CompletionImport.objects.create(course=course, file_name="ket-qua-tap-huan-2026.xlsx", rows_total=8,
                                            rows_matched=6)
    for n, s in ((8, staff[6]), (9, staff[7])):
        typed = s.full_name.upper()  # the organiser's list: capitals, no birth date, one given name shortened
        PendingCompletion.objects.create(batch=batch, row_number=n, full_name=" ".join(typed.split()[:-1] + ["X."])
                                         if n == 9 else typed + " (GV)", completed_on=date(2026, 4, 9),
                                         reason="Không có cán bộ trùng họ tên trong sổ cán bộ.")
    from .services import certificates_issue

    certificates_issue(actor=actor, course=Course.objects.get(unit=unit, starts_on__year=2025))
    new = _members(unit, 2026, 20, rng)
    _studied(unit, new[:10], 2026)
    app = TheoryImport.objects.create(unit=unit, file_name="thanh-nien-viet-nam-2026-bo-sung.csv")
    for n, m in ((2, new[10]), (3, new[11])):
        TheoryCompletion.objects.create(batch=app, row_number=n, full_name=m.full_name.split()[-1] + " " +
                                        " ".join(m.full_name.split()[:-1]), completed_on=date(2026, 3, 15))
