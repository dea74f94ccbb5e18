"""Stored 考核依据 import errors masked as roster import errors are (members 0006–0008): the
身份证号 column's value unless masked already, ID-like runs of 15 to 18 characters in any other value
or reason, and a 身份证号 error that quoted the birth date (the eight digits the mask hides).
Jobs purged before ``mask_errors`` covered 15–17-character runs kept them.
(``zugong.core.rules.mask_errors`` as of this migration, inlined: a migration keeps its own copy.)
Source: 《个人信息保护法》第十九条 (2021)."""

import re

from django.db import migrations

_ID_LIKE = re.compile(r"[0-9０-９]{14,17}[0-9０-９XxＸｘ]")
_MASKED = re.compile(r"\S{6}\*+\S{4}|\**")
_BIRTH_QUOTED = re.compile(r"身份证号中的出生日期\d{8}")


def _mask(number: str) -> str:
    return "*" * len(number) if len(number) < 10 else number[:6] + "*" * (len(number) - 10) + number[-4:]


def _clean(text: str) -> str:
    text = _BIRTH_QUOTED.sub("身份证号中的出生日期（第7至14位）", text)
    return _ID_LIKE.sub(lambda m: _mask(m.group()), text)


def mask_stored_errors(apps, schema_editor):
    EvidenceImport = apps.get_model("cadres", "EvidenceImport")
    for job in EvidenceImport.objects.exclude(errors=[]).only("pk", "errors").iterator(200):
        masked = []
        for row, column, value, reason in job.errors:
            text = "" if value is None else str(value)
            if column == "身份证号" and text and not _MASKED.fullmatch(text):
                text = _mask(text)
            else:
                text = _clean(text)
            masked.append([row, column, text, _clean(str(reason))])
        if masked != job.errors:
            EvidenceImport.objects.filter(pk=job.pk).update(errors=masked)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0008_cadre_profile_family")]

    operations = [migrations.RunPython(mask_stored_errors, migrations.RunPython.noop)]
