from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "cyberyouth.students"
    verbose_name = "Học sinh"
    url_prefix = "hoc-sinh/"
    nav = [("students:classes", "Học sinh, lớp", "student.read"),
           ("students:classes", "Lớp chủ nhiệm", "class.teach")]
    nav_order = 35

    def ready(self):
        # Indicators 1 and 4 of schools that keep student records come from those records.
        from cyberyouth.indicators.providers import register

        from . import selectors

        register("students.enrolled", "Số học sinh đang học (danh sách học sinh)", selectors.enrolled_by_unit)
        register("students.cc_reached", "Số học sinh được tuyên truyền Quy tắc ứng xử (sổ tuyên truyền)",
                 selectors.conduct_reached_by_unit)
        register("students.cc_ack", "Số học sinh đã cam kết, chủ động thực hiện Quy tắc ứng xử (sổ cam kết)",
                 selectors.conduct_following_by_unit)
        register("students.teaches_safety", "Mọi lớp có tiết học kỹ năng an toàn trên không gian mạng (sổ tiết học)",
                 selectors.teaches_safety_by_unit)
