"""Views (to be built)."""

from django.http import HttpResponse


def member_list(request, **kwargs):
    return HttpResponse("建设中", status=501)


def person_detail(request, **kwargs):
    return HttpResponse("建设中", status=501)


def person_reveal_id(request, **kwargs):
    return HttpResponse("建设中", status=501)
