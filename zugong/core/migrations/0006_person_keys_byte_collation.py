"""PostgreSQL: the blind index and the 姓氏笔画 key of core_person compare bytewise (COLLATE "C").

Both hold ASCII only — 64 hex digits, and digit groups (zugong.core.strokes) — so every collation
orders and equates them exactly as the bytes, and "C" gives the same results without the locale's
comparison: a bulk insert of 100,000 persons costs the server ≈16 % less (their two indexes take
random keys; bench/README.md, "Seventh look"). SQLite compares bytes (BINARY) already.

Not declared with ``db_collation`` on the fields: SQLite has no collation named "C". An AlterField
of these columns that Django generates later would drop the collation (PostgreSQL resets it on
ALTER COLUMN TYPE); zugong/core/tests/test_models.py checks it is there.
"""

from django.db import migrations

COLUMNS = (("id_number_index", 64), ("stroke_key", 80))


def _alter(collation: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("core", "Person")._meta.db_table)
        changes = ", ".join(f'ALTER COLUMN "{col}" TYPE varchar({n}) COLLATE {collation}' for col, n in COLUMNS)
        schema_editor.execute(f"ALTER TABLE {table} {changes}")

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0005_person_drop_unused_indexes")]

    operations = [migrations.RunPython(_alter('"C"'), _alter('"default"'))]
