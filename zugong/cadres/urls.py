from django.urls import path

from zugong.cadres import views, views_career, views_io, views_record

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("export.xlsx", views_io.cadre_export, name="export"),
    path("teams/", views_career.team_list, name="teams"),
    path("teams/gaps/", views_career.gap_list, name="gaps"),
    path("teams/<int:team_id>/", views_career.team_detail, name="team"),
    path("teams/<int:team_id>/appoint/", views_career.team_appoint, name="team_appoint"),
    path("teams/<int:team_id>/remove/", views_career.team_remove, name="team_remove"),
    path("teams/<int:team_id>/quota/", views_career.team_quota, name="team_quota"),
    path("young-thresholds/", views_career.thresholds, name="thresholds"),
    path("<int:cadre_id>/", views_record.cadre_record, name="record"),
    path("<int:cadre_id>/rank/", views_career.cadre_rank, name="cadre_rank"),
]
