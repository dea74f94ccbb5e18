"""Reads of cadres and leadership teams, scoped to the acting user's unit subtree (DESIGN.md, decision 1).

A cadre is in scope when its unit (``Cadre.unit``, the unit of the main post) lies in the user's
unit subtree; a leadership team when its unit does. Getters raise Http404 outside the subtree.
Ages are full years (周岁) computed in the database so that team figures are one GROUP BY query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, IntegerField, Max, Min, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.http import Http404

from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, ManagementLevel
from zugong.core import codes
from zugong.core.rules import age_on
from zugong.core.scope import Scope
from zugong.members.selectors import search_condition, years_before
from zugong.orgs.selectors import unit_get

PAGE_SIZE = 50
#: 年轻干部 threshold used on the teams page: under 40 full years.
YOUNG_AGE = 40


def age_expression(field: str, on: dt.date):
    """A database expression for full years of age (周岁) on ``on`` of the birth-date ``field``.

    Portable (SQLite and PostgreSQL): year difference minus one when the birthday of that year
    falls after ``on``.
    """
    before_birthday = Q(**{f"{field}__month__gt": on.month}) | Q(**{f"{field}__month": on.month, f"{field}__day__gt": on.day})
    return (
        Value(on.year)
        - ExtractYear(field)
        - Case(When(before_birthday, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


@dataclass(frozen=True)
class CadreFilters:
    """Filters of the 干部名册 (optional): ``q`` search like the member list, ``management_level``
    (市管/县管), ``post_level`` (GB/T 12407 code), ``unit`` (unit id, its subtree)."""

    q: str = ""
    management_level: str = ""
    post_level: str = ""
    unit: int | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> CadreFilters:
        """Build filters from a query string; unknown codes are ignored."""
        level = (params.get("management_level") or "").strip()
        post = (params.get("post_level") or "").strip()
        try:
            unit = int(params.get("unit") or "") or None
        except ValueError:
            unit = None
        return cls(
            q=(params.get("q") or "").strip()[:60],
            management_level=level if level in ManagementLevel.values else "",
            post_level=post if post in dict(codes.POST_LEVEL) else "",
            unit=unit,
        )


def cadres_in_scope(scope: Scope) -> QuerySet[Cadre]:
    """Cadres whose unit lies in the scope's unit subtree."""
    return Cadre.objects.filter(unit__path__startswith=scope.unit_path)


def current_appointments() -> Prefetch:
    """Prefetch of each cadre's current appointments (main posts first) as ``current``."""
    qs = Appointment.objects.filter(end__isnull=True).select_related("post", "post__unit").order_by("is_concurrent", "start", "id")
    return Prefetch("appointments", queryset=qs, to_attr="current")


def cadres_search(scope: Scope, filters: CadreFilters) -> QuerySet[Cadre]:
    """Cadres in scope matching ``filters``, sorted by 姓氏笔画, with Person, unit and current posts.

    Each row has ``current`` (list of current Appointments, main post first). Raises Http404 when
    ``filters.unit`` is outside the scope.
    """
    qs = cadres_in_scope(scope)
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=unit_get(scope, filters.unit).path)
    cond = search_condition(filters.q, "person__")
    if cond is not None:
        qs = qs.filter(cond)
    if filters.management_level:
        qs = qs.filter(management_level=filters.management_level)
    if filters.post_level:
        qs = qs.filter(post_level=filters.post_level)
    return (
        qs.select_related("person", "unit")
        .prefetch_related(current_appointments())
        .order_by("person__stroke_key", "person__name", "id")
    )


def cadre_rows_with_age(cadres, on: dt.date | None = None):
    """Set ``age`` (周岁 on ``on``, default today) on each cadre of an already fetched page; returns it."""
    on = on or dt.date.today()
    for c in cadres:
        c.age = age_on(c.person.birth_date, on)
    return cadres


def teams_in_scope(scope: Scope) -> QuerySet[LeadershipTeam]:
    """Leadership teams whose unit lies in the scope's unit subtree, in tree order."""
    return LeadershipTeam.objects.filter(unit__path__startswith=scope.unit_path).select_related("unit")


def teams_with_figures(scope: Scope, on: dt.date | None = None) -> QuerySet[LeadershipTeam]:
    """Teams in scope, each annotated (one GROUP BY query over current appointments) with:

    ``size`` (cadres holding a post of the team), ``avg_age`` (average 周岁, float or None),
    ``women``, ``young`` (under :data:`YOUNG_AGE`), ``youngest_birth`` / ``oldest_birth``
    (dates; the youngest and oldest member's birth dates).
    """
    on = on or dt.date.today()
    current = Q(posts__appointments__end__isnull=True)
    birth = "posts__appointments__cadre__person__birth_date"
    return (
        teams_in_scope(scope)
        .annotate(
            size=Count("posts__appointments__cadre", filter=current, distinct=True),
            avg_age=Avg(age_expression(birth, on), filter=current),
            women=Count("posts__appointments__cadre", filter=current & Q(posts__appointments__cadre__person__gender="2"), distinct=True),
            young=Count("posts__appointments__cadre", filter=current & Q(**{f"{birth}__gt": years_before(on, YOUNG_AGE)}), distinct=True),
            youngest_birth=Max(birth, filter=current),
            oldest_birth=Min(birth, filter=current),
        )
        .order_by("unit__path", "id")
    )


def team_get(scope: Scope, team_id: int) -> LeadershipTeam:
    """The team ``team_id`` if its unit lies in the scope; Http404 otherwise."""
    try:
        return teams_in_scope(scope).get(pk=team_id)
    except (LeadershipTeam.DoesNotExist, ValueError, TypeError):
        raise Http404("领导班子不存在或不在管理范围内") from None


def team_members(team: LeadershipTeam, on: dt.date | None = None) -> QuerySet[Appointment]:
    """Current appointments to posts of ``team`` in post order, with cadre, person and ``age`` (周岁)."""
    on = on or dt.date.today()
    return (
        Appointment.objects.filter(post__team=team, end__isnull=True)
        .select_related("post", "cadre", "cadre__person")
        .annotate(age=age_expression("cadre__person__birth_date", on))
        .order_by("post__sort", "post_id", F("cadre__person__stroke_key").asc(), "id")
    )
