from django.urls import path

from zugong.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:org_id>/children/", views.tree_children, name="children"),
    path("<int:org_id>/", views.org_detail, name="detail"),
]
