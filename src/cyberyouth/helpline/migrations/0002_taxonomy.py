from django.db import migrations


def load(apps, schema_editor):
    from cyberyouth.helpline.taxonomy import TAXONOMY

    Category = apps.get_model("helpline", "Category")
    for order, (code, name, flags, critical) in enumerate(TAXONOMY, start=1):
        Category.objects.update_or_create(code=code, defaults={"name": name, "engine_categories": flags,
                                                               "critical": critical, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_cases_contacts_clocks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
