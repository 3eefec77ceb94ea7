from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "cyberyouth.campaigns"
    verbose_name = "Chiến dịch “Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp”"
    url_prefix = "chien-dich/"
    nav = [("campaigns:compliance", "Tin tốt, chuyện đẹp", "campaign.read"),
           ("campaigns:days", "Lịch ngày kỷ niệm", "campaign.read")]
    nav_order = 45
    report_parts = "cyberyouth.campaigns.reporting:parts"
    personal_data = "cyberyouth.campaigns.privacy:export"
    personal_erase = "cyberyouth.campaigns.privacy:erase"
