"""Stored import errors: the 出生年月 and 入党年龄 reasons no longer quote the birth date read from the
身份证号 or the 18th birthday (they give back the eight digits the mask hides), and ID-like runs of 15 to 17 characters are masked as 18 are
(``zugong.core.rules.mask_errors`` as of this migration, inlined)."""

import re

from django.db import migrations

_QUOTED = re.compile(r"与身份证号（\d{4}\.\d{2}\.\d{2}）不一致")
_BIRTHDAY = re.compile(r"（18周岁生日为\d{4}\.\d{2}\.\d{2}；")
_ID_LIKE = re.compile(r"[0-9０-９]{14,17}[0-9０-９XxＸｘ]")


def _mask(number: str) -> str:
    return "*" * len(number) if len(number) < 10 else number[:6] + "*" * (len(number) - 10) + number[-4:]


def _clean(text: str) -> str:
    text = _BIRTHDAY.sub("（按身份证号中的出生日期计算；", _QUOTED.sub("与身份证号中的出生日期不一致", text))
    return _ID_LIKE.sub(lambda m: _mask(m.group()), text)


def unquote(apps, schema_editor):
    ImportJob = apps.get_model("members", "ImportJob")
    for job in ImportJob.objects.exclude(errors=[]).only("pk", "errors").iterator(200):
        cleaned = [
            [row, column, value if column == "身份证号" else _clean("" if value is None else str(value)), _clean(str(reason))]
            for row, column, value, reason in job.errors
        ]
        if cleaned != job.errors:
            ImportJob.objects.filter(pk=job.pk).update(errors=cleaned)


class Migration(migrations.Migration):
    dependencies = [("members", "0007_mask_import_error_reasons")]

    operations = [migrations.RunPython(unquote, migrations.RunPython.noop)]
