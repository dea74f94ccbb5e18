"""党员: the membership of a Person, with its dated branch affiliation history (DESIGN.md, decision 2)."""

from __future__ import annotations

import datetime as dt

from django.db import models

from zugong.core import codes
from zugong.core.rules import age_on


class MemberStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class LeaveReason(models.TextChoices):
    """Why a membership ended (党员减少): 死亡; 出党 in the forms 《中国共产党章程》 names (退党 and
    除名: 第九条; 开除党籍, a disciplinary measure: article not verified, decision 0006); 停止党籍 (《中国共产党党员教育管理工作条例》, 2019: out of touch six months or
    more, or abroad five years or more); and the city's own 组织关系转出本市 (the member
    continues in a branch outside the city)."""

    DEATH = "death", "死亡"
    EXPELLED = "expelled", "开除党籍"
    REMOVED = "removed", "除名"
    WITHDRAWN = "withdrawn", "退党"
    STOPPED = "stopped", "停止党籍"
    TRANSFERRED_OUT = "transferred_out", "组织关系转出本市"


class PartyMember(models.Model):
    """The membership record of one Person.

    ``org`` is the current branch (kept equal to the open ``Affiliation``); ``joined_date`` is the
    day the branch general meeting admitted the member (入党时间), ``confirmed_date`` the day of
    confirmation as a full member (转正时间), empty while probationary.
    """

    person = models.OneToOneField("core.Person", on_delete=models.PROTECT, related_name="membership")
    org = models.ForeignKey("orgs.PartyOrganization", on_delete=models.PROTECT, related_name="members", verbose_name="所在党支部")
    status = models.CharField("党员类别", max_length=12, choices=MemberStatus.choices)
    joined_date = models.DateField("入党时间", db_index=True)
    confirmed_date = models.DateField("转正时间", null=True, blank=True)
    occupation = models.CharField("人员类别（职业）", max_length=2, choices=codes.OCCUPATION)
    left_date = models.DateField("减少日期", null=True, blank=True)
    left_reason = models.CharField("减少原因", max_length=16, choices=LeaveReason.choices, blank=True, default="", db_default="")
    left_note = models.CharField("减少说明", max_length=100, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="probationary", confirmed_date__isnull=False),
                name="member_probationary_not_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_date__isnull=True) | models.Q(confirmed_date__gt=models.F("joined_date")),
                name="member_confirmed_after_joined",
            ),
            models.CheckConstraint(condition=models.Q(occupation__in=[c for c, _ in codes.OCCUPATION]), name="member_occupation_code"),
            models.CheckConstraint(
                condition=models.Q(left_date__isnull=True, left_reason="") | models.Q(left_date__gt=models.F("joined_date"), left_reason__in=LeaveReason.values),
                name="member_left_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"

    @property
    def occupation_label(self) -> str:
        return codes.label("occupation", self.occupation)

    def party_standing_years(self, on: dt.date) -> int | None:
        """党龄 on ``on`` in full years, counted from the day the member became a full member
        (转正时间, ``confirmed_date``): 《中国共产党章程》(2022) 第七条 "党员的党龄，从预备期满转为
        正式党员之日算起". None when there is no 党龄 on that day: probationary then (no 转正时间,
        or a later one), or a full member whose 转正时间 is not on file. A membership that ended
        (死亡, 出党, 停止党籍) counts up to its 减少日期 (None when that came before 转正); one transferred out of the city
        (组织关系转出本市) goes on counting, as the member goes on elsewhere."""
        if self.confirmed_date is None or self.confirmed_date > on:
            return None
        end = on
        if self.left_date is not None and self.left_reason != LeaveReason.TRANSFERRED_OUT:
            end = min(end, self.left_date)
        return age_on(self.confirmed_date, end) if end >= self.confirmed_date else None  # left while probationary


class Affiliation(models.Model):
    """隶属关系: a member's membership in a branch from ``start`` until ``end`` (exclusive; null = now)."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="affiliations")
    # No single-column index: the (org, start) index below serves every org lookup.
    org = models.ForeignKey(
        "orgs.PartyOrganization", on_delete=models.PROTECT, related_name="affiliations", verbose_name="党支部", db_index=False
    )
    start = models.DateField("转入日期")
    end = models.DateField("转出日期", null=True, blank=True)
    document_no = models.CharField("介绍信编号", max_length=60, blank=True)
    reason = models.CharField("原因", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织关系"
        ordering = ["member", "start"]
        indexes = [models.Index(fields=["org", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")), name="affiliation_end_after_start"),
            models.UniqueConstraint(fields=["member"], condition=models.Q(end__isnull=True), name="affiliation_one_open_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_id} {self.start}–{self.end or ''}"


class ImportJob(models.Model):
    """导入任务: one uploaded roster (members or cadres), its validation result and its outcome.

    Lifecycle: ``validating`` → ``validated`` (counts and ``errors`` known, nothing written) →
    ``importing`` → ``done`` (or ``failed`` / ``cancelled``); a run whose process died is found by
    its stopped heartbeat and goes back to ``validated`` (an import) or to ``failed`` (a validation)
    — ``services.import_job_live``. ``errors`` is a list of
    ``[row, column, value, reason]`` with Excel row numbers; ``progress_done``/``progress_total``
    are rows, polled by the page while a large file is processed in the background.
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", "党员名册"
        CADRES = "cadres", "干部名册"

    class Status(models.TextChoices):
        VALIDATING = "validating", "正在校验"
        VALIDATED = "validated", "校验完成"
        IMPORTING = "importing", "正在导入"
        DONE = "done", "导入完成"
        FAILED = "failed", "导入失败"
        CANCELLED = "cancelled", "已取消"

    kind = models.CharField("名册类别", max_length=10, choices=Kind.choices, default=Kind.MEMBERS)
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="导入人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    scope_path = models.CharField("管理范围路径", max_length=64, blank=True)
    filename = models.CharField("原文件名", max_length=200)
    stored_name = models.CharField("存储文件名", max_length=200)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.VALIDATING)
    good_rows_only = models.BooleanField("只导入无误的行", default=False)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    error_rows = models.PositiveIntegerField("有误行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    transferred_count = models.PositiveIntegerField("变更党支部", default=0)
    progress_done = models.PositiveIntegerField("已处理行数", default=0)
    progress_total = models.PositiveIntegerField("待处理行数", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    errors = models.JSONField("错误明细", default=list, blank=True)
    timings = models.JSONField("耗时（秒）", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_status_display()})"

    @property
    def good_rows(self) -> int:
        return self.total_rows - self.error_rows

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)


class ExportJob(models.Model):
    """导出任务: a large list export written to a file in the background, with progress, for the
    user who asked for it to download (``zugong.members.exports``).

    Lifecycle: ``running`` → ``done`` (the file is ready; ``row_count`` rows) or ``failed``
    (``message`` says why; a run whose process died is found by its stopped heartbeat). The file is
    kept ``exports.KEEP_HOURS`` hours, then deleted (the job stays, 已过期). ``params`` are the list
    page's filters as given; ``unmasked`` marks a file with full 身份证号 and 联系电话.
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", "党员名册"

    class Status(models.TextChoices):
        RUNNING = "running", "正在导出"
        DONE = "done", "导出完成"
        FAILED = "failed", "导出失败"

    kind = models.CharField("名册类别", max_length=10, choices=Kind.choices, default=Kind.MEMBERS)
    title = models.CharField("名称", max_length=40)
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="导出人")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    scope_path = models.CharField("管理范围路径", max_length=64, blank=True)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    unmasked = models.BooleanField("含完整身份证号", default=False)
    stored_name = models.CharField("存储文件名", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    progress_done = models.PositiveIntegerField("已导出行数", default=0)
    progress_total = models.PositiveIntegerField("待导出行数", default=0)
    row_count = models.PositiveIntegerField("导出行数", default=0)
    message = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING
