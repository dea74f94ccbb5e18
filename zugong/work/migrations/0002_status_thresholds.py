"""任务状态预警天数 (StatusThreshold), seeded with the shipped defaults: due within 30 days, or no
report for 90 days → 滞后. City administrators change them afterwards (audited)."""

from django.db import migrations, models

DEFAULTS = {"at_risk_days": 30, "stale_days": 90}


def load(apps, schema_editor):
    StatusThreshold = apps.get_model("work", "StatusThreshold")
    for key, days in DEFAULTS.items():
        StatusThreshold.objects.get_or_create(key=key, defaults={"days": days})


def unload(apps, schema_editor):
    apps.get_model("work", "StatusThreshold").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('work', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusThreshold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(choices=[('at_risk_days', '临近完成时限预警天数'), ('stale_days', '未报告进展预警天数')], max_length=20, unique=True, verbose_name='项目')),
                ('days', models.PositiveSmallIntegerField(verbose_name='天数')),
            ],
            options={
                'verbose_name': '任务状态预警天数',
                'verbose_name_plural': '任务状态预警天数',
                'ordering': ['key'],
                'constraints': [models.CheckConstraint(condition=models.Q(('key__in', ['at_risk_days', 'stale_days'])), name='work_threshold_key_valid'), models.CheckConstraint(condition=models.Q(('days__gte', 1), ('days__lte', 365)), name='work_threshold_days_range')],
            },
        ),
        migrations.RunPython(load, unload),
    ]
