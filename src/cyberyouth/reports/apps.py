from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cyberyouth.reports"
    verbose_name = "Văn bản báo cáo"
    url_prefix = "bao-cao/"
    nav = [("reports:index", "Văn bản, báo cáo", "report.read")]
    search = "cyberyouth.reports.selectors:search"

    def ready(self):
        from cyberyouth.background.services import task_abandoned

        from .services import document_task_abandoned

        task_abandoned.connect(document_task_abandoned, dispatch_uid="reports.document_task_abandoned")
