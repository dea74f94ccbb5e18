"""Person's columns as the database stores and orders them (zugong.core.models, migration core 0006)."""

import datetime as dt

import pytest
from django.db import connection

from zugong.core.models import Person
from zugong.core.services import id_number_index
from zugong.orgs.tests.people import make_person

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="collations are PostgreSQL's")


@pg_only
def test_the_blind_index_and_the_stroke_key_compare_bytewise_on_postgresql(db):
    """Migration core 0006; a later AlterField of either column would silently drop it."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name, collation_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name IN ('id_number_index', 'stroke_key') ORDER BY column_name",
            [Person._meta.db_table],
        )
        assert cur.fetchall() == [("id_number_index", "C"), ("stroke_key", "C")]


def test_lists_in_stroke_order_and_finds_by_blind_index(db):
    """The database orders by the stroke key as Python orders the keys, on SQLite and PostgreSQL alike."""
    names = ["王芳", "丁一", "欧阳明", "乙", "张三", "王", "龙龙", "丁二"]
    people = [make_person(name, n, birth=dt.date(1980 + n, 1, 1)) for n, name in enumerate(names, start=1)]
    assert len({p.stroke_key for p in people}) == len(people)  # no ties: the key alone orders them
    expected = [p.name for p in sorted(people, key=lambda p: p.stroke_key)]
    assert list(Person.objects.order_by("stroke_key").values_list("name", flat=True)) == expected
    assert expected[:2] == ["乙", "丁一"]  # 1 stroke, then 2 strokes
    assert Person.objects.get(id_number_index=people[0].id_number_index) == people[0]
    assert Person.objects.filter(id_number_index=id_number_index("110101199003077777")).count() == 0
