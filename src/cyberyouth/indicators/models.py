"""Indicators, data elements, yearly forms, periods, submissions and their values.

An indicator is numerator / denominator × factor, each side a formula over data elements
(see `formulas.py`). Data elements are collected once a year per unit through the form of
the unit's type (`ReportForm`); a value comes from data entry or from a provider another app
registers (`providers.py`). One `Submission` per unit per period holds the values and walks
draft → submitted → approved (or returned, back to editing); approved data is locked.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cyberyouth.orgs.models import Unit, User


class ValueType(models.TextChoices):
    INTEGER = "integer", "Số nguyên không âm"
    BOOLEAN = "boolean", "Có / Không"


class DataElement(models.Model):
    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("tên", max_length=300)
    value_type = models.CharField("kiểu", max_length=10, choices=ValueType.choices, default=ValueType.INTEGER)
    help_text = models.CharField("hướng dẫn", max_length=500, blank=True)
    # "A part never exceeds its whole": the element this one is a part of.
    part_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts",
                                verbose_name="là một phần của")
    # "Yes" must come with evidence (a link or a description of the document).
    evidence_required = models.BooleanField("“Có” cần minh chứng", default=False)
    # A value more than `jump_factor` × last year's asks the unit to confirm it.
    jump_factor = models.DecimalField("ngưỡng tăng đột biến (lần)", max_digits=6, decimal_places=2, null=True,
                                      blank=True, default=3)
    # Key of a registered provider (providers.py); empty for data entry.
    provider = models.CharField("nguồn tự động", max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "phần tử dữ liệu"
        verbose_name_plural = "phần tử dữ liệu"

    def __str__(self) -> str:
        return self.name


class ReportForm(models.Model):
    """The yearly form filled by units of the listed types."""

    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("tên biểu mẫu", max_length=300)
    unit_types = models.JSONField("loại đơn vị báo cáo", default=list)
    elements = models.ManyToManyField(DataElement, through="FormElement", related_name="forms")

    class Meta:
        ordering = ["code"]
        verbose_name = "biểu mẫu báo cáo"
        verbose_name_plural = "biểu mẫu báo cáo"

    def __str__(self) -> str:
        return self.name


class FormElement(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="form_elements")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["form", "order"]
        constraints = [models.UniqueConstraint(fields=["form", "element"], name="formelement_unique")]


class Population(models.TextChoices):
    PEOPLE = "people", "Người"
    INSTITUTIONS = "institutions", "Cơ sở"


class Indicator(models.Model):
    number = models.PositiveSmallIntegerField("số thứ tự", unique=True)
    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.TextField("tên chỉ tiêu")
    short_name = models.CharField("tên ngắn", max_length=120)
    numerator = models.CharField("tử số (công thức)", max_length=500)
    denominator = models.CharField("mẫu số (công thức)", max_length=500)
    numerator_label = models.CharField("tử số là", max_length=300, blank=True)
    denominator_label = models.CharField("mẫu số là", max_length=300, blank=True)
    population = models.CharField("đối tượng", max_length=14, choices=Population.choices)
    unit_types = models.JSONField("loại đơn vị báo cáo", default=list)
    factor = models.PositiveIntegerField("hệ số", default=100)
    baseline_year = models.PositiveSmallIntegerField("năm gốc", default=2023)

    class Meta:
        ordering = ["number"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class Comparator(models.TextChoices):
    GT = "gt", "trên (>)"
    GE = "ge", "đạt ít nhất (≥)"


class Milestone(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField("năm")
    value = models.DecimalField("mức", max_digits=7, decimal_places=2)
    comparator = models.CharField("so sánh", max_length=2, choices=Comparator.choices)
    strive = models.BooleanField("phấn đấu", default=False)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="milestone_unique")]

    def __str__(self) -> str:
        sign = ">" if self.comparator == Comparator.GT else "≥"
        return f"{'phấn đấu ' if self.strive else ''}{sign} {self.value:g}% ({self.year})"

    def is_met(self, value) -> bool:
        if value is None:
            return False
        return value > float(self.value) if self.comparator == Comparator.GT else value >= float(self.value) - 1e-9


class Period(models.Model):
    """A yearly reporting period."""

    year = models.PositiveSmallIntegerField("năm", unique=True)
    opens_on = models.DateField("mở từ")
    deadline = models.DateField("hạn nộp")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        constraints = [models.CheckConstraint(condition=Q(deadline__gte=F("opens_on")), name="period_dates")]

    def __str__(self) -> str:
        return f"Kỳ báo cáo năm {self.year}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã duyệt"


EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})


class Submission(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="indicator_submissions")
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    # Denormalised from period for the aggregation query (one indexed filter on year).
    year = models.PositiveSmallIntegerField(db_index=True)
    status = models.CharField("trạng thái", max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT, db_index=True)
    note = models.TextField("giải trình của đơn vị", blank=True)
    return_comment = models.TextField("lý do trả lại", blank=True)
    jumps_confirmed = models.BooleanField("đã xác nhận số liệu tăng đột biến", default=False)
    # The submission's own numerator/denominator per indicator ({code: [num, den]}), computed
    # from its values when they are written, for the definitions whose signature is
    # `figures_version`. Aggregation reads these instead of every value (DHIS2's analytics
    # tables, in one column); a stale version falls back to the values.
    figures = models.JSONField(null=True, blank=True)
    figures_version = models.CharField(max_length=40, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Indexed: its maximum tells the aggregate cache that figures may have changed.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "báo cáo số liệu"
        verbose_name_plural = "báo cáo số liệu"
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="submission_unique")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ValueSource(models.TextChoices):
    ENTRY = "entry", "Nhập liệu"
    PROVIDER = "provider", "Tự động"


class DataValue(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    value = models.BigIntegerField("giá trị", null=True, blank=True)
    evidence = models.CharField("minh chứng", max_length=1000, blank=True)
    source = models.CharField(max_length=10, choices=ValueSource.choices, default=ValueSource.ENTRY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "element"], name="datavalue_unique"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="datavalue_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.element.code}={self.value}"


class DefinitionsVersion(models.Model):
    """One row whose counter moves whenever an indicator, milestone, element or form changes
    (signals in apps.py), so that every process sees its cached figures are out of date."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)


class Reminder(models.Model):
    """A reminder that a unit still owes its yearly report: who was told, when, by whom.

    Kept for the record (and to avoid nagging: one reminder per unit and year a day);
    the e-mails themselves go out after the transaction commits."""

    year = models.PositiveSmallIntegerField("năm", db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="indicator_reminders")
    status = models.CharField("trạng thái khi nhắc", max_length=10)
    recipients = models.JSONField("người nhận", default=list)  # [{"username", "email"}]
    sent_at = models.DateTimeField("lúc", default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "lần nhắc báo cáo"
        verbose_name_plural = "lần nhắc báo cáo"
        indexes = [models.Index(fields=["unit", "year", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year} ({self.sent_at:%d/%m/%Y %H:%M})"


def evidence_file_path(instance: "EvidenceFile", filename: str) -> str:
    return f"indicators/{instance.submission.year}/{instance.submission.unit.code}/{instance.sha256[:12]}-{filename}"


class EvidenceFile(models.Model):
    """A document proving a "yes" (a plan, a decision): checked on arrival, kept with its hash,
    served only to those who may see the unit's report. Later uploads add, never overwrite."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence_files")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_file_path, max_length=300)
    name = models.CharField("tên tệp", max_length=150)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tệp minh chứng chỉ tiêu"
        verbose_name_plural = "tệp minh chứng chỉ tiêu"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
