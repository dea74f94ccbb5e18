"""Writes of 考核依据 (evidence the appraisal weighs) and the incentive-list export (issue 4 §2 "用好考据").

Evidence items are dated records with their source document, entered by the offices that own them
(``office``) or imported (:func:`evidence_record` per item inside one transaction). Task outcomes come from the work-plan
app: :func:`task_outcomes_for` is the hook (see docs/decisions/0005-cadres.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zugong.cadres import rules
from zugong.cadres.access import require_manage
from zugong.cadres.models import AwardLevel, Cadre, Evidence, EvidenceKind
from zugong.core.audit import Actor, audit_record
from zugong.core.scope import Scope


@transaction.atomic
def evidence_record(*, actor: Actor, scope: Scope, cadre: Cadre, kind: str, on: dt.date, title: str,
                    source_document: str, level: str = "", office: str = "") -> Evidence:
    """Record one evidence item. ``level`` (国家级/省级/市级/县级) only for commendations, required there.
    Raises RuleViolation for a missing source document, a future date or a bad level."""
    require_manage(scope, cadre)
    if kind not in EvidenceKind.values:
        raise rules.RuleViolation("类别不正确")
    if not source_document.strip():
        raise rules.RuleViolation("请填写来源文件")
    if on > dt.date.today():
        raise rules.RuleViolation("日期晚于今天")
    if kind == EvidenceKind.COMMENDATION and level not in AwardLevel.values:
        raise rules.RuleViolation("表彰奖励须填写级别")
    if kind != EvidenceKind.COMMENDATION:
        level = ""
    row = Evidence.objects.create(cadre=cadre, kind=kind, on=on, title=title.strip(), source_document=source_document.strip(),
                                  level=level, office=office.strip())  # fmt: skip
    audit_record(actor, "cadres.evidence_record", object_type="Evidence", object_id=row.pk, scope_unit_path=cadre.unit.path,
                 summary=f"{cadre.person.name}：{row.get_kind_display()}“{row.title}”（{row.source_document}）",
                 after={"kind": kind, "on": on, "title": row.title, "source_document": row.source_document, "level": level})  # fmt: skip
    return row


def task_outcomes_for(cadre: Cadre, scope: Scope, *, years: tuple[int, ...] | None = None) -> list[dict]:
    """Task outcomes of the work-plan app credited to the cadre, newest year first: for each year
    (default this year and last), the outcomes of the units whose 领导班子 the cadre sits on at the
    year's end (``zugong.work.selectors.outcomes_by_cadre``; nothing is stored twice).

    Returns dicts ``on`` (31 Dec of the year, or today for the running year), ``title``, ``outcome``
    (text with due / on time / late / not done) and ``source``; [] when the work app offers nothing.
    """
    try:
        from zugong.work.selectors import outcomes_by_cadre
    except ImportError:
        return []
    today = dt.date.today()
    out = []
    for year in years or (today.year, today.year - 1):
        start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
        if end < start:
            continue
        for row in outcomes_by_cadre(scope, start, end):
            if row.cadre_id != cadre.pk:
                continue
            o = row.outcome
            out.append({"on": end, "title": f"{year}年度{o.unit_name}领导班子工作任务（{row.post_title}）",
                        "outcome": f"到期{o.due}项，按时完成{o.done}项，逾期完成{o.done_late}项，未完成{o.undone}项",
                        "source": "工作落实·任务进展"})  # fmt: skip
    return out


def incentive_export(*, actor: Actor, scope: Scope, cadres) -> bytes:
    """The incentive list (cadres with a priority flag) as .xlsx, 姓氏笔画 order, with the reasons; audited."""
    from zugong.cadres.selectors_appraisal import incentive_flags
    from zugong.core.xlsx import rows_to_xlsx

    rows = []
    for i, c in enumerate(cadres, start=1):
        p = c.person
        posts = "、".join(a.post.title for a in getattr(c, "current", []))
        rows.append([i, p.name, p.gender_label, p.birth_date.strftime("%Y.%m"), c.unit.name, posts, "；".join(incentive_flags(c))])
    content = rows_to_xlsx("优先使用干部", ["序号", "姓名", "性别", "出生年月", "工作单位", "现任职务", "优先情形"], rows)
    with transaction.atomic():
        audit_record(actor, "cadres.incentive_export", object_type="Cadre", scope_unit_path=scope.unit_path,
                     summary=f"导出同等条件下优先使用干部名单{len(rows)}人", after={"count": len(rows)})  # fmt: skip
    return content
