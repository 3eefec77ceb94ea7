from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "cyberyouth.monitoring"
    verbose_name = "Giám sát nội dung"
    url_prefix = "giam-sat/"
    home_panel = "cyberyouth.monitoring.home:panel"
    nav = [("monitoring:queue", "Kiểm duyệt", "content.moderate"),
           ("monitoring:channels", "Giám sát kênh", "monitoring.manage"),
           ("monitoring:stats", "Thống kê giám sát", "monitoring.read")]
    search = "cyberyouth.monitoring.selectors:search"
    report_parts = "cyberyouth.monitoring.reporting:parts"

    def ready(self):
        from cyberyouth.background.services import task_abandoned

        from .services import import_task_abandoned

        task_abandoned.connect(import_task_abandoned, dispatch_uid="monitoring.import_task_abandoned")
