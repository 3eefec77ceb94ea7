from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cyberyouth.web"
    verbose_name = "Giao diện"
