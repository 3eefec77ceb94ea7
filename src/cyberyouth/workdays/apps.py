from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cyberyouth.workdays"
    verbose_name = "Lịch ngày làm việc"
    url_prefix = "lich-lam-viec/"
    nav = [("workdays:calendar", "Lịch nghỉ lễ", "calendar.manage")]
    nav_order = 85
