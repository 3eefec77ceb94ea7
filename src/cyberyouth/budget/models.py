"""Funding of the plan (section IV): per unit and year, the estimate and the amount spent, by
source of funds and by task group, in whole đồng; sent and approved like the yearly indicator
data (the same statuses: draft → sent → returned or approved, re-opened by an approver).

Each unit reports its OWN funds only — a district's or the zone's figures are the sum of its
units' approved reports and its own, never typed again above (no double counting)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.indicators.models import EDITABLE_STATUSES, SubmissionStatus
from cyberyouth.orgs.models import Unit

GROUPS = range(1, 8)  # the plan's seven task groups


class Source(models.TextChoices):
    """Section IV of the plan: where the money comes from."""

    STATE = "a", "a) Dự toán ngân sách nhà nước giao hằng năm"
    SCHOOL = "b", "b) Nguồn thu hợp pháp của nhà trường"
    SOCIAL = "c", "c) Tài trợ, viện trợ, đóng góp xã hội"
    OTHER = "d", "d) Nguồn hợp pháp khác"


class Measure(models.TextChoices):
    ESTIMATE = "estimate", "Dự toán"
    ACTUAL = "actual", "Thực hiện"


class BudgetReport(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="budget_reports", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    status = models.CharField("trạng thái", max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT, db_index=True)
    note = models.TextField("thuyết minh", blank=True)
    return_comment = models.TextField("lý do trả lại, mở lại", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "báo cáo kinh phí"
        verbose_name_plural = "báo cáo kinh phí"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="budget_report_once")]

    def __str__(self) -> str:
        return f"Kinh phí năm {self.year} — {self.unit}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class BudgetLine(models.Model):
    """One amount: (estimate or actual) × source × task group. Blank cells are not stored."""

    report = models.ForeignKey(BudgetReport, on_delete=models.CASCADE, related_name="lines")
    measure = models.CharField(max_length=8, choices=Measure.choices)
    source = models.CharField(max_length=1, choices=Source.choices)
    group = models.PositiveSmallIntegerField("nhóm nhiệm vụ")
    amount = models.BigIntegerField("số tiền (đồng)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "measure", "source", "group"], name="budget_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
            models.CheckConstraint(condition=Q(group__gte=1, group__lte=7), name="budget_line_group_1_7"),
        ]
