"""Task group 6 (6b) in the yearly report: the anonymous surveys and their response (the results
pages' response-rate figures, from `selectors.response_counts`)."""

from cyberyouth.reports.contributions import ReportPart
from cyberyouth.lib.disclosure import is_small, rate, suppressed_label
from cyberyouth.reports.formatting import fmt_int

from . import selectors


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    figures = selectors.report_figures(actor=actor, unit_ids=unit_ids, year=year)
    if not figures["surveys"]:
        return []
    return [ReportPart(group=6, text=survey_sentence(figures, year))]


def survey_sentence(figures: dict, year: int) -> str:
    titles = "; ".join(f"“{t}”" for t in figures["titles"][:3])
    more = f" và {fmt_int(figures['surveys'] - 3)} khảo sát khác" if figures["surveys"] > 3 else ""
    answered = suppressed_label() if is_small(figures["answered"]) else fmt_int(figures["answered"])
    shown_rate = rate(figures["answered"], figures["asked"])
    share = f", đạt {round(100 * shown_rate)} %" if shown_rate is not None else ""
    return (f"Tìm hiểu suy nghĩ, nguyện vọng của học sinh bằng công cụ số (nhiệm vụ 6b): năm {year} tổ chức "
            f"{fmt_int(figures['surveys'])} khảo sát ẩn danh, tự nguyện ({titles}{more}); "
            f"{answered} lượt học sinh trả lời trên {fmt_int(figures['asked'])} học sinh được mời"
            f"{share}. Kết quả chỉ công bố dưới dạng tổng hợp, không hiển thị nhóm dưới 5 em.")
