"""Task group 2 in the yearly report: content monitoring's figures (the statistics page's numbers)."""

from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int

from . import selectors


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    """One sentence for a district, zone or province; a school's report has no monitoring figures
    (its posts are counted in its area's report)."""
    if is_school:
        return []
    stats = selectors.report_statistics(actor=actor, year=year, unit_ids=unit_ids)
    if not stats or not stats["total"]:
        return []
    return [ReportPart(group=2, text=_monitoring_sentence(stats, year))]


def _monitoring_sentence(stats: dict, year: int) -> str:
    """Task group 2 in figures, from content monitoring (the statistics page's numbers)."""
    queued = sum(row["queued"] for row in stats["by_category"])
    main = [row for row in stats["confirmed_by_category"] if row["n"]][:4]  # by the decision's category
    kinds = ", ".join(f"{row['name'].lower()} {row['n']}" for row in main)
    sentence = (f"Công tác giám sát nội dung trên không gian mạng năm {year}: hệ thống tiếp nhận "
                f"{fmt_int(stats['total'])} nội dung từ các kênh được theo dõi và tố giác của người dân, trong đó "
                f"{fmt_int(queued)} nội dung được đưa vào hàng đợi kiểm duyệt; kiểm duyệt viên đã xem xét "
                f"{fmt_int(stats['decided'])} nội dung, xác nhận {fmt_int(stats['confirmed'])} trường hợp vi phạm")
    sentence += f" ({kinds})" if kinds else ""
    if stats["median_hours_to_decision"] is not None:
        sentence += f"; thời gian xử lý trung vị {fmt_int(round(stats['median_hours_to_decision']))} giờ"
    return sentence + f"; còn {fmt_int(stats['open'])} nội dung đang chờ xem xét."
