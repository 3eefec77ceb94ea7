"""Demo budget: the 2025 funds of Cát Hải's units (approved; the yearly report's funding section
reads them), and the open year's reports at various steps (one sent, one draft)."""

from django.db import transaction

from cyberyouth.orgs.models import Unit, User

from . import services
from .models import BudgetReport

# unit → {(measure, source, group): đồng}; each unit's own funds only.
M = 1_000_000
FUNDS_2025 = {
    "hp-dk-cat-hai": {("estimate", "a", 1): 60 * M, ("actual", "a", 1): 57_500_000,
                      ("estimate", "a", 2): 25 * M, ("actual", "a", 2): 23_800_000,
                      ("estimate", "a", 7): 40 * M, ("actual", "a", 7): 38_250_000,
                      ("estimate", "c", 3): 15 * M, ("actual", "c", 3): 15 * M},
    "hp-cat-hai-doan": {("estimate", "a", 3): 20 * M, ("actual", "a", 3): 19_600_000,
                        ("estimate", "a", 5): 30 * M, ("actual", "a", 5): 27_450_000,
                        ("estimate", "c", 6): 12 * M, ("actual", "c", 6): 12_500_000},
    "thcs-cat-ba": {("estimate", "b", 1): 8 * M, ("actual", "b", 1): 7_200_000,
                    ("estimate", "b", 5): 5 * M, ("actual", "b", 5): 4_850_000,
                    ("estimate", "c", 6): 3 * M, ("actual", "c", 6): 3 * M},
    "thcs-cat-hai": {("estimate", "b", 1): 6 * M, ("actual", "b", 1): 6_150_000,
                     ("estimate", "d", 4): 2 * M, ("actual", "d", 4): 1_800_000},
    "gdnn-gdtx-cat-hai": {("estimate", "a", 1): 10 * M, ("actual", "a", 1): 9_650_000,
                          ("estimate", "b", 7): 12 * M, ("actual", "b", 7): 11_400_000,
                          ("estimate", "c", 5): 4 * M, ("actual", "c", 5): 4_200_000},
}
NOTES = {
    "hp-dk-cat-hai": "Chi tổ chức hội nghị tuyên truyền, tập huấn cán bộ, giám sát nội dung; tài trợ của doanh nghiệp "
                     "du lịch cho Cuộc vận động “Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp”.",
    "hp-cat-hai-doan": "Chi sản xuất sản phẩm truyền thông (infographic, video), diễn đàn trực tuyến cho đoàn viên.",
    "thcs-cat-ba": "Chi ngoại khóa an toàn trên mạng, in ấn infographic; phụ huynh tài trợ giải thưởng cuộc thi.",
}


@transaction.atomic
def load(*, actor) -> None:
    if BudgetReport.objects.exists():
        return
    units = {u.code: u for u in Unit.objects.filter(code__in=list(FUNDS_2025))}
    approver = User.objects.filter(username="thuongtruc").first()
    if approver is None or len(units) < len(FUNDS_2025):
        return
    entry = {u.username: u for u in User.objects.filter(username__in=["daumoi.thcscatba", "daumoi.thcscathai",
                                                                       "daumoi.gdnn"])}
    by_unit = {"thcs-cat-ba": entry.get("daumoi.thcscatba"), "thcs-cat-hai": entry.get("daumoi.thcscathai"),
               "gdnn-gdtx-cat-hai": entry.get("daumoi.gdnn")}
    for code, amounts in FUNDS_2025.items():
        values = {services.cell_key(m, s, g): a for (m, s, g), a in amounts.items()}
        report = services.budget_save(actor=by_unit.get(code) or approver, unit=units[code], year=2025, values=values,
                                      note=NOTES.get(code, ""), submit=True)
        services.budget_approve(actor=approver, report=report, comment="Số liệu khớp chứng từ.")
    # the open year: the lower secondary school in Cát Bà has sent its estimate, Cát Hải's is a draft
    year = 2026
    services.budget_save(actor=by_unit.get("thcs-cat-ba") or approver, unit=units["thcs-cat-ba"], year=year,
                         values={"estimate-b-1": 9 * M, "estimate-b-5": 6 * M, "actual-b-1": 5_400_000},
                         note="Dự toán năm 2026; đã chi ngoại khóa học kỳ I.", submit=True)
    services.budget_save(actor=by_unit.get("thcs-cat-hai") or approver, unit=units["thcs-cat-hai"], year=year,
                         values={"estimate-b-1": 6_500_000})
