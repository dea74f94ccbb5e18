"""Writes of the cadre's 任免审批表 data (issue 4 §5): profile fields, family members and the photo.

Every function is keyword-only, checks ``access.require_manage`` (Http404 outside the scope,
PermissionDenied for read-only roles and for 市管 cadres written by a county) and writes its audit
event in the transaction of the change. Bad input raises :class:`ProfileError` with a Chinese
message naming the field.

The photo is personal data: it is validated (JPEG or PNG by its magic bytes, at most
:data:`MAX_PHOTO_BYTES`, decodable, at most :data:`MAX_PHOTO_SIDE` pixels a side), re-encoded as a
JPEG without metadata (EXIF may hold the place and the camera) and scaled to at most
:data:`STORED_MAX_SIDE` pixels when Pillow is importable, stored under MEDIA_ROOT/cadre_photos/
with a random name, and served only through the scoped view ``cadres:photo``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import asdict, dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zugong.cadres.access import require_manage
from zugong.cadres.models import POLITICAL_STATUS_LABELS, Cadre, CadreProfile, FamilyMember, Relation
from zugong.core import codes
from zugong.core.audit import Actor, audit_record
from zugong.core.scope import Scope

#: Largest photo accepted, in bytes (2 MB).
MAX_PHOTO_BYTES = 2 * 1024 * 1024
#: Largest side of an uploaded photo, in pixels (refuses decompression bombs).
MAX_PHOTO_SIDE = 6000
#: Longest side of the stored photo, in pixels (a 1寸 photo at 300 dpi is 295 × 413).
STORED_MAX_SIDE = 600
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ProfileError(ValueError):
    """Bad profile, family or photo input; ``str(exc)`` is the Chinese reason naming the field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# ------------------------------------------------------------------------------------------------
# Profile fields
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProfileData:
    """The profile fields as the edit form gives them (see ``CadreProfile``): codes are '' when not set;
    ``birthplace_code`` may be '' and is then looked up from ``birthplace`` in the unit tree; an empty
    ``birthplace`` with a code is filled as the 任免审批表 writes 出生地 (``lrmx.place_text``: 江苏南京)."""

    birthplace_code: str = ""
    birthplace: str = ""
    health: str = ""
    tech_title: str = ""
    specialty: str = ""
    fulltime_education: str = ""
    fulltime_degree: str = ""
    fulltime_school: str = ""
    inservice_education: str = ""
    inservice_degree: str = ""
    inservice_school: str = ""


PROFILE_FIELDS = tuple(ProfileData.__dataclass_fields__)


def profile_of(cadre: Cadre) -> CadreProfile | None:
    """The cadre's profile or None when none has been written yet."""
    return CadreProfile.objects.filter(cadre=cadre).first()


def _clean_profile(data: ProfileData) -> dict:
    values = {k: (v or "").strip() for k, v in asdict(data).items()}
    code = values["birthplace_code"]
    if code and (not code.isdigit() or len(code) not in (6, 9, 12)):
        raise ProfileError(f"出生地区划代码“{code}”应为6位、9位或12位数字", "出生地")
    if not code and values["birthplace"]:
        from zugong.members.importer import NativePlaceResolver

        values["birthplace_code"] = NativePlaceResolver().resolve(values["birthplace"]) or ""
    if code and not values["birthplace"]:
        # as the 任免审批表 prints 出生地 (``lrmx.birthplace_text``): 江苏南京 for 320102, 安徽六安 for 341502
        # (was the division's short name, 玄武区, which the form never showed)
        from zugong.cadres.lrmx import place_text

        values["birthplace"] = place_text(code)[:60]
    for prefix, label in (("fulltime", "全日制教育"), ("inservice", "在职教育")):
        edu, deg = values[f"{prefix}_education"], values[f"{prefix}_degree"]
        if edu and not codes.is_code("education", edu):
            raise ProfileError(f"{label}学历代码“{edu}”不在GB/T 4658学历代码表中", f"{label}学历")
        if deg and not codes.is_code("degree", deg):
            raise ProfileError(f"{label}学位代码“{deg}”不在GB/T 6864学位代码表中", f"{label}学位")
        if (deg and deg != "0" or values[f"{prefix}_school"]) and not edu:
            raise ProfileError(f"填写了{label}的学位或毕业院校，请同时填写学历", f"{label}学历")
    limits = {f.name: f.max_length for f in CadreProfile._meta.get_fields() if getattr(f, "max_length", None)}
    for k, v in values.items():
        if len(v) > limits[k]:
            raise ProfileError(f"{CadreProfile._meta.get_field(k).verbose_name}超过{limits[k]}个字", str(CadreProfile._meta.get_field(k).verbose_name))
    return values


def _highest(*pairs: tuple[str, str]) -> tuple[str, str]:
    """(education, degree) highest among the blocks: education codes ascend from 研究生 (10), degree
    codes from 博士 (2); 0 = 无学位 sorts last."""
    edus = [e for e, _ in pairs if e]
    degs = [d for _, d in pairs if d and d != "0"]
    return (min(edus) if edus else "", min(degs) if degs else "0")


@transaction.atomic
def profile_update(*, actor: Actor, scope: Scope, cadre: Cadre, data: ProfileData) -> CadreProfile:
    """Set the profile fields of ``cadre`` (creating the profile on first write) and raise the
    Person's summary 学历/学位 (statistics read them) to the highest of the two education blocks when
    a block is filled. Audited as ``cadres.profile_update`` with the changed fields before/after.
    Raises ProfileError for a malformed 区划代码, unknown codes, a degree or school without 学历, or too long text."""
    require_manage(scope, cadre)
    values = _clean_profile(data)
    profile, _ = CadreProfile.objects.select_for_update().get_or_create(cadre=cadre)
    changed = {k: v for k, v in values.items() if getattr(profile, k) != v}
    before = {k: getattr(profile, k) for k in changed}
    for k, v in changed.items():
        setattr(profile, k, v)
    profile.save()
    person = cadre.person
    edu, deg = _highest((profile.fulltime_education, profile.fulltime_degree), (profile.inservice_education, profile.inservice_degree))
    if edu and (person.education, person.degree) != (edu, deg):
        before.update(person_education=person.education, person_degree=person.degree)
        changed.update(person_education=edu, person_degree=deg)
        person.education, person.degree = edu, deg
        person.save(update_fields=["education", "degree", "updated_at"])
    if changed:
        audit_record(actor, "cadres.profile_update", object_type="Cadre", object_id=cadre.pk, scope_unit_path=cadre.unit.path,
                     summary=f"修改{person.name}的任免审批表信息（{len(changed)}项）", before=before, after=changed)  # fmt: skip
    return profile


# ------------------------------------------------------------------------------------------------
# Family members (家庭主要成员及重要社会关系)
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FamilyData:
    """One family member: ``relation`` a Relation code, ``birth_date`` (None = unknown), GB/T 4762
    ``political_status`` code ('' = not given), ``work`` 工作单位及职务."""

    relation: str
    name: str
    birth_date: dt.date | None = None
    political_status: str = ""
    work: str = ""


def _clean_family(data: FamilyData, today: dt.date) -> dict:
    name = "".join(data.name.split())
    if data.relation not in Relation.values:
        raise ProfileError(f"称谓“{data.relation}”不在可选范围内（妻子、丈夫、儿子、女儿、父亲、母亲……）", "称谓")
    if not name:
        raise ProfileError("请填写家庭成员姓名", "姓名")
    if len(name) > 40:
        raise ProfileError("家庭成员姓名超过40个字", "姓名")
    if data.birth_date is not None:
        if data.birth_date > today:
            raise ProfileError(f"出生日期{data.birth_date:%Y.%m.%d}晚于今天", "出生日期")
        if data.birth_date < dt.date(1900, 1, 1):
            raise ProfileError("出生日期早于1900年", "出生日期")
    if data.political_status and data.political_status not in POLITICAL_STATUS_LABELS:
        raise ProfileError(f"政治面貌代码“{data.political_status}”不在GB/T 4762政治面貌代码表中", "政治面貌")
    work = data.work.strip()
    if len(work) > 120:
        raise ProfileError("工作单位及职务超过120个字", "工作单位及职务")
    return {"relation": data.relation, "name": name, "birth_date": data.birth_date, "political_status": data.political_status, "work": work}


def _member_dict(m: FamilyMember) -> dict:
    return {"relation": m.relation, "name": m.name, "birth_date": m.birth_date, "political_status": m.political_status, "work": m.work, "sort": m.sort}


@transaction.atomic
def family_member_add(*, actor: Actor, scope: Scope, cadre: Cadre, data: FamilyData, today: dt.date | None = None) -> FamilyMember:
    """Append a family member at the end of the cadre's list. Audited ``cadres.family_add``.
    ProfileError for an unknown 称谓 or 政治面貌, an empty name, or a birth date after ``today`` (default: today)."""
    require_manage(scope, cadre)
    values = _clean_family(data, today or timezone.localdate())
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()  # serialize sort numbers per cadre
    last = FamilyMember.objects.filter(cadre=cadre).order_by("-sort").values_list("sort", flat=True).first()
    member = FamilyMember.objects.create(cadre=cadre, sort=(last or 0) + 1, **values)
    audit_record(actor, "cadres.family_add", object_type="FamilyMember", object_id=member.pk, scope_unit_path=cadre.unit.path,
                 summary=f"{cadre.person.name}：添加家庭成员（{member.get_relation_display()}）{member.name}", after=_member_dict(member))  # fmt: skip
    return member


def _member_for_write(scope: Scope, member: FamilyMember) -> FamilyMember:
    member = FamilyMember.objects.select_related("cadre__unit", "cadre__person").select_for_update(of=("self",)).get(pk=member.pk)
    require_manage(scope, member.cadre)
    return member


@transaction.atomic
def family_member_update(*, actor: Actor, scope: Scope, member: FamilyMember, data: FamilyData, today: dt.date | None = None) -> FamilyMember:
    """Change one family member's fields (its place in the list stays). Audited ``cadres.family_update``
    with the changed fields. Errors as :func:`family_member_add`."""
    member = _member_for_write(scope, member)
    values = _clean_family(data, today or timezone.localdate())
    changed = {k: v for k, v in values.items() if getattr(member, k) != v}
    if changed:
        before = {k: getattr(member, k) for k in changed}
        for k, v in changed.items():
            setattr(member, k, v)
        member.save()
        audit_record(actor, "cadres.family_update", object_type="FamilyMember", object_id=member.pk,
                     scope_unit_path=member.cadre.unit.path, summary=f"{member.cadre.person.name}：修改家庭成员{member.name}",
                     before=before, after=changed)  # fmt: skip
    return member


@transaction.atomic
def family_member_remove(*, actor: Actor, scope: Scope, member: FamilyMember) -> None:
    """Delete one family member; the rest keep their order. Audited ``cadres.family_remove`` with the row."""
    member = _member_for_write(scope, member)
    cadre = member.cadre
    before = _member_dict(member)
    pk = member.pk
    member.delete()
    audit_record(actor, "cadres.family_remove", object_type="FamilyMember", object_id=pk, scope_unit_path=cadre.unit.path,
                 summary=f"{cadre.person.name}：删除家庭成员（{Relation(before['relation']).label}）{before['name']}", before=before)  # fmt: skip


@transaction.atomic
def family_member_reorder(*, actor: Actor, scope: Scope, cadre: Cadre, order: list[int]) -> list[FamilyMember]:
    """Put the cadre's family members in the order of ``order`` (their ids, each exactly once);
    ``sort`` becomes 1, 2, …. Audited ``cadres.family_reorder``. ProfileError when ``order`` is not
    exactly the cadre's members."""
    require_manage(scope, cadre)
    members = {m.pk: m for m in FamilyMember.objects.select_for_update().filter(cadre=cadre)}
    if sorted(order) != sorted(members):
        raise ProfileError("排序须包含该干部的全部家庭成员，且每人一次", "排序")
    before = [m.pk for m in sorted(members.values(), key=lambda m: (m.sort, m.pk))]
    for i, pk in enumerate(order, start=1):
        members[pk].sort = i
    FamilyMember.objects.bulk_update(members.values(), ["sort"])
    if before != list(order):
        audit_record(actor, "cadres.family_reorder", object_type="Cadre", object_id=cadre.pk, scope_unit_path=cadre.unit.path,
                     summary=f"{cadre.person.name}：调整家庭成员顺序", before={"order": before}, after={"order": list(order)})  # fmt: skip
    return [members[pk] for pk in order]


# ------------------------------------------------------------------------------------------------
# Photo
# ------------------------------------------------------------------------------------------------
def photo_kind(content: bytes) -> str:
    """"jpeg" or "png" by the file's magic bytes; ProfileError (Chinese) for anything else, for an
    empty file and for one over :data:`MAX_PHOTO_BYTES`."""
    if not content:
        raise ProfileError("照片文件为空", "照片")
    if len(content) > MAX_PHOTO_BYTES:
        raise ProfileError(f"照片超过{MAX_PHOTO_BYTES // 1024 // 1024}MB（实为{len(content) / 1024 / 1024:.1f}MB），请压缩后上传", "照片")
    if content.startswith(JPEG_MAGIC):
        return "jpeg"
    if content.startswith(PNG_MAGIC):
        return "png"
    raise ProfileError("照片须为JPEG或PNG图片（文件内容不是JPEG或PNG，仅修改扩展名无效）", "照片")


def photo_normalize(content: bytes) -> tuple[bytes, str]:
    """Validate ``content`` (:func:`photo_kind`, then decode it) and return (bytes, "jpeg"|"png") to
    store: with Pillow, a JPEG of at most :data:`STORED_MAX_SIDE` px a side, EXIF orientation applied
    and metadata dropped; without Pillow, the file as uploaded. ProfileError for a file that does not
    decode or is larger than :data:`MAX_PHOTO_SIDE` px a side."""
    kind = photo_kind(content)
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return content, kind
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if max(probe.size) > MAX_PHOTO_SIDE:
                raise ProfileError(f"照片尺寸{probe.size[0]}×{probe.size[1]}像素过大（每边不超过{MAX_PHOTO_SIDE}像素）", "照片")
            probe.verify()
        with Image.open(io.BytesIO(content)) as img:
            img = ImageOps.exif_transpose(img)
            if img.mode in ("RGBA", "LA", "P"):
                img = img.convert("RGBA")
                bg = Image.new("RGB", img.size, (255, 255, 255))
                bg.paste(img, mask=img.getchannel("A"))
                img = bg
            elif img.mode != "RGB":
                img = img.convert("RGB")
            img.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=88, optimize=True)
    except ProfileError:
        raise
    except Exception:  # Pillow raises many kinds for broken files (OSError, SyntaxError, ValueError, …)
        raise ProfileError("照片文件已损坏，无法读取", "照片") from None
    return out.getvalue(), "jpeg"


def photo_store(profile: CadreProfile, content: bytes, kind: str) -> str:
    """Save ``content`` as the profile's photo file (random name; the model is not saved) and return
    the old file name ('' when none). The caller deletes the old file after commit."""
    old = profile.photo.name or ""
    profile.photo.save("photo." + ("png" if kind == "png" else "jpg"), ContentFile(content), save=False)
    profile.photo_updated_at = timezone.now()
    return old


def delete_file_on_commit(name: str) -> None:
    """Delete the stored file ``name`` once the transaction commits (nothing when ''; kept on rollback)."""
    if not name:
        return
    from django.core.files.storage import default_storage

    transaction.on_commit(lambda: default_storage.delete(name))


def photo_set(*, actor: Actor, scope: Scope, cadre: Cadre, content: bytes) -> CadreProfile:
    """Upload or replace the cadre's photo (see the module docstring for what is accepted and how it is
    stored). Audited ``cadres.photo_set`` (before: the old file's name; after: the new name, size,
    SHA-256); the replaced file is deleted after commit, the new one when the transaction fails.
    ProfileError (Chinese, field 照片) for a bad file."""
    require_manage(scope, cadre)
    stored, kind = photo_normalize(content)
    new_name = ""
    try:
        with transaction.atomic():
            profile, _ = CadreProfile.objects.select_for_update().get_or_create(cadre=cadre)
            old = photo_store(profile, stored, kind)
            new_name = profile.photo.name
            profile.save(update_fields=["photo", "photo_updated_at", "updated_at"])
            audit_record(actor, "cadres.photo_set", object_type="Cadre", object_id=cadre.pk, scope_unit_path=cadre.unit.path,
                         summary=f"{'更换' if old else '上传'}{cadre.person.name}的照片",
                         before={"photo": old} if old else None,
                         after={"photo": new_name, "bytes": len(stored), "sha256": hashlib.sha256(stored).hexdigest(), "uploaded_bytes": len(content)})  # fmt: skip
            delete_file_on_commit(old)
    except BaseException:
        if new_name:
            from django.core.files.storage import default_storage

            default_storage.delete(new_name)
        raise
    return profile


@transaction.atomic
def photo_remove(*, actor: Actor, scope: Scope, cadre: Cadre) -> None:
    """Remove the cadre's photo (the file is deleted after commit). Audited ``cadres.photo_remove``;
    nothing happens (and nothing is audited) when there is no photo."""
    require_manage(scope, cadre)
    profile = CadreProfile.objects.select_for_update().filter(cadre=cadre).first()
    if profile is None or not profile.photo:
        return
    old = profile.photo.name
    profile.photo = ""
    profile.photo_updated_at = timezone.now()
    profile.save(update_fields=["photo", "photo_updated_at", "updated_at"])
    audit_record(actor, "cadres.photo_remove", object_type="Cadre", object_id=cadre.pk, scope_unit_path=cadre.unit.path,
                 summary=f"删除{cadre.person.name}的照片", before={"photo": old})  # fmt: skip
    delete_file_on_commit(old)
