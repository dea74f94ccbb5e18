"""Small forms of the cadre pages (boundary validation only; rules live in ``rules`` and ``services``)."""

from __future__ import annotations

from django import forms

from zugong.cadres import rules
from zugong.cadres.models import NotGraded, UnitCategory
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
