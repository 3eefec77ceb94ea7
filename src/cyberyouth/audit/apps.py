from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cyberyouth.audit"
    verbose_name = "Nhật ký kiểm toán"
