from django.contrib import admin

from cyberyouth.audit.admin_mixins import AuditedModelAdmin

from .models import Assignment, Evidence, Plan, PlanSection, Programme, Progress, Task, TaskGroup


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["letter", "order", "text"]


@admin.register(TaskGroup)
class TaskGroupAdmin(AuditedModelAdmin):
    list_display = ["plan", "number", "title"]
    inlines = [TaskInline]


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ["title", "owner_unit", "year", "parent"]
    list_filter = ["year"]
    search_fields = ["title"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedModelAdmin):
    list_display = ["task", "unit", "role"]
    list_filter = ["role", "task__group__number"]
    search_fields = ["unit__name"]


@admin.register(Progress)
class ProgressAdmin(AuditedModelAdmin):
    list_display = ["assignment", "year", "status", "updated_at"]
    list_filter = ["year", "status"]


admin.site.register(Programme, AuditedModelAdmin)
admin.site.register(PlanSection, AuditedModelAdmin)
admin.site.register(Evidence, AuditedModelAdmin, list_display=["title", "progress", "size", "uploaded_at"])
