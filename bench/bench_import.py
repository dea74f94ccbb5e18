"""Benchmark: import a 100,000-row member roster through the real service, on SQLite and PostgreSQL.

    uv run python bench/bench_import.py [--rows 100000] [--db sqlite|postgres|both] [--naive-rows 3000]

For each database it creates a fresh database (SQLite: a temporary file; PostgreSQL: a new
database on DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/postgres, dropped
afterwards), migrates it, builds a small tree (1 city, 7 counties, 10 towns each, 6 village
branches per town = 420 branches), generates a valid .xlsx roster and then:

1. imports it through ``zugong.members.services`` (create job → commit; the commit reads the file
   and validates and writes it in one pass in one transaction with one audit event), printing
   rows/s for reading (python-calamine), validating (every rule, incl. the lookup of existing
   persons by blind index) and writing (ids, COPY/executemany, affiliations, audit, commit) —
   validate and write overlap, so "validate+write" is the figure — and, on PostgreSQL, the
   worker thread's seconds per table; on PostgreSQL it then times a raw COPY of the rows just
   written into fresh tables of the same indexes (``raw_copy_baseline``): the machine's speed at
   that moment, next to issue 2's reference of ≈125,000 rows/s for raw COPY of similar rows;
2. re-imports the same file (every row found and compared: all 'unchanged');
3. imports another file of as many new rows, into the database that now holds the first (the
   usual case in a city on file: the lookups of persons on file must not grow with the tables);
4. imports a sample (default 3,000 new rows) the naive way — one row at a time through the ORM,
   ``person_upsert`` (per-row get/create + audit) and per-row member/affiliation creates and audit,
   each row in its own transaction, with the same validation — and prints the ratio.

The floor of issue 2 is ≥30,000 rows/s on PostgreSQL for validate+write and ≥20× the naive import.
``ZUGONG_BULK_CHECKS=0`` measures the path of a database role that may not switch the row triggers
off (zugong/core/bulkload.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
AREAS = ("341502", "341503", "341504", "341522", "341523", "341524", "341525")
COUNTIES = ("金安区", "裕安区", "叶集区", "霍邱县", "舒城县", "金寨县", "霍山县")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁龙林欣佳雪梅琳晨辉鹏"
OCCUPATIONS = ("农牧渔民", "离退休人员", "工人（工勤技能人员）", "企事业单位、社会组织专业技术人员",
               "企事业单位、社会组织管理人员", "党政机关工作人员", "学生", "其他职业人员")  # fmt: skip
EDUCATIONS = ("初中", "高中", "中专", "大学专科", "大学本科", "研究生", "小学")
HEADERS = ["姓名", "性别", "民族", "出生年月", "身份证号", "学历", "学位", "籍贯", "参加工作时间", "所在党支部",
           "入党时间", "转正时间", "人员类别", "党员类别", "联系电话"]  # fmt: skip
TODAY = dt.date(2026, 11, 22)


# --------------------------------------------------------------------------- setup


def setup_django(db: str, home: Path) -> str:
    os.environ["ZUGONG_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.settings")
    name = ""
    if db == "postgres":
        import psycopg

        base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or PG_DEFAULT
        name = f"zugong_bench_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Warm the process as a running server is: pinyin and stroke tables load on first use.
    from zugong.core.names import name_initials, name_stroke_key

    name_initials("张三")
    name_stroke_key("张三")
    return name


def drop_pg(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    base = os.environ.get("BENCH_DATABASE_URL") or PG_DEFAULT
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def build_tree():
    """A city with 7 counties × 10 towns × 6 village branches, and a city administrator."""
    from django.contrib.auth import get_user_model

    from zugong.core.models import Role, UserProfile
    from zugong.orgs.models import OrgKind, PartyOrganization, Unit, UnitKind, path_step

    def node(model, parent, name, n, **extra):
        path = (parent.path if parent else "") + path_step(n)
        return model(parent=parent, name=name, path=path, depth=len(path) // 4, **extra)

    city_u = node(Unit, None, "六安市", 1, kind=UnitKind.CITY, division_code="341500000000")
    city_u.save()
    city_o = node(PartyOrganization, None, "中共六安市委员会", 1, kind=OrgKind.COMMITTEE, unit=city_u)
    city_o.save()
    branches = []
    for ci, (county, area) in enumerate(zip(COUNTIES, AREAS, strict=True), start=1):
        cu = node(Unit, city_u, county, ci, kind=UnitKind.COUNTY, division_code=area + "000000")
        cu.save()
        co = node(PartyOrganization, city_o, f"中共六安市{county}委员会", ci, kind=OrgKind.COMMITTEE, unit=cu)
        co.save()
        for ti in range(1, 11):
            tu = node(Unit, cu, f"{county}第{ti}镇", ti, kind=UnitKind.TOWNSHIP, division_code=f"{area}{100 + ti:03d}000")
            tu.save()
            to = node(PartyOrganization, co, f"中共{county}第{ti}镇委员会", ti, kind=OrgKind.COMMITTEE, unit=tu)
            to.save()
            for vi in range(1, 7):
                vu = node(Unit, tu, f"{county}第{ti}镇第{vi}村", vi, kind=UnitKind.VILLAGE,
                          division_code=f"{area}{100 + ti:03d}{200 + vi:03d}")  # fmt: skip
                vu.save()
                bo = node(PartyOrganization, to, f"{county}第{ti}镇第{vi}村党支部", vi, kind=OrgKind.BRANCH, unit=vu)
                bo.save()
                branches.append(bo.name)
    user = get_user_model().objects.create_user("bench_admin", password="bench-password")
    UserProfile.objects.create(user=user, role=Role.CITY_ADMIN, unit=city_u, party_org=city_o, may_view_id_numbers=True)
    return user, branches


def generate_rows(n: int, branches: list[str], seed: int, used: set[str]) -> list[list]:
    """``n`` valid, mutually consistent roster rows (distinct 身份证号 not in ``used``)."""
    from zugong.core.rules import make_id_number

    rnd = random.Random(seed)
    rows = []
    while len(rows) < n:
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rnd.randrange(0, 23000))  # 1940–2002
        seq = rnd.randrange(0, 1000)
        area = rnd.choice(AREAS)
        number = make_id_number(area, birth, seq)
        if number in used:
            continue
        used.add(number)
        male = seq % 2 == 1
        age18 = birth.replace(year=birth.year + 18) if not (birth.month == 2 and birth.day == 29) else dt.date(birth.year + 18, 3, 1)
        span = (TODAY - dt.timedelta(days=30) - age18).days
        joined = age18 + dt.timedelta(days=rnd.randrange(0, max(1, span)))
        if (TODAY - joined).days > 430:
            confirmed = joined + dt.timedelta(days=366 + rnd.randrange(0, 60))
            status = "正式党员"
        else:
            confirmed, status = None, "预备党员"
        work = age18 + dt.timedelta(days=rnd.randrange(0, 2000))
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        rows.append([
            name, "男" if male else "女", "汉族" if rnd.random() > 0.02 else "回族", f"{birth:%Y.%m}", number,
            rnd.choice(EDUCATIONS), "无学位", area, f"{work:%Y.%m}" if work < TODAY else "", rnd.choice(branches),
            f"{joined:%Y.%m.%d}", f"{confirmed:%Y.%m.%d}" if confirmed else "", rnd.choice(OCCUPATIONS), status,
            f"13{rnd.randrange(100000000, 999999999)}",
        ])  # fmt: skip
    return rows


def write_xlsx(rows: list[list], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员名册")
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)


# --------------------------------------------------------------------------- measured imports


def fast_import(user, path: Path):
    from zugong.core.audit import Actor
    from zugong.core.scope import scope_for
    from zugong.members import services

    scope = scope_for(user)
    actor = Actor(user=user)
    job = services.import_job_create(actor=actor, scope=scope, kind="members", filename=path.name, content=path.read_bytes())
    job.status = "validated"
    job.save()
    server_cpu = backend_cpu_seconds()
    t0, cpu0, server0 = time.perf_counter(), time.process_time(), server_cpu()
    job = services.import_job_commit(job=job, actor=actor, scope=scope, good_rows_only=False, today=TODAY)
    total = time.perf_counter() - t0
    job.timings["cpu.python"], job.timings["cpu.server"] = time.process_time() - cpu0, server_cpu() - server0
    return job, total


def backend_cpu_seconds() -> Callable[[], float]:
    """CPU seconds (user + system) used so far by this connection's PostgreSQL backend, read from
    /proc when the server runs on this machine; NaN otherwise (SQLite, a remote server)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: math.nan
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cur.fetchone()[0]}/stat")

    def seconds() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, proc(5)

    return seconds


def raw_copy_baseline(repeats: int = 3) -> dict[str, float]:
    """PostgreSQL: the machine's speed at this moment, for the import's figure of the same run to be
    read against (this machine's PostgreSQL speed varies by a third within an hour, bench/README.md).

    Returns seconds, best of ``repeats``, to COPY the rows the first import wrote into fresh tables of
    the same columns, indexes and checks (``CREATE TABLE … (LIKE … INCLUDING ALL)``: no foreign keys,
    no validation), each COPY its own transaction:
    - ``"person text"``: the persons as Python tuples through psycopg's ``write_row`` in text format —
      a plain COPY from Python, the kind of "raw COPY of similar rows" issue 2 gives at ≈125,000
      rows/s on this machine;
    - one key per table (``core_person`` …): the same table's rows already formatted (binary, read
      back with ``COPY … TO STDOUT``): the server's own share of the import's writes.
    """
    from django.db import connection

    from zugong.core.models import Person
    from zugong.members.models import Affiliation, PartyMember

    raw = connection.connection  # psycopg, autocommit outside atomic()
    tables = [m._meta.db_table for m in (Person, PartyMember, Affiliation)]
    data = {}
    for table in tables:
        out = bytearray()
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
            for block in copy:
                out += block
        data[table] = bytes(out)
    persons = raw.execute(f'SELECT * FROM "{tables[0]}"').fetchall()

    def person_text(copy) -> None:
        for row in persons:
            copy.write_row(row)

    runs = [("person text", tables[0], person_text)] + [(t, t, lambda copy, t=t: copy.write(data[t])) for t in tables]
    best = {label: math.inf for label, _, _ in runs}
    for _ in range(repeats):
        for label, table, write in runs:
            raw.execute(f'CREATE TABLE bench_raw_copy (LIKE "{table}" INCLUDING ALL)')
            binary = "" if label == "person text" else " (FORMAT BINARY)"
            t0 = time.perf_counter()
            with raw.cursor() as cur, cur.copy(f"COPY bench_raw_copy FROM STDIN{binary}") as copy:
                write(copy)
            best[label] = min(best[label], time.perf_counter() - t0)
            raw.execute("DROP TABLE bench_raw_copy")
    return best


def naive_import(user, rows: list[list]) -> float:
    """One row at a time through the ORM: same validation, person_upsert, per-row member, affiliation, audit."""
    from django.db import transaction

    from zugong.core.audit import Actor, audit_record
    from zugong.core.scope import scope_for
    from zugong.core.services import PersonData, person_upsert
    from zugong.members.importer import Prepared, _MemberValidator
    from zugong.members.models import Affiliation, PartyMember
    from zugong.members.roster import MEMBER_COLUMNS, map_headers

    scope = scope_for(user)
    actor = Actor(user=user)
    t0 = time.perf_counter()
    prepared = Prepared()
    v = _MemberValidator(map_headers(HEADERS, MEMBER_COLUMNS).index, scope, TODAY, prepared)
    for i, cells in enumerate(rows, start=2):
        rec = v.row(i, cells)
        if rec is None:
            continue
        p = rec.person
        with transaction.atomic():
            person, _ = person_upsert(actor=actor, scope_path=scope.org_path, data=PersonData(
                name=p["name"], id_number=rec.id_number, ethnicity=p.get("ethnicity", "01"), education=p.get("education", ""),
                degree=p.get("degree", "0"), native_place=p.get("native_place", ""), work_start_date=p.get("work_start_date"),
                phone=p.get("phone", ""),
            ))  # fmt: skip
            member, created = PartyMember.objects.get_or_create(person=person, defaults=rec.member)
            if created:
                Affiliation.objects.create(member=member, org_id=rec.org_id, start=rec.member["joined_date"], reason="名册导入")
            audit_record(actor, "members.import_row", object_type="PartyMember", object_id=member.pk, scope_path=scope.org_path)
    return time.perf_counter() - t0


def run_one(db: str, n: int, naive_n: int, keep: bool) -> None:
    home = Path(tempfile.mkdtemp(prefix="zugong-bench-"))
    dbname = setup_django(db, home)
    try:
        from django.db import connection

        from zugong.members.models import PartyMember

        print(f"\n=== {db}: {connection.vendor} ===")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SHOW fsync")
                fsync = cur.fetchone()[0]
                cur.execute("SHOW server_version")
                version = cur.fetchone()[0]
            note = "  (durability off: commits do not wait for the disk; production runs fsync=on)" if fsync == "off" else ""
            print(f"PostgreSQL {version}, fsync={fsync}{note}")
        user, branches = build_tree()
        used: set[str] = set()
        t0 = time.perf_counter()
        rows = generate_rows(n, branches, seed=1, used=used)
        path = Path(tempfile.gettempdir()) / f"zugong-bench-members-{n}-seed1.xlsx"  # deterministic: reused across runs
        if not path.exists():
            write_xlsx(rows, path)
        print(f"generated {n:,} rows × {len(HEADERS)} columns, {len(branches)} branches, "
              f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s")  # fmt: skip

        def report(label: str, job, total: float) -> float:
            t = job.timings
            vw = t["validate"] + t["write"]
            print(f"{label}: new {job.created_count:,}, updated {job.updated_count:,}, unchanged {job.unchanged_count:,}, "
                  f"errors {job.error_rows:,}")  # fmt: skip
            print(f"  read      {t['read']:7.2f}s  {n / t['read']:>10,.0f} rows/s  (python-calamine)")
            print(f"  validate  {t['validate']:7.2f}s  {n / t['validate']:>10,.0f} rows/s  (all rules + person lookup by blind index)")
            print(f"            of which: lookup and compare with existing persons {t.get('validate.lookup', 0):.2f}s")
            print(f"  write     {t['write']:7.2f}s  {n / t['write']:>10,.0f} rows/s  (ids, COPY/executemany, affiliations, audit, commit)")
            parts = ", ".join(f"{k[6:]} {v:.2f}s" for k, v in t.items() if k.startswith("write."))
            if parts:
                print(f"            of which: {parts}")
            worker = ", ".join(f"{k[5:]} {v:.2f}s" for k, v in t.items() if k.startswith("copy."))
            if worker:  # PostgreSQL: the CopyWorker thread (server-bound) and the waits of the validating thread
                print(f"  worker thread: {worker}")
                print(f"            (calls = lookups of persons on file + id blocks; wait = validating thread on a full queue;"
                      f" the validating thread waited {t.get('validate.lookup', 0):.2f}s for lookups)")  # fmt: skip
            print(f"  validate+write {vw:7.2f}s  {n / vw:>10,.0f} rows/s")
            print(f"  end to end     {total:7.2f}s  {n / total:>10,.0f} rows/s  (read+validate+write)")
            if not math.isnan(t["cpu.server"]):  # two cores: the sum bounds the wall time from below
                print(f"  CPU            {t['cpu.python']:7.2f}s in this process (both threads, incl. read), "
                      f"{t['cpu.server']:.2f}s in the PostgreSQL backend")  # fmt: skip
            return n / vw

        job, total = fast_import(user, path)
        assert job.status == "done" and job.created_count == n, (job.status, job.message, job.errors[:5])
        assert PartyMember.objects.count() == n
        fast = report("first import (all new)", job, total)
        raw = raw_copy_baseline() if connection.vendor == "postgresql" else {}
        if raw:  # the machine's speed now: what the import's figure is to be read against
            text = raw.pop("person text")
            print(f"raw COPY of the persons just written, from Python in text format, into a table with core_person's "
                  f"indexes and checks: {n / text:,.0f} rows/s (issue 2: ≈125,000 rows/s on this machine); best of 3")  # fmt: skip
            parts = ", ".join(f"{table} {t:.2f}s" for table, t in raw.items())
            server = sum(raw.values())
            print(f"  the three tables' rows already formatted (binary): {parts} = {server:.2f}s, {n / server:,.0f} roster rows/s;"
                  f" the first import ran at {fast * server / n:.0%} of that")  # fmt: skip
        job, total = fast_import(user, path)
        assert job.unchanged_count == n, (job.created_count, job.updated_count, job.unchanged_count)
        report("re-import of the same file (all found, compared, unchanged)", job, total)
        # the usual case in a city: new rows into a database that already holds many persons
        other = generate_rows(n, branches, seed=3, used=used)
        path3 = Path(tempfile.gettempdir()) / f"zugong-bench-members-{n}-seed3.xlsx"
        if not path3.exists():
            write_xlsx(other, path3)
        job, total = fast_import(user, path3)
        assert job.status == "done" and job.created_count == n, (job.status, job.message, job.errors[:5])
        report(f"another {n:,} new rows into the database that now holds {n:,} persons", job, total)

        sample = generate_rows(naive_n, branches, seed=2, used=used)
        naive = naive_n / naive_import(user, sample)
        print(f"naive one-row-at-a-time ORM import of {naive_n:,} new rows: {naive:,.0f} rows/s")
        print(f"RESULT {db}: validate+write {fast:,.0f} rows/s = {fast / naive:.1f}× naive ({naive:,.0f} rows/s)")
        if connection.vendor == "postgresql":
            print(f"floor check: ≥30,000 rows/s {'OK' if fast >= 30000 else 'MISSED'}; ≥20× naive {'OK' if fast / naive >= 20 else 'MISSED'}")
    finally:
        if dbname and not keep:
            drop_pg(dbname)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=3_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    if args.db == "both":  # one process per database: Django binds its settings once
        for db in ("sqlite", "postgres"):
            cmd = [sys.executable, __file__, "--rows", str(args.rows), "--naive-rows", str(args.naive_rows), "--db", db]
            subprocess.run(cmd, check=True)
        return
    run_one(args.db, args.rows, args.naive_rows, args.keep)


if __name__ == "__main__":
    main()
