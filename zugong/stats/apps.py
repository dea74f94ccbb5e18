from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zugong.stats"
    label = "stats"
