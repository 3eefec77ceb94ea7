from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cyberyouth.indicators"
    verbose_name = "Chỉ tiêu và báo cáo định kỳ"
    # url_prefix = "…/"  and  nav = [("indicators:…", "…", "capability")]  when the app has pages.
