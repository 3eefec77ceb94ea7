"""A document maker: the commendation decision ("Quyết định khen thưởng", Decree 30 layout through
`reports.docx_layout.OfficialDocument`) with its list, and the certificate of merit ("Giấy khen",
`reports.docx_layout.Certificate`). Made on request from the decision and the frozen grounds, so
a document downloaded twice says the same thing."""

from __future__ import annotations

from django.conf import settings

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import UnitType
from cyberyouth.reports import selectors as report_selectors
from cyberyouth.reports.composer import default_signature
from cyberyouth.reports.docx_layout import (
    Certificate, Column, Header, OfficialDocument, Signature, TableSpec, place_and_date,
)
from cyberyouth.reports.formatting import fmt_int

from .models import Commendation, CommendationDecision, NomineeKind

CAMPAIGN = "“Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp”"
# The legal bases printed above "QUYẾT ĐỊNH:"; settings.CAMPAIGNS_COMMENDATION_BASES replaces them
# (the issuing body's own founding law and regulations on emulation usually come first).
BASES = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một "
    "số điều của Luật Thi đua, khen thưởng;",
    "Căn cứ Quyết định số 311/QĐ-TTg ngày 05 tháng 3 năm 2022 của Thủ tướng Chính phủ phê duyệt Đề án “Giáo dục "
    "lý tưởng cách mạng, đạo đức, lối sống văn hóa cho thanh niên, thiếu niên, nhi đồng trên không gian mạng giai "
    "đoạn 2022 - 2030”;",
]
ADMINISTRATIVE = {UnitType.PROVINCE, UnitType.DISTRICT, UnitType.SPECIAL_ZONE, UnitType.COMMUNE, UnitType.WARD,
                  UnitType.TOWNSHIP}


def _place(unit, on) -> str:
    area = org_selectors.administrative_unit_of(unit=unit, on=on)
    name = report_selectors.name_on(area, on)
    for prefix in ("Đặc khu ", "Xã ", "Phường ", "Thị trấn ", "Huyện ", "Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return name


def _signer(decision: CommendationDecision) -> tuple[str, Signature]:
    """(who decides, as printed above "QUYẾT ĐỊNH:", the signature block): the head of the
    issuing unit — the People's Committee's chair, a school's principal, a centre's director."""
    unit = decision.issuer_unit
    issuer = report_selectors.issuer_for(unit=unit, on=decision.signed_on)
    default = default_signature(unit)
    title = default.title
    authority = f"{title} {issuer.short_name}"
    if unit.unit_type in ADMINISTRATIVE:  # a chair's decision is signed as the chair, not "TM. Ủy ban"
        return authority, Signature(authority="", title=decision.signer_title or title, name=decision.signer_name)
    return authority, Signature(authority=default.authority, title=decision.signer_title or title,
                                name=decision.signer_name)


def _number(decision: CommendationDecision, symbol: str) -> str:
    return f"Số: {decision.number}" if decision.number else f"Số:        /QĐ-{symbol}"


def grounds_text(grounds: dict) -> str:
    """The frozen figures in one line, as the list and the pages print them."""
    share = (lambda a, b: f" ({round(100 * a / b)}%)" if b else "")
    text = (f"ngày có tin tốt {fmt_int(grounds['good_days'])}/{fmt_int(grounds['days_expected'])}"
            f"{share(grounds['good_days'], grounds['days_expected'])}; tuần có câu chuyện đẹp "
            f"{fmt_int(grounds['story_weeks'])}/{fmt_int(grounds['weeks_expected'])}"
            f"{share(grounds['story_weeks'], grounds['weeks_expected'])}; {fmt_int(grounds['posts'])} bài đăng; "
            f"chuỗi dài nhất {fmt_int(grounds['longest_streak'])} ngày")
    if grounds.get("peak_weeks_asked"):
        text += f"; tham gia {grounds['peak_weeks_joined']}/{grounds['peak_weeks_asked']} tuần cao điểm"
    return text + f" (số liệu đến ngày {grounds['as_of'][8:10]}/{grounds['as_of'][5:7]}/{grounds['as_of'][:4]})"


def _nominee_line(c: Commendation) -> str:
    if c.kind == NomineeKind.PERSON:
        return c.person_name + (f", {c.person_position}" if c.person_position else "") + f", {c.unit.name}"
    return c.unit.name


def decision_docx(decision: CommendationDecision) -> bytes:
    items = list(decision.commendations.select_related("unit", "proposer_unit").order_by("book_number"))
    on = decision.signed_on
    unit = decision.issuer_unit
    issuer = report_selectors.issuer_for(unit=unit, on=on)
    header = Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                    number=_number(decision, issuer.symbol), place=_place(unit, on), on=on)
    summary = (f"Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong thực hiện\n"
               f"phong trào {CAMPAIGN} năm {decision.year}")
    doc = OfficialDocument(header=header, doc_type="Quyết định", summary=summary,
                           title=f"Quyết định khen thưởng phong trào tin tốt – chuyện đẹp năm {decision.year}")
    authority, signature = _signer(decision)
    doc.paragraph(authority.upper(), bold=True, center=True)
    for basis in getattr(settings, "CAMPAIGNS_COMMENDATION_BASES", BASES):
        doc.paragraph(basis, italic=True)
    proposers = sorted({c.proposer_unit.name for c in items if c.proposer_unit_id != unit.id})
    if proposers:
        doc.paragraph(f"Xét đề nghị của {', '.join(proposers)}.", italic=True)
    doc.paragraph("QUYẾT ĐỊNH:", bold=True, center=True)
    collectives = [c for c in items if c.kind == NomineeKind.COLLECTIVE]
    people = [c for c in items if c.kind == NomineeKind.PERSON]
    whom = " và ".join(x for x in (f"{len(collectives)} tập thể" if collectives else "",
                                    f"{len(people)} cá nhân" if people else "") if x)
    doc.rich([("b", "Điều 1. "), ("", f"Tặng Giấy khen cho {whom} (có danh sách kèm theo) đã có thành tích xuất sắc "
                                      f"trong thực hiện phong trào {CAMPAIGN} năm {decision.year} trên các kênh thông "
                                      "tin chính thức của đơn vị.")])
    doc.rich([("b", "Điều 2. "), ("", "Quyết định này có hiệu lực kể từ ngày ký.")])
    doc.rich([("b", "Điều 3. "), ("", "Văn phòng, các cơ quan, đơn vị liên quan và các tập thể, cá nhân có tên tại "
                                      "Điều 1 chịu trách nhiệm thi hành Quyết định này.")])
    doc.closing(recipients=["Như Điều 3", f"Lưu: VT, {issuer.symbol}"], signature=signature)
    doc.page_break()
    doc.paragraph("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN", bold=True, center=True)
    reference = (f"số {decision.number}" if decision.number else "số        ") + f" {place_and_date('', on)[2:]}"
    doc.paragraph(f"(Kèm theo Quyết định {reference} của {issuer.short_name})", italic=True, center=True)
    rows, bold = [], set()
    for label, group in (("I. TẬP THỂ", collectives), ("II. CÁ NHÂN", people)):
        if not group:
            continue
        bold.add(len(rows))
        rows.append(["", f"{label} ({len(group)})", "", ""])
        for i, c in enumerate(group, start=1):
            rows.append([str(i), _nominee_line(c), grounds_text(c.grounds), f"{c.book_number}/{decision.year}"])
    doc.table(TableSpec(columns=[Column("TT", 1.0, "center"), Column("Tập thể, cá nhân", 5.5),
                                 Column("Thành tích (số liệu của hệ thống)", 7.5), Column("Số vào sổ", 2.0, "center")],
                        rows=rows, bold_rows=bold))
    return doc.to_bytes()


def certificate_docx(commendation: Commendation) -> bytes:
    decision = commendation.decision
    on = decision.signed_on
    unit = decision.issuer_unit
    issuer = report_selectors.issuer_for(unit=unit, on=on)
    authority, signature = _signer(decision)
    if commendation.kind == NomineeKind.PERSON:
        recipient = commendation.person_name
        detail = ", ".join(x for x in (commendation.person_position, commendation.unit.name) if x)
    else:
        recipient, detail = commendation.unit.name, ""
    number = decision.number or f"        /QĐ-{issuer.symbol}"
    return Certificate(
        authority=authority, recipient=recipient, detail=detail,
        citation=(f"Đã có thành tích xuất sắc trong thực hiện phong trào {CAMPAIGN} năm {decision.year} "
                  "trên không gian mạng."),
        place=_place(unit, on), on=on, signature=signature,
        decision_ref=f"Quyết định số: {number}\n{place_and_date('', on)[2:].capitalize()}",
        book_ref=f"Số vào sổ: {commendation.book_number}/{decision.year}",
    ).to_bytes()
