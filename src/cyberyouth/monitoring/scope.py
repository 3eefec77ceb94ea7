"""Which zones a person moderates or may read — computed only from `orgs.selectors`.

A moderator (content.moderate) or the standing agency (monitoring.manage) covers the subtree
of the units their role sits on, plus the history those units carry on (a predecessor's
items, e.g. Huyện Cát Hải's before the 1/7/2025 merge). A school's focal point reads the
items of their own school only when the standing agency granted it (QueueAccess).
"""

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

MODERATE = "content.moderate"
MANAGE = "monitoring.manage"
SCHOOL_READ = "monitoring.school"


def _with_history(unit_ids: set[int]) -> set[int]:
    if not unit_ids:
        return set()
    covered = set(unit_ids)
    preds = org_selectors.predecessor_closure(unit_ids=unit_ids)
    extra = set().union(*preds.values()) - covered
    for unit in Unit.objects.filter(id__in=extra):
        covered |= org_selectors.descendant_ids(unit_ids=[unit.id], on=unit.last_day or org_selectors.today())
    return covered


def moderated_unit_ids(*, actor) -> set[int]:
    """Zones whose items `actor` may claim and decide."""
    return _with_history(org_selectors.actionable_unit_ids(actor=actor, capability=MODERATE))


def managed_unit_ids(*, actor) -> set[int]:
    """Zones whose channels, categories and statistics `actor` manages."""
    return _with_history(org_selectors.actionable_unit_ids(actor=actor, capability=MANAGE))


def readable_unit_ids(*, actor) -> set[int]:
    """Zones whose items `actor` may read: moderated, managed, or a school granted access."""
    from .models import QueueAccess

    ids = moderated_unit_ids(actor=actor) | managed_unit_ids(actor=actor)
    school_ids = org_selectors.actionable_unit_ids(actor=actor, capability=SCHOOL_READ)
    if school_ids:
        granted = set(QueueAccess.objects.filter(unit_id__in=school_ids).values_list("unit_id", flat=True))
        ids |= org_selectors.descendant_ids(unit_ids=granted, on=org_selectors.today()) if granted else set()
    return ids


def can_read_queue(*, actor) -> bool:
    return bool(readable_unit_ids(actor=actor))
