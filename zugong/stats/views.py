"""Views (to be built)."""

from django.http import HttpResponse


def figures(request, **kwargs):
    return HttpResponse("建设中", status=501)


def figures_export(request, **kwargs):
    return HttpResponse("建设中", status=501)


def tables(request, **kwargs):
    return HttpResponse("建设中", status=501)


def tables_export(request, **kwargs):
    return HttpResponse("建设中", status=501)


def dashboard(request, **kwargs):
    return HttpResponse("建设中", status=501)
