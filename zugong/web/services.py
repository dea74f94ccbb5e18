"""Writes of the shell pages: the 审计日志's export (itself audited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zugong.core.audit import Actor, audit_record
from zugong.core.scope import Scope
from zugong.core.xlsx import rows_to_xlsx
from zugong.web import audit_display, selectors

#: The export holds at most this many events, the newest (narrow it by date for older ones).
MAX_EXPORT_ROWS = 100_000
AUDIT_COLUMNS = ("时间", "操作人", "来源地址", "操作", "对象", "摘要", "变更")


def audit_export(*, actor: Actor, scope: Scope, filters: selectors.AuditFilters) -> bytes:
    """The 审计日志 of ``scope`` narrowed by ``filters``, newest first, as .xlsx: one row per event
    with the page's columns; 变更 reads "字段：前→后" per changed field (``audit_display``).
    At most MAX_EXPORT_ROWS events (the heading says so when there were more).

    Administrators only (PermissionDenied otherwise, as the page). Writes an ``audit.export``
    event with the number of rows and the filters; times are Beijing time.
    """
    if not scope.is_admin:
        raise PermissionDenied("仅管理员可导出审计日志")
    qs = selectors.audit_events(scope, filters)
    rows, more, chunk = [], False, []

    def flush() -> None:  # the chunk's rows; its tasks' names in one query (audit_display.views)
        for v in audit_display.views(chunk):
            event = v.event
            changed = "；".join(f"{c.field}：{c.before}→{c.after}" if c.before else f"{c.field}：{c.after}" for c in v.changes)
            at = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")
            rows.append((at, event.actor_name, event.ip or "", v.action, v.object, event.summary, changed))
        chunk.clear()

    for i, event in enumerate(qs.iterator(2000)):
        if i == MAX_EXPORT_ROWS:
            more = True
            break
        chunk.append(event)
        if len(chunk) == 2000:
            flush()
    flush()
    heading = f"审计日志（最近的{MAX_EXPORT_ROWS:,}条；更早的请按日期筛选后导出）" if more else None
    content = rows_to_xlsx("审计日志", AUDIT_COLUMNS, rows, heading=heading)
    with transaction.atomic():
        audit_record(
            actor, "audit.export", object_type="AuditEvent", scope_path=scope.org_path,
            summary=f"导出审计日志{len(rows)}条", after={"count": len(rows), "filters": filters.params()},
        )  # fmt: skip
    return content
