"""Information channels on cyberspace: institutions' own channels (indicator 5, the good-news
campaign) and the public sources the authority monitors (content monitoring)."""

from django.db import models
from django.db.models import Q

from cyberyouth.lib.collation import Vietnamese
from cyberyouth.orgs.models import Unit


class Platform(models.TextChoices):
    FACEBOOK_PAGE = "facebook_page", "Trang Facebook"
    FACEBOOK_GROUP = "facebook_group", "Nhóm Facebook"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    ZALO_OA = "zalo_oa", "Zalo OA"
    WEBSITE = "website", "Trang web / RSS"
    OTHER = "other", "Khác"


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", "Đang hoạt động"
    PAUSED = "paused", "Tạm dừng"
    CLOSED = "closed", "Đã đóng"


class Channel(models.Model):
    platform = models.CharField("nền tảng", max_length=20, choices=Platform.choices)
    name = models.CharField("tên kênh", max_length=300)
    address = models.URLField("địa chỉ", max_length=1000)
    # An institution's own channel has an owner; a monitored public source may not.
    owner_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="channels",
                                   verbose_name="đơn vị sở hữu")
    is_official = models.BooleanField("kênh chính thức của đơn vị", default=True)
    active_since = models.DateField("hoạt động từ", null=True, blank=True)
    closed_on = models.DateField("ngừng từ", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE)
    # Monitoring (used by the monitoring app; harmless for a channel that is not monitored).
    monitored = models.BooleanField("theo dõi nội dung", default=False)
    feed_url = models.URLField("địa chỉ RSS/Atom", max_length=1000, blank=True)
    external_id = models.CharField("mã trên nền tảng", max_length=200, blank=True)
    fetch_interval_minutes = models.PositiveIntegerField("chu kỳ lấy tin (phút)", default=60)
    last_fetch_at = models.DateTimeField("lần lấy tin gần nhất", null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Vietnamese("name")]
        verbose_name = "kênh thông tin"
        verbose_name_plural = "kênh thông tin"
        constraints = [
            models.UniqueConstraint(fields=["platform", "address"], name="channel_unique_address"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(active_since__isnull=True) | Q(closed_on__gte=models.F("active_since")),
                name="channel_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["owner_unit", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"
