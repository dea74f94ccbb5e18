"""URL routes of the 工作落实 (work) app; included at ``work/`` by zugong/urls.py."""

from django.urls import path

from zugong.work import views, views_table

app_name = "work"

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/cleaning/", views.document_cleaning, name="cleaning"),
    path("documents/<int:document_id>/cleaning/<int:edit_id>/", views.document_edit_toggle, name="edit_toggle"),
    path("documents/<int:document_id>/reanalyse/", views.document_reanalyse, name="reanalyse"),
    path("documents/<int:document_id>/original/", views.document_original, name="original"),
    path("documents/<int:document_id>/table/", views_table.task_table, name="table"),
    path("documents/<int:document_id>/table/merge/", views_table.task_merge, name="merge"),
    path("documents/<int:document_id>/table/add/", views_table.task_add, name="task_add"),
    path("documents/<int:document_id>/table.xlsx", views_table.table_export, name="export"),
    path("documents/<int:document_id>/table/import/", views_table.table_import, name="import"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/row/", views_table.task_row, name="task_row"),
    path("tasks/<int:task_id>/split/", views_table.task_split, name="task_split"),
    path("tasks/<int:task_id>/kind/", views_table.task_kind, name="task_kind"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("units/", views.unit_tasks, name="my_unit"),
    path("units/<int:unit_id>/", views.unit_tasks, name="unit"),
    path("thresholds/", views.status_thresholds, name="thresholds"),
    path("review/", views.quarter_review, name="review"),
    path("review.docx", views.quarter_review_docx, name="review_docx"),
]
