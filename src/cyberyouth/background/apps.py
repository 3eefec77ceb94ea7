from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "cyberyouth.background"
    label = "background"
    verbose_name = "Tác vụ nền"
