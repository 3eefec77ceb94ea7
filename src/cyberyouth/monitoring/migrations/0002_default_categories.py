"""The engine's categories with their queue tiers and default thresholds (operators change them)."""

from django.db import migrations


def create(apps, schema_editor):
    from cyberyouth.monitoring.triage import DEFAULT_CATEGORIES

    Category = apps.get_model("monitoring", "Category")
    for code, name, severity, threshold in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "severity": severity,
                                                            "threshold": threshold, "is_engine": True})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
