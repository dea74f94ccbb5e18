"""Reads for the shell pages, scoped to the user's subtree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from zugong.core.audit import ACTION_GROUPS, UNIT_SCOPE_PREFIX
from zugong.core.models import AuditEvent
from zugong.core.scope import Scope


@dataclass(frozen=True)
class AuditFilters:
    """The 审计日志 page's filters: text (操作、摘要或操作人), kind of action (``ACTION_GROUPS``
    code), 操作人 (part of the name), and 起止日期 (both inclusive, Beijing time)."""

    q: str = ""
    group: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> AuditFilters:
        """From the query string; an unknown group or a date not in YYYY-MM-DD form is ignored."""

        def day(key: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(params.get(key, "").strip())
            except ValueError:
                return None

        group = params.get("group", "")
        return cls(
            q=params.get("q", "").strip(), group=group if group in {g[0] for g in ACTION_GROUPS} else "",
            actor=params.get("actor", "").strip(), date_from=day("from"), date_to=day("to"),
        )  # fmt: skip

    def params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for paging and export links)."""
        got = {"q": self.q, "group": self.group, "actor": self.actor}
        got["from"] = self.date_from.isoformat() if self.date_from else ""
        got["to"] = self.date_to.isoformat() if self.date_to else ""
        return {k: v for k, v in got.items() if v}


def audit_events(scope: Scope, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """Audit events whose scope lies in the user's party-organization subtree or unit subtree
    (unit-tree events carry the ``u:`` prefix, see ``zugong.core.audit.audit_record``), newest first,
    narrowed by ``filters``.

    The city administrator (root scope) also sees events without a scope path (system events).
    Dates bound the indexed ``at`` column by the day's start in the current time zone.
    """
    f = filters or AuditFilters()
    cond = Q(scope_path__startswith=scope.org_path) | Q(scope_path__startswith=UNIT_SCOPE_PREFIX + scope.unit_path)
    if len(scope.org_path) <= 4:
        cond |= Q(scope_path="")
    qs = AuditEvent.objects.filter(cond)
    if f.q:
        qs = qs.filter(Q(action__icontains=f.q) | Q(summary__icontains=f.q) | Q(actor_name__icontains=f.q))
    if f.group:
        prefixes = next(g[2] for g in ACTION_GROUPS if g[0] == f.group)
        kind = Q()
        for prefix in prefixes:
            kind |= Q(action__startswith=prefix)
        qs = qs.filter(kind)
    if f.actor:
        qs = qs.filter(actor_name__icontains=f.actor)
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
