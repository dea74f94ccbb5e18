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
from django.db.models import Exists, OuterRef
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres import lrmx
from zugong.cadres.models import Appointment, Cadre, CadreRank, Post
from zugong.cadres.rules import RANK_LABELS
from zugong.cadres.selectors_record import post_name, resume_lines
from zugong.core.rules import add_years
from zugong.demo import careers
from zugong.demo import catalog as cat
from zugong.demo.people import REF_DATE
from zugong.demo.testing import CITY, COUNTY, crowded_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small city whose cadres outnumber the seats, rolled back at the end."""
    with django_db_blocker.unblock(), crowded_demo() as summary:
        yield summary


@pytest.fixture
def admin_client(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _rank_holders():
    """Cadres holding a 职级 today (others held one earlier: zugong/demo/careers.py)."""
    return Cadre.objects.filter(_RANK_NOW).select_related("person", "unit")


def _today():
    """Cadres holding a post or a rank today: not the predecessors, who held seats on past dates only."""
    return Cadre.objects.filter(Exists(Appointment.objects.filter(cadre=OuterRef("pk"), end__isnull=True)) | _RANK_NOW)


_RANK_NOW = Exists(CadreRank.objects.filter(cadre=OuterRef("pk"), end__isnull=True))


@pytest.mark.django_db
def test_it_gives_cadres_beyond_the_seats_a_rank_not_a_post(demo):
    assert not Post.objects.filter(title__in=RANK_LABELS.values()).exists()  # no 职级 as a 职务
    office = {*careers.NON_LEADING.values(), *careers.CITY_OFFICE_POSTS.values(), "办公室主任", "办公室副主任"}
    assert set(Post.objects.filter(team__isnull=True).values_list("title", flat=True)) <= office  # earlier posts only
    assert not Appointment.objects.filter(end__isnull=True, post__team__isnull=True).exists()
    holders = list(_rank_holders())
    assert demo.ranks == CadreRank.objects.count() and len(holders) == CadreRank.objects.filter(end__isnull=True).count()
    city = [c for c in holders if c.management_level == "city"]
    county = [c for c in holders if c.management_level == "county"]
    assert len(city) > 100 and len(county) > 400
    seat_units = set(Post.objects.values_list("unit_id", flat=True))
    level_of = dict(cat.CITY_RANKS + cat.COUNTY_RANKS)
    for c in holders:
        rank = c.ranks.get(end__isnull=True)
        assert not c.appointments.filter(end__isnull=True).exists()  # ranks only for cadres without a leadership seat
        assert rank.rank in {r for r, _ in (cat.CITY_RANKS if c.management_level == "city" else cat.COUNTY_RANKS)}
        assert c.post_level == level_of[rank.rank]
        assert rank.end is None and dt.date(2019, 6, 1) <= rank.start <= REF_DATE
        assert rank.start >= c.person.work_start_date
        assert rank.document_no.endswith("号") and "组干〔" in rank.document_no
        assert c.unit_id in seat_units  # a workplace: the unit of a leadership team
    junior = {cat.CITY_RANKS[-1][0], cat.COUNTY_RANKS[-1][0]}
    running = {c.pk: c.ranks.get(end__isnull=True) for c in holders}
    short = [c for c in holders
             if add_years(c.person.work_start_date, cat.RANK_MIN_SERVICE[running[c.pk].rank]) > running[c.pk].start]
    assert all(running[c.pk].rank in junior for c in short) and len(short) < len(holders) / 20
    assert {r.rank for r in running.values()} == {r for r, _ in cat.CITY_RANKS + cat.COUNTY_RANKS}
    # every cadre holds a post or a rank on REF_DATE, but the predecessors (retired)
    assert _today().count() == demo.cadres_city + demo.cadres_county == Cadre.objects.count() - demo.predecessors


@pytest.mark.django_db
def test_it_counts_rank_holders_in_the_statistics(demo):
    from zugong.core.scope import scope_for
    from zugong.stats.selectors import cadre_counts, figures_by_child, rank_only_on, resolve_target

    scope = scope_for(get_user_model().objects.get(username="admin"))
    counts = cadre_counts(resolve_target(scope, on=REF_DATE))
    assert (counts["city"]["total"], counts["county"]["total"]) == (CITY, COUNTY) == (demo.cadres_city, demo.cadres_county)
    assert counts["all"]["total"] == _today().count()
    before = resolve_target(scope, on=dt.date(2019, 5, 31))  # before the 职级 began: earlier posts only
    assert cadre_counts(before)["all"]["total"] > 0 and not rank_only_on(before).exists()
    by_county = figures_by_child(resolve_target(scope, on=REF_DATE))
    city = _today().filter(management_level="city")  # each holds its posts in its own unit
    for row in by_county:
        assert row["figures"][0].denominator == city.filter(unit__path__startswith=row["unit"].path).count()
    assert city.filter(ranks__isnull=False, unit__kind="county").exists()  # some are counted by their unit


@pytest.mark.django_db
def test_it_shows_rank_holders_in_the_roster_resume_and_approval_form(demo, admin_client):
    cadre = _rank_holders().filter(management_level="city").order_by("id").first()
    rank = cadre.ranks.get(end__isnull=True)
    label = RANK_LABELS[rank.rank]
    # 简历: the earlier periods, then one line for the current one (not a post line and a rank line for it)
    written = post_name(cadre.unit.name, label)  # 六安市财政局二级调研员, as forms write a 职级 held in a unit
    lines = resume_lines(cadre)
    assert str(lines[-1]) == f"{rank.start:%Y.%m}--     {written}" and lines[-2].end == rank.start
    seat = Cadre.objects.filter(appointments__is_concurrent=True, appointments__end__isnull=True).order_by("id").first()
    lines = resume_lines(seat)
    assert lines[-1].end is None and "（兼任" in lines[-1].text
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
    seats = Appointment.objects.filter(is_concurrent=False, end__isnull=True)
    assert seats.filter(post__team__isnull=False).count() == seats.count() == _today().exclude(_RANK_NOW).count()
