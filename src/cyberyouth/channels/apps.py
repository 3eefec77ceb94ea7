from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "cyberyouth.channels"
    verbose_name = "Kênh thông tin"
    # url_prefix = "…/"  and  nav = [("channels:…", "…", "capability")]  when the app has pages.
