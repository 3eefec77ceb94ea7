from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cyberyouth.reports"
    verbose_name = "Văn bản báo cáo"
    # url_prefix = "…/"  and  nav = [("reports:…", "…", "capability")]  when the app has pages.
