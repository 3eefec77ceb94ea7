"""Staff who do student work and their training (indicator 3); newly admitted Union members and
their political-theory completions on the "Thanh niên Việt Nam" app (indicator 2).

Rows of an imported file that match no one (or more than one person) are kept as open rows
for a person to resolve; only matched rows become completions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class StaffMember(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staff_members", verbose_name="đơn vị")
    full_name = models.CharField("họ và tên", max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)  # lib.text.fold of the name
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    staff_code = models.CharField("mã cán bộ", max_length=50, blank=True)
    position = models.CharField("chức vụ", max_length=200, blank=True)
    does_student_work = models.BooleanField("làm công tác học sinh, sinh viên", default=True)
    joined_on = models.DateField("bắt đầu công tác tại đơn vị", null=True, blank=True)
    left_on = models.DateField("thôi công tác từ", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cán bộ"
        constraints = [models.UniqueConstraint(fields=["unit", "staff_code"], condition=~Q(staff_code=""),
                                               name="training_staff_code_unique_per_unit")]

    def __str__(self):
        return self.full_name


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    BLENDED = "blended", "Kết hợp"


class Course(models.Model):
    """A training course the unit's staff attended (organised by the unit or by another body)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="courses", verbose_name="đơn vị ghi nhận")
    title = models.CharField("tên lớp tập huấn", max_length=300)
    organiser = models.CharField("đơn vị tổ chức", max_length=300)
    topic = models.CharField("chủ đề", max_length=300, blank=True)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    mode = models.CharField("hình thức", max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    hours = models.PositiveIntegerField("số giờ", default=0)
    # Indicator 3 counts training on propaganda and struggle on cyberspace only.
    counts_for_indicator = models.BooleanField("về tuyên truyền, đấu tranh trên không gian mạng (tính chỉ tiêu 3)",
                                               default=True)
    # The completion rule of a course with sessions: attended at least this share of its hours.
    min_attendance_percent = models.PositiveSmallIntegerField("tỷ lệ giờ dự tối thiểu để hoàn thành (%)", default=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lớp tập huấn"

    def __str__(self):
        return self.title


class Source(models.TextChoices):
    MANUAL = "manual", "Nhập tay"
    IMPORT = "import", "Nhập từ tệp"
    RESOLVED = "resolved", "Ghép tay từ tệp"
    ATTENDANCE = "attendance", "Theo điểm danh"


class Completion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions", verbose_name="lớp tập huấn")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="completions", verbose_name="cán bộ")
    completed_on = models.DateField("ngày hoàn thành")
    certificate_no = models.CharField("số giấy chứng nhận", max_length=100, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "staff"], name="training_completion_once")]

    def __str__(self):
        return f"{self.staff} — {self.course}"


class Session(models.Model):
    """One session of a course (a day, a morning, an online meeting): what attendance is taken on."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name="lớp tập huấn")
    topic = models.CharField("chủ đề buổi học", max_length=300)
    organiser = models.CharField("người / đơn vị phụ trách", max_length=300, blank=True)
    held_on = models.DateField("ngày học")
    mode = models.CharField("hình thức", max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    hours = models.DecimalField("số giờ", max_digits=4, decimal_places=1)
    place = models.CharField("địa điểm hoặc đường dẫn", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "buổi học"
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_positive")]

    def __str__(self):
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class Attendance(models.Model):
    """A staff member present at a session (a row only for those present)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="attendances")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="training_attendance_once")]


class Certificate(models.Model):
    """A certificate of completion (Open edX's GeneratedCertificate: one per person and course,
    a verification code, revocation as a state). The code is printed on the document and checked
    on the public verification page; it grants nothing, so it is stored as it is."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="certificates")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("số giấy chứng nhận", max_length=100)
    code = models.CharField("mã xác minh", max_length=12, unique=True)
    issued_on = models.DateField("ngày cấp")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoke_reason = models.CharField("lý do thu hồi", max_length=300, blank=True)

    class Meta:
        verbose_name = "giấy chứng nhận"
        constraints = [models.UniqueConstraint(fields=["course", "staff"], condition=Q(revoked_at__isnull=True),
                                               name="training_one_live_certificate")]

    def __str__(self):
        return self.number


class RowStatus(models.TextChoices):
    OPEN = "open", "Chờ ghép"
    MATCHED = "matched", "Đã ghép"
    DISMISSED = "dismissed", "Bỏ qua"


class CompletionImport(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rows_total = models.PositiveIntegerField("số dòng trong tệp", default=0)
    rows_matched = models.PositiveIntegerField("số dòng khớp ngay", default=0)

    def __str__(self):
        return f"{self.file_name} ({self.course})"


class PendingCompletion(models.Model):
    """A row of a completion file that matched no staff member, or several: for a person to match."""

    batch = models.ForeignKey(CompletionImport, on_delete=models.CASCADE, related_name="pending")
    row_number = models.PositiveIntegerField("dòng trong tệp")
    full_name = models.CharField(max_length=200)
    birth_date = models.DateField(null=True, blank=True)
    staff_code = models.CharField(max_length=50, blank=True)
    completed_on = models.DateField()
    certificate_no = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.OPEN)
    resolved_staff = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["row_number"]


class UnionMember(models.Model):
    """A Union member newly admitted at a school (from the membership system's export)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="union_members", verbose_name="đơn vị")
    member_code = models.CharField("mã đoàn viên", max_length=50, blank=True)
    full_name = models.CharField("họ và tên", max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    admitted_on = models.DateField("ngày kết nạp")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "đoàn viên mới"
        constraints = [models.UniqueConstraint(fields=["unit", "member_code"], condition=~Q(member_code=""),
                                               name="training_member_code_unique_per_unit")]

    def __str__(self):
        return self.full_name


class TheoryImport(models.Model):
    """One export of the "Thanh niên Việt Nam" app's completion list, loaded for a school."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="theory_imports")
    file_name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.file_name


class MatchMethod(models.TextChoices):
    CODE = "code", "Theo mã đoàn viên"
    NAME_BIRTH = "name_birth", "Theo họ tên và ngày sinh"
    MANUAL = "manual", "Ghép tay"


class TheoryCompletion(models.Model):
    batch = models.ForeignKey(TheoryImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    member_code = models.CharField(max_length=50, blank=True)
    full_name = models.CharField(max_length=200)
    birth_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField()
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.OPEN)
    member = models.ForeignKey(UnionMember, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="theory_completions", verbose_name="đoàn viên")
    method = models.CharField(max_length=12, choices=MatchMethod.choices, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["row_number"]
