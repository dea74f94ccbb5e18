"""REST API of the 审计日志 (/api/audit): the page's read, for administrators, scoped like the page."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from zugong.core.api_paging import PageOut, PageQuery, paginate
from zugong.core.scope import scope_for
from zugong.web import audit_display, selectors

router = Router(tags=["审计日志"])


class AuditQuery(PageQuery):
    """审计日志查询条件（与审计日志页面相同）。"""

    q: str = Field("", description="搜索：操作代码、摘要或操作人（包含）")
    group: str = Field("", description="操作类别：members 人员与党员、orgs 单位与党组织、cadres 干部、work 工作落实、system 系统")
    actor: str = Field("", description="操作人（包含）")
    date_from: dt.date | None = Field(None, alias="from", description="起始日期（含，北京时间）")
    date_to: dt.date | None = Field(None, alias="to", description="截止日期（含，北京时间）")


class ChangeOut(Schema):
    """一项变更。"""

    field: str = Field(description="字段（中文名称）")
    before: str = Field(description="变更前（新建时为空）")
    after: str = Field(description="变更后")


class AuditRow(Schema):
    """一条审计事件。"""

    id: int = Field(description="事件编号")
    at: dt.datetime = Field(description="时间")
    actor: str = Field(description="操作人")
    ip: str | None = Field(description="来源地址")
    action: str = Field(description="操作代码，如 members.import")
    action_label: str = Field(description="操作（中文名称）")
    object_type: str = Field(description="对象类型代码")
    object_label: str = Field(description="对象（中文名称及编号）")
    object_id: str = Field(description="对象编号")
    summary: str = Field(description="摘要")
    changes: list[ChangeOut] = Field(description="变更的字段")


class AuditPage(PageOut):
    """审计日志的一页。"""

    items: list[AuditRow] = Field(description="本页事件，新的在前")


def audit_row(event, v: audit_display.EventView | None = None) -> dict:
    """One AuditEvent as an AuditRow dict (the page's words, ``audit_display``; ``v`` when already read)."""
    v = v or audit_display.view(event)
    return {
        "id": event.pk, "at": event.at, "actor": event.actor_name, "ip": event.ip, "action": event.action,
        "action_label": v.action, "object_type": event.object_type, "object_label": v.object,
        "object_id": event.object_id, "summary": event.summary,
        "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in v.changes],
    }  # fmt: skip


@router.get("/", response=AuditPage, summary="审计日志（分页，仅管理员）")
def audit_list(request, query: Query[AuditQuery]):
    """Audit events of the user's subtree with the page's filters, newest first; 403 for other roles."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied("仅管理员可查看审计日志")
    params = {"q": query.q, "group": query.group, "actor": query.actor}
    params |= {key: day.isoformat() for key, day in (("from", query.date_from), ("to", query.date_to)) if day}
    page = paginate(selectors.audit_events(scope, selectors.AuditFilters.from_params(params)), query, lambda e: e)
    page["items"] = [audit_row(v.event, v) for v in audit_display.views(page["items"])]  # tasks named in one query
    return page
