from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "working", "name")
    list_filter = ("working",)
