"""Statistics pages: dashboard (统计总览), speech figures (讲话数据), structure tables (统计报表), exports.

Every page takes ?org=<党组织 id> or ?unit=<单位 id> (a node inside the user's subtree; 404
otherwise) and ?date=YYYY-MM-DD (default today); users without a role get 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from zugong.core import xlsx
from zugong.core.scope import Scope, scope_for
from zugong.orgs.models import PartyOrganization, Unit
from zugong.stats import reports
from zugong.stats import selectors as s
from zugong.work import selectors as work_selectors

TEAM_SORTS = {"-avg": "平均年龄从高到低", "avg": "平均年龄从低到高", "-size": "人数从多到少", "name": "按单位顺序"}


def _target(request) -> tuple[Scope, s.Target]:
    scope = scope_for(request.user)
    on = s.parse_date(request.GET.get("date"))
    return scope, s.resolve_target(scope, org_id=request.GET.get("org"), unit_id=request.GET.get("unit"), on=on)


def _query(target: s.Target, **extra) -> str:
    """The query string that selects ``target`` again (for links and exports)."""
    from urllib.parse import urlencode

    params = {"date": target.on.isoformat()}
    if not target.is_scope_root:
        if target.org_id and target.member_unit_path is None:
            params["org"] = target.org_id
        elif target.unit_id:
            params["unit"] = target.unit_id
    params.update(extra)
    return urlencode(params)


def _picker(scope: Scope, target: s.Target) -> dict:
    """Breadcrumb (scope root → current org node) and the children of the current node."""
    path = target.org_path
    prefixes = [path[:i] for i in range(len(scope.org_path), len(path) + 1, 4)]
    crumbs = list(PartyOrganization.objects.filter(path__in=prefixes).order_by("path").only("id", "name", "path"))
    current = crumbs[-1] if crumbs else None
    children = (
        PartyOrganization.objects.filter(parent_id=current.pk).order_by("path").only("id", "name") if current else []
    )
    unit = None
    if target.member_unit_path is not None:
        unit = Unit.objects.filter(path=target.member_unit_path).only("id", "name").first()
    return {"crumbs": crumbs, "children": children, "current": current, "unit": unit}


def _common(scope: Scope, target: s.Target) -> dict:
    return {
        "target": target,
        "as_of": reports.as_of_text(target.on),
        "picker": _picker(scope, target),
        "query": _query(target),
        "where": "全市" if target.is_scope_root and len(scope.unit_path) == 4 else target.name,
    }


@login_required
def dashboard(request):
    """统计总览: KPI cards, ECharts charts and the speech figures of the chosen subtree and date."""
    scope, target = _target(request)
    data = reports.overview(target)
    m = data["members"]
    charts = {
        "age": [[r.label, r.count] for r in m["age"].rows],
        "gender": [["男", data["counts"]["total"] - data["counts"]["women"]], ["女", data["counts"]["women"]]],
        "education": [[r.label, r.count] for r in m["education"].rows],
        "occupation": [[r.label, r.count] for r in m["occupation"].rows],
        "orgs": [[r.label, r.count] for r in data["orgs"]["by_kind"].rows[1:]],
        "org_units": [[r.label, r.count] for r in data["orgs"]["by_unit"].rows],
        "cadre_bands": [b for b, _lo, _hi in s.CADRE_AGE_BANDS],
        "cadres": [{"name": c["label"], "data": [r.count for r in c["bands"]]} for c in data["cadres"][:2]],
        "team_hist": [list(x) for x in data["team_histogram"]],
    }
    flagged = work_selectors.flagged_tasks(scope, today=target.on)
    ctx = _common(scope, target) | {
        "data": data,
        "charts": charts,
        "flagged": list(flagged[:8]),
        "flagged_count": flagged.count(),
        "oldest": data["teams"][:8],
        "youngest": list(reversed(data["teams"][-8:])) if len(data["teams"]) > 8 else [],
    }
    return render(request, "stats/dashboard.html", ctx)


@login_required
def figures(request):
    """讲话数据: the five speech figures as sentences, a row per county (or town), and the team list."""
    scope, target = _target(request)
    data = reports.overview(target)
    order = request.GET.get("sort", "-avg")
    if order not in TEAM_SORTS:
        order = "-avg"
    teams = s.team_ages(target, order=order) if order != "-avg" else data["teams"]
    show_all = request.GET.get("all") == "1"
    ctx = _common(scope, target) | {
        "data": data,
        "teams": teams if show_all else teams[:100],
        "team_count": len(teams),
        "show_all": show_all,
        "sorts": TEAM_SORTS,
        "sort": order,
        "labels": s.FIGURE_LABELS,
        "export_url": reverse("stats:figures_export") + "?" + _query(target),
    }
    return render(request, "stats/figures.html", ctx)


@login_required
def figures_export(request):
    """讲话数据.xlsx of the chosen subtree and date."""
    _scope, target = _target(request)
    content = reports.figures_xlsx(target, reports.overview(target))
    return xlsx.xlsx_response(content, f"{target.name}讲话数据{target.on:%Y%m%d}.xlsx")


@login_required
def tables(request):
    """统计报表: the member and organization structure tables in the bulletin's order."""
    scope, target = _target(request)
    data = reports.overview(target)
    ctx = _common(scope, target) | {
        "data": data,
        "export_url": reverse("stats:tables_export") + "?" + _query(target),
    }
    return render(request, "stats/tables.html", ctx)


@login_required
def tables_export(request):
    """统计报表.xlsx: sheets 党员基本情况, 党员职业, 入党时间, 基层党组织."""
    _scope, target = _target(request)
    content = reports.tables_xlsx(target, reports.overview(target))
    return xlsx.xlsx_response(content, f"{target.name}党内统计表{target.on:%Y%m%d}.xlsx")
