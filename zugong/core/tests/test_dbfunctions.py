"""Database expressions (zugong.core.dbfunctions): equal to the Python rules on SQLite and PostgreSQL."""

import datetime as dt

from django.db.models import F

from zugong.core.dbfunctions import DateNumber, age_expr, date_number
from zugong.core.models import Person
from zugong.core.rules import age_on
from zugong.orgs.tests.people import make_person

# birthdays around the turn of the year and 29 February, in leap and common years
BIRTHS = [
    dt.date(1980, 2, 27), dt.date(1980, 2, 28), dt.date(1980, 2, 29), dt.date(1980, 3, 1), dt.date(1979, 12, 31),
    dt.date(1981, 1, 1), dt.date(1966, 6, 15), dt.date(2000, 2, 29), dt.date(1999, 3, 1), dt.date(1908, 9, 9),
]  # fmt: skip


def test_a_date_becomes_its_yyyymmdd_number_in_the_database(db):
    for n, birth in enumerate(BIRTHS):
        make_person(f"甲{n}", 200 + n, birth=birth)
    got = dict(Person.objects.annotate(k=DateNumber(F("birth_date"))).values_list("birth_date", "k"))
    assert got == {b: date_number(b) for b in BIRTHS}
    assert date_number(dt.date(1985, 9, 1)) == 19850901


def test_the_age_in_the_database_is_the_full_years_of_the_python_rule(db):
    for n, birth in enumerate(BIRTHS):
        make_person(f"甲{n}", 200 + n, birth=birth)
    days = [dt.date(2026, 1, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2026, 12, 31), dt.date(2028, 2, 28),
            dt.date(2028, 2, 29), dt.date(2028, 3, 1), dt.date(2026, 6, 14), dt.date(2026, 6, 15), dt.date(2001, 2, 28),
            dt.date(2001, 3, 1)]  # fmt: skip
    for on in days:
        got = dict(Person.objects.filter(birth_date__lte=on).annotate(age=age_expr("birth_date", on)).values_list("birth_date", "age"))
        assert got == {b: age_on(b, on) for b in BIRTHS if b <= on}, on
