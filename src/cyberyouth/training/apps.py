from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "cyberyouth.training"
    verbose_name = "Tập huấn cán bộ, đoàn viên mới"
    url_prefix = "tap-huan/"
    nav = [("training:index", "Tập huấn, đoàn viên", "training.read")]
    report_parts = "cyberyouth.training.reporting:parts"

    def ready(self):
        # Indicators 2 and 3 are counted from this app's records (read-only on the yearly form).
        from cyberyouth.indicators.providers import register

        from . import selectors

        records = "/tap-huan/{unit}/chi-tieu/{year}/"  # the drill-down: the records behind each figure

        register("training.staff_student_work", "Cán bộ làm công tác học sinh, sinh viên (Sổ cán bộ)",
                 selectors.staff_student_work_by_unit, url=records + "#chi-tieu-3")
        register("training.staff_trained", "Cán bộ được tập huấn trong năm (Sổ tập huấn)",
                 selectors.staff_trained_by_unit, url=records + "#chi-tieu-3")
        register("training.union_new_members", "Đoàn viên mới kết nạp (Sổ đoàn viên mới)",
                 selectors.union_new_members_by_unit, url=records + "#chi-tieu-2")
        register("training.union_new_studied", "Đoàn viên mới đã học lý luận chính trị (kết quả ứng dụng)",
                 selectors.union_new_studied_by_unit, url=records + "#chi-tieu-2")
