"""Benchmark of the statistics dashboard (issue 2, section 5): the city dashboard must render in < 1 s.

Builds the demo city (zugong.demo.build_demo) in a fresh database under a temporary ZUGONG_HOME,
then, for the city administrator, times:
- GET / (the dashboard) cold (empty cache) and warm (cached by scope, node, date, data version);
- each statistic query on its own (no cache);
- a naive baseline measured in the same run: a Python loop over the membership rows computing the
  same member structure, with the ratio to the SQL version (and a check that both agree).

Usage (inside /work/main):
    uv run python bench/bench_dashboard.py                 # SQLite, scale 1.0 (~250,000 members)
    uv run python bench/bench_dashboard.py --scale 0.1
    uv run python bench/bench_dashboard.py --pg            # also PostgreSQL (fresh database via createdb)
    uv run python bench/bench_dashboard.py --analyze       # SQLite with planner statistics (not how it is served)

Each backend runs in its own subprocess (settings read DATABASE_URL at start-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432"


def _timed(fn, repeat: int = 1):
    best, value = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    return best, value


def worker(scale: float, seed: int, analyze: bool = False) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from zugong.core.models import Role, UserProfile
    from zugong.demo import build_demo

    vendor = connection.vendor
    print(f"== {vendor} ==", flush=True)
    t0 = time.perf_counter()
    summary = build_demo(scale=scale, seed=seed)
    print(f"demo city built in {time.perf_counter() - t0:.1f} s: " + "; ".join(summary.lines()[1:4]), flush=True)
    # The database as ``zugong demo`` / ``bin/up`` leave it: the demo build ANALYZEs PostgreSQL itself, and
    # nothing ANALYZEs SQLite. With SQLite statistics (``--analyze``) the planner drives the member scan from
    # the organizations through the (org, start) index instead of scanning the affiliations: the city's
    # member structure takes about 1.4 times as long (bench/README.md, fourteenth session).
    if analyze:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    if vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            print("SQLite planner statistics (sqlite_stat1): " + ("yes (--analyze)" if cur.fetchone()[0] else "none, as served"), flush=True)

    from zugong.core.scope import scope_for
    from zugong.stats import reports
    from zugong.stats import selectors as s

    profile = UserProfile.objects.filter(role=Role.CITY_ADMIN).select_related("user", "unit").order_by("unit__path").first()
    user = profile.user
    today = dt.date.today()
    target = s.resolve_target(scope_for(user), on=today)

    client = Client()
    client.force_login(user)
    client.get("/audit/")  # warm up the process (imports, URL map, templates); not the statistics
    cache.clear()
    cold, resp = _timed(lambda: client.get("/"))
    assert resp.status_code == 200, resp.status_code
    warm, _ = _timed(lambda: client.get("/"), repeat=5)
    cache.clear()
    cold2, _ = _timed(lambda: client.get("/stats/figures/"))
    print(f"\nGET / (city dashboard) as {user.username}: cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms  (target < 1000 ms cold)")
    print(f"GET /stats/figures/ cold {cold2 * 1000:.0f} ms")

    county = UserProfile.objects.filter(role=Role.COUNTY_ADMIN).select_related("user").order_by("unit__path").first()
    if county is not None:
        c2 = Client()
        c2.force_login(county.user)
        cache.clear()
        ccold, _ = _timed(lambda: c2.get("/"))
        cwarm, _ = _timed(lambda: c2.get("/"), repeat=3)
        print(f"GET / (county dashboard) as {county.user.username}: cold {ccold * 1000:.0f} ms, warm {cwarm * 1000:.0f} ms")
        after_a_write(client, c2)

    print("\nstatistic queries (city, no cache, best of 3):")
    queries = {
        "member_counts (1 query, ~40 conditional aggregates)": lambda: s.member_counts(target),
        "org_sections (2 queries)": lambda: s.org_sections(target),
        "cadre_counts (1 GROUP BY)": lambda: s.cadre_counts(target),
        "team_age_total (1 query)": lambda: s.team_age_total(target),
        "team_ages (1 GROUP BY)": lambda: s.team_ages(target),
        "figures_by_child (3 GROUP BY)": lambda: s.figures_by_child(target),
        "data_version (5 MAX)": reports.data_version,
        "overview, uncached (all of the above)": lambda: reports.overview(target, use_cache=False),
    }
    results = {}
    for name, fn in queries.items():
        t, results[name] = _timed(fn, repeat=3)
        print(f"  {name:<55} {t * 1000:8.1f} ms")

    sql_t, sql_counts = _timed(lambda: s.member_counts(target), repeat=3)
    naive_t, naive_counts = _timed(lambda: naive_member_counts(target))
    keys = ("total", "full", "women", "minority", "college", "new_this_year", "rural", "rural_60", "rural_jh")
    agree = all(sql_counts[k] == naive_counts[k] for k in keys) and all(
        sql_counts[f"age_{i}"] == naive_counts[f"age_{i}"] for i in range(len(s.MEMBER_AGE_BANDS))
    )
    print(f"\nmember structure of {sql_counts['total']:,} members:")
    print(f"  SQL conditional aggregates   {sql_t * 1000:8.1f} ms")
    print(f"  naive Python loop over rows  {naive_t * 1000:8.1f} ms   ratio {naive_t / sql_t:.1f}x   results agree: {agree}")
    figs = reports.overview(target)["figures"]
    print("\nspeech figures (city, today):")
    for f in figs:
        print("  " + f.sentence("全市"))


def after_a_write(city_client, county_client) -> None:
    """What a server does after a write (``zugong.stats.warm``): the overviews viewed are computed
    again in the background; the next GET / is served from the cache. Prints the warm-up's time
    and CPU and the GET / that follows."""
    from django.core.cache import cache

    from zugong.core.audit import SYSTEM
    from zugong.core.services import PersonData, person_upsert
    from zugong.core.testing import test_id_number
    from zugong.stats import warm as warming

    warming._enabled = True  # as in a server process (notes the views), without its thread
    try:
        cache.clear()
        city_client.get("/")
        county_client.get("/")  # both viewed: noted for warming
        person_upsert(actor=SYSTEM, data=PersonData(name="张暖", id_number=test_id_number(7)))  # a counted write
        targets = warming.viewed_targets()
        t0, c0 = time.perf_counter(), time.process_time()
        n = warming.warm(targets)
        t_warm, c_warm = time.perf_counter() - t0, time.process_time() - c0
        after, _ = _timed(lambda: city_client.get("/"))
    finally:
        warming._enabled = False
    print(f"after a write, as a server does: warm-up of {n} viewed overviews {t_warm * 1000:.0f} ms in the background "
          f"({c_warm:.2f} CPU-s in this process); GET / (city) then {after * 1000:.0f} ms")


def naive_member_counts(target) -> dict[str, int]:
    """Baseline: load every membership row of the subtree and count in Python (what we never do)."""
    from zugong.core import codes
    from zugong.core.rules import age_on
    from zugong.stats import selectors as s

    d = target.on
    rows = s.memberships_on(target).values_list(
        "member__confirmed_date", "member__joined_date", "member__person__gender", "member__person__ethnicity",
        "member__person__education", "member__person__birth_date", "org__unit__kind",
    )
    out = {k: 0 for k in ("total", "full", "women", "minority", "college", "new_this_year", "rural", "rural_60", "rural_jh")}
    for i in range(len(s.MEMBER_AGE_BANDS)):
        out[f"age_{i}"] = 0
    for confirmed, joined, gender, ethnicity, education, birth, unit_kind in rows.iterator(chunk_size=5000):
        age = age_on(birth, d)
        out["total"] += 1
        out["full"] += confirmed is not None and confirmed <= d
        out["women"] += gender == "2"
        out["minority"] += ethnicity != codes.HAN
        out["college"] += education in codes.COLLEGE_OR_ABOVE
        out["new_this_year"] += joined.year == d.year
        for i, (_label, lo, hi) in enumerate(s.MEMBER_AGE_BANDS):
            if (lo is None or age >= lo) and (hi is None or age <= hi):
                out[f"age_{i}"] += 1
        if unit_kind in s.RURAL_UNIT_KINDS:
            out["rural"] += 1
            out["rural_60"] += age >= 60
            out["rural_jh"] += education in codes.JUNIOR_HIGH_OR_BELOW
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL (createdb a fresh database)")
    parser.add_argument("--pg-only", action="store_true")
    parser.add_argument("--analyze", action="store_true", help="ANALYZE SQLite too before measuring (the served demo has no statistics)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.scale, args.seed, args.analyze)
        return
    runs = [] if args.pg_only else [("sqlite", None)]
    if args.pg or args.pg_only:
        runs.append(("postgresql", f"bench_dashboard_{os.getpid()}"))
    for _vendor, dbname in runs:
        with tempfile.TemporaryDirectory(prefix="zugong-bench-") as home:
            env = {**os.environ, "ZUGONG_HOME": home}
            env.pop("DATABASE_URL", None)
            if dbname:
                subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
                env["DATABASE_URL"] = f"{PG_ADMIN}/{dbname}"
            try:
                cmd = [sys.executable, __file__, "--worker", "--scale", str(args.scale), "--seed", str(args.seed),
                       *(["--analyze"] if args.analyze else [])]
                subprocess.run(cmd, env=env, check=True, cwd=ROOT)
            finally:
                if dbname:
                    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", dbname], check=False)


if __name__ == "__main__":
    main()
