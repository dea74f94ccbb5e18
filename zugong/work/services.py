"""Writes of 工作落实: documents, the 任务分解表, progress reports. Every function runs in one
transaction with its audit event (``zugong.core.audit``), scope-checked.

Errors: ``PermissionDenied`` for read-only roles and for units/tasks the user may not write;
``django.core.exceptions.ValidationError`` (Chinese message) for bad input;
``zugong.work.text.extract.UnsupportedDocument`` for files that cannot be read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from zugong.core.audit import Actor, audit_record
from zugong.core.models import Role
from zugong.core.scope import Scope, require_write
from zugong.orgs.models import OrgKind, PartyOrganization, Unit, UnitKind
from zugong.work.models import (
    COUNT_UNITS,
    DEFAULT_THRESHOLDS,
    THRESHOLD_RANGE,
    DocumentKind,
    EvidenceFile,
    Pillar,
    ProgressReport,
    StatusThreshold,
    Target,
    Task,
    TaskKind,
    ThresholdKey,
    WorkDocument,
    number_text,
)
from zugong.work.text.clean import Edit, apply_edits
from zugong.work.text.deadlines import find_deadline
from zugong.work.text.extract import extract_text
from zugong.work.text.parties import normalize
from zugong.work.text.structure import plan_year
from zugong.work.text.tasks import Analysis, analyse

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _audit(actor: Actor, action: str, document: WorkDocument, *, object_type="WorkDocument", object_id=None,
           summary="", before=None, after=None) -> None:
    audit_record(actor, action, object_type=object_type, object_id=object_id if object_id is not None else document.pk,
                 summary=summary, before=before, after=after, scope_unit_path=document.owner_unit.path)


def _require_owner(scope: Scope, document: WorkDocument) -> None:
    require_write(scope)
    if not scope.has_unit_path(document.owner_unit.path):
        raise PermissionDenied("只有文件所属单位可以修改任务分解表")


# ----------------------------------------------------------------------------- party → unit


def _county_org_dept(county: Unit) -> Unit:
    """The county's 组织部 organ when the tree has one (name ending 委组织部), else the county itself."""
    organ = Unit.objects.filter(parent=county, kind=UnitKind.ORGAN, name__endswith="组织部").first()
    return organ or county


#: Kinds of unit a document names by their own name as doers (金安区、裕安区要……; 城关镇要……).
PLACE_KINDS = (UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT)


def place_names(owner: Unit) -> frozenset[str]:
    """Names of the counties, townships and subdistricts below ``owner`` (not the owner itself): the
    places a document of the owner may name as doers, passed to the extraction
    (``zugong.work.text.tasks.analyse`` ``places``). One query; a city has some 150."""
    below = Unit.objects.filter(path__startswith=owner.path, kind__in=PLACE_KINDS).exclude(pk=owner.pk)
    return frozenset(below.values_list("name", flat=True))


#: A county's organization department named with the county (金安区委组织部): the county's name.
_PLACE_ORG_DEPT = re.compile(r"^(.{2,10}?[县区市])委组织部$")


def resolve_party(owner: Unit, kind: str, text: str = "") -> list[Unit]:
    """Units a normalized party kind (``zugong.work.text.parties``) stands for, found by names in the Unit tree.

    When the kind names no definite unit, the party's own ``text`` (e.g. 市财政局, 县人社局) is looked
    up among the organs of the owner's city: the organ of that exact name, else the one nearest the
    owner whose name ends with the text without its 市/县/区 prefix (财政局 → 六安市财政局).

    各县区 → the county units below the owner; 县区委组织部(长) → each county's 组织部 organ (or the
    county); 市委组织部 / 市委 / 人才工作领导小组 → the organ so named in the city; 各乡镇（街道）→ township
    and subdistrict units below the owner; 市县 → the city's 组织部 and the counties; a place named
    by its name (kind ``place``: 金安区) → that county/township below the owner, and its 组织部
    (金安区委组织部, kind ``organ``) → the organ of that name, else the place's 组织部 organ or the
    place itself (:func:`_county_org_dept`). Kinds naming no definite unit (各级党委, 有关部门 …)
    resolve to nothing and are kept as text.
    """
    below = Unit.objects.filter(path__startswith=owner.path)
    city_root = owner.path[:4]
    in_city = Unit.objects.filter(path__startswith=city_root)

    def named(*suffixes: str) -> list[Unit]:
        q = Q()
        for s in suffixes:
            q |= Q(name=s) | Q(name__endswith=s)
        return list(in_city.filter(q, kind=UnitKind.ORGAN).order_by("depth", "path")[:1])

    counties = list(below.filter(kind=UnitKind.COUNTY).order_by("path"))
    if kind == "all_counties":
        return counties
    if kind in ("county_org_depts", "county_org_heads"):
        if owner.kind == UnitKind.COUNTY:  # a county's own plan: its own 组织部
            return [_county_org_dept(owner)]
        return [_county_org_dept(c) for c in counties]
    if kind == "city_org_dept":
        return named("市委组织部")
    if kind == "city_committee":
        return named("市委", "市委办公室")
    if kind == "talent_group":
        return named("人才工作领导小组", "人才工作领导小组办公室") or named("市委组织部")
    if kind == "towns":
        return _level_units(below, (UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT),
                            (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE), text)
    if kind == "villages":
        if owner.kind == UnitKind.CITY:
            # a city plan's 各村党组织 would make ~2,000 villages report on one task: kept as text, the
            # counties break it down in their own plans
            return []
        return _level_units(below, (UnitKind.VILLAGE, UnitKind.COMMUNITY),
                            (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE), text)
    if kind == "units" and _GRASSROOTS_COMMITTEES.fullmatch(text.strip()) and owner.kind != UnitKind.CITY:
        # 各基层党委 (党的基层委员会, as the statistics count them: 党委 and 党工委) below a county or town; in a
        # city's plan it is kept as text, like 各村党组织: the counties name theirs in their own plans
        return _units_of_orgs(owner, Q(), (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE), strictly_below=True)
    if kind in ("role", "units", "everyone"):
        return []
    if kind == "place":
        return list(below.filter(name=text.strip(), kind__in=PLACE_KINDS).order_by("depth", "path")[:1])
    if kind == "city_and_counties":
        return named("市委组织部") + counties
    if kind == "org_departments":
        return named("市委组织部") + [_county_org_dept(c) for c in counties]
    if kind == "two_new_committee":
        # 两新工委 / 区非公经济组织和社会组织党委: the unit holding the 两新 committee below the owner
        # at the level its name says (市两新工委 in a city's plan is the city's, never a county's); one unit
        # unless the plan says 各… (各县区两新工委)
        found = _units_of_orgs(owner, Q(name__contains="两新") | Q(name__contains="非公") | Q(name__contains="社会组织"),
                               (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE))
        name = text.strip()
        if name.startswith("各"):
            return found
        county_paths = list(Unit.objects.filter(kind=UnitKind.COUNTY, path__startswith=owner.path).values_list("path", flat=True))
        in_county = [u for u in found if any(u.path.startswith(c) for c in county_paths)]
        if name.startswith("市"):
            found = [u for u in found if u not in in_county]
        elif name[:1] in "县区":
            found = in_county
        return sorted(found, key=lambda u: (u.depth, u.path))[:1]
    found = _organ_named(owner, in_city, text)
    if not found and kind in ("named", "organ") and _PARTY_SIDE_NAME.search(text or ""):
        # a party body named in full (区机关工委, 某某党委): the party organization of that name below the owner
        core = _LEVEL_PREFIX.sub("", text.strip())
        found = _units_of_orgs(owner, Q(name__endswith=core), None)[:1] if len(core) >= 3 else []
    place = _PLACE_ORG_DEPT.match(text.strip()) if not found and kind == "organ" else None
    if place:
        county = below.filter(name=place.group(1), kind__in=PLACE_KINDS).order_by("depth", "path").first()
        if county is not None:
            return [_county_org_dept(county)]
    section = _SECTION.match(text or "") if not found else None
    if section:
        # a section of an organ (市委组织部干部一科, 县委组织部组织股) that the tree does not hold: the organ
        parent = section.group(1)
        return resolve_party(owner, normalize(parent) or "organ", parent)
    if not found and _BARE_SECTION.match(text or ""):
        # a section named alone (组织股, 干部一科) in the department's own plan: that department, when it
        # lies in the owner's subtree (a township's 党政办公室 is not the city's 组织部)
        department = _own_department(owner)
        return [department] if department.path.startswith(owner.path) else []
    return found


#: 各基层党委 / 各基层党（工）委: the 基层党委 row of the statistics (``orgs.models.GRASSROOTS_GROUPS``).
_GRASSROOTS_COMMITTEES = re.compile(r"各?基层党(?:[（(]工[)）])?委|各?基层党(?:工)?委")
#: A party body's name: it may be found among the party organizations, not the units.
_PARTY_SIDE_NAME = re.compile(r"(?:党委|党工委|工委|党组|党总支|党支部|工作委员会)$")
_LEVEL_PREFIX = re.compile(r"^(?:中共)?[市县区镇乡](?:委)?(?=[\u4e00-\u9fff]{3})")


def _units_of_orgs(owner: Unit, names: Q, org_kinds: tuple | None, *, strictly_below: bool = False) -> list[Unit]:
    """Units below ``owner`` (the owner itself too unless ``strictly_below``) holding a party
    organization that matches ``names`` (a Q on PartyOrganization; ``Q()`` for any) and is of
    ``org_kinds`` (any when None), in tree order; one query with a subquery."""
    match = PartyOrganization.objects.filter(names, unit__path__startswith=owner.path)
    if org_kinds:
        match = match.filter(kind__in=org_kinds)
    units = Unit.objects.filter(path__startswith=owner.path, pk__in=match.values("unit_id"))
    if strictly_below:
        units = units.exclude(pk=owner.pk)
    return list(units.order_by("path"))


#: The name of a section inside an organ: the organ's name, then the section's (…科/股/处/室).
_SECTION = re.compile(r"^(.{2,12}?(?:组织部|宣传部|统战部|政法委|局|委员会|办公室))[\u4e00-\u9fff]{1,6}(?:科|股|处|室)$")


#: A section named without its organ, as a department's own plan writes it (【组织股】, 干部一科, 人才办).
_BARE_SECTION = re.compile(r"^[\u4e00-\u9fff]{1,6}(?:科|股|处|室)$")


def _own_department(owner: Unit) -> Unit:
    """The organization department a section of the owner's own plan belongs to: the owner when it is
    an organ, the county's 组织部 for a county, else the city's 市委组织部 (or the owner)."""
    if owner.kind == UnitKind.ORGAN:
        return owner
    if owner.kind == UnitKind.COUNTY:
        return _county_org_dept(owner)
    organ = Unit.objects.filter(path__startswith=owner.path[:4], kind=UnitKind.ORGAN, name__endswith="市委组织部").first()
    return organ or owner


_PARTY_SIDE = re.compile(r"党委|党工委|党[（(]工[)）]委|党组织|党支部|党总支")


def _level_units(below, unit_kinds: tuple, org_kinds: tuple, text: str) -> list[Unit]:
    """Units of ``unit_kinds`` in ``below``; when ``text`` names the party side (党委/党组织 …), those
    holding a party organization of ``org_kinds`` (one query with a join), if any."""
    units = below.filter(kind__in=unit_kinds)
    if _PARTY_SIDE.search(text or ""):
        with_org = list(units.filter(party_orgs__kind__in=org_kinds).distinct().order_by("path"))
        if with_org:
            return with_org
    return list(units.order_by("path"))


#: Short names of government bodies as plans write them, and the full names units carry
#: (区人社局 → 金安区人力资源和社会保障局). Used when no organ is named by the short form itself.
ORGAN_SHORT_NAMES = {
    "人社局": "人力资源和社会保障局", "人力资源社会保障局": "人力资源和社会保障局", "住建局": "住房和城乡建设局",
    "卫健委": "卫生健康委员会", "卫生健康委": "卫生健康委员会", "发改委": "发展和改革委员会", "发展改革委": "发展和改革委员会",
    "教体局": "教育体育局", "自然资源局": "自然资源和规划局", "自规局": "自然资源和规划局", "经信局": "经济和信息化局",
    "科技局": "科学技术局", "文旅局": "文化和旅游局", "交通局": "交通运输局", "农业局": "农业农村局", "农委": "农业农村局",
    "市场监管局": "市场监督管理局", "退役军人局": "退役军人事务局", "应急局": "应急管理局", "医保局": "医疗保障局",
    "国资委": "国有资产监督管理委员会", "编办": "机构编制委员会办公室", "委编办": "委机构编制委员会办公室",
    "政法委": "政法委员会", "委政法委": "委政法委员会", "数据资源局": "数据资源管理局", "法院": "人民法院", "检察院": "人民检察院",
    "妇联": "妇女联合会",
}


def _organ_named(owner: Unit, in_city, text: str) -> list[Unit]:
    """The organ whose name is ``text``, else the nearest one whose name ends with it sans 市/县/区
    (a short name of :data:`ORGAN_SHORT_NAMES` read as the full one: 区人社局 → …人力资源和社会保障局)."""
    text = text.strip()
    if len(text) < 2 or text.startswith("各"):
        return []
    organs = in_city.filter(kind=UnitKind.ORGAN)
    exact = list(organs.filter(name=text).order_by("depth", "path")[:1])
    if exact:
        return exact
    core = text[1:] if text[0] in "市县区" and len(text) > 3 else text
    found = list(organs.filter(name__endswith=core).select_related("parent").order_by("path"))
    if not found:
        short = next((k for k in sorted(ORGAN_SHORT_NAMES, key=len, reverse=True)
                      if core.endswith(k) and len(core) - len(k) <= 1), None)
        if short:
            full = core[: len(core) - len(short)] + ORGAN_SHORT_NAMES[short]
            found = list(organs.filter(name__endswith=full).select_related("parent").order_by("path"))
    if text[0] in "县区" and found:
        # 区人社局 in a county's plan is the county's bureau, never the city's
        found = [u for u in found if u.parent_id is None or u.parent.kind != UnitKind.CITY]
    if not found:
        return []
    # Nearest the owner: the longest shared path prefix, then the shallowest.
    def shared(u: Unit) -> int:
        n = 0
        while n < min(len(u.path), len(owner.path)) and u.path[n] == owner.path[n]:
            n += 1
        return n

    return [max(found, key=lambda u: (shared(u), -u.depth))]


_SINGLE_LEAD_KINDS = ("city_org_dept", "city_committee", "talent_group")


def assign_from_parties(owner: Unit, parties: list[dict]) -> tuple[Unit | None, list[Unit]]:
    """(lead unit, responsible units) for the parties of a task.

    When the plan's fields say who leads (``role`` 'lead' from 牵头单位, 'responsible' from 责任单位/配合单位:
    ``zugong.work.text.fields``), the first unit of the first lead party is the 牵头单位 and every other unit
    is a 责任单位; a sentence's "X牵头，Y配合/负责" gives X role 'lead' too (``zugong.work.text.parties.find_parties``).
    Otherwise a single named organ (市委组织部, 市委 …) or the plan's own organization department (区委组织部 in a
    county's plan: :func:`_own_department`) leads and the rest are responsible.

    A unit and its own organ both named ("各县区要……，各县区委组织部负责": 金安区 and 金安区委组织部)
    are one doer: the organ, which the sentence names for the work, is the 责任单位 and the unit above
    it is dropped (:func:`_without_parents_of_organs`) — else each county would have to report twice
    before the task counts as done.
    """
    lead = None
    responsible: list[Unit] = []
    if any(p.get("role") == "lead" for p in parties):
        for p in sorted(parties, key=lambda p: p.get("role") != "lead"):
            units = resolve_party(owner, p["kind"], p.get("text", ""))
            if lead is None and p.get("role") == "lead" and units:
                lead, units = units[0], units[1:]
            responsible.extend(u for u in units if u not in responsible and u != lead)
        return lead, _without_parents_of_organs(responsible)
    own = None
    for p in parties:
        units = resolve_party(owner, p["kind"], p.get("text", ""))
        if lead is None and units and p["kind"] in ("county_org_depts", "organ") and len(units) == 1:
            own = own or _own_department(owner)
            if units[0] == own:  # the plan's own 组织部 (区委组织部 in 金安区's plan) leads its work
                lead = own
                continue
        if lead is None and p["kind"] in _SINGLE_LEAD_KINDS and units:
            lead = units[0]
            continue
        responsible.extend(u for u in units if u not in responsible)
    return lead, _without_parents_of_organs(responsible)


def _without_parents_of_organs(units: list[Unit]) -> list[Unit]:
    """``units`` without those of which another listed unit is an organ (a child of kind organ:
    金安区 goes when 金安区委组织部 is listed), order kept."""
    parents = {u.parent_id for u in units if u.kind == UnitKind.ORGAN}
    return [u for u in units if u.pk not in parents]


# ----------------------------------------------------------------------------- documents


def _edits_of(document: WorkDocument) -> list[Edit]:
    return [Edit(**e) for e in document.edits]


def _is_post(party: dict) -> bool:
    """A post (村书记, 责任领导), not a body: it names no unit that could report."""
    return party["kind"] == "role" or party.get("role") == "leader"


def _task_counts(document: WorkDocument) -> tuple[int, int]:
    """(tasks, guidance items) of ``document``; one query."""
    counts = dict(document.tasks.values_list("kind").annotate(n=Count("id")).order_by()) if document.pk else {}
    return counts.get(TaskKind.TASK, 0), counts.get(TaskKind.GUIDANCE, 0)


def extraction_counts(document: WorkDocument) -> str:
    """What the extraction of ``document`` gave, as the upload message and the audit summary both say it:
    "任务6条、指导性要求1条" (both counted from the saved rows; one query)."""
    n_task, n_guidance = _task_counts(document)
    return f"任务{n_task}条、{TaskKind.GUIDANCE.label}{n_guidance}条"


def document_plan_year(document: WorkDocument) -> int | None:
    """The year ``document`` plans for when it is the year after its date ("2027年金安区组织工作要点" dated
    2026-12-01: 2027), else None; read from its title and first lines (``text.structure.plan_year``), as the
    analysis read it. Deadline phrases typed later (年底前) are resolved in that year."""
    return plan_year(document.title, document.analysed_text or document.raw_text, document.document_date)


def _document_doer(owner: Unit) -> Unit:
    """Who does the work a document of ``owner`` assigns to nobody by name: the owner itself (a branch's or
    a township's own plan), but for a county or the city, whose plans the organization department writes,
    that 组织部 (:func:`_own_department`: 金安区委组织部, else the county)."""
    if owner.kind in (UnitKind.CITY, UnitKind.COUNTY):
        return _own_department(owner)
    return owner


def _create_tasks(document: WorkDocument, analysis: Analysis, *, start_seq: int = 1) -> int:
    """Create Task/Target rows for the analysis (tasks and guidance items), return the count.

    A task that names no body (no party, or posts only) is given the document's own doer as 牵头单位 and
    责任单位 (:func:`_document_doer`): a branch's own plan names nobody, and its secretary must be able to
    report on it."""
    owner = document.owner_unit
    doer = None
    seq = start_seq
    for t in analysis.tasks:
        parties = [{"text": p.text, "kind": p.kind, "start": p.start, "end": p.end, **({"role": p.role} if p.role else {})}
                   for p in t.parties]
        lead, responsible = assign_from_parties(owner, parties) if t.kind == "task" else (None, [])
        if t.kind == "task" and lead is None and not responsible and all(_is_post(p) for p in parties):
            # no body named (a branch's own plan: "每季度召开1次支部党员大会"): the document's unit does it
            doer = doer or _document_doer(owner)
            lead, responsible = doer, [doer]
        d = t.deadline
        if d is not None:
            deadline_text, deadline_span, due = d.text, (d.start, d.end), d.due
        elif t.standing:
            # standing work (完成时限：持续推进 / 长期坚持): the text goes to 完成时限 with no due date
            deadline_text, deadline_span, due = t.standing, t.standing_span or (None, None), None
        else:
            deadline_text, deadline_span, due = "", (None, None), None
        task = Task.objects.create(
            document=document, seq=seq, kind=t.kind, heading_path=t.heading_path, action=(t.action.strip() or t.text.strip())[:300],
            text=t.text, span_start=t.start, span_end=t.end, action_start=t.action_span[0], action_end=t.action_span[1],
            pillar=t.pillar if t.pillar in Pillar.values else Pillar.ORGANIZATION,
            deadline_text=deadline_text[:60], deadline_start=deadline_span[0],
            deadline_end=deadline_span[1], due=due, parties=parties, lead_unit=lead,
        )
        if responsible:
            task.responsible_units.set(responsible)
        Target.objects.bulk_create([
            Target(task=task, sort=i, value=Decimal(str(tg.value)),
                   max_value=Decimal(str(tg.max)) if tg.max is not None else None,
                   unit=tg.unit[:10], qualifier=(tg.qualifier or "")[:10], object=(tg.object or "")[:60],
                   span_start=tg.start, span_end=tg.end)
            for i, tg in enumerate(t.targets)
        ])
        seq += 1
    return seq - start_seq


def document_upload(
    *,
    actor: Actor,
    scope: Scope,
    kind: str,
    document_date: dt.date,
    title: str = "",
    speaker: str = "",
    file_name: str = "",
    file_bytes: bytes | None = None,
    text: str = "",
) -> WorkDocument:
    """Upload a document (a .docx/.pdf/.txt file, or pasted ``text``): extract, clean, analyse and
    create its tasks, owned by the user's unit. Title and speaker default to those recognised.

    Raises ValidationError (no content, too large, bad kind, a ``document_date`` after today — a plan for
    next year is dated when issued, its title's year dates 年底前: ``text.structure.plan_year``),
    UnsupportedDocument (file type, scanned PDF), PermissionDenied (read-only role).
    """
    require_write(scope)
    if kind not in DocumentKind.values:
        raise ValidationError("文件类别无效")
    today = timezone.localdate()
    if document_date > today:
        raise ValidationError(f"文件日期 {document_date:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），请填写文件印发或讲话的日期"
                              f"（明年的工作要点也按印发日期填写，标题中的年份用于推算“年底前”等完成时限）")
    if file_bytes is not None:
        if len(file_bytes) > MAX_UPLOAD_BYTES:
            raise ValidationError("文件过大（上限 20MB）")
        raw = extract_text(file_bytes, file_name)
    else:
        raw = text
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not raw.strip():
        raise ValidationError("没有可分析的文本")
    owner = Unit.objects.get(pk=scope.unit_id)
    analysis = analyse(raw, doc_date=document_date, places=place_names(owner))
    doc_meta = analysis.document
    with transaction.atomic():
        document = WorkDocument(
            kind=kind, title=(title or doc_meta.title or Path(file_name).stem or "未命名文件")[:200],
            speaker=(speaker or doc_meta.speaker or "")[:60], document_date=document_date, raw_text=raw,
            edits=[e.as_dict() for e in analysis.cleaned.all_edits], undone=[], cleaned_text=analysis.cleaned.text,
            analysed_text=analysis.cleaned.text, outline=doc_meta.root.as_dict(), owner_unit_id=scope.unit_id,
            created_by=actor.user, original_name=Path(file_name).name[:200] if file_bytes is not None else "",
        )
        if file_bytes is not None:
            document.original.save(Path(file_name).name, ContentFile(file_bytes), save=False)
        document.save()
        _create_tasks(document, analysis)
        n_task, n_guidance = _task_counts(document)
        _audit(actor, "work.document.upload", document, summary=f"上传《{document.title}》，提取{extraction_counts(document)}",
               after={"title": document.title, "kind": kind, "document_date": document_date,
                      "file": document.original_name, "edits": len(document.edits), "tasks": n_task,
                      "guidance": n_guidance})
    return document


def document_set_edit(
    *, actor: Actor, scope: Scope, document: WorkDocument, edit_id: int, undone: bool, reanalyse: bool = False
) -> WorkDocument:
    """Undo (``undone=True``) or restore one cleaning edit; the cleaned text is rebuilt from the
    stored edits. Tasks are re-extracted only when ``reanalyse`` is asked (see :func:`document_reanalyse`).
    """
    _require_owner(scope, document)
    ids = {e["id"] for e in document.edits}
    if edit_id not in ids:
        raise ValidationError("清理修改不存在")
    with transaction.atomic():
        doc = WorkDocument.objects.select_for_update().get(pk=document.pk)
        before = sorted(doc.undone)
        now = set(doc.undone) | {edit_id} if undone else set(doc.undone) - {edit_id}
        doc.undone = sorted(now)
        doc.cleaned_text = apply_edits(doc.raw_text, [e for e in _edits_of(doc) if e.id not in now]).text
        doc.save(update_fields=["undone", "cleaned_text"])
        _audit(actor, "work.document.undo_edit" if undone else "work.document.redo_edit", doc,
               summary=f"{'撤销' if undone else '恢复'}清理修改 #{edit_id}", before={"undone": before},
               after={"undone": doc.undone})
    if reanalyse:
        doc = document_reanalyse(actor=actor, scope=scope, document=doc)
    return doc


def document_reanalyse(*, actor: Actor, scope: Scope, document: WorkDocument) -> WorkDocument:
    """Re-extract the tasks from the current cleaning (undone edits respected), replacing the rows.

    Refused (ValidationError) once any task has a progress report: the table is then in use.
    """
    _require_owner(scope, document)
    if ProgressReport.objects.filter(task__document=document).exists():
        raise ValidationError("已有任务报告了进展，不能重新分析（请在任务分解表中逐条修改）")
    analysis = analyse(document.raw_text, doc_date=document.document_date, undo=frozenset(document.undone),
                       places=place_names(document.owner_unit))
    with transaction.atomic():
        old = extraction_counts(document)
        Task.objects.filter(document=document).delete()
        document.cleaned_text = document.analysed_text = analysis.cleaned.text
        document.outline = analysis.document.root.as_dict()
        document.save(update_fields=["cleaned_text", "analysed_text", "outline"])
        _create_tasks(document, analysis)
        new = extraction_counts(document)
        _audit(actor, "work.document.reanalyse", document, summary=f"重新分析，{old}→{new}",
               before={"extracted": old}, after={"extracted": new, "undone": document.undone})
    return document


# ----------------------------------------------------------------------------- the task table

_GOAL_PART = re.compile(
    r"^(?P<obj>[^\d]*?)(?P<pre>至少|不少于|不低于|超过)?(?P<num>\d+(?:\.\d+)?)(?:\s*[—–\-~～至到]\s*(?P<max>\d+(?:\.\d+)?))?"
    r"\s*(?P<unit>[%％]|[^\d\s左以余多]{0,3}?)(?P<post>左右|以上|以内|以下|余|多)?$"
)


def parse_goal(text: str) -> list[dict]:
    """Parse a typed 具体目标 ("客座教授30名左右；新增20%以上") into target dicts.

    Parts are separated by ；;，、 or new lines; each needs one figure. Raises ValidationError
    naming the part that has none.
    """
    out = []
    for part in re.split(r"[；;，,、\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = _GOAL_PART.match(part)
        if not m:
            raise ValidationError(f"具体目标“{part}”中没有可识别的数值")
        unit = "%" if m["unit"] in ("%", "％") else (m["unit"] or "")
        value, mx = Decimal(m["num"]), Decimal(m["max"]) if m["max"] else None
        if mx is not None and mx < value:
            raise ValidationError(f"具体目标“{part}”的范围上限小于下限")
        out.append({"object": m["obj"].strip()[:60], "qualifier": m["pre"] or m["post"] or "", "value": value,
                    "max_value": mx, "unit": unit[:10]})
    return out


def _task_state(task: Task) -> dict:
    return {
        "seq": task.seq, "kind": task.kind, "action": task.action, "pillar": task.pillar,
        "due": task.due, "deadline_text": task.deadline_text, "goal": task.goal_text(),
        "lead_unit": task.lead_unit.name if task.lead_unit_id else None,
        "responsible_units": sorted(u.name for u in task.responsible_units.all()),
    }


def _check_units(scope: Scope, document: WorkDocument, units: list[Unit]) -> None:
    for u in units:
        if not (u.path.startswith(document.owner_unit.path) and scope.has_unit_path(u.path)):
            raise ValidationError(f"单位“{u.name}”不在本文件所属单位的管理范围内")


_UNSET = object()


def task_update(
    *,
    actor: Actor,
    scope: Scope,
    task: Task,
    action: str | None = None,
    goal: str | None = None,
    pillar: str | None = None,
    due: dt.date | None | object = _UNSET,
    deadline_text: str | None = None,
    lead_unit: Unit | None | object = _UNSET,
    responsible_units: list[Unit] | None = None,
) -> Task:
    """Edit a row of the 任务分解表: any of 重点任务, 具体目标 (re-parsed into targets; typed targets
    lose their text spans), 所属方面, 完成时限 (a date and/or its text, resolved against the
    document date when only text is given), 牵头单位, 责任单位. Units must lie in the document
    owner's subtree and the user's scope. A 年底前 typed into a plan for next year is due at the end of that
    year (:func:`document_plan_year`).
    """
    document = task.document
    _require_owner(scope, document)
    with transaction.atomic():
        before = _task_state(task)
        if action is not None:
            action = action.strip()
            if not action:
                raise ValidationError("重点任务不能为空")
            task.action = action[:300]
            task.action_start = task.action_end = None
        if pillar is not None:
            if pillar not in Pillar.values:
                raise ValidationError("所属方面无效")
            task.pillar = pillar
        if deadline_text is not None and deadline_text.strip() != task.deadline_text:
            task.deadline_text = deadline_text.strip()[:60]
            task.deadline_start = task.deadline_end = None
            if due is _UNSET:
                found = (find_deadline(task.deadline_text, 0, document.document_date, year=document_plan_year(document))
                         if task.deadline_text else None)
                due = found.due if found else None
        if due is not _UNSET:
            task.due = due
        if lead_unit is not _UNSET:
            if lead_unit is not None:
                _check_units(scope, document, [lead_unit])
            task.lead_unit = lead_unit
        task.save()
        if responsible_units is not None:
            _check_units(scope, document, responsible_units)
            task.responsible_units.set(responsible_units)
        if goal is not None and goal.strip() != task.goal_text():
            parsed = parse_goal(goal)
            task.targets.all().delete()
            Target.objects.bulk_create([Target(task=task, sort=i, **p) for i, p in enumerate(parsed)])
        after = _task_state(task)
        _audit(actor, "work.task.update", document, object_type="Task", object_id=task.pk,
               summary=f"修改任务 {task.seq}", before=before, after=after)
    return task


def _renumber(document: WorkDocument, ordered_ids: list[int]) -> None:
    """Give the tasks ``ordered_ids`` the 序号 1..n (two passes: the (document, seq) pair is unique)."""
    offset = (Task.objects.filter(document=document).aggregate(m=Max("seq"))["m"] or 0) + 1
    for i, pk in enumerate(ordered_ids):
        Task.objects.filter(pk=pk).update(seq=offset + i)
    for i, pk in enumerate(ordered_ids, start=1):
        Task.objects.filter(pk=pk).update(seq=i)


def task_split(*, actor: Actor, scope: Scope, task: Task, actions: list[str]) -> list[Task]:
    """Split a row into ``len(actions)`` rows (≥ 2) right after it. The first keeps the targets,
    reports and span; the others copy heading, 所属方面, 完成时限 and units.
    """
    document = task.document
    _require_owner(scope, document)
    actions = [a.strip() for a in actions if a.strip()]
    if len(actions) < 2:
        raise ValidationError("拆分至少需要两条任务")
    with transaction.atomic():
        ids = list(Task.objects.filter(document=document).order_by("seq").values_list("pk", flat=True))
        before = _task_state(task)
        responsible = list(task.responsible_units.all())
        task.action = actions[0][:300]
        task.action_start = task.action_end = None
        task.save()
        new = []
        top = (Task.objects.filter(document=document).aggregate(m=Max("seq"))["m"] or 0) + 1
        for i, a in enumerate(actions[1:]):
            t = Task.objects.create(
                document=document, seq=top + i, kind=task.kind, heading_path=task.heading_path, action=a[:300],
                text=task.text, span_start=task.span_start, span_end=task.span_end, pillar=task.pillar,
                deadline_text=task.deadline_text, deadline_start=task.deadline_start, deadline_end=task.deadline_end,
                due=task.due, parties=task.parties, lead_unit=task.lead_unit,
            )
            t.responsible_units.set(responsible)
            new.append(t)
        pos = ids.index(task.pk) + 1
        ids[pos:pos] = [t.pk for t in new]
        _renumber(document, ids)
        _audit(actor, "work.task.split", document, object_type="Task", object_id=task.pk,
               summary=f"拆分任务 {before['seq']} 为 {len(actions)} 条", before=before, after={"actions": actions})
    return [Task.objects.get(pk=task.pk)] + [Task.objects.get(pk=t.pk) for t in new]


def task_merge(*, actor: Actor, scope: Scope, tasks: list[Task]) -> Task:
    """Merge rows of one document into the first (by 序号): actions joined with "；", targets and
    reports moved, responsible units united, the earliest 完成时限 kept. The other rows are deleted.
    """
    if len(tasks) < 2:
        raise ValidationError("合并至少需要两条任务")
    document = tasks[0].document
    if any(t.document_id != document.pk for t in tasks):
        raise ValidationError("只能合并同一文件的任务")
    _require_owner(scope, document)
    tasks = sorted(tasks, key=lambda t: t.seq)
    first, rest = tasks[0], tasks[1:]
    with transaction.atomic():
        before = [_task_state(t) for t in tasks]
        first.action = "；".join(t.action for t in tasks)[:300]
        first.action_start = first.action_end = None
        dues = [t for t in tasks if t.due]
        if dues:
            earliest = min(dues, key=lambda t: t.due)
            first.due, first.deadline_text = earliest.due, earliest.deadline_text
            first.deadline_start, first.deadline_end = earliest.deadline_start, earliest.deadline_end
        if first.lead_unit_id is None:
            first.lead_unit_id = next((t.lead_unit_id for t in rest if t.lead_unit_id), None)
        first.save()
        rest_ids = [t.pk for t in rest]
        n = first.targets.count()
        for i, tg in enumerate(Target.objects.filter(task_id__in=rest_ids).order_by("task__seq", "sort")):
            tg.task, tg.sort = first, n + i
            tg.save(update_fields=["task", "sort"])
        ProgressReport.objects.filter(task_id__in=rest_ids).update(task=first)
        units = set(first.responsible_units.all())
        for t in rest:
            units |= set(t.responsible_units.all())
        first.responsible_units.set(units)
        Task.objects.filter(pk__in=rest_ids).delete()
        _renumber(document, list(Task.objects.filter(document=document).order_by("seq").values_list("pk", flat=True)))
        first.refresh_from_db()
        _audit(actor, "work.task.merge", document, object_type="Task", object_id=first.pk,
               summary=f"合并 {len(tasks)} 条任务", before={"tasks": before}, after=_task_state(first))
    return first


def task_set_kind(*, actor: Actor, scope: Scope, task: Task, kind: str) -> Task:
    """Promote a guidance item to a task (``kind='task'``) or demote a task to guidance."""
    _require_owner(scope, task.document)
    if kind not in TaskKind.values:
        raise ValidationError("类别无效")
    with transaction.atomic():
        old = task.kind
        task.kind = kind
        task.save(update_fields=["kind", "updated_at"])
        _audit(actor, "work.task.promote" if kind == TaskKind.TASK else "work.task.demote", task.document,
               object_type="Task", object_id=task.pk, summary=f"任务 {task.seq}：{old}→{kind}",
               before={"kind": old}, after={"kind": kind})
    return task


def task_create(*, actor: Actor, scope: Scope, document: WorkDocument, action: str) -> Task:
    """Append a typed row to the 任务分解表."""
    _require_owner(scope, document)
    if not action.strip():
        raise ValidationError("重点任务不能为空")
    with transaction.atomic():
        seq = (Task.objects.filter(document=document).aggregate(m=Max("seq"))["m"] or 0) + 1
        task = Task.objects.create(document=document, seq=seq, action=action.strip()[:300])
        _audit(actor, "work.task.create", document, object_type="Task", object_id=task.pk,
               summary=f"新增任务 {seq}", after=_task_state(task))
    return task


# ----------------------------------------------------------------------------- progress


@dataclass
class EvidenceUpload:
    """A file attached to a progress report: its name and bytes."""

    name: str
    data: bytes


def reporting_units(scope: Scope, task: Task) -> list[Unit]:
    """The task's lead and responsible units that lie in the scope's subtree (who may report)."""
    units = list(task.responsible_units.all())
    if task.lead_unit_id and task.lead_unit not in units:
        units.insert(0, task.lead_unit)
    return [u for u in units if scope.has_unit_path(u.path)]


def progress_report_create(
    *,
    actor: Actor,
    scope: Scope,
    task: Task,
    unit: Unit,
    date: dt.date,
    text: str,
    value: Decimal | str | None = None,
    completes: bool = False,
    evidence: list[EvidenceUpload] | None = None,
) -> ProgressReport:
    """Report progress on ``task`` for ``unit`` (a lead/responsible unit of the task in the user's
    subtree; PermissionDenied otherwise). ``value`` is the cumulative figure against the first
    target; the report completes the task when the reporter says so or the value reaches it.
    """
    require_write(scope)
    if task.kind != TaskKind.TASK:
        raise ValidationError("指导性要求不需要报告进展")
    if unit not in reporting_units(scope, task):
        raise PermissionDenied("只有本任务的牵头单位、责任单位可以报告进展")
    if not (text or "").strip():
        raise ValidationError("请填写进展情况")
    if date > timezone.localdate():
        raise ValidationError("报告日期不能晚于今天")
    if date < task.document.document_date:
        raise ValidationError(f"报告日期 {date:%Y-%m-%d} 早于文件《{task.document.title}》的日期"
                              f" {task.document.document_date:%Y-%m-%d}，请检查报告日期")
    if value in ("", None):
        value = None
    else:
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError("完成数应为数字") from None
        if value < 0:
            raise ValidationError("完成数不能为负数")
    target = task.targets.order_by("sort", "id").first()
    if value is not None and target is not None and target.unit in COUNT_UNITS and value != value.to_integral():
        raise ValidationError(f"完成数应为整数：目标“{target.label()}”按{target.unit}计（填写的是{number_text(value)}）")
    reached = bool(value is not None and target is not None and value >= target.value)
    evidence = evidence or []
    for ev in evidence:
        if len(ev.data) > MAX_EVIDENCE_BYTES:
            raise ValidationError(f"佐证材料“{ev.name}”过大（上限 20MB）")
    with transaction.atomic():
        report = ProgressReport.objects.create(
            task=task, unit=unit, date=date, text=text.strip(), value=value, target=target if value is not None else None,
            completes=bool(completes or reached), created_by=actor.user,
        )
        for ev in evidence:
            f = EvidenceFile(report=report, name=Path(ev.name).name[:200], size=len(ev.data))
            f.file.save(Path(ev.name).name, ContentFile(ev.data), save=False)
            f.save()
        audit_record(actor, "work.progress.create", object_type="ProgressReport", object_id=report.pk,
                     summary=f"{unit.name} 报告{task.name} 进展", scope_unit_path=unit.path,
                     after={"task": task.name, "unit": unit.name, "date": date,
                            "value": report.value_label(),
                            "completes": report.completes, "evidence": [e.name for e in evidence]})
    return report


# ----------------------------------------------------------------------------- status thresholds


def status_threshold_set(*, actor: Actor, scope: Scope, key: str, days: int) -> StatusThreshold:
    """Set one day count of the status rule (``ThresholdKey``: at_risk_days / stale_days), city-wide.

    City administrator only (PermissionDenied otherwise): the rule is one standard for the whole
    city. ``days`` must be a whole number in ``THRESHOLD_RANGE`` (1–365), and the at-risk window
    must be shorter than the no-report window (ValidationError with a Chinese message). Audited
    with the value before and after.
    """
    if scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("任务状态预警天数由市委组织部设定")
    if key not in ThresholdKey.values:
        raise ValidationError("预警项目无效")
    label = ThresholdKey(key).label
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}：应为整数天数") from None
    low, high = THRESHOLD_RANGE
    if not low <= days <= high:
        raise ValidationError(f"{label}：应在{low}至{high}天之间（填写的是{days}天）")
    with transaction.atomic():
        rows = {r.key: r for r in StatusThreshold.objects.select_for_update().all()}
        current = {**DEFAULT_THRESHOLDS, **{k: r.days for k, r in rows.items()}, key: days}
        if current[ThresholdKey.AT_RISK_DAYS] >= current[ThresholdKey.STALE_DAYS]:
            raise ValidationError(
                f"临近完成时限预警天数（{current[ThresholdKey.AT_RISK_DAYS]}天）应小于未报告进展预警天数"
                f"（{current[ThresholdKey.STALE_DAYS]}天）"
            )
        row = rows.get(key)
        before = {"days": row.days if row else DEFAULT_THRESHOLDS[key]}
        if row is None:
            row = StatusThreshold.objects.create(key=key, days=days)
        else:
            row.days = days
            row.save(update_fields=["days"])
        audit_record(actor, "work.status_threshold.set", object_type="StatusThreshold", object_id=row.pk,
                     summary=f"{label}设为{days}天", scope_unit_path=scope.unit_path, before=before,
                     after={"days": days})
    return row
