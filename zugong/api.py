"""The REST API (django-ninja): the same reads as the pages, scoped the same way. Schema at /api/docs."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="组工 Zugong API", version="1", auth=django_auth, urls_namespace="api")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权访问"}, status=403)


def _register_routers() -> None:
    from zugong.cadres.api import router as cadres_router
    from zugong.members.api import router as members_router
    from zugong.orgs.api import router as orgs_router
    from zugong.stats.api import router as stats_router
    from zugong.web.api import router as audit_router

    api.add_router("/orgs", orgs_router)
    api.add_router("/members", members_router)
    api.add_router("/cadres", cadres_router)
    api.add_router("/stats", stats_router)
    api.add_router("/audit", audit_router)


_register_routers()
