"""Writes of appraisal (考核): annual rounds, grades, closing under the 优秀 quota, routine and special
appraisals, leadership-team "1+N" scores. Source: 《公务员考核规定》（2020）.

Every function is one transaction with its audit event; rule violations raise RuleViolation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from zugong.cadres import rules
from zugong.cadres.access import may_manage, require_admin_of, require_manage
from zugong.cadres.models import (
    Appointment,
    AppraisalEntry,
    AppraisalRound,
    Cadre,
    LeadershipTeam,
    NotGraded,
    RoundStatus,
    RoutineAppraisal,
    TeamScore,
    TeamScorePart,
    UnitCategory,
)
from zugong.core.audit import Actor, audit_record
from zugong.core.models import Role
from zugong.core.scope import Scope
from zugong.orgs.models import Unit


def half_year_cutoff(year: int) -> dt.date:
    """Latest start of service that still gives half a year in ``year``: 1 July (1 Jul–31 Dec = 6 months).
    Someone whose service began after it is not graded (任职不满半年)."""
    return dt.date(year, 7, 1)


def _round_for_update(rnd: AppraisalRound) -> AppraisalRound:
    return AppraisalRound.objects.select_for_update().select_related("unit").get(pk=rnd.pk)


def _require_open(rnd: AppraisalRound) -> None:
    if rnd.status != RoundStatus.OPEN:
        raise rules.RuleViolation("该考核已结束，不能修改")


@transaction.atomic
def round_open(*, actor: Actor, scope: Scope, unit: Unit, year: int, category: str,
               excellent_ratio: Decimal = rules.DEFAULT_EXCELLENT_RATIO, ratio_approval: str = "",
               rounding: str = rules.FLOOR) -> AppraisalRound:
    """Open the annual appraisal round of ``unit`` for ``year`` and unit ``category``.

    ``excellent_ratio`` above 20% needs ``ratio_approval`` (the approval document), at most 25%.
    Raises RuleViolation (ratio, duplicate round), Http404 / PermissionDenied per scope.
    """
    require_admin_of(scope, unit.path)
    rules.check_excellent_ratio(Decimal(excellent_ratio), ratio_approval)
    if rounding not in dict(rules.ROUNDINGS):
        raise rules.RuleViolation("取整规则不正确")
    if AppraisalRound.objects.filter(unit=unit, year=year, category=category).exists():
        raise rules.RuleViolation(f"{unit.name}{year}年度该类别考核已存在")
    rnd = AppraisalRound.objects.create(unit=unit, year=year, category=category, excellent_ratio=excellent_ratio,
                                        ratio_approval=ratio_approval.strip(), rounding=rounding)  # fmt: skip
    audit_record(actor, "cadres.round_open", object_type="AppraisalRound", object_id=rnd.pk, scope_unit_path=unit.path,
                 summary=f"开启{rnd}（优秀比例{Decimal(excellent_ratio) * 100:.0f}%）",
                 after={"year": year, "category": category, "excellent_ratio": excellent_ratio,
                        "ratio_approval": ratio_approval, "rounding": rounding})  # fmt: skip
    return rnd


def team_reference_date(year: int, today: dt.date | None = None) -> dt.date:
    """The day on which team membership is read for a 领导班子 round of ``year``: 31 December of the
    year, or today while the year is still running."""
    return min(dt.date(year, 12, 31), today or timezone.localdate())


def round_candidates(rnd: AppraisalRound, *, today: dt.date | None = None) -> QuerySet[Cadre]:
    """Who 添加本单位干部 proposes for ``rnd`` (before the scope and one-grade-a-year checks), by category:

    - 领导班子 (team): each cadre holding, on :func:`team_reference_date`, a running appointment to a
      post of a leadership team whose unit lies in the round's unit subtree — once, however many
      team posts they hold (main or concurrent). Staff without a team post are not team members.
    - 机关 / 基层单位 / 事业单位: every cadre whose unit lies in the round's unit subtree and who held a
      post or a 职级 at some time of the year, up to :func:`team_reference_date` (one who left during the
      year is appraised for it; a predecessor who retired years ago, still on file, is not). These
      categories name the kind of body being appraised (the base of its 优秀 ratio), not a subset of
      its people, so the whole body takes part.
    """
    from zugong.cadres.selectors import holds_post_or_rank_on, running_on

    on = team_reference_date(rnd.year, today)
    if rnd.category != UnitCategory.TEAM:
        served = holds_post_or_rank_on(on, since=dt.date(rnd.year, 1, 1))
        return Cadre.objects.filter(served, unit__path__startswith=rnd.unit.path)
    held = Appointment.objects.filter(running_on(on), post__team__unit__path__startswith=rnd.unit.path)
    return Cadre.objects.filter(pk__in=held.values("cadre_id")).order_by("pk")


@transaction.atomic
def round_add_participants(*, actor: Actor, scope: Scope, round: AppraisalRound, cadres: Iterable[Cadre] | None = None) -> int:
    """Add participants: ``cadres``, or (None) the round's candidates (:func:`round_candidates`: for a
    领导班子 round the members of the subtree's leadership teams, otherwise every cadre of the round's
    unit subtree) that the scope manages and that are not yet appraised that year. Cadres whose
    service began after 1 July of the year are marked not graded (任职不满半年). Returns the number
    added. A cadre already in another round of the year is skipped (one annual grade per year)."""
    rnd = _round_for_update(round)
    require_admin_of(scope, rnd.unit.path)
    _require_open(rnd)
    taken = set(AppraisalEntry.objects.filter(year=rnd.year).values_list("cadre_id", flat=True))
    if cadres is None:
        everyone = round_candidates(rnd).select_related("unit", "person")
        chosen = [c for c in everyone if c.pk not in taken and may_manage(scope, c)]
    else:
        chosen = [c for c in cadres if c.pk not in taken]
        for c in chosen:
            require_manage(scope, c)
            if not c.unit.path.startswith(rnd.unit.path):
                raise rules.RuleViolation(f"{c.person.name}不在{rnd.unit.name}")
    firsts = dict(Appointment.objects.filter(cadre__in=chosen).values("cadre").annotate(first=Min("start")).values_list("cadre", "first"))
    cutoff = half_year_cutoff(rnd.year)
    entries = [AppraisalEntry(round=rnd, cadre=c, year=rnd.year,
                              not_graded=NotGraded.SHORT_SERVICE if firsts.get(c.pk) and firsts[c.pk] > cutoff else "")
               for c in chosen]  # fmt: skip
    AppraisalEntry.objects.bulk_create(entries)
    audit_record(actor, "cadres.round_add", object_type="AppraisalRound", object_id=rnd.pk, scope_unit_path=rnd.unit.path,
                 summary=f"{rnd}添加参加考核人员{len(entries)}名",
                 after={"category": rnd.category, "cadres": [c.pk for c in chosen], "short_service": [e.cadre_id for e in entries if e.not_graded]})  # fmt: skip
    return len(entries)


@transaction.atomic
def entry_grade(*, actor: Actor, scope: Scope, entry: AppraisalEntry, grade: str = "", not_graded: str = "",
                ranking: int | None = None) -> AppraisalEntry:
    """Set the grade (优秀/称职/基本称职/不称职) or the not-graded reason (exclusive) and the ranking."""
    entry = AppraisalEntry.objects.select_related("round__unit", "cadre__unit", "cadre__person").get(pk=entry.pk)
    rnd = _round_for_update(entry.round)
    require_manage(scope, entry.cadre)
    _require_open(rnd)
    if grade and not_graded:
        raise rules.RuleViolation("确定等次与不定等次只能选择其一")
    if grade and grade not in rules.GRADE_LABELS or not_graded and not_graded not in NotGraded.values:
        raise rules.RuleViolation("等次不正确")
    before = {"grade": entry.grade, "not_graded": entry.not_graded, "ranking": entry.ranking}
    entry.grade, entry.not_graded, entry.ranking = grade, not_graded, ranking
    entry.save(update_fields=["grade", "not_graded", "ranking"])
    audit_record(actor, "cadres.entry_grade", object_type="AppraisalEntry", object_id=entry.pk, scope_unit_path=rnd.unit.path,
                 summary=f"{rnd}：{entry.cadre.person.name}{rules.GRADE_LABELS.get(grade) or NotGraded(not_graded).label if (grade or not_graded) else '清除等次'}",
                 before=before, after={"grade": grade, "not_graded": not_graded, "ranking": ranking})  # fmt: skip
    return entry


@transaction.atomic
def round_close(*, actor: Actor, scope: Scope, round: AppraisalRound, on: dt.date) -> AppraisalRound:
    """Close the round: every participant graded or not graded, and 优秀 ≤ the quota (rounded per the
    round's rule from graded participants × ratio). Raises RuleViolation with the figures otherwise."""
    from zugong.cadres.selectors_appraisal import round_figures

    rnd = _round_for_update(round)
    require_admin_of(scope, rnd.unit.path)
    _require_open(rnd)
    f = round_figures(rnd)
    if f["participants"] == 0:
        raise rules.RuleViolation("尚未添加参加考核人员")
    rules.check_round_closable(excellent=f["excellent"], quota=f["quota"], ungraded=f["ungraded"])
    rnd.status, rnd.closed_on = RoundStatus.CLOSED, on
    rnd.save(update_fields=["status", "closed_on"])
    audit_record(actor, "cadres.round_close", object_type="AppraisalRound", object_id=rnd.pk, scope_unit_path=rnd.unit.path,
                 summary=f"结束{rnd}：优秀{f['excellent']}名（限额{f['quota']}名）", after={k: v for k, v in f.items() if k != "exact"})  # fmt: skip
    return rnd


@transaction.atomic
def routine_record(*, actor: Actor, scope: Scope, cadre: Cadre, kind: str, year: int, grade: str, on: dt.date,
                   quarter: int | None = None, subject: str = "", note: str = "") -> RoutineAppraisal:
    """Record a 平时考核 (quarterly; ``quarter`` 1–4 required, one per quarter) or a 专项考核 (``subject`` required)."""
    require_manage(scope, cadre)
    if grade not in dict(rules.ROUTINE_GRADES):
        raise rules.RuleViolation("考核结果不正确")
    if kind == RoutineAppraisal.Kind.ROUTINE and quarter not in (1, 2, 3, 4):
        raise rules.RuleViolation("平时考核须填写季度")
    if kind == RoutineAppraisal.Kind.SPECIAL and not subject.strip():
        raise rules.RuleViolation("专项考核须填写考核事项")
    try:
        with transaction.atomic():
            row = RoutineAppraisal.objects.create(cadre=cadre, kind=kind, year=year, quarter=quarter if kind == "routine" else None,
                                                  subject=subject.strip(), grade=grade, on=on, note=note)  # fmt: skip
    except IntegrityError:
        raise rules.RuleViolation(f"{year}年第{quarter}季度平时考核已记录") from None
    audit_record(actor, "cadres.routine_record", object_type="RoutineAppraisal", object_id=row.pk, scope_unit_path=cadre.unit.path,
                 summary=f"{cadre.person.name}{row.get_kind_display()}{year}年{f'第{quarter}季度' if row.quarter else subject}：{row.get_grade_display()}",
                 after={"kind": kind, "year": year, "quarter": row.quarter, "subject": subject, "grade": grade})  # fmt: skip
    return row


@transaction.atomic
def team_score_set(*, actor: Actor, scope: Scope, team: LeadershipTeam, year: int, part: TeamScorePart, value: Decimal) -> TeamScore:
    """Record the value (0–100) of one part of a team's "1+N" score for ``year``."""
    team = LeadershipTeam.objects.select_related("unit").get(pk=team.pk)
    require_admin_of(scope, team.unit.path)
    if team.management_level == "city" and scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("市管领导班子由市委组织部考核")
    if not Decimal(0) <= Decimal(value) <= Decimal(100):
        raise rules.RuleViolation("得分应在0至100之间")
    row, created = TeamScore.objects.get_or_create(team=team, year=year, part=part, defaults={"value": value})
    before = None if created else {"value": row.value}
    row.value = value
    row.save()
    audit_record(actor, "cadres.team_score_set", object_type="TeamScore", object_id=row.pk, scope_unit_path=team.unit.path,
                 summary=f"{team.name}{year}年度{part.label}得分{value}", before=before, after={"value": value})  # fmt: skip
    return row


@transaction.atomic
def team_score_part_set(*, actor: Actor, scope: Scope, part: TeamScorePart, weight: Decimal) -> TeamScorePart:
    """Change the weight of a "1+N" part (city administrator; audited)."""
    if scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("评分权重由市委组织部设定")
    if not Decimal(0) <= Decimal(weight) <= Decimal(1):
        raise rules.RuleViolation("权重应在0至1之间")
    before = {"weight": part.weight}
    part.weight = weight
    part.save(update_fields=["weight"])
    audit_record(actor, "cadres.team_score_part_set", object_type="TeamScorePart", object_id=part.pk, scope_unit_path=scope.unit_path,
                 summary=f"{part.label}权重设为{weight}", before=before, after={"weight": weight})  # fmt: skip
    return part


def round_export(*, actor: Actor, scope: Scope, round: AppraisalRound) -> bytes:
    """The round's results as .xlsx (姓氏笔画 order, official columns); audited (``cadres.round_export``)."""
    from zugong.cadres.selectors_appraisal import round_entries, round_figures
    from zugong.core.xlsx import rows_to_xlsx

    rows = []
    for i, e in enumerate(round_entries(round), start=1):
        p = e.cadre.person
        rows.append([i, p.name, p.gender_label, p.birth_date.strftime("%Y.%m"), e.cadre.unit.name,
                     rules.GRADE_LABELS.get(e.grade, ""), NotGraded(e.not_graded).label if e.not_graded else "",
                     e.ranking, e.note])  # fmt: skip
    f = round_figures(round)
    heading = (f"{round}（参加{f['participants']}人，优秀{f['excellent']}人，限额{f['quota']}人，"
               f"{'已结束' if round.status == RoundStatus.CLOSED else '进行中'}）")  # fmt: skip
    content = rows_to_xlsx("考核结果", ["序号", "姓名", "性别", "出生年月", "工作单位", "等次", "不定等次情形", "排名", "备注"], rows, heading=heading)
    with transaction.atomic():
        audit_record(actor, "cadres.round_export", object_type="AppraisalRound", object_id=round.pk,
                     scope_unit_path=round.unit.path, summary=f"导出{round}结果{len(rows)}人", after={"count": len(rows)})  # fmt: skip
    return content
