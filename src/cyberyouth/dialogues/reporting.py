"""Task group 6 (task 6c) in the yearly report: the dialogues' compliance figures — computed by
`selectors.summarise`, the same function the compliance page shows."""

from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int

from . import selectors
from .models import Mode


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    ids = unit_ids & selectors.scope_ids(actor=actor, year=year)
    summary = selectors.summarise(unit_ids=ids, year=year)
    if not summary.schools:
        return []
    return [ReportPart(group=6, text=sentence(summary, year=year, is_school=is_school))]


def _modes(summary) -> str:
    names = {Mode.IN_PERSON: "trực tiếp", Mode.ONLINE: "trực tuyến", Mode.HYBRID: "kết hợp trực tiếp và trực tuyến"}
    parts = [f"{fmt_int(summary.by_mode[m])} buổi {names[m]}" for m in names if summary.by_mode.get(m)]
    return ", ".join(parts)


def sentence(summary, *, year: int, is_school: bool) -> str:
    """One paragraph: held dialogues by mode, attendance, questions answered, commitments kept,
    and the yearly rule (at least one in person and one online) met by how many schools."""
    if not summary.held:
        who = "Nhà trường" if is_school else f"{fmt_int(summary.schools)} trường thuộc phạm vi báo cáo"
        return (f"Đối thoại giữa lãnh đạo nhà trường với học sinh năm {year}: {who} chưa ghi nhận buổi đối thoại "
                f"nào trên hệ thống; chưa đạt yêu cầu tổ chức ít nhất 01 buổi trực tiếp và 01 buổi trực tuyến.")
    text = (f"Đối thoại giữa lãnh đạo nhà trường với học sinh năm {year}: "
            f"{'nhà trường' if is_school else 'các trường'} đã tổ chức {fmt_int(summary.held)} buổi đối thoại "
            f"({_modes(summary)}) với {fmt_int(summary.attendance)} lượt học sinh tham dự; "
            f"{fmt_int(summary.answered)}/{fmt_int(summary.questions)} câu hỏi của học sinh đã được trả lời")
    if summary.commitments:
        text += (f"; {fmt_int(summary.commitments_done)}/{fmt_int(summary.commitments)} cam kết của lãnh đạo "
                 f"đã hoàn thành")
    if is_school:
        if summary.met:
            return text + "; đạt yêu cầu tổ chức ít nhất 01 buổi trực tiếp và 01 buổi trực tuyến trong năm."
        missing = summary.not_met[0].missing if summary.not_met else ""
        return text + f"; chưa đạt yêu cầu của Kế hoạch (chưa tổ chức buổi {missing})."
    text += (f". Có {fmt_int(summary.met)}/{fmt_int(summary.schools)} trường đạt yêu cầu tổ chức ít nhất 01 buổi "
             f"trực tiếp và 01 buổi trực tuyến trong năm")
    if summary.not_met:
        names = ", ".join(r.unit.name for r in summary.not_met[:8])
        more = f" và {fmt_int(len(summary.not_met) - 8)} trường khác" if len(summary.not_met) > 8 else ""
        text += f"; các trường chưa đạt: {names}{more}"
    return text + "."
