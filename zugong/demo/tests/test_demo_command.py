"""The demo build from a fresh database: determinism, reset and the ``zugong demo`` command.

Kept apart from test_demo.py, whose module-wide demo city would make these builds refuse.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from zugong.cadres.models import Appointment, Cadre, CadreRank
from zugong.core.models import Person
from zugong.demo import build_demo, demo_reset
from zugong.members.models import Affiliation, PartyMember
from zugong.orgs.models import PartyOrganization, Unit


def _fingerprint():
    people = sorted((p.name, p.id_number, p.birth_date, p.education) for p in Person.objects.all())
    founded = sorted(PartyOrganization.objects.values_list("path", "established"))
    moves = sorted(Affiliation.objects.values_list("member__person__name", "org__path", "start", "end"))
    careers = sorted(Appointment.objects.values_list("cadre__person__name", "post__unit__path", "post__title", "start", "end",
                                                     "document_no", "is_concurrent"))
    ranks = sorted(CadreRank.objects.values_list("cadre__person__name", "rank", "start", "end", "document_no"))
    return people, founded, moves, careers, ranks


@pytest.mark.django_db
def test_it_is_deterministic_and_resets():
    build_demo(scale=0.002, seed=5)
    first = _fingerprint()
    cache.set("zugong.stats:overview:x", "old figures")
    counts = demo_reset()
    assert counts["core.Person"] == len(first[0])
    assert cache.get("zugong.stats:overview:x") is None  # cached statistics go with the data
    assert not Unit.objects.exists() and not get_user_model().objects.filter(username="admin").exists()
    build_demo(scale=0.002, seed=5)
    assert _fingerprint() == first
    demo_reset()
    build_demo(scale=0.002, seed=6)
    assert _fingerprint() != first


@pytest.mark.django_db
def test_it_prints_progress_and_the_accounts_from_the_command():
    out = StringIO()
    call_command("demo", "--scale", "0.002", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "%]" in text and "党员" in text and "zugong2026" in text and "huoqiu" in text
    call_command("demo", "--scale", "0.002", "--reset", stdout=StringIO())
    retired = Cadre.objects.filter(~Exists(Appointment.objects.filter(cadre=OuterRef("pk"), end__isnull=True)),
                                   ~Exists(CadreRank.objects.filter(cadre=OuterRef("pk"), end__isnull=True)))
    assert PartyMember.objects.count() == 500 + retired.count()  # the members drawn, and the predecessors (retired)
