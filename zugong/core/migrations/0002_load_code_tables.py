"""Load the national code tables of zugong.core.codes into CodeItem."""

from django.db import migrations


def load(apps, schema_editor):
    from zugong.core.codes import TABLES

    CodeItem = apps.get_model("core", "CodeItem")
    CodeItem.objects.all().delete()
    CodeItem.objects.bulk_create(
        CodeItem(table=name, code=code, label=label, sort=i)
        for name, rows in TABLES.items()
        for i, (code, label) in enumerate(rows)
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
