"""Reload the code tables: adds 政治面貌 (GB/T 4762) to CodeItem."""

from django.db import migrations


def load(apps, schema_editor):
    from zugong.core.codes import TABLES

    CodeItem = apps.get_model("core", "CodeItem")
    for name, rows in TABLES.items():
        for i, (code, label) in enumerate(rows):
            CodeItem.objects.update_or_create(table=name, code=code, defaults={"label": label, "sort": i})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_person_indexes_without_like")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
