"""A person's data in the campaign (Law 91/2025): the commendations naming them.

A person is named on a proposal by text (name, position, unit), not by account: the proposals
matched are those whose folded name is the person's and whose unit is one where the person
holds or held a role. Erasure removes the name from proposals not decided (and withdraws the
open ones); an approved commendation is part of a signed decision, kept as an administrative
record, and stays as issued."""

from cyberyouth.lib.text import fold
from cyberyouth.orgs.models import RoleAssignment

from .models import Commendation, CommendationStatus, NomineeKind

ERASED_NAME = "(đã xóa theo yêu cầu)"


def _theirs(person):
    units = set(RoleAssignment.objects.filter(user=person).values_list("unit_id", flat=True))
    key = fold(person.full_name or "")
    if not key or not units:
        return Commendation.objects.none()
    return Commendation.objects.filter(kind=NomineeKind.PERSON, person_key=key, unit_id__in=units)


def export(*, person) -> list[dict]:
    return [{"id": c.pk, "year": c.year, "name": c.person_name, "position": c.person_position, "unit": c.unit.name,
             "status": c.get_status_display(), "book_number": c.book_number}
            for c in _theirs(person).select_related("unit").order_by("year", "pk")]


def erase(*, person, actor, reason: str) -> None:
    from cyberyouth.audit.services import audit_record

    for c in _theirs(person).exclude(status=CommendationStatus.APPROVED):
        before = c.status
        c.person_name, c.person_key, c.person_position = ERASED_NAME, f"erased-{c.pk}", ""
        if c.status in (CommendationStatus.PROPOSED, CommendationStatus.RETURNED):
            c.status = CommendationStatus.WITHDRAWN
        c.save(update_fields=["person_name", "person_key", "person_position", "status"])
        audit_record(actor=actor, action="campaigns.commendation_erase", target=c, unit=c.unit_id,
                     before={"status": before}, after={"status": c.status}, note=reason)
