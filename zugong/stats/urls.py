from django.urls import path

from zugong.stats import views

app_name = "stats"
urlpatterns = [
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_export, name="figures_export"),
    path("tables/", views.tables, name="tables"),
    path("tables.xlsx", views.tables_export, name="tables_export"),
]
