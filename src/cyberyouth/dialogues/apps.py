from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "cyberyouth.dialogues"
    verbose_name = "Đối thoại giữa lãnh đạo nhà trường với học sinh"
    url_prefix = "doi-thoai/"
    nav = [("dialogues:list", "Đối thoại với học sinh", "dialogue.read")]
    nav_order = 47
    student_tiles = "cyberyouth.dialogues.registry:tiles"
    housekeeping = "cyberyouth.dialogues.services:housekeeping"
    report_parts = "cyberyouth.dialogues.reporting:parts"
    personal_data = "cyberyouth.dialogues.privacy:export_person"
    personal_erase = "cyberyouth.dialogues.privacy:erase_person"
