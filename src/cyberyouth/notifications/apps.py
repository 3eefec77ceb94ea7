from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cyberyouth.notifications"
    verbose_name = "Thông báo"
    url_prefix = "thong-bao/"
    nav_order = 95
