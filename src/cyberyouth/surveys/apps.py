from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cyberyouth.surveys"
    verbose_name = "Khảo sát ẩn danh học sinh"
    url_prefix = "khao-sat/"
    nav = [("surveys:list", "Khảo sát học sinh", "survey.results|survey.manage")]
    nav_order = 75
    student_tiles = "cyberyouth.surveys.views:student_tiles"
    housekeeping = "cyberyouth.surveys.services:surveys_housekeeping"
    report_parts = "cyberyouth.surveys.reporting:parts"
    personal_data = "cyberyouth.surveys.privacy:export_person"
    personal_erase = "cyberyouth.surveys.privacy:erase_person"
