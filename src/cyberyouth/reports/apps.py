from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cyberyouth.reports"
    verbose_name = "Văn bản báo cáo"
    url_prefix = "bao-cao/"
    nav = [("reports:index", "Văn bản, báo cáo", "report.read")]
    search = "cyberyouth.reports.selectors:search"
