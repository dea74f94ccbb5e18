"""Bulk import of 考核依据 (evidence the appraisal weighs, issue 4 §2 "用好考据") from .xlsx.

Shape (as the roster imports, ``zugong.members.importer``): the header row is found and mapped
tolerantly (``zugong.members.roster``: official header, variants, "contains the header"); every
row is validated against prebuilt lookups and collects ``[excel row, column, value, Chinese reason]``;
nothing is written unless every row is good — or the user asks for "只导入无误的行" — and then all
rows go in one transaction with one audit event (``cadres.evidence_import``).

Row rules are those of the one-by-one entry (``services.evidence.evidence_record``): known category;
来源文件 required; a date not after today; 表彰奖励 needs its level (国家级/省级/市级/县级), other
categories carry none. The cadre is found by 身份证号 (HMAC blind index, GB 11643 checksum) and the
姓名 must match; the cadre must be one the user manages (``access.may_manage``: the county's 县管
cadres for a county administrator, 市管 cadres only for the city administrator). A row equal to an
existing record (same cadre, category, date, 事项) or to an earlier row is refused as a duplicate.

Personal data (《个人信息保护法》第十九条 "保存期限应当为实现处理目的所必要的最短时间", 2021): the
uploaded file is kept only while it is needed — it is deleted when the job is imported or cancelled,
and a validated job left for ``ABANDONED_AFTER`` is cancelled and cleared by ``evidence_import_purge``
(shown as 已过期清理, not as cancelled by the user);
the stored error list keeps 身份证号 only in masked form (``zugong.core.rules.mask_id_number``). A
cadre that is unknown and one outside the user's subtree get the same message (``NOT_FOUND``), so an
upload cannot be used to learn whether a 身份证号 belongs to a cadre of another county.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from zugong.cadres import rules
from zugong.cadres.access import may_manage
from zugong.cadres.models import AwardLevel, Cadre, Evidence, EvidenceImport, EvidenceKind, ManagementLevel
from zugong.core.audit import SYSTEM, Actor, audit_record
from zugong.core.rules import IdNumberError, make_id_number, mask_errors, parse_id_number
from zugong.core.scope import Scope
from zugong.core.services import id_number_index
from zugong.members.importer import Prepared, map_roster
from zugong.members.roster import Column, DateParseError, cell_text, iter_data_rows, parse_date, read_sheet

#: Largest accepted upload (bytes): evidence lists are hundreds of rows, not a roster.
MAX_BYTES = 5 * 1024 * 1024
#: Most data rows one sheet may hold, checked before any row is validated (a few KB of .xlsx can
#: declare hundreds of thousands of rows, each of which would be looked up and could store errors).
MAX_ROWS = 5000
#: A validated job not imported or cancelled within this time is cancelled and its file deleted.
ABANDONED_AFTER = dt.timedelta(days=7)
#: The one message for a 身份证号 that matches no cadre the user may see — unknown or out of scope alike.
NOT_FOUND = "未找到该干部（或不在您的管理范围内）"
#: What the job page says once the uploaded file has been deleted.
FILE_DELETED = "导入完成后原文件已删除"
#: The status shown for a job the purge cancelled, and the message it stores (in ``header_error``: the
#: model has no status for it, and a cancelled job shows no header problem) so the page can say so.
EXPIRED_STATUS = "已过期清理"
EXPIRED = f"该导入任务已超过{ABANDONED_AFTER.days}天未确认，文件已清除，未导入任何数据"

EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, ("干部姓名", "名字")),
    Column("id_number", "身份证号", True, ("身份证号码", "公民身份号码", "证件号码", "身份证")),
    Column("kind", "类别", True, ("依据类别", "考核依据类别", "类型", "事项类别")),
    Column("on", "日期", True, ("时间", "发生日期", "发生时间", "文件日期", "认定日期", "日期时间"), is_date=True),
    Column("title", "事项", True, ("事项名称", "具体事项", "主要事项", "内容", "事由", "标题")),
    Column("source_document", "来源文件", True, ("来源文件/文号", "来源文件文号", "文号", "依据文件", "文件名称", "来源", "文件及文号")),
    Column("level", "表彰级别", False, ("级别", "奖励级别", "表彰奖励级别")),
    Column("office", "录入单位", False, ("录入部门", "填报单位", "提供单位", "来源单位", "报送单位")),
)

_KINDS = {label: code for code, label in EvidenceKind.choices} | {code: code for code in EvidenceKind.values} | {
    "工作任务": "task", "任务完成情况": "task", "工作任务完成": "task", "任务": "task",
    "表彰": "commendation", "奖励": "commendation", "表彰奖励情况": "commendation", "荣誉": "commendation",
    "巡视巡察": "inspection", "巡视": "inspection", "巡察": "inspection", "审计": "inspection", "巡视巡察发现问题": "inspection",
    "审计发现问题": "inspection", "巡视巡察审计发现问题": "inspection",
    "信访举报": "petition", "信访": "petition", "举报": "petition", "舆情": "petition", "信访举报舆情": "petition",
    "问责": "accountability", "问责处理": "accountability", "问责情况": "accountability",
}  # fmt: skip
_LEVELS = {label: code for code, label in AwardLevel.choices} | {code: code for code in AwardLevel.values} | {
    "国家": "national", "全国": "national", "国家级表彰": "national", "中央": "national",
    "省": "provincial", "省部级": "provincial", "省级表彰": "provincial",
    "市": "city", "市厅级": "city", "地市级": "city", "市级表彰": "city",
    "县": "county", "县区级": "county", "区级": "county", "县级表彰": "county",
}  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"[\s、，,/（）()]", "", text)


_KINDS = {_key(k): v for k, v in _KINDS.items()}
_LEVELS = {_key(k): v for k, v in _LEVELS.items()}
KIND_HINT = "、".join(EvidenceKind.labels)
LEVEL_HINT = "、".join(AwardLevel.labels)


def prepare_evidence(rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date | None = None) -> Prepared:
    """Validate an evidence sheet for ``scope``. Writes nothing.

    Returns ``Prepared``: ``records`` = dicts (cadre, kind, on, title, source_document, level, office,
    row) of the good rows, ``errors`` = [row, column, value, reason] sorted by row, ``total_rows``,
    ``header_error`` when a required column is missing or there are more than MAX_ROWS data rows
    (then no row is checked).
    """
    p = Prepared()
    today = today or timezone.localdate()
    hmap, header_idx = map_roster(rows, EVIDENCE_COLUMNS, p)
    data = list(iter_data_rows(rows, header_idx)) if hmap is not None else []
    p.total_rows = len(data)
    if not p.header_error and len(data) > MAX_ROWS:
        p.header_error = f"数据行{len(data)}行，一次最多导入{MAX_ROWS}行，请分批导入"
    if p.header_error or hmap is None:
        p.error_rows.update(r for r, _ in data)
        return p
    ix = hmap.index

    def cell(cells, key):
        i = ix.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    indexes: dict[int, str] = {}
    for row, cells in data:
        raw = cell_text(cell(cells, "id_number"))
        try:
            indexes[row] = id_number_index(parse_id_number(raw).number) if raw else ""
        except IdNumberError:
            indexes[row] = ""
    cadres = {c.person.id_number_index: c for c in Cadre.objects.filter(person__id_number_index__in={v for v in indexes.values() if v})
              .select_related("person", "unit")}  # fmt: skip
    seen: dict[tuple, int] = {}
    for row, cells in data:
        rec = _row(p, row, lambda k, cells=cells: cell(cells, k), scope, today, cadres.get(indexes[row]) if indexes[row] else None)
        if rec is None:
            continue
        key = (rec["cadre"].pk, rec["kind"], rec["on"], rec["title"])
        if key in seen:
            p.add_error(row, "事项", rec["title"], f"与第{seen[key]}行重复（同一干部、类别、日期和事项）")
            continue
        seen[key] = row
        p.records.append(rec)
    existing = set()
    if p.records:
        existing = set(Evidence.objects.filter(cadre_id__in={r["cadre"].pk for r in p.records})
                       .values_list("cadre_id", "kind", "on", "title"))  # fmt: skip
    for rec in p.records:
        if (rec["cadre"].pk, rec["kind"], rec["on"], rec["title"]) in existing:
            p.add_error(rec["row"], "事项", rec["title"], "该干部已有相同类别、日期和事项的考核依据（重复导入）")
    p.records = [r for r in p.records if r["row"] not in p.error_rows]
    p.errors.sort(key=lambda e: e[0])
    p.counts = {"created": len(p.records)}
    return p


def _row(p: Prepared, row: int, cell, scope: Scope, today: dt.date, cadre: Cadre | None) -> dict | None:  # noqa: C901 (one check per column)
    before = len(p.errors)
    name = re.sub(r"\s", "", cell_text(cell("name")))
    if not name:
        p.add_error(row, "姓名", "", "姓名不能为空")
    raw_id = cell_text(cell("id_number"))
    if not raw_id:
        p.add_error(row, "身份证号", "", "身份证号不能为空")
    else:
        try:
            parse_id_number(raw_id)
        except IdNumberError as exc:
            p.add_error(row, "身份证号", raw_id, str(exc))
        else:
            if cadre is None or not cadre.unit.path.startswith(scope.unit_path):
                p.add_error(row, "身份证号", raw_id, NOT_FOUND)
            elif not may_manage(scope, cadre):
                reason = "市管干部的考核依据由市委组织部录入" if cadre.management_level == ManagementLevel.CITY else "您不能维护该干部的信息"
                p.add_error(row, "身份证号", raw_id, reason)
            elif name and cadre.person.name != name:
                p.add_error(row, "姓名", name, f"姓名与该身份证号的干部（{cadre.person.name}）不一致")
    kind_text = cell_text(cell("kind"))
    kind = _KINDS.get(_key(kind_text))
    if kind is None:
        p.add_error(row, "类别", kind_text, f"未知的类别“{kind_text}”（应为{KIND_HINT}之一）" if kind_text else "类别不能为空")
    raw_on = cell("on")
    on = None
    try:
        parsed = parse_date(raw_on)
        if parsed is None:
            p.add_error(row, "日期", "", "日期不能为空")
        elif parsed.date > today:
            p.add_error(row, "日期", raw_on, f"日期{parsed.date:%Y.%m.%d}晚于今天")
        else:
            on = parsed.date
    except DateParseError as exc:
        p.add_error(row, "日期", raw_on, str(exc))
    title = cell_text(cell("title"))
    if not title:
        p.add_error(row, "事项", "", "事项不能为空")
    elif len(title) > 200:
        p.add_error(row, "事项", title, "事项不超过200字")
    source = cell_text(cell("source_document"))
    if not source:
        p.add_error(row, "来源文件", "", "来源文件（文号）不能为空")
    elif len(source) > 120:
        p.add_error(row, "来源文件", source, "来源文件不超过120字")
    level_text = cell_text(cell("level"))
    level = _LEVELS.get(_key(level_text), None) if level_text else ""
    if level is None:
        p.add_error(row, "表彰级别", level_text, f"未知的表彰级别“{level_text}”（应为{LEVEL_HINT}之一）")
    elif kind == EvidenceKind.COMMENDATION and not level:
        p.add_error(row, "表彰级别", "", f"表彰奖励须填写表彰级别（{LEVEL_HINT}）")
    office = cell_text(cell("office"))
    if len(office) > 60:
        p.add_error(row, "录入单位", office, "录入单位不超过60字")
    if len(p.errors) != before:
        return None
    return {"row": row, "cadre": cadre, "kind": kind, "on": on, "title": title, "source_document": source,
            "level": level if kind == EvidenceKind.COMMENDATION else "", "office": office}  # fmt: skip


def _require_admin(scope: Scope) -> None:
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能导入考核依据")


def _read(content: bytes) -> list[list[object]]:
    try:
        return read_sheet(content)
    except ValueError as exc:
        raise rules.RuleViolation(str(exc).replace("名册", "考核依据表")) from None


def _store(job: EvidenceImport, p: Prepared) -> None:
    job.total_rows, job.error_rows, job.header_error = p.total_rows, p.error_count, p.header_error[:300]
    job.errors = mask_errors(p.errors)


@transaction.atomic
def evidence_import_create(*, actor: Actor, scope: Scope, filename: str, content: bytes, today: dt.date | None = None) -> EvidenceImport:
    """Upload and validate an evidence sheet (.xlsx/.xls): stores the file and the validation
    outcome for the uploader; writes no evidence (so no audit event). PermissionDenied for read-only
    roles; RuleViolation for an empty, oversized or unreadable file."""
    _require_admin(scope)
    if not content:
        raise rules.RuleViolation("请选择要导入的Excel文件")
    if len(content) > MAX_BYTES:
        raise rules.RuleViolation(f"文件超过{MAX_BYTES // 1024 // 1024}MB，请分批导入")
    p = prepare_evidence(_read(content), scope, today=today)
    evidence_import_purge()
    job = EvidenceImport(created_by=actor.user, filename=filename[:200] or "考核依据.xlsx", content=content)
    _store(job, p)
    job.save()
    return job


def evidence_import_commit(*, actor: Actor, scope: Scope, job: EvidenceImport, good_rows_only: bool = False,
                           today: dt.date | None = None) -> EvidenceImport:
    """Validate the stored file again (the data may have changed since) and write its rows.

    All or nothing: RuleViolation (nothing written, no audit) when the header is unusable, when any
    row is bad and ``good_rows_only`` is False, or when no row is good. Otherwise the good rows are
    created in one transaction with one audit event ``cadres.evidence_import`` (file, rows, created,
    skipped error rows, evidence ids). Only the uploader's own validated job may be committed
    (PermissionDenied otherwise).
    """
    _require_admin(scope)
    with transaction.atomic():
        job = EvidenceImport.objects.select_for_update().get(pk=job.pk)
        if actor.user is None or job.created_by_id != actor.user.pk:
            raise PermissionDenied("只能导入本人上传的文件")
        if job.status != EvidenceImport.Status.VALIDATED:
            raise rules.RuleViolation(EXPIRED if is_expired(job) else f"该导入任务当前状态为“{status_label(job)}”，不能导入")
        p = prepare_evidence(_read(bytes(job.content)), scope, today=today)
        _store(job, p)
        if p.header_error or (p.error_count and not good_rows_only) or not p.records:
            EvidenceImport.objects.filter(pk=job.pk).update(total_rows=job.total_rows, error_rows=job.error_rows,
                                                            header_error=job.header_error, errors=job.errors)  # fmt: skip
            reason = p.header_error or (f"有{p.error_count}行有误，未导入任何数据" if p.error_count and not good_rows_only else "没有可导入的行")
            first = "；".join(f"第{e[0]}行{e[1]}：{e[3]}" for e in p.errors[:3])
            raise_after = rules.RuleViolation(reason + (f"（{first}）" if first and not p.header_error else ""))
        else:
            raise_after = None
            created = Evidence.objects.bulk_create([
                Evidence(cadre=r["cadre"], kind=r["kind"], on=r["on"], title=r["title"], source_document=r["source_document"],
                         level=r["level"], office=r["office"]) for r in p.records
            ])  # fmt: skip
            job.status, job.good_rows_only, job.created_count = EvidenceImport.Status.DONE, good_rows_only, len(created)
            job.content = b""  # the file is no longer needed once imported (personal data, see the module doc)
            job.save()
            ids = [e.pk for e in created]  # SQLite ≥ 3.35 and PostgreSQL return the ids of a bulk insert
            audit_record(actor, "cadres.evidence_import", object_type="EvidenceImport", object_id=job.pk, scope_unit_path=scope.unit_path,
                         summary=f"导入考核依据“{job.filename}”：导入{len(created)}条"
                                 + (f"，有误未导入{p.error_count}行" if p.error_count else ""),
                         after={"file": job.filename, "rows": p.total_rows, "created": len(created), "error_rows": p.error_count,
                                "good_rows_only": good_rows_only, "evidence": sorted(ids)})  # fmt: skip
    if raise_after is not None:
        raise raise_after
    return job


def is_expired(job: EvidenceImport) -> bool:
    """True when ``job`` was cancelled by ``evidence_import_purge`` (left unconfirmed for ABANDONED_AFTER),
    not by its uploader."""
    return job.status == EvidenceImport.Status.CANCELLED and job.header_error == EXPIRED


def status_label(job: EvidenceImport) -> str:
    """The job's status as the pages show it: 已校验 / 已导入 / 已取消, or 已过期清理 for a purged job."""
    return EXPIRED_STATUS if is_expired(job) else job.get_status_display()


def evidence_import_cancel(*, actor: Actor, job: EvidenceImport, scope: Scope | None = None) -> None:
    """Cancel the uploader's validated job (nothing was written) and drop the stored file, audited
    (``cadres.evidence_import_cancel``, under ``scope``'s units) in the same transaction. PermissionDenied for anyone else's
    job; RuleViolation (Chinese) when it is no longer validated."""
    if actor.user is None or job.created_by_id != actor.user.pk:
        raise PermissionDenied("只能取消本人上传的文件")
    if job.status != EvidenceImport.Status.VALIDATED:
        raise rules.RuleViolation(EXPIRED if is_expired(job) else "该导入任务已导入或已取消")
    with transaction.atomic():
        if not EvidenceImport.objects.filter(pk=job.pk, status=EvidenceImport.Status.VALIDATED).update(
            status=EvidenceImport.Status.CANCELLED, content=b""
        ):
            raise rules.RuleViolation("该导入任务已导入或已取消")  # by another request meanwhile
        audit_record(actor, "cadres.evidence_import_cancel", object_type="EvidenceImport", object_id=job.pk,
                     scope_unit_path=scope.unit_path if scope is not None else "", before={"status": EvidenceImport.Status.VALIDATED},
                     after={"status": EvidenceImport.Status.CANCELLED}, summary=f"取消导入考核依据“{job.filename}”，未写入任何数据")  # fmt: skip


def evidence_import_purge(*, now: dt.datetime | None = None) -> int:
    """Cancel validated jobs created before ``now - ABANDONED_AFTER`` (7 days) and delete their file —
    such a job says so (``is_expired``: status text 已过期清理, message ``EXPIRED`` in ``header_error``);
    also delete the file left on any imported or cancelled job and mask its error list (jobs stored
    before files were deleted on import). Returns the number of jobs cleared; one audit event
    ``cadres.evidence_import_purge`` (by the system) when there were any. Run opportunistically by
    ``evidence_import_create`` and the import pages (there is no scheduler); when there is nothing to
    clear it only reads. Source: 《个人信息保护法》第十九条 (2021)."""
    now = now or timezone.now()
    stale = EvidenceImport.Status.VALIDATED
    due = (EvidenceImport.objects.filter(models.Q(status=stale, created_at__lt=now - ABANDONED_AFTER) | ~models.Q(status=stale))
           .exclude(content=b""))  # fmt: skip
    if not due.exists():  # the common case: no write transaction (SQLite would take its write lock)
        return 0
    with transaction.atomic():
        jobs = list(due.select_for_update().only("pk", "status", "errors", "header_error"))
        for job in jobs:
            if job.status == stale:
                job.status, job.header_error = EvidenceImport.Status.CANCELLED, EXPIRED
            job.content, job.errors = b"", mask_errors(job.errors)
        EvidenceImport.objects.bulk_update(jobs, ["status", "header_error", "content", "errors"])
        if jobs:
            audit_record(SYSTEM, "cadres.evidence_import_purge", object_type="EvidenceImport",
                         summary=f"删除{len(jobs)}个考核依据导入任务的原文件（已导入、已取消或超过{ABANDONED_AFTER.days}天未处理）",
                         after={"jobs": sorted(j.pk for j in jobs)})  # fmt: skip
    return len(jobs)


def evidence_import_error_file(job: EvidenceImport) -> bytes:
    """The uploaded file with a 错误说明 column on the header row and every bad row highlighted (.xlsx).
    RuleViolation (``FILE_DELETED``) when the file has been deleted (imported, cancelled or purged)."""
    from zugong.members.roster import error_file

    if not job.content:
        raise rules.RuleViolation(FILE_DELETED)

    return error_file(bytes(job.content), job.errors, EVIDENCE_COLUMNS)


def evidence_template(scope: Scope) -> bytes:
    """The import template: sheet 考核依据 (headers, '*' on required columns, one example row with a
    made-up 身份证号) and sheet 填写说明 (categories, levels, accepted date forms)."""
    from zugong.core.xlsx import add_sheet, new_workbook, workbook_bytes

    wb = new_workbook()
    example = ["张三", make_id_number("341502", dt.date(1980, 5, 1), 11), "表彰奖励", "2025.06.30", "全省优秀共产党员",
               "皖组〔2025〕18号", "省级", "组织部干部科"]  # fmt: skip
    add_sheet(wb, "考核依据", [("*" if c.required else "") + c.header for c in EVIDENCE_COLUMNS], [example])
    notes = [["类别", KIND_HINT], ["表彰级别", f"类别为表彰奖励时必填：{LEVEL_HINT}；其他类别留空"],
             ["日期", "不晚于今天；可写作2025.06.30、2025-06-30、20250630、2025年6月30日"],
             ["身份证号", "用于匹配干部，须为已录入且在您管理范围内的干部；姓名须与之一致"],
             ["导入规则", "全部无误才导入；也可选择“只导入无误的行”。有误的行可下载错误说明文件修改后重新导入"]]  # fmt: skip
    add_sheet(wb, "填写说明", ["项目", "说明"], notes, widths=[14, 80])
    return workbook_bytes(wb)
