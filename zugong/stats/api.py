"""Statistics API (/api/stats/…): the same numbers as the pages, scoped the same way.

Query parameters of every endpoint: ``org`` (党组织 id) or ``unit`` (单位 id) inside the user's
subtree (404 otherwise), ``date`` (YYYY-MM-DD, default today). Users without a role get 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from zugong.core.scope import scope_for
from zugong.stats import reports
from zugong.stats import selectors as s

router = Router(tags=["统计"])


class RowOut(Schema):
    label: str
    count: int
    share: Decimal | None = None


class SectionOut(Schema):
    title: str
    base: int
    rows: list[RowOut]


class MembersOut(Schema):
    name: str
    date: dt.date
    total: int
    sections: list[SectionOut]
    orgs: list[SectionOut]


class FigureOut(Schema):
    key: str
    label: str
    numerator: int
    denominator: int
    value: Decimal | None = None
    unit: str
    definition: str


class ChildFiguresOut(Schema):
    unit_id: int
    unit_name: str
    figures: list[FigureOut]


class FiguresOut(Schema):
    name: str
    date: dt.date
    figures: list[FigureOut]
    children: list[ChildFiguresOut]


class CadreLevelOut(Schema):
    level: str
    label: str
    total: int
    bands: list[RowOut]


class TeamOut(Schema):
    id: int
    name: str
    management_level: str
    size: int
    age_sum: int
    avg: Decimal | None = None


class CadresOut(Schema):
    name: str
    date: dt.date
    levels: list[CadreLevelOut]
    teams: list[TeamOut]


def _load(request, org: int | None, unit: int | None, date: dt.date | None):
    scope = scope_for(request.user)
    target = s.resolve_target(scope, org_id=org, unit_id=unit, on=date or s.parse_date(None))
    return target, reports.overview(target)


def _section(sec: s.Section) -> dict:
    return {"title": sec.title, "base": sec.base, "rows": [r.__dict__ for r in sec.rows]}


@router.get("/members", response=MembersOut, summary="党员结构（公报口径）与基层党组织")
def members(request, org: int | None = None, unit: int | None = None, date: dt.date | None = None):
    """Member structure (bulletin categories, counts and % of the total) and grassroots organizations of
    the subtree (``org`` or ``unit`` inside the user's scope, else 404) as of ``date`` (default today)."""
    target, data = _load(request, org, unit, date)
    return {
        "name": target.name,
        "date": target.on,
        "total": data["counts"]["total"],
        "sections": [_section(sec) for sec in data["members"].values()],
        "orgs": [_section(sec) for sec in data["orgs"].values()],
    }


@router.get("/figures", response=FiguresOut, summary="讲话数据（分子、分母、百分比）及分地区")
def figures(request, org: int | None = None, unit: int | None = None, date: dt.date | None = None):
    """The five speech figures (numerator, denominator, % or years) of the subtree and of each child
    county/town, as of ``date``; scoped like ``members``."""
    target, data = _load(request, org, unit, date)
    return {
        "name": target.name,
        "date": target.on,
        "figures": [f.as_dict() for f in data["figures"]],
        "children": [
            {"unit_id": c["unit"].pk, "unit_name": c["unit"].name, "figures": [f.as_dict() for f in c["figures"]]}
            for c in data["children"]
        ],
    }


@router.get("/cadres", response=CadresOut, summary="干部年龄结构（按管理权限）与领导班子平均年龄")
def cadres(request, org: int | None = None, unit: int | None = None, date: dt.date | None = None):
    """Cadre age bands (full years) per management level and each leadership team's average age (years,
    1 decimal) as of ``date``; scoped like ``members``."""
    target, data = _load(request, org, unit, date)
    return {
        "name": target.name,
        "date": target.on,
        "levels": [
            {"level": c["level"], "label": c["label"], "total": c["total"], "bands": [b.__dict__ for b in c["bands"]]}
            for c in data["cadres"]
        ],
        "teams": data["teams"],
    }
