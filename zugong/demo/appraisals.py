"""The demo city's 年度考核 history: closed 领导班子 rounds of the last three finished years, graded
as the organization departments would have recorded them on the appraisal pages, so that the pages
that read appraisals (考核结果, 优先使用干部, the cadre's 考核情况 and its consequences) show something.

Rounds, for each year of :data:`YEARS` (优秀 ratio 20%, 向下取整 — the defaults of ``round_open``):
- 领导班子: one per county for the teams in its subtree (县管 and 市管 members alike) and one per
  city-level unit with a team; participants are whoever held a team post on 31 December of the year
  (``services.appraisal.round_candidates``' rule for 领导班子 rounds);
- 机关 / 基层单位 / 事业单位: one per unit (organs, towns and streets, schools and hospitals) for its
  other cadres who held a post or 职级 during the year (the rule of the other categories).
One whose first appointment began after 1 July of the year is not graded (任职不满半年,
``services.appraisal.half_year_cutoff``), as ``round_add_participants`` marks them.

Grades, drawn per round (plausible, not records): 不称职 for about 1 in 500, 基本称职 for about 1 in 70,
and 优秀 for the round's quota (``rules.excellent_quota``) — sometimes one fewer — chosen with three
times the weight for a cadre who was 优秀 the year before, so that some are 优秀 two years running
(《公务员考核规定》（2020）: 优秀 generally at most 20% of those appraised). Rounds close on a working day
of the following January.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Min

from zugong.cadres import rules
from zugong.cadres.models import (
    Appointment,
    AppraisalEntry,
    AppraisalRound,
    NotGraded,
    RoundStatus,
    UnitCategory,
)
from zugong.cadres.services.appraisal import half_year_cutoff
from zugong.orgs.models import Unit, UnitKind

#: Years with a closed round: the three before the demo's today (REF_DATE, 2026-11-22).
YEARS = (2023, 2024, 2025)
_INCOMPETENT_SHARE = 0.002
_BASIC_SHARE = 0.015
_REPEAT_WEIGHT = 3.0  # weight of last year's 优秀 when drawing this year's


def _round_unit_paths() -> dict[str, int]:
    """{unit path: unit id} of the units that hold rounds: each county, and each unit directly under
    the city that has a leadership team (市直机关, 市属 schools, hospitals, SOEs)."""
    counties = dict(Unit.objects.filter(kind=UnitKind.COUNTY).values_list("path", "pk"))
    city_level = dict(
        Unit.objects.filter(parent__kind=UnitKind.CITY, teams__isnull=False)
        .exclude(kind=UnitKind.COUNTY).values_list("path", "pk").distinct()
    )  # fmt: skip
    return {**counties, **city_level}


#: The category of a unit's own round (机关/基层单位/事业单位) by the kind of the unit; others have none
#: (国有企业 leaders are appraised under other rules than 《公务员考核规定》).
_OWN_ROUND = {
    UnitKind.COUNTY: UnitCategory.ORGAN, UnitKind.ORGAN: UnitCategory.ORGAN, UnitKind.TOWNSHIP: UnitCategory.GRASSROOTS,
    UnitKind.SUBDISTRICT: UnitCategory.GRASSROOTS, UnitKind.SCHOOL: UnitCategory.INSTITUTION,
    UnitKind.HOSPITAL: UnitCategory.INSTITUTION,
}  # fmt: skip


def _participants(year: int, holders: dict[str, int]) -> dict[tuple[int, str], list[int]]:
    """{(round unit id, category): cadre ids} of :data:`YEARS`' ``year``: the 领导班子 rounds' team
    members on 31 December first (round unit from ``holders``, :func:`_round_unit_paths`), then every
    other cadre who held a post or 职级 during the year in the own round of their unit (by
    :data:`_OWN_ROUND`); each cadre once (one annual grade a year)."""
    from zugong.cadres.models import Cadre
    from zugong.cadres.selectors import holds_post_or_rank_on, running_on

    widths = sorted({len(p) for p in holders}, reverse=True)
    on = dt.date(year, 12, 31)
    held = (Appointment.objects.filter(running_on(on), post__team__isnull=False)
            .values_list("cadre_id", "post__team__unit__path").order_by("cadre_id", "post__team__unit__path"))  # fmt: skip
    out: dict[tuple[int, str], list[int]] = defaultdict(list)
    seen: set[int] = set()
    for cadre_id, path in held:
        holder = next((path[:w] for w in widths if path[:w] in holders), None)
        if holder is not None and cadre_id not in seen:  # the first team post by unit path
            seen.add(cadre_id)
            out[(holders[holder], UnitCategory.TEAM)].append(cadre_id)
    others = (Cadre.objects.filter(holds_post_or_rank_on(on, since=dt.date(year, 1, 1)), unit__kind__in=list(_OWN_ROUND))
              .values_list("pk", "unit_id", "unit__kind").order_by("pk"))  # fmt: skip
    for cadre_id, unit_id, kind in others:
        if cadre_id not in seen:
            out[(unit_id, _OWN_ROUND[kind])].append(cadre_id)
    return out


def build_appraisals(rng: random.Random) -> tuple[int, int]:
    """Write the closed rounds of :data:`YEARS` and their graded entries (two bulk inserts per
    year). Returns (rounds, entries). Deterministic for the state of ``rng`` and the data on file."""
    firsts = dict(Appointment.objects.values("cadre").annotate(first=Min("start")).values_list("cadre", "first"))
    holders = _round_unit_paths()
    last_excellent: set[int] = set()
    n_rounds = n_entries = 0
    for year in YEARS:
        by_round = _participants(year, holders)
        cutoff = half_year_cutoff(year)
        rounds = {}
        for unit_id, category in sorted(by_round):
            closed = dt.date(year + 1, 1, 10 + rng.randrange(0, 20))
            while closed.weekday() >= 5:  # Saturday, Sunday
                closed += dt.timedelta(days=1)
            rounds[(unit_id, category)] = AppraisalRound(unit_id=unit_id, year=year, category=category,
                                                         status=RoundStatus.CLOSED, closed_on=closed)  # fmt: skip
        AppraisalRound.objects.bulk_create(rounds.values(), batch_size=2000)
        entries = []
        excellent_now: set[int] = set()
        for key, rnd in rounds.items():
            graded = [c for c in by_round[key] if not (firsts.get(c) and firsts[c] > cutoff)]
            grades = _draw_grades(rng, graded, last_excellent)
            excellent_now.update(c for c, g in grades.items() if g == rules.EXCELLENT)
            for cadre_id in by_round[key]:
                grade = grades.get(cadre_id, "")
                entries.append(AppraisalEntry(round=rnd, cadre_id=cadre_id, year=year, grade=grade,
                                              not_graded="" if grade else NotGraded.SHORT_SERVICE))  # fmt: skip
        AppraisalEntry.objects.bulk_create(entries, batch_size=5000)
        last_excellent = excellent_now
        n_rounds += len(rounds)
        n_entries += len(entries)
    return n_rounds, n_entries


def _draw_grades(rng: random.Random, graded: list[int], last_excellent: set[int]) -> dict[int, str]:
    """{cadre id: grade} for the graded participants of one round: 优秀 the quota (20%, floor) or,
    one round in four, one fewer; a few 基本称职 and 不称职; the rest 称职."""
    grades = {}
    rest = []
    for cadre_id in graded:
        x = rng.random()
        if x < _INCOMPETENT_SHARE:
            grades[cadre_id] = rules.INCOMPETENT
        elif x < _INCOMPETENT_SHARE + _BASIC_SHARE:
            grades[cadre_id] = rules.BASIC
        else:
            rest.append(cadre_id)
    quota = rules.excellent_quota(len(graded), rules.DEFAULT_EXCELLENT_RATIO, rules.FLOOR)
    if quota and rng.random() < 0.25:
        quota -= 1
    # weighted draw without replacement: the largest random() ** (1 / weight) (Efraimidis–Spirakis)
    keyed = sorted(rest, key=lambda c: rng.random() ** (1 / (_REPEAT_WEIGHT if c in last_excellent else 1.0)), reverse=True)
    for i, cadre_id in enumerate(keyed):
        grades[cadre_id] = rules.EXCELLENT if i < quota else rules.COMPETENT
    return grades
