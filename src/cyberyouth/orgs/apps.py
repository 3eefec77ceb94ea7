from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cyberyouth.orgs"
    verbose_name = "Đơn vị và người dùng"
    url_prefix = "don-vi/"
    nav = [("orgs:tree", "Đơn vị", None)]
    nav_order = 10
