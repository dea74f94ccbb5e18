"""URL routes of the 工作落实 (work) app; included at ``work/`` by zugong/urls.py."""

from django.urls import path  # noqa: F401

app_name = "work"

urlpatterns: list = []
