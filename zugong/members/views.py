"""Pages of the 党员名册 and the person page with its membership changes. Thin: reads go through
``zugong.members.selectors``, writes through ``zugong.members.changes``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zugong.cadres.views_common import invalid, post_back
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.paging import TailPaginator
from zugong.core.scope import scope_for
from zugong.core.services import person_reveal_id_number
from zugong.members import changes, selectors
from zugong.members.forms import ConfirmForm, LeaveForm, TransferForm
from zugong.members.importer import OUT_OF_SCOPE, BranchResolver
from zugong.members.models import LeaveReason
from zugong.orgs.models import PartyOrganization
from zugong.orgs.selectors import party_org_get

#: A 转入党支部 outside the user's subtree: a county transfers within the county; between two counties
#: the city's administrators (市委组织部), whose subtree holds both, make the transfer.
TRANSFER_OUT_OF_SCOPE = "不在您的管理范围内：跨县区的组织关系转接请由市委组织部办理"


def query_without_page(request) -> str:
    """The request's query string without ``page`` (for paging and export links)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def member_list(request):
    """党员名册 of the user's subtree: search, filters, 50 rows a page, 姓氏笔画 order."""
    scope = scope_for(request.user)
    filters = selectors.MemberFilters.from_params(request.GET)
    page = TailPaginator(selectors.members_search(scope, filters), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/list.html", {
        "page": page,
        "f": filters,
        "org": party_org_get(scope, filters.org) if filters.org else None,
        "query": query_without_page(request),
        "choices": {
            "status": selectors.STATUS_CHOICES,
            "gender": codes.GENDER[1:3],
            "education": codes.EDUCATION,
            "occupation": codes.OCCUPATION,
            "age_band": [(key, label) for key, label, _, _ in selectors.AGE_BANDS],
            "sort": selectors.SORTS,
        },
    })


@login_required
def person_detail(request, person_id: int):
    """人员信息: basic data (masked 身份证号), membership and 组织关系 history, current posts."""
    scope = scope_for(request.user)
    profile = selectors.person_profile(scope, person_id)
    refusal = changes.cadre_leave_refusal(scope, profile.member) if profile.member else ""
    return render(request, "members/person.html", {
        "p": profile, "person": profile.person, "leave_reasons": LeaveReason.choices, "leave_refusal": refusal,
    })  # fmt: skip


@login_required
@require_POST
def person_reveal_id(request, person_id: int):
    """The full 身份证号 as an htmx fragment; audited. 404 outside the subtree, 403 without the right."""
    scope = scope_for(request.user)
    person = selectors.person_get(scope, person_id)
    number = person_reveal_id_number(actor=Actor.from_request(request), scope=scope, person=person)
    return render(request, "members/_id_number.html", {"number": number})


# ----------------------------------------------------------------------------- membership changes


@login_required
def member_page(request, member_id: int):
    """The person page of membership ``member_id`` (links of the 审计日志); 404 outside the scope."""
    member = selectors.member_get(scope_for(request.user), member_id)
    return redirect("members:person", member.person_id)


def _member_or_404(scope, person_id: int):
    """The membership of person ``person_id`` in the scope; Http404 when there is none."""
    member = selectors.member_of_person(scope, person_id)
    if member is None:
        raise Http404("该人员不是本范围内的党员")
    return member


def _change(request, person_id: int, form_class, failed: str, action, ok: str) -> HttpResponse:
    """Validate ``form_class`` from POST and run ``action(scope, member, cleaned_data)`` (a service
    call); flash ``ok`` or the Chinese reason (``failed`` for an incomplete form); back to the person page."""
    scope = scope_for(request.user)
    member = _member_or_404(scope, person_id)
    target = reverse("members:person", args=[person_id])
    form = form_class(request.POST)
    if not form.is_valid():
        return invalid(request, target, failed)
    return post_back(request, target, lambda: action(scope, member, form.cleaned_data), ok, errors=(changes.ChangeRefused,))


@login_required
@require_POST
def member_transfer(request, person_id: int):
    """组织关系转接 to a branch of the user's subtree, named as in the roster (名称、后缀或“上级/支部”)."""

    def action(scope, member, d):
        org_id, reason = BranchResolver.build(scope).resolve(d["org"])
        if reason == OUT_OF_SCOPE:  # the import's wording names its column 所在党支部; here it is the 转入党支部
            raise changes.ChangeRefused(f"转入党支部“{d['org']}”{TRANSFER_OUT_OF_SCOPE}")
        if org_id is None:
            raise changes.ChangeRefused(reason)
        return changes.member_transfer(actor=Actor.from_request(request), scope=scope, member=member,
                                       org=PartyOrganization.objects.get(pk=org_id), on=d["on"],
                                       document_no=d["document_no"], reason=d["reason"])  # fmt: skip

    return _change(request, person_id, TransferForm, "请填写转入党支部和转接日期", action, "已办理组织关系转接")


@login_required
@require_POST
def member_confirm(request, person_id: int):
    """预备党员转正."""
    return _change(request, person_id, ConfirmForm, "请填写转正时间", lambda scope, member, d: changes.member_confirm(
        actor=Actor.from_request(request), scope=scope, member=member, on=d["on"]), "已转为正式党员")  # fmt: skip


@login_required
@require_POST
def member_leave(request, person_id: int):
    """党员减少 (死亡、出党、停止党籍、转出本市)."""
    return _change(request, person_id, LeaveForm, "请填写减少日期并选择减少原因", lambda scope, member, d: changes.member_leave(
        actor=Actor.from_request(request), scope=scope, member=member, on=d["on"], reason=d["reason"], note=d["note"]),
        "已办理党员减少")  # fmt: skip


@login_required
@require_POST
def member_leave_undo(request, person_id: int):
    """撤销减少 (a correction by the organization department)."""
    return _change(request, person_id, forms.Form, "", lambda scope, member, d: changes.member_leave_undo(
        actor=Actor.from_request(request), scope=scope, member=member), "已撤销党员减少")  # fmt: skip


@login_required
def branch_options(request):
    """The branches of the user's subtree as a ``<datalist>`` (htmx, loaded when the transfer form opens)."""
    scope = scope_for(request.user)
    return render(request, "members/_branch_options.html", {"names": selectors.branch_names(scope)})
