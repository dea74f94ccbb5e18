"""The national code tables are in the database after migrating (zugong.core.codes → CodeItem)."""

from zugong.core import codes
from zugong.core.models import CodeItem


def test_it_loads_every_code_table_by_migration_with_official_codes_and_labels(db):
    for table, rows in codes.TABLES.items():
        stored = list(CodeItem.objects.filter(table=table).order_by("sort").values_list("code", "label"))
        assert stored == list(rows), table
    assert CodeItem.objects.filter(table="ethnicity").count() == 58  # 56 nationalities + 97 其他 + 98 外国血统
    assert codes.label("political_status", "01") == "中共党员" and codes.label("political_status", "13") == "群众"
    assert codes.code_for_label("gender", "女") == "2"
