from django.contrib import admin

from .models import Category, DutyShift, Helpline


class ShiftInline(admin.TabularInline):
    model = DutyShift
    extra = 1


@admin.register(Helpline)
class HelplineAdmin(admin.ModelAdmin):
    """Service hours, targets and the duty roster of each helpline (cases are not in the admin:
    their content is for their counsellors and supervisor only)."""

    list_display = ("name", "unit", "phone", "danger_hours", "plan_working_days")
    inlines = [ShiftInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "critical", "active", "order")
    list_editable = ("active", "order")
