"""The role table — data: what each role may read and do, and on which units of its subtree.

A role held on a unit grants each of its capabilities over that unit's subtree (and, for reads,
the history the subtree carries on). A capability limited to unit types reaches only those
units inside the subtree: the Youth Union officer, whose role sits on the special zone, records
progress and keeps channels for the Union's own units, not for every school.

`orgs.selectors` is the only reader of this table. The README's role table is generated from
it, and a test walks every role × page × API operation against it.
"""

from collections.abc import Iterable

from .models import Role, UnitType

EVERY_UNIT = None  # the capability reaches every unit of the subtree
UNION_UNITS = frozenset({UnitType.YOUTH_UNION})

# Pseudo-role of Django superusers (the system administrator): every capability on every unit.
SUPERUSER = "superuser"

# capability → what it allows, in the words of the README's role table.
CAPABILITY_LABELS: dict[str, str] = {
    "unit.read": "xem cây đơn vị",
    "plan.read": "xem kế hoạch và nhiệm vụ",
    "progress.read": "xem tiến độ và minh chứng",
    "indicator.read": "xem số liệu chỉ tiêu, bảng tổng hợp",
    "report.read": "xem văn bản, báo cáo đã lập",
    "channel.read": "xem kênh thông tin",
    "training.read": "xem sổ cán bộ, tập huấn, đoàn viên mới",
    "monitoring.read": "xem thống kê giám sát nội dung",
    "audit.read": "xem nhật ký hệ thống",
    "people.read": "xem người dùng và phân quyền",
    "unit.reorganise": "sắp xếp đơn vị",
    "people.manage": "quản lý người dùng, phân quyền",
    "plan.manage": "quản lý kế hoạch",
    "plan.child": "lập kế hoạch chi tiết của đơn vị",
    "progress.record": "cập nhật tiến độ, minh chứng",
    "period.manage": "mở, khóa kỳ báo cáo",
    "indicator.manage": "quản lý định nghĩa chỉ tiêu",
    "data.enter": "nhập số liệu chỉ tiêu",
    "data.approve": "duyệt số liệu chỉ tiêu",
    "channel.manage": "quản lý kênh thông tin",
    "training.manage": "quản lý sổ cán bộ, tập huấn, đoàn viên mới và kết quả học tập",
    "report.manage": "lập báo cáo của địa bàn",
    "report.school": "lập báo cáo của trường",
    "monitoring.manage": "quản lý nguồn, danh mục giám sát",
    "monitoring.school": "xem hàng đợi của trường khi được cấp",
    "content.moderate": "kiểm duyệt nội dung",
    "campaign.manage": "quản lý chiến dịch tuyên truyền",
    "campaign.read": "xem lịch ngày kỷ niệm, chiến dịch, bài đăng tin tốt – chuyện đẹp và mức thực hiện",
    "campaign.post": "ghi, phân loại bài đăng tin tốt, câu chuyện đẹp của đơn vị",
    "commendation.propose": "đề nghị khen thưởng tập thể, cá nhân thực hiện tốt phong trào tin tốt – chuyện đẹp",
    "commendation.approve": "duyệt đề nghị, ra quyết định khen thưởng, cấp giấy khen",
    "helpline.counsel": "tư vấn, xử lý ca tổng đài",
    "helpline.supervise": "giám sát tổng đài: phân công, mở lại ca, xem nhật ký mở ca",
    "helpline.stats": "xem thống kê tổng đài (không có nội dung ca)",
    "helpline.manage": "cấu hình tổng đài: giờ phục vụ, lịch trực, thời hạn",
    "calendar.manage": "sửa lịch nghỉ lễ, ngày làm bù",
    "student.participate": "tham gia thi, khảo sát, đối thoại",
    "contest.read": "xem cuộc thi trực tuyến, kết quả, mức tham gia",
    "contest.manage": "tổ chức cuộc thi: ngân hàng câu hỏi, duyệt câu hỏi, vòng thi, xét giải",
    # held by no role, only by system administrators (superusers): the roots of the tree, the
    # history of units that have ceased, people who hold no role anywhere, past years' figures
    # entered from paper records
    "system.manage": "quản trị hệ thống",
    "data.history": "nhập số liệu lịch sử từ hồ sơ giấy",
    "student.read": "xem danh sách lớp, học sinh của trường",
    "student.manage": "quản lý lớp, nhập danh sách học sinh, lên lớp, chuyển trường",
    "class.teach": "chủ nhiệm: xem và cập nhật lớp mình chủ nhiệm",
    "consent.record": "ghi nhận, rút lại đồng ý của phụ huynh, học sinh",
    "conduct.record": "ghi buổi tuyên truyền, cam kết Quy tắc ứng xử, tiết học an toàn",
    "schoolyear.manage": "quản lý năm học",
    "dialogue.read": "xem đối thoại với học sinh và mức thực hiện",
    "dialogue.manage": "tổ chức đối thoại với học sinh: kế hoạch, duyệt câu hỏi, điều hành, biên bản, cam kết",
    "dialogue.remind": "nhắc các trường chưa tổ chức đối thoại",
    "library.read": "xem thư viện sản phẩm truyền thông (cả sản phẩm chưa duyệt)",
    "library.manage": "đăng sản phẩm truyền thông, dẫn sản phẩm trong chiến dịch",
    "library.approve": "duyệt sản phẩm truyền thông trước khi công bố",
    "budget.read": "xem dự toán, kinh phí thực hiện",
    "budget.enter": "nhập dự toán, kinh phí thực hiện của đơn vị",
    "budget.approve": "duyệt, trả lại, mở lại báo cáo kinh phí",
    "team.read": "xem đội thanh niên tình nguyện, câu lạc bộ và hoạt động",
    "team.manage": "quản lý đội, câu lạc bộ, thành viên, hoạt động; kiểm duyệt diễn đàn câu lạc bộ",
    "survey.manage": "soạn, phát hành, đóng khảo sát ẩn danh học sinh",
    "survey.results": "xem kết quả tổng hợp khảo sát học sinh (nhóm từ 5 em)",
}

_STAFF_READS = {"unit.read": EVERY_UNIT, "plan.read": EVERY_UNIT, "progress.read": EVERY_UNIT,
                "indicator.read": EVERY_UNIT, "report.read": EVERY_UNIT, "channel.read": EVERY_UNIT,
                "training.read": EVERY_UNIT, "dialogue.read": EVERY_UNIT, "library.read": EVERY_UNIT,
                "budget.read": EVERY_UNIT}

ROLE_CAPABILITIES: dict[str, dict[str, frozenset[str] | None]] = {
    Role.ADMIN: {
        **_STAFF_READS,
        **dict.fromkeys((
            "monitoring.read", "audit.read", "people.read", "unit.reorganise", "people.manage", "plan.manage",
            "progress.record", "period.manage", "indicator.manage", "data.enter", "data.approve", "channel.manage",
            "report.manage", "monitoring.manage", "helpline.stats", "helpline.manage", "calendar.manage",
            "schoolyear.manage", "training.manage", "campaign.read", "campaign.manage", "dialogue.remind",
            "commendation.propose", "commendation.approve",
            "library.manage", "library.approve", "budget.enter", "budget.approve",
            "team.read", "team.manage",
            "contest.read", "contest.manage",
            "survey.manage", "survey.results",
        ), EVERY_UNIT),
    },
    Role.FOCAL_POINT: {
        **_STAFF_READS,
        **dict.fromkeys(("progress.record", "plan.child", "data.enter", "channel.manage", "report.school",
                         "monitoring.school", "student.read", "student.manage", "consent.record",
                         "conduct.record", "training.manage", "campaign.read", "campaign.post",
                         "dialogue.manage", "commendation.propose", "library.manage", "budget.enter", "team.read",
                         "team.manage", "contest.read", "contest.manage",
                         "survey.manage", "survey.results"), EVERY_UNIT),
    },
    Role.YOUTH_UNION: {
        "unit.read": EVERY_UNIT, "plan.read": EVERY_UNIT, "channel.read": EVERY_UNIT,
        "progress.read": UNION_UNITS, "progress.record": UNION_UNITS, "channel.manage": UNION_UNITS,
        "campaign.manage": EVERY_UNIT, "campaign.read": EVERY_UNIT, "campaign.post": UNION_UNITS,
        "library.read": EVERY_UNIT, "library.manage": UNION_UNITS, "library.approve": EVERY_UNIT,
        "team.read": EVERY_UNIT, "team.manage": UNION_UNITS,
        "contest.read": EVERY_UNIT, "contest.manage": UNION_UNITS,
    },
    Role.MODERATOR: {"unit.read": EVERY_UNIT, "channel.read": EVERY_UNIT, "monitoring.read": EVERY_UNIT,
                     "content.moderate": EVERY_UNIT},
    Role.COUNSELLOR: {"unit.read": EVERY_UNIT, "helpline.counsel": EVERY_UNIT},
    Role.HELPLINE_SUPERVISOR: {"unit.read": EVERY_UNIT, "helpline.counsel": EVERY_UNIT, "helpline.supervise": EVERY_UNIT,
                               "helpline.stats": EVERY_UNIT, "helpline.manage": EVERY_UNIT},
    Role.LEADER: {**_STAFF_READS, "monitoring.read": EVERY_UNIT, "audit.read": EVERY_UNIT, "helpline.stats": EVERY_UNIT,
                  "campaign.read": EVERY_UNIT, "team.read": EVERY_UNIT, "contest.read": EVERY_UNIT,
                  "survey.results": EVERY_UNIT},
    Role.STUDENT: {"unit.read": EVERY_UNIT, "student.participate": EVERY_UNIT},
    # A homeroom teacher's role sits on the school; the students app narrows it to their own classes.
    Role.HOMEROOM_TEACHER: {"unit.read": EVERY_UNIT, "class.teach": EVERY_UNIT, "consent.record": EVERY_UNIT,
                            "conduct.record": EVERY_UNIT},
}


def grants(role: str, capability: str) -> tuple[bool, frozenset[str] | None]:
    """(whether `role` holds `capability`, the unit types it is limited to — None for all)."""
    if role == SUPERUSER:
        return True, EVERY_UNIT
    table = ROLE_CAPABILITIES.get(role, {})
    return capability in table, table.get(capability)


def capabilities_of(roles: Iterable[str]) -> set[str]:
    """Every capability any of `roles` holds somewhere (for menus: what to offer at all)."""
    if SUPERUSER in roles:
        return set(CAPABILITY_LABELS)
    return {cap for role in roles for cap in ROLE_CAPABILITIES.get(role, {})}


# Capabilities that only let one read, though their names do not end in ".read".
READ_ONLY = frozenset({"helpline.stats", "monitoring.school", "survey.results"})


def is_read(capability: str) -> bool:
    """Whether `capability` only lets one read (the README's "được xem" column; least power)."""
    return capability.endswith(".read") or capability in READ_ONLY


def _cell(table: dict, caps: list[str]) -> str:
    return "; ".join(CAPABILITY_LABELS[c] + ("" if table[c] is None else " (chỉ các đơn vị Đoàn)")
                     for c in caps) or "—"


def role_table_markdown() -> str:
    """The role table as the README shows it: one row per role, what it may read and do."""
    from .models import Role

    lines = ["| vai trò | được xem | được làm |", "|---|---|---|"]
    for role in Role:
        table = ROLE_CAPABILITIES.get(role, {})
        reads = [c for c in table if is_read(c)]
        acts = [c for c in table if not is_read(c)]
        lines.append(f"| {role.label} | {_cell(table, reads)} | {_cell(table, acts)} |")
    return "\n".join(lines)
