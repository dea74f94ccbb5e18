"""Template context shared by every page: the left navigation by pillar and the user's scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zugong.core.scope import scope_for

#: (pillar, [(label, url name)]) — left navigation: 组织 / 干部 / 人才 / 工作落实 / 统计.
NAVIGATION = (
    ("组织", (("组织树", "orgs:tree"), ("党员名册", "members:list"), ("导入名册", "members:import"))),
    (
        "干部",
        (
            ("干部名册", "cadres:list"),
            ("领导班子", "cadres:teams"),
            ("缺配年轻干部", "cadres:gaps"),
            ("年度考核", "cadres:rounds"),
            ("优先使用干部", "cadres:incentives"),
            ("后备干部库", "cadres:pool"),
            ("能上能下", "cadres:cases"),
        ),
    ),
    ("人才", ()),
    ("工作落实", (("文件与任务", "work:documents"), ("本单位任务", "work:my_unit"), ("季末评议", "work:review"), ("预警天数", "work:thresholds"))),
    ("统计", (("统计总览", "web:dashboard"), ("讲话数据", "stats:figures"), ("统计报表", "stats:tables"))),
    ("系统", (("审计日志", "web:audit"),)),
)


def navigation(request) -> dict:
    """Add ``nav`` and ``scope`` (None for anonymous users and users without a role)."""
    scope = None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        try:
            scope = scope_for(request.user)
        except PermissionDenied:
            scope = None
    return {"nav": NAVIGATION, "scope": scope}
