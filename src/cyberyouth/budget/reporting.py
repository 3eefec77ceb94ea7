"""The funding section of the yearly report and of the reviews: the budget page's totals
(approved reports, by source and by task group)."""

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports.contributions import FUNDING, ReportPart
from cyberyouth.reports.docx_layout import Column, TableSpec
from cyberyouth.reports.formatting import fmt_int, fmt_pct

from . import selectors
from .models import GROUPS, Measure, Source

SHORT_SOURCES = {"a": "ngân sách nhà nước", "b": "nguồn thu hợp pháp của nhà trường",
                 "c": "tài trợ, viện trợ, đóng góp xã hội", "d": "nguồn hợp pháp khác"}


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    """The funds in figures when any approved budget report exists; nothing otherwise (the report
    then prints what the unit typed)."""
    if unit.id not in org_selectors.unit_ids(actor=actor, capability=selectors.READ):
        return []
    totals = selectors.totals(actor=actor, unit=unit, year=year, unit_ids=unit_ids)
    if not totals.approved or totals.table.is_empty:
        return []
    return [ReportPart(section=FUNDING, text=sentence(totals, is_school=is_school), table=table(totals))]


def _by_source(totals: selectors.Totals, measure: str) -> str:
    amounts = totals.table.by_source(measure)
    return "; ".join(f"{SHORT_SOURCES[s]} {fmt_int(a)} đồng" for s, a in amounts.items() if a)


def sentence(totals: selectors.Totals, *, is_school: bool) -> str:
    src = f"từ {fmt_int(totals.approved)} báo cáo kinh phí đã được duyệt" if not is_school else \
        "theo báo cáo kinh phí đã được duyệt"
    est, act = totals.estimate, totals.actual
    text = f"Kinh phí thực hiện Kế hoạch năm {totals.year} ({src}): dự toán {fmt_int(est)} đồng"
    if est:
        text += f" ({_by_source(totals, Measure.ESTIMATE)})"
    text += f"; đã thực hiện {fmt_int(act)} đồng"
    if act:
        text += f" ({_by_source(totals, Measure.ACTUAL)})"
    if est and act:
        text += f", bằng {fmt_pct(100 * act / est)} dự toán"
    return text + ". Kinh phí theo nhóm nhiệm vụ như bảng dưới đây."


def table(totals: selectors.Totals) -> TableSpec:
    titles = selectors.group_titles()
    t = totals.table
    est_g, act_g = t.by_group(Measure.ESTIMATE), t.by_group(Measure.ACTUAL)
    rows = []
    for g in GROUPS:
        rows.append([str(g), titles.get(g, "")[:90], fmt_int(est_g[g])]
                    + [fmt_int(t.get(Measure.ACTUAL, s, g)) for s in Source.values] + [fmt_int(act_g[g])])
    act_s = t.by_source(Measure.ACTUAL)
    rows.append(["", "Cộng", fmt_int(totals.estimate)] + [fmt_int(act_s[s]) for s in Source.values]
                + [fmt_int(totals.actual)])
    return TableSpec(
        columns=[Column("TT", 0.8, "center"), Column("Nhóm nhiệm vụ", 4.6), Column("Dự toán", 2.0, "right")]
        + [Column(f"Thực hiện nguồn {s})", 1.9, "right") for s in Source.values] + [Column("Cộng thực hiện", 2.1, "right")],
        rows=rows, bold_rows={len(rows) - 1},
        caption=f"Bảng. Kinh phí thực hiện Kế hoạch năm {totals.year} theo nhóm nhiệm vụ và nguồn (đồng)",
        note="Nguồn: a) " + SHORT_SOURCES["a"] + "; b) " + SHORT_SOURCES["b"] + "; c) " + SHORT_SOURCES["c"]
        + "; d) " + SHORT_SOURCES["d"] + ". Cùng số liệu với trang Kinh phí của hệ thống.")
