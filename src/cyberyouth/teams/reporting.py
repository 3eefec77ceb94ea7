"""Task group 7 in the yearly report: volunteer teams and clubs (the teams page's figures)."""

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports.contributions import ReportPart
from cyberyouth.reports.formatting import fmt_int

from . import selectors


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    # what the reader may read of the report's units (none: no part)
    unit_ids = set(unit_ids) & org_selectors.unit_ids(actor=actor, capability="team.read")
    if not unit_ids:
        return []
    f = selectors.figures(unit_ids=unit_ids, year=year)
    if not (f.volunteer_teams or f.clubs or f.activities):
        return []
    return [ReportPart(group=7, text=sentence(f, year))]


def sentence(f: selectors.Figures, year: int) -> str:
    text = (f"Năm {year}, duy trì {fmt_int(f.volunteer_teams)} đội thanh niên tình nguyện và {fmt_int(f.clubs)} "
            f"câu lạc bộ với {fmt_int(f.student_members)} học sinh, sinh viên và {fmt_int(f.staff_members)} cán bộ "
            f"tham gia; tổ chức {fmt_int(f.activities)} hoạt động (lan tỏa tin tốt, câu chuyện đẹp "
            f"{fmt_int(f.good_news)}; phản bác thông tin xấu độc {fmt_int(f.rebuttal)}; sinh hoạt diễn đàn, tọa đàm "
            f"{fmt_int(f.forum_sessions)})")
    if f.linked_posts:
        text += f", gắn với {fmt_int(f.linked_posts)} bài đăng trên các kênh chính thức"
    if f.messages:
        text += (f"; diễn đàn các câu lạc bộ có {fmt_int(f.messages)} tin nhắn, trong đó {fmt_int(f.hidden)} tin "
                 "bị ẩn sau kiểm duyệt")
    return text + "."
