"""工作落实: documents → tasks (with targets) → progress reports → quarter reviews.

A :class:`WorkDocument` keeps the original file, the text as extracted, the cleaning edits (with the
ids the user undid) and the cleaned text; its tasks are the rows of the 任务分解表. Spans
(``*_start``/``*_end``) are offsets into ``WorkDocument.cleaned_text`` as it was when the task was
extracted; they are null for values typed by a user.

Status (未开始 / 推进中 / 已完成 / 滞后 / 未完成) is never stored: :meth:`Task.status_on` and the
selector annotation ``zugong.work.selectors.with_status`` derive it from the progress reports and
the due date by the rule of :func:`status_rule` (docs/decisions/0004-work-loop.md), whose two day
counts are configurable (:class:`StatusThreshold`, defaults :data:`AT_RISK_DAYS`, :data:`STALE_DAYS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models

#: Shipped default of :class:`ThresholdKey.AT_RISK_DAYS`: a task not yet done counts as at risk
#: (滞后) when due within this many days … (local practice; city administrators change it, audited).
AT_RISK_DAYS = 30
#: … or when nothing was reported for this many days (since the last report, or since the document
#: date). Shipped default of :class:`ThresholdKey.STALE_DAYS`.
STALE_DAYS = 90

_STATUS_RULE = """状态由进展和完成时限推导，不手工填写（按顺序取第一条成立的）：
1. 已完成：每个责任单位都报告了完成（没有责任单位时看牵头单位）；报告人声明完成或报告数值达到第一项具体目标即为报告完成；
2. 未完成：完成时限已过，仍未完成；
3. 滞后：未到完成时限，但距完成时限{at_risk_days}天以内，或已{stale_days}天以上没有报告进展（从最近一次报告或文件日期起算）；
4. 推进中：已有进展报告；
5. 未开始：没有进展报告。
（“以内”“以上”均含本数。两个天数由市委组织部设定。）"""


class ThresholdKey(models.TextChoices):
    """The configurable figures of the status rule (:func:`status_rule`)."""

    AT_RISK_DAYS = "at_risk_days", "临近完成时限预警天数"
    STALE_DAYS = "stale_days", "未报告进展预警天数"


#: Shipped defaults of :class:`StatusThreshold` (also seeded by migration 0002).
DEFAULT_THRESHOLDS: dict[str, int] = {ThresholdKey.AT_RISK_DAYS: AT_RISK_DAYS, ThresholdKey.STALE_DAYS: STALE_DAYS}
#: Allowed range of every threshold, in days (both ends included).
THRESHOLD_RANGE = (1, 365)


class StatusThreshold(models.Model):
    """A configurable day count of the status rule (one row per :class:`ThresholdKey`).

    Set by the city administrator through ``services.status_threshold_set`` (audited); a missing
    row means the shipped default (:data:`DEFAULT_THRESHOLDS`).
    """

    key = models.CharField("项目", max_length=20, choices=ThresholdKey.choices, unique=True)
    days = models.PositiveSmallIntegerField("天数")

    class Meta:
        verbose_name = verbose_name_plural = "任务状态预警天数"
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=models.Q(key__in=ThresholdKey.values), name="work_threshold_key_valid"),
            models.CheckConstraint(condition=models.Q(days__gte=THRESHOLD_RANGE[0], days__lte=THRESHOLD_RANGE[1]),
                                   name="work_threshold_days_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.days}天"


@dataclass(frozen=True)
class Thresholds:
    """The day counts of the status rule in force: ``at_risk_days`` (due within → 滞后) and
    ``stale_days`` (no report for → 滞后), both in whole days, both ends included."""

    at_risk_days: int = AT_RISK_DAYS
    stale_days: int = STALE_DAYS

    @classmethod
    def current(cls) -> Thresholds:
        """The configured values (:class:`StatusThreshold` rows; defaults for missing rows). One query."""
        values = {**DEFAULT_THRESHOLDS, **dict(StatusThreshold.objects.values_list("key", "days"))}
        return cls(at_risk_days=values[ThresholdKey.AT_RISK_DAYS], stale_days=values[ThresholdKey.STALE_DAYS])


def status_rule(thresholds: Thresholds | None = None) -> str:
    """The status rule as shown to users, with the configured (or given) day counts.

    "以内""以上" include the number itself (民法典 第一千二百五十九条, 2020): due in exactly
    ``at_risk_days`` days, or no report for exactly ``stale_days`` days, is already 滞后.
    """
    t = thresholds or Thresholds.current()
    return _STATUS_RULE.format(at_risk_days=t.at_risk_days, stale_days=t.stale_days)


class DocumentKind(models.TextChoices):
    PLAN = "plan", "工作要点"
    SPEECH = "speech", "讲话"
    REPORT = "report", "汇报材料"


class Pillar(models.TextChoices):
    ORGANIZATION = "组织", "组织"
    CADRE = "干部", "干部"
    TALENT = "人才", "人才"
    SELF = "自身建设", "自身建设"


class TaskKind(models.TextChoices):
    TASK = "task", "任务"
    GUIDANCE = "guidance", "指导性要求"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    AT_RISK = "at_risk", "滞后"
    OVERDUE = "overdue", "未完成"


def document_upload_to(instance: WorkDocument, filename: str) -> str:
    """Originals go under MEDIA_ROOT/work/documents/<year>/<month>/."""
    return f"work/documents/{dt.date.today():%Y/%m}/{filename}"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    """Evidence files go under MEDIA_ROOT/work/evidence/<year>/<month>/."""
    return f"work/evidence/{dt.date.today():%Y/%m}/{filename}"


class WorkDocument(models.Model):
    """工作要点 / 讲话 / 汇报材料 uploaded by a unit; the source of a 任务分解表."""

    kind = models.CharField("文件类别", max_length=10, choices=DocumentKind.choices, default=DocumentKind.SPEECH)
    title = models.CharField("标题", max_length=200)
    speaker = models.CharField("讲话人", max_length=60, blank=True)
    document_date = models.DateField("文件日期")
    original = models.FileField("原始文件", upload_to=document_upload_to, blank=True)
    original_name = models.CharField("原始文件名", max_length=200, blank=True)
    raw_text = models.TextField("提取文本")
    edits = models.JSONField("清理修改", default=list, help_text="zugong.work.text.clean.Edit.as_dict() 的列表")
    undone = models.JSONField("已撤销的修改", default=list, help_text="用户撤销的修改编号")
    cleaned_text = models.TextField("清理后文本")
    outline = models.JSONField("提纲", default=dict)
    analysed_text = models.TextField("分析时的清理文本", blank=True, help_text="任务片段位置所依据的文本")
    owner_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="work_documents", verbose_name="所属单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作文件"
        ordering = ["-document_date", "-id"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """重点任务: one row of the 任务分解表."""

    document = models.ForeignKey(WorkDocument, on_delete=models.CASCADE, related_name="tasks")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("类别", max_length=10, choices=TaskKind.choices, default=TaskKind.TASK)
    heading_path = models.JSONField("所属标题", default=list)
    action = models.CharField("重点任务", max_length=300)
    text = models.TextField("原文", blank=True)
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    action_start = models.PositiveIntegerField(null=True, blank=True)
    action_end = models.PositiveIntegerField(null=True, blank=True)
    pillar = models.CharField("所属方面", max_length=8, choices=Pillar.choices, default=Pillar.ORGANIZATION)
    deadline_text = models.CharField("完成时限（原文）", max_length=60, blank=True)
    deadline_start = models.PositiveIntegerField(null=True, blank=True)
    deadline_end = models.PositiveIntegerField(null=True, blank=True)
    due = models.DateField("完成时限", null=True, blank=True, db_index=True)
    parties = models.JSONField(
        "责任主体（原文）", default=list,
        help_text="[{text, kind, start, end, role}]；role 仅在来自牵头单位/责任单位栏时出现：lead（牵头）、responsible（责任/配合）、leader（牵头领导）",
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks", verbose_name="牵头单位"
    )
    responsible_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="responsible_tasks", verbose_name="责任单位")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "重点任务"
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="work_task_document_seq_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=TaskKind.values), name="work_task_kind_valid"),
            models.CheckConstraint(condition=models.Q(pillar__in=Pillar.values), name="work_task_pillar_valid"),
            models.CheckConstraint(
                condition=models.Q(span_start__isnull=True) | models.Q(span_end__gte=models.F("span_start")),
                name="work_task_span_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_start__isnull=True) | models.Q(deadline_end__gte=models.F("deadline_start")),
                name="work_task_deadline_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.action}"

    @staticmethod
    def name_of(document_title: str, seq: int) -> str:
        """How a task is named where its text is not shown (audit log, progress audit): "《title》任务 seq"."""
        return f"《{document_title}》任务 {seq}"

    @property
    def name(self) -> str:
        """:meth:`name_of` this task (reads its document)."""
        return self.name_of(self.document.title, self.seq)

    @property
    def status_label(self) -> str:
        """Label of the ``status`` annotation of ``selectors.with_status`` ("" when not annotated)."""
        value = getattr(self, "status", None)
        return Status(value).label if value else ""

    def goal_text(self) -> str:
        """具体目标 as one line ("选聘客座教授30名左右；新增20%以上")."""
        return "；".join(t.label() for t in self.targets.all())

    def status_on(self, today: dt.date | None = None, thresholds: Thresholds | None = None, *, within: str = "") -> str:
        """Derived :class:`Status` value on ``today`` by :func:`status_rule` (one task; lists use the selector).

        ``thresholds`` default to the configured ones (:meth:`Thresholds.current`). ``within`` (a
        unit path prefix, "" = every unit): the status as that subtree sees the task — only its
        units' reports count, and its responsible (else lead) units must complete; the same as
        ``selectors.with_status(..., scope=...)``.
        """
        today = today or dt.date.today()
        th = thresholds or Thresholds.current()
        reports = list(
            self.reports.filter(unit__path__startswith=within, date__lte=today).order_by("date").values_list("date", "completes", "unit_id")
        )
        completed = {u for _, c, u in reports if c}
        required = set(self.responsible_units.filter(path__startswith=within).values_list("pk", flat=True))
        if not required and self.lead_unit_id and (not within or self.lead_unit.path.startswith(within)):
            required = {self.lead_unit_id}
        if (required and required <= completed) or (not required and completed):
            return Status.DONE
        if self.due and self.due < today:
            return Status.OVERDUE
        last = reports[-1][0] if reports else self.document.document_date
        if self.due and (self.due - today).days <= th.at_risk_days or (today - last).days >= th.stale_days:
            return Status.AT_RISK
        return Status.IN_PROGRESS if reports else Status.NOT_STARTED


class Target(models.Model):
    """具体目标: a measurable target of a task (30名左右, 20%以上, 5个 …)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    sort = models.PositiveSmallIntegerField("排序", default=0)
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    max_value = models.DecimalField("目标上限", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("计量单位", max_length=10, blank=True)
    qualifier = models.CharField("限定", max_length=10, blank=True, help_text="左右/以上/至少/以内 …")
    object = models.CharField("对象", max_length=60, blank=True)
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "具体目标"
        ordering = ["task", "sort", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="work_target_value_nonnegative"),
            models.CheckConstraint(
                condition=models.Q(max_value__isnull=True) | models.Q(max_value__gte=models.F("value")),
                name="work_target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        """"客座教授30名左右" style text."""
        v = number_text(self.value) + (f"—{number_text(self.max_value)}" if self.max_value is not None else "")
        q = self.qualifier or ""
        pre = q if q in ("至少", "不少于", "不低于", "超过") else ""
        post = "" if pre else q
        return f"{self.object}{pre}{v}{self.unit}{post}"


def number_text(v: Decimal | None) -> str:
    """A stored decimal as people write it: 35 (not 35.00), 12.5, "" for None."""
    if v is None:
        return ""
    return f"{v.normalize():f}" if v != v.to_integral() else str(int(v))


#: Units of targets that count things (名, 个, 次 …): their progress figures are whole numbers.
COUNT_UNITS = frozenset({"名", "个", "次", "人", "人次", "家", "场", "场次", "期", "批", "项", "篇", "件", "户", "所", "座",
                         "处", "支", "门", "部", "张", "条", "本", "班", "村", "镇", "套", "台", "间", "节", "课", "堂", "轮"})


class ProgressReport(models.Model):
    """进展: what a responsible unit reports on a task, with numbers against the target and evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="work_reports", verbose_name="报告单位")
    date = models.DateField("报告日期")
    text = models.TextField("进展情况")
    value = models.DecimalField("累计完成数", max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    completes = models.BooleanField("已完成", default=False, help_text="报告人声明完成，或数值达到目标")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["task", "date", "id"]
        indexes = [models.Index(fields=["task", "date"], name="work_report_task_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0), name="work_report_value_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.date}"

    def value_label(self) -> str:
        """累计完成数 as written: "35名" for a count target (no ".00"), "92.5%"; "" without a value."""
        if self.value is None:
            return ""
        return number_text(self.value) + (self.target.unit if self.target_id else "")


class EvidenceFile(models.Model):
    """佐证材料 attached to a progress report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_upload_to)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name
