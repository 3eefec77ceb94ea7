"""The good-news campaign: the calendar of commemorative days, campaigns and peak weeks, and the
ledger of posts on institutions' channels that compliance is counted from."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.channels.models import Channel
from cyberyouth.orgs.models import Unit


class DayKind(models.TextChoices):
    SOLAR = "solar", "Dương lịch"
    LUNAR = "lunar", "Âm lịch"


class CommemorativeDay(models.Model):
    """A day of the calendar: fixed on the solar calendar, or on the lunar one (computed each
    year at UTC+7 by `lib.lunar`). `origin_year` is the year of the event; the anniversary is
    computed, round when it is a multiple of 5. A day with a `unit` is that unit's own day (a
    school's founding day), seen by those who read the unit."""

    name = models.CharField("tên ngày", max_length=200)
    kind = models.CharField("loại lịch", max_length=8, choices=DayKind.choices, default=DayKind.SOLAR)
    month = models.PositiveSmallIntegerField("tháng")
    day = models.PositiveSmallIntegerField("ngày")
    origin_year = models.PositiveSmallIntegerField("năm diễn ra sự kiện", null=True, blank=True)
    major = models.BooleanField("ngày lễ lớn (Nghị định 145/2013, Điều 4)", default=False)
    basis = models.CharField("căn cứ / nguồn", max_length=300, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="ngày riêng của đơn vị")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "day", "name"]
        verbose_name = "ngày kỷ niệm"
        verbose_name_plural = "ngày kỷ niệm"
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                                   name="campaigns_day_in_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A propaganda campaign (task 1e) or a peak week (tuần cao điểm, 3c): a period, a theme, the
    units asked to take part (their subtrees), links to materials; often made from a day."""

    title = models.CharField("tên chiến dịch", max_length=300)
    theme = models.TextField("chủ đề, thông điệp", blank=True)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    peak_week = models.BooleanField("tuần cao điểm (đăng đồng loạt)", default=False)
    day = models.ForeignKey(CommemorativeDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns",
                            verbose_name="ngày kỷ niệm")
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị phát động")
    target_units = models.ManyToManyField(Unit, related_name="+", verbose_name="đơn vị tham gia")
    materials = models.JSONField("tài liệu (liên kết)", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = "chiến dịch"
        verbose_name_plural = "chiến dịch"
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="campaign_dates_ordered")]

    def __str__(self) -> str:
        return self.title


class PostKind(models.TextChoices):
    UNMARKED = "", "Chưa phân loại"
    GOOD_NEWS = "good_news", "Tin tốt"
    STORY = "story", "Câu chuyện đẹp"
    NEITHER = "neither", "Không thuộc hai loại"


class PostSource(models.TextChoices):
    CONNECTOR = "connector", "Lấy tự động từ kênh"
    PUSH = "push", "Gửi qua API"
    XLSX = "xlsx", "Nhập từ tệp Excel"
    LINK = "link", "Dán liên kết"


class Post(models.Model):
    """One post on an institution's registered channel. `day` is its date in Asia/Ho_Chi_Minh
    (what compliance counts on); `url_key` the normalised link that makes the same post arriving
    twice (pushed again, pasted after polling) one row."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="campaign_posts", verbose_name="kênh")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    posted_at = models.DateTimeField("thời điểm đăng")
    day = models.DateField("ngày đăng (giờ Việt Nam)")
    url = models.URLField("liên kết", max_length=1000)
    url_key = models.CharField(max_length=1000)
    text = models.TextField("nội dung", blank=True)
    views = models.PositiveIntegerField("lượt xem", null=True, blank=True)
    reactions = models.PositiveIntegerField("lượt thích, cảm xúc", null=True, blank=True)
    shares = models.PositiveIntegerField("lượt chia sẻ", null=True, blank=True)
    source = models.CharField("nguồn", max_length=10, choices=PostSource.choices)
    kind = models.CharField("phân loại", max_length=10, choices=PostKind.choices, default=PostKind.UNMARKED, blank=True)
    suggested_kind = models.CharField("gợi ý phân loại", max_length=10, choices=PostKind.choices, blank=True)
    suggested_confidence = models.FloatField(null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-posted_at"]
        verbose_name = "bài đăng"
        verbose_name_plural = "bài đăng"
        constraints = [models.UniqueConstraint(fields=["channel", "url_key"], name="campaign_post_once_per_channel")]
        indexes = [models.Index(fields=["unit", "kind", "day"], name="campaign_post_unit_kind_day"),
                   models.Index(fields=["day"], name="campaign_post_day")]

    def __str__(self) -> str:
        return self.url


class GapReminder(models.Model):
    """A reminder sent to a unit whose last week had gaps (days without a tin tốt, no câu chuyện
    đẹp); once per unit and week. The notice itself goes through `notifications`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    week = models.DateField("tuần (thứ Hai)")
    good_days = models.PositiveSmallIntegerField("ngày có tin tốt")
    has_story = models.BooleanField("có câu chuyện đẹp")
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["unit", "week"], name="campaign_reminder_once_a_week")]


class UnitDayFacts(models.Model):
    """What compliance counts, kept per unit and year on every post write (`campaigns.facts`):
    one bit per day of the year (bit 0 = 1 January, Viet Nam's dates) for "a tin tốt was posted
    that day" and for "a câu chuyện đẹp was posted that day", and the posts of each month. A
    country's compliance then reads 45,000 short rows instead of 20,000,000 posts — as bytes that
    numpy reads in one call (month counts as JSON cost a decode per row, half the read)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    good = models.BinaryField(max_length=46)
    story = models.BinaryField(max_length=46)
    months = models.BinaryField(max_length=48)  # the posts of each month: 12 × uint32, little-endian, January first

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="campaign_facts_once_per_year")]


class NomineeKind(models.TextChoices):
    COLLECTIVE = "collective", "Tập thể"
    PERSON = "person", "Cá nhân"


class CommendationStatus(models.TextChoices):
    PROPOSED = "proposed", "Chờ duyệt"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã khen thưởng"
    WITHDRAWN = "withdrawn", "Đã rút"


class CommendationDecision(models.Model):
    """A "Quyết định khen thưởng": the approver's decision on one or more proposals, issued in
    the name of `issuer_unit` (its head signs; the clerk fills in the number if not known)."""

    year = models.PositiveSmallIntegerField("năm thành tích")
    issuer_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="cấp quyết định")
    number = models.CharField("số quyết định", max_length=40, blank=True)
    signed_on = models.DateField("ngày ký")
    signer_title = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="người duyệt")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"

    def __str__(self) -> str:
        return f"Quyết định khen thưởng {self.number or self.pk} ({self.signed_on:%d/%m/%Y})"


class Commendation(models.Model):
    """A proposal to praise a unit or a person (task 3d) for the campaign in `year`, with the unit's
    compliance figures as grounds — computed when proposed (and again when sent back after a
    return), then frozen in `grounds`, so the decision says what the approver saw. A person is a
    staff member, teacher or Union member named with their unit; the figures are the unit's."""

    year = models.PositiveSmallIntegerField("năm thành tích")
    kind = models.CharField("đối tượng", max_length=10, choices=NomineeKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    person_name = models.CharField("họ và tên", max_length=200, blank=True)
    person_key = models.CharField(max_length=200, blank=True)  # the name folded, for duplicates
    person_position = models.CharField("chức vụ", max_length=200, blank=True)
    achievements = models.TextField("thành tích")
    grounds = models.JSONField("số liệu làm căn cứ", default=dict)
    meets_criteria = models.BooleanField("đạt tiêu chí gợi ý", default=False)
    proposer_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị đề nghị")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="người đề nghị")
    proposed_at = models.DateTimeField("thời điểm đề nghị")
    status = models.CharField("trạng thái", max_length=10, choices=CommendationStatus.choices,
                              default=CommendationStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="người duyệt, trả lại")
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    decision = models.ForeignKey(CommendationDecision, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="commendations", verbose_name="quyết định")
    book_number = models.PositiveIntegerField("số vào sổ", null=True, blank=True)

    class Meta:
        ordering = ["-year", "-proposed_at"]
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "kind", "person_key"],
                                    condition=Q(status__in=["proposed", "returned", "approved"]),
                                    name="commendation_once_a_year"),
            models.UniqueConstraint(fields=["year", "book_number"], name="commendation_book_number_once"),
        ]

    def __str__(self) -> str:
        who = self.person_name if self.kind == NomineeKind.PERSON else self.unit.name
        return f"Khen thưởng {self.year}: {who}"

    @property
    def nominee(self) -> str:
        if self.kind == NomineeKind.PERSON:
            return f"{self.person_name}" + (f", {self.person_position}" if self.person_position else "")
        return self.unit.name
