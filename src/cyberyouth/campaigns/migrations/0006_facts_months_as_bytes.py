"""The month counts of the day facts as 12 little-endian uint32 (48 bytes) instead of a JSON list:
numpy reads a country's rows in one call instead of decoding 45,000 JSON texts."""

import struct

from django.db import migrations, models


def to_bytes(apps, schema_editor):
    Facts = apps.get_model("campaigns", "UnitDayFacts")
    batch = []
    for row in Facts.objects.only("id", "posts").iterator(chunk_size=5000):
        counts = (list(row.posts or []) + [0] * 12)[:12]
        row.months = struct.pack("<12I", *counts)
        batch.append(row)
        if len(batch) >= 5000:
            Facts.objects.bulk_update(batch, ["months"])
            batch.clear()
    Facts.objects.bulk_update(batch, ["months"])


def to_json(apps, schema_editor):
    Facts = apps.get_model("campaigns", "UnitDayFacts")
    batch = []
    for row in Facts.objects.only("id", "months").iterator(chunk_size=5000):
        row.posts = list(struct.unpack("<12I", bytes(row.months)))
        batch.append(row)
    Facts.objects.bulk_update(batch, ["posts"], batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0005_commendations"),
    ]

    operations = [
        migrations.AddField(
            model_name="unitdayfacts",
            name="months",
            field=models.BinaryField(default=b"\x00" * 48, max_length=48),
            preserve_default=False,
        ),
        migrations.RunPython(to_bytes, to_json),
        migrations.RemoveField(model_name="unitdayfacts", name="posts"),
    ]
