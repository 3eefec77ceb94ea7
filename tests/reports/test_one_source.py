"""One source for every number: the task × unit matrix (selector, page, API), the yearly report
(DOCX), its XLSX annex, the dashboard and the indicators API show the same figures — for the
demo and for a factory-built reorganised tree (a split with shares, communes merged mid-year).
A unit that ceased owes nothing after its last day; task letters keep "đ"."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cyberyouth.indicators import selectors as indicator_selectors
from cyberyouth.indicators import services as indicator_services
from cyberyouth.indicators.models import Submission, SubmissionStatus
from cyberyouth.orgs import services as org_services
from cyberyouth.orgs.models import UnitType
from cyberyouth.plans import selectors as plan_selectors
from cyberyouth.plans.models import Assignment, AssignmentRole, Plan, Progress, Task, TaskGroup
from cyberyouth.reports import services
from cyberyouth.reports.composer import fmt_int, fmt_pct

pytestmark = pytest.mark.django_db
STATUSES = ("done", "in_progress", "not_started", "not_applicable", "missing")
STATUS_COLUMNS = ["Hoàn thành", "Đang thực hiện", "Chưa triển khai", "Không áp dụng", "Chưa báo cáo"]


def _int(text: str) -> int:
    return int(text.replace(".", ""))


def _figures(*, actor, api, client, plan, unit, year, rd) -> None:
    """Generate every output for `unit`'s `year` and compare each figure across them."""
    units, rows, counts = plan_selectors.progress_matrix(actor=actor, plan=plan, year=year)
    tallies = plan_selectors.unit_tallies(units, rows)
    assigned = sum(counts.values())
    reported = assigned - counts["missing"]

    # The matrix page and the API: the selector's numbers.
    page = client.get(f"/ke-hoach/{plan.id}/ma-tran/?nam={year}")
    assert page.status_code == 200
    assert page.context["counts"] == counts and [u.id for u in page.context["units"]] == [u.id for u in units]
    matrix_api = api.get(f"/api/plans/{plan.id}/matrix?year={year}").json()
    assert (matrix_api["assigned"], matrix_api["reported"]) == (assigned, reported)
    assert matrix_api["counts"] == counts
    by_code = {row["unit"]: row for row in matrix_api["units"]}
    assert set(by_code) == {u.code for u in units}
    for u in units:
        assert by_code[u.code]["counts"] == tallies[u.id]

    # The yearly report: every unit's column, every status, the same totals in every section.
    document = services.document_generate_now(actor=actor, kind="yearly", year=year, unit=unit, plan=plan,
                                              want_pdf=False)
    doc = rd.open_docx(document)
    text = rd.body_text(doc)
    intro = re.search(r"Kế hoạch được triển khai tại (\d+) cơ quan, đơn vị, địa phương .* với (\d+) lượt nhiệm vụ", text)
    assert intro and (int(intro[1]), int(intro[2])) == (len(units), assigned)
    section2 = re.search(r"Tổng số (\d+) lượt nhiệm vụ được giao, đã báo cáo (\d+) lượt", text)
    assert section2 and (int(section2[1]), int(section2[2])) == (assigned, reported)
    section3 = re.search(r"Về cập nhật tiến độ nhiệm vụ: (\d+)/(\d+) đơn vị đã cập nhật đầy đủ .* tổng số (\d+)/(\d+) lượt",
                         text)
    complete = sum(1 for u in units if tallies[u.id]["missing"] == 0)
    assert section3 and [int(x) for x in section3.groups()] == [complete, len(units), reported, assigned]
    table = rd.cell_texts(rd.find_table(doc, "TT", "Nhóm nhiệm vụ"))
    assert table[0][3:8] == STATUS_COLUMNS
    by_group: dict[int, dict[str, int]] = {}
    for row in rows:
        g = by_group.setdefault(row.task.group.number, dict.fromkeys(STATUSES, 0))
        for cell in row.cells:
            if cell:
                g[cell["status"]] += 1
    for printed in table[1:-1]:
        g = by_group.pop(int(printed[0]))
        assert [_int(x) for x in printed[2:8]] == [sum(g.values())] + [g[s] for s in STATUSES]
    assert not by_group  # every group of the matrix is in the table
    assert [_int(x) for x in table[-1][2:8]] == [assigned] + [counts[s] for s in STATUSES]

    # The XLSX annex: the same groups, each unit's column as in the matrix.
    wb = load_workbook(io.BytesIO(document.xlsx.open("rb").read()))
    groups_sheet = [r for r in wb["Nhiệm vụ theo nhóm"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert [list(r[2:8]) for r in groups_sheet] == [[_int(x) for x in p[2:8]] for p in table[1:-1]]
    names = {u.id: n for u, n in zip(units, [by_code[u.code]["name"] for u in units])}
    progress_sheet = {r[0]: r for r in wb["Tình hình báo cáo"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert len(progress_sheet) == len(units)
    for u in units:
        row = [r for r in progress_sheet.values() if r[1] == sum(tallies[u.id].values())
               and r[2] == sum(tallies[u.id].values()) - tallies[u.id]["missing"]]
        assert row, names[u.id]

    # Indicators: dashboard, API, report table 2 and annex sheet 1 print compute_indicators' figures.
    computed = indicator_selectors.compute_indicators(actor=actor, year=year, unit=unit)
    head = indicator_selectors.dashboard(actor=actor, year=year, unit=unit, with_series=False).unit
    assert head is not None and head.as_dict() == computed[0].as_dict()
    api_rows = api.get(f"/api/indicators/compute?year={year}&unit={unit.code}").json()
    assert [r["unit"] for r in api_rows] == [r.unit for r in computed]
    for api_row, row in zip(api_rows, computed):
        assert [(i["numerator"], i["denominator"], i["value"]) for i in api_row["indicators"]] == [
            (i.as_dict()["numerator"], i.as_dict()["denominator"], i.as_dict()["value"]) for i in row.indicators]
    table2 = rd.cell_texts(rd.find_table(doc, "TT", "Tử số"))
    for printed, result in zip(table2[1:], [i for i in head.indicators]):
        assert printed[2:5] == [fmt_int(result.numerator), fmt_int(result.denominator), fmt_pct(result.value)]
        assert printed[-1] == indicator_selectors.STATUS_LABELS[result.status]
    sheet1 = list(wb["Chỉ tiêu theo đơn vị"].iter_rows(min_row=4, values_only=True))
    expected_rows = [(r.unit, i.number, i.numerator, i.denominator,
                      None if i.value is None else round(i.value, 2), indicator_selectors.STATUS_LABELS[i.status])
                     for r in computed for i in r.indicators]
    assert [(r[0], r[2], r[4], r[5], r[6], r[8]) for r in sheet1] == expected_rows
    comp = api.get(f"/api/indicators/completeness?year={year}&unit={unit.code}").json()["total"]
    sent = re.search(r"Về báo cáo số liệu chỉ tiêu năm \d+: (\d+)/(\d+) đơn vị đã gửi", text)
    if comp["expected"]:
        assert sent and (int(sent[1]), int(sent[2])) == (comp["on_time"] + comp["late"], comp["expected"])


def test_every_output_agrees_on_the_demo(people, units, api_for, client_for, rd):
    plan = Plan.objects.get(parent__isnull=True, owner_unit__code="hp-cat-hai")
    _figures(actor=people["thuongtruc"], api=api_for("thuongtruc"), client=client_for("thuongtruc"), plan=plan,
             unit=units["hp-dk-cat-hai"], year=2025, rd=rd)


def test_the_2025_report_and_the_matrix_agree_unit_by_unit(people, units):
    """All 24 units' columns of the 2025 matrix are in the zone's report, with the same counts."""
    from cyberyouth.reports import selectors as report_selectors

    actor = people["thuongtruc"]
    plan = Plan.objects.get(parent__isnull=True, owner_unit__code="hp-cat-hai")
    matrix_units, rows, counts = plan_selectors.progress_matrix(actor=actor, plan=plan, year=2025)
    tallies = plan_selectors.unit_tallies(matrix_units, rows)
    results = report_selectors.plan_results(actor=actor, plan=plan, unit=units["hp-dk-cat-hai"], year=2025)
    assert [u.id for u in results.units] == [u.id for u in matrix_units]
    assert {u.unit_id: (u.assigned, u.reported) for u in results.completeness} == {
        uid: (sum(t.values()), sum(t.values()) - t["missing"]) for uid, t in tallies.items()}
    assert results.totals == {s: counts[s] for s in STATUSES}


def test_units_that_ceased_owe_nothing_after_their_last_day(people, units):
    """The 12 communes and townships merged (with the district) on 1/7/2025 owe 2025 — they
    existed — but not 2026."""
    from cyberyouth.orgs.models import Unit

    actor = people["thuongtruc"]
    plan = Plan.objects.get(parent__isnull=True, owner_unit__code="hp-cat-hai")
    ceased = set(Unit.objects.filter(valid_to=date(2025, 7, 1)).values_list("id", flat=True))
    assigned_ceased = ceased & set(Assignment.objects.filter(task__group__plan=plan).values_list("unit_id", flat=True))
    assert len(assigned_ceased) == 12
    units_2025, _, _ = plan_selectors.progress_matrix(actor=actor, plan=plan, year=2025)
    units_2026, _, _ = plan_selectors.progress_matrix(actor=actor, plan=plan, year=2026)
    assert assigned_ceased <= {u.id for u in units_2025}
    assert not assigned_ceased & {u.id for u in units_2026}


def test_task_letters_keep_d_with_stroke(people, units, api_for, client_for, rd):
    plan = Plan.objects.get(parent__isnull=True, owner_unit__code="hp-cat-hai")
    letters = {g: [t.letter for t in Task.objects.filter(group__plan=plan, group__number=g).order_by("order")]
               for g in (1, 6, 7)}
    assert letters == {1: ["a", "b", "c", "d", "đ", "e"], 6: ["a", "b", "c", "d", "đ"], 7: ["a", "b", "c", "d", "đ"]}
    page = client_for("thuongtruc").get(f"/ke-hoach/{plan.id}/ma-tran/?nam=2025").content.decode()
    shown = re.findall(r"<strong>(\w+)\)</strong>", page)
    assert "6đ" in shown and "7đ" in shown and shown.count("6d") == 1 and shown.count("7d") == 1
    codes = [t["code"] for g in api_for("thuongtruc").get(f"/api/plans/{plan.id}").json()["task_groups"]
             for t in g["tasks"]]
    assert "6đ" in codes and codes.count("6d") == 1
    document = services.document_generate_now(actor=people["thuongtruc"], kind="plan", plan=plan, want_pdf=False)
    items = [p.text for p in rd.open_docx(document).paragraphs if re.match(r"^[a-zđ]\) ", p.text)]
    assert sum(1 for t in items if t.startswith("đ) ")) >= 3


# ---------------------------------------------------------------- a reorganised tree built here

SPLIT_DAY = date(2025, 7, 1)
BEFORE = date(2020, 1, 1)


@pytest.fixture
def reorganised(people):
    """A zone with its standing agency, two communes merged into a new one on 1/7/2025, a
    vocational centre that stays and one split 60/40 on the same day; a plan with tasks 1a, 1đ
    and 2a given to all of them, some progress, approved indicator reports."""
    admin = people["sysadmin"]
    zone = org_services.unit_create(actor=admin, code="x-zone", name="Huyện Thử", unit_type=UnitType.DISTRICT,
                                    parent=None, valid_from=BEFORE)
    make = lambda code, name, kind: org_services.unit_create(  # noqa: E731
        actor=admin, code=code, name=name, unit_type=kind, parent=zone, valid_from=BEFORE)
    agency = make("x-agency", "Phòng Văn hóa - Xã hội huyện Thử", UnitType.AGENCY)
    c1, c2 = make("x-c1", "Xã Một", UnitType.COMMUNE), make("x-c2", "Xã Hai", UnitType.COMMUNE)
    v1 = make("x-v1", "Trung tâm Một", UnitType.VOCATIONAL_CENTRE)
    v2 = make("x-v2", "Trung tâm Hai", UnitType.VOCATIONAL_CENTRE)
    values = {"students_enrolled": 100, "students_cc_reached": 90, "students_cc_ack": 80, "union_new_members": 40,
              "union_new_studied": 30, "staff_student_work": 10, "staff_trained": 6, "teaches_safety": 1}
    for year, unit in ((2024, v1), (2024, v2), (2025, v1)):
        indicator_services.history_import(actor=admin, unit=unit, year=year, values=values,
                                          evidence={"teaches_safety": "KH 1/KH"}, first_submitted_at=None,
                                          approved_at=None)
    c3 = org_services.units_merge(actor=admin, sources=[c1, c2], effective_date=SPLIT_DAY, parent=zone,
                                  new_unit=org_services.NewUnit("x-c3", "Xã Ba", UnitType.COMMUNE))
    v2a, v2b = org_services.unit_split(
        actor=admin, source=v2, effective_date=SPLIT_DAY,
        successors=[(org_services.NewUnit("x-v2a", "Trung tâm Hai A", UnitType.VOCATIONAL_CENTRE), Decimal("0.6")),
                    (org_services.NewUnit("x-v2b", "Trung tâm Hai B", UnitType.VOCATIONAL_CENTRE), Decimal("0.4"))])
    Submission.objects.filter(unit__code__startswith="x-").update(status=SubmissionStatus.APPROVED)
    demo_plan = Plan.objects.get(parent__isnull=True, owner_unit__code="hp-cat-hai")
    plan = Plan.objects.create(programme=demo_plan.programme, owner_unit=zone, title="Kế hoạch thử", year=2023)
    g1 = TaskGroup.objects.create(plan=plan, number=1, title="Nhóm một")
    g2 = TaskGroup.objects.create(plan=plan, number=2, title="Nhóm hai")
    tasks = [Task.objects.create(group=g1, letter="a", order=1, text="Việc a"),
             Task.objects.create(group=g1, letter="đ", order=2, text="Việc đ"),
             Task.objects.create(group=g2, letter="a", order=1, text="Việc hai a")]
    everyone = [c1, c2, c3, v1, v2, v2a, v2b]
    for task in tasks:
        Assignment.objects.create(task=task, unit=agency, role=AssignmentRole.LEAD)
        for unit in everyone:
            Assignment.objects.create(task=task, unit=unit, role=AssignmentRole.IMPLEMENT)
    done = dict(status="done", summary="Đã làm", completed_on=date(2025, 5, 1))
    for unit, task, fields in ((c1, tasks[0], done), (c2, tasks[1], {"status": "not_applicable"}),
                               (v2, tasks[0], {"status": "in_progress"}), (v2a, tasks[2], done),
                               (agency, tasks[0], {"status": "not_started"}), (c3, tasks[2], done)):
        a = Assignment.objects.get(task=task, unit=unit)
        Progress.objects.create(assignment=a, year=2025, updated_by=admin, **fields)
    return {"admin": admin, "zone": zone, "plan": plan, "ceased": [c1, c2, v2], "new": [c3, v2a, v2b]}


def test_every_output_agrees_on_a_reorganised_tree(reorganised, api_for, client_for, rd):
    _figures(actor=reorganised["admin"], api=api_for("sysadmin"), client=client_for("sysadmin"),
             plan=reorganised["plan"], unit=reorganised["zone"], year=2025, rd=rd)


def test_reorganised_tree_owes_by_the_days_each_unit_existed(reorganised):
    admin, plan = reorganised["admin"], reorganised["plan"]
    units_2025, _, counts_2025 = plan_selectors.progress_matrix(actor=admin, plan=plan, year=2025)
    units_2026, _, counts_2026 = plan_selectors.progress_matrix(actor=admin, plan=plan, year=2026)
    units_2024, _, _ = plan_selectors.progress_matrix(actor=admin, plan=plan, year=2024)
    codes = lambda us: {u.code for u in us}  # noqa: E731
    assert codes(units_2025) == {"x-agency", "x-c1", "x-c2", "x-c3", "x-v1", "x-v2", "x-v2a", "x-v2b"}
    assert codes(units_2026) == {"x-agency", "x-c3", "x-v1", "x-v2a", "x-v2b"}  # the ceased owe nothing
    assert codes(units_2024) == {"x-agency", "x-c1", "x-c2", "x-v1", "x-v2"}  # the new did not exist yet
    assert sum(counts_2025.values()) == 8 * 3 and counts_2025["done"] == 3 and counts_2025["not_applicable"] == 1
    assert sum(counts_2026.values()) == counts_2026["missing"] == 5 * 3
    # The split's shares: the 2024 figures of Trung tâm Hai count 60/40 under its successors today.
    rows = indicator_selectors.compute_indicators(actor=admin, year=2024, unit=reorganised["zone"],
                                                  on=date(2025, 12, 31))
    by_code = {r.unit: r for r in rows}
    enrolled = {c: next(i for i in by_code[c].indicators if i.number == 1).denominator for c in ("x-v2a", "x-v2b")}
    assert enrolled["x-v2a"] == pytest.approx(enrolled["x-v2b"] * 1.5)
