"""Benchmark: the 党员名册 page's queries (``members_search`` + Paginator) per persona, against the
former scope condition (a join on the branch's path) in the same process.

    ZUGONG_HOME=/tmp/h48home uv run python bench/bench_members_list.py [admin jinan secretary …]
    DATABASE_URL=postgres://…/zugong_h48 ZUGONG_HOME=… uv run python bench/bench_members_list.py --plans

Runs on the database of ZUGONG_HOME (or DATABASE_URL): a demo city (``zugong demo``). For each user
it times, best of 3: the count, page 1 and the last page (OFFSET), with ``members_search`` as it is
(members filtered by ``org_id IN (the subtree's organizations)``) and with the former condition
``org__path__startswith`` (a join); checks that both list the same members on those pages, prints
the ratio, and with ``--plans`` the query plans (EXPLAIN QUERY PLAN / EXPLAIN) of page 1. The last
page is also read as the list reads it since the twelfth session (``TailPaginator``: from the end,
in reversed order), checked to hold the same members, with its ratio to OFFSET.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.settings")


def best(fn, repeat: int = 3) -> tuple[float, object]:
    """Best of ``repeat`` timings (seconds) and the last value: bench_dashboard's timer."""
    from bench_dashboard import _timed  # this script's directory is on sys.path when run as a script

    return _timed(fn, repeat)


def former(scope, qs):
    """``qs`` with its scope condition replaced by the former join on the branch's path."""
    from zugong.members.models import PartyMember

    ordering = qs.query.order_by
    return (
        PartyMember.objects.filter(org__path__startswith=scope.org_path, left_date__isnull=True)
        .select_related("person", "org").only(*qs.query.deferred_loading[0]).order_by(*ordering)
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("users", nargs="*", default=["admin", "jinan", "secretary"])
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection

    from zugong.core.paging import TailPaginator
    from zugong.core.scope import scope_for
    from zugong.members import selectors

    sqlite = connection.vendor == "sqlite"
    print(f"database: {connection.vendor}")
    for username in args.users:
        scope = scope_for(get_user_model().objects.get(username=username))
        now = selectors.members_search(scope, selectors.MemberFilters())
        then = former(scope, now)
        n = Paginator(now, selectors.PAGE_SIZE).count
        last = Paginator(now, selectors.PAGE_SIZE).num_pages
        figures = {}
        for label, qs in (("now", now), ("former", then)):
            count, _ = best(lambda qs=qs: Paginator(qs, selectors.PAGE_SIZE).count)
            first, a = best(lambda qs=qs: [m.pk for m in Paginator(qs, selectors.PAGE_SIZE).get_page(1)])
            end, b = best(lambda qs=qs, last=last: [m.pk for m in Paginator(qs, selectors.PAGE_SIZE).get_page(last)])
            figures[label] = (count, first, end, a, b)
        tail, c = best(lambda qs=now, last=last: [m.pk for m in TailPaginator(qs, selectors.PAGE_SIZE).get_page(last)])
        same = figures["now"][3:] == figures["former"][3:] and c == figures["now"][4]
        c1, p1, e1 = figures["now"][:3]
        c0, p0, e0 = figures["former"][:3]
        print(f"{username}: {n:,} members, {last:,} pages; same members listed: {'yes' if same else 'NO'}")
        print(f"  members_search   count {c1 * 1000:7.1f} ms  page 1 {p1 * 1000:7.1f} ms  page {last} {e1 * 1000:7.1f} ms")
        print(f"  former (join)    count {c0 * 1000:7.1f} ms  page 1 {p0 * 1000:7.1f} ms  page {last} {e0 * 1000:7.1f} ms")
        print(f"  read from the end (TailPaginator, the list's paginator)  page {last} {tail * 1000:7.1f} ms"
              f" = {e1 / tail:.1f}× OFFSET")  # fmt: skip
        print(f"RESULT list {username}: count+page 1 {(c1 + p1) * 1000:.0f} ms = {(c0 + p0) / (c1 + p1):.1f}× the former ({(c0 + p0) * 1000:.0f} ms);"
              f" last page {e0 / e1:.1f}×")
        if args.plans:
            sql, params = now[: min(n, selectors.PAGE_SIZE)].query.sql_with_params()
            with connection.cursor() as cur:
                cur.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql, params)
                for row in cur.fetchall():
                    print("    " + str(row[-1] if sqlite else row[0]))
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
