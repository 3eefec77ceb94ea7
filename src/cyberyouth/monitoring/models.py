"""Content monitoring: what was captured (immutably), what the engine said about it, and what
people decided and did about it.

An `Item` is one piece of content (a post, a comment, a page, a public report). Its raw capture
(`raw`, `raw_sha256`, `captured_at`, `source_url`) is written once, at ingestion, and never
changed: evidence packages and `monitoring verify` rest on it. The engine's verdict is kept
beside it and only ranks the queue; `Decision` rows (append-only) are what people decided.

Scoping: every item belongs to a zone `unit` — the channel's owner, or the unit whose
authority listed the public source (`ChannelWatch.zone_unit`). `orgs.selectors` decides who
sees which zones.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.channels.models import Channel
from cyberyouth.orgs.models import Unit


class Category(models.Model):
    """A category of harm reviewers apply. The engine's categories are built in (code matches
    the engine's); operators add their own, which only people apply."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=120)
    # Queue tier: higher first. Self-harm risk and sexual exploitation of minors are at the top.
    severity = models.PositiveSmallIntegerField("mức nghiêm trọng", default=1)
    # Engine score (0–1) from which an item enters the queue; null = the engine does not score it.
    threshold = models.FloatField("ngưỡng đưa vào hàng đợi", null=True, blank=True)
    is_engine = models.BooleanField("do bộ máy chấm điểm", default=False)
    active = models.BooleanField("đang dùng", default=True)
    description = models.TextField("mô tả", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-severity", "name"]
        verbose_name = "nhóm nội dung"
        verbose_name_plural = "nhóm nội dung"
        constraints = [
            models.CheckConstraint(condition=Q(threshold__isnull=True) | (Q(threshold__gte=0) & Q(threshold__lte=1)),
                                   name="category_threshold_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelWatch(models.Model):
    """Monitoring-side facts about a channel: which zone's moderators review it."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="watch")
    zone_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="địa bàn phụ trách")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.channel} → {self.zone_unit}"


class QueueAccess(models.Model):
    """A school (or other unit) whose focal points may read the items of their own unit.
    Granted by the standing agency; without it a focal point sees no queue."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)


class Source(models.TextChoices):
    FEED = "feed", "RSS/Atom"
    PUSH = "push", "API đẩy"
    IMPORT = "import", "Nhập tệp"
    FACEBOOK = "facebook", "Facebook Graph API"
    YOUTUBE = "youtube", "YouTube Data API"
    REPORT = "report", "Tố giác"


class ItemState(models.TextChoices):
    BELOW = "below", "Dưới ngưỡng"
    OPEN = "open", "Chờ xem xét"
    DECIDED = "decided", "Đã quyết định"
    # A public report that tripped a bot defence (honeypot, too fast, rate, expired form): kept in a
    # low-priority bin moderators see and clear, never thrown away, never in the way of the queue.
    HELD = "held", "Tố giác cần sàng lọc"


# The engine's overall label (safety: CLEAN | OFFENSIVE | HATE), as people read it.
TOXICITY_LABELS = {"CLEAN": "không thô tục, không thù ghét", "OFFENSIVE": "thô tục, xúc phạm",
                   "HATE": "thù ghét, kích động"}


class Item(models.Model):
    # Few indexes on purpose: every one costs each insert. The FK lookups are served by the
    # composite indexes below, which start with channel or unit.
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.PROTECT, related_name="items",
                                db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="địa bàn", db_index=False)
    source = models.CharField("nguồn", max_length=10, choices=Source.choices)
    external_id = models.CharField("mã trên nền tảng", max_length=200, blank=True)
    url = models.CharField("địa chỉ", max_length=1000, blank=True)
    author = models.CharField("tác giả", max_length=300, blank=True)
    text = models.TextField("nội dung")
    published_at = models.DateTimeField("đăng lúc", null=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies",
                               verbose_name="bài gốc")
    content_hash = models.CharField(max_length=64)
    # The immutable capture (see module docstring).
    raw = models.TextField("bản ghi gốc (JSON)")
    raw_sha256 = models.CharField(max_length=64)
    captured_at = models.DateTimeField("thu thập lúc")
    source_url = models.CharField("địa chỉ nguồn", max_length=1000, blank=True)
    # The engine's verdict — ranks, explains, never decides.
    toxicity = models.CharField(max_length=10, blank=True)
    scores = models.JSONField(default=dict)
    spans = models.JSONField(default=list)
    personal_data = models.JSONField(default=list)
    model_version = models.CharField(max_length=60, blank=True)
    top_category = models.CharField(max_length=40, blank=True)
    severity = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0)
    reported = models.BooleanField("có tố giác", default=False)
    state = models.CharField(max_length=8, choices=ItemState.choices, default=ItemState.BELOW)
    # The claim: one moderator at a time, until claim_until.
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    decided_category = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "nội dung"
        verbose_name_plural = "nội dung"
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], condition=~Q(external_id=""),
                                    name="item_unique_external_id"),
        ]
        indexes = [
            # The review order (severity, score, age) for the whole queue and for one zone.
            models.Index(fields=["state", "-severity", "-score", "captured_at"], name="item_queue_order"),
            models.Index(fields=["unit", "state", "-severity", "-score", "captured_at"], name="item_zone_queue"),
            models.Index(fields=["channel", "content_hash"], name="item_channel_hash"),
            models.Index(fields=["channel", "url"], name="item_channel_url"),
            models.Index(fields=["author"], name="item_author"),
        ]

    @property
    def toxicity_label(self) -> str:
        return TOXICITY_LABELS.get(self.toxicity, self.toxicity)

    @property
    def outcome_label(self) -> str:
        """The last decision's outcome in words (Outcome is declared below)."""
        return Outcome(self.outcome).label if self.outcome in Outcome.values else self.outcome

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"

    CAPTURE_FIELDS = ("raw", "raw_sha256", "captured_at", "source_url", "text")

    def save(self, *args, **kwargs):
        # The capture is evidence: once stored it is never rewritten (services update other
        # fields with queryset.update; this guards against anyone saving a changed instance).
        if self.pk is not None:
            stored = Item.objects.filter(pk=self.pk).values(*self.CAPTURE_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in self.CAPTURE_FIELDS):
                raise ValueError("Bản ghi gốc của nội dung không được sửa.")
        super().save(*args, **kwargs)


class Attachment(models.Model):
    """A file kept with an item (a screenshot, the reporter's file). Hashed on upload."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="monitoring/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)


class Outcome(models.TextChoices):
    DISMISS = "dismiss", "Bỏ qua (không vi phạm)"
    CONFIRM = "confirm", "Xác nhận vi phạm"
    ESCALATE = "escalate", "Chuyển cấp trên xem xét"


class Decision(models.Model):
    """What a named person decided, and why. Append-only; an escalation leaves the item open."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="decisions")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("quyết định", max_length=10, choices=Outcome.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="nhóm vi phạm")
    reason = models.TextField("lý do")
    # Further categories the same confirmation names (codes): a threat to a classmate is
    # harassment and violence at once; the engine learns from both (export-decisions).
    also = models.JSONField("cũng thuộc nhóm", default=list, blank=True)
    # What the engine said when the person decided, for precision by month and category.
    engine_category = models.CharField(max_length=40, blank=True)
    engine_score = models.FloatField(default=0)
    decided_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="confirm") | Q(category__isnull=False),
                                   name="decision_confirm_has_category"),
        ]


class ActionKind(models.TextChoices):
    REMOVAL = "removal", "Đề nghị nền tảng gỡ bỏ"
    REFERRAL = "referral", "Chuyển cơ quan có thẩm quyền"
    NOTIFY_SCHOOL = "notify_school", "Thông báo nhà trường"
    HELPLINE = "helpline", "Chuyển tổng đài tư vấn"


class Action(models.Model):
    """Something a person did after a decision: a letter, a referral, a notice, a hand-off.
    Nothing here is sent or removed automatically; the record is what was done and by whom."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField("việc", max_length=16, choices=ActionKind.choices)
    recipient = models.CharField("nơi nhận", max_length=300)
    body = models.TextField("nội dung")
    note = models.TextField("ghi chú", blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    # The helpline hand-off waits here until the helpline exists and takes it.
    handoff_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Suspicion(models.TextChoices):
    NONE = "", "Không"
    HONEYPOT = "honeypot", "Điền vào ô ẩn dành cho máy"
    TOO_FAST = "too_fast", "Gửi quá nhanh sau khi mở biểu mẫu"
    FORM = "form", "Biểu mẫu hết hạn hoặc không do trang này cấp"
    SENDER_RATE = "sender_rate", "Một người gửi quá nhiều trong một giờ"
    FLOOD = "flood", "Hệ thống nhận quá nhiều tố giác trong một giờ"


class PublicReport(models.Model):
    """A report (tố giác) from the public form. The address is kept only as a keyed hash, for
    the rate limit. `reference` is what the sender keeps to check the status; `form_nonce` makes
    one form (one token) give one report, however often it is sent."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="public_report")
    link = models.CharField("đường dẫn", max_length=1000, blank=True)
    reporter_name = models.CharField("người báo", max_length=150, blank=True)
    reporter_contact = models.CharField("liên hệ", max_length=150, blank=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reference = models.CharField("mã tra cứu", max_length=16, unique=True, null=True)
    form_nonce = models.CharField(max_length=64, unique=True, null=True)
    suspicion = models.CharField("lý do nghi ngờ", max_length=12, choices=Suspicion.choices, blank=True,
                                 default=Suspicion.NONE)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang nhập"
    DONE = "done", "Đã nhập"
    FAILED = "failed", "Lỗi"


class ImportJob(models.Model):
    """A big file of hand-collected items imported by the worker, not by the web request. The file
    is deleted once imported (or refused); the outcome stays."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+", verbose_name="kênh")
    filename = models.CharField("tên tệp", max_length=200)
    file = models.FileField(upload_to="monitoring/imports/", blank=True)
    status = models.CharField("trạng thái", max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    message = models.TextField("kết quả", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
