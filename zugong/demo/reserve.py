"""The demo city's 后备干部库: pool members entered over the last years, as the organization
departments would have entered them on the pool page, so that the pool page, its structure and the
gap candidates of 缺配年轻干部 show something.

Who: cadres holding a post today (REF_DATE) at 乡科级副职, entered for 乡科级正职, and at 乡科级正职,
entered for 县处级副职 — the usual one-step-up pool — when at most three years older than the young
threshold of the target level (``rules.DEFAULT_YOUNG_THRESHOLDS``: a pool is where young cadres are
looked for) and without 基本称职 or 不称职 in a recorded 年度考核. About a third of those, twice as
likely after an 优秀. 行业 by the kind and name of the unit; 入库方式 mostly 民主推荐; entered between
March 2023 and the demo's today, reviewed each year in the month before the review fell due (a few are
due now); one in ten since listed as 考察对象. Each entry has its status history (``ReserveStatusChange``:
entry, each 复核, the listing) as ``services.reserve`` writes it. Plausible, not records.
"""

from __future__ import annotations

import datetime as dt
import random

from zugong.cadres import rules
from zugong.cadres.models import (
    AppraisalEntry,
    Cadre,
    EntryRoute,
    ReserveEntry,
    ReserveStatus,
    ReserveStatusChange,
    Sector,
)
from zugong.cadres.selectors import holds_post_or_rank_on
from zugong.core.rules import age_on
from zugong.demo.people import REF_DATE, add_years, random_date
from zugong.orgs.models import UnitKind

#: Current 职务级别 → the 类别 (拟任职务级别) of the pool entry, and the share of the eligible entered.
STEP_UP = {"42": ("41", 0.30), "41": ("32", 0.35)}
_OLDER_THAN_YOUNG = 3  # years above the young threshold of the target level still entered
_FIRST_ENTRY = dt.date(2023, 3, 1)
_ROUTES = ((EntryRoute.RECOMMENDATION, 0.6), (EntryRoute.INSPECTION, 0.25), (EntryRoute.ORGANIZATION, 0.15))
_SECTOR_WORDS = (
    (Sector.LAW, ("法", "公安", "检察", "纪委", "信访")),
    (Sector.ECONOMY, ("发展", "财政", "商务", "统计", "税", "审计", "市场", "金融", "住房", "交通", "自然资源")),
    (Sector.SOCIAL, ("教育", "卫生", "民政", "文化", "人力资源", "退役军人", "医疗", "应急")),
    (Sector.RURAL, ("农业", "水利", "林业", "乡村")),
    (Sector.SCIENCE, ("科技", "科学")),
)


def sector_of(kind: str, name: str) -> str:
    """The 行业 a unit's cadre is pooled for: 国有企业 for SOEs, 科技教育 for schools, 社会事业 for hospitals,
    农业农村 for 乡镇 (党政综合 for 街道), else by words of the organ's name (公安 → 政法 …), 党政综合 otherwise."""
    if kind == UnitKind.SOE:
        return Sector.ENTERPRISE
    if kind == UnitKind.SCHOOL:
        return Sector.SCIENCE
    if kind == UnitKind.HOSPITAL:
        return Sector.SOCIAL
    if kind == UnitKind.TOWNSHIP:
        return Sector.RURAL
    return next((sector for sector, words in _SECTOR_WORDS if any(w in name for w in words)), Sector.PARTY)


def build_reserve(rng: random.Random) -> int:
    """Write the pool entries and their status history (bulk inserts). Returns the number of entries.
    Deterministic for the state of ``rng`` and the data on file."""
    flagged = set(AppraisalEntry.objects.filter(grade__in=[rules.BASIC, rules.INCOMPETENT]).values_list("cadre_id", flat=True))
    excellent = set(AppraisalEntry.objects.filter(grade=rules.EXCELLENT).values_list("cadre_id", flat=True))
    serving = (Cadre.objects.filter(holds_post_or_rank_on(REF_DATE), post_level__in=list(STEP_UP))
               .values_list("pk", "post_level", "person__birth_date", "unit__kind", "unit__name").order_by("pk"))  # fmt: skip
    entries, changes = [], []  # changes: (index of the entry, from, to, on, reason)
    for cadre_id, level, birth, kind, unit_name in serving:
        category, share = STEP_UP[level]
        if cadre_id in flagged or age_on(birth, REF_DATE) > rules.DEFAULT_YOUNG_THRESHOLDS[category] + _OLDER_THAN_YOUNG:
            continue
        if rng.random() >= share * (2 if cadre_id in excellent else 1):
            continue
        i = len(entries)
        entered = random_date(rng, _FIRST_ENTRY, REF_DATE - dt.timedelta(days=30))
        route = rng.choices([r for r, _ in _ROUTES], weights=[w for _, w in _ROUTES])[0]
        changes.append((i, "", ReserveStatus.IN_POOL, entered, f"列入后备干部库（{EntryRoute(route).label}）"))
        status, status_on, due = ReserveStatus.IN_POOL, entered, add_years(entered, 1)
        while due < REF_DATE - dt.timedelta(days=45):  # the yearly review, in the month before it is due; a few are due now
            status_on = due - dt.timedelta(days=rng.randrange(0, 30))
            changes.append((i, ReserveStatus.IN_POOL, ReserveStatus.IN_POOL, status_on, "复核"))
            due = add_years(status_on, 1)
        if rng.random() < 0.1 and status_on + dt.timedelta(days=30) < REF_DATE - dt.timedelta(days=7):
            status, status_on = ReserveStatus.UNDER_INSPECTION, random_date(rng, status_on + dt.timedelta(days=30), REF_DATE - dt.timedelta(days=7))
            changes.append((i, ReserveStatus.IN_POOL, status, status_on, "列为考察对象"))
        entries.append(ReserveEntry(cadre_id=cadre_id, category=category, sector=sector_of(kind, unit_name), route=route,
                                    status=status, entered_on=entered, status_on=status_on, review_due=due))  # fmt: skip
    ReserveEntry.objects.bulk_create(entries, batch_size=2000)
    ReserveStatusChange.objects.bulk_create(
        [ReserveStatusChange(entry=entries[i], from_status=old, to_status=new, on=on, reason=reason) for i, old, new, on, reason in changes],
        batch_size=2000,
    )
    return len(entries)
