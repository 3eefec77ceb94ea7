"""Task group 5 in the yearly report: the media library's figures (the library page's numbers)."""

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int

from . import selectors


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    """One sentence when the units published, or people used, products in `year`."""
    ids = unit_ids & org_selectors.unit_ids(actor=actor, capability=selectors.READ)
    figures = selectors.year_figures(unit_ids=ids, year=year)
    if not (figures.published or figures.views or figures.downloads or figures.cited):
        return []
    return [ReportPart(group=5, text=sentence(figures, is_school=is_school))]


def sentence(f: selectors.YearFigures, *, is_school: bool) -> str:
    who = "" if is_school else f" của {fmt_int(f.units)} đơn vị" if f.units else ""
    kinds = ", ".join(f"{label.split(' (')[0].lower()} {fmt_int(n)}" for label, n in f.by_kind)
    text = (f"Thư viện sản phẩm truyền thông năm {f.year}: {fmt_int(f.published)} sản phẩm{who} được duyệt và công "
            f"bố trên thư viện điện tử cho học sinh" + (f" ({kinds})" if kinds else "")
            + f"; các sản phẩm có {fmt_int(f.views)} lượt xem, {fmt_int(f.downloads)} lượt tải về hoặc mở")
    if f.cited:
        text += f"; {fmt_int(f.cited)} lượt được sử dụng trong các chiến dịch, buổi tuyên truyền, đối thoại"
    return text + "."
