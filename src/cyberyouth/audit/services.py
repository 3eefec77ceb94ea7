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


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        before=before,
        after=after,
        note=note,
    )
