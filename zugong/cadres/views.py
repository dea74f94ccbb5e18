"""Views (to be built)."""

from django.http import HttpResponse


def cadre_list(request, **kwargs):
    return HttpResponse("建设中", status=501)


def team_list(request, **kwargs):
    return HttpResponse("建设中", status=501)


def team_detail(request, **kwargs):
    return HttpResponse("建设中", status=501)
