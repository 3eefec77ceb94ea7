"""Leader–student dialogues (task 6c): a school plans a dialogue, students send and vote on
questions before it, the host takes them in order of votes, and the minutes keep the answers and
the commitments made, tracked to done.

Anonymity of anonymous questions is a property of the tables, not of the pages: a `Question`
asked anonymously stores no author, its key is random (no order of arrival), and its day of
arrival is kept to the day. The per-student limit on questions lives in `AskerTally`, keyed by a
one-way hash of (dialogue, student) with no foreign key, no id and no time, so no query can join
a tally back to a question.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit
from cyberyouth.safety.categories import CATEGORY_WORDS
from cyberyouth.students.models import SchoolClass, Student


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    HYBRID = "hybrid", "Trực tiếp và trực tuyến"


# The modes a dialogue counts for in the yearly rule ("both" counts for both).
COUNTS_IN_PERSON = (Mode.IN_PERSON, Mode.HYBRID)
COUNTS_ONLINE = (Mode.ONLINE, Mode.HYBRID)


class Status(models.TextChoices):
    PLANNED = "planned", "Đang nhận câu hỏi"
    LIVE = "in_session", "Đang diễn ra"
    HELD = "held", "Đã tổ chức"
    CANCELLED = "cancelled", "Đã hủy"


class Dialogue(models.Model):
    """A dialogue between a school's leaders and its students, on a day, in one mode or both."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="trường")
    title = models.CharField("chủ đề", max_length=200)
    held_on = models.DateField("ngày tổ chức")
    starts_at = models.TimeField("giờ bắt đầu", null=True, blank=True)
    mode = models.CharField("hình thức", max_length=10, choices=Mode.choices)
    place = models.CharField("địa điểm", max_length=200, blank=True)
    meeting_url = models.URLField("đường dẫn họp trực tuyến", max_length=500, blank=True)
    classes = models.ManyToManyField(SchoolClass, blank=True, related_name="+", verbose_name="lớp tham dự")
    description = models.TextField("nội dung, gợi ý câu hỏi", blank=True)
    anonymous_allowed = models.BooleanField("cho phép hỏi ẩn danh", default=True)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    # the minutes (biên bản)
    attendance = models.PositiveIntegerField("số học sinh tham dự", null=True, blank=True)
    chair = models.CharField("chủ trì", max_length=200, blank=True)
    secretary = models.CharField("thư ký", max_length=200, blank=True)
    summary = models.TextField("diễn biến, ý kiến chính", blank=True)
    minutes_at = models.DateTimeField("lập biên bản lúc", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "buổi đối thoại"
        verbose_name_plural = "buổi đối thoại"
        indexes = [models.Index(fields=["unit", "held_on"], name="dialogue_unit_day")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="held") | Q(attendance__isnull=False),
                                   name="dialogue_held_has_attendance"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    @property
    def in_person(self) -> bool:
        return self.mode in COUNTS_IN_PERSON

    @property
    def online(self) -> bool:
        return self.mode in COUNTS_ONLINE

    @property
    def takes_questions(self) -> bool:
        return self.status in (Status.PLANNED, Status.LIVE)


class Leader(models.Model):
    """A leader who answers at the dialogue: a staff account, or a name and position."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="leaders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="tài khoản")
    name = models.CharField("họ và tên", max_length=120)
    position = models.CharField("chức vụ", max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "lãnh đạo tham dự"


class Review(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Không đăng"


class Answer(models.TextChoices):
    OPEN = "waiting", "Chưa trả lời"
    ANSWERED = "answered", "Đã trả lời"
    LATER = "answer_later", "Sẽ trả lời sau"
    REFERRED = "forwarded", "Chuyển cơ quan, bộ phận khác"


# The safety engine's flags in words, for the moderator (the engine's labels and our own two).
FLAG_LABELS = {
    **CATEGORY_WORDS, "personal_data": "có thông tin cá nhân (đã ẩn)", "offensive": "lời lẽ thô tục, xúc phạm",
    "hate": "thù ghét", "engine_error": "bộ lọc lỗi, cần đọc kỹ",
}


def _question_key() -> uuid.UUID:
    return uuid.uuid4()


class Question(models.Model):
    """A student's question. Anonymous: `author` is empty — always (a check constraint). The key
    is random and the day of arrival is a date: neither says in what order questions came.
    `text` is what the safety engine left after redacting personal data; nothing else is kept."""

    id = models.UUIDField(primary_key=True, default=_question_key, editable=False)
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("câu hỏi")
    text_key = models.CharField(max_length=64, editable=False)  # hash of the folded text: duplicates
    anonymous = models.BooleanField("ẩn danh", default=False)
    author = models.ForeignKey(Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    asked_on = models.DateField("ngày gửi")
    flags = models.JSONField("cảnh báo của bộ lọc", default=list, blank=True)
    redacted = models.PositiveSmallIntegerField("số thông tin cá nhân đã ẩn", default=0)
    review = models.CharField("kiểm duyệt", max_length=10, choices=Review.choices, default=Review.PENDING,
                              db_index=True)
    review_reason = models.CharField("lý do không đăng", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answer = models.CharField("trả lời", max_length=16, choices=Answer.choices, default=Answer.OPEN)
    answer_text = models.TextField("nội dung trả lời", blank=True)
    answered_by = models.CharField("người trả lời", max_length=200, blank=True)
    vote_count = models.PositiveIntegerField("số lượt bình chọn", default=0)

    class Meta:
        ordering = ["-vote_count", "text_key"]
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"
        constraints = [
            models.CheckConstraint(condition=Q(anonymous=False) | Q(author__isnull=True),
                                   name="question_anonymous_has_no_author"),
            models.UniqueConstraint(fields=["dialogue", "text_key"], name="question_no_duplicate"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def flag_labels(self) -> list[str]:
        return [FLAG_LABELS.get(f, "cảnh báo khác") for f in self.flags]


class Vote(models.Model):
    """One student's vote for one question — at most one (a unique constraint)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    voted_on = models.DateField("ngày bình chọn")

    class Meta:
        verbose_name = "bình chọn"
        constraints = [models.UniqueConstraint(fields=["question", "student"], name="one_vote_per_student")]


class AskerTally(models.Model):
    """How many questions one student sent to one dialogue — for the limit only. The key is an
    HMAC of (dialogue, student) under the server's secret: one way, no foreign key, no time, and
    the key itself is the primary key, so the rows carry no order of arrival either."""

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "đếm câu hỏi (một chiều)"


class Commitment(models.Model):
    """What a leader promised at the dialogue: who answers for it, by when, and when it was done."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="commitments")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="câu hỏi liên quan")
    text = models.CharField("nội dung cam kết", max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="người chịu trách nhiệm (tài khoản)")
    owner_name = models.CharField("người chịu trách nhiệm", max_length=200)
    due_on = models.DateField("hạn hoàn thành")
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    done_note = models.CharField("kết quả", max_length=500, blank=True)
    reminded_on = models.DateField("đã nhắc ngày", null=True, blank=True)

    class Meta:
        ordering = ["done_on", "due_on", "id"]
        verbose_name = "cam kết"


class ComplianceReminder(models.Model):
    """A reminder sent to a school that has not held both kinds of dialogue in a year: once per
    school, year and month. The notice itself goes through `notifications`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    missing = models.CharField(max_length=60)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "month"], name="dialogue_reminder_monthly")]
