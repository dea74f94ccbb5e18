"""干部任免审批表 services: the audited exports (.docx, .lrmx) and the .lrmx import.

Import: one or many .lrmx files (or .zip archives of them) create or update cadres' basic data and
résumé. Every file is validated first; when any file has an error nothing at all is written and each
error names its file, field and reason in Chinese. Otherwise all files are written in one transaction,
with one audit event per file (``cadres.lrmx_import``) and one for the batch (``cadres.lrmx_import_batch``).

What a file writes (element names in ``zugong.cadres.lrmx``):

- Person, matched by 身份证号 (``ShenFenZheng``, required): 姓名, 民族, 学历 (the higher of 全日制 /
  在职 学历), 学位 (the higher named in the 学位 elements), 参加工作时间, 籍贯 (when it names a place of
  the unit tree, also as the form writes it, 安徽六安 / 安徽金寨: ``_Context.place_code``; a 籍贯 that is
  what the form prints for the person's stored code keeps that code, so 金安区 stays 金安区; a
  参加工作时间 of the stored month keeps the stored day, as the form prints the month only). 性别 and
  出生年月 are checked against the 身份证号 (GB 11643-1999), never stored apart.
- Cadre: created for a person who is not yet a cadre, with the 工作单位, 职务级别 and 管理权限 chosen on
  the import page (``LrmxDefaults``); an existing cadre keeps its unit and levels (save the 工作单位 of a
  rank holder, below).
- 简历 lines become dated facts: a line whose text starts with the name of a unit in the user's scope
  ("2015.09--  金安区一镇党委委员、副镇长"; "金安区委书记" is 金安区's 区委书记, ``_Context.unit_of``)
  becomes an Appointment to that unit's post (created when the unit has no post of that title; 职务级别 =
  the cadre's for the open line, 未定职 for past ones). A line whose title after the unit is a 职级
  (a ``rules.RANKS`` name: "2021.03--  六安市财政局二级调研员", as ``selectors_record.resume_lines``
  writes it) becomes a CadreRank, never a Post; so does the older form without the unit
  ("（四级主任科员）"), and a title of a post then a rank ("副局长、二级调研员") becomes both. A cadre
  without a current main post whose open rank line names a unit gets that unit as 工作单位
  (``_move_to_rank_unit``). A trailing "（兼任…）" is dropped. Other lines (study,
  posts outside the scope) are reported as notes and not stored: the data model has no free-text résumé.

- CadreProfile (``services.profile``): 出生地 (with its 区划代码 when it names a place of the unit tree),
  健康状况, 专业技术职务, 熟悉专业有何专长, and the 全日制教育 / 在职教育 blocks (学历, 学位, 毕业院校系及专业).
  Only non-empty elements overwrite; an empty element keeps what is stored.
- 家庭主要成员及重要社会关系: when the file lists any (rows without 称谓 and 姓名 are skipped), they replace
  the cadre's list in the file's order. 称谓 must be one of ``Relation`` (配偶/爱人 become 妻子 or 丈夫 by
  the cadre's sex, 长子/次女… 儿子/女儿), 政治面貌 a GB/T 4762 name, 出生日期 ``yyyyMM`` not after today.
- 照片 (``ZhaoPian``, base64): validated and stored like an upload (JPEG/PNG, ≤ 2 MB); a photo equal
  to the stored one (same bytes) changes nothing. The replaced file is deleted after commit; files
  written by a failed import are deleted.

Not imported: 奖惩情况, 年度考核结果 (appraisals are rounds, not text), 入党时间 (the members app owns
memberships; a new cadre is recorded as a Party member unless it reads 群众 or names another party),
现任/拟任/拟免职务, 任免理由, 呈报单位, 填表人/填表时间.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zugong.cadres import lrmx, rules
from zugong.cadres.access import city_team_refusal, may_manage, team_is_city
from zugong.cadres.models import (
    POLITICAL_STATUS_BY_TEXT,
    Appointment,
    Cadre,
    CadreProfile,
    CadreRank,
    FamilyMember,
    ManagementLevel,
    Post,
    Relation,
)
from zugong.cadres.selectors_record import post_title_candidates
from zugong.cadres.services import profile as profile_svc
from zugong.core import codes
from zugong.core.audit import Actor, audit_record
from zugong.core.models import Person, Role
from zugong.core.names import name_initials, name_stroke_key
from zugong.core.rules import IdNumberError, mask_id_number, parse_id_number
from zugong.core.scope import Scope
from zugong.core.services import PersonData, id_number_index, person_fields
from zugong.members.importer import NativePlaceResolver, code_of
from zugong.members.models import PartyMember
from zugong.members.roster import DateParseError, parse_date
from zugong.orgs.divisions import code_prefix
from zugong.orgs.models import Unit

#: Most files one import takes (a county's cadres fit; larger batches split).
MAX_FILES = 500
_RANK_BY_LABEL = {label: code for code, label in rules.RANKS}
#: A 简历 title naming a post and then a 职级 ("副局长、二级调研员", "组织委员，一级主任科员").
_POST_AND_RANK = re.compile(r"(.+?)\s*[、，,；;]\s*(" + "|".join(label for _, label in rules.RANKS) + ")")
_DEGREE_ORDER = (("博士", "2"), ("硕士", "3"), ("学士", "4"))
_SCHOOL_PREFIX = re.compile(r"^(中央党校|省委党校|市委党校|党校|在职|全日制)")
#: Most family rows one file may list.
MAX_FAMILY = 30
#: Most lines (wrapped continuation lines included) of one 简历: a long career has a few dozen.
MAX_RESUME_LINES = 300
_RELATION_BY_TEXT = {
    **{label: code for code, label in Relation.choices},
    "妻": "wife", "夫": "husband", "父": "father", "母": "mother", "兄": "elder_brother", "姐": "elder_sister",
    "弟": "younger_brother", "妹": "younger_sister", "长子": "son", "次子": "son", "三子": "son", "独子": "son", "子": "son",
    "长女": "daughter", "次女": "daughter", "三女": "daughter", "独女": "daughter", "女": "daughter", "儿媳妇": "daughter_in_law",
    "媳妇": "daughter_in_law", "女婿": "son_in_law", "岳父": "wife_father", "岳母": "wife_mother", "公公": "husband_father",
    "婆婆": "husband_mother",
}  # fmt: skip
_SPOUSE_WORDS = ("配偶", "爱人")
#: (element prefix, profile field prefix, Chinese label) of the two 学历学位 blocks.
_EDU_BLOCKS = (("QuanRiZhiJiaoYu", "fulltime", "全日制教育"), ("ZaiZhiJiaoYu", "inservice", "在职教育"))


# ------------------------------------------------------------------------------------------------
# Exports (audited: personal data leaves the system)
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """What the form says about the proposal (not data of the cadre): 拟任/拟免职务, 任免理由, 呈报单位, 填表人."""

    proposed_post: str = ""
    proposed_removal: str = ""
    reason: str = ""
    reporting_unit: str = ""
    filled_by: str = ""


def approval_form_export(*, actor: Actor, scope: Scope, cadre: Cadre, fmt: str, age_on: dt.date,
                         proposal: Proposal, today: dt.date) -> bytes:  # fmt: skip
    """The 干部任免审批表 of ``cadre`` as ``fmt`` = "docx" (printable) or "lrmx" (the editor's file).

    The caller has checked that ``cadre`` is in ``scope`` (``access.cadre_get``). The .lrmx carries the
    full 身份证号 only when the scope may view full numbers (else the masked one, which the import will
    refuse). Audited as ``cadres.approval_form_export`` / ``cadres.lrmx_export`` with the 计算年龄时间 and
    whether the 身份证号 left unmasked. ValueError for an unknown ``fmt``.
    """
    if fmt not in ("docx", "lrmx"):
        raise ValueError(f"unknown format {fmt!r}")
    unmasked = fmt == "lrmx" and scope.may_view_id_numbers
    id_number = cadre.person.id_number if unmasked else cadre.person.id_number_masked
    form = lrmx.approval_form(
        cadre, age_on=age_on, id_number=id_number if fmt == "lrmx" else "", filled_on=today,
        proposed_post=proposal.proposed_post, proposed_removal=proposal.proposed_removal, reason=proposal.reason,
        reporting_unit=proposal.reporting_unit, filled_by=proposal.filled_by,
    )  # fmt: skip
    content = lrmx.approval_docx(form) if fmt == "docx" else lrmx.lrmx_bytes(form)
    with transaction.atomic():
        audit_record(
            actor, "cadres.approval_form_export" if fmt == "docx" else "cadres.lrmx_export", object_type="Cadre",
            object_id=cadre.pk, scope_unit_path=cadre.unit.path,
            summary=f"导出{cadre.person.name}的干部任免审批表（{'Word' if fmt == 'docx' else 'LRMX'}）" + ("（含完整身份证号）" if unmasked else ""),
            after={"format": fmt, "age_on": age_on, "unmasked": unmasked},
        )  # fmt: skip
    return content


# ------------------------------------------------------------------------------------------------
# Import
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LrmxDefaults:
    """工作单位 / 职务级别 / 管理权限 given to persons who are not cadres yet (None when not chosen)."""

    unit: Unit | None = None
    post_level: str = ""
    management_level: str = ""


@dataclass(frozen=True)
class FileError:
    """One problem of one file: ``filename``, ``field`` (Chinese field name or 文件) and ``message``."""

    filename: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.filename}：{self.field}：{self.message}"


@dataclass
class _Record:
    filename: str
    id_number: str
    id_index: str
    person: dict
    resume: list[lrmx.ParsedResumeLine]
    profile: dict = field(default_factory=dict)
    family: list[dict] = field(default_factory=list)
    photo: bytes | None = None  # as it will be stored
    photo_sha256: str = ""  # of the decoded file content, to recognize the stored photo
    person_obj: Person | None = None
    cadre_obj: Cadre | None = None
    appointments: list = field(default_factory=list)  # (line, unit_id, title)
    ranks: list = field(default_factory=list)  # (line, rank code, unit id or None for "（二级调研员）")
    is_party_member: bool = True  # from 入党时间 (``_NOT_A_MEMBER``)
    native_place_text: str = ""  # 籍贯 as the file says it


@dataclass
class LrmxResult:
    """Outcome: ``files`` read, per-file ``errors`` (nothing written when any), counts of cadres
    ``created`` / ``updated`` / ``unchanged``, ``notes`` [(filename, text)] about résumé lines not stored."""

    files: int = 0
    errors: list[FileError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """True when the files were written (no error and at least one file)."""
        return not self.errors and self.files > 0


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The entry name as written: Windows tools store GBK names without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


class _Context:
    """Lookups shared by the files of one import: units of the scope and the place resolver."""

    def __init__(self, scope: Scope):
        self.scope = scope
        units = Unit.objects.filter(path__startswith=scope.unit_path).values_list("id", "name")
        self.units = sorted(units, key=lambda u: -len(u[1]))
        self.places = NativePlaceResolver()
        self.today = dt.date.today()

    def unit_of(self, text: str) -> tuple[int, str] | None:
        """(unit id, post title) when ``text`` starts with a unit name of the scope followed by a title.

        The title is read back as ``selectors_record.post_name`` writes it: "金安区委书记" is 金安区's
        post 区委书记 — of the ``post_title_candidates`` the first the unit has a post of, else the
        first ("委书记" is never a title); "金安区区委书记" (as older files say) is 区委书记 too."""
        for uid, name in self.units:
            if text.startswith(name) and len(text) > len(name):
                candidates = [t[:60] for t in post_title_candidates(name, text[len(name):])]
                if len(candidates) > 1:
                    held = set(Post.objects.filter(unit_id=uid, title__in=candidates).values_list("title", flat=True))
                    candidates = [t for t in candidates if t in held] or candidates
                return uid, candidates[0]
        return None

    def place_code(self, text: str) -> str | None:
        """行政区划代码 of a 籍贯 / 出生地 text, None when unknown or ambiguous: a name or code the unit tree
        or the national table knows (``NativePlaceResolver``: 金安区, 六安市金安区, 341502, 江苏省南京市) or
        the form's "province + short name" (``lrmx.place_text``: 安徽六安 → 341500, 安徽金寨 → 341524,
        江苏南京 → 320100, 河北正定 → 130123) when the province is the place's."""
        hit = self.places.resolve(text)
        if hit is not None:
            return hit
        compact = re.sub(r"\s", "", text)
        for code, province in sorted(lrmx.PROVINCES.items(), key=lambda p: -len(p[1])):
            if compact.startswith(province):
                rest = re.sub(r"^(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)", "", compact[len(province):])
                for name in (rest, rest + "市", rest + "县", rest + "区") if len(rest) >= 2 else ():
                    hit = self.places.resolve(name)
                    if hit is not None and hit.startswith(code):
                        return hit
                return None
        return None


def _validate(filename: str, data: bytes, ctx: _Context, errors: list[FileError], notes: list) -> _Record | None:  # noqa: C901
    before = len(errors)

    def err(fld: str, message: str) -> None:
        errors.append(FileError(filename, fld, message))

    try:
        d = lrmx.parse_lrmx(data)
    except lrmx.LrmxError as exc:
        err(exc.field or "文件", str(exc))
        return None
    name = re.sub(r"\s", "", d.get("XingMing", ""))
    if not name:
        err("姓名", "缺少姓名（XingMing为空或不存在）")
    elif len(name) > 40:
        err("姓名", "姓名超过40个字")
    raw_id = d.get("ShenFenZheng", "")
    info = None
    if not raw_id:
        err("身份证号", "缺少身份证号（ShenFenZheng为空或不存在），无法确定是哪位干部")
    else:
        try:
            info = parse_id_number(raw_id)
        except IdNumberError as exc:
            err("身份证号", f"身份证号“{mask_id_number(raw_id)}”有误：{exc}")
    person: dict = {"name": name}
    gender_text = d.get("XingBie", "")
    if gender_text:
        g = code_of("gender", gender_text)
        if g is None:
            err("性别", f"未知的性别“{gender_text}”（应为男或女）")
        elif info is not None and g != info.gender:
            err("性别", f"性别“{gender_text}”与身份证号（{codes.label('gender', info.gender)}）不一致")

    def date(tag: str, label: str) -> dt.date | None:
        raw = d.get(tag, "")
        try:
            parsed = parse_date(raw)
        except DateParseError as exc:
            err(label, f"{label}“{raw}”不是有效日期（应为197503或1975.03）：{exc}")
            return None
        return parsed.date if parsed else None

    birth = date("ChuShengNianYue", "出生年月")
    if birth is not None and info is not None and (birth.year, birth.month) != (info.birth_date.year, info.birth_date.month):
        err("出生年月", f"出生年月{birth:%Y.%m}与身份证号（{info.birth_date:%Y.%m.%d}）不一致")
    work = date("CanJiaGongZuoShiJian", "参加工作时间")
    if work is not None:
        if info is not None and work <= info.birth_date:
            err("参加工作时间", "参加工作时间早于出生日期")
        person["work_start_date"] = work
    ethnicity = d.get("MinZu", "")
    if ethnicity:
        code = code_of("ethnicity", ethnicity)
        if code is None:
            err("民族", f"未知的民族“{ethnicity}”（应为GB/T 3304中的名称）")
        person["ethnicity"] = code
    educations = []
    profile: dict = {}
    for prefix, key, label in _EDU_BLOCKS:
        text = _SCHOOL_PREFIX.sub("", d.get(f"{prefix}_XueLi", ""))
        if text:
            code = code_of("education", text)
            if code is None:
                err(f"{label}学历", f"未知的学历“{d.get(f'{prefix}_XueLi')}”（应为GB/T 4658中的名称，如大学本科）")
            else:
                educations.append(code)
                profile[f"{key}_education"] = code
        deg = d.get(f"{prefix}_XueWei", "")
        if deg:
            profile[f"{key}_degree"] = next((c for word, c in _DEGREE_ORDER if word in deg), "0")
        school = d.get(f"{prefix}_XueLi_BiYeYuanXiaoXi", "") or d.get(f"{prefix}_XueWei_BiYeYuanXiaoXi", "")
        if school:
            profile[f"{key}_school"] = school
    if educations:
        person["education"] = min(educations)  # codes ascend from 研究生 (10)
    _profile_texts(d, profile, ctx, err)
    family = _family(d.get("JiaTingChengYuan", []), info, ctx.today, err)
    photo, photo_sha = _photo(d.get("ZhaoPian", ""), err)
    degree_text = d.get("QuanRiZhiJiaoYu_XueWei", "") + d.get("ZaiZhiJiaoYu_XueWei", "")
    if degree_text:
        person["degree"] = next((c for word, c in _DEGREE_ORDER if word in degree_text), "0")
    place = d.get("JiGuan", "")
    if place:
        code = ctx.place_code(place)
        if code is None:
            ambiguous = bool(ctx.places.candidates(place))  # 朝阳区: the note names the places, none is guessed
            notes.append((filename, f"{ctx.places.problem(place)}，未更新" if ambiguous else f"籍贯“{place}”未对应到行政区划代码，未更新"))
        else:
            person["native_place"] = code
    jianli = d.get("JianLi", "")
    lines = len(re.findall(r"\r\n|\r|\n", jianli)) + 1
    if lines > MAX_RESUME_LINES:  # before parsing: each line becomes work (and wrapped lines are joined)
        err("简历", f"简历共{lines}行，超过{MAX_RESUME_LINES}行，不是任免审批表的简历")
        resume = []
    else:
        try:
            resume = lrmx.parse_resume(jianli)
        except lrmx.LrmxError as exc:
            err(exc.field or "简历", str(exc))
            resume = []
    if len(errors) != before:
        return None
    party = re.sub(r"\s", "", d.get("RuDangShiJian", ""))
    rec = _Record(filename=filename, id_number=info.number, id_index=id_number_index(info.number), person=person, resume=resume,
                  profile=profile, family=family, photo=photo, photo_sha256=photo_sha,
                  is_party_member=not _NOT_A_MEMBER.search(party), native_place_text=place)  # fmt: skip
    for line in resume:
        if line.end is not None and line.end == line.start:
            notes.append((filename, f"简历第{line.line}行起止为同一月份，未生成任职记录"))
            continue
        text = re.sub(r"（兼任.*）$", "", line.text).strip()
        rank = re.fullmatch(r"（(.+)）", text)
        if rank and rank.group(1) in _RANK_BY_LABEL:  # the older form, without the unit
            rec.ranks.append((line, _RANK_BY_LABEL[rank.group(1)], None))
            continue
        hit = ctx.unit_of(text)
        if hit is None:
            kind = "职级" if text.endswith(tuple(_RANK_BY_LABEL)) else "任职"
            notes.append((filename, f"简历第{line.line}行“{text[:30]}”未对应管理范围内的单位，未生成{kind}记录"))
            continue
        unit_id, title = hit
        both = _POST_AND_RANK.fullmatch(title)
        if title in _RANK_BY_LABEL:  # "六安市财政局二级调研员": a 职级 of that unit, never a post
            rec.ranks.append((line, _RANK_BY_LABEL[title], unit_id))
        elif both:  # "财政局副局长、二级调研员": the post and the rank
            rec.appointments.append((line, unit_id, both.group(1)))
            rec.ranks.append((line, _RANK_BY_LABEL[both.group(2)], unit_id))
        else:
            rec.appointments.append((line, unit_id, title))
    return rec


def _profile_texts(d: dict, profile: dict, ctx: _Context, err) -> None:
    """出生地, 健康状况, 专业技术职务, 熟悉专业有何专长 into ``profile`` (non-empty ones), length-checked."""
    limits = {f.name: f.max_length for f in CadreProfile._meta.get_fields() if getattr(f, "max_length", None)}
    for tag, key, label in (("ChuShengDi", "birthplace", "出生地"), ("JianKangZhuangKuang", "health", "健康状况"),
                            ("ZhuanYeJiShuZhiWu", "tech_title", "专业技术职务"), ("ShuXiZhuanYeYouHeZhuanChang", "specialty", "熟悉专业有何专长")):  # fmt: skip
        text = re.sub(r"\s*\r?\n\s*", "", d.get(tag, ""))
        if not text:
            continue
        if len(text) > limits[key]:
            err(label, f"{label}超过{limits[key]}个字")
            continue
        profile[key] = text
    for key, _, label in ((f"{k}_school", None, f"{lab}毕业院校系及专业") for _, k, lab in _EDU_BLOCKS):
        if len(profile.get(key, "")) > limits[key]:
            err(label, f"{label}超过{limits[key]}个字")
    if profile.get("birthplace"):
        profile["birthplace_code"] = ctx.place_code(profile["birthplace"]) or ""


def _family(items: list[dict], info, today: dt.date, err) -> list[dict]:
    """The ``JiaTingChengYuan`` items as FamilyMember field dicts, in order; errors name the row."""
    listed = [(n, item) for n, item in enumerate(items, start=1)
              if item.get("ChengWei", "").strip() or item.get("XingMing", "").strip()]  # fmt: skip
    if len(listed) > MAX_FAMILY:  # before any row is checked: one message, not one per row
        err("家庭主要成员及重要社会关系", f"家庭成员{len(listed)}人，超过{MAX_FAMILY}人")
        return []
    rows = []
    for n, item in listed:
        rel_text, name = item.get("ChengWei", "").strip(), re.sub(r"\s", "", item.get("XingMing", ""))
        where = f"家庭成员第{n}行"
        if rel_text in _SPOUSE_WORDS:
            relation = "husband" if info is not None and info.gender == "2" else "wife"
        else:
            relation = _RELATION_BY_TEXT.get(rel_text)
        if relation is None:
            err("家庭主要成员及重要社会关系", f"{where}称谓“{rel_text}”不在可选范围内（妻子、丈夫、儿子、女儿、父亲、母亲、岳父、岳母……）")
        if not name:
            err("家庭主要成员及重要社会关系", f"{where}缺少姓名")
        elif len(name) > 40:
            err("家庭主要成员及重要社会关系", f"{where}姓名超过40个字")
        birth = None
        raw = item.get("ChuShengRiQi", "").strip()
        if raw:
            try:
                parsed = parse_date(raw)
                birth = parsed.date if parsed else None
            except DateParseError:
                err("家庭主要成员及重要社会关系", f"{where}出生日期“{raw}”不是有效日期（应为197503或1975.03）")
            if birth is not None and birth > today:
                err("家庭主要成员及重要社会关系", f"{where}出生日期{birth:%Y.%m}晚于今天")
                birth = None
            elif birth is not None and birth < dt.date(1900, 1, 1):
                err("家庭主要成员及重要社会关系", f"{where}出生日期早于1900年")
                birth = None
        pol_text = item.get("ZhengZhiMianMao", "").strip()
        political = POLITICAL_STATUS_BY_TEXT.get(pol_text, None) if pol_text else ""
        if political is None:
            err("家庭主要成员及重要社会关系", f"{where}政治面貌“{pol_text}”不是GB/T 4762中的名称（如中共党员、共青团员、群众）")
        work = re.sub(r"\s*\r?\n\s*", "", item.get("GongZuoDanWeiJiZhiWu", ""))
        if len(work) > 120:
            err("家庭主要成员及重要社会关系", f"{where}工作单位及职务超过120个字")
        rows.append({"relation": relation, "name": name, "birth_date": birth, "political_status": political or "", "work": work})
    return rows


def _photo(text: str, err) -> tuple[bytes | None, str]:
    """(bytes to store, SHA-256 of the decoded file) of a ``ZhaoPian`` base64 text; (None, '') when empty."""
    compact = re.sub(r"\s", "", text or "")
    if not compact:
        return None, ""
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        err("照片", "照片（ZhaoPian）不是有效的base64编码")
        return None, ""
    try:
        stored, _ = profile_svc.photo_normalize(raw)
    except profile_svc.ProfileError as exc:
        err("照片", str(exc))
        return None, ""
    return stored, hashlib.sha256(raw).hexdigest()


def _same_photo(profile: CadreProfile, rec: _Record) -> bool:
    """True when the stored photo is the file's (an exported photo coming back) or what the file's
    photo becomes once stored (the same file imported twice)."""
    if not profile.photo:
        return False
    try:
        with profile.photo.open("rb") as fh:
            stored = hashlib.sha256(fh.read()).hexdigest()
    except (FileNotFoundError, OSError):
        return False
    return stored in (rec.photo_sha256, hashlib.sha256(rec.photo or b"").hexdigest())


def _classify(records: list[_Record], scope: Scope, defaults: LrmxDefaults | None, errors: list[FileError]) -> list[_Record]:
    persons = {p.id_number_index: p for p in Person.objects.filter(id_number_index__in=[r.id_index for r in records])}
    cadres = {c.person_id: c for c in Cadre.objects.filter(person__in=persons.values()).select_related("unit", "person")}
    # the branch of people who are party members but not cadres yet: a person of another county
    # must not be renamed or re-coded by this import (nor become this county's cadre)
    member_paths = dict(PartyMember.objects.filter(person__in=persons.values()).values_list("person_id", "org__path"))
    good = []
    for rec in records:
        rec.person_obj = persons.get(rec.id_index)
        rec.cadre_obj = cadres.get(rec.person_obj.pk) if rec.person_obj else None
        if rec.person_obj is not None and "native_place" in rec.person and _same_place(
                rec.person_obj.native_place, rec.native_place_text, rec.person["native_place"]):
            del rec.person["native_place"]  # the form's 安徽六安 (or 安徽) of a 金安区 person: the finer code stays
        if rec.person_obj is not None and "work_start_date" in rec.person and _same_month(
                rec.person_obj.work_start_date, rec.person["work_start_date"]):
            del rec.person["work_start_date"]  # the form's 200311 of 2003-11-11: the stored day stays
        cadre = rec.cadre_obj
        outside = (cadre is not None and not cadre.unit.path.startswith(scope.unit_path)) or (
            cadre is None and rec.person_obj is not None
            and not member_paths.get(rec.person_obj.pk, scope.org_path).startswith(scope.org_path))
        if outside:
            # one message for a cadre and for a member outside the scope
            errors.append(FileError(rec.filename, "身份证号", "该身份证号的人员不在您的管理范围内"))
            continue
        if cadre is not None and not may_manage(scope, cadre):
            errors.append(FileError(rec.filename, "身份证号", "市管干部由市委组织部导入"))
            continue
        if cadre is None and (defaults is None or defaults.unit is None or not defaults.post_level or not defaults.management_level):
            errors.append(FileError(rec.filename, "工作单位", "系统中尚无此干部：请在导入页选择新增干部的工作单位、职务级别和管理权限"))
            continue
        good.append(rec)
    return good


def lrmx_import(*, actor: Actor, scope: Scope, files: list[tuple[str, bytes]], defaults: LrmxDefaults | None = None,
                today: dt.date) -> LrmxResult:  # fmt: skip
    """Validate every file of ``files`` [(filename, bytes)] for ``scope``; when none has an error,
    write them all in one transaction (see the module docstring) and audit each. Returns LrmxResult;
    more than MAX_FILES files: one error and nothing parsed or written.

    Raises PermissionDenied unless the scope is an administrator's, and when ``defaults`` name a unit
    outside the scope or a 市管 level chosen by a county administrator; ValueError for an unknown 职务级别 code.
    """
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能导入干部信息")
    if defaults is not None and defaults.unit is not None:
        if not defaults.unit.path.startswith(scope.unit_path):
            raise PermissionDenied("工作单位不在您的管理范围内")
        if defaults.management_level == ManagementLevel.CITY and scope.role != Role.CITY_ADMIN:
            raise PermissionDenied("市管干部由市委组织部管理")
        if defaults.post_level and not codes.is_code("post_level", defaults.post_level):
            raise ValueError(f"unknown post level {defaults.post_level!r}")
    result = LrmxResult(files=len(files))
    if len(files) > MAX_FILES:  # before any file is parsed (the import page counts them as it reads them)
        result.errors.append(FileError("本次导入", "文件", f"共{len(files)}个文件，一次最多导入{MAX_FILES}个，请分批导入"))
        return result
    ctx = _Context(scope)
    ctx.today = today
    records: list[_Record] = []
    seen: dict[str, str] = {}
    for filename, data in files:
        rec = _validate(filename, data, ctx, result.errors, result.notes)
        if rec is None:
            continue
        if rec.id_index in seen:
            result.errors.append(FileError(filename, "身份证号", f"与{seen[rec.id_index]}是同一人（身份证号重复）"))
            continue
        seen[rec.id_index] = filename
        records.append(rec)
    records = _classify(records, scope, defaults, result.errors)
    if result.errors or not files:
        return result
    written_files: list[str] = []
    try:
        with transaction.atomic():
            _lock_for_write(records)
            for rec in records:
                outcome = _write(rec, actor=actor, scope=scope, defaults=defaults, today=today, written_files=written_files)
                setattr(result, outcome, getattr(result, outcome) + 1)
            audit_record(
                actor, "cadres.lrmx_import_batch", object_type="Cadre", scope_unit_path=scope.unit_path,
                summary=f"导入任免审批表{len(files)}份：新增{result.created}人，更新{result.updated}人，未变{result.unchanged}人",
                after={"files": [f for f, _ in files], "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )  # fmt: skip
    except BaseException as exc:
        from django.core.files.storage import default_storage

        for name in written_files:  # all or nothing: photos of a rolled-back import go too
            default_storage.delete(name)
        if isinstance(exc, _ResumeRefused):
            result.created = result.updated = result.unchanged = 0
            result.errors.append(FileError(exc.filename, "简历", exc.message))
            return result
        raise
    return result


def _lock_for_write(records: list[_Record]) -> None:
    """Take the import's locks at the start of its write transaction, in the order of the other cadre
    writers (``roster_import``): the Person, PartyMember and Cadre rows of the files' persons on file
    ``SELECT … FOR UPDATE`` in id order, then named locks on the teamless 职务 the résumés may create
    (``career.hold_post_titles``: (unit id, title) pairs the units have no post of), all at once so that
    two imports never hold some and wait for others; then the rows of the leadership teams whose posts
    the résumés' current lines name (``career.lock_team``'s lock, taken for all of them at once in id
    order), so that a current post's 职数 is counted as an appointment on the page counts it. Two
    imports naming the same new post then create it once: the second waits for the first to commit and takes its post. PostgreSQL only in effect:
    on SQLite FOR UPDATE is not sent and BEGIN IMMEDIATE already serialises writers.

    The files were validated before this transaction; a change by another writer in between is not
    re-checked here (the 干部名册 import validates under its locks; this import does not yet)."""
    from zugong.cadres.services.career import hold_post_titles, lock_team

    person_ids = sorted(r.person_obj.pk for r in records if r.person_obj is not None)
    if person_ids:
        for model, field in ((Person, "pk"), (PartyMember, "person_id"), (Cadre, "person_id")):
            list(model.objects.filter(**{f"{field}__in": person_ids}).select_for_update().order_by("pk").values_list("pk", flat=True))
    wanted = {(unit_id, title) for r in records for _, unit_id, title in r.appointments}
    posts = list(Post.objects.filter(unit_id__in={u for u, _ in wanted}).values_list("unit_id", "title", "team_id"))
    have = {(u, t) for u, t, _ in posts}
    hold_post_titles(wanted - have)
    # the teams whose seats the current posts of the résumés may take (职数 is counted under the team's
    # lock, as ``career.appointment_create`` counts it), in id order, after the cadres
    current = {(unit_id, title) for r in records for line, unit_id, title in r.appointments if line.end is None}
    for team in sorted({team for u, t, team in posts if team is not None and (u, t) in current}):
        lock_team(team)


_PERSON_AUDITED = ("name", "ethnicity", "education", "degree", "work_start_date", "native_place")


def _write(rec: _Record, *, actor: Actor, scope: Scope, defaults: LrmxDefaults | None, today: dt.date,
           written_files: list[str]) -> str:  # fmt: skip
    """Write one validated file; returns "created", "updated" or "unchanged"."""
    person = rec.person_obj
    before: dict = {}
    changed: dict = {}
    if person is None:
        v = rec.person
        person = Person.objects.create(**person_fields(PersonData(
            name=v["name"], id_number=rec.id_number, ethnicity=v.get("ethnicity") or codes.HAN,
            education=v.get("education", ""), degree=v.get("degree", "0"), work_start_date=v.get("work_start_date"),
            native_place=v.get("native_place", ""),
        )))  # fmt: skip
        changed = {k: getattr(person, k) for k in _PERSON_AUDITED}
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        changed = {k: v for k, v in rec.person.items() if getattr(person, k) != v}
        if changed:
            before = {k: getattr(person, k) for k in changed}
            for k, v in changed.items():
                setattr(person, k, v)
            if "name" in changed:
                person.name_initials, person.stroke_key = name_initials(person.name), name_stroke_key(person.name)
            person.save()
    cadre = rec.cadre_obj
    created = cadre is None
    if created:
        cadre = Cadre.objects.create(person=person, unit=defaults.unit, post_level=defaults.post_level,
                                     management_level=defaults.management_level, is_party_member=rec.is_party_member)  # fmt: skip
    facts = _write_resume(rec, cadre, scope)
    prof_before, prof_after = _write_profile(rec, cadre, written_files)
    if prof_after:
        before.update(prof_before)
        changed = {**changed, **prof_after}
    outcome = "created" if created else ("updated" if changed or facts else "unchanged")
    if outcome != "unchanged":
        audit_record(
            actor, "cadres.lrmx_import", object_type="Cadre", object_id=cadre.pk, scope_unit_path=cadre.unit.path,
            summary=f"导入任免审批表{rec.filename}：{person.name}（{'新增' if created else '更新'}）",
            before=before or None, after={**changed, "resume_facts": facts},
        )  # fmt: skip
    return outcome


def _family_key(rows) -> list[tuple]:
    return [(r["relation"], r["name"], r["birth_date"], r["political_status"], r["work"]) for r in rows]


def _write_profile(rec: _Record, cadre: Cadre, written_files: list[str]) -> tuple[dict, dict]:
    """Profile fields, family list and photo of one file; returns (before, after) of what changed."""
    stored = CadreProfile.objects.select_for_update().filter(cadre=cadre).first()
    edu_keys = {f"{k}_{f}" for _, k, _ in _EDU_BLOCKS for f in ("education", "degree", "school")}
    if (stored is None or not (stored.fulltime_education or stored.inservice_education)) and set(rec.profile) & edu_keys <= {
            "fulltime_education", "fulltime_degree"} and rec.profile.get("fulltime_education") == cadre.person.education \
            and rec.profile.get("fulltime_degree", "0") == (cadre.person.degree or "0"):
        # the export printed the Person's one 学历/学位 as 全日制教育: coming back, it is no news
        rec.profile = {k: v for k, v in rec.profile.items() if k not in edu_keys}
    if stored is not None and rec.profile.get("birthplace") == lrmx.birthplace_text(stored):
        # the 出生地 the form printed from what is stored (安徽六安 of 金安区): coming back, it is no news
        rec.profile = {k: v for k, v in rec.profile.items() if k not in ("birthplace", "birthplace_code")}
    if not rec.profile and not rec.family and rec.photo is None:
        return {}, {}
    profile = stored or CadreProfile.objects.create(cadre=cadre)
    changed = {k: v for k, v in rec.profile.items() if getattr(profile, k) != v}
    before = {k: getattr(profile, k) for k in changed}
    for k, v in changed.items():
        setattr(profile, k, v)
    if rec.photo is not None and not _same_photo(profile, rec):
        old = profile_svc.photo_store(profile, rec.photo, "jpeg" if rec.photo.startswith(profile_svc.JPEG_MAGIC) else "png")
        written_files.append(profile.photo.name)
        profile_svc.delete_file_on_commit(old)
        before["photo"], changed["photo"] = old, profile.photo.name
    profile.save()
    if rec.family:
        existing = list(FamilyMember.objects.filter(cadre=cadre).order_by("sort", "id").values(
            "relation", "name", "birth_date", "political_status", "work"))
        if _family_key(existing) != _family_key(rec.family):
            FamilyMember.objects.filter(cadre=cadre).delete()
            FamilyMember.objects.bulk_create([FamilyMember(cadre=cadre, sort=i, **row) for i, row in enumerate(rec.family, start=1)])
            before["family"] = [f"{Relation(r['relation']).label} {r['name']}" for r in existing]
            changed["family"] = [f"{Relation(r['relation']).label} {r['name']}" for r in rec.family]
    return before, changed


def _same_place(code: str, text: str, read: str = "") -> bool:
    """Whether the 籍贯 ``text`` of a file (read as the code ``read``) says no more than the stored
    ``code``: what the form prints for it (``lrmx.place_text``: 江苏南京 for 320102) or a place that
    holds it (安徽 for 341502: 340000 encloses it). The finer stored code then stays."""
    if not code:
        return False
    return re.sub(r"\s", "", text) in (lrmx.place_text(code), code) or bool(read) and code.startswith(code_prefix(read))


def _same_month(a: dt.date | None, b: dt.date | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and (a.year, a.month) == (b.year, b.month))


#: 入党时间 texts of someone who is not a member of the Communist Party: 群众, 无党派人士, a democratic
#: party (with or without its date of joining, "199806民盟"). A date, 中共党员 or an empty cell is a member.
_NOT_A_MEMBER = re.compile(r"群众|无党派|民革|民盟|民建|民进|农工|致公|九三|台盟")


class _ResumeRefused(Exception):
    """A résumé line the career rules refuse (职数, 影响期): the whole import is rolled back."""

    def __init__(self, filename: str, message: str):
        super().__init__(message)
        self.filename, self.message = filename, message


def _write_resume(rec: _Record, cadre: Cadre, scope: Scope) -> list[str]:
    """Appointments and ranks from the résumé lines not yet recorded; returns what was added or closed.

    A current post (an open line) passes the same rules as an appointment made on the page
    (``career.check_appointment``: 职数, waiting periods) — raises _ResumeRefused otherwise; it ends the
    open main posts that began before it. A rank line ends the running rank that began before it, so a
    cadre never holds two running ranks; a new current rank that is a promotion passes the waiting
    periods (both as ``career.rank_grant``), else raises _ResumeRefused. For a county administrator, a line
    that would record, or end, a post of a 市管 leadership team raises _ResumeRefused (those are the
    city administrator's, ``access.require_manage_post``).
    """
    from zugong.cadres.services import career

    def city_seat(post: Post, text: str) -> None:
        if team_is_city(post.team) and scope.role != Role.CITY_ADMIN:
            raise _ResumeRefused(rec.filename, f"简历“{text}”：{city_team_refusal(post.team)}")

    facts: list[str] = []
    added_current: list[Appointment] = []
    appts = list(Appointment.objects.filter(cadre=cadre, is_concurrent=False).select_related("post", "post__unit", "post__team"))
    for line, unit_id, title in rec.appointments:
        match = next((a for a in appts if a.post.unit_id == unit_id and a.post.title == title and _same_month(a.start, line.start)), None)
        if match is not None:
            if match.end is None and line.end is not None and line.end > match.start:
                city_seat(match.post, line.text)
                match.end = line.end
                match.save(update_fields=["end"])
                facts.append(f"{line.text}：免职时间{line.end:%Y.%m}")
            continue
        post = Post.objects.filter(unit_id=unit_id, title=title).select_related("team").order_by("id").first()
        if post is None:
            post = Post.objects.create(unit_id=unit_id, title=title, post_level=cadre.post_level if line.end is None else "99")
        city_seat(post, line.text)
        if line.end is None:  # a new current post ends the open main posts that began before it
            for a in appts:
                if a.end is None and a.start < line.start:
                    city_seat(a.post, a.post.written_name)
                    a.end = line.start
                    a.save(update_fields=["end"])
                    facts.append(f"免职：{a.post.written_name}（{line.start:%Y.%m}）")
            try:  # the team's row is held since _lock_for_write
                career.check_appointment(cadre, post, line.start)
            except rules.RuleViolation as exc:
                raise _ResumeRefused(rec.filename, f"简历“{line.text}”不能登记为现任职务：{exc}") from None
        appts.append(Appointment.objects.create(cadre=cadre, post=post, start=line.start, end=line.end))
        facts.append(f"任职：{line.text}（{line.start:%Y.%m}）")
        if line.end is None:
            added_current.append(appts[-1])
    ranks = list(CadreRank.objects.filter(cadre=cadre))
    for line, code, _unit in rec.ranks:
        if any(r.rank == code and _same_month(r.start, line.start) for r in ranks):
            continue
        end = line.end
        if end is None:
            later = [r.start for r in ranks if r.end is None and r.start > line.start]
            if not later:  # a new current rank: a promotion passes the waiting periods, as in rank_grant
                running = next((r.rank for r in ranks if r.end is None and r.start < line.start), None)
                try:
                    rules.check_waiting_period(dates=career.waiting_dates(cadre), on=line.start, leadership_post=False,
                                               promotion=rules.rank_is_promotion(running, code))  # fmt: skip
                except rules.RuleViolation as exc:
                    raise _ResumeRefused(rec.filename, f"简历“{line.text}”不能登记为现任职级：{exc}") from None
            for r in ranks:
                if r.end is None and r.start < line.start:  # the running rank ends where the new one starts
                    r.end = line.start
                    r.save(update_fields=["end"])
                    facts.append(f"职级：{rules.RANK_LABELS.get(r.rank, r.rank)}至{line.start:%Y.%m}")
            later = [r.start for r in ranks if r.end is None and r.start > line.start]
            end = min(later) if later else None  # an older open line: it ran until the recorded rank began
        ranks.append(CadreRank.objects.create(cadre=cadre, rank=code, start=line.start, end=end))
        facts.append(f"职级：{rules.RANK_LABELS[code]}（{line.start:%Y.%m}）")
    _follow_current_post(cadre, added_current, facts)
    _move_to_rank_unit(rec, cadre, appts, facts)
    return facts


def _follow_current_post(cadre: Cadre, added: list[Appointment], facts: list[str]) -> None:
    """The 工作单位 and 职务级别 of a cadre whose 简历 adds a current main post (the latest begun of the
    open lines this import recorded) become that post's, as ``career.appointment_create`` sets them: a
    cadre is counted and written where its main post is (金安区一镇副镇长 works in 金安区一镇, not in
    金安区 chosen on the import page). A post of level 99 (未定职) leaves the 职务级别 as it is."""
    if not added:
        return
    post = max(added, key=lambda a: a.start).post
    fields = []
    if post.unit_id != cadre.unit_id:
        old = cadre.unit.name
        cadre.unit = post.unit
        fields.append("unit")
        facts.append(f"工作单位：{old}改为{post.unit.name}（简历现任职务）")
    if post.post_level and post.post_level != "99" and post.post_level != cadre.post_level:
        old = cadre.get_post_level_display()
        cadre.post_level = post.post_level
        fields.append("post_level")
        facts.append(f"职务级别：{old}改为{cadre.get_post_level_display()}（简历现任职务）")
    if fields:
        cadre.save(update_fields=[*fields, "updated_at"])


def _move_to_rank_unit(rec: _Record, cadre: Cadre, appts: list[Appointment], facts: list[str]) -> None:
    """A cadre left without a current main post whose 简历 ends in an open 职级 line naming a unit
    ("2021.03--  六安市财政局二级调研员", the latest begun of such lines) works in that unit: the 工作单位
    (``Cadre.unit``, where a rank holder is counted and written, ``selectors_record.resume_lines``)
    becomes it, for a cadre created by this import too (the unit chosen on the import page gives way
    to the file's). The unit lies in the scope (``_Context.unit_of``). A cadre holding a main post
    keeps the post's unit."""
    open_ranks = sorted(((line.start, unit_id) for line, _, unit_id in rec.ranks if line.end is None and unit_id is not None))
    if not open_ranks or any(a.end is None for a in appts):
        return
    unit_id = open_ranks[-1][1]
    if unit_id == cadre.unit_id:
        return
    old = cadre.unit.name
    cadre.unit = Unit.objects.get(pk=unit_id)
    cadre.save(update_fields=["unit", "updated_at"])
    facts.append(f"工作单位：{old}改为{cadre.unit.name}（简历现任职级）")
