"""干部 at the level statistics need: cadres, leadership teams, posts and dated appointments.

Posts (职务) and appointments are separate: an appointment is a dated fact with its document
numbers (DESIGN.md, decision 2). The cadre issue deepens this with ranks (职级), 职数 and appraisal.
"""

from __future__ import annotations

from django.db import models

from zugong.cadres import rules
from zugong.core import codes


class ManagementLevel(models.TextChoices):
    CITY = "city", "市管"
    COUNTY = "county", "县管"


class Cadre(models.Model):
    """The cadre record of a Person: management level, post level, and the unit of the main post."""

    person = models.OneToOneField("core.Person", on_delete=models.PROTECT, related_name="cadre")
    management_level = models.CharField("管理权限", max_length=8, choices=ManagementLevel.choices, db_index=True)
    post_level = models.CharField("职务级别", max_length=2, choices=codes.POST_LEVEL)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="cadres", verbose_name="工作单位")
    is_party_member = models.BooleanField("中共党员", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "干部"

    def __str__(self) -> str:
        return self.person.name


class LeadershipTeam(models.Model):
    """领导班子 of a unit (e.g. 霍山县委领导班子).

    ``management_level`` (管理权限) decides who appoints to its seats and sets its 职数 (``access``).
    No service changes it yet (the demo builder sets it); one that does must lock the row first with
    ``services.career.lock_team``, as the writers that read it do (appointments, 职数), so that it is
    never changed under an appointment that was allowed on the old value."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("班子名称", max_length=120)
    management_level = models.CharField("管理权限", max_length=8, choices=ManagementLevel.choices)

    class Meta:
        verbose_name = verbose_name_plural = "领导班子"
        ordering = ["unit__path", "id"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """职务: a post in a unit, optionally a seat of a leadership team."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="posts")
    team = models.ForeignKey(LeadershipTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("职务名称", max_length=60)
    post_level = models.CharField("职务级别", max_length=2, choices=codes.POST_LEVEL)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "职务"
        ordering = ["unit__path", "sort"]

    def __str__(self) -> str:
        return self.title

    @property
    def written_name(self) -> str:
        """The post as documents write it: unit and title, the place's suffix once (金安区委书记, 孙岗镇镇长);
        ``selectors_record.post_name``. Reads ``unit`` (select it with the post)."""
        from zugong.cadres.selectors_record import post_name

        return post_name(self.unit.name, self.title)


class Appointment(models.Model):
    """任职: ``cadre`` holds ``post`` from ``start`` to ``end`` (exclusive; null = still holds)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="appointments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateField("任职时间")
    end = models.DateField("免职时间", null=True, blank=True)
    document_no = models.CharField("任职文号", max_length=60, blank=True)
    removal_document_no = models.CharField("免职文号", max_length=60, blank=True)
    is_concurrent = models.BooleanField("兼任", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "任职"
        ordering = ["cadre", "start"]
        indexes = [models.Index(fields=["post", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")), name="appointment_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.post_id} {self.start}–{self.end or ''}"


# ------------------------------------------------------------------------------------------------
# Issue 4: ranks, 职数, young-cadre thresholds
# ------------------------------------------------------------------------------------------------
class CadreRank(models.Model):
    """职级: ``cadre`` holds ``rank`` (code of :data:`zugong.cadres.rules.RANKS`) from ``start`` to ``end``
    (exclusive; null = still holds). Kept apart from posts (职务) per 《公务员职务与职级并行规定》 (2019)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="ranks")
    rank = models.CharField("职级", max_length=2, choices=rules.RANKS)
    start = models.DateField("任职级时间")
    end = models.DateField("免职级时间", null=True, blank=True)
    document_no = models.CharField("文号", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "职级"
        ordering = ["cadre", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")), name="cadrerank_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.get_rank_display()} {self.start}–{self.end or ''}"


class PostQuota(models.Model):
    """职数: the authorized number of 正职 / 副职 posts of a leadership team (核定职数), with its document."""

    team = models.ForeignKey(LeadershipTeam, on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField("职数类别", max_length=8, choices=rules.POST_KINDS)
    number = models.PositiveSmallIntegerField("核定职数")
    document_no = models.CharField("核定文件", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "职数"
        constraints = [models.UniqueConstraint(fields=["team", "kind"], name="postquota_team_kind_unique")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.get_kind_display()} {self.number}"


class YoungThreshold(models.Model):
    """年轻干部 age threshold per 职务级别: young = full-year age ≤ ``max_age`` (configurable, audited)."""

    post_level = models.CharField("职务级别", max_length=2, choices=codes.POST_LEVEL, unique=True)
    max_age = models.PositiveSmallIntegerField("年轻干部年龄上限（周岁）")

    class Meta:
        verbose_name = verbose_name_plural = "年轻干部年龄标准"
        ordering = ["post_level"]

    def __str__(self) -> str:
        return f"{self.get_post_level_display()} ≤{self.max_age}"


# ------------------------------------------------------------------------------------------------
# Appraisal (考核)
# ------------------------------------------------------------------------------------------------
class UnitCategory(models.TextChoices):
    TEAM = "team", "领导班子"
    ORGAN = "organ", "机关"
    GRASSROOTS = "grassroots", "基层单位"
    INSTITUTION = "institution", "事业单位"


class RoundStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class AppraisalRound(models.Model):
    """年度考核: one round of a unit for one year and unit category, with its 优秀 ratio and rounding."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="appraisal_rounds", verbose_name="单位")
    year = models.PositiveSmallIntegerField("考核年度")
    category = models.CharField("单位类别", max_length=12, choices=UnitCategory.choices)
    excellent_ratio = models.DecimalField("优秀比例", max_digits=4, decimal_places=3, default=rules.DEFAULT_EXCELLENT_RATIO)
    ratio_approval = models.CharField("放宽比例批准文件", max_length=80, blank=True)
    rounding = models.CharField("取整规则", max_length=8, choices=rules.ROUNDINGS, default=rules.FLOOR)
    status = models.CharField("状态", max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度考核"
        ordering = ["-year", "unit__path", "category"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "category"], name="appraisalround_unit_year_category_unique"),
            models.CheckConstraint(condition=models.Q(excellent_ratio__gt=0, excellent_ratio__lte="0.25"), name="appraisalround_ratio_max_25"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度{self.get_category_display()}考核"


class NotGraded(models.TextChoices):
    SHORT_SERVICE = "short_service", "任职不满半年"
    INVESTIGATION = "investigation", "涉嫌违纪违法被立案审查调查尚未结案"
    OTHER = "other", "其他不定等次情形"


class AppraisalEntry(models.Model):
    """A participant of a round: grade (blank until graded) or the reason for not grading, ranking."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="entries")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="appraisals")
    year = models.PositiveSmallIntegerField("考核年度")  # copy of round.year: one annual grade per cadre and year
    grade = models.CharField("等次", max_length=12, choices=rules.GRADES, blank=True)
    not_graded = models.CharField("不定等次", max_length=16, choices=NotGraded.choices, blank=True)
    ranking = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核结果"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="appraisalentry_cadre_year_unique"),
            models.CheckConstraint(condition=models.Q(grade="") | models.Q(not_graded=""), name="appraisalentry_grade_or_not_graded"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.year} {self.grade or self.not_graded}"


class RoutineAppraisal(models.Model):
    """平时考核 (quarterly) or 专项考核 of one cadre."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "平时考核"
        SPECIAL = "special", "专项考核"

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="routine_appraisals")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    subject = models.CharField("专项考核事项", max_length=120, blank=True)
    grade = models.CharField("结果", max_length=12, choices=rules.ROUTINE_GRADES)
    on = models.DateField("考核日期")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "平时考核和专项考核"
        ordering = ["cadre", "-year", "-quarter", "-on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4), name="routine_quarter_1_4"),
            models.UniqueConstraint(fields=["cadre", "year", "quarter"], condition=models.Q(kind="routine"), name="routine_one_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.get_kind_display()} {self.year} {self.get_grade_display()}"


class TeamScorePart(models.Model):
    """A weighted part of the leadership-team "1+N" score (configurable data, e.g. 任务完成情况 40%)."""

    code = models.CharField("代码", max_length=20, unique=True)
    label = models.CharField("名称", max_length=40)
    weight = models.DecimalField("权重", max_digits=4, decimal_places=3)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "班子考核评分项"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.label


class TeamScore(models.Model):
    """The value (0–100) of one part for one team and year."""

    team = models.ForeignKey(LeadershipTeam, on_delete=models.CASCADE, related_name="scores")
    year = models.PositiveSmallIntegerField("年度")
    part = models.ForeignKey(TeamScorePart, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("得分", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "班子考核得分"
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "part"], name="teamscore_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=0, value__lte=100), name="teamscore_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.year} {self.part_id} {self.value}"


# ------------------------------------------------------------------------------------------------
# Evidence (用好考据)
# ------------------------------------------------------------------------------------------------
class EvidenceKind(models.TextChoices):
    TASK = "task", "工作任务完成情况"
    COMMENDATION = "commendation", "表彰奖励"
    INSPECTION = "inspection", "巡视巡察、审计发现问题"
    PETITION = "petition", "信访举报和舆情"
    ACCOUNTABILITY = "accountability", "问责处理"


class AwardLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class Evidence(models.Model):
    """A dated record the appraisal weighs, with its source document; ``tolerated`` = cleared by an
    error-tolerance decision (容错), so it does not count against appraisal and selection."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("类别", max_length=16, choices=EvidenceKind.choices)
    on = models.DateField("日期")
    title = models.CharField("事项", max_length=200)
    source_document = models.CharField("来源文件", max_length=120)
    level = models.CharField("表彰级别", max_length=12, choices=AwardLevel.choices, blank=True)
    office = models.CharField("录入部门", max_length=60, blank=True)
    tolerated = models.BooleanField("已容错免责", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核依据"
        ordering = ["cadre", "-on", "-id"]
        indexes = [models.Index(fields=["kind", "level"])]

    def __str__(self) -> str:
        return f"{self.on} {self.title}"


# ------------------------------------------------------------------------------------------------
# Reserve pool (后备干部库) and up-and-down (能上能下)
# ------------------------------------------------------------------------------------------------
class Sector(models.TextChoices):
    PARTY = "party", "党政综合"
    ECONOMY = "economy", "经济管理"
    SOCIAL = "social", "社会事业"
    LAW = "law", "政法"
    RURAL = "rural", "农业农村"
    SCIENCE = "science", "科技教育"
    ENTERPRISE = "enterprise", "国有企业"


class EntryRoute(models.TextChoices):
    RECOMMENDATION = "recommendation", "民主推荐"
    INSPECTION = "inspection", "考察识别"
    ORGANIZATION = "organization", "组织推荐"


class ReserveStatus(models.TextChoices):
    IN_POOL = "in_pool", "在库"
    UNDER_INSPECTION = "under_inspection", "已列为考察对象"
    USED = "used", "已使用"
    REVOKED = "revoked", "已撤销资格"


class ReserveEntry(models.Model):
    """后备干部库 entry: the cadre, the 类别 (target 职务级别), 行业 and 领域, how he entered, status, review date."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="reserve_entries")
    category = models.CharField("类别（拟任职务级别）", max_length=2, choices=codes.POST_LEVEL)
    sector = models.CharField("行业", max_length=12, choices=Sector.choices)
    field = models.CharField("领域", max_length=40, blank=True)
    route = models.CharField("入库方式", max_length=16, choices=EntryRoute.choices)
    status = models.CharField("状态", max_length=20, choices=ReserveStatus.choices, default=ReserveStatus.IN_POOL, db_index=True)
    entered_on = models.DateField("入库时间")
    status_on = models.DateField("状态变更时间")
    review_due = models.DateField("下次复核时间")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后备干部"
        ordering = ["cadre__person__stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre"], condition=models.Q(status__in=["in_pool", "under_inspection"]), name="reserve_one_active_per_cadre"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.get_category_display()} {self.get_status_display()}"


class DevelopmentRecord(models.Model):
    """培养锻炼: secondment (挂职), shadow placement (跟班学习), rotation (轮岗交流) or training of a pool member."""

    class Kind(models.TextChoices):
        SECONDMENT = "secondment", "挂职"
        SHADOW = "shadow", "跟班学习"
        ROTATION = "rotation", "轮岗交流"
        TRAINING = "training", "教育培训"

    entry = models.ForeignKey(ReserveEntry, on_delete=models.CASCADE, related_name="developments")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    place = models.CharField("单位或项目", max_length=120)
    start = models.DateField("开始时间")
    end = models.DateField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "培养锻炼"
        ordering = ["entry", "start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.place}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已调整"
    WITHDRAWN = "withdrawn", "已撤销"


class AdjustmentCase(models.Model):
    """能上能下 case file: circumstances (第五条 items), measure, steps, and the resulting dated change.

    ``effective_on`` is set when the change takes effect; removals and demotions then start the
    waiting periods enforced by ``services.career``.
    """

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="adjustment_cases")
    circumstances = models.JSONField("不适宜担任现职情形", default=list)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="cases", verbose_name="依据材料")
    measure = models.CharField("调整方式", max_length=16, choices=rules.MEASURES)
    motion_on = models.DateField("动议时间")
    status = models.CharField("状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    effective_on = models.DateField("调整生效时间", null=True, blank=True)
    document_no = models.CharField("调整文号", max_length=60, blank=True)
    new_appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    new_rank = models.ForeignKey(CadreRank, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: Key of the procedure template (``zugong.cadres.procedures``) the steps were created from;
    #: "" = a case opened before templates existed (steps typed freely).
    procedure = models.CharField("程序模板", max_length=40, blank=True)
    follow_up = models.TextField("跟踪了解情况", blank=True)
    reuse_proposed_on = models.DateField("提出重新使用建议时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "能上能下调整"
        ordering = ["-motion_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.get_measure_display()} {self.motion_on}"


class CaseStep(models.Model):
    """A procedure step of a case with its date, decision and document.

    Steps of a templated case (``AdjustmentCase.procedure``) are created pending when the case is
    opened, in template order (``sort``), with the template's ``label``; a step is done once it
    has its date ``on`` (None = pending).
    """

    class Step(models.TextChoices):
        MOTION = "motion", "动议"
        VERIFY = "verify", "调查核实"
        TALK = "talk", "沟通谈话"
        PROPOSAL = "proposal", "提出调整建议"
        DECISION = "decision", "讨论决定"
        ANNOUNCE = "announce", "宣布及办理手续"
        APPLICATION = "application", "本人提出辞职"

    case = models.ForeignKey(AdjustmentCase, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("程序", max_length=12, choices=Step.choices)
    on = models.DateField("日期", null=True, blank=True)
    decision = models.CharField("意见或决定", max_length=300, blank=True)
    document_no = models.CharField("文号", max_length=60, blank=True)
    sort = models.PositiveSmallIntegerField("顺序", default=0)
    label = models.CharField("程序名称", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "调整程序"
        ordering = ["case", "sort", "on", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.on or '待办'}"

    @property
    def done(self) -> bool:
        """True once the step has its date."""
        return self.on is not None

    @property
    def title(self) -> str:
        """The template's name of the step, else the step's choice label."""
        return self.label or self.get_step_display()


class ErrorTolerance(models.Model):
    """容错纠错 decision on one evidence item: which of the "three distinctions" applies and whether the
    mistake is tolerated (then ``Evidence.tolerated`` is set and it no longer counts)."""

    class Distinction(models.TextChoices):
        INEXPERIENCE = "inexperience", "因缺乏经验、先行先试出现的失误，区别于明知故犯"
        EXPLORATION = "exploration", "尚无明确限制的探索性试验中的失误，区别于明令禁止后我行我素"
        UNINTENDED = "unintended", "为推动发展的无意过失，区别于为谋取私利的违纪违法"
        NONE = "none", "不属于可容错情形"

    evidence = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="tolerance")
    distinction = models.CharField("三个区分开来", max_length=14, choices=Distinction.choices)
    tolerated = models.BooleanField("予以容错")
    decided_on = models.DateField("认定时间")
    document_no = models.CharField("认定文号", max_length=60)
    reasoning = models.CharField("认定理由", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "容错纠错认定"
        constraints = [
            models.CheckConstraint(condition=~models.Q(distinction="none", tolerated=True), name="tolerance_needs_a_distinction"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} {'容错' if self.tolerated else '不予容错'}"


class PoolTarget(models.Model):
    """后备干部队伍结构目标 set by the department for the pool below ``unit`` (the scope root that sets it).

    ``category`` is the pool 类别 (拟任职务级别) or "" for the whole pool. Every target is optional
    (None / absent = not set): ``women_pct`` minimum share of women (%), ``young_pct`` minimum share
    aged ``young_age`` 周岁 or less, ``bachelor_pct`` minimum share with 大学本科 or above (%), and
    ``sector_counts`` {Sector code: minimum number of members}. Percentages are whole numbers 0–100.
    These are the department's own working targets (local practice), not a national quota.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="pool_targets")
    category = models.CharField("类别（拟任职务级别）", max_length=2, choices=codes.POST_LEVEL, blank=True)
    women_pct = models.PositiveSmallIntegerField("女干部比例下限（%）", null=True, blank=True)
    young_age = models.PositiveSmallIntegerField("年龄界限（周岁及以下）", null=True, blank=True)
    young_pct = models.PositiveSmallIntegerField("该年龄以下比例下限（%）", null=True, blank=True)
    bachelor_pct = models.PositiveSmallIntegerField("大学本科及以上比例下限（%）", null=True, blank=True)
    sector_counts = models.JSONField("各行业人数目标", default=dict, blank=True)
    document_no = models.CharField("依据文号", max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "后备干部结构目标"
        ordering = ["unit", "category"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "category"], name="pool_target_one_per_unit_category"),
            models.CheckConstraint(
                condition=(models.Q(women_pct__isnull=True) | models.Q(women_pct__lte=100))
                & (models.Q(young_pct__isnull=True) | models.Q(young_pct__lte=100))
                & (models.Q(bachelor_pct__isnull=True) | models.Q(bachelor_pct__lte=100)),
                name="pool_target_pct_le_100",
            ),
            models.CheckConstraint(condition=models.Q(young_pct__isnull=True) | models.Q(young_age__isnull=False), name="pool_target_young_needs_age"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.category or '全部'}"


# ------------------------------------------------------------------------------------------------
# Reserve pool status history (后备干部状态变更记录)
# ------------------------------------------------------------------------------------------------
class ReserveStatusChange(models.Model):
    """A dated status change of a pool entry: ``from_status`` → ``to_status`` on ``on`` (the day it
    takes effect), by whom, why and on which document. ``from_status`` "" = entry into the pool, or
    a row seeded by migration 0007 from the entry's status at that time (earlier history unknown).

    Written by ``services.reserve`` in the transaction of the audit event; read by
    ``selectors_reserve.active_on_q`` to answer pool membership as of a past date.
    """

    entry = models.ForeignKey(ReserveEntry, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=ReserveStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=ReserveStatus.choices)
    on = models.DateField("变更日期")
    by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人")
    reason = models.CharField("变更原因", max_length=200, blank=True)
    document_no = models.CharField("依据文件", max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "后备干部状态变更记录"
        ordering = ["entry", "on", "id"]
        indexes = [models.Index(fields=["entry", "on"])]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.from_status or '—'}→{self.to_status} {self.on}"


# ------------------------------------------------------------------------------------------------
# Evidence bulk import (考核依据批量导入)
# ------------------------------------------------------------------------------------------------
class EvidenceImport(models.Model):
    """One upload of an evidence .xlsx by one user: the file (kept so the error file can be built and
    the commit re-validates it), the validation outcome and, once imported, the counts.

    ``errors`` = [[excel row, column, value, Chinese reason], …]. Only its uploader sees it.
    """

    class Status(models.TextChoices):
        VALIDATED = "validated", "已校验"
        DONE = "done", "已导入"
        CANCELLED = "cancelled", "已取消"

    created_by = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALIDATED)
    total_rows = models.PositiveIntegerField("数据行", default=0)
    error_rows = models.PositiveIntegerField("有误的行", default=0)
    created_count = models.PositiveIntegerField("导入条数", default=0)
    good_rows_only = models.BooleanField("只导入无误的行", default=False)
    header_error = models.CharField("表头问题", max_length=300, blank=True)
    errors = models.JSONField("错误明细", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "考核依据导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} {self.get_status_display()}"


# ------------------------------------------------------------------------------------------------
# The cadre's profile for the 干部任免审批表 (issue 4 §5): photo, 出生地, 健康状况, education blocks,
# and 家庭主要成员及重要社会关系
# ------------------------------------------------------------------------------------------------
#: 政治面貌 of family members: the GB/T 4762-1984 code table of zugong.core.codes (CodeItem table
#: "political_status"), labelled with the short forms the 干部任免审批表 prints (01 中共党员 …).
POLITICAL_STATUS = codes.POLITICAL_STATUS
POLITICAL_STATUS_LABELS = dict(POLITICAL_STATUS)
#: Longer names and common variants → GB/T 4762 code (the official long names included).
POLITICAL_STATUS_BY_TEXT = {
    **{label: code for code, label in POLITICAL_STATUS}, **{code: code for code, _ in POLITICAL_STATUS},
    "中国共产党党员": "01", "党员": "01", "共产党员": "01", "中国共产党预备党员": "02", "预备党员": "02",
    "中国共产主义青年团团员": "03", "团员": "03", "中国国民党革命委员会会员": "04", "民革会员": "04",
    "中国民主同盟盟员": "05", "中国民主建国会会员": "06", "中国民主促进会会员": "07", "中国农工民主党党员": "08",
    "中国致公党党员": "09", "九三学社": "10", "台湾民主自治同盟盟员": "11", "无党派民主人士": "12", "无党派": "12",
}  # fmt: skip


class Relation(models.TextChoices):
    """称谓 of a family member or important social relation, as the 干部任免审批表 writes it."""

    WIFE = "wife", "妻子"
    HUSBAND = "husband", "丈夫"
    SON = "son", "儿子"
    DAUGHTER = "daughter", "女儿"
    FATHER = "father", "父亲"
    MOTHER = "mother", "母亲"
    WIFE_FATHER = "wife_father", "岳父"
    WIFE_MOTHER = "wife_mother", "岳母"
    HUSBAND_FATHER = "husband_father", "公公"
    HUSBAND_MOTHER = "husband_mother", "婆婆"
    DAUGHTER_IN_LAW = "daughter_in_law", "儿媳"
    SON_IN_LAW = "son_in_law", "女婿"
    ELDER_BROTHER = "elder_brother", "哥哥"
    ELDER_SISTER = "elder_sister", "姐姐"
    YOUNGER_BROTHER = "younger_brother", "弟弟"
    YOUNGER_SISTER = "younger_sister", "妹妹"
    GRANDSON = "grandson", "孙子"
    GRANDDAUGHTER = "granddaughter", "孙女"


def photo_upload_to(instance: CadreProfile, filename: str) -> str:
    """Photos go under MEDIA_ROOT/cadre_photos/ with a random name (never the uploader's name or the
    cadre's id: the path says nothing about whose photo it is)."""
    import secrets

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"cadre_photos/{secrets.token_hex(16)}.{'png' if ext == 'png' else 'jpg'}"


def _code_or_blank(field: str, table: tuple[tuple[str, str], ...]) -> models.Q:
    return models.Q(**{field: ""}) | models.Q(**{f"{field}__in": [c for c, _ in table]})


class CadreProfile(models.Model):
    """What the 干部任免审批表 asks beyond Person and Cadre: 照片, 出生地, 健康状况, 专业技术职务,
    熟悉专业有何专长 and the two 学历学位 blocks (全日制教育 / 在职教育: 学历 GB/T 4658 code, 学位
    GB/T 6864 code, 毕业院校系及专业). One per cadre, created on first write (absent = all empty).

    ``birthplace_code`` is a 行政区划代码 of 6, 9 or 12 digits ('' when unknown) and ``birthplace`` the
    place name as printed. ``photo`` is a JPEG (or PNG when Pillow is unavailable) of at most 2 MB under
    MEDIA_ROOT/cadre_photos/, served only by the scoped view ``cadres:photo`` (personal data: never
    a public media URL). Person.education/degree stay the highest level, for statistics.
    """

    cadre = models.OneToOneField(Cadre, on_delete=models.CASCADE, related_name="profile")
    photo = models.FileField("照片", upload_to=photo_upload_to, blank=True, max_length=120)
    photo_updated_at = models.DateTimeField("照片更新时间", null=True, blank=True)
    birthplace_code = models.CharField("出生地（区划代码）", max_length=12, blank=True)
    birthplace = models.CharField("出生地", max_length=60, blank=True)
    health = models.CharField("健康状况", max_length=20, blank=True)
    tech_title = models.CharField("专业技术职务", max_length=60, blank=True)
    specialty = models.CharField("熟悉专业有何专长", max_length=200, blank=True)
    fulltime_education = models.CharField("全日制教育学历", max_length=2, choices=codes.EDUCATION, blank=True)
    fulltime_degree = models.CharField("全日制教育学位", max_length=1, choices=codes.DEGREE, blank=True)
    fulltime_school = models.CharField("全日制教育毕业院校系及专业", max_length=120, blank=True)
    inservice_education = models.CharField("在职教育学历", max_length=2, choices=codes.EDUCATION, blank=True)
    inservice_degree = models.CharField("在职教育学位", max_length=1, choices=codes.DEGREE, blank=True)
    inservice_school = models.CharField("在职教育毕业院校系及专业", max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "干部任免审批表信息"
        constraints = [
            models.CheckConstraint(condition=_code_or_blank("fulltime_education", codes.EDUCATION), name="cadreprofile_fulltime_edu_gbt4658"),
            models.CheckConstraint(condition=_code_or_blank("inservice_education", codes.EDUCATION), name="cadreprofile_inservice_edu_gbt4658"),
            models.CheckConstraint(condition=_code_or_blank("fulltime_degree", codes.DEGREE), name="cadreprofile_fulltime_degree_gbt6864"),
            models.CheckConstraint(condition=_code_or_blank("inservice_degree", codes.DEGREE), name="cadreprofile_inservice_degree_gbt6864"),
            models.CheckConstraint(
                condition=models.lookups.In(models.functions.Length("birthplace_code"), [0, 6, 9, 12]),
                name="cadreprofile_birthplace_code_length",
            ),
            models.CheckConstraint(condition=models.Q(photo="") | models.Q(photo__startswith="cadre_photos/"), name="cadreprofile_photo_folder"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} 任免审批表信息"


class FamilyMember(models.Model):
    """家庭主要成员及重要社会关系 of a cadre, in the order the form lists them (``sort``, then id).

    ``birth_date`` is the first of the month when only the month is known (the form prints "yyyy.mm"),
    None when unknown (e.g. deceased relatives, whose ``work`` then says 已去世). ``political_status`` is a
    GB/T 4762 code of :data:`POLITICAL_STATUS` ('' when not given).
    """

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField("称谓", max_length=16, choices=Relation.choices)
    name = models.CharField("姓名", max_length=40)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    political_status = models.CharField("政治面貌", max_length=2, choices=POLITICAL_STATUS, blank=True)
    work = models.CharField("工作单位及职务", max_length=120, blank=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "家庭主要成员及重要社会关系"
        ordering = ["cadre", "sort", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(relation__in=Relation.values), name="familymember_relation_known"),
            models.CheckConstraint(condition=_code_or_blank("political_status", POLITICAL_STATUS), name="familymember_political_gbt4762"),
            models.CheckConstraint(condition=~models.Q(name=""), name="familymember_name_required"),
            # "not in the future" needs today's date, which a CHECK may not read (SQLite refuses
            # non-deterministic functions there): the service checks it; the database keeps the floor.
            models.CheckConstraint(condition=models.Q(birth_date__isnull=True) | models.Q(birth_date__gte="1900-01-01"), name="familymember_birth_after_1900"),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"
