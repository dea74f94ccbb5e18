"""Writes of the reserve pool (后备干部库), up-and-down cases (能上能下) and error tolerance (容错纠错).

Sources: 《推进领导干部能上能下规定》（2022）; the "三个区分开来" of the 2018 opinions on encouraging
cadres to take on responsibility. Every function is one transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from zugong.cadres import procedures, rules
from zugong.cadres.access import require_admin_of, require_manage, require_manage_post
from zugong.cadres.models import (
    AdjustmentCase,
    Appointment,
    Cadre,
    CaseStatus,
    CaseStep,
    DevelopmentRecord,
    EntryRoute,
    ErrorTolerance,
    Evidence,
    EvidenceKind,
    PoolTarget,
    Post,
    ReserveEntry,
    ReserveStatus,
    ReserveStatusChange,
    Sector,
)
from zugong.cadres.services import career
from zugong.core import codes
from zugong.core.audit import Actor, audit_record
from zugong.core.scope import Scope

#: Review cycle of a pool entry (复核): yearly by default (local practice; configurable constant).
REVIEW_MONTHS = 12
#: Allowed status changes of a pool entry.
TRANSITIONS = {
    ReserveStatus.IN_POOL: (ReserveStatus.UNDER_INSPECTION, ReserveStatus.REVOKED),
    ReserveStatus.UNDER_INSPECTION: (ReserveStatus.IN_POOL, ReserveStatus.USED, ReserveStatus.REVOKED),
    ReserveStatus.USED: (),
    ReserveStatus.REVOKED: (),
}


def _review(on: dt.date) -> dt.date:
    return rules.add_years(on, REVIEW_MONTHS // 12)


def _audit(actor, action, obj, cadre, summary, before=None, after=None):
    audit_record(actor, action, object_type=type(obj).__name__, object_id=obj.pk, scope_unit_path=cadre.unit.path,
                 summary=summary, before=before, after=after)  # fmt: skip


@transaction.atomic
def reserve_add(*, actor: Actor, scope: Scope, cadre: Cadre, category: str, sector: str, route: str, entered_on: dt.date,
                field: str = "", note: str = "") -> ReserveEntry:
    """Enter ``cadre`` into the pool for the 职务级别 ``category``, 行业 ``sector``, 领域 ``field``.
    RuleViolation for bad codes or when the cadre already has an active entry (在库/考察对象)."""
    require_manage(scope, cadre)
    if category not in dict(codes.POST_LEVEL) or sector not in Sector.values or route not in EntryRoute.values:
        raise rules.RuleViolation("类别、行业或入库方式不正确")
    try:
        with transaction.atomic():
            entry = ReserveEntry.objects.create(cadre=cadre, category=category, sector=sector, field=field.strip(), route=route,
                                                entered_on=entered_on, status_on=entered_on, review_due=_review(entered_on), note=note)  # fmt: skip
    except IntegrityError:
        raise rules.RuleViolation(f"{cadre.person.name}已在后备干部库中") from None
    _history(actor, entry, "", ReserveStatus.IN_POOL, entered_on, reason=f"列入后备干部库（{entry.get_route_display()}）")
    _audit(actor, "cadres.reserve_add", entry, cadre, f"{cadre.person.name}列入{entry.get_category_display()}后备干部（{entry.get_route_display()}）",
           after={"category": category, "sector": sector, "field": field, "route": route, "entered_on": entered_on})
    return entry


def _history(actor: Actor, entry: ReserveEntry, from_status: str, to_status: str, on: dt.date, *, reason: str = "",
             document_no: str = "") -> ReserveStatusChange:
    """Append one row to the entry's status history (inside the caller's transaction)."""
    user = actor.user if actor.user is not None and getattr(actor.user, "pk", None) else None
    return ReserveStatusChange.objects.create(entry=entry, from_status=from_status, to_status=to_status, on=on, by=user,
                                              reason=reason.strip()[:200], document_no=document_no.strip()[:60])  # fmt: skip


@transaction.atomic
def reserve_set_status(*, actor: Actor, scope: Scope, entry: ReserveEntry, status: str, on: dt.date, note: str = "",
                       reason: str = "", document_no: str = "") -> ReserveEntry:
    """Move a pool entry: 在库 → 已列为考察对象 → 已使用; 在库/考察对象 → 已撤销资格; 考察对象 → 在库.
    A reviewed (在库 → 在库) entry gets its next review date.

    Every change appends a ``ReserveStatusChange`` row (``reason``, ``document_no``, the actor's
    user) in the transaction of the audit event. RuleViolation for other moves, and for a date
    before the entry's entry date or its last status change (history is appended in date order).
    """
    career.lock_cadre(ReserveEntry.objects.values_list("cadre_id", flat=True).get(pk=entry.pk))  # as _case
    entry = ReserveEntry.objects.select_related("cadre__unit", "cadre__person").select_for_update(of=("self",)).get(pk=entry.pk)
    require_manage(scope, entry.cadre)
    before = entry.status
    if status == before == ReserveStatus.IN_POOL:
        entry.review_due = _review(on)
    elif status not in TRANSITIONS.get(before, ()):
        raise rules.RuleViolation(f"不能由“{entry.get_status_display()}”变为“{ReserveStatus(status).label if status in ReserveStatus.values else status}”")
    last = entry.status_changes.order_by("-on", "-id").values_list("on", flat=True).first()
    floor = max(d for d in (entry.entered_on, entry.status_on, last) if d is not None)
    if on < floor:
        raise rules.RuleViolation(f"变更日期{on:%Y.%m.%d}早于入库或上次状态变更日期{floor:%Y.%m.%d}")
    entry.status, entry.status_on = status, on
    if note:
        entry.note = note
    entry.save()
    change = _history(actor, entry, before, status, on, reason=reason or ("复核" if status == before else note), document_no=document_no)
    _audit(actor, "cadres.reserve_status", entry, entry.cadre, f"{entry.cadre.person.name}后备干部状态：{entry.get_status_display()}",
           before={"status": before}, after={"status": status, "on": on, "reason": change.reason, "document_no": change.document_no,
                                             "history": change.pk})  # fmt: skip
    return entry


@transaction.atomic
def pool_target_set(*, actor: Actor, scope: Scope, unit, category: str = "", women_pct: int | None = None,
                    young_age: int | None = None, young_pct: int | None = None, bachelor_pct: int | None = None,
                    sector_counts: dict[str, int] | None = None, document_no: str = "") -> PoolTarget:
    """Set (create or replace) the department's structure targets for the pool below ``unit`` and
    ``category`` ("" = whole pool); see ``PoolTarget`` for the fields and units.

    Administrators of a scope containing ``unit`` only (the city administrator for the city):
    Http404 when ``unit`` is outside the scope, PermissionDenied (403) for read-only roles.
    RuleViolation for bad codes, percentages outside 0–100, an age share without its age limit
    (or an age outside 18–70) and negative sector counts. Audited (``cadres.pool_target_set``).
    """
    require_admin_of(scope, unit.path)
    if category and category not in dict(codes.POST_LEVEL):
        raise rules.RuleViolation("类别不正确")
    if any(v is not None and not 0 <= v <= 100 for v in (women_pct, young_pct, bachelor_pct)):
        raise rules.RuleViolation("比例应在0至100之间")
    if young_pct is not None and young_age is None:
        raise rules.RuleViolation("设定年龄结构目标须同时填写年龄界限")
    if young_age is not None and not 18 <= young_age <= 70:
        raise rules.RuleViolation("年龄界限不正确")
    counts = {k: int(v) for k, v in (sector_counts or {}).items() if v is not None}
    if any(k not in Sector.values for k in counts) or any(v < 0 for v in counts.values()):
        raise rules.RuleViolation("行业或人数目标不正确")
    values = {"women_pct": women_pct, "young_age": young_age, "young_pct": young_pct, "bachelor_pct": bachelor_pct,
              "sector_counts": {k: counts[k] for k in Sector.values if counts.get(k)}, "document_no": document_no.strip()}  # fmt: skip
    old = PoolTarget.objects.select_for_update().filter(unit=unit, category=category).first()
    before = None if old is None else {k: getattr(old, k) for k in values}
    row, _ = PoolTarget.objects.update_or_create(unit=unit, category=category, defaults=values)
    label = codes.label("post_level", category) if category else "全部类别"
    audit_record(actor, "cadres.pool_target_set", object_type="PoolTarget", object_id=row.pk, scope_unit_path=unit.path,
                 summary=f"设定{unit.name}后备干部结构目标（{label}）", before=before, after=values)  # fmt: skip
    return row


@transaction.atomic
def development_add(*, actor: Actor, scope: Scope, entry: ReserveEntry, kind: str, place: str, start: dt.date,
                    end: dt.date | None = None) -> DevelopmentRecord:
    """Record a secondment, shadow placement, rotation or training of a pool member."""
    entry = ReserveEntry.objects.select_related("cadre__unit", "cadre__person").get(pk=entry.pk)
    require_manage(scope, entry.cadre)
    if kind not in DevelopmentRecord.Kind.values or (end is not None and end <= start):
        raise rules.RuleViolation("类别或起止时间不正确")
    row = DevelopmentRecord.objects.create(entry=entry, kind=kind, place=place.strip(), start=start, end=end)
    _audit(actor, "cadres.development_add", row, entry.cadre, f"{entry.cadre.person.name}{row.get_kind_display()}：{row.place}",
           after={"kind": kind, "place": row.place, "start": start, "end": end})
    return row


# ------------------------------------------------------------------------------------------------
# Up-and-down (能上能下)
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def case_open(*, actor: Actor, scope: Scope, cadre: Cadre, circumstances: list[str], measure: str, motion_on: dt.date,
              evidence: list[Evidence] | None = None, decision: str = "") -> AdjustmentCase:
    """Open a case (动议): at least one circumstance of 第五条 — or, for an accountability case, a 问责处理
    record among the evidence —, the proposed measure, the evidence attached (the cadre's own records).
    A 免职 resting on a 问责处理 record starts the accountability waiting period (``career.waiting_dates``).

    The case's steps are created from the measure's template (``zugong.cadres.procedures``, stored
    as ``AdjustmentCase.procedure``): the first step is done on ``motion_on`` with ``decision`` as its
    text, the others pending. Source: 《推进领导干部能上能下规定》（2022）第五条 (circumstances) and the
    adjustment procedure (see ``procedures``)."""
    require_manage(scope, cadre)
    known = dict(rules.CIRCUMSTANCES)
    accountability = any(e.kind == EvidenceKind.ACCOUNTABILITY for e in evidence or [])
    if any(c not in known for c in circumstances) or not (circumstances or accountability):
        # a case rests on 第五条 circumstances, or (问责) on an accountability decision attached as evidence
        raise rules.RuleViolation("请选择不适宜担任现职的情形，或附上问责处理决定", rules.SOURCE_CIRCUMSTANCES)
    if measure not in rules.MEASURE_LABELS:
        raise rules.RuleViolation("调整方式不正确")
    case = AdjustmentCase.objects.create(cadre=cadre, circumstances=sorted(set(circumstances)), measure=measure, motion_on=motion_on)
    if evidence:
        if any(e.cadre_id != cadre.pk for e in evidence):
            raise rules.RuleViolation("依据材料须为该干部的考核依据")
        case.evidence.set(evidence)
    proc = procedures.procedure_for(measure)
    case.procedure = proc.key
    case.save(update_fields=["procedure"])
    CaseStep.objects.bulk_create([
        CaseStep(case=case, step=t.code, label=t.label, sort=i, on=motion_on if i == 0 else None, decision=decision.strip() if i == 0 else "")
        for i, t in enumerate(proc.steps)
    ])  # fmt: skip
    _audit(actor, "cadres.case_open", case, cadre, f"{cadre.person.name}：动议{case.get_measure_display()}",
           after={"circumstances": case.circumstances, "measure": measure, "motion_on": motion_on, "procedure": proc.key,
                  "steps": [t.label for t in proc.steps], "evidence": [e.pk for e in evidence or []]})  # fmt: skip
    return case


def _case(case: AdjustmentCase) -> AdjustmentCase:
    """The case, its row locked after its cadre's (``career.lock_cadre``: the cadre writers' order; a lock of
    the joined rows would take the cadre before its person, against the roster import's order)."""
    career.lock_cadre(AdjustmentCase.objects.values_list("cadre_id", flat=True).get(pk=case.pk))
    return AdjustmentCase.objects.select_related("cadre__unit", "cadre__person").select_for_update(of=("self",)).get(pk=case.pk)


@transaction.atomic
def case_step(*, actor: Actor, scope: Scope, case: AdjustmentCase, step: str, on: dt.date, decision: str = "",
              document_no: str = "") -> CaseStep:
    """Do the pending procedure step ``step`` of a case on ``on`` with its 意见或决定 and 文号.

    Templated cases (``procedures``): the steps are done in template order — RuleViolation naming
    the step to do first when an earlier step is pending, when the step is already done or not part
    of the measure's procedure, when a step that needs its text (核实认定, 讨论决定) has none, and when
    ``on`` lies before the last done step. Cases opened before templates existed (``procedure`` "")
    record a new step row as before. Returns the step row.
    """
    case = _case(case)
    require_manage(scope, case.cadre)
    if case.status != CaseStatus.OPEN:
        raise rules.RuleViolation("该调整已办结")
    if step not in CaseStep.Step.values or step == CaseStep.Step.MOTION:
        raise rules.RuleViolation("程序不正确")
    last = case.steps.filter(on__isnull=False).order_by("-on", "-id").first()
    if last and on < last.on:
        raise rules.RuleViolation(f"日期早于上一程序（{last.title} {last.on:%Y.%m.%d}）")
    proc = procedures.procedure_by_key(case.procedure)
    if proc is None:  # a case from before the templates: free steps
        if step == CaseStep.Step.DECISION and not decision.strip():
            raise rules.RuleViolation("请填写讨论决定的意见")
        row = CaseStep.objects.create(case=case, step=step, on=on, decision=decision.strip(), document_no=document_no.strip())
    else:
        row = _templated_step(case, proc, step, on, decision, document_no)
    _audit(actor, "cadres.case_step", row, case.cadre, f"{case.cadre.person.name}调整程序：{row.title}",
           after={"step": step, "label": row.title, "on": on, "decision": row.decision, "document_no": row.document_no})
    return row


def _templated_step(case: AdjustmentCase, proc: procedures.Procedure, step: str, on: dt.date, decision: str,
                    document_no: str) -> CaseStep:
    rows = list(case.steps.order_by("sort", "id"))
    row = next((r for r in rows if r.step == step and not r.done), None)
    if row is None:
        done = next((r for r in rows if r.step == step), None)
        if done is not None:
            raise rules.RuleViolation(f"“{done.title}”已于{done.on:%Y.%m.%d}办理")
        raise rules.RuleViolation(f"{proc.title}中没有“{CaseStep.Step(step).label}”这一步骤", proc.source)
    pending = next((r for r in rows if r.sort < row.sort and not r.done), None)
    if pending is not None:
        raise rules.RuleViolation(f"请先办理“{pending.title}”，再办理“{row.title}”", proc.source)
    template = next((t for t in proc.steps if t.code == step), None)
    if template is not None and template.needs_text and not decision.strip():
        raise rules.RuleViolation(f"请填写“{row.title}”的意见或决定" + ("（含本人陈述情况）" if "陈述" in row.title else ""))
    row.on, row.decision, row.document_no = on, decision.strip(), document_no.strip()
    row.save(update_fields=["on", "decision", "document_no"])
    return row


@transaction.atomic
def case_complete(*, actor: Actor, scope: Scope, case: AdjustmentCase, effective_on: dt.date, document_no: str,
                  new_post: Post | None = None, new_rank: str = "") -> AdjustmentCase:
    """Carry out the decided measure on ``effective_on`` (文号 ``document_no``) as dated facts:

    - 免职 / 责令辞职 / 引咎辞职: every running appointment ends;
    - 改任职级: every running appointment ends and ``new_rank`` begins;
    - 降职 / 调离岗位 / 平职调整: ``new_post`` begins (the former main post ends with it);
    - 停职检查 / 公开道歉: no change of post.
    Needs the 讨论决定 step done (RuleViolation "尚未经党委（党组）讨论决定" otherwise, with the
    template's source), every other step of a templated procedure done (e.g. 本人提出辞职 after the
    decision to 责令辞职), and ``effective_on`` not before the last step's date. The pending 宣布/执行 step is done
    with ``effective_on`` and the document. Sets ``effective_on``: removals and demotions start the
    waiting periods.

    The posts it appoints to and removes from follow ``career`` (a 市管 team's seats are the city
    administrator's: PermissionDenied for a county administrator, and nothing is written).
    """
    case = _case(case)
    cadre = case.cadre
    require_manage(scope, cadre)
    if new_post is not None:
        new_post = Post.objects.select_related("unit", "team__unit").get(pk=new_post.pk)
        require_manage_post(scope, new_post)
    if case.status != CaseStatus.OPEN:
        raise rules.RuleViolation("该调整已办结")
    decided = case.steps.filter(step=CaseStep.Step.DECISION, on__isnull=False).order_by("-on").first()
    if decided is None:
        proc = procedures.procedure_by_key(case.procedure)
        raise rules.RuleViolation("尚未经党委（党组）讨论决定，不能实施调整", proc.source if proc else rules.SOURCE_UP_DOWN)
    if effective_on < decided.on:
        raise rules.RuleViolation(f"调整生效时间{effective_on:%Y.%m.%d}早于讨论决定时间{decided.on:%Y.%m.%d}")
    if case.procedure:
        # the steps between the decision and 宣布/执行 (e.g. 本人提出辞职) come first, and 宣布 not before them
        pending = case.steps.filter(on__isnull=True).exclude(step=procedures.ANNOUNCE).order_by("sort").first()
        if pending is not None:
            raise rules.RuleViolation(f"请先办理“{pending.label or pending.get_step_display()}”，再实施调整")
        last = case.steps.filter(on__isnull=False).order_by("-on").first()
        if last is not None and effective_on < last.on:
            raise rules.RuleViolation(f"调整生效时间{effective_on:%Y.%m.%d}早于“{last.label or last.get_step_display()}”（{last.on:%Y.%m.%d}）")
    if not document_no.strip():
        raise rules.RuleViolation("请填写调整文号")
    m = case.measure
    if m in ("demote", "reassign", "lateral") and new_post is None:
        raise rules.RuleViolation("请选择新任职务")
    if m == "demote" and new_post is not None and not new_post.post_level > cadre.post_level:
        raise rules.RuleViolation("降职的新任职务级别应低于现任职务级别")
    if m == "rank_only" and new_rank not in rules.RANK_LABELS:
        raise rules.RuleViolation("请选择改任的职级")
    if m in ("remove", "order_resign", "resign", "rank_only"):
        for a in Appointment.objects.filter(career.running_on(effective_on), cadre=cadre):
            career.appointment_end(actor=actor, scope=scope, appointment=a, end=effective_on, removal_document_no=document_no)
    if m == "rank_only":
        case.new_rank = career.rank_grant(actor=actor, scope=scope, cadre=cadre, rank=new_rank, start=effective_on, document_no=document_no)
    if new_post is not None and m in ("demote", "reassign", "lateral"):
        case.new_appointment = career.appointment_create(actor=actor, scope=scope, cadre=cadre, post=new_post,
                                                         start=effective_on, document_no=document_no)  # fmt: skip
    case.status, case.effective_on, case.document_no = CaseStatus.DONE, effective_on, document_no.strip()
    case.save()
    case.steps.filter(step=procedures.ANNOUNCE, on__isnull=True).update(on=effective_on, document_no=case.document_no)
    _audit(actor, "cadres.case_complete", case, cadre, f"{cadre.person.name}：{case.get_measure_display()}（{case.document_no}）",
           after={"measure": m, "effective_on": effective_on, "document_no": case.document_no,
                  "new_appointment": case.new_appointment_id, "new_rank": case.new_rank_id})  # fmt: skip
    return case


@transaction.atomic
def case_follow_up(*, actor: Actor, scope: Scope, case: AdjustmentCase, note: str, propose_reuse_on: dt.date | None = None) -> AdjustmentCase:
    """Add to the follow-up record of a completed case; optionally propose reuse (重新使用) of a cadre
    who has done well since (the waiting periods still apply to the eventual appointment)."""
    case = _case(case)
    require_manage(scope, case.cadre)
    if case.status != CaseStatus.DONE:
        raise rules.RuleViolation("调整实施后方可记录跟踪情况")
    case.follow_up = (case.follow_up + "\n" if case.follow_up else "") + note.strip()
    if propose_reuse_on:
        case.reuse_proposed_on = propose_reuse_on
    case.save(update_fields=["follow_up", "reuse_proposed_on"])
    _audit(actor, "cadres.case_follow_up", case, case.cadre, f"{case.cadre.person.name}调整后跟踪" + ("，提出重新使用建议" if propose_reuse_on else ""),
           after={"note": note, "reuse_proposed_on": propose_reuse_on})
    return case


@transaction.atomic
def error_tolerance_decide(*, actor: Actor, scope: Scope, evidence: Evidence, distinction: str, tolerated: bool,
                           decided_on: dt.date, document_no: str, reasoning: str = "") -> ErrorTolerance:
    """容错纠错: classify the mistake behind ``evidence`` by the three distinctions; when tolerated the
    evidence no longer counts against appraisal and selection (``Evidence.tolerated``)."""
    evidence = Evidence.objects.select_related("cadre__unit", "cadre__person").get(pk=evidence.pk)
    require_manage(scope, evidence.cadre)
    if distinction not in ErrorTolerance.Distinction.values:
        raise rules.RuleViolation("请选择适用的“三个区分开来”情形")
    if tolerated and distinction == ErrorTolerance.Distinction.NONE:
        raise rules.RuleViolation("不属于“三个区分开来”情形的，不能予以容错")
    if not document_no.strip():
        raise rules.RuleViolation("请填写认定文号")
    row, _ = ErrorTolerance.objects.update_or_create(evidence=evidence, defaults={
        "distinction": distinction, "tolerated": tolerated, "decided_on": decided_on, "document_no": document_no.strip(), "reasoning": reasoning})  # fmt: skip
    evidence.tolerated = tolerated
    evidence.save(update_fields=["tolerated"])
    _audit(actor, "cadres.error_tolerance", row, evidence.cadre,
           f"{evidence.cadre.person.name}“{evidence.title}”{'予以容错' if tolerated else '不予容错'}（{row.document_no}）",
           after={"distinction": distinction, "tolerated": tolerated, "decided_on": decided_on})
    return row


def reserve_export(*, actor: Actor, scope: Scope, entries, targets: list[dict], on: dt.date) -> bytes:
    """.xlsx bytes of the pool: sheet 后备干部 (the scoped ``entries``, a ReserveEntry queryset from
    ``selectors_reserve.pool``) and sheet 结构目标 (``targets`` from ``selectors_reserve.pool_targets``,
    one line per criterion, as of ``on``). The export is an audit event."""
    from zugong.core.xlsx import add_sheet, new_workbook, workbook_bytes

    rows = [[i, e.cadre.person.name, e.cadre.person.gender_label, e.cadre.person.birth_date.strftime("%Y.%m"),
             e.cadre.person.education_label, e.cadre.unit.name, e.get_category_display(), e.get_sector_display(), e.field,
             e.get_route_display(), e.get_status_display(), e.entered_on, e.review_due]
            for i, e in enumerate(entries, start=1)]  # fmt: skip
    wb = new_workbook()
    add_sheet(wb, "后备干部", ["序号", "姓名", "性别", "出生年月", "学历", "工作单位", "类别", "行业", "领域", "入库方式", "状态", "入库时间", "复核时间"], rows)
    lines = [[t["label"], ln.label, ln.target_text, ln.num, ln.den, None if ln.actual_pct is None else round(ln.actual_pct, 1),
              ln.gap_text, "达标" if ln.met else "未达标", t["target"].document_no]
             for t in targets for ln in t["lines"]]  # fmt: skip
    add_sheet(wb, "结构目标", ["类别", "指标", "目标", "实际人数", "库内人数", "实际比例（%）", "差距", "是否达标", "依据文号"], lines,
              heading=f"后备干部队伍结构与目标对照（{on:%Y.%m.%d}）")  # fmt: skip
    content = workbook_bytes(wb)
    with transaction.atomic():
        audit_record(actor, "cadres.reserve_export", object_type="ReserveEntry", scope_unit_path=scope.unit_path,
                     summary=f"导出后备干部名单{len(rows)}人", after={"count": len(rows)})  # fmt: skip
    return content
