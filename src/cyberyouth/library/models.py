"""The media library (task group 5, 1a–đ): products made for propaganda — infographics, motion
graphics, video clips, short films, 2D/3D, VR, e-books, photo exhibitions — as a checked file or a
link, approved by a second person before they are public, counted without keeping anything about
who looked, and cited by campaigns, propaganda sessions and dialogues."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class Kind(models.TextChoices):
    INFOGRAPHIC = "info_graphic", "Đồ họa thông tin (infographic)"
    MOTION = "motion_graphic", "Đồ họa chuyển động (motion graphic)"
    CLIP = "video_clip", "Video clip"
    FILM = "short_film", "Phim ngắn"
    ANIMATION = "video_2d_3d", "Video đồ họa 2D, 3D"
    VR = "virtual_reality", "Thực tế ảo (VR)"
    EBOOK = "e_book", "Sách điện tử"
    EXHIBITION = "photo_exhibition", "Triển lãm ảnh"


class Topic(models.TextChoices):
    HISTORY = "history", "Lịch sử dân tộc, quê hương"
    HEROES = "heroes", "Tấm gương anh hùng, người tốt việc tốt"
    IDEALS = "ideals", "Lý tưởng cách mạng"
    ETHICS = "ethics", "Đạo đức, lối sống văn hóa"
    SAFETY = "safety", "An toàn trên không gian mạng"
    CONDUCT = "conduct", "Quy tắc ứng xử trên mạng xã hội"
    LAW = "law", "Pháp luật"
    OTHER = "other", "Chủ đề khác"


class Audience(models.TextChoices):
    STUDENTS = "students", "Học sinh, sinh viên"
    STAFF = "staff", "Cán bộ, nhà giáo"
    PARENTS = "parents", "Cha mẹ học sinh"
    EVERYONE = "everyone", "Mọi người"


class Licence(models.TextChoices):
    CC_BY = "cc-by", "CC BY 4.0 (ghi công)"
    CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0 (ghi công, chia sẻ tương tự)"
    CC_BY_ND = "cc-by-nd", "CC BY-ND 4.0 (ghi công, không phái sinh)"
    CC_BY_NC = "cc-by-nc", "CC BY-NC 4.0 (ghi công, phi thương mại)"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA 4.0 (ghi công, phi thương mại, chia sẻ tương tự)"
    CC_BY_NC_ND = "cc-by-nc-nd", "CC BY-NC-ND 4.0 (ghi công, phi thương mại, không phái sinh)"
    CC0 = "cc0", "CC0 (dành cho công chúng)"
    ALL_RIGHTS = "all-rights", "Bảo lưu mọi quyền"
    OTHER = "other", "Khác (ghi rõ)"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.vi",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.vi",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/deed.vi",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/deed.vi",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.vi",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/deed.vi",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.vi",
}


class Status(models.TextChoices):
    DRAFT = "draft", "Nháp"
    PENDING = "pending", "Chờ duyệt"
    RETURNED = "returned", "Bị trả lại"
    PUBLISHED = "published", "Đã công bố"
    WITHDRAWN = "withdrawn", "Đã gỡ"


EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


def product_file_path(instance: "Product", filename: str) -> str:
    # The stored name is not the uploader's: the sha256 keeps names unguessable and unique.
    return f"library/{instance.sha256[:2]}/{instance.sha256}{instance.file_ext}"


class Product(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="library_products",
                             verbose_name="đơn vị thực hiện")
    title = models.CharField("tên sản phẩm", max_length=300)
    description = models.TextField("giới thiệu", blank=True)
    kind = models.CharField("loại sản phẩm", max_length=20, choices=Kind.choices)
    topic = models.CharField("chủ đề", max_length=12, choices=Topic.choices)
    audience = models.CharField("đối tượng", max_length=12, choices=Audience.choices, default=Audience.STUDENTS)
    author = models.CharField("tác giả", max_length=300)
    licence = models.CharField("giấy phép", max_length=12, choices=Licence.choices)
    licence_other = models.CharField("giấy phép khác", max_length=300, blank=True)
    made_on = models.DateField("ngày hoàn thành")
    # Either a checked file (cyberyouth.uploads) or a link — or both (a video on YouTube with its poster).
    file = models.FileField(upload_to=product_file_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=150, blank=True)
    file_ext = models.CharField(max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    link = models.URLField("liên kết", max_length=500, blank=True)
    # lib.text.fold of title, description, author: the public search matches "lich su" to "Lịch sử".
    search_text = models.TextField(default="", editable=False)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    return_comment = models.TextField("lý do trả lại, gỡ", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Running totals; the per-day rows (ProductDay) give a year's figures.
    views = models.PositiveIntegerField("lượt xem", default=0)
    downloads = models.PositiveIntegerField("lượt tải, mở", default=0)

    class Meta:
        verbose_name = "sản phẩm truyền thông"
        verbose_name_plural = "sản phẩm truyền thông"
        ordering = ["-published_at", "-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="library_file_or_link")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def licence_label(self) -> str:
        return self.licence_other if self.licence == Licence.OTHER else self.get_licence_display()

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def shows_as(self) -> str:
        """How the public page shows the file: "image", "video", "pdf" or "" (a download only)."""
        return {".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".webp": "image",
                ".mp4": "video", ".webm": "video", ".pdf": "pdf"}.get(self.file_ext, "")


class ProductDay(models.Model):
    """How many times a product was viewed and downloaded on a day — counts only: no address,
    account or cookie of whoever looked is kept."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="library_product_day_once")]


class Citation(models.Model):
    """A record of another app (a campaign, a propaganda session, a dialogue) that uses a product.
    `target_kind` is a key of `citations.CITABLE`; `unit` is the target's unit, for scoping."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="citations")
    target_kind = models.CharField(max_length=30)
    target_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "target_kind", "target_id"],
                                               name="library_citation_once")]
        indexes = [models.Index(fields=["target_kind", "target_id"])]
