"""The audit log: every write records who, when, what, before/after and from where (DESIGN.md, decision 4)."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zugong.core.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who performs a write and from which address; ``user`` is None for the system itself."""

    user: Any
    ip: str | None = None

    @property
    def name(self) -> str:
        return self.user.get_username() if self.user is not None else "系统"

    @classmethod
    def from_request(cls, request) -> Actor:
        """The logged-in user of ``request`` and its client address (REMOTE_ADDR)."""
        return cls(user=request.user if request.user.is_authenticated else None, ip=request.META.get("REMOTE_ADDR"))


SYSTEM = Actor(user=None, ip=None)

_IMPORT_STEPS = (
    ("", "导入{}"), ("_uploaded", "上传{}"), ("_started", "开始导入{}"), ("_failed", "{}校验或导入未完成"),
    ("_cancelled", "取消导入{}"), ("_interrupted", "{}导入被中断"), ("_purge", "删除{}导入原文件"),
)  # fmt: skip

#: The 审计日志's name of each action written by ``audit_record`` (a test scans the code for
#: actions without one). Keys are stable codes stored in AuditEvent.action; labels may change.
ACTION_LABELS: dict[str, str] = {
    **{f"{kind}.import{suffix}": label.format(roster) for kind, roster in (("members", "党员名册"), ("cadres", "干部名册"))
       for suffix, label in _IMPORT_STEPS},
    "person.create": "新增人员", "person.update": "修改人员信息", "person.reveal_id_number": "查看完整身份证号",
    "unit.create": "新增单位", "party_org.create": "新增党组织",
    "members.export": "导出党员名册", "cadres.export": "导出干部名册",
    "members.export_started": "开始导出党员名册", "members.export_failed": "导出党员名册未完成",
    "members.export_download": "下载导出的党员名册",
    "members.transfer": "组织关系转接", "members.confirm": "预备党员转正", "members.leave": "党员减少",
    "members.leave_undo": "撤销党员减少",
    "cadres.appointment_create": "任职", "cadres.appointment_end": "免职", "cadres.rank_grant": "确定职级",
    "cadres.post_quota_set": "核定职数", "cadres.young_threshold_set": "设定年轻干部年龄上限",
    "cadres.team_roster_export": "导出领导班子成员名册",
    "cadres.profile_update": "修改任免审批表信息", "cadres.family_add": "添加家庭成员",
    "cadres.family_update": "修改家庭成员", "cadres.family_remove": "删除家庭成员",
    "cadres.family_reorder": "调整家庭成员顺序", "cadres.photo_set": "上传干部照片", "cadres.photo_remove": "删除干部照片",
    "cadres.approval_form_export": "导出干部任免审批表（Word）", "cadres.lrmx_export": "导出干部任免审批表（LRMX）",
    "cadres.lrmx_import": "导入干部任免审批表", "cadres.lrmx_import_batch": "批量导入干部任免审批表",
    "cadres.round_open": "开启年度考核", "cadres.round_add": "添加参加考核人员", "cadres.entry_grade": "确定考核等次",
    "cadres.round_close": "结束年度考核", "cadres.round_export": "导出年度考核结果",
    "cadres.routine_record": "记录平时考核", "cadres.team_score_set": "领导班子考核评分",
    "cadres.team_score_part_set": "设定领导班子考核权重",
    "cadres.evidence_record": "记录考核依据", "cadres.evidence_import": "导入考核依据",
    "cadres.evidence_import_purge": "清理考核依据导入文件", "cadres.evidence_import_cancel": "取消导入考核依据", "cadres.incentive_export": "导出优先使用干部名单",
    "cadres.reserve_add": "列入后备干部", "cadres.reserve_status": "变更后备干部状态",
    "cadres.pool_target_set": "设定后备干部结构目标", "cadres.development_add": "记录后备干部培养锻炼",
    "cadres.reserve_export": "导出后备干部名单",
    "cadres.case_open": "动议调整干部", "cadres.case_step": "记录调整程序", "cadres.case_complete": "完成干部调整",
    "cadres.case_follow_up": "调整后跟踪", "cadres.error_tolerance": "容错认定",
    "work.document.upload": "上传工作文件", "work.document.reanalyse": "重新分析工作文件",
    "work.document.undo_edit": "撤销清理修改", "work.document.redo_edit": "恢复清理修改",
    "work.task.create": "新增任务", "work.task.update": "修改任务", "work.task.split": "拆分任务",
    "work.task.merge": "合并任务", "work.task.promote": "设为任务", "work.task.demote": "设为指导性要求",
    "work.progress.create": "报告任务进展", "work.status_threshold.set": "设定预警天数",
    "demo.build": "生成演示数据", "demo.reset": "清除演示数据", "backup": "备份数据", "restore": "恢复数据",
    "audit.export": "导出审计日志",
}  # fmt: skip

#: The 审计日志 page's filter by kind of action: (code, label, action prefixes).
ACTION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("members", "人员与党员", ("person.", "members.")),
    ("orgs", "单位与党组织", ("unit.", "party_org.")),
    ("cadres", "干部", ("cadres.",)),
    ("work", "工作落实", ("work.",)),
    ("system", "系统（演示数据、备份、审计）", ("demo.", "backup", "restore", "audit.")),
)


def action_label(action: str) -> str:
    """The Chinese name of an audited action (``ACTION_LABELS``); an unknown code as it is."""
    return ACTION_LABELS.get(action, action)


#: Marks an AuditEvent.scope_path taken from the unit tree (paths themselves are [0-9A-Z]).
UNIT_SCOPE_PREFIX = "u:"


def jsonable(value: Any) -> Any:
    """Turn dates, decimals and nested containers into JSON-friendly values for before/after."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def audit_record(
    actor: Actor,
    action: str,
    *,
    object_type: str = "",
    object_id: Any = "",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    scope_path: str = "",
    scope_unit_path: str = "",
) -> AuditEvent:
    """Write one AuditEvent. Must run inside the caller's transaction (RuntimeError otherwise),
    so that the event and the change it describes commit or roll back together.

    ``scope_path`` is the PartyOrganization path the change belongs to; for changes that belong to
    the unit tree pass ``scope_unit_path`` instead (stored as ``u:<unit path>`` so that the two trees,
    whose paths share one format, can never be confused by the audit page's prefix filter).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_name=actor.name,
        ip=actor.ip,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:300],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        scope_path=scope_path or (UNIT_SCOPE_PREFIX + scope_unit_path if scope_unit_path else ""),
    )
