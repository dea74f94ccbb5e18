"""Views (to be built)."""

from django.http import HttpResponse


def tree(request, **kwargs):
    return HttpResponse("建设中", status=501)


def tree_children(request, **kwargs):
    return HttpResponse("建设中", status=501)


def org_detail(request, **kwargs):
    return HttpResponse("建设中", status=501)
