"""The cadre's record page (干部档案页, issue 4 §5): basic data, résumé, posts, ranks, appraisals, evidence."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from zugong.cadres import rules
from zugong.cadres import selectors_record as record
from zugong.cadres.access import cadre_get, may_manage
from zugong.core.scope import scope_for


@login_required
def cadre_record(request, cadre_id: int):
    """One cadre's record; printable (print CSS). 404 outside the subtree; forms only for managers."""
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    today = timezone.localdate()
    return render(request, "cadres/record.html", {
        "cadre": cadre, "person": cadre.person, "age": cadre.person.age_on(today), "today": today,
        "can_write": may_manage(scope, cadre), **record.cadre_record(cadre, today, scope), "ranks_choices": rules.RANKS,
    })  # fmt: skip
