"""Reads for the shell pages, scoped to the user's subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zugong.core.audit import UNIT_SCOPE_PREFIX
from zugong.core.models import AuditEvent
from zugong.core.scope import Scope


def audit_events(scope: Scope, *, q: str = "") -> QuerySet[AuditEvent]:
    """Audit events whose scope lies in the user's party-organization subtree or unit subtree
    (unit-tree events carry the ``u:`` prefix, see ``zugong.core.audit.audit_record``).

    The city administrator (root scope) also sees events without a scope path (system events).
    """
    cond = Q(scope_path__startswith=scope.org_path) | Q(scope_path__startswith=UNIT_SCOPE_PREFIX + scope.unit_path)
    if len(scope.org_path) <= 4:
        cond |= Q(scope_path="")
    qs = AuditEvent.objects.filter(cond)
    if q:
        qs = qs.filter(Q(action__icontains=q) | Q(summary__icontains=q) | Q(actor_name__icontains=q))
    return qs.order_by("-at", "-id")
