"""The demo's rank holders (cadres with a 职级 and no post) through the 干部名册 export and import and the
任免审批表 (.lrmx) export and import: a county's own files come back unchanged.

Its own module and demo: the city is built with more cadres than seats (as ``zugong/demo/tests/
test_demo_ranks.py`` does), so that both 市管 and 县管 cadres hold ranks.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from zugong.cadres import lrmx
from zugong.cadres.models import Appointment, Cadre, CadreRank, Post
from zugong.cadres.rules import RANK_LABELS
from zugong.cadres.selectors_record import post_name
from zugong.cadres.services.lrmx_import import Proposal, approval_form_export, lrmx_import
from zugong.cadres.services.roster_export import cadre_export
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.demo import catalog as cat
from zugong.demo.people import REF_DATE
from zugong.demo.testing import crowded_demo
from zugong.members import services


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small city whose cadres outnumber the seats, rolled back at the end."""
    with django_db_blocker.unblock(), crowded_demo() as summary:
        yield summary


@pytest.fixture
def county(demo, settings, tmp_path):
    """The administrator of the county whose cadres hold the most ranks, with Actor and Scope."""
    settings.MEDIA_ROOT = tmp_path
    users = get_user_model().objects.filter(username__in=cat.COUNTY_USERNAMES.values()).select_related("profile__unit")
    user = max(users, key=lambda u: CadreRank.objects.filter(cadre__unit__path__startswith=u.profile.unit.path).count())
    return user, Actor(user=user), scope_for(user)


def _facts():
    return (list(CadreRank.objects.order_by("id").values_list("cadre_id", "rank", "start", "end", "document_no")),
            list(Appointment.objects.order_by("id").values_list("cadre_id", "post_id", "start", "end", "document_no")),
            Post.objects.count(), list(Cadre.objects.order_by("id").values_list("unit_id", "post_level", "management_level")))  # fmt: skip


@pytest.mark.django_db
def test_a_countys_roster_export_with_its_rank_holders_imports_back_unchanged(county):
    user, actor, scope = county
    content = cadre_export(actor=actor, scope=scope)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    header = rows[0]
    col = {h: header.index(h) for h in ("现任职务", "任职时间", "职级", "任现职级时间")}
    ranked = [r for r in rows[1:] if r[col["职级"]]]
    assert len(ranked) > 100 and all(r[col["职级"]] in RANK_LABELS.values() and r[col["任现职级时间"]] for r in ranked)
    assert all(not r[col["现任职务"]] and not r[col["任职时间"]] for r in ranked)  # the demo's rank holders hold no post
    before = _facts()
    job = services.import_job_create(actor=actor, scope=scope, kind="cadres", filename="干部名册.xlsx", content=content)
    prepared = services.import_job_validate(job=job, scope=scope, today=REF_DATE)
    assert prepared.errors == []
    services.import_job_commit(job=job, actor=actor, scope=scope, today=REF_DATE)
    job.refresh_from_db()
    assert (job.status, job.error_rows, job.unchanged_count, job.updated_count, job.created_count) == ("done", 0, len(rows) - 1, 0, 0)
    assert _facts() == before


@pytest.mark.django_db
def test_a_rank_holders_lrmx_is_written_by_unit_and_rank_and_reads_back_unchanged(county):
    user, actor, scope = county
    cadre = (Cadre.objects.filter(unit__path__startswith=scope.unit_path, management_level="county", ranks__end__isnull=True)
             .exclude(appointments__end__isnull=True).select_related("unit", "person").order_by("id").first())  # fmt: skip
    rank = cadre.ranks.get(end__isnull=True)
    written = post_name(cadre.unit.name, RANK_LABELS[rank.rank])

    def export() -> bytes:
        return approval_form_export(actor=actor, scope=scope, cadre=cadre, fmt="lrmx", age_on=REF_DATE, proposal=Proposal(), today=REF_DATE)

    content = export()
    sent = lrmx.parse_lrmx(content)
    assert sent["XianRenZhiWu"] == written
    lines = sent["JianLi"].splitlines()
    assert lines[-1] == f"{rank.start:%Y.%m}--         {written}" and len(lines) >= 3  # a career before it (demo careers)
    before = _facts()
    result = lrmx_import(actor=actor, scope=scope, files=[("干部.lrmx", content)], today=REF_DATE)
    assert (result.errors, result.unchanged, result.updated, result.created) == ([], 1, 0, 0)
    assert _facts() == before
    assert lrmx.parse_lrmx(export()) == sent
    assert dt.date(2019, 6, 1) <= rank.start
