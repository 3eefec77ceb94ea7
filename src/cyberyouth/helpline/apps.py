from django.apps import AppConfig


class HelplineConfig(AppConfig):
    name = "cyberyouth.helpline"
    verbose_name = "Tổng đài hỗ trợ và ứng cứu thanh thiếu nhi trên không gian mạng"
    url_prefix = "tong-dai/"
    nav = [("helpline:queue", "Tổng đài", "helpline.counsel"),
           ("helpline:stats", "Thống kê tổng đài", "helpline.stats"),
           ("helpline:help", "Cần giúp đỡ?", None)]
    nav_order = 70
