"""The 干部名册 export (services.roster_export): 出生年月 as the other rosters write it, and read back."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres.models import Appointment, Cadre
from zugong.cadres.roster import CADRE_COLUMNS
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.members import services
from zugong.orgs.tests.people import populate

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(client, **params) -> tuple[list, list]:
    r = client.get(reverse("cadres:export"), params)
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    cells = list(ws.iter_rows(min_row=2))
    return rows, cells


def test_it_writes_the_birth_month_as_text_like_the_member_and_team_rosters(city, login):
    people = populate(city)
    client = login(city.users["county_admin"])
    rows, cells = _rows(client)
    header = [c.header for c in CADRE_COLUMNS]
    assert rows[0] == tuple(header)
    birth, start = header.index("出生年月"), header.index("任职时间")
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["张晓明"][birth] == "1980.05" and by_name["孙丽"][birth] == "1988.11"
    assert all(isinstance(c[birth].value, str) and c[birth].data_type == "s" for c in cells)
    # 任职时间 keeps its day: the import compares it, and "2021.06" would move it to the 1st
    appt = Appointment.objects.get(cadre__person=people["张晓明"], end__isnull=True)
    assert by_name["张晓明"][start] == dt.datetime.combine(appt.start, dt.time())
    # the 班子成员名册 writes the same month the same way
    team = list(load_workbook(io.BytesIO(client.get(reverse("cadres:team_export"), {"on": "2026-06-01"}).content)).active
                .iter_rows(values_only=True))  # fmt: skip
    assert {r[1]: r[4] for r in team[2:]}["张晓明"] == "1980.05"


def test_the_county_export_reads_back_unchanged(city, login):
    populate(city)
    user = city.users["county_admin"]
    content = login(user).get(reverse("cadres:export")).content
    scope, actor = scope_for(user), Actor(user=user)
    job = services.import_job_create(actor=actor, scope=scope, kind="cadres", filename="干部名册.xlsx", content=content)
    prepared = services.import_job_validate(job=job, scope=scope, today=TODAY)
    assert prepared.errors == []
    services.import_job_commit(job=job, actor=actor, scope=scope, today=TODAY)
    job.refresh_from_db()
    assert (job.status, job.error_rows, job.unchanged_count, job.updated_count, job.created_count) == (
        "done", 0, Cadre.objects.filter(unit__path__startswith=city.units["jinan"].path).count(), 0, 0)
