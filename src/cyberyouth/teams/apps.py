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

    def ready(self):
        # A person erased (orgs.privacy) or a student de-identified (students app: withdrawal,
        # retention) loses the words of their forum messages and their memberships.
        from django.db.models.signals import post_save

        from cyberyouth.orgs.models import User

        post_save.connect(_on_user_saved, sender=User, dispatch_uid="teams-erase-person")


def _on_user_saved(sender, instance, **kwargs):
    from cyberyouth.orgs.privacy import ERASED_PREFIX
    from cyberyouth.students.services import DEIDENTIFIED_PREFIX

    if not instance.is_active and instance.username.startswith((ERASED_PREFIX, DEIDENTIFIED_PREFIX)):
        from .privacy import erase_person

        erase_person(person=instance, actor=None, reason="Ẩn danh, xóa dữ liệu cá nhân")
