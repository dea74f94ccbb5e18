from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "zugong.cadres"
    label = "cadres"
