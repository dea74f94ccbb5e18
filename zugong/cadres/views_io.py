"""Views (to be built)."""

from django.http import HttpResponse


def cadre_export(request, **kwargs):
    return HttpResponse("建设中", status=501)
