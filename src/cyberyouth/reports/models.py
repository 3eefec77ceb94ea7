"""Generated official documents (kept, versioned) and the text people write for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class DocumentKind(models.TextChoices):
    YEARLY = "yearly", "Báo cáo kết quả năm"
    REVIEW = "review", "Báo cáo sơ kết / tổng kết"
    PLAN = "plan", "Kế hoạch"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Lỗi"


MILESTONES = (2025, 2030)


class ReportNote(models.Model):
    """What the issuing unit writes itself before generating: difficulties, proposals,
    next steps, funding, and who signs. One per unit, kind and year (milestone for reviews)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_notes")
    kind = models.CharField("loại báo cáo", max_length=12, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("năm / mốc")
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    next_steps = models.TextField("phương hướng, nhiệm vụ thời gian tới", blank=True)
    funding = models.TextField("kinh phí thực hiện", blank=True)
    funding_vnd = models.PositiveBigIntegerField("tổng kinh phí (đồng)", null=True, blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=120, blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nội dung báo cáo do đơn vị viết"
        verbose_name_plural = "nội dung báo cáo do đơn vị viết"
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year"], name="reportnote_unique")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_kind_display()} {self.year}"


def document_path(instance: "GeneratedDocument", filename: str) -> str:
    return f"reports/{instance.unit.code}/{filename}"


class GeneratedDocument(models.Model):
    """One generated version of a document: its files, who asked for it, and when its data was read."""

    kind = models.CharField("loại văn bản", max_length=12, choices=DocumentKind.choices, db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="phạm vi")
    issuer = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan ban hành")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm / mốc")
    version = models.PositiveIntegerField("phiên bản")
    title = models.CharField("tên văn bản", max_length=600, blank=True)
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    stage = models.CharField("bước", max_length=200, blank=True)
    error = models.TextField("lỗi", blank=True)
    want_pdf = models.BooleanField("tạo PDF", default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="người tạo")
    requested_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    data_as_of = models.DateTimeField("số liệu tính đến", null=True, blank=True)
    finished_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    docx = models.FileField(upload_to=document_path, blank=True)
    pdf = models.FileField(upload_to=document_path, blank=True)
    xlsx = models.FileField(upload_to=document_path, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    # The indicator table as printed in the document (the same rows as `indicators compute --json`).
    indicator_snapshot = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "văn bản đã tạo"
        verbose_name_plural = "văn bản đã tạo"
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "year", "version"], name="generateddocument_version"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="generateddocument_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} — {self.unit} (v{self.version})"

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)
