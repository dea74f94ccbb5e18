"""Reads of the reserve pool, up-and-down cases, and the matching of pool members to team gaps.

Scoped like every selector: a pool entry or case is visible when its cadre's unit lies in the
user's unit subtree; getters raise Http404 otherwise. Structure figures are one aggregate query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Avg, BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from zugong.cadres.models import (
    AdjustmentCase,
    Appointment,
    Evidence,
    EvidenceKind,
    LeadershipTeam,
    PoolTarget,
    Post,
    ReserveEntry,
    ReserveStatus,
    Sector,
)
from zugong.cadres.selectors import running_on, young_q
from zugong.core import codes
from zugong.core.dbfunctions import age_expr
from zugong.core.scope import Scope

ACTIVE = (ReserveStatus.IN_POOL, ReserveStatus.UNDER_INSPECTION)
#: A non-tolerated accountability decision keeps a pool member from being proposed for this long
#: (local practice for the 影响期; configurable constant).
ACCOUNTABILITY_BAR_DAYS = 365


@dataclass(frozen=True)
class PoolFilters:
    """Filters of the pool page: ``category`` (职务级别), ``sector`` (行业), ``status``, ``field`` (contains)."""

    category: str = ""
    sector: str = ""
    status: str = ""
    field: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> PoolFilters:
        get = lambda k: (params.get(k) or "").strip()  # noqa: E731
        return cls(
            category=get("category") if get("category") in dict(codes.POST_LEVEL) else "",
            sector=get("sector") if get("sector") in Sector.values else "",
            status=get("status") if get("status") in ReserveStatus.values else "",
            field=get("field")[:40],
        )


def pool(scope: Scope, f: PoolFilters | None = None) -> QuerySet[ReserveEntry]:
    """Pool entries in scope matching ``f`` (default: all statuses), 姓氏笔画 order."""
    f = f or PoolFilters()
    qs = ReserveEntry.objects.filter(cadre__unit__path__startswith=scope.unit_path).select_related("cadre__person", "cadre__unit")
    for key in ("category", "sector", "status"):
        if getattr(f, key):
            qs = qs.filter(**{key: getattr(f, key)})
    if f.field:
        qs = qs.filter(field__contains=f.field)
    return qs.order_by("cadre__person__stroke_key", "cadre__person__name", "id")


def pool_structure(qs: QuerySet[ReserveEntry], on: dt.date) -> dict:
    """Structure of (active) pool entries in ``qs`` on ``on``: count, average age, women, 研究生,
    大学本科, young (by the threshold of the entry's category), and per-category / per-sector counts."""
    active = qs.filter(status__in=ACTIVE)
    birth = "cadre__person__birth_date"
    agg = active.aggregate(
        size=Count("pk"), avg_age=Avg(age_expr(birth, on)), women=Count("pk", filter=Q(cadre__person__gender="2")),
        graduate=Count("pk", filter=Q(cadre__person__education="10")), bachelor=Count("pk", filter=Q(cadre__person__education="20")),
        young=Count("pk", filter=young_q(on, birth, "category")),
    )  # fmt: skip
    labels = dict(codes.POST_LEVEL)
    agg["by_category"] = [(labels.get(r["category"], r["category"]), r["n"]) for r in active.order_by("category").values("category").annotate(n=Count("pk"))]
    sectors = dict(Sector.choices)
    agg["by_sector"] = [(sectors[r["sector"]], r["n"]) for r in active.order_by("sector").values("sector").annotate(n=Count("pk"))]
    return agg


#: 大学本科及以上: the 研究生 and 大学本科 codes of ``codes.EDUCATION``.
BACHELOR_OR_ABOVE = ("10", "20")


def active_on_q(on: dt.date) -> Q:
    """Q on ReserveEntry: the entry was in the pool (在库 or 已列为考察对象) on ``on`` (inclusive; a
    change dated ``on`` is in effect that day).

    Read from the status history (``ReserveStatusChange``): entered by ``on`` and the last change
    dated on or before ``on`` (latest date, then latest id) goes to an active status. Before its first
    recorded change an entry is in the pool (every entry enters as 在库 — also true of the rows
    seeded by migration 0007, which record only the status at migration time). An entry without any
    history (created outside the services, e.g. by a fixture) falls back to the old inference from
    the current status and its date. One correlated subquery per entry; no Python loop.
    """
    from django.db.models import Subquery
    from django.db.models.lookups import In, IsNull

    from zugong.cadres.models import ReserveStatusChange

    changes = ReserveStatusChange.objects.filter(entry=OuterRef("pk"))
    latest = Subquery(changes.filter(on__lte=on).order_by("-on", "-id").values("to_status")[:1])
    legacy = ~Exists(changes) & (Q(status__in=ACTIVE) | Q(status_on__gt=on))
    return Q(entered_on__lte=on) & (Q(In(latest, list(ACTIVE))) | (Q(IsNull(latest, True)) & (Q(Exists(changes)) | legacy)))


def pool_on(scope: Scope, on: dt.date) -> QuerySet[ReserveEntry]:
    """Pool entries in scope that were in the pool on ``on`` (``active_on_q``), 姓氏笔画 order."""
    return pool(scope).filter(active_on_q(on))


def status_history(entry: ReserveEntry) -> QuerySet:
    """The entry's status changes, oldest first (date, then id), with the acting user."""
    return entry.status_changes.select_related("by").order_by("on", "id")


@dataclass(frozen=True)
class TargetLine:
    """One line of the pool structure against a target.

    ``kind`` "share": ``target`` is a minimum percentage, ``num``/``den`` the members meeting the
    criterion / pool size, ``actual_pct`` = num/den×100 (None for an empty pool), ``gap_points`` =
    actual − target percentage points, ``short`` = members missing to reach the target
    (ceil(target×den/100) − num, ≥ 0). Met ⇔ num×100 ≥ target×den (exact integer comparison), and a
    target above 0 is not met by an empty pool.
    ``kind`` "count": ``target`` is a minimum number of members of a 行业; ``num`` the actual number,
    ``den`` the pool size, ``short`` = target − num (≥ 0); met ⇔ num ≥ target.
    """

    kind: str
    label: str
    target: int
    num: int
    den: int
    actual_pct: float | None
    gap_points: float | None
    short: int
    met: bool

    @property
    def target_text(self) -> str:
        return f"≥{self.target}%" if self.kind == "share" else f"≥{self.target}人"

    @property
    def actual_text(self) -> str:
        if self.kind == "count":
            return f"{self.num}人"
        return f"{self.num}/{self.den}（{self.actual_pct:.1f}%）" if self.den else "0/0（—）"

    @property
    def gap_text(self) -> str:
        if self.met:
            return "达标" if self.kind == "count" or self.gap_points is None else f"{self.gap_points:+.1f}个百分点"
        if self.kind == "count" or self.gap_points is None:
            return f"差{self.short}人"
        return f"{self.gap_points:+.1f}个百分点（差{self.short}人）"


def _share(label: str, target: int, num: int, den: int) -> TargetLine:
    needed = (target * den + 99) // 100
    met = target == 0 or (den > 0 and num * 100 >= target * den)
    pct = num * 100 / den if den else None
    short = max(0, needed - num) if den else (1 if target else 0)
    return TargetLine("share", label, target, num, den, pct, None if pct is None else pct - target, 0 if met else short, met)


def pool_targets(scope: Scope, on: dt.date, *, unit_id: int | None = None) -> list[dict]:
    """The department's pool structure targets for ``unit_id`` (default: the scope's root unit)
    side by side with the pool's actual structure on ``on`` (entries active on ``on`` per
    ``active_on_q`` whose cadre's unit lies below the target unit).

    Returns one dict per target (类别 order, "" = whole pool first): ``target`` (PoolTarget),
    ``label`` (类别 or 全部类别), ``size``, ``lines`` (list of TargetLine: 女干部, 年龄, 大学本科及以上,
    then one per 行业 target). Http404 when ``unit_id`` is outside the scope. One GROUP BY 类别 query
    with conditional aggregates for every criterion; the whole-pool line sums the group rows.
    """
    from zugong.stats.selectors import age_q

    unit_id = scope.unit_id if unit_id is None else unit_id
    targets = list(PoolTarget.objects.filter(unit_id=unit_id).select_related("unit").order_by("category"))
    if not targets:
        return []
    root = targets[0].unit.path
    if not root.startswith(scope.unit_path):
        raise Http404("不在管理范围内")
    birth = "cadre__person__birth_date"
    ages = sorted({t.young_age for t in targets if t.young_age is not None})
    sectors = [k for k in Sector.values if any(k in t.sector_counts for t in targets)]
    aggs = {"size": Count("pk"), "women": Count("pk", filter=Q(cadre__person__gender="2")),
            "bachelor": Count("pk", filter=Q(cadre__person__education__in=BACHELOR_OR_ABOVE))}  # fmt: skip
    aggs |= {f"age_{a}": Count("pk", filter=age_q(birth, on, hi=a)) for a in ages}
    aggs |= {f"sector_{k}": Count("pk", filter=Q(sector=k)) for k in sectors}
    rows = list(ReserveEntry.objects.filter(cadre__unit__path__startswith=root).filter(active_on_q(on))
                .order_by().values("category").annotate(**aggs))  # fmt: skip
    by_category = {r["category"]: r for r in rows}
    total = {k: sum(r[k] for r in rows) for k in aggs}
    zero = dict.fromkeys(aggs, 0)
    sector_labels, out = dict(Sector.choices), []
    for t in targets:
        a = total if not t.category else by_category.get(t.category, zero)
        lines = []
        if t.women_pct is not None:
            lines.append(_share("女干部比例", t.women_pct, a["women"], a["size"]))
        if t.young_pct is not None:
            lines.append(_share(f"{t.young_age}周岁及以下比例", t.young_pct, a[f"age_{t.young_age}"], a["size"]))
        if t.bachelor_pct is not None:
            lines.append(_share("大学本科及以上学历比例", t.bachelor_pct, a["bachelor"], a["size"]))
        for k in sectors:
            if k in t.sector_counts:
                want, num = t.sector_counts[k], a[f"sector_{k}"]
                lines.append(TargetLine("count", f"{sector_labels[k]}人数", want, num, a["size"], None, None, max(0, want - num), num >= want))
        out.append({"target": t, "label": codes.label("post_level", t.category) if t.category else "全部类别", "size": a["size"], "lines": lines})
    return out


def entry_get(scope: Scope, entry_id) -> ReserveEntry:
    """A pool entry whose cadre is in scope; Http404 otherwise."""
    try:
        return ReserveEntry.objects.select_related("cadre__person", "cadre__unit").get(pk=entry_id, cadre__unit__path__startswith=scope.unit_path)
    except (ReserveEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("后备干部不存在或不在管理范围内") from None


def cases_in_scope(scope: Scope) -> QuerySet[AdjustmentCase]:
    """Up-and-down cases whose cadre is in scope, newest motion first."""
    return AdjustmentCase.objects.filter(cadre__unit__path__startswith=scope.unit_path).select_related("cadre__person", "cadre__unit")


def case_get(scope: Scope, case_id) -> AdjustmentCase:
    """A case whose cadre is in scope; Http404 otherwise."""
    try:
        return cases_in_scope(scope).get(pk=case_id)
    except (AdjustmentCase.DoesNotExist, ValueError, TypeError):
        raise Http404("调整案卷不存在或不在管理范围内") from None


def gap_candidates(scope: Scope, team: LeadershipTeam, on: dt.date, limit: int = 5) -> list[ReserveEntry]:
    """Pool members (在库) who could fill the gaps of an annotated team (see selectors.teams_with_gaps):

    within the team's county (the first two levels of its unit path) and the scope; pooled for a
    职务级别 (类别) the team has posts at — a 县委 team (县处级) draws on the 县处级 pool, a 镇 team
    (乡科级) on the 乡科级 pool; not already in the team; no non-tolerated accountability decision in
    the last ACCOUNTABILITY_BAR_DAYS; and young (threshold of the entry's category) when the team
    lacks a young cadre, a woman when it lacks a woman — either suffices when it lacks both. Those of
    the team's own unit (and below) first, then the others of the county; youngest first within
    each; ``age`` set on each. One team of :func:`gap_candidates_for`.
    """
    return gap_candidates_for(scope, [team], on, limit)[team.pk]


def gap_candidates_for(scope: Scope, teams: Sequence[LeadershipTeam], on: dt.date, limit: int = 5) -> dict[int, list[ReserveEntry]]:
    """{team id: :func:`gap_candidates`} for annotated teams (``young``, ``women``, ``unit``), in four
    queries whatever their number: the young thresholds, the scope's pool members in the teams'
    counties (with ``age``, ``is_young`` and the accountability bar), the teams' post levels, their
    members on ``on``."""
    from zugong.orgs.models import STEP

    teams = list(teams)  # a page's slice: evaluated once, never sent back as a subquery
    if not teams:
        return {}
    ids = [t.pk for t in teams]
    birth = "cadre__person__birth_date"
    barred = Evidence.objects.filter(cadre=OuterRef("cadre"), kind=EvidenceKind.ACCOUNTABILITY, tolerated=False,
                                     on__gt=on - dt.timedelta(days=ACCOUNTABILITY_BAR_DAYS), on__lte=on)  # fmt: skip
    counties = {t.unit.path[: 2 * STEP] for t in teams}
    in_counties = Q(pk__in=[])
    for county in sorted(counties):
        in_counties |= Q(cadre__unit__path__startswith=county)
    pool = list(
        ReserveEntry.objects.filter(in_counties, status=ReserveStatus.IN_POOL, cadre__unit__path__startswith=scope.unit_path)
        .exclude(Exists(barred)).select_related("cadre__person", "cadre__unit")
        .annotate(age=age_expr(birth, on), is_young=ExpressionWrapper(young_q(on, birth, "category"), output_field=BooleanField()))
        .order_by("-cadre__person__birth_date", "id")
    )  # fmt: skip
    levels: dict[int, set[str]] = {}
    for team_id, level in Post.objects.filter(team__in=ids).values_list("team_id", "post_level"):
        levels.setdefault(team_id, set()).add(level)
    members = set(Appointment.objects.filter(running_on(on), post__team__in=ids).values_list("post__team_id", "cadre_id"))
    out = {}
    for team in teams:
        county, home = team.unit.path[: 2 * STEP], team.unit.path
        fits = [
            e for e in pool
            if e.cadre.unit.path.startswith(county) and e.category in levels.get(team.pk, ()) and (team.pk, e.cadre_id) not in members
            and ((team.young and team.women) or (not team.young and e.is_young) or (not team.women and e.cadre.person.gender == "2"))
        ]  # fmt: skip
        fits.sort(key=lambda e: not e.cadre.unit.path.startswith(home))  # stable: youngest first within each
        out[team.pk] = fits[:limit]
    return out
