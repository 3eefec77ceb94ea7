"""Programme → plans (a unit's detailed plan is a child plan) → task groups → tasks,
the units assigned to each task, and their yearly progress with evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cyberyouth.orgs.models import Unit


class Programme(models.Model):
    code = models.CharField("số quyết định", max_length=40, unique=True)
    title = models.CharField("tên chương trình", max_length=400)
    decided_on = models.DateField("ngày quyết định")
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "chương trình"
        verbose_name_plural = "chương trình"

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Plan(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="plans")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="child_plans")
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name="đơn vị ban hành")
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    title = models.CharField("tên kế hoạch", max_length=600)
    year = models.PositiveSmallIntegerField("năm")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    place = models.CharField("địa danh", max_length=80, blank=True)
    preamble = models.TextField("căn cứ, mở đầu", blank=True)
    legal_bases = models.JSONField("căn cứ pháp lý", default=list, blank=True)
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=120, blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self) -> str:
        return self.title


class PlanSection(models.Model):
    """Sections I–V as text (the tasks of section III also live as TaskGroup/Task)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=8)
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField()
    # [{"heading": "1. Mục đích", "items": [{"label": "a", "text": "…"}], "text": "…"}]
    body = models.JSONField(default=list)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plansection_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TaskGroup(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="task_groups")
    number = models.PositiveSmallIntegerField("số")
    title = models.CharField("tên nhóm nhiệm vụ", max_length=600)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="taskgroup_unique")]
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Task(models.Model):
    group = models.ForeignKey(TaskGroup, on_delete=models.CASCADE, related_name="tasks")
    letter = models.CharField("điểm", max_length=4)
    order = models.PositiveSmallIntegerField()
    text = models.TextField("nội dung")
    # A child plan's task may detail a task of the parent plan.
    parent_task = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="details")

    class Meta:
        ordering = ["group__plan", "group__number", "order"]
        constraints = [models.UniqueConstraint(fields=["group", "letter"], name="task_unique")]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"

    @property
    def code(self) -> str:
        return f"{self.group.number}{self.letter}"

    def __str__(self) -> str:
        return f"{self.code}) {self.text[:80]}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATE = "coordinate", "Phối hợp"
    IMPLEMENT = "implement", "Thực hiện"


class Assignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="task_assignments")
    role = models.CharField("vai trò", max_length=12, choices=AssignmentRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique")]
        verbose_name = "phân công"
        verbose_name_plural = "phân công"

    def __str__(self) -> str:
        return f"{self.task.code} → {self.unit} ({self.get_role_display()})"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa triển khai"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    NOT_APPLICABLE = "not_applicable", "Không áp dụng"


class Progress(models.Model):
    """What one assigned unit did on one task in one year."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="progress")
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField("trạng thái", max_length=16, choices=ProgressStatus.choices,
                              default=ProgressStatus.NOT_STARTED)
    summary = models.TextField("kết quả thực hiện", blank=True)
    started_on = models.DateField("ngày bắt đầu", null=True, blank=True)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "year"], name="progress_unique"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(started_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="progress_dates_ordered",
            ),
        ]
        verbose_name = "tiến độ"
        verbose_name_plural = "tiến độ"

    def __str__(self) -> str:
        return f"{self.assignment} {self.year}: {self.get_status_display()}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.progress.assignment.unit.code}/{instance.progress.year}/{instance.sha256[:16]}-{filename}"


class Evidence(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField("tên minh chứng", max_length=300)
    file = models.FileField(upload_to=evidence_path, blank=True)
    url = models.URLField("đường dẫn", max_length=1000, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="evidence_file_or_url"),
        ]
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"

    def __str__(self) -> str:
        return self.title
