from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "cyberyouth.contests"
    verbose_name = "Cuộc thi trực tuyến"
    url_prefix = "thi/"
    nav = [("contests:index", "Cuộc thi trực tuyến", "contest.read")]
    nav_order = 40
    student_tiles = "cyberyouth.contests.registry:student_tiles"
    report_parts = "cyberyouth.contests.reporting:parts"
    housekeeping = "cyberyouth.contests.services:housekeeping"
    personal_data = "cyberyouth.contests.privacy:export_person"
    personal_erase = "cyberyouth.contests.privacy:erase_person"
