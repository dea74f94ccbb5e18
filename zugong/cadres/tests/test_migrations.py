"""Data migrations of the cadres app, run against today's models (their RunPython functions)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from zugong.cadres.models import EvidenceImport

mask_0009 = importlib.import_module("zugong.cadres.migrations.0009_mask_evidence_import_errors")

pytestmark = pytest.mark.django_db

NUMBER = "342401198507150012"


def test_0009_masks_numbers_and_quoted_birth_dates_left_in_stored_evidence_import_errors():
    user = User.objects.create(username="yeji")
    stored = [
        [3, "身份证号", NUMBER, "身份证号中的出生日期19850230不存在"],  # before values were masked
        [4, "身份证号", "342401********0012", "未找到该身份证号的干部"],  # masked already: kept
        # a shifted row: a 17-character run in another column and in its reason
        [5, "姓名", "34240119850715001", "姓名与身份证号34240119850715001不一致"],
        [6, "类别", "表彰", "无法识别"],
    ]
    job = EvidenceImport.objects.create(created_by=user, filename="考核依据.xlsx", errors=stored)
    plain = [[2, "类别", "表彰", "无法识别"]]
    clean = EvidenceImport.objects.create(created_by=user, filename="b.xlsx", errors=plain)

    mask_0009.mask_stored_errors(apps, None)
    mask_0009.mask_stored_errors(apps, None)  # a second run changes nothing

    job.refresh_from_db()
    assert job.errors == [
        [3, "身份证号", "342401********0012", "身份证号中的出生日期（第7至14位）不存在"],
        [4, "身份证号", "342401********0012", "未找到该身份证号的干部"],
        [5, "姓名", "342401*******5001", "姓名与身份证号342401*******5001不一致"],
        [6, "类别", "表彰", "无法识别"],
    ]
    assert "19850715" not in str(job.errors) and "19850230" not in str(job.errors)
    clean.refresh_from_db()
    assert clean.errors == plain
