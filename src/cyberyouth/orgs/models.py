"""The unit tree with its history, people, and the roles they hold on units.

A unit's identity (code, type, life span) lives in `Unit`; its name and parent over time
live in `UnitVersion` rows with half-open validity [valid_from, valid_to). `Unit.name` and
`Unit.parent` cache the latest version for listings; only `orgs.services` writes either.
"""

import hashlib
from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q

from cyberyouth.lib.collation import Vietnamese


class UnitType(models.TextChoices):
    PROVINCE = "province", "Tỉnh / thành phố"
    DISTRICT = "district", "Huyện / quận"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    TOWNSHIP = "township", "Thị trấn"
    AGENCY = "agency", "Cơ quan, phòng ban"
    YOUTH_UNION = "youth_union", "Đoàn Thanh niên"
    KINDERGARTEN = "kindergarten", "Trường mầm non"
    PRIMARY = "primary", "Trường tiểu học"
    PRIMARY_LOWER_SECONDARY = "primary_lower_secondary", "Trường tiểu học và THCS"
    LOWER_SECONDARY = "lower_secondary", "Trường THCS"
    UPPER_SECONDARY = "upper_secondary", "Trường THPT"
    VOCATIONAL_CENTRE = "vocational_centre", "Trung tâm GDNN - GDTX"
    VOCATIONAL_COLLEGE = "vocational_college", "Trường cao đẳng nghề"


ADMINISTRATIVE_TYPES = frozenset(
    {UnitType.PROVINCE, UnitType.DISTRICT, UnitType.SPECIAL_ZONE, UnitType.COMMUNE, UnitType.WARD, UnitType.TOWNSHIP}
)
SCHOOL_TYPES = frozenset(
    {
        UnitType.KINDERGARTEN, UnitType.PRIMARY, UnitType.PRIMARY_LOWER_SECONDARY, UnitType.LOWER_SECONDARY,
        UnitType.UPPER_SECONDARY, UnitType.VOCATIONAL_CENTRE, UnitType.VOCATIONAL_COLLEGE,
    }
)
# GDNN institutions: the population of indicators 2–5.
VOCATIONAL_TYPES = frozenset({UnitType.VOCATIONAL_CENTRE, UnitType.VOCATIONAL_COLLEGE})


class Unit(models.Model):
    code = models.SlugField("mã", max_length=40, unique=True)
    official_code = models.CharField("mã hành chính", max_length=20, blank=True, db_index=True)
    unit_type = models.CharField("loại đơn vị", max_length=32, choices=UnitType.choices, db_index=True)
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("chấm dứt từ", null=True, blank=True)
    is_demo = models.BooleanField("dữ liệu mẫu", default=False)
    # Cache of the latest UnitVersion (see module docstring).
    name = models.CharField("tên", max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = [Vietnamese("name")]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="unit_valid_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    @property
    def is_school(self) -> bool:
        return self.unit_type in SCHOOL_TYPES

    @property
    def last_day(self) -> date | None:
        return self.valid_to - timedelta(days=1) if self.valid_to else None


class Reorganisation(models.Model):
    """One operation on the tree, with its legal basis. Units and versions point back to it."""

    class Kind(models.TextChoices):
        CREATE = "create", "Thành lập"
        RENAME = "rename", "Đổi tên"
        MOVE = "move", "Chuyển đơn vị quản lý"
        MERGE = "merge", "Sáp nhập"
        SPLIT = "split", "Chia tách"
        DISSOLVE = "dissolve", "Giải thể"

    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    effective_date = models.DateField("ngày hiệu lực", db_index=True)
    legal_basis = models.CharField("căn cứ", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey("orgs.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = "sắp xếp đơn vị"
        verbose_name_plural = "sắp xếp đơn vị"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


class UnitVersion(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField("tên", max_length=200)
    parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reorganisation = models.ForeignKey(Reorganisation, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitversion_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="unitversion_valid_range"
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from} – {self.valid_to or '…'})"


class UnitSuccession(models.Model):
    """`successor` carries on `predecessor` from `effective_date`; `share` of it for a split."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    effective_date = models.DateField()
    share = models.DecimalField(max_digits=5, decimal_places=4, default=1)
    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.PROTECT, related_name="successions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="succession_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class User(AbstractUser):
    """A person. Students are stored with the least data: a login and a display name."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    # Set for an account given a temporary password (a new account): the person must choose
    # their own before doing anything else; cleared when they do.
    must_change_password = models.BooleanField("phải đổi mật khẩu tạm", default=False)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị cơ quan thường trực"
    FOCAL_POINT = "focal_point", "Đầu mối đơn vị"
    YOUTH_UNION = "youth_union", "Cán bộ Đoàn"
    MODERATOR = "moderator", "Kiểm duyệt viên"
    COUNSELLOR = "counsellor", "Tư vấn viên tổng đài"
    HELPLINE_SUPERVISOR = "hl_supervisor", "Giám sát tổng đài"
    LEADER = "leader", "Lãnh đạo (chỉ xem)"
    STUDENT = "student", "Học sinh"
    HOMEROOM_TEACHER = "homeroom", "Giáo viên chủ nhiệm"


class RoleAssignment(models.Model):
    """A role held on a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments")
    valid_from = models.DateField(default=date.today)
    valid_to = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.unit}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
