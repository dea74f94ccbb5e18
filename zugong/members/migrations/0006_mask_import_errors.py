"""Mask the 身份证号 kept in the error lists of roster import jobs stored before errors were masked
(《个人信息保护法》第十九条; ``zugong.core.rules.mask_errors``, inlined here as it was written)."""

import re

from django.db import migrations

_ID_LIKE = re.compile(r"[0-9０-９]{17}[0-9０-９XxＸｘ]")


def _mask(number: str) -> str:
    return "*" * len(number) if len(number) < 10 else number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_stored_errors(apps, schema_editor):
    ImportJob = apps.get_model("members", "ImportJob")
    for job in ImportJob.objects.exclude(errors=[]).only("pk", "errors").iterator(200):
        masked, changed = [], False
        for row, column, value, reason in job.errors:
            text = "" if value is None else str(value)
            if text and (column == "身份证号" or _ID_LIKE.fullmatch(text)) and "*" not in text:
                text, changed = _mask(text), True
            masked.append([row, column, text, reason])
        if changed:
            ImportJob.objects.filter(pk=job.pk).update(errors=masked)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_export_job")]

    operations = [migrations.RunPython(mask_stored_errors, migrations.RunPython.noop)]
