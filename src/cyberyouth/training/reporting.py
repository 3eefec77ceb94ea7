"""Task group 7 in the yearly report: staff training (the training page's figures)."""

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int

from . import selectors


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    # what the reader may read of the report's units (none: no part)
    unit_ids = set(unit_ids) & org_selectors.unit_ids(actor=actor, capability="training.read")
    if not unit_ids:
        return []
    f = selectors.training_figures(unit_ids=unit_ids, year=year)
    if not f["courses"] and not f["trained"]:
        return []
    return [ReportPart(group=7, text=sentence(f, year))]


def sentence(f: dict, year: int) -> str:
    text = (f"Công tác bồi dưỡng cán bộ năm {year}: ghi nhận {fmt_int(f['courses'])} lớp tập huấn"
            + (f" ({fmt_int(f['sessions'])} buổi học có điểm danh)" if f["sessions"] else "")
            + f", {fmt_int(f['completions'])} lượt cán bộ hoàn thành, cấp {fmt_int(f['certificates'])} giấy chứng nhận; "
            f"{fmt_int(f['trained'])}/{fmt_int(f['staff'])} cán bộ làm công tác học sinh, sinh viên được tập huấn "
            "về tuyên truyền, đấu tranh trên không gian mạng trong năm")
    return text + "."
