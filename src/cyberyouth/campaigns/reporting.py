"""Task group 3 in the yearly report: the campaign's figures (the dashboard's numbers)."""

from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int, share

from . import selectors

CAMPAIGN = "“Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp”"


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    """One paragraph: posts, official channels taking part, days with a tin tốt and weeks with a
    câu chuyện đẹp over those owed, peak weeks, commendations — `selectors.task_group_3`, which
    reads the same `dashboard` as the campaign's page. Nothing when no unit posts."""
    figures = selectors.task_group_3(actor=actor, unit=unit, year=year)
    if not figures.summary.units:
        return []
    return [ReportPart(group=3, text=sentence(figures, year=year, is_school=is_school))]


def sentence(figures: selectors.TaskGroup3, *, year: int, is_school: bool) -> str:
    s = figures.summary
    who = ("trên kênh thông tin chính thức của đơn vị" if is_school else
           f"trên {fmt_int(figures.channels)} kênh thông tin chính thức của {fmt_int(s.units)} cơ quan, đơn vị, "
           "cơ sở giáo dục")
    text = (f"Thực hiện phong trào {CAMPAIGN} năm {year}, {who} đã đăng {fmt_int(s.posts)} tin, bài; số ngày có tin "
            f"tốt đạt {fmt_int(s.good_days)}/{fmt_int(s.days_expected)} ngày"
            f"{'' if is_school else ' (cộng theo đơn vị)'} ({share(s.good_days, s.days_expected)}), số tuần có câu "
            f"chuyện đẹp đạt {fmt_int(s.story_weeks)}/{fmt_int(s.weeks_expected)} tuần "
            f"({share(s.story_weeks, s.weeks_expected)})")
    if figures.peak_weeks:
        weeks = "; ".join(f"{c.title}: {fmt_int(posted)}/{fmt_int(asked)} đơn vị đăng tải đồng loạt"
                          for c, posted, asked in figures.peak_weeks)
        text += f"; tổ chức {fmt_int(len(figures.peak_weeks))} tuần cao điểm ({weeks})"
    awarded = [f"{fmt_int(n)} {label}" for n, label in ((figures.collectives, "tập thể"), (figures.persons, "cá nhân"))
               if n]
    if awarded:
        text += f"; {' và '.join(awarded)} được tặng Giấy khen vì thực hiện tốt phong trào"
    return text + "."
