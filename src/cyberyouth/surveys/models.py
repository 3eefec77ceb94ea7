"""Surveys: a builder (sections, questions, "show if"), an audience, dates — and answers stored
anonymously by design (after LimeSurvey's anonymised mode, stricter).

What is about a person and what is about an answer never meet:
- `Participation` ("who has answered") names a student and the day; it has no key to an answer.
- `Response` / `Answer` hold what was answered and the group it counts in (school, grade, class);
  no person, no time, random UUIDs (no order), no sequence.
- An answer first waits in `PendingResponse` and reaches `Response` only in a shuffled batch of at
  least `SURVEYS_RELEASE_BATCH` answers of the same group (see `services.release`), so that the
  order rows were written in, and the transaction that wrote them, point at a batch, never a child.
- `Tally` keeps the counts the results page reads (updated in the same batches).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Chọn một"
    MULTIPLE = "multiple", "Chọn nhiều"
    SCALE = "scale", "Thang 1–5"
    TEXT = "free", "Trả lời tự do"  # not "text": a code must not read as a word on a page


class SurveyState(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    LAUNCHED = "launched", "Đã phát hành"
    CLOSED = "closed", "Đã đóng"


class Survey(models.Model):
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị tổ chức")
    title = models.CharField("tên khảo sát", max_length=200)
    intro = models.TextField("lời giới thiệu", blank=True)
    template = models.CharField("mẫu", max_length=40, blank=True)
    opens_on = models.DateField("mở từ ngày")
    closes_on = models.DateField("đóng sau ngày")
    state = models.CharField("trạng thái", max_length=10, choices=SurveyState.choices, default=SurveyState.DRAFT)
    allow_links = models.BooleanField("cho trả lời bằng mã dùng một lần (không cần tài khoản)", default=False)
    audience_units = models.ManyToManyField(Unit, related_name="+", blank=True, verbose_name="các trường")
    audience_grades = models.JSONField("các khối", default=list, blank=True)
    audience_classes = models.ManyToManyField("students.SchoolClass", related_name="+", blank=True,
                                              verbose_name="các lớp")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    leftovers_released = models.BooleanField(default=False)
    tally_version = models.PositiveIntegerField(default=0, editable=False)  # +1 at each release: results' cache key

    class Meta:
        verbose_name = "khảo sát"
        verbose_name_plural = "khảo sát"
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_dates")]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.state == SurveyState.LAUNCHED and self.opens_on <= day <= self.closes_on


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField("phần", max_length=200)
    text = models.TextField("lời dẫn", blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="section_position")]


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()  # over the whole survey, so "earlier" is one comparison
    kind = models.CharField("loại câu hỏi", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("câu hỏi", max_length=500)
    help_text = models.CharField("gợi ý", max_length=300, blank=True)
    required = models.BooleanField("bắt buộc", default=False)
    options = models.JSONField("các lựa chọn", default=list, blank=True)  # labels; answer values are 1-based
    scale_low = models.CharField("nhãn mức 1", max_length=60, blank=True)
    scale_high = models.CharField("nhãn mức 5", max_length=60, blank=True)
    show_if_question = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name="chỉ hiện khi câu")
    show_if_values = models.JSONField("có trả lời là", default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="question_position")]

    def __str__(self) -> str:
        return self.text

    def value_labels(self) -> list[tuple[int, str]]:
        if self.kind == QuestionKind.SCALE:
            low, high = self.scale_low or "1", self.scale_high or "5"
            return [(1, f"1 – {low}"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 – {high}")]
        return [(i, label) for i, label in enumerate(self.options, start=1)]


class Participation(models.Model):
    """Who has answered (a student with an account): for "once per student" and response rates.
    No key to the answer, and the day only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("students.Student", null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "student"], condition=Q(student__isnull=False),
                                               name="one_participation")]
        indexes = [models.Index(fields=["survey", "unit"], name="participation_unit")]


class OneTimeLink(models.Model):
    """A single-use code for an open anonymous survey, handed out per class on paper; only its
    SHA-256 is stored. Used → `used`, nothing else: no time, no key to the answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("students.SchoolClass", null=True, on_delete=models.PROTECT, related_name="+")
    used = models.BooleanField(default=False)


class PendingResponse(models.Model):
    """An answer waiting for its batch (see the module's docstring). Never read by results."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(null=True)
    school_class = models.ForeignKey("students.SchoolClass", null=True, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()  # {question id: value(s) or redacted text}


class Response(models.Model):
    """One released answer sheet: the group it counts in, nothing about who or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(null=True)  # None: generalised (a leftover of a small group)
    school_class = models.ForeignKey("students.SchoolClass", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["survey", "unit"], name="response_survey_unit")]


class Answer(models.Model):
    """One answer: a chosen value (an option's number, a scale step; one row per option ticked)
    or a free text, redacted before it was stored, with its sentiment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(null=True)
    text = models.TextField(blank=True)
    sentiment = models.CharField(max_length=10, blank=True)

    class Meta:
        # free answers are read as a random sample: ordered by their random ids, per question
        indexes = [models.Index(fields=["question", "id"], name="answer_question_id")]


# `Tally.choice` for a text question: the share of each sentiment (and 0: answered at all)
SENTIMENT_CODES = {"negative": 1, "neutral": 2, "positive": 3}
ANSWERED = 0      # choice: answered the question at all
RESPONDENTS = 0   # question_id: the response sheets themselves


class Tally(models.Model):
    """Released counts per (question, value, school, grade, class): what results read, so that a
    results page costs the same at 100 answers and at a million. grade/class 0 = generalised."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question_id = models.IntegerField()
    choice = models.IntegerField()
    unit_id = models.IntegerField()
    grade = models.IntegerField()
    class_id = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "question_id", "choice", "unit_id", "grade",
                                                       "class_id"], name="tally_key")]
        indexes = [models.Index(fields=["survey", "unit_id", "grade", "class_id"], name="tally_group")]
