from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cyberyouth.indicators"
    verbose_name = "Chỉ tiêu và báo cáo định kỳ"
    url_prefix = "chi-tieu/"
    home_panel = "cyberyouth.indicators.home:panel"
    nav = [
        ("indicators:dashboard", "Chỉ tiêu", "indicator.read"),
        ("indicators:my_reports", "Báo cáo số liệu", "data.enter"),
    ]

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import models

        def bump(sender, **kwargs):
            if kwargs.get("raw"):
                return
            from django.db.models import F

            updated = models.DefinitionsVersion.objects.filter(pk=1).update(version=F("version") + 1)
            if not updated:
                models.DefinitionsVersion.objects.get_or_create(pk=1)

        for model in (models.Indicator, models.Milestone, models.DataElement, models.ReportForm, models.FormElement):
            post_save.connect(bump, sender=model, weak=False, dispatch_uid=f"indicators-defs-save-{model.__name__}")
            post_delete.connect(bump, sender=model, weak=False, dispatch_uid=f"indicators-defs-delete-{model.__name__}")
