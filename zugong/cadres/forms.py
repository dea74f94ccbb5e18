"""Small forms of the cadre pages (boundary validation only; rules live in ``rules`` and ``services``)."""

from __future__ import annotations

from django import forms

from zugong.cadres import rules
from zugong.cadres.models import (
    POLITICAL_STATUS,
    AwardLevel,
    CaseStep,
    DevelopmentRecord,
    EntryRoute,
    ErrorTolerance,
    EvidenceKind,
    NotGraded,
    Relation,
    ReserveStatus,
    Sector,
    UnitCategory,
)
from zugong.core import codes


class AppointmentForm(forms.Form):
    post = forms.IntegerField(label="职务")
    cadre = forms.IntegerField(label="干部")
    start = forms.DateField(label="任职时间")
    document_no = forms.CharField(label="任职文号", max_length=60)
    is_concurrent = forms.BooleanField(label="兼任", required=False)


class RemovalForm(forms.Form):
    appointment = forms.IntegerField()
    end = forms.DateField(label="免职时间")
    removal_document_no = forms.CharField(label="免职文号", max_length=60)


class QuotaForm(forms.Form):
    kind = forms.ChoiceField(label="职数类别", choices=rules.POST_KINDS)
    number = forms.IntegerField(label="核定职数", min_value=0, max_value=99)
    document_no = forms.CharField(label="核定文件", max_length=60, required=False)


class ThresholdForm(forms.Form):
    post_level = forms.ChoiceField(label="职务级别", choices=codes.POST_LEVEL)
    max_age = forms.IntegerField(label="年龄上限（周岁）", min_value=18, max_value=70)


class RankForm(forms.Form):
    rank = forms.ChoiceField(label="职级", choices=rules.RANKS)
    start = forms.DateField(label="任职级时间")
    document_no = forms.CharField(label="文号", max_length=60, required=False)


class RoundForm(forms.Form):
    unit = forms.IntegerField(label="单位")
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    category = forms.ChoiceField(label="单位类别", choices=UnitCategory.choices)
    excellent_ratio = forms.DecimalField(label="优秀比例", max_digits=4, decimal_places=3, initial=rules.DEFAULT_EXCELLENT_RATIO)
    ratio_approval = forms.CharField(label="放宽比例批准文件", max_length=80, required=False)
    rounding = forms.ChoiceField(label="取整规则", choices=rules.ROUNDINGS)


class GradeForm(forms.Form):
    entry = forms.IntegerField()
    grade = forms.ChoiceField(label="等次", choices=[("", "—")] + list(rules.GRADES), required=False)
    not_graded = forms.ChoiceField(label="不定等次", choices=[("", "—")] + list(NotGraded.choices), required=False)
    ranking = forms.IntegerField(label="排名", min_value=1, required=False)


class RoutineForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=(("routine", "平时考核"), ("special", "专项考核")))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label="季度", min_value=1, max_value=4, required=False)
    subject = forms.CharField(label="专项考核事项", max_length=120, required=False)
    grade = forms.ChoiceField(label="结果", choices=rules.ROUTINE_GRADES)
    on = forms.DateField(label="考核日期")
    note = forms.CharField(label="备注", max_length=200, required=False)


class TeamScoreForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    part = forms.IntegerField(label="评分项")
    value = forms.DecimalField(label="得分", min_value=0, max_value=100, decimal_places=2)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=EvidenceKind.choices)
    on = forms.DateField(label="日期")
    title = forms.CharField(label="事项", max_length=200)
    source_document = forms.CharField(label="来源文件", max_length=120)
    level = forms.ChoiceField(label="表彰级别", choices=[("", "—")] + list(AwardLevel.choices), required=False)
    office = forms.CharField(label="录入部门", max_length=60, required=False)


class ReserveForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=codes.POST_LEVEL)
    sector = forms.ChoiceField(label="行业", choices=Sector.choices)
    field = forms.CharField(label="领域", max_length=40, required=False)
    route = forms.ChoiceField(label="入库方式", choices=EntryRoute.choices)
    entered_on = forms.DateField(label="入库时间")


class PoolTargetForm(forms.Form):
    """后备干部结构目标: blank fields are "not set"; one count field ``sector_<code>`` per 行业."""

    category = forms.ChoiceField(label="类别", choices=[("", "全部类别"), *codes.POST_LEVEL], required=False)
    women_pct = forms.IntegerField(label="女干部比例下限（%）", min_value=0, max_value=100, required=False)
    young_age = forms.IntegerField(label="年龄界限（周岁及以下）", min_value=18, max_value=70, required=False)
    young_pct = forms.IntegerField(label="该年龄以下比例下限（%）", min_value=0, max_value=100, required=False)
    bachelor_pct = forms.IntegerField(label="大学本科及以上比例下限（%）", min_value=0, max_value=100, required=False)
    document_no = forms.CharField(label="依据文号", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Sector.choices:
            self.fields[f"sector_{code}"] = forms.IntegerField(label=label, min_value=0, max_value=9999, required=False)

    def service_kwargs(self) -> dict:
        """cleaned_data shaped for ``services.reserve.pool_target_set``."""
        d = self.cleaned_data
        return {"category": d["category"] or "", "women_pct": d["women_pct"], "young_age": d["young_age"], "young_pct": d["young_pct"],
                "bachelor_pct": d["bachelor_pct"], "document_no": d["document_no"],
                "sector_counts": {c: d[f"sector_{c}"] for c in Sector.values if d.get(f"sector_{c}")}}  # fmt: skip


class ReserveStatusForm(forms.Form):
    """状态变更: status and date. The optional 变更原因 / 依据文件 are read by ``views_reserve.StatusNoteForm``
    (kept there: declaring them here too would pass them twice to ``reserve_set_status``)."""

    status = forms.ChoiceField(label="状态", choices=ReserveStatus.choices)
    on = forms.DateField(label="日期")


class DevelopmentForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=DevelopmentRecord.Kind.choices)
    place = forms.CharField(label="单位或项目", max_length=120)
    start = forms.DateField(label="开始时间")
    end = forms.DateField(label="结束时间", required=False)


class CaseForm(forms.Form):
    # optional here: a 问责 case may rest on an accountability record instead (the service decides)
    circumstances = forms.MultipleChoiceField(label="情形", choices=rules.CIRCUMSTANCES, required=False)
    measure = forms.ChoiceField(label="调整方式", choices=rules.MEASURES)
    motion_on = forms.DateField(label="动议时间")
    evidence = forms.TypedMultipleChoiceField(label="依据材料", coerce=int, required=False, choices=())
    decision = forms.CharField(label="动议意见", max_length=300, required=False)

    def __init__(self, *args, evidence_choices=(), **kw):
        super().__init__(*args, **kw)
        self.fields["evidence"].choices = list(evidence_choices)


class CaseStepForm(forms.Form):
    step = forms.ChoiceField(label="程序", choices=[c for c in CaseStep.Step.choices if c[0] != "motion"])
    on = forms.DateField(label="日期")
    decision = forms.CharField(label="意见或决定", max_length=300, required=False)
    document_no = forms.CharField(label="文号", max_length=60, required=False)


class CaseCompleteForm(forms.Form):
    effective_on = forms.DateField(label="调整生效时间")
    document_no = forms.CharField(label="调整文号", max_length=60)
    new_post = forms.IntegerField(label="新任职务", required=False)
    new_rank = forms.ChoiceField(label="改任职级", choices=[("", "—")] + list(rules.RANKS), required=False)


class FollowUpForm(forms.Form):
    note = forms.CharField(label="跟踪情况", max_length=500)
    propose_reuse_on = forms.DateField(label="提出重新使用建议", required=False)


class ToleranceForm(forms.Form):
    distinction = forms.ChoiceField(label="三个区分开来", choices=ErrorTolerance.Distinction.choices)
    tolerated = forms.BooleanField(label="予以容错", required=False)
    decided_on = forms.DateField(label="认定时间")
    document_no = forms.CharField(label="认定文号", max_length=60)
    reasoning = forms.CharField(label="认定理由", max_length=300, required=False)


# ------------------------------------------------------------------------------------------------
# 任免审批表 profile, family members and photo (``services.profile``)
# ------------------------------------------------------------------------------------------------
_BLANK = [("", "—")]


class ProfileForm(forms.Form):
    """The profile fields of ``services.profile.ProfileData`` (codes from GB/T 4658 and GB/T 6864)."""

    birthplace = forms.CharField(label="出生地", max_length=60, required=False)
    birthplace_code = forms.RegexField(label="出生地区划代码", regex=r"^(\d{6}|\d{9}|\d{12})$", required=False,
                                       error_messages={"invalid": "出生地区划代码应为6位、9位或12位数字"})  # fmt: skip
    health = forms.CharField(label="健康状况", max_length=20, required=False)
    tech_title = forms.CharField(label="专业技术职务", max_length=60, required=False)
    specialty = forms.CharField(label="熟悉专业有何专长", max_length=200, required=False)
    fulltime_education = forms.ChoiceField(label="全日制教育学历", choices=_BLANK + list(codes.EDUCATION), required=False)
    fulltime_degree = forms.ChoiceField(label="全日制教育学位", choices=_BLANK + list(codes.DEGREE), required=False)
    fulltime_school = forms.CharField(label="全日制教育毕业院校系及专业", max_length=120, required=False)
    inservice_education = forms.ChoiceField(label="在职教育学历", choices=_BLANK + list(codes.EDUCATION), required=False)
    inservice_degree = forms.ChoiceField(label="在职教育学位", choices=_BLANK + list(codes.DEGREE), required=False)
    inservice_school = forms.CharField(label="在职教育毕业院校系及专业", max_length=120, required=False)


class FamilyMemberForm(forms.Form):
    """One row of 家庭主要成员及重要社会关系."""

    relation = forms.ChoiceField(label="称谓", choices=Relation.choices, error_messages={"required": "请选择称谓", "invalid_choice": "称谓不在可选范围内"})
    name = forms.CharField(label="姓名", max_length=40, error_messages={"required": "请填写家庭成员姓名", "max_length": "姓名不超过40个字"})
    birth_date = forms.DateField(label="出生日期", required=False, input_formats=["%Y-%m-%d", "%Y-%m", "%Y.%m", "%Y%m"],
                                 error_messages={"invalid": "出生日期格式应为1975-03-02或1975.03"})  # fmt: skip
    political_status = forms.ChoiceField(label="政治面貌", choices=_BLANK + list(POLITICAL_STATUS), required=False,
                                         error_messages={"invalid_choice": "政治面貌不在GB/T 4762代码表中"})  # fmt: skip
    work = forms.CharField(label="工作单位及职务", max_length=120, required=False, error_messages={"max_length": "工作单位及职务不超过120个字"})


class FamilyOrderForm(forms.Form):
    """The family members' ids in their new order, comma-separated ("12,10,11")."""

    order = forms.RegexField(label="顺序", regex=r"^\d+(,\d+)*$", error_messages={"invalid": "顺序应为以逗号分隔的编号", "required": "请给出顺序"})

    def ids(self) -> list[int]:
        """The family member ids in the posted order (the form validated them as comma-separated ints)."""
        return [int(x) for x in self.cleaned_data["order"].split(",")]


class PhotoForm(forms.Form):
    """The photo upload (JPEG or PNG, at most 2 MB; checked by ``services.profile.photo_kind``)."""

    photo = forms.FileField(label="照片", error_messages={"required": "请选择照片文件", "empty": "照片文件为空"})
