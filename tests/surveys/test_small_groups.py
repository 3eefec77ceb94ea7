"""The small-group rule on survey results, including differencing: no hidden figure about fewer
than 5 students can be worked back from the figures shown (checked by linear programming)."""

import itertools
import random

import pytest
from scipy.optimize import linprog

from cyberyouth.errors import DomainError
from cyberyouth.lib.disclosure import protect_linked
from cyberyouth.surveys import selectors, services
from cyberyouth.surveys.models import QuestionKind

from .conftest import sheet

pytestmark = pytest.mark.django_db


def _determined(counts: dict, relations: list, figures: dict) -> list:
    """Hidden small counts that the shown counts and the sums pin down to one value."""
    hidden = [k for k, f in figures.items() if not f.shown]
    index = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in relations:
        row, const = [0.0] * len(hidden), 0.0
        for key, sign in [(total, -1.0), *[(p, 1.0) for p in parts]]:
            if key in index:
                row[index[key]] += sign
            else:
                const += sign * counts.get(key, 0)
        if any(row):
            rows.append(row)
            rhs.append(-const)
    pinned = []
    for key in hidden:
        if figures[key].reason != "small":
            continue
        c = [0.0] * len(hidden)
        c[index[key]] = 1.0
        low = linprog(c, A_eq=rows or None, b_eq=rhs or None, bounds=(0, None), method="highs")
        high = linprog([-x for x in c], A_eq=rows or None, b_eq=rhs or None, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
            pinned.append((key, counts[key]))
    return pinned


def test_a_table_with_margins_hides_a_second_cell_in_its_row_and_its_column():
    # classes × answers with the school's totals: 7B's "yes" (2) hidden; its row and column both need a complement
    counts = {("7A", "yes"): 9, ("7A", "no"): 11, ("7B", "yes"): 2, ("7B", "no"): 14, ("7C", "yes"): 6,
              ("7C", "no"): 8}
    rows = {c: sum(v for (k, _), v in counts.items() if k == c) for c in ("7A", "7B", "7C")}
    cols = {a: sum(v for (_, k), v in counts.items() if k == a) for a in ("yes", "no")}
    counts.update({(c, "all"): n for c, n in rows.items()})
    counts.update({("school", a): n for a, n in cols.items()})
    counts[("school", "all")] = sum(rows.values())
    relations = [((c, "all"), [(c, "yes"), (c, "no")]) for c in rows]
    relations += [(("school", a), [(c, a) for c in rows]) for a in cols]
    relations += [(("school", "all"), [("school", "yes"), ("school", "no")]),
                  (("school", "all"), [(c, "all") for c in rows])]
    figures = protect_linked(counts, relations)
    assert not figures[("7B", "yes")].shown
    assert sum(not figures[(c, "yes")].shown for c in rows) >= 2  # the column
    assert sum(not figures[("7B", a)].shown for a in cols) >= 2    # the row
    assert _determined(counts, relations, figures) == []


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_leave_no_small_cell_recoverable(seed):
    rng = random.Random(seed)
    groups, answers = [f"g{i}" for i in range(rng.randint(2, 5))], [f"a{j}" for j in range(rng.randint(2, 4))]
    counts = {(g, a): rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for g, a in itertools.product(groups, answers)}
    for g in groups:
        counts[(g, "all")] = sum(counts[(g, a)] for a in answers)
    for a in answers:
        counts[("top", a)] = sum(counts[(g, a)] for g in groups)
    counts[("top", "all")] = sum(counts[("top", a)] for a in answers)
    relations = [((g, "all"), [(g, a) for a in answers]) for g in groups]
    relations += [(("top", a), [(g, a) for g in groups]) for a in answers]
    relations += [(("top", "all"), [("top", a) for a in answers]), (("top", "all"), [(g, "all") for g in groups])]
    figures = protect_linked(counts, relations)
    assert all(not f.shown for k, f in figures.items() if 0 < counts[k] < 5)
    assert _determined(counts, relations, figures) == []


def _answer(survey, users, *, bullied):
    for user in users:
        services.answer_submit(survey=survey, answers=sheet(survey, bullied=bullied), actor=user)


def test_two_breakdowns_that_differ_by_a_small_group_do_not_reveal_it(make_class, launch, people):
    # grade 7: 8 students; grade 8: a class of 5 released … and 3 more who answered "many times"
    g7, seven = make_class(8, grade=7, name="7Z")
    g8, eight = make_class(5, grade=8, name="8Z")
    g9, nine = make_class(12, grade=9, name="9Z")
    survey = launch([g7, g8, g9])
    _answer(survey, seven, bullied=1)
    _answer(survey, eight, bullied=3)
    _answer(survey, nine, bullied=1)
    services.survey_close(actor=people["sysadmin"], survey=survey)
    admin = people["sysadmin"]
    school = selectors.Node(g7.unit_id)
    at_school = selectors.results(actor=admin, survey=survey, node=school)
    bullied = next(qr for qr in at_school.questions if "bắt nạt" in qr.question.text
                   and qr.question.kind == QuestionKind.SINGLE)
    many = next(c for c in bullied.cells if c.label == "Có, nhiều lần")
    assert many.figure.value == 5  # 5 of the school: shown
    # by grade, "many times" sits in grade 8 only (5): shown; the respondents' table is consistent
    by_grade = dict(bullied.breakdown)
    assert [str(c.figure) for c in by_grade["Khối 8"]][2] == "5"
    counts, relations, figures = selectors.figure_relations(survey)
    assert all(f.value is None or f.value == 0 or f.value >= 5 for f in figures.values())
    assert _determined(counts, relations, figures) == []


def test_a_small_group_is_hidden_with_its_complement_and_cannot_be_opened(make_class, launch, people):
    big, big_users = make_class(10, grade=6, name="6Z")
    mid, mid_users = make_class(7, grade=7, name="7Z")
    other, other_users = make_class(5, grade=8, name="8Z")
    survey = launch([big, mid, other])
    _answer(survey, big_users, bullied=1)
    _answer(survey, mid_users, bullied=3)  # five released with their class; two left over at closing
    _answer(survey, other_users, bullied=1)
    services.survey_close(actor=people["sysadmin"], survey=survey)
    admin = people["sysadmin"]
    school = selectors.results(actor=admin, survey=survey, node=selectors.Node(big.unit_id))
    shown = {label: str(f) for _, label, f, _ in school.groups}
    # the two leftovers are counted under the school only (no grade, no class): a small group
    assert shown["Khối 6"] == "10" and shown["Không rõ khối (nhóm nhỏ gộp lại)"] == "< 5", shown
    # … and one grade of five with it, or the school's 22 minus the shown grades would give the two back
    assert sorted([shown["Khối 7"], shown["Khối 8"]]) == ["5", "< 5"], shown
    assert str(school.respondents) == "22"
    for node, _label, f, link in school.groups:
        assert link == f.shown
        if not f.shown:
            with pytest.raises(DomainError):
                selectors.results(actor=admin, survey=survey, node=node)
    counts, relations, figures = selectors.figure_relations(survey)
    assert _determined(counts, relations, figures) == []
    # nothing on the page shows a number under 5
    for qr in school.questions:
        for cell in qr.cells:
            assert cell.figure.value is None or cell.figure.value == 0 or cell.figure.value >= 5
