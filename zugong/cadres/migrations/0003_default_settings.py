"""Default data: 年轻干部 thresholds per 职务级别 and the parts of the leadership-team "1+N" score.

Both are configurable by administrators afterwards (changes audited); these are the shipped defaults.
"""

from decimal import Decimal

from django.db import migrations

YOUNG = {"21": 50, "22": 45, "31": 45, "32": 40, "41": 35, "42": 35}
PARTS = (
    ("task", "任务完成情况", Decimal("0.400"), 1),
    ("democratic", "民主测评", Decimal("0.300"), 2),
    ("routine", "平时考核", Decimal("0.300"), 3),
)


def load(apps, schema_editor):
    YoungThreshold = apps.get_model("cadres", "YoungThreshold")
    TeamScorePart = apps.get_model("cadres", "TeamScorePart")
    for level, age in YOUNG.items():
        YoungThreshold.objects.get_or_create(post_level=level, defaults={"max_age": age})
    for code, label, weight, sort in PARTS:
        TeamScorePart.objects.get_or_create(code=code, defaults={"label": label, "weight": weight, "sort": sort})


def unload(apps, schema_editor):
    apps.get_model("cadres", "YoungThreshold").objects.all().delete()
    apps.get_model("cadres", "TeamScorePart").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0002_ranks_quotas_appraisal")]
    operations = [migrations.RunPython(load, unload)]
