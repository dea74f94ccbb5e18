"""REST API of the party-organization tree (/api/orgs), scoped like the pages."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from zugong.core.scope import scope_for
from zugong.members.selectors import member_count_in
from zugong.orgs.selectors import party_org_get
from zugong.orgs.views import breadcrumb, tree_nodes

router = Router(tags=["组织"])


class OrgRef(Schema):
    """党组织（简要）。"""

    id: int = Field(description="党组织编号")
    name: str = Field(description="党组织名称")


class OrgNode(OrgRef):
    """组织树节点。"""

    kind: str = Field(description="组织类别代码：committee 党委、working_committee 党工委、leading_group 党组、"
                                  "general_branch 党总支、branch 党支部、joint_branch 联合党支部、group 党小组")
    kind_label: str = Field(description="组织类别")
    unit_id: int | None = Field(description="所在单位编号")
    unit_name: str = Field(description="所在单位名称")
    member_count: int = Field(description="党员人数（含下级组织）")
    child_count: int = Field(description="下级党组织数")


class OrgDetail(OrgNode):
    """党组织详情：上级组织链（管理范围内）与下级组织。"""

    term_years: int = Field(description="任期（年）")
    ancestors: list[OrgRef] = Field(description="从管理范围根组织到上级组织的组织链")
    children: list[OrgNode] = Field(description="下级党组织")


def _node(org) -> dict:
    return {
        "id": org.pk, "name": org.name, "kind": org.kind, "kind_label": org.get_kind_display(),
        "unit_id": org.unit_id, "unit_name": org.unit.name if org.unit_id else "",
        "member_count": org.member_count, "child_count": org.child_count,
    }


@router.get("/", response=list[OrgNode], summary="组织树节点（按上级组织）")
def org_nodes(request, parent: int | None = Query(None, description="上级党组织编号；不填时返回管理范围的根组织")):
    """Children of ``parent`` in the user's subtree (the scope root when omitted), with member counts."""
    scope = scope_for(request.user)
    parent_org = party_org_get(scope, parent) if parent is not None else None
    return [_node(n) for n in tree_nodes(scope, parent_org)]


@router.get("/{org_id}", response=OrgDetail, summary="党组织详情")
def org_detail(request, org_id: int):
    """One party organization in the user's subtree; 404 outside it."""
    scope = scope_for(request.user)
    org = party_org_get(scope, org_id)
    children = tree_nodes(scope, org)
    org.member_count = member_count_in(scope, org)
    org.child_count = len(children)
    return {
        **_node(org),
        "term_years": org.term_years,
        "ancestors": [{"id": a.pk, "name": a.name} for a in breadcrumb(scope, org)],
        "children": [_node(c) for c in children],
    }
