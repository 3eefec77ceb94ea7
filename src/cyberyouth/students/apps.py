from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "cyberyouth.students"
    verbose_name = "Học sinh"
    url_prefix = "hoc-sinh/"
    nav = [("students:classes", "Học sinh, lớp", "student.read"),
           ("students:classes", "Lớp chủ nhiệm", "class.teach")]
    nav_order = 35
    student_tiles = "cyberyouth.students.registry:own_tiles"
    home_redirect = "cyberyouth.students.registry:home_for"
    home_panel = "cyberyouth.students.home:panel"
    housekeeping = "cyberyouth.students.services:students_expire"
    personal_data = "cyberyouth.students.privacy:export_person"
    personal_erase = "cyberyouth.students.privacy:erase_person"

    def ready(self):
        # Indicators 1 and 4 of schools that keep student records come from those records.
        from cyberyouth.indicators.providers import register

        from . import selectors

        # Schools without class lists keep entering them by hand (partial providers).
        records = "/hoc-sinh/"
        register("students.enrolled", "Danh sách học sinh", selectors.enrolled_by_unit, partial=True, url=records)
        register("students.cc_reached", "Sổ tuyên truyền Quy tắc ứng xử", selectors.conduct_reached_by_unit,
                 partial=True, url=records)
        register("students.cc_ack", "Sổ cam kết Quy tắc ứng xử", selectors.conduct_following_by_unit, partial=True,
                 url=records)
        register("students.teaches_safety", "Sổ tiết học kỹ năng an toàn trên không gian mạng",
                 selectors.teaches_safety_by_unit, partial=True, url=records)
