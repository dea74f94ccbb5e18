from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zugong.core"
    label = "core"
