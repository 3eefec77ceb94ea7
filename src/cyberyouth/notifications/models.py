"""One notification to one person: in the bell on the shell, and by e-mail when they have an
address. Every app notifies through `notifications.services.notify`."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    SUBMISSION_RETURNED = "submission_returned", "Báo cáo bị trả lại"
    SUBMISSION_APPROVED = "submission_approved", "Báo cáo được duyệt"
    REMINDER = "reminder", "Nhắc việc"
    DOCUMENT_READY = "document_ready", "Văn bản đã tạo xong"
    DOCUMENT_FAILED = "document_failed", "Văn bản không tạo được"
    HELPLINE_CRITICAL = "helpline_critical", "Ca khẩn cấp ở tổng đài"
    HELPLINE_CLOCK = "helpline_clock", "Thời hạn xử lý ca tổng đài"
    OTHER = "other", "Thông báo"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="người nhận")
    kind = models.CharField("loại", max_length=32, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    link = models.CharField("đường dẫn", max_length=500, blank=True)  # a path on this site
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="đơn vị liên quan")
    created_at = models.DateTimeField("lúc", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_to = models.CharField("đã gửi thư tới", max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
