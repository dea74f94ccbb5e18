"""Bundles of statistics for the pages and the API, the cache in front of them, and the .xlsx exports.

The dashboard bundle of a target is cached under (target subtree, sub-node, date, data version);
the data version is the tuple of the highest primary keys of the audit log and of the dated fact
tables (cheap indexed MAX queries), so any write — every write is audited — starts a new version
and stale numbers are never served. On PostgreSQL ids are drawn before commit, so a transaction
can commit an id below one already visible; the write transactions still running are therefore
part of the version too (``_running_writes``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Q

from zugong.cadres.models import Appointment
from zugong.core import xlsx
from zugong.core.models import AuditEvent
from zugong.members.models import Affiliation, PartyMember
from zugong.orgs.models import PartyOrganization
from zugong.stats import selectors as s
from zugong.stats import warm

CACHE_SECONDS = 600
#: Part of every cache key: raise it when a computation changes (a cached overview of the old code is
#: then not served after a deploy). 2: team average age counts each member once per team; 3: 今年发展党员
#: counted by the admitting branch; 4: team histogram labels 40至不满45岁; 5: the working committees
#: of a city or county unit (机关工委, 两新工委) are not 基层党委; 6: the tables' "<year>年发展党员".
FORMULAS = 6
COMPUTE_SECONDS = 10  # a cold computation waited for by others at most this long
TEAM_HISTOGRAM = ((None, 40), (40, 45), (45, 48), (48, 50), (50, 52), (52, 55), (55, None))


#: Audited actions that leave the statistics as they are: reads — every export ("….export",
#: "…_export", by suffix) and the view of a full 身份证号 — and the bookkeeping of a roster import
#: (its upload, start, cancel, failure, interruption or purge write the import job only; the import itself
#: counts) and of a background export (its start, failure and downloads write the export job only).
READ_ACTIONS = ("person.reveal_id_number",)
UNCOUNTED_SUFFIXES = (
    "export", ".import_uploaded", ".import_started", ".import_cancelled", ".import_failed", ".import_interrupted",
    ".import_purge", "_import_purge", "_import_cancel",
    ".export_started", ".export_failed", ".export_download",
)


def counts_as_write(action: str) -> bool:
    """Whether an audited ``action`` may change a statistic (not a read, not an import's bookkeeping)."""
    return action not in READ_ACTIONS and not action.endswith(UNCOUNTED_SUFFIXES)


def data_version() -> str:
    """A string that changes whenever statistics could change: the id of the last audit event of a
    write (not of a read or an import's bookkeeping: ``READ_ACTIONS``, ``UNCOUNTED_SUFFIXES``) and
    the max ids of the fact tables, and on PostgreSQL the write transactions in progress. Each is
    one indexed query (the audit log is read backwards along its primary key to the first counted
    write)."""
    # first: a transaction that ends between the two reads then leaves a version never seen again
    running = _running_writes()
    uncounted = Q(action__in=READ_ACTIONS)
    for suffix in UNCOUNTED_SUFFIXES:
        uncounted |= Q(action__endswith=suffix)
    last_write = AuditEvent.objects.exclude(uncounted).order_by("-id").values_list("id", flat=True).first()
    parts = [last_write or 0] + [
        m.objects.aggregate(v=Max("id"))["v"] or 0 for m in (Affiliation, PartyMember, Appointment, PartyOrganization)
    ]
    return ".".join(str(p) for p in parts) + running


def _running_writes() -> str:
    """PostgreSQL: ``":<12 hex>"`` naming the write transactions in progress, ``""`` when there are
    none; always ``""`` on SQLite, whose one writer at a time draws and commits ids in order.

    Why: a long transaction (a roster import that only updates persons) draws its audit id, then
    a short one draws a higher id and commits first. Figures computed in between are stored under
    the short one's id, and when the long one commits no max id moves: without this part they
    would be served until the cache forgets them (CACHE_SECONDS). A transaction that has written
    holds the lock of its own transaction id until it ends, and ``pg_locks`` lists those for every
    role; those of sessions on other databases of the server are left out (``pg_stat_activity``),
    and so are the server's own background processes: an ANALYZE draws a transaction id to write
    ``pg_statistic`` (seen: ``pg_current_xact_id_if_assigned()`` after ``ANALYZE`` in a transaction),
    so an autovacuum worker's would move the version for the milliseconds it holds it while changing
    no row a figure reads (a figure computed then is stored under a version never asked for again).
    Not the snapshot: its list of running ids leaves out the newest ones, and its bounds move with
    every commit, reads' audit events included. Read-only transactions have no id.
    """
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT string_agg(l.transactionid::text, ',' ORDER BY l.transactionid::text) "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted "
            "AND a.datname = current_database() AND a.backend_type = 'client backend'"
        )
        running = cur.fetchone()[0]
    return ":" + hashlib.sha256(running.encode()).hexdigest()[:12] if running else ""


def _key(name: str, target: s.Target) -> str:
    return f"zugong.stats:f{FORMULAS}:{name}:{target.key}:{data_version()}"


def is_cached(name: str, target: s.Target) -> bool:
    """Whether ``name`` ('overview') of ``target`` is cached under the current data version."""
    return cache.has_key(_key(name, target))


def _cached(name: str, target: s.Target, compute):
    """The cached value of ``name`` for ``target`` under the current data version, computed once:
    while one thread or worker computes it (a marker in the shared cache), the others wait for its
    result (polling every 50 ms, at most COMPUTE_SECONDS) instead of computing it again — a
    dashboard viewed while the server warms it after a write waits for the warm-up."""
    key = _key(name, target)
    value = cache.get(key)
    if value is not None:
        return value
    marker = key + ":computing"
    owner = cache.add(marker, os.getpid(), COMPUTE_SECONDS)
    if not owner:
        deadline = time.monotonic() + COMPUTE_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = cache.get(key)
            if value is not None:
                return value
            if not cache.has_key(marker):  # the other gave up (an error): compute it here
                break
    try:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    finally:
        if owner:
            cache.delete(marker)
    return value


def overview(target: s.Target, *, use_cache: bool = True, viewed: bool = True) -> dict:
    """Everything the dashboard shows for ``target``.

    Keys: counts (member_counts), members (member_sections), orgs (org_sections), cadre_counts,
    cadres (cadre_section), teams (team_ages, oldest first), team_total, figures (list[Figure]),
    children (figures_by_child), kpis (list of (label, value, note)).

    ``use_cache``: the shared cache under the data version (``_cached``); ``viewed``: noted for
    warming after writes (``zugong.stats.warm``; False for the warm-up itself).
    """
    if use_cache:
        if viewed:  # shown to someone: warmed again after writes (zugong.stats.warm; a server only)
            warm.note_viewed(target)
        return _cached("overview", target, lambda: overview(target, use_cache=False))
    counts, member_children = s.member_counts_by_child(target)
    cadre_counts = s.cadre_counts(target)
    team_total = s.team_age_total(target)
    orgs = s.org_sections(target)
    teams = s.team_ages(target, order="-avg")
    total = counts["total"]
    kpis = [
        ("党员总数", counts["total"], "名"),
        ("预备党员", counts["probationary"], "名"),
        ("女党员占比", s.percent(counts["women"], total), "%"),
        ("少数民族党员占比", s.percent(counts["minority"], total), "%"),
        ("大专及以上学历占比", s.percent(counts["college"], total), "%"),
        (f"{target.on.year}年发展党员", counts["new_this_year"], "名"),
        ("基层党组织", orgs["by_kind"].base, "个"),
        ("市管干部", cadre_counts["city"]["total"], "名"),
        ("县管干部", cadre_counts["county"]["total"], "名"),
    ]
    return {
        "counts": counts,
        "members": s.member_sections(counts, target.on.year),
        "orgs": orgs,
        "cadre_counts": cadre_counts,
        "cadres": s.cadre_section(cadre_counts),
        "teams": teams,
        "team_total": team_total,
        "team_histogram": team_histogram(teams),
        "figures": s.figures_from(counts, cadre_counts, team_total),
        "children": s.figures_by_child(target, member_children),
        "kpis": kpis,
    }


def team_histogram(teams: list[dict]) -> list[tuple[str, int]]:
    """Number of teams per average-age bin (bins of TEAM_HISTOGRAM, lower bound included, upper bound
    not: 不满40岁, 40至不满45岁 … 55岁及以上), from ``team_ages`` rows."""
    out = []
    for lo, hi in TEAM_HISTOGRAM:
        label = f"不满{hi}岁" if lo is None else (f"{lo}岁及以上" if hi is None else f"{lo}至不满{hi}岁")
        n = sum(1 for t in teams if t["avg"] is not None and (lo is None or t["avg"] >= lo) and (hi is None or t["avg"] < hi))
        out.append((label, n))
    return out


def as_of_text(on: dt.date) -> str:
    """'截至2023年6月30日'."""
    return f"截至{on.year}年{on.month}月{on.day}日"


def _num(v):
    return float(v) if isinstance(v, Decimal) else v


def _rows(section: s.Section, *, prefix: str = "") -> list[list]:
    return [[("　" * r.indent) + prefix + r.label, r.count, _num(r.share)] for r in section.rows]


COLUMNS = ("项目", "人数", "占比(%)")
ORG_COLUMNS = ("项目", "个数", "占比(%)")
#: Counts grouped (250,018) and shares with one decimal (28.0), as the pages print them.
FORMATS = (None, xlsx.COUNT, xlsx.SHARE)


def tables_xlsx(target: s.Target, data: dict) -> bytes:
    """The structure tables laid out like the bulletin's: sheets 党员基本情况 (性别/民族/学历/年龄),
    党员职业, 入党时间 (columns 项目 / 人数 / 占比(%)), 基层党组织 (项目 / 个数 / 占比(%)) and 干部年龄结构
    (per management level: 人数, then each age band's 人数 and 占比(%)); a title row naming the scope and date."""
    m, o = data["members"], data["orgs"]
    when = as_of_text(target.on)
    wb = xlsx.new_workbook()
    basic = _rows(m["basic"])
    basic += [["学历", None, None]] + _rows(m["education"], prefix="　")
    basic += [["年龄", None, None]] + _rows(m["age"], prefix="　")
    xlsx.add_sheet(wb, "党员基本情况", COLUMNS, basic, heading=f"{target.name}党员基本情况（{when}）", widths=(44, 12, 12), number_formats=FORMATS)
    xlsx.add_sheet(wb, "党员职业", COLUMNS, [["党员总数", m["basic"].base, 100.0 if m["basic"].base else None], *_rows(m["occupation"])],
                   heading=f"{target.name}党员职业分布（{when}）", widths=(44, 12, 12), number_formats=FORMATS)
    xlsx.add_sheet(wb, "入党时间", COLUMNS, [["党员总数", m["basic"].base, 100.0 if m["basic"].base else None], *_rows(m["joining"])],
                   heading=f"{target.name}党员入党时间（{when}）", widths=(44, 12, 12), number_formats=FORMATS)
    orgs = _rows(o["by_kind"]) + [["按单位类别", None, None]] + _rows(o["by_unit"], prefix="　")
    xlsx.add_sheet(wb, "基层党组织", ORG_COLUMNS, orgs, heading=f"{target.name}基层党组织情况（{when}）", widths=(44, 12, 12), number_formats=FORMATS)
    cadres = data["cadres"]
    bands = [b.label for b in cadres[0]["bands"]] if cadres else []
    columns = ("管理权限", "人数", *(f"{b}{what}" for b in bands for what in ("人数", "占比(%)")))
    rows = [[c["label"], c["total"], *(v for b in c["bands"] for v in (b.count, _num(b.share)))] for c in cadres]
    xlsx.add_sheet(wb, "干部年龄结构", columns, rows, heading=f"{target.name}干部年龄结构（{when}）",
                   widths=(14, 10, *(12 for _ in range(2 * len(bands)))),
                   number_formats=(None, xlsx.COUNT, *(f for _ in bands for f in (xlsx.COUNT, xlsx.SHARE))))  # fmt: skip
    return xlsx.workbook_bytes(wb)


def figures_xlsx(target: s.Target, data: dict) -> bytes:
    """The speech figures: sheet 讲话数据 (one row per figure with 分子/分母/数值/口径), sheet 分地区
    (one row per child unit, e.g. each county), sheet 领导班子平均年龄 (each team)."""
    when = as_of_text(target.on)
    wb = xlsx.new_workbook()
    rows = [[f.label, f.numerator, f.denominator, _num(f.value), f.unit, f.definition] for f in data["figures"]]
    xlsx.add_sheet(wb, "讲话数据", ("项目", "分子", "分母", "数值", "单位", "统计口径"), rows,
                   heading=f"{target.name}讲话数据（{when}）", widths=(30, 10, 10, 10, 6, 90),
                   number_formats=(None, xlsx.COUNT, xlsx.COUNT, xlsx.SHARE))
    columns = ["单位"]
    for _key, label, unit in s.FIGURE_LABELS:
        columns += [f"{label}（分子）", f"{label}（分母）", f"{label}（{unit}）"]
    child_rows = []
    for child in data["children"]:
        row = [child["unit"].name]
        for f in child["figures"]:
            row += [f.numerator, f.denominator, _num(f.value)]
        child_rows.append(row)
    xlsx.add_sheet(wb, "分地区", columns, child_rows, heading=f"{target.name}各地区讲话数据（{when}）",
                   number_formats=(None, *((xlsx.COUNT, xlsx.COUNT, xlsx.SHARE) * len(s.FIGURE_LABELS))))
    team_rows = [
        [t["name"], {"city": "市管", "county": "县管"}.get(t["management_level"], ""), t["size"], t["age_sum"], _num(t["avg"])]
        for t in data["teams"]
    ]
    xlsx.add_sheet(wb, "领导班子平均年龄", ("领导班子", "管理权限", "人数", "年龄合计", "平均年龄"), team_rows,
                   heading=f"{target.name}领导班子平均年龄（{when}）", widths=(40, 10, 8, 10, 10),
                   number_formats=(None, None, xlsx.COUNT, xlsx.COUNT, xlsx.SHARE))
    return xlsx.workbook_bytes(wb)
