"""The home-page card: this year's data report of the person's units, and what waits for them."""

from cyberyouth.errors import DomainError
from cyberyouth.orgs import selectors as org_selectors

from . import reminders, selectors
from .models import SubmissionStatus


def panel(request):
    user = request.user
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
    return "indicators/_home.html", {
        "year": year,
        "deadline": next((p.deadline for p in periods if p.year == year), None),
        "own": [(r, reminded.get(r.unit_id)) for r in own_rows],
        "to_review": [r for r in rows if r.status == SubmissionStatus.SUBMITTED and r.unit_id in approve],
        "missing": [r for r in rows if r.timeliness == "missing" and r.unit_id not in own],
    }
