"""The helpline: helplines at units, contacts (one conversation each) and cases (after Aselo),
their messages, typed timeline, statutory clocks, referrals and the log of who opened a case."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit

User = settings.AUTH_USER_MODEL


class Urgency(models.TextChoices):
    CRITICAL = "critical", "Khẩn cấp"
    URGENT = "urgent", "Cần xử lý sớm"
    NOT_URGENT = "not_urgent", "Không khẩn"


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NOT_URGENT: 2}


class Channel(models.TextChoices):
    WEB = "web", "Trang “Cần giúp đỡ?”"
    PHONE = "phone", "Cuộc gọi điện thoại"
    WALK_IN = "walk_in", "Đến phòng tư vấn"
    REFERRAL_111 = "referral_111", "Tổng đài 111 chuyển đến"
    MONITORING = "monitoring", "Giám sát nội dung chuyển đến"
    API = "api", "Hệ thống khác (API)"


class ContactKind(models.TextChoices):
    SELF = "self", "Về bản thân"
    OTHER_CHILD = "other_child", "Về một trẻ khác"
    QUESTION = "question", "Hỏi đáp"
    NON_DATA = "non_data", "Im lặng / đùa / cảm ơn (chỉ đếm)"


class AgeBand(models.TextChoices):
    UNKNOWN = "", "Không rõ"
    UNDER_11 = "u11", "Dưới 11 tuổi"
    A11_14 = "11-14", "11–14 tuổi"
    A15_17 = "15-17", "15–17 tuổi"
    A18_PLUS = "18+", "Từ 18 tuổi"


class Gender(models.TextChoices):
    UNKNOWN = "", "Không nêu"
    FEMALE = "f", "Nữ"
    MALE = "m", "Nam"
    OTHER = "o", "Khác"


class Helpline(models.Model):
    """A helpline run by a unit (a school's counselling room, the special zone's helpline), with
    its service hours and its targets. Targets are data per unit (one ward cut 12 h to 8 h)."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="helpline")
    name = models.CharField("tên tổng đài", max_length=200)
    phone = models.CharField("số điện thoại", max_length=40, blank=True)
    # weekday (0 = Monday) → [["07:00", "17:00"], …], local time; an empty list: closed that day.
    hours = models.JSONField("giờ phục vụ", default=dict)
    # Minutes to the first answer per urgency, counted from receipt within service hours.
    first_answer_minutes = models.JSONField(default=dict)
    notify_hours = models.PositiveSmallIntegerField("báo UBND “ngay” (giờ)", default=2)
    danger_hours = models.PositiveSmallIntegerField("biện pháp khẩn cấp (giờ)", default=12)
    plan_working_days = models.PositiveSmallIntegerField("kế hoạch hỗ trợ (ngày làm việc)", default=5)
    warn_minutes = models.PositiveSmallIntegerField("cảnh báo trước hạn (phút)", default=15)
    alert_email = models.EmailField("thư báo khẩn", blank=True)

    class Meta:
        verbose_name = "tổng đài"
        verbose_name_plural = "tổng đài"

    def __str__(self) -> str:
        return self.name


class DutyShift(models.Model):
    """A counsellor on duty at a helpline from `starts_at` to `ends_at` (UTC)."""

    helpline = models.ForeignKey(Helpline, on_delete=models.CASCADE, related_name="shifts")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start")]


class Category(models.Model):
    """The taxonomy of issues (data, after Aselo's IssueCategorizationTab). `critical`: an issue
    that makes a contact critical (self-harm, sexual exploitation)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    engine_categories = models.JSONField(default=list, blank=True)  # safety engine flags that suggest it
    critical = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "nhóm vấn đề"
        verbose_name_plural = "nhóm vấn đề"

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    """A case's statuses; the moves between them, and who may make each, are data in `rules`."""

    NEW = "new", "Mới"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    REFERRED = "referred", "Đã chuyển tuyến"
    CLOSED = "closed", "Đã đóng"


class Case(models.Model):
    """The contacts about one child or incident. Statuses and their moves are data (`rules`)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the helpline's unit
    code = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW, db_index=True)
    is_open = models.BooleanField(default=True)  # status is not "closed" (the queue's index starts here)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NOT_URGENT)
    urgency_rank = models.PositiveSmallIntegerField(default=2)
    urgency_confirmed = models.BooleanField(default=False)
    engine_flags = models.JSONField(default=list, blank=True)
    engine_score = models.FloatField(default=0)
    categories = models.ManyToManyField(Category, blank=True, related_name="cases")
    counsellors = models.ManyToManyField(User, blank=True, related_name="helpline_cases")
    risk_assessment = models.TextField(blank=True)
    support_plan = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    awaiting_answer = models.BooleanField(default=False)  # the child wrote last
    closed_at = models.DateTimeField(null=True, blank=True)
    deidentified_at = models.DateTimeField(null=True, blank=True)
    student = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    monitoring_action_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "status", "urgency_rank", "received_at"], name="case_queue"),
                   # the open queue, in its order (partial: SQLite uses it for the bare "is_open" term)
                   models.Index(fields=["urgency_rank", "-awaiting_answer", "received_at"], name="case_open_queue",
                                condition=Q(is_open=True))]

    def __str__(self) -> str:
        return f"Ca {self.code}"


class Contact(models.Model):
    """One conversation: a web message, a call, a walk-in, a referral. A non-data contact
    (silent, prank, thanks) is counted and has no case."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=12, choices=ContactKind.choices, default=ContactKind.SELF)
    channel = models.CharField(max_length=14, choices=Channel.choices, db_index=True)
    age_band = models.CharField(max_length=6, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    school = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    class_name = models.CharField(max_length=20, blank=True)
    area = models.CharField(max_length=100, blank=True)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NOT_URGENT)
    categories = models.ManyToManyField(Category, blank=True, related_name="contacts")
    summary = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # One submission, one contact: a second tab posting the same form reuses it.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)


class Message(models.Model):
    """What the child wrote and what a counsellor answered (the child reads the answers)."""

    class Author(models.TextChoices):
        CHILD = "child", "Học sinh"
        COUNSELLOR = "counsellor", "Tư vấn viên"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    spans = models.JSONField(default=list, blank=True)
    flags = models.JSONField(default=list, blank=True)
    triage_failed = models.BooleanField(default=False)  # kept and shown as failed to staff
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class EntryKind(models.TextChoices):
    NOTE = "note", "Ghi chú"
    CALL = "call", "Cuộc gọi"
    ACTION = "action", "Biện pháp khẩn cấp đã thực hiện"
    REFERRAL = "referral", "Chuyển tuyến"
    DOCUMENT = "document", "Văn bản"
    STATUS = "status", "Đổi trạng thái"
    URGENCY = "urgency", "Xác nhận mức khẩn"
    ASSIGN = "assign", "Phân công"
    TRANSFER = "transfer", "Chuyển tổng đài"
    PLAN = "plan", "Đánh giá nguy cơ, kế hoạch hỗ trợ"
    ALERT = "alert", "Cảnh báo thời hạn"


class Entry(models.Model):
    """The case's timeline, typed (after Aselo's sections). Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    text = models.TextField(blank=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "id"]


class ClockKind(models.TextChoices):
    FIRST_ANSWER = "first_answer", "Trả lời lần đầu"
    NOTIFY = "notify", "Báo ngay UBND / cơ quan chức năng"
    DANGER = "danger", "Biện pháp khẩn cấp (trẻ gặp nguy hiểm nghiêm trọng)"
    PLAN = "plan", "Kế hoạch hỗ trợ"


class Clock(models.Model):
    """A statutory or service clock. It never pauses: it runs from `started_at` to `due_at`, and
    only a recorded action of the right type stops it (`met_at`). `breached_at` is set when the
    deadline passes unmet, `warned_at` / `escalated_at` when people were told."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=14, choices=ClockKind.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.CharField(max_length=20, blank=True)  # the entry kind that stopped it
    breached_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_clock_per_kind")]

    @property
    def met_in_time(self) -> bool | None:
        return None if self.met_at is None else self.met_at <= self.due_at


class ReferralTo(models.TextChoices):
    HOTLINE_111 = "111", "Tổng đài quốc gia bảo vệ trẻ em 111"
    POLICE = "police", "Công an đặc khu / xã"
    AUTHORITY = "authority", "UBND đặc khu / xã (công chức bảo vệ trẻ em)"
    HEALTH = "health", "Cơ sở y tế"
    SCHOOL = "school", "Nhà trường"


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField(max_length=10, choices=ReferralTo.choices)
    recipient = models.CharField(max_length=300)
    reason = models.TextField()
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]


class CaseOpening(models.Model):
    """Who opened a case, when: the log the supervisor reads."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="openings")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    via = models.CharField(max_length=10, default="page")  # page | api | document


class AccessAttempt(models.Model):
    """A try at the child's code and secret (keyed hash of the address): the rate limit."""

    client_hash = models.CharField(max_length=64, db_index=True)
    ok = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
