"""Writes to the unit and party-organization trees. Paths are assigned here and nowhere else."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from zugong.core.audit import Actor, audit_record
from zugong.orgs.models import STEP, PartyOrganization, TreeNode, Unit, path_step, term_years_for


def next_child_path(model: type[TreeNode], parent: TreeNode | None) -> tuple[str, int]:
    """Return ``(path, depth)`` for a new last child of ``parent`` (None = a new root)."""
    if parent is None:
        last = model.objects.filter(depth=1).aggregate(m=Max("path"))["m"]
        prefix, depth = "", 1
    else:
        last = model.objects.filter(parent=parent).aggregate(m=Max("path"))["m"]
        prefix, depth = parent.path, parent.depth + 1
    n = int(last[-STEP:], 36) + 1 if last else 1
    return prefix + path_step(n), depth


def unit_create(*, actor: Actor, parent: Unit | None, name: str, kind: str, division_code: str = "") -> Unit:
    """Create a Unit as the last child of ``parent`` and audit it."""
    with transaction.atomic():
        path, depth = next_child_path(Unit, parent)
        unit = Unit.objects.create(parent=parent, name=name, kind=kind, division_code=division_code, path=path, depth=depth)
        audit_record(actor, "unit.create", object_type="Unit", object_id=unit.pk, summary=name,
                     after={"name": name, "kind": kind, "division_code": division_code}, scope_unit_path=path)
    return unit


def party_org_create(
    *, actor: Actor, parent: PartyOrganization | None, name: str, kind: str, unit: Unit | None = None,
    term_years: int | None = None,
) -> PartyOrganization:
    """Create a PartyOrganization as the last child of ``parent`` and audit it; ``term_years``
    (每届任期) defaults to what the regulations set for its kind and unit (``term_years_for``)."""
    if term_years is None:
        term_years = term_years_for(kind, unit.kind if unit is not None else None)
    with transaction.atomic():
        path, depth = next_child_path(PartyOrganization, parent)
        org = PartyOrganization.objects.create(
            parent=parent, name=name, kind=kind, unit=unit, path=path, depth=depth, term_years=term_years
        )
        audit_record(actor, "party_org.create", object_type="PartyOrganization", object_id=org.pk, summary=name,
                     after={"name": name, "kind": kind, "unit": unit.pk if unit else None}, scope_path=path)
    return org
