# The unit each audit entry concerns (what scopes the log for leaders and administrators),
# filled for the older entries wherever the target still exists and hangs from a unit.

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

# As cyberyouth.audit.services.UNIT_PATHS, frozen here.
UNIT_PATHS = ("unit", "owner_unit", "zone_unit", "assignment__unit", "progress__assignment__unit",
              "submission__unit", "item__unit")


def _unit_path(model):
    names = {f.name for f in model._meta.get_fields()}
    for path in UNIT_PATHS:
        first = path.split("__")[0]
        if first in names:
            return path
    return None


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for target_type in AuditEntry.objects.values_list("target_type", flat=True).distinct():
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            continue  # a model that no longer exists: its entries stay system-wide
        if target_type == "orgs.unit":
            pairs = model.objects.values_list("id", "id")
        else:
            path = _unit_path(model)
            if path is None:
                continue
            pairs = model.objects.filter(**{f"{path}__isnull": False}).values_list("id", path)
        by_unit = defaultdict(list)
        for target_id, unit_id in pairs.iterator():
            by_unit[unit_id].append(str(target_id))
        for unit_id, target_ids in by_unit.items():
            for start in range(0, len(target_ids), 500):
                AuditEntry.objects.filter(target_type=target_type, target_id__in=target_ids[start:start + 500],
                                          unit__isnull=True).update(unit_id=unit_id)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_initial'),
        ('orgs', '0001_initial'),
        # The targets' models, for the backfill.
        ('plans', '0001_initial'),
        ('indicators', '0006_evidence_file'),
        ('monitoring', '0002_default_categories'),
        ('channels', '0001_initial'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.unit', verbose_name='đơn vị liên quan'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
