"""The acting user's subtree: every selector applies it (DESIGN.md, decision 1).

A user sees its unit and everything below (``Unit.path`` prefix) and its party organization and
everything below (``PartyOrganization.path`` prefix). Users without a profile see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from zugong.core.models import Role, UserProfile


@dataclass(frozen=True)
class Scope:
    """The subtree of one user: role, unit path and party-organization path, and what it may do."""

    role: str
    unit_id: int
    unit_path: str
    unit_name: str
    org_id: int
    org_path: str
    org_name: str
    may_view_id_numbers: bool

    @property
    def can_write(self) -> bool:
        """Leaders read dashboards only; every other role writes within its subtree."""
        return self.role != Role.LEADER

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.CITY_ADMIN, Role.COUNTY_ADMIN)

    def units(self, qs: QuerySet, field: str = "path") -> QuerySet:
        """Filter ``qs`` to rows whose unit path (``field``) lies in this subtree."""
        return qs.filter(**{f"{field}__startswith": self.unit_path})

    def orgs(self, qs: QuerySet, field: str = "path") -> QuerySet:
        """Filter ``qs`` to rows whose party-organization path (``field``) lies in this subtree."""
        return qs.filter(**{f"{field}__startswith": self.org_path})

    def has_unit_path(self, path: str) -> bool:
        return path.startswith(self.unit_path)

    def has_org_path(self, path: str) -> bool:
        return path.startswith(self.org_path)


def scope_for(user) -> Scope:
    """Return the Scope of ``user``; PermissionDenied for anonymous users and users without a role."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("未登录")
    cached = getattr(user, "_zugong_scope", None)
    if cached is not None:
        return cached
    try:
        profile = UserProfile.objects.select_related("unit", "party_org").get(user=user)
    except UserProfile.DoesNotExist:
        raise PermissionDenied("该账号没有分配管理范围") from None
    scope = Scope(
        role=profile.role,
        unit_id=profile.unit_id,
        unit_path=profile.unit.path,
        unit_name=profile.unit.name,
        org_id=profile.party_org_id,
        org_path=profile.party_org.path,
        org_name=profile.party_org.name,
        may_view_id_numbers=profile.may_view_id_numbers,
    )
    user._zugong_scope = scope
    return scope


def require_write(scope: Scope) -> None:
    """Raise PermissionDenied when the scope's role is read-only."""
    if not scope.can_write:
        raise PermissionDenied("当前角色为只读")
