from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "cyberyouth.teams"
    verbose_name = "Đội thanh niên tình nguyện, câu lạc bộ"
    url_prefix = "doi-nhom/"
    nav = [("teams:index", "Đội, câu lạc bộ", "team.read")]
    nav_order = 45
    student_tiles = "cyberyouth.teams.registry:student_tiles"
    report_parts = "cyberyouth.teams.reporting:parts"
    personal_data = "cyberyouth.teams.privacy:export_person"
    personal_erase = "cyberyouth.teams.privacy:erase_person"
