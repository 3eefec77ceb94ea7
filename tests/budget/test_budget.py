"""The budget: amounts as Vietnamese write them, the indicators' workflow (draft → sent →
returned/approved, re-opened), scope by page and API, totals of approved reports up the tree and
across the 2025 merge, the XLSX template in and out (all or nothing, errors by cell), and the
funding section of the yearly report and the review equal to the budget page."""

import io
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given, settings as hsettings, strategies as st
from openpyxl import load_workbook

from cyberyouth.budget import selectors, services, xlsx
from cyberyouth.budget.models import BudgetLine, BudgetReport
from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.indicators.models import SubmissionStatus
from cyberyouth.indicators.services import FormErrors
from cyberyouth.lib.money import AmountError, format_vnd, parse_vnd

pytestmark = pytest.mark.django_db
M = 1_000_000


# ---------------------------------------------------------------- amounts


@given(st.integers(min_value=0, max_value=10**15))
@hsettings(max_examples=300, deadline=None)
def test_amounts_read_back_however_vietnamese_write_them(n):
    dotted = format_vnd(n)
    for text in (str(n), dotted, dotted.replace(".", " "), dotted.replace(".", ","), dotted.replace(".", "\u00a0"),
                 dotted + " đ", dotted + " đồng", dotted + ",00", f"{dotted} VNĐ"):
        assert parse_vnd(text) == n, text
    assert parse_vnd(float(n)) == n if n < 2**53 else True


@given(st.integers(min_value=1, max_value=10**12))
@hsettings(max_examples=100, deadline=None)
def test_negative_amounts_are_refused(n):
    for text in (f"-{format_vnd(n)}", f"({format_vnd(n)})", -n):
        with pytest.raises(AmountError, match="âm"):
            parse_vnd(text)


@pytest.mark.parametrize("text,why", [("1.250,5", "phần lẻ"), ("12.50.000", "cách viết"), ("1,250.000", "cách viết"),
                                      ("1tr", "chữ số"), (12.5, "phần lẻ"), (True, "là số"), ("10" * 10, "quá lớn")])
def test_ambiguous_or_fractional_amounts_are_refused(text, why):
    with pytest.raises(AmountError, match=why):
        parse_vnd(text)


# ---------------------------------------------------------------- workflow


@pytest.fixture
def fp(people):
    return people["daumoi.thcscathai"]


def test_the_workflow_of_the_yearly_data(people, units, fp):
    school, admin = units["thcs-cat-hai"], people["thuongtruc"]
    report = services.budget_save(actor=fp, unit=school, year=2026, values={
        "estimate-b-1": "6.500.000", "estimate-c-6": "2 000 000", "actual-b-1": "1,250,000"})
    assert report.status == SubmissionStatus.DRAFT
    assert {(ln.measure, ln.source, ln.group): ln.amount for ln in report.lines.all()} == {
        ("estimate", "b", 1): 6_500_000, ("estimate", "c", 6): 2 * M, ("actual", "b", 1): 1_250_000}
    with pytest.raises(ScopeError):  # a focal point does not approve
        services.budget_approve(actor=fp, report=report)
    with pytest.raises(DomainError) as e:  # not sent yet
        services.budget_approve(actor=admin, report=report)
    assert e.value.code == "bad_status"
    sent = services.budget_submit(actor=fp, report=report)
    assert sent.status == SubmissionStatus.SUBMITTED
    with pytest.raises(DomainError) as e:  # locked while sent
        services.budget_save(actor=fp, unit=school, year=2026, values={"estimate-b-1": 1})
    assert e.value.code == "locked"
    with pytest.raises(DomainError):
        services.budget_return(actor=admin, report=sent, comment=" ")
    returned = services.budget_return(actor=admin, report=sent, comment="Tách kinh phí tài trợ sang nguồn c.")
    assert returned.status == SubmissionStatus.RETURNED
    services.budget_save(actor=fp, unit=school, year=2026, values={"estimate-b-1": 4 * M, "estimate-c-1": 2_500_000},
                         submit=True)
    approved = services.budget_approve(actor=admin, report=BudgetReport.objects.get(unit=school, year=2026))
    assert approved.status == SubmissionStatus.APPROVED and approved.approved_by == admin
    with pytest.raises(DomainError):
        services.budget_reopen(actor=admin, report=approved, reason="")
    reopened = services.budget_reopen(actor=admin, report=approved, reason="Bổ sung chứng từ")
    assert reopened.status == SubmissionStatus.DRAFT and reopened.is_editable


def test_bad_cells_are_all_named_and_nothing_is_saved(units, fp):
    school = units["thcs-cat-hai"]
    before = list(BudgetLine.objects.filter(report__unit=school).values_list("id", "amount"))
    with pytest.raises(FormErrors) as e:
        services.budget_save(actor=fp, unit=school, year=2026, values={
            "estimate-a-1": "-5.000", "actual-b-2": "1.250,5", "estimate-z-9": "1", "estimate-a-2": "1.000.000"})
    assert set(e.value.errors) == {"estimate-a-1", "actual-b-2", "estimate-z-9"}
    assert "âm" in e.value.errors["estimate-a-1"]
    assert list(BudgetLine.objects.filter(report__unit=school).values_list("id", "amount")) == before
    with pytest.raises(DomainError):  # nothing to send
        services.budget_save(actor=fp, unit=school, year=2026, values={}, submit=True)
    with pytest.raises(DomainError) as e:
        services.budget_save(actor=fp, unit=school, year=1999, values={})
    assert e.value.field == "year"


# ---------------------------------------------------------------- scope


def test_a_school_neither_reads_nor_writes_another_schools_budget(client_for, api_for, people, units, fp):
    other = units["thcs-cat-ba"]
    with pytest.raises(NotFound):
        selectors.unit_report(actor=fp, unit=other, year=2025)
    with pytest.raises(NotFound):
        services.budget_save(actor=fp, unit=other, year=2026, values={"estimate-a-1": 1})
    assert client_for("daumoi.thcscathai").get(reverse("budget:unit", args=["thcs-cat-ba", 2025])).status_code == 404
    assert client_for("daumoi.thcscathai").post(reverse("budget:unit", args=["thcs-cat-ba", 2026]),
                                                {"action": "save", "estimate-a-1": "1"}).status_code == 404
    api = api_for("daumoi.thcscathai")
    assert api.get("/api/budget/thcs-cat-ba/2025").status_code == 404
    assert api.put("/api/budget/thcs-cat-ba/2026", {"amounts": {"estimate-a-1": 1}},
                   content_type="application/json").status_code == 404
    assert api.get("/api/budget/thcs-cat-hai/2025").status_code == 200
    # the leader reads the zone's budget but enters nothing
    assert api_for("lanhdao").put("/api/budget/thcs-cat-hai/2026", {"amounts": {}},
                                  content_type="application/json").status_code == 403
    assert api_for("lanhdao").get("/api/budget/hp-dk-cat-hai/2025/totals").status_code == 200
    assert api_for("kiemduyet").get("/api/budget/hp-dk-cat-hai/2025/totals").status_code == 403


# ---------------------------------------------------------------- totals


def test_totals_sum_approved_reports_only_up_the_tree_and_across_the_merge(people, units, fp):
    admin, zone = people["thuongtruc"], units["hp-dk-cat-hai"]
    before = selectors.totals(actor=admin, unit=zone, year=2025)
    assert before.approved == 5 and before.estimate == 252 * M and before.actual == 242_350_000
    # a commune that ceased on 1/7/2025 spent money in 2025 (kept on paper, recorded as history):
    # the zone that carries it on counts it
    commune = units["hp-cat-hai-xa-dong-bai"]
    old = BudgetReport.objects.create(unit=commune, year=2025, status=SubmissionStatus.APPROVED)
    BudgetLine.objects.create(report=old, measure="actual", source="a", group=1, amount=3 * M)
    # a report still in draft is not counted
    services.budget_save(actor=admin, unit=units["th-cat-ba"], year=2025, values={"actual-a-1": 7 * M})
    after = selectors.totals(actor=admin, unit=zone, year=2025)
    assert after.actual == before.actual + 3 * M and after.approved == 6
    assert after.table.by_source("actual")["a"] == before.table.by_source("actual")["a"] + 3 * M
    rows = {r.unit.code: r for r in after.rows}
    assert rows["th-cat-ba"].report.status == "draft" and rows["mn-cat-ba"].report is None
    # a school sees its own figures only
    school = selectors.totals(actor=fp, unit=units["thcs-cat-hai"], year=2025)
    assert school.approved == 1 and school.estimate == 8 * M and [r.unit.code for r in school.rows] == ["thcs-cat-hai"]


# ---------------------------------------------------------------- XLSX in and out


def _filled(actor, unit, year, edits: dict[str, object], *, header: dict | None = None) -> bytes:
    wb = load_workbook(io.BytesIO(xlsx.template(actor=actor, unit=unit, year=year)))
    ws = wb[xlsx.SHEET]
    for cell, value in (header or {}).items():
        ws[cell] = value
    for cell, value in edits.items():
        ws[cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_template_round_trips_and_amounts_are_read_as_written(people, units, fp):
    school = units["thcs-cat-hai"]
    data = xlsx.template(actor=fp, unit=school, year=2026)
    ws = load_workbook(io.BytesIO(data))[xlsx.SHEET]
    assert [c.value for c in ws[2]] == xlsx.CODES
    assert [ws.cell(row=r, column=1).value for r in range(3, 10)] == ["thcs-cat-hai"] * 7
    assert ws["E3"].value == 6_500_000 and ws["D3"].value is None  # the demo's saved draft (b, group 1), prefilled
    # D = estimate a, K = actual d; row 3 = group 1, row 9 = group 7
    saved = xlsx.upload(actor=fp, data=_filled(fp, school, 2026, {"D3": "1.250.000", "E5": "2 000 000",
                                                                  "K9": 750000, "H3": "300.000 đ"}), submit=True)
    assert [r.status for r in saved] == ["submitted"]
    _, table = selectors.unit_report(actor=fp, unit=school, year=2026)
    assert dict(table.cells) == {("estimate", "a", 1): 1_250_000, ("estimate", "b", 1): 6_500_000,
                                 ("estimate", "b", 3): 2 * M,
                                 ("actual", "d", 7): 750_000, ("actual", "a", 1): 300_000}


def test_a_bad_workbook_is_refused_whole_with_every_cell_named(people, units):
    admin, zone = people["thuongtruc"], units["hp-dk-cat-hai"]
    before = list(BudgetLine.objects.order_by("id").values_list("id", "amount"))
    data = xlsx.template(actor=admin, unit=zone, year=2026)
    ws = load_workbook(io.BytesIO(data))[xlsx.SHEET]
    rows = {(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value): r for r in range(3, ws.max_row + 1)}
    good, neg = rows[("th-cat-ba", 1)], rows[("th-cat-ba", 2)]
    frac, dup = rows[("mn-cat-ba", 1)], rows[("mn-cat-ba", 2)]
    bad = _filled(admin, zone, 2026, {f"D{good}": "5.000.000", f"E{neg}": "-200.000", f"F{frac}": "1.250,5",
                                      f"C{dup}": 1, f"A{rows[('th-cat-hai', 1)]}": "thpt-cat-ba",
                                      f"C{rows[('th-cat-hai', 2)]}": 9})
    with pytest.raises(xlsx.UploadErrors) as e:
        xlsx.upload(actor=admin, data=bad)
    cells = {err.cell: err.reason for err in e.value.errors}
    assert "âm" in cells[f"E{neg}"] and "phần lẻ" in cells[f"F{frac}"]
    assert "hai lần" in cells[f"C{dup}"] and "1 đến 7" in cells[f"C{rows[('th-cat-hai', 2)]}"]
    assert "không được nhập" in cells[f"A{rows[('th-cat-hai', 1)]}"]
    assert list(BudgetLine.objects.order_by("id").values_list("id", "amount")) == before  # nothing half-saved
    with pytest.raises(xlsx.UploadErrors) as e:
        xlsx.upload(actor=admin, data=_filled(admin, zone, 2026, {}, header={"D2": "du_toan_a"}))
    assert e.value.errors[0].cell == "D2"
    with pytest.raises(xlsx.UploadErrors):
        xlsx.upload(actor=admin, data=b"PK\x03\x04 not a workbook")
    with pytest.raises(xlsx.UploadErrors) as e:  # an approved report is not overwritten
        xlsx.upload(actor=admin, data=_filled(admin, zone, 2025, {"D3": 1}))
    assert "Đã duyệt" in e.value.errors[0].reason


def test_the_page_shows_upload_errors_by_cell(client_for, people, units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = people["thuongtruc"]
    data = _filled(admin, units["thcs-cat-hai"], 2026, {"D3": "-1"})
    response = client_for("thuongtruc").post(reverse("budget:index") + "?nam=2026",
                                             {"file": SimpleUploadedFile("kinh-phi.xlsx", data)})
    html = response.content.decode()
    assert response.status_code == 200 and "chưa lưu gì" in html and "không được âm" in html


# ---------------------------------------------------------------- the reports


def _text(document) -> str:
    from docx import Document

    with document.docx.open("rb") as f:
        doc = Document(io.BytesIO(f.read()))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_the_yearly_report_and_the_review_print_the_budget_page_figures(client_for, people):
    from cyberyouth.budget.reporting import sentence
    from cyberyouth.reports import services as report_services
    from cyberyouth.reports.demo import YEARLY_2025
    from cyberyouth.reports.formatting import fmt_int

    page = client_for("thuongtruc").get(reverse("budget:index"), {"nam": 2025, "don_vi": "hp-dk-cat-hai"})
    totals = page.context["totals"]
    assert totals.approved == 5
    expected = sentence(totals, is_school=False)
    yearly = _text(report_services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025,
                                                         want_pdf=False, on=date(2025, 12, 20)))
    assert expected in yearly
    assert f"dự toán {fmt_int(totals.estimate)} đồng" in yearly and f"đã thực hiện {fmt_int(totals.actual)} đồng" in yearly
    assert YEARLY_2025["funding"] not in yearly  # the records replace the typed text
    review = _text(report_services.document_generate_now(actor=people["thuongtruc"], kind="review", year=2025,
                                                         want_pdf=False, on=date(2025, 12, 20)))
    assert "4. Kinh phí thực hiện" in review and expected in review


def test_without_records_the_report_keeps_the_typed_text(people):
    from cyberyouth.reports import services as report_services
    from cyberyouth.reports.demo import YEARLY_2025

    BudgetReport.objects.filter(year=2025).update(status=SubmissionStatus.SUBMITTED)
    yearly = _text(report_services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025,
                                                         want_pdf=False, on=date(2025, 12, 20)))
    assert YEARLY_2025["funding"] in yearly and "báo cáo kinh phí đã được duyệt" not in yearly


def test_the_page_opens_on_the_widest_unit_even_for_a_system_administrator(client_for):
    assert client_for("thuongtruc").get(reverse("budget:index"), {"nam": 2025}).context["unit"].code == "hp-dk-cat-hai"
    assert client_for("daumoi.thcscathai").get(reverse("budget:index")).context["unit"].code == "thcs-cat-hai"
    page = client_for("sysadmin").get(reverse("budget:index"), {"nam": 2025})  # holds no role: the top of the tree
    assert page.status_code == 200 and page.context["unit"].code == "hp"
    assert page.context["totals"].approved == 5
