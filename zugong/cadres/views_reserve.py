"""Pages of the reserve pool, up-and-down case files and error tolerance (issue 4 §3–4). Thin."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zugong.cadres import procedures, rules, selectors
from zugong.cadres import selectors_reserve as sr
from zugong.cadres.access import cadre_get, may_manage, require_admin_of
from zugong.cadres.forms import (
    CaseCompleteForm,
    CaseForm,
    CaseStepForm,
    DevelopmentForm,
    FollowUpForm,
    PoolTargetForm,
    ReserveForm,
    ReserveStatusForm,
    ToleranceForm,
)
from zugong.cadres.models import Evidence, ManagementLevel, Post, ReserveStatus, Sector
from zugong.cadres.services import reserve
from zugong.cadres.views_common import invalid, post_back
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.models import Role
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response
from zugong.members.views import query_without_page
from zugong.orgs.models import STEP


@login_required
def pool_list(request):
    """后备干部库 by 类别/行业/领域/状态 with its structure (active entries) and the .xlsx export."""
    scope = scope_for(request.user)
    f = sr.PoolFilters.from_params(request.GET)
    qs = sr.pool(scope, f)
    today = timezone.localdate()
    try:  # the target comparison may be read as of another date (?on=YYYY-MM-DD)
        on = dt.date.fromisoformat(request.GET.get("on") or "")
    except ValueError:
        on = today
    targets = sr.pool_targets(scope, on)
    if request.GET.get("format") == "xlsx":
        content = reserve.reserve_export(actor=Actor.from_request(request), scope=scope, entries=qs, targets=targets, on=on)
        return xlsx_response(content, "后备干部名单.xlsx")
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cadres/pool.html", {
        "entries": page, "page": page, "f": f, "structure": sr.pool_structure(qs, today), "today": today,
        "targets": targets, "targets_on": on, "may_set_targets": scope.is_admin, "target_form": PoolTargetForm(), "sectors": Sector.choices,
        "choices": {"category": codes.POST_LEVEL, "sector": Sector.choices, "status": ReserveStatus.choices},
        "query": query_without_page(request),
    })  # fmt: skip


@login_required
@require_POST
def pool_target_set(request):
    """Set the structure targets of the pool below the user's root unit (administrators only)."""
    from zugong.orgs.models import Unit

    scope = scope_for(request.user)
    unit = Unit.objects.get(pk=scope.unit_id)
    require_admin_of(scope, unit.path)  # 403 for read-only roles before any validation
    form, target = PoolTargetForm(request.POST), "cadres:pool"
    if not form.is_valid():
        return invalid(request, target, "请正确填写结构目标（比例0–100，年龄18–70，人数不小于0）")
    return post_back(request, target, lambda: reserve.pool_target_set(actor=Actor.from_request(request), scope=scope, unit=unit, **form.service_kwargs()))


@login_required
@require_POST
def reserve_add(request, cadre_id: int):
    """列入后备干部库 from the cadre's record page (administrators of the cadre's subtree)."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    form, target = ReserveForm(request.POST), f"/cadres/{cadre.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请完整填写后备干部信息")
    return post_back(request, target, lambda: reserve.reserve_add(actor=Actor.from_request(request), scope=scope, cadre=cadre, **form.cleaned_data))


class StatusNoteForm(forms.Form):
    """The optional reason and document of a status change (kept in the status history)."""

    reason = forms.CharField(label="变更原因", max_length=200, required=False)
    document_no = forms.CharField(label="依据文件", max_length=60, required=False)


@login_required
def reserve_entry(request, entry_id: int):
    """A pool entry (后备干部): category, sector, route, current status, its dated status history
    (from → to, date, by whom, reason, document), development records; the status form for managers.
    404 outside the subtree."""
    scope = scope_for(request.user)
    entry = sr.entry_get(scope, entry_id)
    return render(request, "cadres/reserve_entry.html", {
        "entry": entry, "history": sr.status_history(entry), "developments": entry.developments.all(),
        "can_write": may_manage(scope, entry.cadre) and entry.status in sr.ACTIVE, "statuses": ReserveStatus.choices,
        "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@require_POST
def reserve_status(request, entry_id: int):
    """Change a pool entry's status along the allowed paths (在库 → 已列为考察对象 → 已使用 / 已撤销资格),
    with an optional reason and document; back to the entry page when posted from there."""
    scope = scope_for(request.user)
    entry = sr.entry_get(scope, entry_id)
    form, note = ReserveStatusForm(request.POST), StatusNoteForm(request.POST)
    target = f"/cadres/reserve/{entry.pk}/" if request.POST.get("back") == "entry" else f"/cadres/{entry.cadre_id}/"
    if not form.is_valid() or not note.is_valid():
        return invalid(request, target, "请选择状态和日期（变更原因不超过200字，依据文件不超过60字）")
    return post_back(request, target, lambda: reserve.reserve_set_status(actor=Actor.from_request(request), scope=scope, entry=entry,
                                                                          **form.cleaned_data, **note.cleaned_data))  # fmt: skip


@login_required
@require_POST
def reserve_development(request, entry_id: int):
    """Record a development step (挂职, 跟班学习, 轮岗交流, 培训) on a pool entry."""
    scope = scope_for(request.user)
    entry = sr.entry_get(scope, entry_id)
    form, target = DevelopmentForm(request.POST), f"/cadres/{entry.cadre_id}/"
    if not form.is_valid():
        return invalid(request, target, "请完整填写培养锻炼信息")
    return post_back(request, target, lambda: reserve.development_add(actor=Actor.from_request(request), scope=scope, entry=entry, **form.cleaned_data))


@login_required
def case_list(request):
    """能上能下 case files in scope."""
    scope = scope_for(request.user)
    return render(request, "cadres/cases.html", {"cases": sr.cases_in_scope(scope)[:500], "measures": rules.MEASURE_LABELS})


@login_required
@require_POST
def case_open(request, cadre_id: int):
    """动议: open a case from the cadre's record page."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    ev = list(Evidence.objects.filter(cadre=cadre))
    form, target = CaseForm(request.POST, evidence_choices=[(e.pk, e.title) for e in ev]), f"/cadres/{cadre.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请选择调整方式和动议时间")
    d = form.cleaned_data
    chosen = [e for e in ev if e.pk in set(d["evidence"])]
    try:
        case = reserve.case_open(actor=Actor.from_request(request), scope=scope, cadre=cadre, circumstances=d["circumstances"],
                                 measure=d["measure"], motion_on=d["motion_on"], evidence=chosen, decision=d["decision"])  # fmt: skip
    except rules.RuleViolation as exc:
        return invalid(request, target, str(exc))
    return redirect("cadres:case", case_id=case.pk)


@login_required
def case_detail(request, case_id: int):
    """A case file: circumstances, evidence, the procedure steps of its template (done with date and
    decision, or pending; the next one has its form), the resulting change once decided, follow-up."""
    scope = scope_for(request.user)
    case = sr.case_get(scope, case_id)
    county = case.cadre.unit.path[: 2 * STEP]
    posts = Post.objects.filter(unit__path__startswith=county).filter(unit__path__startswith=scope.unit_path).select_related("unit")
    if scope.role != Role.CITY_ADMIN:  # the seats of 市管 teams are the city administrator's (access.require_manage_post)
        posts = posts.exclude(team__management_level=ManagementLevel.CITY)
    posts = posts[:400]
    labels = dict(rules.CIRCUMSTANCES)
    steps = list(case.steps.order_by("sort", "on", "id"))
    proc = procedures.procedure_by_key(case.procedure)
    return render(request, "cadres/case.html", {
        "case": case, "circumstances": [labels[c] for c in case.circumstances], "steps": steps, "procedure": proc,
        "next_step": next((st for st in steps if not st.done), None) if proc else None,
        "decided": any(st.step == procedures.DECISION and st.done for st in steps),
        "evidence": case.evidence.all(), "can_write": may_manage(scope, case.cadre), "step_choices": CaseStepForm.base_fields["step"].choices,
        "posts": posts, "ranks": rules.RANKS, "today": timezone.localdate(), "source": rules.SOURCE_UP_DOWN,
    })  # fmt: skip


@login_required
@require_POST
def case_step(request, case_id: int):
    """Record a procedure step (with date and decision) of an up-and-down case."""
    scope = scope_for(request.user)
    case = sr.case_get(scope, case_id)
    form, target = CaseStepForm(request.POST), f"/cadres/cases/{case.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请选择程序并填写日期")
    return post_back(request, target, lambda: reserve.case_step(actor=Actor.from_request(request), scope=scope, case=case, **form.cleaned_data))


@login_required
@require_POST
def case_complete(request, case_id: int):
    """Carry out a decided case: the dated post or rank change takes effect."""
    scope = scope_for(request.user)
    case = sr.case_get(scope, case_id)
    form, target = CaseCompleteForm(request.POST), f"/cadres/cases/{case.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请填写调整生效时间和文号")
    d = form.cleaned_data
    post = None
    if d["new_post"]:
        post = Post.objects.filter(pk=d["new_post"], unit__path__startswith=scope.unit_path).first()
        if post is None:
            raise Http404("职务不存在或不在管理范围内")
    return post_back(request, target, lambda: reserve.case_complete(actor=Actor.from_request(request), scope=scope, case=case,
                                                                effective_on=d["effective_on"], document_no=d["document_no"],
                                                                new_post=post, new_rank=d["new_rank"]), "调整已实施")  # fmt: skip


@login_required
@require_POST
def case_follow_up(request, case_id: int):
    """Record a follow-up note, or a reuse proposal, on a completed case."""
    scope = scope_for(request.user)
    case = sr.case_get(scope, case_id)
    form, target = FollowUpForm(request.POST), f"/cadres/cases/{case.pk}/"
    if not form.is_valid():
        return invalid(request, target, "请填写跟踪情况")
    return post_back(request, target, lambda: reserve.case_follow_up(actor=Actor.from_request(request), scope=scope, case=case, **form.cleaned_data))


@login_required
@require_POST
def evidence_tolerance(request, evidence_id: int):
    """容错纠错 decision on one evidence item of a cadre in scope."""
    scope = scope_for(request.user)
    ev = Evidence.objects.filter(pk=evidence_id, cadre__unit__path__startswith=scope.unit_path).first()
    if ev is None:
        raise Http404("考核依据不存在或不在管理范围内")
    form, target = ToleranceForm(request.POST), f"/cadres/{ev.cadre_id}/"
    if not form.is_valid():
        return invalid(request, target, "请完整填写容错纠错认定")
    return post_back(request, target, lambda: reserve.error_tolerance_decide(actor=Actor.from_request(request), scope=scope, evidence=ev, **form.cleaned_data))


