"""The home-page card: this year's data report of the person's units and what waits for them, and
for whoever reads indicators, the year's figures of their area — the dashboard's own numbers."""

from cyberyouth.errors import DomainError
from cyberyouth.orgs import selectors as org_selectors

from . import reminders, selectors
from .models import SubmissionStatus


def panel(request):
    report, figures = _report(request.user), _figures(request.user)
    if report is None and figures is None:
        return None
    return "indicators/_home.html", {"report": report, "figures": figures}


def _figures(user):
    """The dashboard's first card, in short: every indicator of the top unit of the person's scope
    for the year the dashboard opens on, computed by the dashboard's own selector."""
    if not org_selectors.unit_ids(actor=user, capability="indicator.read"):
        return None
    year = selectors.dashboard_year(actor=user)
    roots = selectors.dashboard_roots(actor=user, on=selectors.default_on(year))
    if not roots:
        return None
    try:
        rows = selectors.compute_indicators(actor=user, year=year, unit=roots[0], depth=0)
    except DomainError:
        return None
    head = next((r for r in rows if r.unit_id == roots[0].id), None)
    if head is None:
        return None
    return {"year": year, "unit": head,
            "indicators": [i for i in head.indicators if i.status != "not_applicable"]}


def _report(user):
    enter = org_selectors.unit_ids(actor=user, capability="data.enter", history=False)
    approve = org_selectors.unit_ids(actor=user, capability="data.approve", history=False)
    periods = selectors.periods()
    if not (enter or approve) or not periods:
        return None
    year = max(p.year for p in periods)  # the period open now, or the last one
    try:
        result = selectors.completeness(actor=user, year=year)
        rows = [r for r in result.rows if r.unit_id in enter | approve]
    except DomainError:
        return None
    own = {a.unit_id for a in org_selectors.active_roles(actor=user)}
    own_rows = [r for r in rows if r.unit_id in own]
    owing = {r.unit_id for r in result.reminders}
    reminded = reminders.last_reminded(year=year, unit_ids=[r.unit_id for r in own_rows if r.unit_id in owing])
    return {
        "year": year,
        "deadline": next((p.deadline for p in periods if p.year == year), None),
        "own": [(r, reminded.get(r.unit_id)) for r in own_rows],
        "to_review": [r for r in rows if r.status == SubmissionStatus.SUBMITTED and r.unit_id in approve],
        "missing": [r for r in rows if r.timeliness == "missing" and r.unit_id not in own],
    }
