"""Reads of the reserve pool, up-and-down cases, and the matching of pool members to team gaps.

Scoped like every selector: a pool entry or case is visible when its cadre's unit lies in the
user's unit subtree; getters raise Http404 otherwise. Structure figures are one aggregate query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from zugong.cadres.models import (
    AdjustmentCase,
    Appointment,
    Evidence,
    EvidenceKind,
    LeadershipTeam,
    ReserveEntry,
    ReserveStatus,
    Sector,
)
from zugong.cadres.selectors import young_q
from zugong.core import codes
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
    from zugong.stats.selectors import age_expr

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

    within the team's county (the first two levels of its unit path) and the scope; not already in
    the team; no non-tolerated accountability decision in the last ACCOUNTABILITY_BAR_DAYS; and
    young (threshold of the entry's category) when the team lacks a young cadre, a woman when it
    lacks a woman — either suffices when it lacks both. Youngest first; ``age`` set on each.
    """
    from zugong.orgs.models import STEP
    from zugong.stats.selectors import age_expr

    county = team.unit.path[: 2 * STEP]
    birth = "cadre__person__birth_date"
    in_team = Appointment.objects.filter(cadre=OuterRef("cadre"), post__team=team, start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))
    barred = Evidence.objects.filter(cadre=OuterRef("cadre"), kind=EvidenceKind.ACCOUNTABILITY, tolerated=False,
                                     on__gt=on - dt.timedelta(days=ACCOUNTABILITY_BAR_DAYS), on__lte=on)  # fmt: skip
    wants = Q(pk__in=[])
    if team.young == 0:
        wants |= young_q(on, birth, "category")
    if team.women == 0:
        wants |= Q(cadre__person__gender="2")
    if team.young and team.women:
        wants = Q()  # only vacancies: any pool member of the county
    qs = (ReserveEntry.objects.filter(status=ReserveStatus.IN_POOL, cadre__unit__path__startswith=county)
          .filter(cadre__unit__path__startswith=scope.unit_path).filter(wants)
          .exclude(Exists(in_team)).exclude(Exists(barred))
          .select_related("cadre__person").annotate(age=age_expr(birth, on))
          .order_by("-cadre__person__birth_date", "id"))  # fmt: skip
    return list(qs[:limit])
