from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "zugong.work"
    label = "work"
    verbose_name = "工作落实"
