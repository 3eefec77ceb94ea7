"""Which zones a person moderates, manages or reads — named calls to the gate, `orgs.selectors`.

A moderator (content.moderate) or the standing agency (monitoring.manage) covers the subtree
of the units their role sits on, plus the history those units carry on (a predecessor's
items, e.g. Huyện Cát Hải's before the 1/7/2025 merge): the gate's `history` rule. A school's
focal point reads the items of their own school only when the standing agency granted it
(QueueAccess). Statistics are read with monitoring.read (moderators, the agency, leaders).
"""

from cyberyouth.lib.types import Actor
from cyberyouth.orgs import selectors as org_selectors

MODERATE = "content.moderate"
MANAGE = "monitoring.manage"
SCHOOL_READ = "monitoring.school"
STATISTICS = "monitoring.read"


def moderated_unit_ids(*, actor: Actor) -> set[int]:
    """Zones whose items `actor` may claim and decide."""
    return org_selectors.unit_ids(actor=actor, capability=MODERATE)


def managed_unit_ids(*, actor: Actor) -> set[int]:
    """Zones whose channels, categories and queue grants `actor` manages."""
    return org_selectors.unit_ids(actor=actor, capability=MANAGE)


def statistics_unit_ids(*, actor: Actor) -> set[int]:
    """Zones whose monitoring figures `actor` may read."""
    return org_selectors.unit_ids(actor=actor, capability=STATISTICS)


def readable_unit_ids(*, actor: Actor) -> set[int]:
    """Zones whose items `actor` may read: moderated, managed, or a school granted access (with
    the history it carries on)."""
    from .models import QueueAccess

    ids = moderated_unit_ids(actor=actor) | managed_unit_ids(actor=actor)
    schools = org_selectors.unit_ids(actor=actor, capability=SCHOOL_READ, history=False)
    if schools:
        granted = set(QueueAccess.objects.filter(unit_id__in=schools).values_list("unit_id", flat=True))
        ids |= org_selectors.subtree_ids(unit_ids=granted) if granted else set()
    return ids


def can_read_queue(*, actor: Actor) -> bool:
    return bool(readable_unit_ids(actor=actor))
