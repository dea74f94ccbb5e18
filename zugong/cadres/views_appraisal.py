"""Pages of appraisal (issue 4 §2–3): rounds, grading, closing under the quota, exports, team scores,
routine appraisals, evidence and the incentive list. Thin: reads via selectors, writes via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zugong.cadres import rules, selectors
from zugong.cadres import selectors_appraisal as sa
from zugong.cadres.access import cadre_get, may_manage
from zugong.cadres.forms import EvidenceForm, GradeForm, RoundForm, RoutineForm, TeamScoreForm
from zugong.cadres.models import NotGraded, RoundStatus, TeamScorePart, UnitCategory
from zugong.cadres.services import appraisal, evidence
from zugong.cadres.views_common import invalid, post_back
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response
from zugong.members.views import query_without_page
from zugong.orgs.models import Unit, UnitKind
from zugong.orgs.selectors import unit_get


@login_required
def round_list(request):
    """年度考核 rounds in scope; administrators open a new round (GET lists, POST opens)."""
    scope = scope_for(request.user)
    if request.method == "POST":
        form = RoundForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请完整填写单位、年度、类别、优秀比例和取整规则")
            return redirect("cadres:rounds")
        d = form.cleaned_data
        unit = unit_get(scope, d.pop("unit"))
        try:
            rnd = appraisal.round_open(actor=Actor.from_request(request), scope=scope, unit=unit, **d)
        except rules.RuleViolation as exc:
            messages.error(request, str(exc))
            return redirect("cadres:rounds")
        return redirect("cadres:round", round_id=rnd.pk)
    units = (Unit.objects.filter(path__startswith=scope.unit_path)
             .exclude(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]).order_by("path")[:400])  # fmt: skip
    f = sa.RoundFilters.from_params(request.GET)
    page = Paginator(sa.rounds_in_scope(scope, f), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cadres/rounds.html", {
        "page": page, "f": f, "years": sa.round_years(scope), "statuses": RoundStatus.choices, "query": query_without_page(request),
        "units": units, "categories": UnitCategory.choices,
        "roundings": rules.ROUNDINGS, "year": sa.default_round_year(timezone.localdate()), "can_write": scope.is_admin,
    })  # fmt: skip


def _round_context(scope, rnd, f: dict | None = None) -> dict:
    """What every rendering of a round (page, graded row) needs: figures, choices, the quota message."""
    f = f or sa.round_figures(rnd)
    return {
        "round": rnd, "f": f, "grades": rules.GRADES, "not_graded": NotGraded.choices, "source": rules.SOURCE_APPRAISAL_QUOTA,
        "can_write": scope.is_admin and rnd.status == "open", "ratio_percent": rnd.excellent_ratio * 100,
        "excellent_share": f["excellent"] * 100 / f["graded_base"] if f["graded_base"] else None, "warning": sa.quota_warning(f),
    }  # fmt: skip


def _back(rnd, raw: str) -> str:
    """The round page with the filters and page of ``raw`` (a query string), rebuilt from known keys only."""
    params = QueryDict(raw)
    page = params.get("page", "")
    query = sa.EntryFilters.from_params(params).query(int(page) if page.isdigit() else None)
    return reverse("cadres:round", args=[rnd.pk]) + (f"?{query}" if query else "")


@login_required
def round_detail(request, round_id: int):
    """A round: the theoretical and actual number of 优秀, and one page of participants (filtered by
    name or pinyin initials, unit and 等次) with their grades."""
    scope = scope_for(request.user)
    rnd = sa.round_get(scope, round_id)
    filters = sa.EntryFilters.from_params(request.GET)
    page = Paginator(sa.round_entries(rnd, filters), sa.ROUND_PAGE_SIZE).get_page(request.GET.get("page"))
    for e in page.object_list:  # a 市管 participant of a county's round is graded by the city: shown, not editable
        e.read_only = not may_manage(scope, e.cadre)
    ctx = _round_context(scope, rnd)
    return render(request, "cadres/round.html", {
        **ctx, "page": page, "page_size": sa.ROUND_PAGE_SIZE, "filters": filters, "query": filters.query(),
        "back": filters.query(page.number), "units": sa.round_units(rnd), "grade_filters": sa.grade_filter_choices(ctx["f"]),
    })  # fmt: skip


@login_required
@require_POST
def round_add(request, round_id: int):
    """Add the round's candidates (领导班子: the teams' members; otherwise every cadre of the unit subtree)
    that the user manages and that are not yet appraised that year."""
    scope = scope_for(request.user)
    rnd = sa.round_get(scope, round_id)
    target = f"/cadres/appraisal/{rnd.pk}/"
    return post_back(request, target, lambda: appraisal.round_add_participants(actor=Actor.from_request(request), scope=scope, round=rnd), "已添加参加考核人员")


@login_required
@require_POST
def round_grade(request, round_id: int):
    """Set one participant's grade / not-graded reason / ranking. htmx gets the row back with the
    figures and the message (out of band); a plain form post goes back to the same page and filters."""
    scope = scope_for(request.user)
    rnd = sa.round_get(scope, round_id)
    entry = sa.entry_get(rnd, request.POST.get("entry"))
    form = GradeForm(request.POST)
    error = "" if form.is_valid() else "等次不正确"
    if not error:
        d = form.cleaned_data
        try:
            appraisal.entry_grade(actor=Actor.from_request(request), scope=scope, entry=entry, grade=d["grade"],
                                  not_graded=d["not_graded"], ranking=d["ranking"])  # fmt: skip
        except rules.RuleViolation as exc:
            error = str(exc)
    return _graded(request, scope, rnd, entry, error)


def _graded(request, scope, rnd, entry, error: str):
    """The answer to a grading POST: the row and figures (htmx), or messages and a redirect back."""
    entry.refresh_from_db(fields=["grade", "not_graded", "ranking"])
    ctx = _round_context(scope, rnd)
    back = _back(rnd, request.POST.get("back", ""))
    if request.htmx:
        n = request.POST.get("n", "")
        return render(request, "cadres/_round_graded.html", {**ctx, "e": entry, "error": error, "saved": not error, "oob": True,
                                                             "n": int(n) if n.isdigit() else None, "back": back.partition("?")[2]})  # fmt: skip
    if error:
        messages.error(request, f"{entry.cadre.person.name}：{error}")
    else:
        messages.success(request, f"已保存：{entry.cadre.person.name}")
    if ctx["warning"]:
        messages.warning(request, ctx["warning"])
    return redirect(f"{back}#entry-{entry.pk}")


@login_required
@require_POST
def round_close(request, round_id: int):
    """Close the round; refused with the figures when over the quota or not everyone is graded."""
    scope = scope_for(request.user)
    rnd = sa.round_get(scope, round_id)
    target = f"/cadres/appraisal/{rnd.pk}/"
    return post_back(request, target, lambda: appraisal.round_close(actor=Actor.from_request(request), scope=scope, round=rnd,
                                                                on=timezone.localdate()), "考核已结束")  # fmt: skip


@login_required
def round_export(request, round_id: int):
    """The round's results as .xlsx, 姓氏笔画 order, audited."""
    scope = scope_for(request.user)
    rnd = sa.round_get(scope, round_id)
    content = appraisal.round_export(actor=Actor.from_request(request), scope=scope, round=rnd)
    return xlsx_response(content, f"{rnd.unit.name}{rnd.year}年度考核结果.xlsx")


@login_required
@require_POST
def team_score(request, team_id: int):
    """Record one part of a team's "1+N" score."""
    scope = scope_for(request.user)
    team = selectors.team_get(scope, team_id)
    form = TeamScoreForm(request.POST)
    target = f"/cadres/teams/{team.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请填写年度、评分项和得分")
    d = form.cleaned_data
    part = TeamScorePart.objects.filter(pk=d["part"]).first()
    if part is None:
        raise Http404("评分项不存在")
    return post_back(request, target, lambda: appraisal.team_score_set(actor=Actor.from_request(request), scope=scope, team=team,
                                                                   year=d["year"], part=part, value=d["value"]))  # fmt: skip


@login_required
@require_POST
def cadre_routine(request, cadre_id: int):
    """Record a routine (quarterly) or special appraisal on the cadre's record page."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    form = RoutineForm(request.POST)
    target = f"/cadres/{cadre.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请完整填写考核信息")
    return post_back(request, target, lambda: appraisal.routine_record(actor=Actor.from_request(request), scope=scope, cadre=cadre, **form.cleaned_data))


@login_required
@require_POST
def cadre_evidence(request, cadre_id: int):
    """Record an evidence item (考核依据) on the cadre's record page."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    form = EvidenceForm(request.POST)
    target = f"/cadres/{cadre.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请完整填写类别、日期、事项和来源文件")
    return post_back(request, target, lambda: evidence.evidence_record(actor=Actor.from_request(request), scope=scope, cadre=cadre, **form.cleaned_data))


@login_required
def incentive_list(request):
    """同等条件下优先: cadres of the selection (filters of the 干部名册) with an incentive flag."""
    scope = scope_for(request.user)
    filters = selectors.CadreFilters.from_params(request.GET)
    qs = sa.incentive_candidates(selectors.cadres_search(scope, filters))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(evidence.incentive_export(actor=Actor.from_request(request), scope=scope, cadres=qs), "优先使用干部名单.xlsx")
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for c in page.object_list:
        c.flags = sa.incentive_flags(c)
    return render(request, "cadres/incentives.html", {"page": page, "f": filters, "query": query_without_page(request)})
