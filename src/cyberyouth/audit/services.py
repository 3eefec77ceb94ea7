"""The one way to write the audit log. Call it inside the service's transaction."""

from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from .models import AuditEntry


# Never copied into the log.
SECRET_FIELDS = frozenset({"password", "key_hash"})


def snapshot(instance: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-able picture of a model instance, for `before`/`after` (secrets left out)."""
    data = model_to_dict(instance, fields=fields)
    return {k: (str(v) if hasattr(v, "read") else v) for k, v in data.items() if k not in SECRET_FIELDS}


# Where the unit of a target is found, tried in order: a unit itself, then these relations.
# The same paths serve the backfill of older entries (migration 0003). A new app whose
# records hang from a unit another way passes `unit=` to `audit_record`.
UNIT_PATHS = ("unit", "owner_unit", "zone_unit", "assignment__unit", "progress__assignment__unit",
              "submission__unit", "item__unit")


def unit_of(target: models.Model):
    """The id of the unit `target` concerns, or None (system-wide records)."""
    if target._meta.label_lower == "orgs.unit":
        return target.pk
    for path in UNIT_PATHS:
        current, steps = target, path.split("__")
        for step in steps[:-1]:
            current = getattr(current, step, None)
            if current is None:
                break
        if current is None:
            continue
        unit_id = getattr(current, f"{steps[-1]}_id", None)
        if unit_id is not None:
            return unit_id
    return None


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    unit=None,
) -> AuditEntry:
    """Append one entry. `unit` (a Unit or its id): the unit the action concerns, when it is not
    the target's own (found through `UNIT_PATHS`)."""
    unit_id = getattr(unit, "pk", unit) if unit is not None else unit_of(target)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        unit_id=unit_id,
        before=before,
        after=after,
        note=note,
    )
