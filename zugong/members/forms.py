"""Small forms of the person page's membership changes (boundary validation only; the rules live
in ``zugong.members.changes``)."""

from __future__ import annotations

from django import forms

from zugong.members.models import LeaveReason


class TransferForm(forms.Form):
    org = forms.CharField(label="转入党支部", max_length=200)
    on = forms.DateField(label="转接日期")
    document_no = forms.CharField(label="介绍信编号", max_length=60, required=False)
    reason = forms.CharField(label="原因", max_length=60, required=False)


class ConfirmForm(forms.Form):
    on = forms.DateField(label="转正时间")


class LeaveForm(forms.Form):
    on = forms.DateField(label="减少日期")
    reason = forms.ChoiceField(label="减少原因", choices=LeaveReason.choices)
    note = forms.CharField(label="减少说明", max_length=100, required=False)
