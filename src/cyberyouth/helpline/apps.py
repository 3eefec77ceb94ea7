from django.apps import AppConfig


class HelplineConfig(AppConfig):
    name = "cyberyouth.helpline"
    verbose_name = "Tổng đài hỗ trợ và ứng cứu thanh thiếu nhi trên không gian mạng"
    url_prefix = "tong-dai/"
    nav = [("helpline:queue", "Tổng đài", "helpline.counsel"),
           ("helpline:stats", "Thống kê tổng đài", "helpline.stats"),
           ("helpline:settings_index", "Cấu hình tổng đài", "helpline.manage"),
           ("helpline:help", "Cần giúp đỡ?", None)]
    nav_order = 70
    report_parts = "cyberyouth.helpline.reporting:parts"

    def ready(self):
        # A person's erasure (orgs.privacy, Law 91/2025) reaches the cases they wrote as a child.
        from django.db.models.signals import post_save

        from cyberyouth.orgs.models import User

        post_save.connect(_on_user_saved, sender=User, dispatch_uid="helpline-erase-student")


def _on_user_saved(sender, instance, **kwargs):
    from cyberyouth.orgs.privacy import ERASED_PREFIX

    if not instance.is_active and instance.username.startswith(ERASED_PREFIX):
        from .services import erase_student

        erase_student(person=instance)
