from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cyberyouth.plans"
    verbose_name = "Kế hoạch và nhiệm vụ"
