from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zugong.web"
    label = "web"
