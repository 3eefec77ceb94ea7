from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "cyberyouth.channels"
    verbose_name = "Kênh thông tin"
    url_prefix = "kenh-thong-tin/"
    nav = [("channels:list", "Kênh thông tin", "channel.read")]

    def ready(self):
        # Indicator 5 counts institutions with at least one active channel: this app provides it.
        from cyberyouth.indicators.providers import register

        from .selectors import active_channels_by_unit

        register("channels.active", "Số kênh thông tin đang hoạt động (Sổ kênh thông tin)", active_channels_by_unit)
