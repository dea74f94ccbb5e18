"""Template context shared by every page: the left navigation by pillar and the user's scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zugong.core.models import Role
from zugong.core.scope import Scope, scope_for

_ADMINS = (Role.CITY_ADMIN, Role.COUNTY_ADMIN)
_WRITERS = (Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.BRANCH_SECRETARY)
#: The 干部 pages: a branch's subtree (a village or an organ's branch) holds no cadres of the city's
#: or counties' management, so a branch secretary is not offered them (they would be empty).
_CADRE_READERS = (Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.LEADER)

#: (pillar, [(label, url name[, roles that may open it])]) — left navigation: 组织 / 干部 / 人才 /
#: 工作落实 / 统计 / 系统. An item without roles is for every role; the page checks the role itself.
NAVIGATION = (
    ("组织", (("组织树", "orgs:tree"), ("党员名册", "members:list"), ("导入名册", "members:import", _WRITERS))),
    (
        "干部",
        (
            ("干部名册", "cadres:list", _CADRE_READERS),
            ("领导班子", "cadres:teams", _CADRE_READERS),
            ("缺配年轻干部", "cadres:gaps", _CADRE_READERS),
            ("年度考核", "cadres:rounds", _CADRE_READERS),
            ("优先使用干部", "cadres:incentives", _CADRE_READERS),
            ("后备干部库", "cadres:pool", _CADRE_READERS),
            ("能上能下", "cadres:cases", _CADRE_READERS),
        ),
    ),
    ("人才", ()),
    ("工作落实", (("文件与任务", "work:documents"), ("本单位任务", "work:my_unit"), ("季末评议", "work:review"), ("预警天数", "work:thresholds"))),
    ("统计", (("统计总览", "web:dashboard"), ("讲话数据", "stats:figures"), ("统计报表", "stats:tables"))),
    ("系统", (("审计日志", "web:audit", _ADMINS),)),
)


def navigation_for(scope: Scope) -> list[tuple[str, list[tuple[str, str]]]]:
    """NAVIGATION as ``(pillar, [(label, url name)])`` without the items ``scope``'s role may not open
    (a pillar left empty stays: 人才 says 后续建设; one emptied by the role is dropped)."""
    out = []
    for pillar, items in NAVIGATION:
        kept = [(item[0], item[1]) for item in items if len(item) < 3 or scope.role in item[2]]
        if kept or not items:
            out.append((pillar, kept))
    return out


def navigation(request) -> dict:
    """Add ``nav`` and ``scope`` (None for anonymous users and users without a role)."""
    scope = None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        try:
            scope = scope_for(request.user)
        except PermissionDenied:
            scope = None
    return {"nav": navigation_for(scope) if scope is not None else [], "scope": scope}
