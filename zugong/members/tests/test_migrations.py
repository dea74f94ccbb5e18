"""Data migrations of the members app that rewrite stored import errors, run against today's models."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from zugong.members.models import ImportJob

mask_0006 = importlib.import_module("zugong.members.migrations.0006_mask_import_errors")
mask_0007 = importlib.import_module("zugong.members.migrations.0007_mask_import_error_reasons")
unquote_0008 = importlib.import_module("zugong.members.migrations.0008_unquote_birth_dates")

pytestmark = pytest.mark.django_db

NUMBER = "342401198507150012"


def run_all():
    mask_0006.mask_stored_errors(apps, None)
    mask_0007.mask_stored_errors(apps, None)
    unquote_0008.unquote(apps, None)


def test_0006_to_0008_leave_no_number_or_birth_date_in_stored_roster_errors():
    user = User.objects.create(username="jinan")
    stored = [
        [3, "身份证号", NUMBER, "校验位错误"],
        [4, "出生年月", "1985.08", "出生年月与身份证号（1985.07.15）不一致"],
        [5, "入党时间", "2001.05", "入党时未满十八周岁（18周岁生日为2003.07.15；入党时间2001.05）"],
        [6, "姓名", "34240119850715001", f"第6行与身份证号{NUMBER}重复"],
    ]
    job = ImportJob.objects.create(created_by=user, filename="名册.xlsx", stored_name="x.xlsx", errors=stored)

    run_all()
    run_all()  # a second run changes nothing

    job.refresh_from_db()
    text = str(job.errors)
    assert "19850715" not in text and "1985.07.15" not in text and "2003.07.15" not in text, text
    assert job.errors[0][2] == "342401********0012"
    assert job.errors[1][3] == "出生年月与身份证号中的出生日期不一致"
    assert job.errors[2][3].startswith("入党时未满十八周岁（按身份证号中的出生日期计算；")
    assert job.errors[3][2] == "342401*******5001"
