"""Gather the facts of a document (through other apps' selectors) and write it in the
Decree 30 layout: the plan (Kế hoạch), the yearly report (of the standing agency or of a
school) and the 2025 mid-term / 2030 final review.

Nothing here computes an indicator: the indicator tables print `indicators.selectors`'
results as they are (the same code path as `cyberyouth indicators compute --json` and the
dashboard), and `Facts.indicator_snapshot` keeps exactly the rows printed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from cyberyouth.errors import DomainError
from cyberyouth.indicators import selectors as indicator_selectors
from cyberyouth.lib.text import vi_key
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import SCHOOL_TYPES, Unit, UnitType, VOCATIONAL_TYPES
from cyberyouth.plans import selectors as plan_selectors
from cyberyouth.plans.models import Plan

from . import charts, contributions, selectors
from .docx_layout import MARGINS_MM, Column, Header, OfficialDocument, Signature, TableSpec, nfc
from .formatting import fmt_date, fmt_int, fmt_pct, share, short_date
from .models import DocumentKind, ReportNote

Progress = Callable[[int, str], None]
TEXT_WIDTH_CM = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10


def _noop(percent: int, stage: str) -> None:
    return None


def plan_reference(plan: Plan, issuer_body: str) -> str:
    """"Kế hoạch số 12/KH-UBND ngày 20/4/2023 của Ủy ban nhân dân huyện Cát Hải"."""
    number = re.sub(r"^\s*Số\s*:?\s*", "", plan.number or "").strip()
    parts = ["Kế hoạch"]
    if number and re.match(r"^\d", number):
        parts.append(f"số {number}")
    if plan.issued_on:
        parts.append(f"ngày {short_date(plan.issued_on)}")
    parts.append(f"của {issuer_body}")
    return " ".join(parts)


def programme_phrase(plan: Plan) -> str:
    p = plan.programme
    return (f"Quyết định số {p.code} ngày {short_date(p.decided_on)} của {p.issuer} phê duyệt Chương trình "
            f"“{p.title}”")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in nfc(text).split("\n") if line.strip()]


# ---------------------------------------------------------------- the plan itself


def build_plan(*, plan: Plan, progress: Progress = _noop) -> OfficialDocument:
    """The plan as issued: header, "KẾ HOẠCH" and its title, the preamble, sections I–V (section
    III from the live task groups), "Nơi nhận" and the signature block."""
    on = plan.issued_on or date(plan.year, 1, 1)
    issuer = selectors.issuer_for(unit=plan.owner_unit, on=on)
    number = plan.number.strip() or f"Số:        /KH-{issuer.symbol}"
    if not number.lower().startswith("số"):
        number = f"Số: {number}"
    doc = OfficialDocument(
        header=Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body, number=number,
                      place=plan.place or selectors.name_on(plan.owner_unit, on), on=plan.issued_on),
        doc_type="Kế hoạch", summary=plan.title, title=f"Kế hoạch — {plan.title}"[:250],
    )
    progress(20, "Phần mở đầu")
    if plan.preamble:
        doc.paragraph(plan.preamble)
    groups = plan_selectors.plan_structure(plan=plan)
    sections = list(plan.sections.order_by("order"))
    for i, section in enumerate(sections):
        progress(20 + int(70 * i / max(1, len(sections))), f"Mục {section.number}")
        doc.heading(f"{section.number}. {section.title.upper()}")
        if section.number == "III" and groups:
            for group in groups:
                doc.heading(f"{group.number}. {group.title}", level=2)
                for task in group.tasks.all():
                    doc.item(task.letter, task.text)
            continue
        for block in section.body:
            if block.get("heading"):
                doc.heading(block["heading"], level=2)
            for item in block.get("items", []):
                doc.item(item.get("label", ""), item.get("text", ""))
            if block.get("text"):
                doc.paragraph(block["text"])
    doc.closing(recipients=list(plan.recipients or []),
                signature=Signature(authority=plan.signer_authority, title=plan.signer_title, name=plan.signer_name))
    progress(95, "Hoàn thiện văn bản")
    return doc


# ---------------------------------------------------------------- facts for reports


@dataclass
class IndicatorFacts:
    """The indicator tables as `indicators.selectors` returned them (never recomputed here)."""

    rows: list  # list[UnitIndicators], the scope unit first
    completeness: object | None  # indicators.selectors.Completeness
    notes: list  # list[SubmissionNote]

    @property
    def total(self):
        return self.rows[0] if self.rows else None

    def snapshot(self) -> list[dict]:
        return [r.as_dict() for r in self.rows]


@dataclass
class Facts:
    kind: str
    plan: Plan
    unit: Unit  # the scope
    year: int  # report year, or the milestone for a review
    on: date  # the document's date
    issuer: selectors.Issuer
    plan_issuer_body: str
    standing_agency: Unit | None
    note: ReportNote | None
    results: selectors.PlanResults
    indicators: IndicatorFacts
    read_at: object  # datetime the data was read
    series_results: list = field(default_factory=list)  # [(year, PlanResults)] for reviews
    series_indicators: list = field(default_factory=list)  # list[IndicatorSeries]
    reorganisations: list = field(default_factory=list)
    parts: list = field(default_factory=list)  # list[contributions.ReportPart] the apps add
    series_funding: list = field(default_factory=list)  # [(year, funding parts)] for reviews

    @property
    def is_school(self) -> bool:
        return self.unit.unit_type in SCHOOL_TYPES

    def indicator_snapshot(self) -> dict:
        return {"year": self.indicators.total.year if self.indicators.total else self.year,
                "unit": self.unit.code, "rows": self.indicators.snapshot()}


def _indicator_facts(*, actor, unit: Unit, year: int) -> IndicatorFacts:
    rows = indicator_selectors.compute_indicators(actor=actor, year=year, unit=unit)
    comp = indicator_selectors.completeness(actor=actor, year=year, unit=unit)
    notes = indicator_selectors.submission_notes(actor=actor, year=year, unit=unit)
    return IndicatorFacts(rows=rows, completeness=comp, notes=notes)


def resolve_scope(*, plan: Plan, unit: Unit | None, year: int) -> Unit:
    """No unit: the plan's issuing unit — or the unit that carries it on at the end of `year`."""
    if unit is None:
        return org_selectors.successor_on(unit=plan.owner_unit, on=selectors.period_end(year))
    return unit


def gather(*, actor, kind: str, plan: Plan, unit: Unit, year: int, on: date,
           progress: Progress = _noop) -> Facts:
    """Read everything a yearly report (kind "yearly") or a review (kind "review", `year` =
    milestone) prints, as `actor` sees it."""
    read_at = timezone.now()
    agency = selectors.standing_agency(plan=plan)
    scope_end = selectors.period_end(year)
    # A school reports for itself; a district or zone's report is issued by its standing agency.
    if unit.unit_type in SCHOOL_TYPES or agency is None:
        issuer_unit = unit
    elif agency.id in org_selectors.year_unit_ids(unit=unit, year=year):
        issuer_unit = agency
    else:
        issuer_unit = unit
    issuer = selectors.issuer_for(unit=issuer_unit, on=on)
    plan_on = plan.issued_on or date(plan.year, 1, 1)
    plan_issuer_body = selectors.body_name(plan.owner_unit, plan_on)
    note = selectors.note_for(unit=unit, kind=kind, year=year)
    progress(10, "Đọc tiến độ nhiệm vụ")
    results = selectors.plan_results(actor=actor, plan=plan, unit=unit, year=year)
    progress(25, "Đọc số liệu chỉ tiêu")
    indicators = _indicator_facts(actor=actor, unit=unit, year=year)
    first_year = max(plan.year, plan.programme.start_year)
    reorgs = selectors.reorganisations_in(
        unit_ids=org_selectors.year_unit_ids(unit=unit, year=year),
        year_from=year if kind == DocumentKind.YEARLY else first_year, year_to=year)
    facts = Facts(kind=kind, plan=plan, unit=unit, year=year, on=on, issuer=issuer,
                  plan_issuer_body=plan_issuer_body, standing_agency=agency, note=note, results=results,
                  indicators=indicators, read_at=read_at, reorganisations=reorgs)
    facts.parts = contributions.collect(actor=actor, unit=unit, year=year, is_school=facts.is_school,
                                        unit_ids=org_selectors.year_unit_ids(unit=unit, year=year))
    if kind == DocumentKind.REVIEW:
        years = list(range(first_year, year + 1))
        for i, y in enumerate(years):
            progress(30 + int(30 * i / len(years)), f"Đọc kết quả năm {y}")
            facts.series_results.append((y, selectors.plan_results(actor=actor, plan=plan, unit=unit, year=y)))
        # the funding section of a review: each year's records, read by the same hook as the yearly report
        facts.series_funding = [(y, contributions.funding(facts.parts if y == year else contributions.collect(
            actor=actor, unit=unit, year=y, is_school=facts.is_school,
            unit_ids=org_selectors.year_unit_ids(unit=unit, year=y)))) for y in years]
        progress(62, "Đọc chuỗi số liệu chỉ tiêu")
        facts.series_indicators = indicator_selectors.indicator_series(
            actor=actor, unit=unit, years=years,
            on=None if unit.is_active_on(scope_end) else unit.last_day)
    return facts


# ---------------------------------------------------------------- pieces shared by reports


def _unit_list(names: list[str], limit: int = 12) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" và {len(names) - limit} đơn vị khác"


TYPE_WORDS = {
    UnitType.COMMUNE: "xã", UnitType.TOWNSHIP: "thị trấn", UnitType.WARD: "phường", UnitType.AGENCY: "cơ quan",
    UnitType.YOUTH_UNION: "tổ chức Đoàn", UnitType.KINDERGARTEN: "trường mầm non",
    UnitType.PRIMARY: "trường tiểu học", UnitType.PRIMARY_LOWER_SECONDARY: "trường tiểu học và trung học cơ sở",
    UnitType.LOWER_SECONDARY: "trường trung học cơ sở", UnitType.UPPER_SECONDARY: "trường trung học phổ thông",
    UnitType.VOCATIONAL_CENTRE: "trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên",
    UnitType.VOCATIONAL_COLLEGE: "cơ sở cao đẳng",
    UnitType.DISTRICT: "huyện", UnitType.SPECIAL_ZONE: "đặc khu", UnitType.PROVINCE: "tỉnh, thành phố",
}


def _type_breakdown(units: list[Unit]) -> str:
    counts: dict[str, int] = {}
    for u in units:
        word = TYPE_WORDS.get(u.unit_type, u.get_unit_type_display().lower())
        counts[word] = counts.get(word, 0) + 1
    return ", ".join(f"{n:02d} {word}" for word, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def milestone_label(m) -> str:
    """"phấn đấu > 90%" from an indicators Milestone (or a Target)."""
    sign = ">" if str(getattr(m, "comparator", "")) == "gt" else "≥"
    value = f"{float(m.value):g}".replace(".", ",")
    return f"{'phấn đấu ' if m.strive else ''}{sign} {value}%"


def _reorganisation_sentences(facts: Facts) -> list[str]:
    out = []
    for reorg in facts.reorganisations:
        successions = list(reorg.successions.select_related("predecessor", "successor"))
        if not successions:
            continue
        successors = sorted({s.successor for s in successions}, key=lambda u: u.id)
        preds = [selectors.name_on(s.predecessor, reorg.effective_date) for s in successions]
        basis = f"thực hiện {reorg.legal_basis}, " if reorg.legal_basis else ""
        names = ", ".join(selectors.name_on(u, reorg.effective_date) for u in successors)
        out.append(
            f"Từ ngày {fmt_date(reorg.effective_date)}, {basis}{_unit_list(preds, 4)} được sắp xếp thành {names}. "
            f"Số liệu, nhiệm vụ và hồ sơ của các đơn vị trước sắp xếp được kế thừa và tổng hợp trong báo cáo này "
            f"theo đơn vị kế thừa."
        )
    return out


def _note_lines(doc: OfficialDocument, text: str, *, missing: str) -> None:
    lines = _lines(text)
    if not lines:
        doc.paragraph(missing, italic=True)
        return
    for line in lines:
        if line[:1] in "-+•":
            doc.item("-", line.lstrip("-+• ").strip())
        else:
            doc.paragraph(line)


MISSING_NOTE = ("[Nội dung này do đơn vị nhập trên hệ thống trước khi tạo báo cáo; hiện chưa nhập. "
                "Đề nghị bổ sung trước khi trình ký.]")


def _group_table(results: selectors.PlanResults, *, caption: str) -> TableSpec:
    """Task groups × status: every assigned cell of the matrix in exactly one status column, so
    that each row adds up to its "Lượt giao"."""
    statuses = ("done", "in_progress", "not_started", "not_applicable", "missing")
    rows = []
    for g in results.groups:
        rows.append([str(g.number), g.title, fmt_int(g.assigned)] + [fmt_int(g.counts.get(s, 0)) for s in statuses]
                    + [fmt_int(g.evidence)])
    t = results.totals
    rows.append(["", "Tổng cộng", fmt_int(results.assigned)] + [fmt_int(t.get(s, 0)) for s in statuses]
                + [fmt_int(results.evidence)])
    return TableSpec(
        columns=[Column("TT", 0.8, "center"), Column("Nhóm nhiệm vụ", 5.5), Column("Lượt giao", 1.4, "right"),
                 Column("Hoàn thành", 1.4, "right"), Column("Đang thực hiện", 1.4, "right"),
                 Column("Chưa triển khai", 1.4, "right"), Column("Không áp dụng", 1.4, "right"),
                 Column("Chưa báo cáo", 1.4, "right"), Column("Minh chứng", 1.4, "right")],
        rows=rows, bold_rows={len(rows) - 1}, caption=caption,
        note="Mỗi lượt giao là một nhiệm vụ giao cho một đơn vị; “Chưa báo cáo”: đơn vị chưa cập nhật tiến độ "
             "trên hệ thống. Lượt giao bằng tổng năm cột tình trạng.")


def _indicator_total_table(facts: Facts, *, caption: str, milestone_years=(2025, 2030)) -> TableSpec:
    """Table of the scope's five indicators: numerator, denominator, result, the milestones and
    the status, exactly as `compute_indicators` gave them."""
    total = facts.indicators.total
    milestones = {}
    for s in indicator_selectors.indicators():
        milestones[s.code] = {m.year: m for m in s.milestones.all()}
    rows = []
    for r in total.indicators if total else []:
        if facts.is_school and not r.denominator and not r.numerator:
            continue  # an indicator of GDNN institutions, not of this school
        ms = milestones.get(r.indicator, {})
        cells = [str(r.number), r.name, fmt_int(r.numerator), fmt_int(r.denominator), fmt_pct(r.value)]
        for y in milestone_years:
            cells.append(milestone_label(ms[y]) if y in ms else "—")
        cells.append(indicator_selectors.STATUS_LABELS.get(r.status, r.status))
        rows.append(cells)
    return TableSpec(
        columns=[Column("TT", 0.8, "center"), Column("Chỉ tiêu", 4.6), Column("Tử số", 1.5, "right"),
                 Column("Mẫu số", 1.5, "right"), Column("Kết quả", 1.6, "right"),
                 Column(f"Mốc {milestone_years[0]}", 1.9, "center"), Column(f"Mốc {milestone_years[1]}", 1.9, "center"),
                 Column("Đánh giá", 2.2, "center")],
        rows=rows, caption=caption,
        note=f"Số liệu từ các báo cáo đã được duyệt trên hệ thống, tính đến ngày {fmt_date(total.on) if total else ''}; "
             "cùng số liệu với trang Chỉ tiêu của hệ thống.")


def _indicator_unit_table(facts: Facts, *, caption: str) -> TableSpec | None:
    rows_in = facts.indicators.rows[1:]
    if not rows_in:
        return None
    numbers = [r.number for r in facts.indicators.total.indicators]
    rows = []
    for unit_row in rows_in:
        by_number = {r.number: r for r in unit_row.indicators}
        indent = "  " * max(0, unit_row.depth - facts.indicators.total.depth - 1)
        rows.append([indent + unit_row.name] + [fmt_pct(by_number[n].value) if n in by_number else "—" for n in numbers])
    width = (TEXT_WIDTH_CM - 5.6) / max(1, len(numbers))
    return TableSpec(
        columns=[Column("Đơn vị", 5.6)] + [Column(f"Chỉ tiêu {n}", width, "right") for n in numbers],
        rows=rows, caption=caption,
        note="“—”: đơn vị chưa có báo cáo được duyệt hoặc chỉ tiêu không áp dụng cho loại đơn vị. "
             "Tử số, mẫu số của từng đơn vị: xem Phụ lục (tệp XLSX).")


def default_signature(unit) -> Signature:
    """Who signs for `unit` when nobody has said (the name is left for the clerk)."""
    if unit.unit_type in (UnitType.PROVINCE, UnitType.DISTRICT, UnitType.SPECIAL_ZONE, UnitType.COMMUNE,
                          UnitType.WARD, UnitType.TOWNSHIP):
        authority, title = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    elif unit.unit_type in VOCATIONAL_TYPES and unit.unit_type != UnitType.VOCATIONAL_COLLEGE:
        authority, title = "", "GIÁM ĐỐC"
    elif unit.unit_type in SCHOOL_TYPES:
        authority, title = "", "HIỆU TRƯỞNG" if unit.unit_type != UnitType.VOCATIONAL_COLLEGE else "GIÁM ĐỐC"
    elif unit.unit_type == UnitType.YOUTH_UNION:
        authority, title = "TM. BAN THƯỜNG VỤ", "BÍ THƯ"
    else:
        authority, title = "", "TRƯỞNG PHÒNG"
    return Signature(authority=authority, title=title, name="")


def _signature(facts: Facts) -> Signature:
    note = facts.note
    default = default_signature(facts.issuer.unit)
    if note and (note.signer_authority or note.signer_title or note.signer_name):
        return Signature(authority=note.signer_authority, title=note.signer_title or default.title,
                         name=note.signer_name)
    return default


def department_on(on: date) -> str:
    """The city department the standing agency reports to (section V): the Department of
    Labour, Invalids and Social Affairs until it merged into Home Affairs on 1/3/2025."""
    if on < date(2025, 3, 1):
        return "Sở Lao động - Thương binh và Xã hội thành phố Hải Phòng"
    return "Sở Nội vụ thành phố Hải Phòng"


def _recipients(facts: Facts) -> list[str]:
    on = facts.on
    symbol = facts.issuer.symbol
    if facts.is_school:
        agency = facts.standing_agency
        out = []
        if agency is not None:
            out.append(f"{selectors.name_on(agency, on)} (để tổng hợp)")
        out.append(f"Lưu: VT, {symbol}" if symbol else "Lưu: VT")
        return out
    committee = selectors.body_name(facts.unit, on) if facts.unit.unit_type not in SCHOOL_TYPES else ""
    out = []
    if facts.issuer.unit.id != facts.unit.id and committee:
        out.append(f"{committee} (để báo cáo)")
    out.append(f"{department_on(on)} (để báo cáo)")
    out.append("Các cơ quan, đơn vị, trường học trên địa bàn (để biết)")
    out.append(f"Lưu: VT, {symbol}")
    return out


def _header(facts: Facts) -> Header:
    place = facts.plan.place or selectors.name_on(facts.unit, facts.on)
    return Header(parent_body=facts.issuer.parent_body, issuing_body=facts.issuer.issuing_body,
                  number=f"Số:        /BC-{facts.issuer.symbol}", place=place, on=facts.on)


def _opening(facts: Facts, what: str) -> str:
    return (f"Thực hiện {plan_reference(facts.plan, facts.plan_issuer_body)} triển khai thực hiện "
            f"{programme_phrase(facts.plan)} (sau đây gọi tắt là Kế hoạch), {facts.issuer.short_name} báo cáo "
            f"{what} như sau:")


def _completeness_paragraphs(doc: OfficialDocument, facts: Facts, results: selectors.PlanResults) -> None:
    comp = facts.indicators.completeness
    if comp is not None and comp.total.expected:
        t = comp.total
        sentence = (f"Về báo cáo số liệu chỉ tiêu năm {facts.year}: {t.on_time + t.late}/{t.expected} đơn vị đã gửi "
                    f"báo cáo (đạt {share(t.on_time + t.late, t.expected)}), trong đó {t.on_time} đơn vị gửi đúng hạn"
                    f"{', ' + str(t.late) + ' đơn vị gửi muộn' if t.late else ''}; {t.approved} báo cáo đã được duyệt")
        if comp.deadline:
            sentence += f" (hạn nộp {fmt_date(comp.deadline)})"
        doc.paragraph(sentence + ".")
        owing = [r.name for r in comp.rows if r.timeliness == "missing"]
        if owing:
            doc.paragraph(f"Đơn vị chưa gửi báo cáo số liệu: {_unit_list(owing)}.")
    elif comp is not None:
        doc.paragraph(f"Chưa có đơn vị nào thuộc diện báo cáo số liệu chỉ tiêu năm {facts.year} trong phạm vi báo cáo.")
    complete = [u for u in results.completeness if u.assigned and u.reported == u.assigned]
    partial = [u for u in results.completeness if u.reported < u.assigned]
    doc.paragraph(
        f"Về cập nhật tiến độ nhiệm vụ: {len(complete)}/{len(results.completeness)} đơn vị đã cập nhật đầy đủ tiến độ "
        f"các nhiệm vụ được giao; tổng số {results.reported}/{results.assigned} lượt nhiệm vụ đã có báo cáo "
        f"(đạt {share(results.reported, results.assigned)}).")
    if partial:
        doc.paragraph("Đơn vị chưa cập nhật đầy đủ: " + "; ".join(
            f"{u.name} ({u.reported}/{u.assigned})" for u in partial[:15])
            + (f" và {len(partial) - 15} đơn vị khác" if len(partial) > 15 else "") + ".")


def _print_parts(doc: OfficialDocument, parts: list) -> None:
    for part in parts:
        doc.paragraph(part.text)
        if part.table is not None:
            doc.table(part.table)


def _funding(doc: OfficialDocument, facts: Facts, *, years: bool = False) -> None:
    """The funding section: the apps' records (the budget's approved reports) when they exist —
    they replace what the unit typed in its note — else the typed text. `years`: a review's,
    every year of the period that has records."""
    recorded = ([p for _, parts in facts.series_funding for p in parts] if years
                else contributions.funding(facts.parts))
    if recorded:
        _print_parts(doc, recorded)
        return
    note = facts.note
    if note and note.funding_vnd:
        doc.paragraph(f"Tổng kinh phí thực hiện: {fmt_int(note.funding_vnd)} đồng.")
    if note and note.funding.strip():
        _note_lines(doc, note.funding, missing="")
    elif not (note and note.funding_vnd):
        doc.paragraph("Kinh phí thực hiện được bố trí trong dự toán chi thường xuyên của các cơ quan, đơn vị theo "
                      "phân cấp ngân sách hiện hành (Mục IV của Kế hoạch); hệ thống chưa ghi nhận số liệu kinh phí cụ "
                      "thể cho kỳ báo cáo này.")


def _shortfall(facts: Facts) -> list:
    total = facts.indicators.total
    return [r for r in (total.indicators if total else [])
            if r.status in ("at_risk", "off_track") and r.target is not None]


# ---------------------------------------------------------------- the yearly report


def build_yearly(facts: Facts, *, progress: Progress = _noop) -> OfficialDocument:
    """"BÁO CÁO Kết quả thực hiện Kế hoạch … năm YYYY" of the standing agency or of a school."""
    year = facts.year
    results = facts.results
    summary = (f"Kết quả thực hiện Kế hoạch triển khai Quyết định số {facts.plan.programme.code}\n"
               f"của {facts.plan.programme.issuer} năm {year}")
    doc = OfficialDocument(header=_header(facts), doc_type="Báo cáo", summary=summary,
                           title=f"Báo cáo kết quả năm {year} — {facts.issuer.short_name}")
    doc.paragraph(_opening(facts, f"kết quả thực hiện năm {year}"))
    progress(70, "Tình hình chung")
    doc.heading("I. TÌNH HÌNH CHUNG" if not facts.is_school else "I. ĐẶC ĐIỂM TÌNH HÌNH")
    scope_name = selectors.name_on(facts.unit, selectors.period_end(year))
    if facts.is_school:
        assigned_groups = [g for g in results.groups if g.assigned]
        doc.paragraph(
            f"Năm {year}, {scope_name} được giao thực hiện {results.assigned} nhiệm vụ thuộc {len(assigned_groups)} "
            f"nhóm nhiệm vụ của Kế hoạch. Đơn vị đã cập nhật tiến độ {results.reported}/{results.assigned} nhiệm vụ "
            f"trên hệ thống, kèm {results.evidence} minh chứng.")
    else:
        doc.paragraph(
            f"Năm {year}, Kế hoạch được triển khai tại {len(results.units)} cơ quan, đơn vị, địa phương thuộc "
            f"{scope_name} ({_type_breakdown(results.units)}), với {results.assigned} lượt nhiệm vụ được giao.")
    for sentence in _reorganisation_sentences(facts):
        doc.paragraph(sentence)
    if results.child_plans:
        doc.paragraph(f"Trong năm, {len(results.child_plans)} đơn vị đã ban hành kế hoạch chi tiết thực hiện Kế hoạch: "
                      f"{_unit_list(sorted({n for n, _ in results.child_plans}, key=vi_key))}.")
    doc.heading("II. KẾT QUẢ THỰC HIỆN")
    doc.heading("1. Kết quả thực hiện các nhiệm vụ, giải pháp", level=2)
    t = results.totals
    doc.paragraph(
        f"Tổng số {results.assigned} lượt nhiệm vụ được giao, đã báo cáo {results.reported} lượt "
        f"(đạt {share(results.reported, results.assigned)}); trong đó hoàn thành {t.get('done', 0)} lượt "
        f"({share(t.get('done', 0), results.assigned)}), đang thực hiện {t.get('in_progress', 0)}, chưa triển khai "
        f"{t.get('not_started', 0)}, không áp dụng {t.get('not_applicable', 0)}; {results.evidence} minh chứng kèm "
        f"theo. Kết quả theo từng nhóm nhiệm vụ như sau:")
    progress(75, "Kết quả theo nhóm nhiệm vụ")
    doc.table(_group_table(results, caption=f"Bảng 1. Kết quả thực hiện nhiệm vụ theo nhóm, năm {year}"))
    for g in results.groups:
        doc.heading(f"1.{g.number}. {g.title}", level=3)
        c = g.counts
        sentence = (f"{g.assigned} lượt giao; hoàn thành {c.get('done', 0)}, đang thực hiện {c.get('in_progress', 0)}, "
                    f"chưa triển khai {c.get('not_started', 0)}"
                    + (f", không áp dụng {c.get('not_applicable', 0)}" if c.get("not_applicable") else "")
                    + f", chưa báo cáo {c.get('missing', 0)}; {g.evidence} minh chứng.")
        doc.paragraph(sentence)
        for name, text in g.highlights:
            doc.item("-", f"{name}: {text.rstrip('.')}." if not facts.is_school else f"{text.rstrip('.')}.")
        _print_parts(doc, contributions.of_group(facts.parts, g.number))
    progress(80, "Kết quả các chỉ tiêu")
    doc.heading("2. Kết quả thực hiện các chỉ tiêu", level=2)
    total = facts.indicators.total
    if total is None:
        doc.paragraph(f"Không có chỉ tiêu nào áp dụng cho {scope_name} trong năm {year}.")
    else:
        met = [r for r in total.indicators if r.status == "met"]
        doc.paragraph(
            f"Tổng hợp từ {total.reporting_units} báo cáo số liệu đã được duyệt, kết quả {len(total.indicators)} chỉ "
            f"tiêu của Kế hoạch năm {year} so với mốc năm 2025 và năm 2030 như sau (đã đạt mốc: {len(met)}/"
            f"{len(total.indicators)} chỉ tiêu):")
        doc.table(_indicator_total_table(facts, caption=f"Bảng 2. Kết quả các chỉ tiêu năm {year}"))
        short = _shortfall(facts)
        if short:
            doc.paragraph("Các chỉ tiêu chưa đạt tiến độ: " + "; ".join(
                f"chỉ tiêu {r.number} ({r.name}) đạt {fmt_pct(r.value)}, mốc {r.target.year}: "
                f"{milestone_label(r.target) if r.target else '—'}"
                for r in short) + ".")
        unit_table = None if facts.is_school else _indicator_unit_table(
            facts, caption=f"Bảng 3. Kết quả các chỉ tiêu theo đơn vị, năm {year}")
        if unit_table is not None:
            doc.table(unit_table)
    progress(85, "Tình hình báo cáo")
    doc.heading("3. Tình hình báo cáo của các đơn vị" if not facts.is_school else "3. Tình hình báo cáo", level=2)
    _completeness_paragraphs(doc, facts, results)
    doc.heading("4. Kinh phí thực hiện", level=2)
    _funding(doc, facts)
    note = facts.note
    doc.heading("III. KHÓ KHĂN, VƯỚNG MẮC")
    _note_lines(doc, note.difficulties if note else "", missing=MISSING_NOTE)
    doc.heading(f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}")
    if note and note.next_steps.strip():
        _note_lines(doc, note.next_steps, missing="")
    else:
        for line in _derived_next_steps(facts):
            doc.item("-", line)
    doc.heading("V. ĐỀ XUẤT, KIẾN NGHỊ")
    _note_lines(doc, note.proposals if note else "", missing=MISSING_NOTE)
    doc.paragraph(f"Trên đây là báo cáo kết quả thực hiện Kế hoạch năm {year} của {facts.issuer.short_name}./.")
    doc.closing(recipients=_recipients(facts), signature=_signature(facts))
    return doc


def _derived_next_steps(facts: Facts) -> list[str]:
    """Next steps that follow from the figures, when the unit wrote none."""
    t = facts.results.totals
    out = []
    pending = t.get("in_progress", 0) + t.get("not_started", 0)
    if pending:
        out.append(f"Tiếp tục triển khai {pending} lượt nhiệm vụ đang thực hiện hoặc chưa triển khai; ưu tiên các "
                   f"nhóm nhiệm vụ có tỷ lệ hoàn thành thấp.")
    for r in _shortfall(facts):
        out.append(f"Tập trung nâng kết quả chỉ tiêu {r.number} ({r.name}) từ {fmt_pct(r.value)} lên mức "
                   f"{milestone_label(r.target) + ' (' + str(r.target.year) + ')' if r.target else 'của Kế hoạch'}.")
    if t.get("missing", 0):
        out.append("Đôn đốc các đơn vị cập nhật đầy đủ tiến độ, minh chứng và báo cáo số liệu đúng hạn trên hệ thống.")
    out.append("Duy trì các kênh thông tin trên không gian mạng, Cuộc vận động “Mỗi ngày một tin tốt, mỗi tuần một câu "
               "chuyện đẹp” và hoạt động đối thoại với học sinh theo Kế hoạch.")
    return out


# ---------------------------------------------------------------- the mid-term and final reviews


def build_review(facts: Facts, *, progress: Progress = _noop) -> OfficialDocument:
    """The 2025 mid-term review (sơ kết) or the 2030 final review (tổng kết): the years side by
    side, charts, each indicator against the milestone, and the units that fell short, with
    their own explanations."""
    milestone = facts.year
    start = facts.plan.programme.start_year
    final = milestone >= facts.plan.programme.end_year
    word = "Tổng kết" if final else "Sơ kết"
    period_label = f"{start} - {milestone}"
    summary = (f"{word} giai đoạn {period_label} thực hiện Kế hoạch triển khai\n"
               f"Quyết định số {facts.plan.programme.code} của {facts.plan.programme.issuer}")
    doc = OfficialDocument(header=_header(facts), doc_type="Báo cáo", summary=summary,
                           title=f"Báo cáo {word.lower()} {period_label} — {facts.issuer.short_name}")
    doc.paragraph(_opening(facts, f"{word.lower()} giai đoạn {period_label}"))
    years = [y for y, _ in facts.series_results]
    scope_name = selectors.name_on(facts.unit, selectors.period_end(milestone))
    progress(66, "Tình hình triển khai")
    doc.heading("I. TÌNH HÌNH TRIỂN KHAI")
    plan = facts.plan
    doc.paragraph(
        f"{plan_reference(plan, facts.plan_issuer_body)} được ban hành"
        f"{' ngày ' + short_date(plan.issued_on) if plan.issued_on and 'ngày' not in plan_reference(plan, '') else ''} "
        f"với 05 chỉ tiêu đến năm 2025 và năm 2030 và {len(facts.results.groups)} nhóm nhiệm vụ, giải pháp. "
        f"Đến năm {milestone}, Kế hoạch được triển khai tại {len(facts.results.units)} cơ quan, đơn vị, địa phương "
        f"thuộc {scope_name} ({_type_breakdown(facts.results.units)}).")
    for sentence in _reorganisation_sentences(facts):
        doc.paragraph(sentence)
    child_total = sum(len(r.child_plans) for _, r in facts.series_results)
    if child_total:
        doc.paragraph(f"Trong giai đoạn, các đơn vị đã ban hành {child_total} kế hoạch chi tiết thực hiện Kế hoạch.")
    doc.heading(f"II. KẾT QUẢ ĐẠT ĐƯỢC GIAI ĐOẠN {period_label}")
    doc.heading("1. Kết quả thực hiện các nhiệm vụ, giải pháp qua các năm", level=2)
    rows = []
    for y, r in facts.series_results:
        t = r.totals
        rows.append([str(y), fmt_int(r.assigned), fmt_int(r.reported), share(r.reported, r.assigned),
                     fmt_int(t.get("done", 0)), share(t.get("done", 0), r.assigned), fmt_int(r.evidence)])
    doc.table(TableSpec(
        columns=[Column("Năm", 1.5, "center"), Column("Lượt giao", 2.2, "right"), Column("Đã báo cáo", 2.2, "right"),
                 Column("Tỷ lệ báo cáo", 2.6, "right"), Column("Hoàn thành", 2.2, "right"),
                 Column("Tỷ lệ hoàn thành", 3.0, "right"), Column("Minh chứng", 2.3, "right")],
        rows=rows, caption=f"Bảng 1. Kết quả thực hiện nhiệm vụ qua các năm {years[0]} - {years[-1]}"))
    progress(72, "Vẽ biểu đồ tiến độ")
    doc.picture(charts.progress_by_year([(y, r.totals) for y, r in facts.series_results]), width_cm=15,
                caption="Biểu đồ 1. Cơ cấu tình trạng thực hiện nhiệm vụ qua các năm")
    group_rows = []
    numbers = sorted({g.number for _, r in facts.series_results for g in r.groups})
    for n in numbers:
        title = next(g.title for _, r in facts.series_results for g in r.groups if g.number == n)
        cells = [str(n), title]
        for _, r in facts.series_results:
            g = next((g for g in r.groups if g.number == n), None)
            cells.append(share(g.counts.get("done", 0), g.assigned) if g else "—")
        group_rows.append(cells)
    col = (TEXT_WIDTH_CM - 0.8 - 6.5) / max(1, len(years))
    doc.table(TableSpec(
        columns=[Column("TT", 0.8, "center"), Column("Nhóm nhiệm vụ", 6.5)] + [Column(str(y), col, "right") for y in years],
        rows=group_rows, caption="Bảng 2. Tỷ lệ hoàn thành nhiệm vụ theo nhóm qua các năm"))
    last = facts.series_results[-1][1] if facts.series_results else facts.results
    highlights = [(g, g.highlights[:2]) for g in last.groups if g.highlights]
    if highlights:
        doc.paragraph(f"Một số kết quả tiêu biểu năm {last.year} theo báo cáo của các đơn vị:")
        for g, items in highlights:
            doc.rich([("i", f"Nhóm {g.number} – {g.title}: "),
                      ("", "; ".join(f"{name}: {text.rstrip('.')}" for name, text in items) + ".")])
    progress(80, "Chỉ tiêu so với mốc")
    doc.heading(f"2. Kết quả thực hiện các chỉ tiêu so với mốc năm {milestone}", level=2)
    series = facts.series_indicators
    if series:
        srows = []
        for s in series:
            by_year = {p.year: p for p in s.points}
            srows.append([str(s.number), s.name] + [fmt_pct(by_year[y].value) if y in by_year else "—" for y in years])
        col = (TEXT_WIDTH_CM - 0.8 - 5.2) / max(1, len(years))
        doc.table(TableSpec(
            columns=[Column("TT", 0.8, "center"), Column("Chỉ tiêu", 5.2)] + [Column(str(y), col, "right") for y in years],
            rows=srows, caption=f"Bảng 3. Kết quả các chỉ tiêu qua các năm {years[0]} - {years[-1]}"))
        progress(84, "Vẽ biểu đồ chỉ tiêu")
        doc.picture(charts.indicator_series([
            {"label": f"Chỉ tiêu {s.number}", "points": [(p.year, p.value) for p in s.points],
             "targets": {m.year: m.value for m in s.milestones}} for s in series]), width_cm=16,
            caption="Biểu đồ 2. Kết quả các chỉ tiêu qua các năm so với mốc năm 2025 và năm 2030")
    total = facts.indicators.total
    achieved = []
    if total is not None:
        milestones = {s.code: {m.year: m for m in s.milestones.all()} for s in indicator_selectors.indicators()}
        arows = []
        for r in total.indicators:
            m = milestones.get(r.indicator, {}).get(milestone)
            ok = m.is_met(r.value) if m is not None else None
            if ok:
                achieved.append(r)
            later = milestones.get(r.indicator, {}).get(2030) if not final else None
            arows.append([str(r.number), r.name, fmt_int(r.numerator), fmt_int(r.denominator), fmt_pct(r.value),
                          milestone_label(m) if m else "—",
                          "Đạt" if ok else ("Chưa đạt" if ok is not None else "—")]
                         + ([milestone_label(later) if later else "—"] if not final else []))
        columns = [Column("TT", 0.8, "center"), Column("Chỉ tiêu", 4.4 if not final else 6.0),
                   Column("Tử số", 1.5, "right"), Column("Mẫu số", 1.5, "right"),
                   Column(f"Kết quả {milestone}", 1.8, "right"), Column(f"Mốc {milestone}", 2.0, "center"),
                   Column("Đánh giá", 1.5, "center")]
        if not final:
            columns.append(Column("Mốc 2030", 2.0, "center"))
        doc.table(TableSpec(columns=columns, rows=arows,
                            caption=f"Bảng 4. Mức độ đạt các chỉ tiêu so với mốc năm {milestone}",
                            note=f"Số liệu năm {milestone} từ các báo cáo đã được duyệt, tính đến ngày "
                                 f"{fmt_date(total.on)}; cùng số liệu với trang Chỉ tiêu của hệ thống."))
        doc.paragraph(f"Đến năm {milestone}, {len(achieved)}/{len(total.indicators)} chỉ tiêu đạt mốc của Kế hoạch"
                      + (": " + "; ".join(f"chỉ tiêu {r.number} ({fmt_pct(r.value)})" for r in achieved) if achieved
                         else "") + ".")
        unit_table = _indicator_unit_table(facts, caption=f"Bảng 5. Kết quả các chỉ tiêu theo đơn vị, năm {milestone}")
        if unit_table is not None:
            doc.table(unit_table)
    progress(88, "Đơn vị chưa đạt")
    doc.heading("3. Các đơn vị chưa đạt mốc và nguyên nhân", level=2)
    short_units = _units_short(facts, milestone)
    if not short_units:
        doc.paragraph(f"Tất cả đơn vị có số liệu đều đạt mốc năm {milestone} của các chỉ tiêu áp dụng.")
    else:
        doc.paragraph(f"Có {len(short_units)} đơn vị chưa đạt mốc năm {milestone} ở ít nhất một chỉ tiêu; nguyên nhân "
                      f"theo giải trình của đơn vị khi gửi báo cáo số liệu:")
        doc.table(TableSpec(
            columns=[Column("TT", 0.8, "center"), Column("Đơn vị", 4.4), Column("Chỉ tiêu chưa đạt", 4.6),
                     Column("Nguyên nhân (giải trình của đơn vị)", 6.7)],
            rows=[[str(i), name, gaps, reason] for i, (name, gaps, reason) in enumerate(short_units, start=1)],
            caption=f"Bảng 6. Đơn vị chưa đạt mốc năm {milestone}"))
    doc.heading("4. Kinh phí thực hiện", level=2)
    _funding(doc, facts, years=True)
    progress(90, "Đánh giá chung")
    doc.heading("III. ĐÁNH GIÁ CHUNG")
    doc.heading("1. Kết quả nổi bật", level=2)
    for line in _strengths(facts, achieved):
        doc.item("-", line)
    doc.heading("2. Hạn chế, khó khăn và nguyên nhân", level=2)
    for line in _weaknesses(facts, milestone):
        doc.item("-", line)
    _note_lines(doc, facts.note.difficulties if facts.note else "", missing=MISSING_NOTE)
    if final:
        doc.heading("IV. ĐỀ XUẤT XÂY DỰNG KẾ HOẠCH GIAI ĐOẠN TIẾP THEO")
    else:
        doc.heading(f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN {milestone + 1} - {facts.plan.programme.end_year}")
    if facts.note and facts.note.next_steps.strip():
        _note_lines(doc, facts.note.next_steps, missing="")
    else:
        for line in _derived_next_steps(facts):
            doc.item("-", line)
    doc.heading("V. ĐỀ XUẤT, KIẾN NGHỊ")
    _note_lines(doc, facts.note.proposals if facts.note else "", missing=MISSING_NOTE)
    doc.paragraph(f"Trên đây là báo cáo {word.lower()} giai đoạn {period_label} thực hiện Kế hoạch của "
                  f"{facts.issuer.short_name}./.")
    doc.closing(recipients=_recipients(facts), signature=_signature(facts))
    return doc


def _units_short(facts: Facts, milestone: int) -> list[tuple[str, str, str]]:
    """Reporting units (schools, centres) below the milestone on any indicator, with their notes."""
    milestones = {s.code: {m.year: m for m in s.milestones.all()} for s in indicator_selectors.indicators()}
    notes = {n.unit: n for n in facts.indicators.notes}
    out = []
    for row in facts.indicators.rows[1:]:
        if row.reporting_units != 1 or row.unit_type not in SCHOOL_TYPES:
            continue
        gaps = []
        for r in row.indicators:
            m = milestones.get(r.indicator, {}).get(milestone)
            if m is not None and r.value is not None and not m.is_met(r.value):
                gaps.append(f"Chỉ tiêu {r.number}: {fmt_pct(r.value)} (mốc {milestone_label(m)})")
        if gaps:
            n = notes.get(row.unit)
            reason = (n.note.strip() if n and n.note.strip() else
                      "Đơn vị chưa nêu nguyên nhân trong báo cáo số liệu.")
            out.append((row.name, "; ".join(gaps), reason))
    return out


def _strengths(facts: Facts, achieved: list) -> list[str]:
    out = []
    if facts.series_results:
        first_y, first = facts.series_results[0]
        last_y, last = facts.series_results[-1]
        out.append(
            f"Tỷ lệ lượt nhiệm vụ hoàn thành tăng từ {share(first.totals.get('done', 0), first.assigned)} (năm {first_y}) "
            f"lên {share(last.totals.get('done', 0), last.assigned)} (năm {last_y}); tỷ lệ cập nhật tiến độ đạt "
            f"{share(last.reported, last.assigned)} năm {last_y}."
            if last.assigned and first.assigned else f"Các đơn vị đã triển khai nhiệm vụ của Kế hoạch từ năm {first_y}.")
        best = max(last.groups, key=lambda g: (g.counts.get("done", 0) / g.assigned) if g.assigned else 0,
                   default=None)
        if best is not None and best.assigned:
            out.append(f"Nhóm nhiệm vụ thực hiện tốt nhất năm {last_y}: “{best.title}” "
                       f"({share(best.counts.get('done', 0), best.assigned)} lượt hoàn thành).")
    if achieved:
        out.append("Các chỉ tiêu đã đạt mốc: " + "; ".join(f"chỉ tiêu {r.number} – {r.name} ({fmt_pct(r.value)})"
                                                             for r in achieved) + ".")
    out.append("Việc sắp xếp tổ chức bộ máy không làm gián đoạn việc theo dõi: số liệu của các đơn vị trước sắp xếp "
               "được kế thừa đầy đủ trên hệ thống." if facts.reorganisations else
               "Số liệu được các đơn vị cập nhật, phê duyệt và tổng hợp trên hệ thống, bảo đảm thống nhất.")
    return out


def _weaknesses(facts: Facts, milestone: int) -> list[str]:
    out = []
    total = facts.indicators.total
    if total is not None:
        milestones = {s.code: {m.year: m for m in s.milestones.all()} for s in indicator_selectors.indicators()}
        for r in total.indicators:
            m = milestones.get(r.indicator, {}).get(milestone)
            if m is not None and not m.is_met(r.value):
                out.append(f"Chỉ tiêu {r.number} ({r.name}) mới đạt {fmt_pct(r.value)}, chưa đạt mốc "
                           f"{milestone_label(m)} năm {milestone}.")
    last = facts.series_results[-1][1] if facts.series_results else facts.results
    if last.totals.get("missing", 0):
        out.append(f"Còn {last.totals.get('missing', 0)} lượt nhiệm vụ năm {last.year} chưa được đơn vị cập nhật tiến độ "
                   f"trên hệ thống.")
    if last.totals.get("not_started", 0):
        out.append(f"Còn {last.totals.get('not_started', 0)} lượt nhiệm vụ năm {last.year} chưa triển khai.")
    if not out:
        out.append("Không có chỉ tiêu hoặc nhiệm vụ nào chậm so với Kế hoạch theo số liệu trên hệ thống.")
    return out


def build(facts: Facts, *, progress: Progress = _noop) -> OfficialDocument:
    if facts.kind == DocumentKind.REVIEW:
        return build_review(facts, progress=progress)
    if facts.kind == DocumentKind.YEARLY:
        return build_yearly(facts, progress=progress)
    raise DomainError("Loại văn bản không hợp lệ.", field="kind")


__all__ = ["build", "build_plan", "gather", "resolve_scope", "Facts", "fmt_pct", "fmt_int"]
