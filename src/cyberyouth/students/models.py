"""Students, the classes they are in year by year, consent to keep their named data, and the
records indicators 1 (Code of Conduct) and 4 (safe-use teaching) are computed from.

A student belongs to one school (`Student.unit`, the school that answers for them now) and is
in at most one class at a time: `Enrolment` rows with half-open validity [valid_from, valid_to)
keep every class they were ever in, with the school of the time, so that a school keeps its
past figures after a student moves on.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class SchoolYear(models.Model):
    """A school year, e.g. 2025–2026 (from about 5 September to the end of May)."""

    name = models.CharField("năm học", max_length=20, unique=True)
    starts_on = models.DateField("bắt đầu")
    ends_on = models.DateField("kết thúc")

    class Meta:
        ordering = ["starts_on"]
        verbose_name = "năm học"
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="schoolyear_dates")]

    def __str__(self) -> str:
        return self.name

    @property
    def start_year(self) -> int:
        return self.starts_on.year


class SchoolClass(models.Model):
    """A class of a school in a school year: a grade (1–12) and a name such as "6A", or a
    vocational programme and cohort. The homeroom teacher sees and acts on this class only."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="classes", verbose_name="trường")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classes")
    name = models.CharField("lớp", max_length=60)
    grade = models.PositiveSmallIntegerField("khối", null=True, blank=True)
    programme = models.CharField("ngành, khóa", max_length=120, blank=True)
    homeroom_teacher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="homeroom_classes", verbose_name="giáo viên chủ nhiệm")

    class Meta:
        ordering = ["grade", "name"]
        verbose_name = "lớp"
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year", "name"], name="class_unique_name"),
            models.CheckConstraint(condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=12), name="class_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"


class Gender(models.TextChoices):
    FEMALE = "F", "Nữ"
    MALE = "M", "Nam"


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Đang học"
    AWAITING = "awaiting", "Chuyển đến, chờ xếp lớp"
    LEFT = "left", "Đã nghỉ học"
    GRADUATED = "graduated", "Đã tốt nghiệp"


class Student(models.Model):
    """A student of a school. Named data (name, date of birth, parent's name and contact) is
    kept only for the school's records and with consent for anything beyond; it is
    de-identified on withdrawal and a set time after the student left."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="students", verbose_name="trường")
    full_name = models.CharField("họ và tên", max_length=120)
    sort_key = models.CharField(max_length=400, db_index=True, editable=False)
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=1, choices=Gender.choices, blank=True)
    student_code = models.CharField("mã học sinh", max_length=30, blank=True)
    guardian_name = models.CharField("cha mẹ / người giám hộ", max_length=120, blank=True)
    guardian_contact = models.CharField("liên hệ của cha mẹ", max_length=120, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=StudentStatus.choices,
                              default=StudentStatus.ENROLLED, db_index=True)
    left_on = models.DateField("ngày rời trường", null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="student")
    deidentified_at = models.DateTimeField("đã ẩn danh lúc", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = "học sinh"
        verbose_name_plural = "học sinh"
        constraints = [models.UniqueConstraint(fields=["unit", "student_code"], condition=~Q(student_code=""),
                                               name="student_code_unique_per_school")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        from .naming import sort_key

        self.sort_key = sort_key(self.full_name)
        super().save(*args, **kwargs)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class EndReason(models.TextChoices):
    PROMOTED = "promoted", "Lên lớp"
    REPEATED = "repeated", "Ở lại lớp"
    MOVED = "moved", "Chuyển lớp"
    TRANSFERRED = "transferred", "Chuyển trường"
    LEFT = "left", "Nghỉ học"
    GRADUATED = "graduated", "Tốt nghiệp"


class Enrolment(models.Model):
    """A student in a class over [valid_from, valid_to). `unit` is the class's school, kept so
    the school's past figures stay its own after the student moves."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrolments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    end_reason = models.CharField("lý do kết thúc", max_length=12, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = "xếp lớp"
        constraints = [
            models.UniqueConstraint(fields=["student"], condition=Q(valid_to__isnull=True), name="one_open_enrolment"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                                   name="enrolment_dates"),
        ]
        indexes = [models.Index(fields=["unit", "valid_from", "valid_to"], name="enrolment_unit_dates")]


class ConsentPurpose(models.TextChoices):
    ACCOUNT = "account", "Tài khoản và tham gia có ghi tên"
    PUBLIC_NAME = "public_name", "Tên trên bảng xếp hạng công khai, giấy chứng nhận"
    PHOTOS = "photos", "Ảnh của học sinh"


class ConsentMethod(models.TextChoices):
    PAPER = "paper", "Phiếu giấy có chữ ký (giáo viên ghi nhận, kèm bản quét)"
    ONLINE = "online", "Phụ huynh xác nhận trực tuyến bằng mã trên thư"


class Consent(models.Model):
    """Consent to one purpose for one student: the parent's or guardian's, and the student's own
    when aged 7 or more (Law 91/2025/QH15). Silence is not consent: no row, no consent. A
    withdrawn consent keeps its row (who, when) with `withdrawn_at` set."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField("mục đích", max_length=12, choices=ConsentPurpose.choices)
    guardian_name = models.CharField("người đồng ý (cha mẹ / người giám hộ)", max_length=120)
    student_agreed = models.BooleanField("học sinh cùng đồng ý", default=False)
    method = models.CharField("hình thức", max_length=8, choices=ConsentMethod.choices)
    signed_on = models.DateField("ngày ký / xác nhận")
    scan = models.FileField("bản quét phiếu", upload_to="consents/%Y/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField("rút lại lúc", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawal_note = models.CharField("ghi chú rút lại", max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = "đồng ý xử lý dữ liệu"
        constraints = [models.UniqueConstraint(fields=["student", "purpose"], condition=Q(withdrawn_at__isnull=True),
                                               name="one_live_consent_per_purpose")]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_purpose_display()}"


class ConsentCode(models.Model):
    """A one-time code printed on a family's consent letter; only its hash is stored."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="consent_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)


class LoginCode(models.Model):
    """A one-time code printed for a student to sign in the first time and choose a password;
    only its hash is stored. A new sheet for the class replaces the unused codes."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class SessionForm(models.TextChoices):
    FLAG_CEREMONY = "flag", "Chào cờ"
    CLASS_MEETING = "class", "Sinh hoạt lớp"
    EXTRACURRICULAR = "extra", "Ngoại khóa"
    ONLINE = "online", "Trực tuyến"


class ConductSession(models.Model):
    """A propaganda session on the Code of Conduct on social networks (Decision 874/QĐ-BTTTT)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="trường")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("ngày")
    form = models.CharField("hình thức", max_length=8, choices=SessionForm.choices)
    classes = models.ManyToManyField(SchoolClass, related_name="conduct_sessions", verbose_name="các lớp")
    materials = models.CharField("tài liệu", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "buổi tuyên truyền Quy tắc ứng xử"


class AckSource(models.TextChoices):
    APP = "app", "Học sinh cam kết trên ứng dụng"
    PAPER = "paper", "Sổ cam kết giấy (giáo viên ghi nhận)"


class ConductAcknowledgement(models.Model):
    """A student's commitment to follow the Code in a school year."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="acknowledgements")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    acknowledged_on = models.DateField("ngày cam kết")
    source = models.CharField("cách ghi nhận", max_length=6, choices=AckSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "cam kết thực hiện Quy tắc ứng xử"
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="one_ack_per_year")]


class ConductViolation(models.Model):
    """A school's decision that a student did not follow the Code in a school year (with a reason)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="violations")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("ngày quyết định")
    reason = models.CharField("lý do", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class SafetyLesson(models.Model):
    """A lesson on using cyberspace safely, positively and effectively, taught to one class."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="safety_lessons")
    held_on = models.DateField("ngày")
    topic = models.CharField("chủ đề", max_length=200)
    teacher_name = models.CharField("giáo viên", max_length=120)
    material = models.CharField("tài liệu", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "tiết học kỹ năng an toàn trên không gian mạng"
