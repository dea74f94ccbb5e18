"""The audit log: every write records who, when, what, before/after and from where (DESIGN.md, decision 4)."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zugong.core.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who performs a write and from which address; ``user`` is None for the system itself."""

    user: Any
    ip: str | None = None

    @property
    def name(self) -> str:
        return self.user.get_username() if self.user is not None else "系统"

    @classmethod
    def from_request(cls, request) -> Actor:
        """The logged-in user of ``request`` and its client address (REMOTE_ADDR)."""
        return cls(user=request.user if request.user.is_authenticated else None, ip=request.META.get("REMOTE_ADDR"))


SYSTEM = Actor(user=None, ip=None)
#: Marks an AuditEvent.scope_path taken from the unit tree (paths themselves are [0-9A-Z]).
UNIT_SCOPE_PREFIX = "u:"


def jsonable(value: Any) -> Any:
    """Turn dates, decimals and nested containers into JSON-friendly values for before/after."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def audit_record(
    actor: Actor,
    action: str,
    *,
    object_type: str = "",
    object_id: Any = "",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    scope_path: str = "",
    scope_unit_path: str = "",
) -> AuditEvent:
    """Write one AuditEvent. Must run inside the caller's transaction (RuntimeError otherwise),
    so that the event and the change it describes commit or roll back together.

    ``scope_path`` is the PartyOrganization path the change belongs to; for changes that belong to
    the unit tree pass ``scope_unit_path`` instead (stored as ``u:<unit path>`` so that the two trees,
    whose paths share one format, can never be confused by the audit page's prefix filter).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_name=actor.name,
        ip=actor.ip,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:300],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        scope_path=scope_path or (UNIT_SCOPE_PREFIX + scope_unit_path if scope_unit_path else ""),
    )
