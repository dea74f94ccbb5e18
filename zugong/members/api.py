"""REST API of party members and persons (/api/members), scoped like the pages; 身份证号 always masked."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from zugong.core.api_paging import PageOut, PageQuery, paginate
from zugong.core.scope import scope_for
from zugong.members import selectors

router = Router(tags=["党员"])


class MemberQuery(PageQuery):
    """党员名册查询条件。"""

    q: str = Field("", description="搜索：姓名（包含）、全拼或拼音首字母（前缀，如 zhangxiaoming、zhangxm、zxm）或完整18位身份证号（精确）")
    org: int | None = Field(None, description="党组织编号（含下级组织）")
    status: str = Field("", description="党员类别：full 正式党员、probationary 预备党员；left 已减少党员（代替现有党员）")
    gender: str = Field("", description="性别代码（GB/T 2261.1）：1 男、2 女")
    education: str = Field("", description="学历代码（GB/T 4658）")
    occupation: str = Field("", description="人员类别代码（党内统计公报职业分类）")
    age_band: str = Field("", description="年龄段：0-30、31-35、36-40、41-45、46-50、51-55、56-60、61-")
    sort: str = Field("stroke", description="排序：stroke 姓氏笔画、joined 入党时间")


class MemberRow(Schema):
    """党员名册一行。"""

    person_id: int = Field(description="人员编号")
    name: str = Field(description="姓名")
    gender: str = Field(description="性别")
    ethnicity: str = Field(description="民族")
    birth_date: dt.date = Field(description="出生日期")
    id_number_masked: str = Field(description="身份证号（已脱敏）")
    education: str = Field(description="学历")
    org_id: int = Field(description="所在党支部编号")
    org_name: str = Field(description="所在党支部")
    joined_date: dt.date = Field(description="入党时间")
    status: str = Field(description="党员类别")
    occupation: str = Field(description="人员类别")
    left_date: dt.date | None = Field(description="减少日期（status=left 时；现有党员为空）")
    left_reason: str = Field(description="减少原因（现有党员为空）")


class MemberPage(PageOut):
    """党员名册的一页。"""

    items: list[MemberRow] = Field(description="本页党员")


class AffiliationOut(Schema):
    """组织关系（隶属关系）一段。"""

    org_id: int = Field(description="党支部编号")
    org_name: str = Field(description="党支部")
    start: dt.date = Field(description="转入日期")
    end: dt.date | None = Field(description="转出日期（空为至今）")
    document_no: str = Field(description="介绍信编号")
    reason: str = Field(description="原因（如 组织关系转接、入党）")


class MembershipOut(Schema):
    """党员信息。"""

    status: str = Field(description="党员类别")
    org_id: int = Field(description="所在党支部编号")
    org_name: str = Field(description="所在党支部")
    joined_date: dt.date = Field(description="入党时间")
    confirmed_date: dt.date | None = Field(description="转正时间")
    occupation: str = Field(description="人员类别")
    party_years: int | None = Field(
        description="党龄（年），从转正之日算起（《中国共产党章程》第七条）；预备党员或未填转正时间的为空"
    )
    left_date: dt.date | None = Field(description="减少日期（空为现有党员）")
    left_reason: str = Field(description="减少原因：死亡、开除党籍、除名、退党、停止党籍、组织关系转出本市；现有党员为空")
    affiliations: list[AffiliationOut] = Field(description="组织关系历史（按时间先后）")


class PostOut(Schema):
    """现任职务。"""

    title: str = Field(description="职务名称")
    unit_name: str = Field(description="单位")
    team_id: int | None = Field(description="领导班子编号")
    post_level: str = Field(description="职务级别")
    start: dt.date = Field(description="任职时间")
    document_no: str = Field(description="任职文号")
    is_concurrent: bool = Field(description="是否兼任")


class CadreOut(Schema):
    """干部信息。"""

    unit_name: str = Field(description="工作单位")
    management_level: str = Field(description="管理权限")
    post_level: str = Field(description="职务级别")
    rank: str = Field(description="职级（现任，如二级调研员；无职级为空字符串）")
    rank_start: dt.date | None = Field(description="任现职级时间")
    posts: list[PostOut] = Field(description="现任职务（只任职级的干部为空）")


class PersonOut(Schema):
    """人员信息（身份证号已脱敏）。"""

    person_id: int = Field(description="人员编号")
    name: str = Field(description="姓名")
    gender: str = Field(description="性别")
    ethnicity: str = Field(description="民族")
    birth_date: dt.date = Field(description="出生日期")
    age: int = Field(description="年龄（周岁）")
    id_number_masked: str = Field(description="身份证号（已脱敏）")
    education: str = Field(description="学历")
    membership: MembershipOut | None = Field(description="党员信息（非党员为空）")
    cadre: CadreOut | None = Field(description="干部信息（非干部为空）")


def member_row(m) -> dict:
    """One PartyMember (with person and org loaded) as a MemberRow dict."""
    p = m.person
    return {
        "person_id": p.pk, "name": p.name, "gender": p.gender_label, "ethnicity": p.ethnicity_label,
        "birth_date": p.birth_date, "id_number_masked": p.id_number_masked, "education": p.education_label,
        "org_id": m.org_id, "org_name": m.org.name, "joined_date": m.joined_date,
        "status": m.get_status_display(), "occupation": m.occupation_label,
        "left_date": m.left_date, "left_reason": m.get_left_reason_display(),
    }


@router.get("/", response=MemberPage, summary="党员名册（分页）")
def member_list(request, query: Query[MemberQuery]):
    """Members in the user's subtree with the filters of the 党员名册 page; 404 for an org outside it."""
    scope = scope_for(request.user)
    params = {k: str(v) for k, v in query.dict().items() if v is not None}
    qs = selectors.members_search(scope, selectors.MemberFilters.from_params(params))
    return paginate(qs, query, member_row)


@router.get("/{person_id}", response=PersonOut, summary="人员信息")
def person_detail(request, person_id: int):
    """A person in the user's subtree (member or cadre) with membership history and current posts; 404 outside."""
    scope = scope_for(request.user)
    prof = selectors.person_profile(scope, person_id)
    p, m, c = prof.person, prof.member, prof.cadre
    return {
        "person_id": p.pk, "name": p.name, "gender": p.gender_label, "ethnicity": p.ethnicity_label,
        "birth_date": p.birth_date, "age": prof.age, "id_number_masked": p.id_number_masked,
        "education": p.education_label,
        "membership": None if m is None else {
            "status": m.get_status_display(), "org_id": m.org_id, "org_name": m.org.name,
            "joined_date": m.joined_date, "confirmed_date": m.confirmed_date, "occupation": m.occupation_label,
            "party_years": prof.party_years, "left_date": m.left_date, "left_reason": m.get_left_reason_display(),
            "affiliations": [{"org_id": a.org_id, "org_name": a.org.name, "start": a.start, "end": a.end,
                              "document_no": a.document_no, "reason": a.reason} for a in prof.affiliations],
        },
        "cadre": None if c is None else {
            "unit_name": c.unit.name, "management_level": c.get_management_level_display(),
            "post_level": c.get_post_level_display(),
            "rank": prof.rank.get_rank_display() if prof.rank else "", "rank_start": prof.rank.start if prof.rank else None,
            "posts": [{"title": a.post.title, "unit_name": a.post.unit.name, "team_id": a.post.team_id,
                       "post_level": a.post.get_post_level_display(), "start": a.start,
                       "document_no": a.document_no, "is_concurrent": a.is_concurrent} for a in prof.appointments],
        },
    }
