from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "cyberyouth.monitoring"
    verbose_name = "Giám sát nội dung"
    # url_prefix = "…/"  and  nav = [("monitoring:…", "…", "capability")]  when the app has pages.
