"""Who may manage which cadre (DESIGN.md: 404 for strangers, 403 for read-only roles).

County administrators manage their county's 县管 cadres; only the city administrator manages 市管
cadres; leaders and branch secretaries read only. Getters raise Http404 outside the subtree.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zugong.cadres.models import Cadre, ManagementLevel
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


def require_admin_of(scope: Scope, unit_path: str) -> None:
    """Http404 when ``unit_path`` is outside the scope; PermissionDenied unless an administrator."""
    if not unit_path.startswith(scope.unit_path):
        raise Http404("不在管理范围内")
    if not scope.is_admin:
        raise PermissionDenied("当前角色为只读")
