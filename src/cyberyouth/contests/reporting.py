"""Task group 6 in the yearly report: online contests, participants and attempts against targets
(the same selector as the contest pages' figures: `selectors.participation`)."""

from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int, fmt_pct

from . import selectors


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    figures = selectors.participation(unit_ids=unit_ids, year=year)
    if not figures["attempts"]:
        return []
    return [ReportPart(group=6, text=sentence(figures, year))]


def sentence(figures: dict, year: int) -> str:
    text = (f"Tổ chức thi trực tuyến tìm hiểu về lịch sử, văn hóa dân tộc và ứng xử trên không gian mạng năm "
            f"{year}: {fmt_int(figures['contests'])} cuộc thi, {fmt_int(figures['rounds'])} vòng thi; "
            f"{fmt_int(figures['participants'])} học sinh tham gia với {fmt_int(figures['attempts'])} lượt thi")
    if figures["target"]:
        text += (f", đạt {fmt_pct(figures['percent'], 0)} chỉ tiêu "
                 f"({fmt_int(figures['participants'])}/{fmt_int(figures['target'])} học sinh)")
    return text + "."
