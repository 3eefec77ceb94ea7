from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cyberyouth.orgs"
    verbose_name = "Đơn vị và người dùng"
    url_prefix = "don-vi/"
    nav = [("orgs:tree", "Đơn vị", "unit.read")]
    nav_order = 10

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import models, selectors

        for model in (models.Unit, models.UnitVersion, models.UnitSuccession, models.RoleAssignment):
            post_save.connect(selectors.bump_scope_generation, sender=model, dispatch_uid=f"scope-{model.__name__}")
            post_delete.connect(selectors.bump_scope_generation, sender=model, dispatch_uid=f"scope-del-{model.__name__}")
