from django.urls import path

from zugong.members import views, views_import

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.xlsx", views_import.member_export, name="export"),
    path("export/<int:job_id>/", views_import.export_job, name="export_job"),
    path("export/<int:job_id>/file.xlsx", views_import.export_job_file, name="export_job_file"),
    path("export/recent/", views_import.export_recent, name="export_recent"),
    path("person/<int:person_id>/", views.person_detail, name="person"),
    path("person/<int:person_id>/id-number/", views.person_reveal_id, name="reveal_id"),
    path("member/<int:member_id>/", views.member_page, name="member"),
    path("person/<int:person_id>/transfer/", views.member_transfer, name="transfer"),
    path("person/<int:person_id>/confirm/", views.member_confirm, name="confirm"),
    path("person/<int:person_id>/leave/", views.member_leave, name="leave"),
    path("person/<int:person_id>/leave-undo/", views.member_leave_undo, name="leave_undo"),
    path("branches/", views.branch_options, name="branch_options"),
    path("import/", views_import.import_upload, name="import"),
    path("import/<int:job_id>/", views_import.import_result, name="import_result"),
    path("import/<int:job_id>/errors.xlsx", views_import.import_error_file, name="import_errors"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
]
