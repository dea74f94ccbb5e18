"""组织树 pages: the party-organization tree of the user's subtree, expanded lazily with htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from zugong.core.scope import Scope, scope_for
from zugong.members.selectors import member_count_by_child, member_count_in
from zugong.orgs.models import PartyOrganization
from zugong.orgs.selectors import org_children, party_org_get


def tree_nodes(scope: Scope, parent: PartyOrganization | None) -> list[PartyOrganization]:
    """Children of ``parent`` (the scope root when None) with ``member_count`` and ``child_count`` set.

    ``parent`` must already have been fetched through the scope (``party_org_get``).
    Three queries per expansion whatever the number of children: the children, one GROUP BY of
    members by child path prefix, one GROUP BY of grandchildren by parent.
    """
    children = org_children(scope, None) if parent is None else PartyOrganization.objects.filter(parent=parent)
    nodes = list(children.select_related("unit").order_by("path"))
    if not nodes:
        return nodes
    if parent is None:
        counts = {nodes[0].path: member_count_in(scope, nodes[0])}
    else:
        counts = member_count_by_child(scope, parent)
    kids = dict(
        PartyOrganization.objects.filter(parent__in=nodes).values_list("parent").annotate(n=Count("id")).order_by()
    )
    for node in nodes:
        node.member_count = counts.get(node.path, 0)
        node.child_count = kids.get(node.pk, 0)
    return nodes


def breadcrumb(scope: Scope, org: PartyOrganization) -> list[PartyOrganization]:
    """Ancestors of ``org`` from the scope root down to its parent (one query; nothing above the scope)."""
    prefixes = [org.path[:n] for n in range(len(scope.org_path), len(org.path), 4)]
    return list(PartyOrganization.objects.filter(path__in=prefixes).order_by("path"))


@login_required
def tree(request):
    """组织树: the scope root and its children; nodes expand through ``orgs:children``."""
    scope = scope_for(request.user)
    roots = tree_nodes(scope, None)
    root = roots[0]
    return render(request, "orgs/tree.html", {"root": root, "children": tree_nodes(scope, root)})


@login_required
def tree_children(request, org_id: int):
    """The children of ``org_id`` as an htmx fragment (``<ul>`` of nodes); 404 outside the subtree."""
    scope = scope_for(request.user)
    parent = party_org_get(scope, org_id)
    return render(request, "orgs/_children.html", {"nodes": tree_nodes(scope, parent)})


@login_required
def org_detail(request, org_id: int):
    """党组织 detail: kind, unit, breadcrumb within the scope, children with member counts."""
    scope = scope_for(request.user)
    org = party_org_get(scope, org_id)
    return render(request, "orgs/detail.html", {
        "org": org,
        "crumbs": breadcrumb(scope, org),
        "children": tree_nodes(scope, org),
        "member_count": member_count_in(scope, org),
    })
