from django.urls import path

from zugong.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_list, name="audit"),
]
