"""Pages of team structure, the "缺配年轻干部" list, young-cadre thresholds and appointments (issue 4 §1).

Thin: reads through ``selectors``, writes through ``services.career``; a RuleViolation becomes an
error message on the same page, PermissionDenied a 403, a stranger's object a 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zugong.cadres import rules, selectors
from zugong.cadres.access import cadre_get, may_manage_team, require_manage_team
from zugong.cadres.forms import AppointmentForm, QuotaForm, RankForm, RemovalForm, ThresholdForm
from zugong.cadres.models import Appointment, ReserveEntry, ReserveStatus, TeamScorePart, YoungThreshold
from zugong.cadres.selectors_appraisal import team_score
from zugong.cadres.selectors_reserve import gap_candidates_for
from zugong.cadres.services import career
from zugong.cadres.views_common import invalid, post_back
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.models import Role
from zugong.core.paging import TailPaginator
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response
from zugong.members.views import query_without_page
from zugong.orgs.selectors import unit_get
from zugong.stats.selectors import CADRE_AGE_BANDS, parse_date


def as_of(request) -> dt.date:
    """The ``on`` query parameter (YYYY-MM-DD), today when absent; Http404 for garbage."""
    return parse_date(request.GET.get("on"))


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        raise Http404("年度不正确") from None


def _unit(request, scope):
    raw = request.GET.get("unit")
    return unit_get(scope, raw) if raw else None


@login_required
def team_list(request):
    """领导班子 structure on a date for the scope or a unit subtree: age bands, young, women, non-party,
    education, 职数 filled/authorized, 50 teams a page (the city's 543 in one table were 19,000 pixels
    tall), with the subtree totals (distinct cadres)."""
    scope = scope_for(request.user)
    on, unit = as_of(request), _unit(request, scope)
    path = unit.path if unit else None
    page = TailPaginator(selectors.team_structure(scope, on, unit_path=path), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    teams = page.object_list
    for t in teams:
        t.bands = [getattr(t, f"band_{i}") for i in range(len(CADRE_AGE_BANDS))]
        t.gaps = selectors.gap_reasons(t) if t.size else []
        t.excess = selectors.quota_excesses(t)
    return render(request, "cadres/teams.html", {
        "teams": teams, "page": page, "query": query_without_page(request), "on": on, "unit": unit,
        "bands": [b[0] for b in CADRE_AGE_BANDS],
        "totals": selectors.structure_totals(scope, on, unit_path=path),
        "thresholds": [(codes.label("post_level", k), v) for k, v in sorted(selectors.young_thresholds().items())],
    })  # fmt: skip


@login_required
def team_export(request):
    """班子成员名册 (.xlsx; in team and post order, ``sort=stroke``: 姓氏笔画) of the teams page's
    selection (``on``, ``unit``) or one ``team``."""
    scope = scope_for(request.user)
    on, unit = as_of(request), _unit(request, scope)
    team = selectors.team_get(scope, request.GET["team"]) if request.GET.get("team") else None
    content = career.team_roster_export(actor=Actor.from_request(request), scope=scope, on=on, unit_path=unit.path if unit else None,
                                        team=team, by_strokes=request.GET.get("sort") == "stroke")  # fmt: skip
    return xlsx_response(content, f"{team.name if team else '领导班子'}成员名册.xlsx")


@login_required
def gap_list(request):
    """缺配年轻干部: teams lacking a young cadre, a woman or a post holder on a date, with the reasons
    and the reserve-pool candidates who could fill each gap."""
    scope = scope_for(request.user)
    on, unit = as_of(request), _unit(request, scope)
    # one query for every team with a gap (≤ the subtree's ~550 teams) instead of a COUNT and a page,
    # each of which computes the same per-team aggregates of every team before filtering
    gaps = list(selectors.teams_with_gaps(scope, on, unit_path=unit.path if unit else None))
    page = Paginator(gaps, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    pool_open = ReserveEntry.objects.filter(status=ReserveStatus.IN_POOL, cadre__unit__path__startswith=scope.unit_path).exists()
    candidates = gap_candidates_for(scope, page.object_list, on) if pool_open else {}  # four queries for the page
    for t in page.object_list:
        t.gaps = selectors.gap_reasons(t)
        t.candidates = candidates.get(t.pk, [])
    return render(request, "cadres/gaps.html", {"teams": page, "page": page, "on": on, "unit": unit, "query": query_without_page(request),
                                                "pool_open": pool_open})  # fmt: skip


@login_required
def thresholds(request):
    """年轻干部年龄标准 per 职务级别; the city administrator changes them (audited)."""
    scope = scope_for(request.user)
    if request.method == "POST":
        form = ThresholdForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请检查职务级别和年龄")
        else:
            try:
                career.young_threshold_set(actor=Actor.from_request(request), scope=scope, **form.cleaned_data)
                messages.success(request, "已保存")
            except rules.RuleViolation as exc:
                messages.error(request, str(exc))
        return redirect("cadres:thresholds")
    rows = YoungThreshold.objects.all()
    return render(request, "cadres/thresholds.html", {"rows": rows, "levels": codes.POST_LEVEL, "editable": scope.role == Role.CITY_ADMIN})


def _search_text(request) -> str:
    """The 任职 picker's search text (``q``), without whitespace, at most 60 characters."""
    return "".join((request.GET.get("q") or "").split())[:60]


@login_required
def team_detail(request, team_id: int):
    """A leadership team on a date: members with posts, ranks and ages, 职数 with 超配 flags, vacancies;
    forms for administrators to appoint (the cadre found by ``q``, see :func:`team_candidates`; without
    JavaScript the search reloads this page), remove and set the 职数 (404 outside the subtree)."""
    scope = scope_for(request.user)
    team = selectors.team_get(scope, team_id)
    on = as_of(request)
    figures = selectors.team_structure(scope, on).get(pk=team.pk)
    can_write = may_manage_team(scope, team)
    q = _search_text(request) if can_write else ""
    candidates, more = selectors.team_candidates(scope, team, q) if q else ([], False)
    return render(request, "cadres/team.html", {
        "team": team, "on": on, "figures": figures, "gaps": selectors.gap_reasons(figures) if figures.size else [],
        "excess": selectors.quota_excesses(figures),
        "rows": selectors.team_members_on(team, on), "posts": team.posts.all(),
        "can_write": can_write,
        "kinds": rules.POST_KINDS, "today": timezone.localdate(), "rank_labels": rules.RANK_LABELS,
        "quotas": {quota.kind: quota for quota in team.quotas.all()},
        "score": team_score(team, _year(request), scope), "score_parts": TeamScorePart.objects.all(),
        "q": q, "candidates": candidates, "more": more, "limit": selectors.CANDIDATE_LIMIT,
    })  # fmt: skip


@login_required
def team_candidates(request, team_id: int):
    """The 任职 picker's results (htmx fragment): cadres the user may appoint matching ``q`` (姓名,
    拼音首字母 or 身份证号), each with 性别, 出生年月 and 现工作单位及职务, as radio buttons named
    ``cadre`` inside the 任职 form. 404 outside the subtree, 403 for read-only roles and for a county
    administrator on a 市管 team (as the 任职 itself)."""
    scope = scope_for(request.user)
    team = selectors.team_get(scope, team_id)
    require_manage_team(scope, team)
    q = _search_text(request)
    candidates, more = selectors.team_candidates(scope, team, q)
    return render(request, "cadres/_team_candidates.html", {"q": q, "candidates": candidates, "more": more, "limit": selectors.CANDIDATE_LIMIT})


@login_required
@require_POST
def team_appoint(request, team_id: int):
    """任职 to a post of the team: the cadre by id (chosen on the page), the post, date and document."""
    scope = scope_for(request.user)
    team = selectors.team_get(scope, team_id)
    if not scope.is_admin:
        raise PermissionDenied("当前角色为只读")
    require_manage_team(scope, team)  # a 市管 team: the city administrator's (checked again by the service)
    form = AppointmentForm(request.POST)
    target = f"{request.path.rsplit('/', 2)[0]}/"
    if not form.is_valid():
        return invalid(request, target, "请完整填写职务、干部、任职时间和任职文号")
    d = form.cleaned_data
    post = team.posts.filter(pk=d["post"]).first()
    if post is None:
        raise Http404("职务不属于该班子")
    cadre = cadre_get(scope, d["cadre"])
    return post_back(request, target, lambda: career.appointment_create(
        actor=Actor.from_request(request), scope=scope, cadre=cadre, post=post, start=d["start"],
        document_no=d["document_no"], is_concurrent=d["is_concurrent"]))  # fmt: skip


@login_required
@require_POST
def team_remove(request, team_id: int):
    """免职 of a running appointment to a post of the team."""
    scope = scope_for(request.user)
    team = selectors.team_get(scope, team_id)
    require_manage_team(scope, team)  # a 市管 team: the city administrator's (checked again by the service)
    form = RemovalForm(request.POST)
    target = f"{request.path.rsplit('/', 2)[0]}/"
    if not form.is_valid():
        return invalid(request, target, "请填写免职时间和免职文号")
    d = form.cleaned_data
    appt = Appointment.objects.filter(pk=d["appointment"], post__team=team).first()
    if appt is None:
        raise Http404("任职记录不存在")
    return post_back(request, target, lambda: career.appointment_end(
        actor=Actor.from_request(request), scope=scope, appointment=appt, end=d["end"],
        removal_document_no=d["removal_document_no"]))  # fmt: skip


@login_required
@require_POST
def team_quota(request, team_id: int):
    """核定职数 of the team (正职/副职). A number below the current staffing is saved with a warning that
    names the 超配 (``rules.quota_excess_note``)."""
    scope = scope_for(request.user)
    team = selectors.team_get(scope, team_id)
    form = QuotaForm(request.POST)
    target = f"{request.path.rsplit('/', 2)[0]}/"
    if not form.is_valid():
        return invalid(request, target, "请填写职数类别和数量")
    try:
        quota = career.post_quota_set(actor=Actor.from_request(request), scope=scope, team=team, **form.cleaned_data)
    except rules.RuleViolation as exc:
        return invalid(request, target, str(exc))
    holders = career.quota_holders(team, quota.kind, timezone.localdate())
    note = rules.quota_excess_note(kind=quota.kind, quota=quota.number, holders=holders)
    if note:  # saved all the same: a quota may be cut ahead of a reshuffle
        messages.warning(request, f"已保存。注意：{note}。")
    else:
        messages.success(request, "已保存")
    return redirect(target)


@login_required
@require_POST
def cadre_rank(request, cadre_id: int):
    """任职级 for a cadre (from the cadre's record page)."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    form = RankForm(request.POST)
    target = f"/cadres/{cadre.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请选择职级并填写时间")
    return post_back(request, target, lambda: career.rank_grant(actor=Actor.from_request(request), scope=scope, cadre=cadre, **form.cleaned_data))
