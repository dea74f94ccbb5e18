from django.urls import path

from zugong.cadres import views, views_appraisal, views_career, views_io, views_record

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
    path("<int:cadre_id>/routine/", views_appraisal.cadre_routine, name="cadre_routine"),
    path("<int:cadre_id>/evidence/", views_appraisal.cadre_evidence, name="cadre_evidence"),
    path("teams/<int:team_id>/score/", views_appraisal.team_score, name="team_score"),
    path("appraisal/", views_appraisal.round_list, name="rounds"),
    path("appraisal/<int:round_id>/", views_appraisal.round_detail, name="round"),
    path("appraisal/<int:round_id>/add/", views_appraisal.round_add, name="round_add"),
    path("appraisal/<int:round_id>/grade/", views_appraisal.round_grade, name="round_grade"),
    path("appraisal/<int:round_id>/close/", views_appraisal.round_close, name="round_close"),
    path("appraisal/<int:round_id>/export.xlsx", views_appraisal.round_export, name="round_export"),
    path("incentives/", views_appraisal.incentive_list, name="incentives"),
]
