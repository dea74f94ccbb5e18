"""The demo's cadres beyond the leadership seats: a 职级 (CadreRank), no rank-titled post, and every
place that reads cadres (干部名册 and its export, 简历, 任免审批表, statistics) still sees them.

Its own module: the city is built with more cadres than seats (which scale 1 has, and the small
city of test_demo.py has not), so that both 市管 and 县管 cadres hold ranks.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres import lrmx
from zugong.cadres.models import Appointment, Cadre, CadreRank, Post
from zugong.cadres.rules import RANK_LABELS
from zugong.cadres.selectors_record import post_name, resume_lines
from zugong.core.rules import add_years
from zugong.demo import build, build_demo
from zugong.demo import catalog as cat
from zugong.demo.people import REF_DATE

CITY, COUNTY = 600, 3500  # at scale 0.02: about 450 市管 and 2,950 县管 seats, the rest ranks


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small city whose cadres outnumber the seats, rolled back at the end."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "CITY_CADRES_AT_SCALE_1", CITY * 50)
        mp.setattr(build, "COUNTY_CADRES_AT_SCALE_1", COUNTY * 50)
        with transaction.atomic():
            summary = build_demo(scale=0.02, seed=7)
            yield summary
            transaction.set_rollback(True)


@pytest.fixture
def admin_client(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _rank_holders():
    return Cadre.objects.filter(ranks__isnull=False).select_related("person", "unit").distinct()


@pytest.mark.django_db
def test_it_gives_cadres_beyond_the_seats_a_rank_not_a_post(demo):
    assert not Post.objects.filter(title__in=RANK_LABELS.values()).exists()  # no 职级 as a 职务
    assert not Post.objects.filter(team__isnull=True).exists()
    holders = list(_rank_holders())
    assert demo.ranks == len(holders) == CadreRank.objects.count()
    city = [c for c in holders if c.management_level == "city"]
    county = [c for c in holders if c.management_level == "county"]
    assert len(city) > 100 and len(county) > 400
    seat_units = set(Post.objects.values_list("unit_id", flat=True))
    level_of = dict(cat.CITY_RANKS + cat.COUNTY_RANKS)
    for c in holders:
        (rank,) = c.ranks.all()
        assert not c.appointments.exists()  # ranks only for cadres without a leadership seat
        assert rank.rank in {r for r, _ in (cat.CITY_RANKS if c.management_level == "city" else cat.COUNTY_RANKS)}
        assert c.post_level == level_of[rank.rank]
        assert rank.end is None and dt.date(2019, 6, 1) <= rank.start <= REF_DATE
        assert rank.start >= c.person.work_start_date
        assert rank.document_no.endswith("号") and "组干〔" in rank.document_no
        assert c.unit_id in seat_units  # a workplace: the unit of a leadership team
    junior = {cat.CITY_RANKS[-1][0], cat.COUNTY_RANKS[-1][0]}
    short = [c for c in holders
             if add_years(c.person.work_start_date, cat.RANK_MIN_SERVICE[c.ranks.get().rank]) > c.ranks.get().start]
    assert all(c.ranks.get().rank in junior for c in short) and len(short) < len(holders) / 20
    assert {r for (r,) in CadreRank.objects.values_list("rank").distinct()} == {r for r, _ in cat.CITY_RANKS + cat.COUNTY_RANKS}
    # every cadre holds a post or a rank on REF_DATE
    assert Cadre.objects.filter(appointments__isnull=True, ranks__isnull=True).count() == 0


@pytest.mark.django_db
def test_it_counts_rank_holders_in_the_statistics(demo):
    from zugong.core.scope import scope_for
    from zugong.stats.selectors import cadre_counts, figures_by_child, resolve_target

    scope = scope_for(get_user_model().objects.get(username="admin"))
    counts = cadre_counts(resolve_target(scope, on=REF_DATE))
    assert (counts["city"]["total"], counts["county"]["total"]) == (CITY, COUNTY) == (demo.cadres_city, demo.cadres_county)
    assert counts["all"]["total"] == Cadre.objects.count()
    before = cadre_counts(resolve_target(scope, on=dt.date(2019, 5, 31)))  # before any demo post or rank began
    assert before["all"]["total"] == 0
    by_county = figures_by_child(resolve_target(scope, on=REF_DATE))
    city = Cadre.objects.filter(management_level="city")  # each holds its posts in its own unit
    for row in by_county:
        assert row["figures"][0].denominator == city.filter(unit__path__startswith=row["unit"].path).count()
    assert city.filter(ranks__isnull=False, unit__kind="county").exists()  # some are counted by their unit


@pytest.mark.django_db
def test_it_shows_rank_holders_in_the_roster_resume_and_approval_form(demo, admin_client):
    cadre = _rank_holders().filter(management_level="city").order_by("id").first()
    rank = cadre.ranks.get()
    label = RANK_LABELS[rank.rank]
    # 简历: one line for the one period (not a post line and a rank line for the same months)
    written = post_name(cadre.unit.name, label)  # 六安市财政局二级调研员, as forms write a 职级 held in a unit
    assert [str(x) for x in resume_lines(cadre)] == [f"{rank.start:%Y.%m}--     {written}"]
    seat = Cadre.objects.filter(appointments__is_concurrent=True).order_by("id").first()
    lines = resume_lines(seat)
    assert len(lines) == 1 and "（兼任" in lines[0].text
    # 干部名册: the 职级 column, the unit as 工作单位
    text = admin_client.get(reverse("cadres:list"), {"q": cadre.person.name}).content.decode()
    assert f"<td>{label}</td>" in text and cadre.unit.name in text
    # its export: the unit, no post
    r = admin_client.get(reverse("cadres:export"), {"q": cadre.person.name})
    rows = [row for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) if row[0] == cadre.person.name]
    assert rows and rows[0][6] == cadre.unit.name and not rows[0][7]
    # 任免审批表 (Word and LRMX) and the record page
    form = {"on": "2026-11-22"}
    assert admin_client.post(reverse("cadres:approval_form_docx", args=[cadre.id]), form).status_code == 200
    r = admin_client.post(reverse("cadres:cadre_lrmx", args=[cadre.id]), form)
    assert written in lrmx.parse_lrmx(r.content)["JianLi"]
    page = admin_client.get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert label in page and cadre.unit.name in page


@pytest.mark.django_db
def test_it_leaves_the_leadership_seats_with_posts(demo):
    seats = Appointment.objects.filter(is_concurrent=False)
    assert seats.filter(post__team__isnull=False).count() == seats.count() == Cadre.objects.filter(ranks__isnull=True).count()
