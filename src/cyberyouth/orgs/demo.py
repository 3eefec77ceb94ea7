"""Demo units and people: Hải Phòng, Huyện Cát Hải until 30/6/2025, Đặc khu Cát Hải from
1/7/2025 as its successor — made through the merge operation itself — and demo schools."""

from datetime import date

from django.db import transaction

from . import services
from .models import Role, RoleAssignment, Unit, UnitType, User

DEMO_PASSWORD = "CatHai@2025"
BEFORE = date(2020, 1, 1)
MERGE_DAY = date(2025, 7, 1)

COMMUNES = [
    ("tt-cat-ba", "Thị trấn Cát Bà", UnitType.TOWNSHIP),
    ("tt-cat-hai", "Thị trấn Cát Hải", UnitType.TOWNSHIP),
    ("xa-dong-bai", "Xã Đồng Bài", UnitType.COMMUNE),
    ("xa-gia-luan", "Xã Gia Luận", UnitType.COMMUNE),
    ("xa-hien-hao", "Xã Hiền Hào", UnitType.COMMUNE),
    ("xa-hoang-chau", "Xã Hoàng Châu", UnitType.COMMUNE),
    ("xa-nghia-lo", "Xã Nghĩa Lộ", UnitType.COMMUNE),
    ("xa-phu-long", "Xã Phù Long", UnitType.COMMUNE),
    ("xa-tran-chau", "Xã Trân Châu", UnitType.COMMUNE),
    ("xa-van-phong", "Xã Văn Phong", UnitType.COMMUNE),
    ("xa-viet-hai", "Xã Việt Hải", UnitType.COMMUNE),
    ("xa-xuan-dam", "Xã Xuân Đám", UnitType.COMMUNE),
]

# (code, name, type, name from 1/7/2025 or None)
SCHOOLS = [
    ("mn-cat-ba", "Trường Mầm non Cát Bà", UnitType.KINDERGARTEN, None),
    ("mn-hoa-phuong", "Trường Mầm non Hoa Phượng", UnitType.KINDERGARTEN, None),
    ("th-cat-ba", "Trường Tiểu học Cát Bà", UnitType.PRIMARY, None),
    ("th-cat-hai", "Trường Tiểu học Cát Hải", UnitType.PRIMARY, None),
    ("th-thcs-hien-hao", "Trường Tiểu học và THCS Hiền Hào", UnitType.PRIMARY_LOWER_SECONDARY, None),
    ("th-thcs-phu-long", "Trường Tiểu học và THCS Phù Long", UnitType.PRIMARY_LOWER_SECONDARY, None),
    ("thcs-cat-ba", "Trường THCS Cát Bà", UnitType.LOWER_SECONDARY, None),
    ("thcs-cat-hai", "Trường THCS Cát Hải", UnitType.LOWER_SECONDARY, None),
    ("gdnn-gdtx-cat-hai", "Trung tâm Dạy nghề và Giáo dục thường xuyên huyện Cát Hải", UnitType.VOCATIONAL_CENTRE,
     "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên đặc khu Cát Hải"),
    ("cd-du-lich-cat-ba", "Phân hiệu Cát Bà - Trường Cao đẳng Du lịch Hải Phòng", UnitType.VOCATIONAL_COLLEGE, None),
]

# username, full name, role, unit code
PEOPLE = [
    ("thuongtruc", "Nguyễn Thị Thu Hà", Role.ADMIN, "hp-dk-cat-hai"),
    ("thuongtruc", "Nguyễn Thị Thu Hà", Role.FOCAL_POINT, "hp-cat-hai-nvldtbxh"),
    ("daumoi.thcscatba", "Trần Văn Hùng", Role.FOCAL_POINT, "thcs-cat-ba"),
    ("daumoi.gdnn", "Phạm Thị Lan", Role.FOCAL_POINT, "gdnn-gdtx-cat-hai"),
    ("daumoi.thcscathai", "Đinh Thị Hoa", Role.FOCAL_POINT, "thcs-cat-hai"),
    ("doan", "Vũ Minh Đức", Role.YOUTH_UNION, "hp-dk-cat-hai"),
    ("kiemduyet", "Lê Thị Mai", Role.MODERATOR, "hp-dk-cat-hai"),
    ("tuvan", "Hoàng Thị Ngọc", Role.COUNSELLOR, "hp-dk-cat-hai"),
    ("lanhdao", "Đỗ Quang Minh", Role.LEADER, "hp-dk-cat-hai"),
]
# An account that holds the student role with no class list behind it — as accounts given the role
# before schools kept their lists here. No page can make one now (`services.role_grant` refuses the
# role: a student's account comes from the class list, with the family's consent); its home says
# so and still offers help (`students.views.student_home`).
ROSTERLESS_STUDENT = ("hocsinh", "Học sinh Cát Bà 01", "thcs-cat-ba")


@transaction.atomic
def load(*, actor: User) -> None:
    if Unit.objects.filter(code="hp").exists():
        return
    hp = services.unit_create(actor=actor, code="hp", name="Thành phố Hải Phòng", unit_type=UnitType.PROVINCE,
                              parent=None, valid_from=BEFORE, official_code="31", is_demo=True)
    district = services.unit_create(actor=actor, code="hp-cat-hai", name="Huyện Cát Hải", unit_type=UnitType.DISTRICT,
                                    parent=hp, valid_from=BEFORE, is_demo=True)
    agency = services.unit_create(
        actor=actor, code="hp-cat-hai-nvldtbxh", name="Phòng Nội vụ, Lao động - Thương binh và Xã hội huyện Cát Hải",
        unit_type=UnitType.AGENCY, parent=district, valid_from=BEFORE, is_demo=True)
    union = services.unit_create(actor=actor, code="hp-cat-hai-doan", name="Huyện Đoàn Cát Hải",
                                 unit_type=UnitType.YOUTH_UNION, parent=district, valid_from=BEFORE, is_demo=True)
    communes = [
        services.unit_create(actor=actor, code=f"hp-cat-hai-{code}", name=name, unit_type=kind, parent=district,
                             valid_from=BEFORE, is_demo=True)
        for code, name, kind in COMMUNES
    ]
    schools = {
        code: services.unit_create(actor=actor, code=code, name=name, unit_type=kind, parent=district,
                                   valid_from=BEFORE, is_demo=True)
        for code, name, kind, _ in SCHOOLS
    }
    services.unit_create(actor=actor, code="thpt-cat-ba", name="Trường THPT Cát Bà", unit_type=UnitType.UPPER_SECONDARY,
                         parent=hp, valid_from=BEFORE, is_demo=True)

    # 1/7/2025: the district and all its towns and communes become Đặc khu Cát Hải.
    zone = services.units_merge(
        actor=actor, sources=[district, *communes], effective_date=MERGE_DAY, parent=hp,
        new_unit=services.NewUnit(code="hp-dk-cat-hai", name="Đặc khu Cát Hải", unit_type=UnitType.SPECIAL_ZONE,
                                  official_code="11914", is_demo=True),
        legal_basis="Nghị quyết số 1669/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội",
        note="Sắp xếp đơn vị hành chính cấp xã của thành phố Hải Phòng năm 2025; bỏ cấp huyện.",
    )
    services.unit_rename(actor=actor, unit=agency, new_name="Phòng Văn hóa - Xã hội đặc khu Cát Hải",
                         effective_date=MERGE_DAY, legal_basis="Tổ chức lại cơ quan chuyên môn từ 01/7/2025")
    services.unit_rename(actor=actor, unit=union, new_name="Đoàn Thanh niên đặc khu Cát Hải",
                         effective_date=MERGE_DAY, legal_basis="Tổ chức lại tổ chức Đoàn từ 01/7/2025")
    for code, _, _, new_name in SCHOOLS:
        if new_name:
            services.unit_rename(actor=actor, unit=schools[code], new_name=new_name, effective_date=MERGE_DAY)
    assert zone.code == "hp-dk-cat-hai"

    for username, full_name, role, unit_code in PEOPLE:
        services.role_grant(actor=actor, user=_account(actor, username, full_name), role=role,
                            unit=Unit.objects.get(code=unit_code), valid_from=date(2023, 1, 1))
    username, full_name, unit_code = ROSTERLESS_STUDENT
    RoleAssignment.objects.get_or_create(user=_account(actor, username, full_name), role=Role.STUDENT,
                                         unit=Unit.objects.get(code=unit_code), defaults={"valid_from": date(2023, 1, 1)})


def _account(actor: User, username: str, full_name: str) -> User:
    """A demo account, made once (a reserved domain: demo mail never reaches anyone)."""
    return User.objects.filter(username=username).first() or services.user_create(
        actor=actor, username=username, full_name=full_name, password=DEMO_PASSWORD,
        email=f"{username}@cathai.example")
