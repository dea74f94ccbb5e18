from django.urls import path

from zugong.cadres import views, views_io

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("export.xlsx", views_io.cadre_export, name="export"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
]
