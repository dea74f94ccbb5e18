from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zugong.orgs"
    label = "orgs"
