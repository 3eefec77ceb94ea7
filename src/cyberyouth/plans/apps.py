from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cyberyouth.plans"
    verbose_name = "Kế hoạch và nhiệm vụ"
    url_prefix = "ke-hoach/"
    nav = [("plans:list", "Kế hoạch", "plan.read"), ("plans:my_tasks", "Nhiệm vụ của tôi", "progress.record")]
    nav_order = 20
