"""Seed the reserve-pool status history: one row per existing entry from its current status.

Before this migration only the current status and its date were kept, so earlier changes are
unknown: the seeded row goes from "" (unknown) to the current status on ``status_on``. An entry
always enters the pool as 在库, so ``selectors_reserve.active_on_q`` counts an entry with history
as in the pool from ``entered_on`` until its first recorded change.
"""

from django.db import migrations

SEED_REASON = "据迁移时的当前状态补录（此前的变更未记录）"


def seed(apps, schema_editor):
    Entry = apps.get_model("cadres", "ReserveEntry")
    Change = apps.get_model("cadres", "ReserveStatusChange")
    have = set(Change.objects.values_list("entry_id", flat=True))
    rows = [
        Change(entry_id=pk, from_status="", to_status=status, on=status_on, reason=SEED_REASON)
        for pk, status, status_on in Entry.objects.values_list("pk", "status", "status_on").iterator()
        if pk not in have
    ]
    Change.objects.bulk_create(rows, batch_size=1000)


def unseed(apps, schema_editor):
    apps.get_model("cadres", "ReserveStatusChange").objects.filter(reason=SEED_REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0006_procedures_pool_history_evidence_import")]
    operations = [migrations.RunPython(seed, unseed)]
