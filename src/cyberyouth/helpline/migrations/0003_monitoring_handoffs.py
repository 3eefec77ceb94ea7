"""The monitoring hand-offs that waited for a helpline become cases (urgent; critical for
self-harm and sexual content), at the item's unit; their action is marked "taken"."""

import secrets
from datetime import timedelta

from django.db import migrations

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CRITICAL = {"self_harm", "sexual"}


def convert(apps, schema_editor):
    from cyberyouth.workdays.calendar import WorkCalendar

    Action = apps.get_model("monitoring", "Action")
    Case = apps.get_model("helpline", "Case")
    Contact = apps.get_model("helpline", "Contact")
    Entry = apps.get_model("helpline", "Entry")
    Clock = apps.get_model("helpline", "Clock")
    Category = apps.get_model("helpline", "Category")
    cal = WorkCalendar()
    for action in Action.objects.filter(kind="helpline", handoff_status="waiting").select_related("item"):
        if Case.objects.filter(monitoring_action_id=action.pk).exists():
            continue
        item = action.item
        flags = sorted({c for c in (item.decided_category, item.top_category) if c})
        critical = bool(set(flags) & CRITICAL)
        raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
        received = action.created_at
        case = Case.objects.create(unit_id=item.unit_id, code=f"{raw[:5]}-{raw[5:]}", received_at=received,
                                   urgency="critical" if critical else "urgent", urgency_rank=0 if critical else 1,
                                   engine_flags=flags, created_by_id=action.actor_id, monitoring_action_id=action.pk)
        cats = list(Category.objects.filter(code__in=flags))
        case.categories.add(*cats)
        contact = Contact.objects.create(unit_id=item.unit_id, case=case, kind="other_child", channel="monitoring",
                                         urgency=case.urgency, received_at=received, recorded_by_id=action.actor_id,
                                         summary=action.body)
        contact.categories.add(*cats)
        Entry.objects.create(case=case, kind="note", by_id=action.actor_id, at=received,
                             text=f"Giám sát nội dung chuyển đến (nội dung số {item.pk}).\n{action.body}")
        clocks = [("first_answer", received + timedelta(minutes=30 if critical else 120)),
                  ("notify", received + timedelta(hours=2)),
                  ("plan", cal.deadline(received, 5))]
        if critical:
            clocks.append(("danger", received + timedelta(hours=12)))
        for kind, due in clocks:
            Clock.objects.create(case=case, kind=kind, started_at=received, due_at=due)
        action.handoff_status = "taken"
        action.save(update_fields=["handoff_status"])


class Migration(migrations.Migration):
    dependencies = [("helpline", "0002_taxonomy"), ("monitoring", "0002_default_categories")]
    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
