"""Mask the 身份证号 that 0006 left in roster import jobs' error lists: inside reasons and other
columns' values (a shifted row quotes the number there), and 身份证号 values holding a stray '*'
(``zugong.core.rules.mask_errors`` as of this migration, inlined)."""

import re

from django.db import migrations

_ID_LIKE = re.compile(r"[0-9０-９]{17}[0-9０-９XxＸｘ]")
_MASKED = re.compile(r"\S{6}\*+\S{4}|\**")
_BIRTH_QUOTED = re.compile(r"身份证号中的出生日期\d{8}")


def _mask(number: str) -> str:
    return "*" * len(number) if len(number) < 10 else number[:6] + "*" * (len(number) - 10) + number[-4:]


def _sub(text: str) -> str:
    text = _ID_LIKE.sub(lambda m: _mask(m.group()), text)
    return _BIRTH_QUOTED.sub("身份证号中的出生日期（第7至14位）", text)  # the digits the mask hides


def mask_stored_errors(apps, schema_editor):
    ImportJob = apps.get_model("members", "ImportJob")
    for job in ImportJob.objects.exclude(errors=[]).only("pk", "errors").iterator(200):
        masked = []
        for row, column, value, reason in job.errors:
            text = "" if value is None else str(value)
            if column == "身份证号" and text and not _MASKED.fullmatch(text):
                text = _mask(text)
            else:
                text = _sub(text)
            masked.append([row, column, text, _sub(str(reason))])
        if masked != job.errors:
            ImportJob.objects.filter(pk=job.pk).update(errors=masked)


class Migration(migrations.Migration):
    dependencies = [("members", "0006_mask_import_errors")]

    operations = [migrations.RunPython(mask_stored_errors, migrations.RunPython.noop)]
