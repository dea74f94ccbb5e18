"""REST API of cadres and leadership teams (/api/cadres), scoped like the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from zugong.cadres import rules, selectors
from zugong.core.api_paging import PageOut, PageQuery, paginate
from zugong.core.rules import age_on
from zugong.core.scope import scope_for

router = Router(tags=["干部"])


class CadreQuery(PageQuery):
    """干部名册查询条件。"""

    q: str = Field("", description="搜索：姓名（包含）、全拼或拼音首字母（前缀）或完整18位身份证号（精确）")
    management_level: str = Field("", description="管理权限：city 市管、county 县管")
    post_level: str = Field("", description="职务级别代码（GB/T 12407）")
    unit: int | None = Field(None, description="单位编号（含下级单位）")
    status: str = Field("", description="在职状态：空为现职干部（今日任职务或职级），former 已离任，all 全部")


class CadreRow(Schema):
    """干部名册一行。"""

    person_id: int = Field(description="人员编号")
    name: str = Field(description="姓名")
    gender: str = Field(description="性别")
    birth_date: dt.date = Field(description="出生日期")
    age: int = Field(description="年龄（周岁）")
    unit_id: int = Field(description="工作单位编号")
    unit_name: str = Field(description="工作单位")
    posts: list[str] = Field(description="现任职务（主职在前）")
    post_level: str = Field(description="职务级别")
    management_level: str = Field(description="管理权限")
    appointed: dt.date | None = Field(description="任职时间（现任主职）")
    rank: str = Field(description="职级（现任，如二级调研员；无职级为空字符串）")
    rank_start: dt.date | None = Field(description="任现职级时间")


class CadrePage(PageOut):
    """干部名册的一页。"""

    items: list[CadreRow] = Field(description="本页干部")


class TeamRow(Schema):
    """领导班子及其结构数据（年龄按周岁计算，截至今日）。"""

    id: int = Field(description="领导班子编号")
    name: str = Field(description="班子名称")
    unit_id: int = Field(description="单位编号")
    unit_name: str = Field(description="单位")
    management_level: str = Field(description="管理权限")
    size: int = Field(description="班子成员人数（同一人任多个职务只计一次）")
    average_age: float | None = Field(description="平均年龄（岁，按人计：每名成员计一次）")
    women: int = Field(description="女干部数")
    under_40: int = Field(description="40岁以下干部数")
    youngest_age: int | None = Field(description="最小年龄（岁）")
    oldest_age: int | None = Field(description="最大年龄（岁）")


@router.get("/", response=CadrePage, summary="干部名册（分页）")
def cadre_list(request, query: Query[CadreQuery]):
    """Cadres in the user's unit subtree with the filters of the 干部名册 page; 404 for a unit outside it.
    Each row has the 职级 held today (``rank``, ``rank_start``; a cadre with a rank only has no ``posts``)."""
    scope = scope_for(request.user)
    params = {k: str(v) for k, v in query.dict().items() if v is not None}
    qs = selectors.cadres_search(scope, selectors.CadreFilters.from_params(params)).prefetch_related(selectors.running_ranks())
    today = dt.date.today()

    def row(c) -> dict:
        rank = selectors.held_rank(c)
        return {
            "person_id": c.person_id, "name": c.person.name, "gender": c.person.gender_label,
            "birth_date": c.person.birth_date, "age": age_on(c.person.birth_date, today),
            "unit_id": c.unit_id, "unit_name": c.unit.name,
            "posts": [a.post.title + ("（兼）" if a.is_concurrent else "") for a in c.current],
            "post_level": c.get_post_level_display(), "management_level": c.get_management_level_display(),
            "appointed": c.current[0].start if c.current else None,
            "rank": rules.RANK_LABELS[rank.rank] if rank else "", "rank_start": rank.start if rank else None,
        }  # fmt: skip

    return paginate(qs, query, row)


@router.get("/teams", response=list[TeamRow], summary="领导班子")
def team_list(request):
    """Leadership teams in the user's unit subtree with size, average age, women, under 40, youngest/oldest."""
    scope = scope_for(request.user)
    today = dt.date.today()
    return [
        {
            "id": t.pk, "name": t.name, "unit_id": t.unit_id, "unit_name": t.unit.name,
            "management_level": t.get_management_level_display(), "size": t.size,
            "average_age": round(t.avg_age, 1) if t.avg_age is not None else None,
            "women": t.women, "under_40": t.young,
            "youngest_age": age_on(t.youngest_birth, today) if t.youngest_birth else None,
            "oldest_age": age_on(t.oldest_birth, today) if t.oldest_birth else None,
        }
        for t in selectors.teams_with_figures(scope, today)
    ]


class StructureRow(Schema):
    """领导班子结构（截至指定日期）。"""

    id: int = Field(description="领导班子编号")
    name: str = Field(description="班子名称")
    size: int = Field(description="在任成员人数（同一人任多个职务只计一次）")
    average_age: float | None = Field(description="平均年龄（岁，按人计：每名在任成员计一次）")
    young: int = Field(description="年轻干部数（按职务级别的年龄标准）")
    women: int = Field(description="女干部数")
    non_party: int = Field(description="非中共党员数")
    chief: str = Field(description="正职 已配备/核定")
    deputy: str = Field(description="副职 已配备/核定")
    gaps: list[str] = Field(description="缺配情况")


@router.get("/teams/structure", response=list[StructureRow], summary="领导班子结构（按日期）")
def team_structure(request, on: dt.date | None = None, unit: int | None = None):
    """Team structure of the user's subtree (or a unit below it) on ``on`` (default today); 404 outside."""
    from zugong.orgs.selectors import unit_get

    scope = scope_for(request.user)
    on = on or dt.date.today()
    path = unit_get(scope, unit).path if unit else None
    out = []
    for t in selectors.team_structure(scope, on, unit_path=path):
        out.append({
            "id": t.pk, "name": t.name, "size": t.size, "average_age": round(t.avg_age, 1) if t.avg_age is not None else None,
            "young": t.young, "women": t.women, "non_party": t.non_party,
            "chief": f"{t.chief_holders}/{'' if t.chief_quota is None else t.chief_quota}",
            "deputy": f"{t.deputy_holders}/{'' if t.deputy_quota is None else t.deputy_quota}",
            "gaps": selectors.gap_reasons(t) if t.size else [],
        })  # fmt: skip
    return out


class RoundFigures(Schema):
    """年度考核的人数与优秀名额。"""

    id: int
    name: str = Field(description="考核名称")
    status: str = Field(description="状态")
    participants: int = Field(description="参加考核人数")
    not_graded: int = Field(description="不定等次人数")
    quota: int = Field(description="优秀理论名额（已取整）")
    exact: str = Field(description="优秀理论名额（未取整）")
    excellent: int = Field(description="实际优秀人数")
    competent: int = Field(description="称职人数")
    basic: int = Field(description="基本称职人数")
    incompetent: int = Field(description="不称职人数")


@router.get("/appraisal/{round_id}", response=RoundFigures, summary="年度考核人数与优秀名额")
def appraisal_round(request, round_id: int):
    """Figures of one appraisal round of the user's subtree; 404 outside it."""
    from zugong.cadres import selectors_appraisal as sa

    scope = scope_for(request.user)
    rnd = sa.round_get(scope, round_id)
    f = sa.round_figures(rnd)
    return {"id": rnd.pk, "name": str(rnd), "status": rnd.get_status_display(), "exact": str(f["exact"]),
            **{k: f[k] for k in ("participants", "not_graded", "quota", "excellent", "competent", "basic", "incompetent")}}
