"""Database expressions shared by the statistics and the lists, the same on SQLite and PostgreSQL.

Written as SQL the database evaluates itself: on SQLite, Django's date lookups (``__year``,
``__month``, ``__day``, ``ExtractYear``) are Python functions called back once per row, which made
the ages of 18,000 cadres cost ≈0.2 s of the city dashboard (bench/README.md, dashboard).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Func, IntegerField, Value


class DateNumber(Func):
    """A date column as the integer YYYYMMDD (1985-09-01 → 19850901); NULL stays NULL.

    SQLite keeps Django's dates as 'YYYY-MM-DD' text, so the digits are the text without its
    dashes; PostgreSQL formats the date. Ordering and differences of these numbers follow the
    calendar within a year (month and day compare as MMDD), which ``age_expr`` relies on.
    """

    arity = 1
    output_field = IntegerField()
    template = "CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)", **extra_context
        )


def date_number(day: dt.date) -> int:
    """``day`` as the integer YYYYMMDD, the Python side of ``DateNumber``."""
    return day.year * 10000 + day.month * 100 + day.day


def age_expr(birth_field: str, on: dt.date):
    """SQL expression: full years of age (周岁) on ``on`` of the date column ``birth_field``.

    ``(on as YYYYMMDD − birth as YYYYMMDD) div 10000``: the year difference, less one while the
    birthday (MMDD) of ``on``'s year has not come; someone born on 29 February is a year older on
    1 March of a common year. Equal to ``zugong.core.rules.age_on`` for every birth date on or
    before ``on`` (tested): the difference is then non-negative, and integer division truncates it
    alike on both databases.
    """
    return (Value(date_number(on)) - DateNumber(birth_field)) / Value(10000)
