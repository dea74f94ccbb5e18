"""URL map: each app owns its urls.py; the REST API lives under /api/ (django-ninja)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from zugong.api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("orgs/", include("zugong.orgs.urls")),
    path("members/", include("zugong.members.urls")),
    path("cadres/", include("zugong.cadres.urls")),
    path("stats/", include("zugong.stats.urls")),
    path("work/", include("zugong.work.urls")),
    path("", include("zugong.web.urls")),
]
