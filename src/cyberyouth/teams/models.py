"""Volunteer teams and clubs of a school (task group 7c, 7d): members (students with consent,
staff from the training app's register), activities (spreading good news, rebutting bad
information, forum sessions) linked to the campaign's posts, and a club's discussion forum whose
messages the safety engine screens and the club's staff moderate."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class TeamKind(models.TextChoices):
    VOLUNTEER = "volunteer", "Đội thanh niên tình nguyện"
    CLUB = "club", "Câu lạc bộ"


class Team(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams", verbose_name="đơn vị")
    kind = models.CharField("loại", max_length=10, choices=TeamKind.choices)
    name = models.CharField("tên", max_length=200)
    purpose = models.TextField("mục đích, nội dung sinh hoạt", blank=True)
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    closed_on = models.DateField("ngừng hoạt động từ", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "đội, câu lạc bộ"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="teams_name_unique_per_unit")]

    def __str__(self):
        return self.name

    @property
    def has_forum(self) -> bool:
        return self.kind == TeamKind.CLUB


class MemberRole(models.TextChoices):
    MEMBER = "member", "Thành viên"
    LEADER = "leader", "Đội trưởng, chủ nhiệm"
    ADVISER = "adviser", "Cán bộ phụ trách"


class TeamMember(models.Model):
    """A student (with the account consent of the students app) or a staff member (training's
    staff register) in a team over [joined_on, left_on)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey("students.Student", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="team_memberships")
    staff = models.ForeignKey("training.StaffMember", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="team_memberships")
    role = models.CharField("vai trò", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField("tham gia từ")
    left_on = models.DateField("rời từ", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "thành viên"
        constraints = [
            models.CheckConstraint(condition=Q(student__isnull=True, staff__isnull=False)
                                   | Q(student__isnull=False, staff__isnull=True), name="teams_member_one_person"),
            models.UniqueConstraint(fields=["team", "student"], condition=Q(left_on__isnull=True, student__isnull=False),
                                    name="teams_student_once"),
            models.UniqueConstraint(fields=["team", "staff"], condition=Q(left_on__isnull=True, staff__isnull=False),
                                    name="teams_staff_once"),
        ]


class ActivityKind(models.TextChoices):
    GOOD_NEWS = "good_news", "Lan tỏa tin tốt, câu chuyện đẹp"
    REBUTTAL = "rebuttal", "Phản bác thông tin xấu độc"
    FORUM = "forum", "Sinh hoạt diễn đàn, tọa đàm"
    OTHER = "other", "Hoạt động khác"


class Activity(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField("loại hoạt động", max_length=10, choices=ActivityKind.choices)
    title = models.CharField("tên hoạt động", max_length=300)
    held_on = models.DateField("ngày")
    description = models.TextField("kết quả, ghi chú", blank=True)
    participants = models.PositiveIntegerField("số người tham gia", default=0)
    # The campaign's posts ledger: a read-only link to the posts the activity produced.
    posts = models.ManyToManyField("campaigns.Post", blank=True, related_name="team_activities",
                                   verbose_name="bài đăng")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "hoạt động"


class Thread(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField("chủ đề", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = "chủ đề thảo luận"

    def __str__(self):
        return self.title


class MessageStatus(models.TextChoices):
    VISIBLE = "visible", "Đang hiển thị"
    HELD = "held", "Chờ duyệt"
    HIDDEN = "hidden", "Đã ẩn"


class Message(models.Model):
    """A forum message. The safety engine screens it on arrival: flagged → held for the club's
    staff, who publish it, hide it or restore it, always with a reason (audited)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("nội dung")
    status = models.CharField("tình trạng", max_length=8, choices=MessageStatus.choices, default=MessageStatus.VISIBLE)
    flags = models.JSONField("dấu hiệu máy phát hiện", default=list, blank=True)
    screening_failed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField("lý do", max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "tin nhắn diễn đàn"
        indexes = [models.Index(fields=["thread", "status"], name="teams_message_thread_status")]
