"""Who may manage which cadre (DESIGN.md: 404 for strangers, 403 for read-only roles).

County administrators manage their county's 县管 cadres; only the city administrator manages 市管
cadres; leaders and branch secretaries read only. Getters raise Http404 outside the subtree.

The same holds for leadership teams: appointments to and removals from a post of a 市管 team (e.g.
a county's 区委领导班子) are made by the city administrator only, whatever the level of the cadre
(``require_manage_post``); an appointment needs both the cadre and the post. A post without a team
carries no management level of its own (neither Post nor Unit records one): the cadre decides.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zugong.cadres.models import Cadre, LeadershipTeam, ManagementLevel, Post
from zugong.core.models import Role
from zugong.core.scope import Scope


def cadre_get(scope: Scope, cadre_id) -> Cadre:
    """The cadre ``cadre_id`` (with person and unit) if its unit lies in the scope; Http404 otherwise."""
    try:
        return Cadre.objects.select_related("person", "unit").get(pk=cadre_id, unit__path__startswith=scope.unit_path)
    except (Cadre.DoesNotExist, ValueError, TypeError):
        raise Http404("干部不存在或不在管理范围内") from None


def may_manage(scope: Scope, cadre: Cadre) -> bool:
    """True when ``scope`` may write ``cadre``'s records (see module docstring)."""
    if not scope.is_admin or not cadre.unit.path.startswith(scope.unit_path):
        return False
    return cadre.management_level != ManagementLevel.CITY or scope.role == Role.CITY_ADMIN


def require_manage(scope: Scope, cadre: Cadre) -> None:
    """Http404 for a cadre outside the scope; PermissionDenied (403) when the scope may not write it."""
    if not cadre.unit.path.startswith(scope.unit_path):
        raise Http404("干部不存在或不在管理范围内")
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能维护干部信息")
    if cadre.management_level == ManagementLevel.CITY and scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("市管干部由市委组织部管理")


def team_is_city(team: LeadershipTeam | None) -> bool:
    """True for a 市管 leadership team (None, a post without a team, is not)."""
    return team is not None and team.management_level == ManagementLevel.CITY


def may_manage_team(scope: Scope, team: LeadershipTeam) -> bool:
    """True when ``scope`` may appoint to and remove from the posts of ``team`` (and set its 职数)."""
    if not scope.is_admin or not team.unit.path.startswith(scope.unit_path):
        return False
    return not team_is_city(team) or scope.role == Role.CITY_ADMIN


def city_team_refusal(team: LeadershipTeam) -> str:
    """The Chinese reason a county administrator may not appoint to or remove from ``team``'s posts."""
    return f"{team.name}为市管领导班子，其成员任免由市委组织部办理"


def require_manage_team(scope: Scope, team: LeadershipTeam) -> None:
    """Http404 for a team outside the scope; PermissionDenied (403) for a read-only role, and for a
    county administrator on a 市管 team (appointments to and removals from its posts)."""
    if not team.unit.path.startswith(scope.unit_path):
        raise Http404("领导班子不存在或不在管理范围内")
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能维护领导班子")
    if team_is_city(team) and scope.role != Role.CITY_ADMIN:
        raise PermissionDenied(city_team_refusal(team))


def require_manage_post(scope: Scope, post: Post) -> None:
    """Http404 for a post outside the scope; PermissionDenied (403) for a read-only role, and for a
    county administrator when the post is a seat of a 市管 team (see ``require_manage_team``)."""
    if not post.unit.path.startswith(scope.unit_path):
        raise Http404("职务不在管理范围内")
    if post.team_id is not None:
        require_manage_team(scope, post.team)
    elif not scope.is_admin:
        raise PermissionDenied("当前角色不能维护干部信息")


def require_admin_of(scope: Scope, unit_path: str) -> None:
    """Http404 when ``unit_path`` is outside the scope; PermissionDenied unless an administrator."""
    if not unit_path.startswith(scope.unit_path):
        raise Http404("不在管理范围内")
    if not scope.is_admin:
        raise PermissionDenied("当前角色为只读")
