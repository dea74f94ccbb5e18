"""Views (to be built)."""

from django.http import HttpResponse


def import_upload(request, **kwargs):
    return HttpResponse("建设中", status=501)


def import_result(request, **kwargs):
    return HttpResponse("建设中", status=501)


def import_error_file(request, **kwargs):
    return HttpResponse("建设中", status=501)


def import_template(request, **kwargs):
    return HttpResponse("建设中", status=501)


def member_export(request, **kwargs):
    return HttpResponse("建设中", status=501)
