"""Online contests: a question bank with versions and a second person's approval, contests with
rounds, attempts with a server-kept deadline, one row per answer, and the published ranking.

The answer path is built for a mass start: an attempt's layout (the question versions drawn, the
options' order, which displayed options are right) is written into the attempt row when it
starts, so that saving an answer is one small insert keyed by (attempt, slot) — the unique
constraint makes a replayed answer change nothing — and no ranking is computed before the round
closes (`RoundResult` then holds the ranks, read by an index).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class Tag(models.Model):
    """A topic of the bank ("Lịch sử Việt Nam", "Quy tắc ứng xử trên mạng xã hội")."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    name = models.CharField("chủ đề", max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = "chủ đề câu hỏi"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="contest_tag_unique")]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Một đáp án đúng"
    MULTIPLE = "multiple", "Nhiều đáp án đúng"
    TRUE_FALSE = "truefalse", "Đúng / Sai"


class Difficulty(models.IntegerChoices):
    EASY = 1, "Dễ"
    MEDIUM = 2, "Trung bình"
    HARD = 3, "Khó"


class Question(models.Model):
    """A question's identity in a unit's bank. Its words live in versions; `live` is the approved
    version drawn into new attempts (none until a second person approves one)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    live = models.ForeignKey("QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    retired = models.BooleanField("ngừng sử dụng", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "ngân hàng câu hỏi"


class QuestionVersion(models.Model):
    """One wording of a question. Approved versions never change: an edit makes a new version,
    and attempts keep the version they drew. `options` is a list of {"text", "correct"}."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("phiên bản")
    kind = models.CharField("loại", max_length=10, choices=QuestionKind.choices)
    text = models.TextField("câu hỏi")
    options = models.JSONField("các phương án")
    explanation = models.TextField("giải thích", blank=True)
    source = models.CharField("nguồn", max_length=300, blank=True)
    difficulty = models.PositiveSmallIntegerField("độ khó", choices=Difficulty.choices, default=Difficulty.MEDIUM)
    tags = models.ManyToManyField(Tag, related_name="versions", verbose_name="chủ đề")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question_id", "number"]
        verbose_name = "phiên bản câu hỏi"
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="contest_version_unique")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    def correct_indexes(self) -> list[int]:
        return [i for i, o in enumerate(self.options) if o.get("correct")]


class Contest(models.Model):
    """A contest organised by a unit (a school, the special zone, the Youth Union) for an
    audience: the students of the audience units' subtrees, in the grades listed (all if none)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị tổ chức")
    title = models.CharField("tên cuộc thi", max_length=200)
    description = models.TextField("thể lệ", blank=True)
    audience = models.ManyToManyField(Unit, related_name="+", verbose_name="đối tượng (đơn vị)")
    grades = models.JSONField("khối lớp", default=list, blank=True)
    prizes = models.JSONField("cơ cấu giải", default=list, blank=True)  # [first, second, third, encouragement]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "cuộc thi"

    def __str__(self) -> str:
        return self.title


class ContestTarget(models.Model):
    """How many students of a unit (its subtree) the organiser expects to take part."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    participants = models.PositiveIntegerField("chỉ tiêu người tham gia")

    class Meta:
        verbose_name = "chỉ tiêu tham gia"
        constraints = [models.UniqueConstraint(fields=["contest", "unit"], name="contest_target_unique")]


class Round(models.Model):
    """A round (a week's, or the only one) with its topic, open and close times (UTC, shown in
    Asia/Ho_Chi_Minh), time limit, questions per attempt and attempts allowed per student."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("vòng")
    title = models.CharField("tên vòng", max_length=200)
    topic = models.CharField("chủ đề", max_length=200, blank=True)
    opens_at = models.DateTimeField("mở lúc")
    closes_at = models.DateTimeField("đóng lúc")
    time_limit_seconds = models.PositiveIntegerField("thời gian làm bài (giây)", default=600)
    questions_per_attempt = models.PositiveSmallIntegerField("số câu mỗi lượt", default=10)
    attempts_allowed = models.PositiveSmallIntegerField("số lượt thi mỗi học sinh", default=1)
    full_marks_count = models.PositiveIntegerField("số người trả lời đúng tất cả", null=True, blank=True)
    ranked_at = models.DateTimeField("xếp hạng lúc", null=True, blank=True)
    # students ranked, written with every ranking (and counted once for rounds ranked before it was
    # kept): the leaderboard's total without counting a million rows
    ranked_count = models.PositiveIntegerField("số học sinh được xếp hạng", null=True, blank=True)

    class Meta:
        ordering = ["contest_id", "number"]
        verbose_name = "vòng thi"
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_round_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="contest_round_times"),
            models.CheckConstraint(condition=Q(questions_per_attempt__gte=1), name="contest_round_questions"),
            models.CheckConstraint(condition=Q(attempts_allowed__gte=1), name="contest_round_attempts"),
        ]

    def __str__(self) -> str:
        return f"{self.contest.title} — {self.title}"


class RoundPool(models.Model):
    """Where a round's questions come from: `count` approved questions of a topic (any topic when
    empty) and difficulty (any when empty)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pools")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name="chủ đề")
    difficulty = models.PositiveSmallIntegerField("độ khó", choices=Difficulty.choices, null=True, blank=True)
    count = models.PositiveSmallIntegerField("số câu")


class AttemptState(models.TextChoices):
    IN_PROGRESS = "progress", "Đang làm"
    SUBMITTED = "submitted", "Đã nộp"
    EXPIRED = "expired", "Hết giờ (tự nộp)"


class Review(models.TextChoices):
    NONE = "", "Chưa xem xét"
    CLEARED = "cleared", "Hợp lệ"
    EXCLUDED = "excluded", "Loại khỏi xếp hạng"


class Attempt(models.Model):
    """One student's attempt at a round. `layout` lists the slots in the order shown:
    [{"v": version id, "o": [original option index per displayed option], "c": bitmask of the
    right displayed options}], written once at the start."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="attempts")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField("lượt")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="trường")
    school_class = models.ForeignKey("students.SchoolClass", null=True, on_delete=models.SET_NULL, related_name="+")
    layout = models.JSONField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    state = models.CharField("trạng thái", max_length=10, choices=AttemptState.choices,
                             default=AttemptState.IN_PROGRESS)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    prediction = models.PositiveIntegerField("dự đoán số người trả lời đúng tất cả", null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    answers_hash = models.CharField(max_length=64, blank=True, db_index=True)
    review = models.CharField("xem xét", max_length=10, choices=Review.choices, default=Review.NONE, blank=True)
    review_note = models.CharField("lý do", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = "lượt thi"
        constraints = [models.UniqueConstraint(fields=["round", "student", "number"], name="contest_attempt_unique")]
        indexes = [models.Index(fields=["round", "state", "deadline"], name="contest_attempt_open"),
                   models.Index(fields=["student", "round"], name="contest_attempt_student")]

    @property
    def size(self) -> int:
        return len(self.layout)


class Answer(models.Model):
    """The answer given at one slot of an attempt: the displayed options chosen (a bitmask) and
    whether that is right. One row per (attempt, slot): the same answer twice changes nothing."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    slot = models.PositiveSmallIntegerField()
    choice = models.PositiveIntegerField()
    correct = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "slot"], name="contest_answer_once")]


class RoundResult(models.Model):
    """A student's place in a round, written when the round is ranked (after it closes): their
    best attempt by score, then distance of the prediction from the real count of full marks,
    then time taken, then submission time."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="+")
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("students.SchoolClass", null=True, on_delete=models.SET_NULL, related_name="+")
    rank = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    distance = models.PositiveIntegerField(null=True)
    duration_ms = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="contest_result_unique")]
        indexes = [models.Index(fields=["round", "rank"], name="contest_result_rank"),
                   models.Index(fields=["round", "unit"], name="contest_result_unit")]


class Certificate(models.Model):
    """A certificate of a student's result in a round, as ranked when it was issued; `code` is
    printed on it and opens the public verification page, which shows the PDF's SHA-256 so that
    an edited copy is told apart."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="certificates")
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="+")
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField()
    named = models.BooleanField(default=False)  # printed with the name (consent to a public name then)
    pdf_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="contests/certificates/%Y/")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="contest_certificate_unique")]
