"""The cadre's record page (干部档案页, issue 4 §5): basic data, photo, résumé, posts, ranks, appraisals,
evidence, family; and the pages that edit the 任免审批表 data (profile, family members, photo)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zugong.cadres import rules
from zugong.cadres import selectors_record as record
from zugong.cadres.access import cadre_get, may_manage, require_manage
from zugong.cadres.forms import FamilyMemberForm, FamilyOrderForm, PhotoForm, ProfileForm
from zugong.cadres.models import POLITICAL_STATUS, CadreProfile, Relation
from zugong.cadres.services import profile as svc
from zugong.cadres.views_common import invalid, post_back
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.scope import scope_for


@login_required
def cadre_record(request, cadre_id: int):
    """One cadre's record; printable (print CSS). 404 outside the subtree; forms only for managers."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    today = timezone.localdate()
    return render(request, "cadres/record.html", {
        "cadre": cadre, "person": cadre.person, "age": cadre.person.age_on(today), "today": today,
        "can_write": may_manage(scope, cadre), "is_admin": scope.is_admin,
        **record.cadre_record(cadre, today, scope), "ranks_choices": rules.RANKS,
    })  # fmt: skip


@login_required
def cadre_photo(request, cadre_id: int):
    """The cadre's photo (JPEG/PNG), for users whose scope holds the cadre; 404 otherwise and when
    there is none. Never cached by shared caches (personal data)."""
    cadre = cadre_get(scope_for(request.user), cadre_id)
    profile = CadreProfile.objects.filter(cadre=cadre).first()  # the photo only, not the family
    if profile is None or not profile.photo:
        raise Http404("没有照片")
    try:
        fh = profile.photo.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件不存在") from None
    response = FileResponse(fh, content_type="image/png" if profile.photo.name.endswith(".png") else "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _edit_target(cadre) -> str:
    return reverse("cadres:profile_edit", args=[cadre.pk])


def _run(request, target: str, action, ok: str):
    """``post_back`` for the profile services, whose refusals are ProfileError."""
    return post_back(request, target, action, ok, errors=(svc.ProfileError,))


def _form_errors(form) -> str:
    return "；".join(f"{form.fields[f].label if f in form.fields else ''}：{' '.join(e)}".lstrip("：") for f, e in form.errors.items())


@login_required
def profile_edit(request, cadre_id: int):
    """Edit page of the 任免审批表 data (photo, profile fields, family members) for the cadre's managers:
    404 outside the subtree, 403 for read-only roles and for 市管 cadres seen by a county. POST saves the profile."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    require_manage(scope, cadre)
    today = timezone.localdate()
    ctx = record.profile_and_family(cadre, today)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return invalid(request, _edit_target(cadre), "请检查：" + _form_errors(form))
        data = svc.ProfileData(**{k: form.cleaned_data.get(k) or "" for k in svc.PROFILE_FIELDS})
        return _run(request, _edit_target(cadre),
                    lambda: svc.profile_update(actor=Actor.from_request(request), scope=scope, cadre=cadre, data=data), "已保存任免审批表信息")  # fmt: skip
    p = ctx["profile"]
    initial = {k: getattr(p, k) for k in svc.PROFILE_FIELDS} if p else {"fulltime_education": cadre.person.education}
    family = ctx["family"]
    for i, m in enumerate(family):  # the order string that moves this member up one place
        ids = [x.pk for x in family]
        if i:
            ids[i - 1], ids[i] = ids[i], ids[i - 1]
        m.up_order = ",".join(map(str, ids)) if i else ""
    return render(request, "cadres/record_profile.html", {
        "cadre": cadre, "person": cadre.person, "today": today, **ctx, "form": ProfileForm(initial=initial),
        "relations": Relation.choices, "political": POLITICAL_STATUS, "educations": codes.EDUCATION, "degrees": codes.DEGREE,
        "max_photo_mb": svc.MAX_PHOTO_BYTES // 1024 // 1024,
    })  # fmt: skip


@login_required
@require_POST
def photo_upload(request, cadre_id: int):
    """Upload or replace the photo (JPEG/PNG ≤ 2 MB). 404 outside the subtree, 403 for read-only roles."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    require_manage(scope, cadre)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(request, _edit_target(cadre), _form_errors(form))
    upload = form.cleaned_data["photo"]
    if upload.size > svc.MAX_PHOTO_BYTES:  # refuse before reading a large file into memory
        return invalid(request, _edit_target(cadre), f"照片超过{svc.MAX_PHOTO_BYTES // 1024 // 1024}MB，请压缩后上传")
    content = upload.read()
    return _run(request, _edit_target(cadre),
                lambda: svc.photo_set(actor=Actor.from_request(request), scope=scope, cadre=cadre, content=content), "已保存照片")  # fmt: skip


@login_required
@require_POST
def photo_delete(request, cadre_id: int):
    """Remove the photo. 404 outside the subtree, 403 for read-only roles."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    require_manage(scope, cadre)
    return _run(request, _edit_target(cadre), lambda: svc.photo_remove(actor=Actor.from_request(request), scope=scope, cadre=cadre), "已删除照片")


def _family_data(form) -> svc.FamilyData:
    d = form.cleaned_data
    return svc.FamilyData(relation=d["relation"], name=d["name"], birth_date=d.get("birth_date"),
                          political_status=d.get("political_status") or "", work=d.get("work") or "")  # fmt: skip


@login_required
@require_POST
def family_add(request, cadre_id: int):
    """Add a family member at the end of the list."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    require_manage(scope, cadre)
    form = FamilyMemberForm(request.POST)
    if not form.is_valid():
        return invalid(request, _edit_target(cadre), "家庭成员：" + _form_errors(form))
    return _run(request, _edit_target(cadre), lambda: svc.family_member_add(actor=Actor.from_request(request), scope=scope, cadre=cadre,
                                                                            data=_family_data(form)), "已添加家庭成员")  # fmt: skip


@login_required
@require_POST
def family_update(request, member_id: int):
    """Change one family member."""
    scope = scope_for(request.user)
    member = record.family_member_get(scope, member_id)
    require_manage(scope, member.cadre)
    form = FamilyMemberForm(request.POST)
    if not form.is_valid():
        return invalid(request, _edit_target(member.cadre), f"家庭成员{member.name}：" + _form_errors(form))
    return _run(request, _edit_target(member.cadre), lambda: svc.family_member_update(
        actor=Actor.from_request(request), scope=scope, member=member, data=_family_data(form)), "已修改家庭成员")


@login_required
@require_POST
def family_remove(request, member_id: int):
    """Delete one family member."""
    scope = scope_for(request.user)
    member = record.family_member_get(scope, member_id)
    require_manage(scope, member.cadre)
    return _run(request, _edit_target(member.cadre),
                lambda: svc.family_member_remove(actor=Actor.from_request(request), scope=scope, member=member), "已删除家庭成员")  # fmt: skip


@login_required
@require_POST
def family_order(request, cadre_id: int):
    """Put the family members in the posted order (ids, comma-separated)."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    require_manage(scope, cadre)
    form = FamilyOrderForm(request.POST)
    if not form.is_valid():
        return invalid(request, _edit_target(cadre), _form_errors(form))
    return _run(request, _edit_target(cadre), lambda: svc.family_member_reorder(actor=Actor.from_request(request), scope=scope, cadre=cadre,
                                                                                order=form.ids()), "已调整顺序")  # fmt: skip
