from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cyberyouth.audit"
    verbose_name = "Nhật ký kiểm toán"
    url_prefix = "nhat-ky/"
    nav = [("audit:log", "Nhật ký", "audit.read")]
    nav_order = 90
