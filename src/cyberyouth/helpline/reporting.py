"""Task 7đ in the yearly report: the helpline's line, the same words its statistics page shows
(`selectors.yearly_report_line`, every figure through the small-group rule)."""

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports.contributions import ReportPart

from . import selectors
from .models import Contact


def parts(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    """Nothing when the reader may not see helpline statistics or no helpline of the scope was
    contacted that year (a report does not announce a service nobody used)."""
    if not org_selectors.can(actor=actor, capability="helpline.stats", unit=unit):
        return []
    if not Contact.objects.filter(unit_id__in=unit_ids, received_at__year=year).exists():
        return []
    line = selectors.yearly_report_line(actor=actor, unit=unit, year=year)
    return [ReportPart(group=7, text=f"Nhiệm vụ 7đ — {line}")]
