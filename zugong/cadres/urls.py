from django.urls import path

from zugong.cadres import views, views_appraisal, views_career, views_io, views_record, views_reserve

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
    path("reserve/", views_reserve.pool_list, name="pool"),
    path("reserve/<int:entry_id>/status/", views_reserve.reserve_status, name="reserve_status"),
    path("reserve/<int:entry_id>/development/", views_reserve.reserve_development, name="reserve_development"),
    path("<int:cadre_id>/reserve/", views_reserve.reserve_add, name="reserve_add"),
    path("<int:cadre_id>/case/", views_reserve.case_open, name="case_open"),
    path("cases/", views_reserve.case_list, name="cases"),
    path("cases/<int:case_id>/", views_reserve.case_detail, name="case"),
    path("cases/<int:case_id>/step/", views_reserve.case_step, name="case_step"),
    path("cases/<int:case_id>/complete/", views_reserve.case_complete, name="case_complete"),
    path("cases/<int:case_id>/follow-up/", views_reserve.case_follow_up, name="case_follow_up"),
    path("evidence/<int:evidence_id>/tolerance/", views_reserve.evidence_tolerance, name="evidence_tolerance"),
    path("incentives/", views_appraisal.incentive_list, name="incentives"),
]
