"""The 干部名册 export (services.roster_export): 出生年月 as the other rosters write it, and read back."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres.models import Appointment, Cadre, CadreRank, Post
from zugong.cadres.roster import CADRE_COLUMNS
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.members import services
from zugong.orgs.tests.people import make_person, populate

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


def _rank_holders(city, people) -> tuple[Cadre, Cadre]:
    """A cadre with a 职级 only (周敏, 金安区一镇 四级主任科员, an earlier 一级科员 ended) and 张晓明's
    rank beside his post (一级主任科员)."""
    person = make_person("周敏", 30, birth=dt.date(1986, 4, 2), female=True)
    rank_only = Cadre.objects.create(person=person, management_level="county", post_level="42", unit=city.units["jinan_town"])
    CadreRank.objects.create(cadre=rank_only, rank="11", start=dt.date(2016, 7, 1), end=dt.date(2020, 3, 1))
    CadreRank.objects.create(cadre=rank_only, rank="10", start=dt.date(2020, 3, 1), document_no="金组〔2020〕5号")
    both = Cadre.objects.get(person=people["张晓明"])
    CadreRank.objects.create(cadre=both, rank="07", start=dt.date(2022, 1, 1))
    return rank_only, both


def test_it_writes_the_rank_held_and_its_date_and_no_post_for_a_rank_holder(city, login):
    rank_only, both = _rank_holders(city, populate(city))
    rows, cells = _rows(login(city.users["county_admin"]))
    header = rows[0]
    assert header[header.index("任职文号") + 1:header.index("任职文号") + 3] == ("职级", "任现职级时间")
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    r = by_name["周敏"]
    assert (r["工作单位"], r["现任职务"], r["任职时间"], r["任职文号"]) == ("金安区一镇", None, None, None)
    assert (r["职级"], r["任现职级时间"]) == ("四级主任科员", dt.datetime(2020, 3, 1))
    r = by_name["张晓明"]
    assert (r["现任职务"], r["职级"], r["任现职级时间"]) == ("党委书记", "一级主任科员", dt.datetime(2022, 1, 1))
    assert (by_name["孙丽"]["职级"], by_name["孙丽"]["任现职级时间"]) == (None, None)


def test_the_county_export_reads_back_unchanged(city, login):
    _rank_holders(city, populate(city))  # rank holders too: a rank only, and a rank beside a post
    ranks = list(CadreRank.objects.order_by("id").values_list("cadre_id", "rank", "start", "end", "document_no"))
    posts, appointments = Post.objects.count(), list(Appointment.objects.values_list("id", "start", "end", "document_no"))
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
    assert list(CadreRank.objects.order_by("id").values_list("cadre_id", "rank", "start", "end", "document_no")) == ranks
    assert (Post.objects.count(), list(Appointment.objects.values_list("id", "start", "end", "document_no"))) == (posts, appointments)
